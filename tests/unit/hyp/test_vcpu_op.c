/*
 * VCPUOP as Xen answers it: vCPUs initialised, brought up and down (the
 * last one down powers the domain off), their runstate, their singleshot
 * and periodic timers waking them through VIRQ_TIMER, and where their
 * vcpu_info lives; x86 HVM guests may make every sub-op, Arm guests only
 * the two registrations.
 */
#include "fake_arch.h"

#include <string.h>
#include <xen/event_channel.h>
#include <xen/hvm/hvm_op.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/xen.h>

#define MIB (1ull << 20)

static const struct hv_hyp_extension *const with_evtchn[] = {&hv_hyp_evtchn,
							     NULL};
static const struct hv_hyp_config core = {.timeslice = HV_MSEC(1),
					  .extensions = with_evtchn};

static void never_runs(struct fake *f, struct hv_hyp_vcpu *v)
{
	(void)f;
	(void)v;
	fail();
}

/* VCPUOP cmd on vcpu `target` with argument bytes `arg` (or none). */
static long vcpu_op(struct hv_hyp_vcpu *v, unsigned int cmd,
		    unsigned int target, const void *arg, size_t len)
{
	hv_gpaddr_t gpa = fake_scratch_gpa(v);

	if (arg)
		fake_poke(v->dom, gpa, arg, len);
	return fake_hypercall(v, __HYPERVISOR_vcpu_op, cmd, target,
			      arg ? gpa : 0);
}

static struct hv_hyp_domain *domain(struct fake *f, enum fake_flavour fl,
				    fake_guest_fn guest, unsigned int vcpus)
{
	struct hv_boot_domain cfg;

	fake_init(f, fl, 8192, 1, &core, guest);
	fake_domain_config(&cfg, "vcpus", 4 * MIB, vcpus);
	return fake_domain(f, &cfg, 0);
}

static void up_down_is_up(void **state)
{
	struct fake f;
	struct hv_hyp_domain *d = domain(&f, FAKE_X86, never_runs, 2);
	struct hv_hyp_vcpu *v = &d->vcpus[0];
	uint64_t entry = 0x4000;

	(void)state;
	assert_int_equal(vcpu_op(v, VCPUOP_is_up, 1, NULL, 0), 0);
	assert_int_equal(vcpu_op(v, VCPUOP_is_up, 0, NULL, 0), 1);
	assert_int_equal(vcpu_op(v, VCPUOP_up, 1, NULL, 0), -HV_EINVAL);
	assert_int_equal(vcpu_op(v, VCPUOP_is_up, 2, NULL, 0), -HV_ENOENT);
	assert_int_equal(vcpu_op(v, VCPUOP_initialise, 1, &entry, 8), 0);
	assert_int_equal(fake_vcpu(&d->vcpus[1])->entry, 0x4000);
	assert_int_equal(vcpu_op(v, VCPUOP_up, 1, NULL, 0), 0);
	assert_int_equal(d->vcpus[1].state, HV_HYP_VCPU_RUNNABLE);
	assert_int_equal(vcpu_op(v, VCPUOP_is_up, 1, NULL, 0), 1);
	/* Up again: nothing changes; initialise an up vCPU: refused. */
	assert_int_equal(vcpu_op(v, VCPUOP_up, 1, NULL, 0), 0);
	assert_int_equal(vcpu_op(v, VCPUOP_initialise, 1, &entry, 8),
			 -HV_EEXIST);
	assert_int_equal(vcpu_op(v, VCPUOP_down, 1, NULL, 0), 0);
	assert_int_equal(d->vcpus[1].state, HV_HYP_VCPU_DOWN);
	/* It keeps its context: up again needs no initialise. */
	assert_int_equal(vcpu_op(v, VCPUOP_up, 1, NULL, 0), 0);
	assert_int_equal(vcpu_op(v, VCPUOP_down, 1, NULL, 0), 0);
	/* The last vCPU going down powers the domain off. */
	assert_false(d->xen.shut_down);
	assert_int_equal(vcpu_op(v, VCPUOP_down, 0, NULL, 0), 0);
	assert_true(d->xen.shut_down);
	assert_int_equal(d->xen.shutdown_reason, SHUTDOWN_poweroff);
	fake_fini(&f);
}

static void bad_arguments(void **state)
{
	struct fake f;
	struct hv_hyp_domain *d = domain(&f, FAKE_X86, never_runs, 2);
	struct hv_hyp_vcpu *v = &d->vcpus[0];
	struct vcpu_set_periodic_timer per = {.period_ns = HV_USEC(999)};
	struct vcpu_set_singleshot_timer one = {.timeout_abs_ns = 1,
						.flags = VCPU_SSHOTTMR_future};

	(void)state;
	assert_int_equal(fake_hypercall(v, __HYPERVISOR_vcpu_op,
					VCPUOP_initialise, 1, 4 * MIB),
			 -HV_EFAULT);
	assert_false(d->vcpus[1].initialised);
	assert_int_equal(fake_hypercall(v, __HYPERVISOR_vcpu_op,
					VCPUOP_get_runstate_info, 0, 4 * MIB),
			 -HV_EFAULT);
	assert_int_equal(
	    vcpu_op(v, VCPUOP_set_periodic_timer, 0, &per, sizeof(per)),
	    -HV_EINVAL);
	per.period_ns = (1ull << 62) + 1;
	assert_int_equal(
	    vcpu_op(v, VCPUOP_set_periodic_timer, 0, &per, sizeof(per)),
	    -HV_EINVAL);
	f.now = HV_MSEC(5);
	assert_int_equal(
	    vcpu_op(v, VCPUOP_set_singleshot_timer, 0, &one, sizeof(one)),
	    -HV_ETIME);
	/* Another vCPU's singleshot timer is not the caller's to set. */
	one.flags = 0;
	assert_int_equal(
	    vcpu_op(v, VCPUOP_set_singleshot_timer, 1, &one, sizeof(one)),
	    -HV_EINVAL);
	assert_int_equal(vcpu_op(v, VCPUOP_stop_singleshot_timer, 1, NULL, 0),
			 -HV_EINVAL);
	assert_int_equal(vcpu_op(v, VCPUOP_send_nmi, 0, NULL, 0), -HV_ENOSYS);
	assert_int_equal(vcpu_op(v, 99, 0, NULL, 0), -HV_ENOSYS);
	assert_int_equal(
	    fake_hypercall(v, __HYPERVISOR_vcpu_op, 1ull << 40, 0, 0),
	    -HV_ENOSYS);
	fake_fini(&f);
}

/* Arm guests bring vCPUs up with PSCI: VCPUOP has only the two
 * registrations there, and -EINVAL for the rest, as Xen on Arm. */
static void arm_offers_only_registrations(void **state)
{
	struct fake f;
	struct hv_hyp_domain *d = domain(&f, FAKE_ARM, never_runs, 2);
	struct hv_hyp_vcpu *v = &d->vcpus[0];
	struct vcpu_register_vcpu_info info = {.mfn = 0x200, .offset = 64};

	(void)state;
	assert_int_equal(vcpu_op(v, VCPUOP_up, 1, NULL, 0), -HV_EINVAL);
	assert_int_equal(vcpu_op(v, VCPUOP_is_up, 0, NULL, 0), -HV_EINVAL);
	assert_int_equal(vcpu_op(v, VCPUOP_set_singleshot_timer, 0, NULL, 0),
			 -HV_EINVAL);
	assert_int_equal(
	    vcpu_op(v, VCPUOP_register_vcpu_info, 1, &info, sizeof(info)), 0);
	fake_fini(&f);
}

static void register_vcpu_info(void **state)
{
	struct fake f;
	struct hv_hyp_domain *d = domain(&f, FAKE_X86, never_runs, 2);
	struct hv_hyp_vcpu *v = &d->vcpus[0];
	struct vcpu_register_vcpu_info info = {.mfn = 0x200, .offset = 4040};

	(void)state;
	/* Crossing its page, beyond RAM, an address that overflows. */
	assert_int_equal(
	    vcpu_op(v, VCPUOP_register_vcpu_info, 0, &info, sizeof(info)),
	    -HV_ENXIO);
	info.offset = 0;
	info.mfn = 4 * MIB >> HV_PAGE_SHIFT;
	assert_int_equal(
	    vcpu_op(v, VCPUOP_register_vcpu_info, 0, &info, sizeof(info)),
	    -HV_EINVAL);
	info.mfn = 1ull << 60;
	assert_int_equal(
	    vcpu_op(v, VCPUOP_register_vcpu_info, 0, &info, sizeof(info)),
	    -HV_EINVAL);
	assert_false(v->vcpu_info_registered);
	info.mfn = 0x200;
	info.offset = 128;
	assert_int_equal(
	    vcpu_op(v, VCPUOP_register_vcpu_info, 0, &info, sizeof(info)), 0);
	assert_true(v->vcpu_info_registered);
	assert_int_equal(v->vcpu_info_gpa, 0x200080);
	assert_int_equal(
	    vcpu_op(v, VCPUOP_register_vcpu_info, 0, &info, sizeof(info)),
	    -HV_EBUSY);
	/* Another vCPU's, named by the caller. */
	info.offset = 256;
	assert_int_equal(
	    vcpu_op(v, VCPUOP_register_vcpu_info, 1, &info, sizeof(info)), 0);
	assert_int_equal(d->vcpus[1].vcpu_info_gpa, 0x200100);
	fake_fini(&f);
}

/*
 * Timers: vCPU 0 binds VIRQ_TIMER, sets a singleshot timer 2 ms ahead and
 * blocks, then a periodic 1 ms timer and blocks (acking each event) until
 * five have come.
 */
#define SINGLESHOT_NS HV_MSEC(2)

static void bind_virq_timer(struct hv_hyp_vcpu *v)
{
	evtchn_bind_virq_t b = {.virq = VIRQ_TIMER, .vcpu = v->id};

	assert_int_equal(fake_op(v, __HYPERVISOR_event_channel_op,
				 EVTCHNOP_bind_virq, &b, sizeof(b)),
			 0);
}

static void timer_guest(struct fake *f, struct hv_hyp_vcpu *v)
{
	struct fake_vcpu *fv = fake_vcpu(v);
	struct vcpu_set_singleshot_timer one = {
	    .timeout_abs_ns = (uint64_t)(f->now + SINGLESHOT_NS)};
	struct vcpu_set_periodic_timer per = {.period_ns = HV_MSEC(1)};

	switch (fv->exits) {
	case 0:
		fake_map_shared_info(v, 0x300);
		bind_virq_timer(v);
		fv->scratch[0] = one.timeout_abs_ns;
		assert_int_equal(vcpu_op(v, VCPUOP_set_singleshot_timer, 0,
					 &one, sizeof(one)),
				 0);
		assert_int_equal(fake_block(v), 0);
		assert_int_equal(v->state, HV_HYP_VCPU_BLOCKED);
		return;
	case 1:
		/* Woken by the timer's event (fake_vcpu.woke is when). */
		fv->scratch[1] = (uint64_t)fv->woke;
		fake_ack_events(v);
		assert_int_equal(
		    vcpu_op(v, VCPUOP_set_periodic_timer, 0, &per, sizeof(per)),
		    0);
		fv->scratch[2] = (uint64_t)f->now;
		assert_int_equal(fake_block(v), 0);
		return;
	default:
		fake_ack_events(v);
		if (++fv->scratch[3] < 5) {
			assert_int_equal(fake_block(v), 0);
			return;
		}
		fv->scratch[2] = (uint64_t)(f->now - (hv_time_t)fv->scratch[2]);
		assert_int_equal(
		    vcpu_op(v, VCPUOP_stop_periodic_timer, 0, NULL, 0), 0);
		assert_int_equal(fake_poweroff(v), 0);
		return;
	}
}

static void timers_wake_blocked_vcpu(void **state)
{
	struct fake f;
	struct hv_hyp_domain *d = domain(&f, FAKE_X86, timer_guest, 1);
	struct fake_vcpu *fv = fake_vcpu(&d->vcpus[0]);

	(void)state;
	assert_int_equal(fake_run(&f), 0);
	/* The singleshot: woken at its deadline (plus the one exit). */
	assert_int_equal(fv->scratch[1], fv->scratch[0] + (uint64_t)f.exit_ns);
	assert_int_equal(fv->upcalls, 1 + 5);
	/* Five periods of 1 ms, each woken on time. */
	assert_true(fv->scratch[2] >= (uint64_t)HV_MSEC(5));
	assert_true(fv->scratch[2] <= (uint64_t)(HV_MSEC(5) + 5 * f.exit_ns));
	fake_fini(&f);
}

/* A stopped timer does not fire: the vCPU stays blocked (and, nothing
 * else able to wake it, the domain is ended). */
static void stopped_timer_guest(struct fake *f, struct hv_hyp_vcpu *v)
{
	struct vcpu_set_singleshot_timer one = {
	    .timeout_abs_ns = (uint64_t)(f->now + HV_MSEC(1))};

	fake_map_shared_info(v, 0x300);
	bind_virq_timer(v);
	assert_int_equal(
	    vcpu_op(v, VCPUOP_set_singleshot_timer, 0, &one, sizeof(one)), 0);
	assert_int_equal(vcpu_op(v, VCPUOP_stop_singleshot_timer, 0, NULL, 0),
			 0);
	assert_int_equal(fake_block(v), 0);
}

static void stopped_timer_does_not_fire(void **state)
{
	struct fake f;
	struct hv_hyp_domain *d = domain(&f, FAKE_X86, stopped_timer_guest, 1);

	(void)state;
	assert_int_equal(fake_run(&f), 1);
	assert_int_equal(fake_vcpu(&d->vcpus[0])->upcalls, 0);
	assert_true(fake_console_has(&f, "blocked with nothing left"));
	fake_fini(&f);
}

/* Runstate: 3 ms blocked, then running; the times add up.  Then an
 * area registered, and 2 ms more blocked: the copy there is current when
 * the vCPU runs again. */
static void runstate_guest(struct fake *f, struct hv_hyp_vcpu *v)
{
	struct fake_vcpu *fv = fake_vcpu(v);
	struct vcpu_runstate_info r;
	struct vcpu_register_runstate_memory_area area;
	hv_gpaddr_t gpa = fake_scratch_gpa(v) + 1024;

	if (fv->exits == 0) {
		fv->wake_at = f->now + HV_MSEC(3);
		assert_int_equal(fake_block(v), 0);
		return;
	}
	if (fv->exits == 2) {
		fake_peek(v->dom, gpa + 512, &r, sizeof(r));
		assert_int_equal(r.state, RUNSTATE_running);
		assert_true(r.time[RUNSTATE_blocked] >= HV_MSEC(5));
		assert_int_equal(fake_poweroff(v), 0);
		return;
	}
	fv->wake_at = HV_TIME_NEVER;
	assert_int_equal(fake_hypercall(v, __HYPERVISOR_vcpu_op,
					VCPUOP_get_runstate_info, 0, gpa),
			 0);
	fake_peek(v->dom, gpa, &r, sizeof(r));
	assert_int_equal(r.state, RUNSTATE_running);
	assert_true(r.time[RUNSTATE_blocked] >= HV_MSEC(3));
	assert_true(r.time[RUNSTATE_running] > 0);
	assert_int_equal(r.time[0] + r.time[1] + r.time[2] + r.time[3],
			 (uint64_t)f->now);
	/* A registered area gets a copy at once. */
	memset(&area, 0, sizeof(area));
	area.addr.p = gpa + 512;
	assert_int_equal(vcpu_op(v, VCPUOP_register_runstate_memory_area, 0,
				 &area, sizeof(area)),
			 0);
	fake_peek(v->dom, gpa + 512, &r, sizeof(r));
	assert_true(r.time[RUNSTATE_blocked] >= HV_MSEC(3));
	area.addr.p = 4 * MIB;
	assert_int_equal(vcpu_op(v, VCPUOP_register_runstate_memory_area, 0,
				 &area, sizeof(area)),
			 -HV_EFAULT);
	fv->wake_at = f->now + HV_MSEC(2);
	assert_int_equal(fake_block(v), 0);
}

static void runstate_accounts_time(void **state)
{
	struct fake f;

	(void)state;
	domain(&f, FAKE_X86, runstate_guest, 1);
	assert_int_equal(fake_run(&f), 0);
	fake_fini(&f);
}

static long upcall_vector(struct hv_hyp_vcpu *v, uint32_t vcpu, uint8_t vector)
{
	xen_hvm_evtchn_upcall_vector_t a = {.vcpu = vcpu, .vector = vector};

	return fake_op(v, __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector,
		       &a, sizeof(a));
}

/* HVMOP_set_evtchn_upcall_vector: the core keeps each vCPU's vector, and
 * an event already pending is signalled at once. */
static void upcall_vector_per_vcpu(void **state)
{
	struct fake f;
	struct hv_hyp_domain *d = domain(&f, FAKE_X86, never_runs, 2);
	struct hv_hyp_vcpu *v = &d->vcpus[0];
	const uint8_t pending = 1;

	(void)state;
	assert_int_equal(upcall_vector(v, 1, 0xf3), 0);
	assert_int_equal(d->vcpus[1].upcall_vector, 0xf3);
	assert_int_equal(v->upcall_vector, 0);
	assert_int_equal(upcall_vector(v, 2, 0xf3), -HV_ENOENT);
	assert_int_equal(upcall_vector(v, 0, 0x0f), -HV_EINVAL);
	assert_int_equal(fake_vcpu(&d->vcpus[1])->upcalls, 0);
	/* vCPU 0 with evtchn_upcall_pending set in its vcpu_info. */
	fake_map_shared_info(v, 0x300);
	fake_poke(d,
		  0x300000 + offsetof(struct shared_info, vcpu_info) +
		      offsetof(struct vcpu_info, evtchn_upcall_pending),
		  &pending, 1);
	assert_int_equal(upcall_vector(v, 0, 0xf2), 0);
	assert_int_equal(v->upcall_vector, 0xf2);
	assert_int_equal(fake_vcpu(v)->upcalls, 1);
	fake_fini(&f);
}

static hv_mfn_t frame_of(struct hv_hyp_domain *d, uint64_t gfn)
{
	struct hv_mm_p2m_info info;

	assert_int_equal(hv_mm_p2m_lookup(&d->p2m, hv_gfn(gfn), &info), 0);
	return info.mfn;
}

/* Out of the guest's P2M, still allocated: `refs` references left (the
 * event channels'). */
static void assert_held(struct fake *f, hv_mfn_t mfn, uint32_t refs)
{
	struct hv_mm_page_info page;

	assert_int_equal(hv_mm_page_query(&f->heap, mfn, &page), 0);
	assert_true(page.allocated);
	assert_int_equal(page.refs, refs);
}

/* A guest that gives back the frame of its vcpu_info does not free it:
 * the event channels go on writing there.  It comes back to the heap
 * when the domain goes (fake_fini checks every frame does). */
static void vcpu_info_frame_outlives_its_mapping(void **state)
{
	struct fake f;
	struct hv_hyp_domain *d = domain(&f, FAKE_X86, never_runs, 2);
	struct hv_hyp_vcpu *v = &d->vcpus[0];
	struct vcpu_register_vcpu_info info = {.mfn = 0x200, .offset = 128};
	hv_mfn_t mfn = frame_of(d, 0x200);

	(void)state;
	assert_int_equal(
	    vcpu_op(v, VCPUOP_register_vcpu_info, 0, &info, sizeof(info)), 0);
	assert_int_equal(
	    fake_reservation(v, XENMEM_decrease_reservation, 0x200), 1);
	assert_held(&f, mfn, 1);
	fake_fini(&f);
}

/* The same for the FIFO ABI's control block and event-array page, until
 * EVTCHNOP_reset lets go of them. */
static void fifo_frames_outlive_their_mappings(void **state)
{
	struct fake f;
	struct hv_hyp_domain *d = domain(&f, FAKE_X86, never_runs, 1);
	struct hv_hyp_vcpu *v = &d->vcpus[0];
	struct evtchn_init_control init = {.control_gfn = 0x201, .vcpu = 0};
	struct evtchn_expand_array expand = {.array_gfn = 0x202};
	struct evtchn_reset reset = {.dom = DOMID_SELF};
	hv_mfn_t cb = frame_of(d, 0x201), array = frame_of(d, 0x202);
	struct hv_mm_page_info page;

	(void)state;
	assert_int_equal(fake_op(v, __HYPERVISOR_event_channel_op,
				 EVTCHNOP_init_control, &init, sizeof(init)),
			 0);
	assert_int_equal(fake_op(v, __HYPERVISOR_event_channel_op,
				 EVTCHNOP_expand_array, &expand,
				 sizeof(expand)),
			 0);
	assert_int_equal(
	    fake_reservation(v, XENMEM_decrease_reservation, 0x201), 1);
	assert_int_equal(
	    fake_reservation(v, XENMEM_decrease_reservation, 0x202), 1);
	assert_held(&f, cb, 1);
	assert_held(&f, array, 1);
	assert_int_equal(fake_op(v, __HYPERVISOR_event_channel_op,
				 EVTCHNOP_reset, &reset, sizeof(reset)),
			 0);
	/* Both back in the heap now, before the domain goes. */
	assert_int_equal(hv_mm_page_query(&f.heap, cb, &page), 0);
	assert_false(page.allocated);
	assert_int_equal(hv_mm_page_query(&f.heap, array, &page), 0);
	assert_false(page.allocated);
	fake_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(up_down_is_up),
	    cmocka_unit_test(bad_arguments),
	    cmocka_unit_test(arm_offers_only_registrations),
	    cmocka_unit_test(register_vcpu_info),
	    cmocka_unit_test(vcpu_info_frame_outlives_its_mapping),
	    cmocka_unit_test(fifo_frames_outlive_their_mappings),
	    cmocka_unit_test(timers_wake_blocked_vcpu),
	    cmocka_unit_test(stopped_timer_does_not_fire),
	    cmocka_unit_test(runstate_accounts_time),
	    cmocka_unit_test(upcall_vector_per_vcpu),
	};
	return cmocka_run_group_tests_name("hyp-vcpu-op", tests, NULL, NULL);
}
