/*
 * SCHEDOP_poll, as Xen's do_poll: a vCPU waits on ports it keeps masked
 * (no upcall) and wakes when one is raised, or at its timeout; it does not
 * wait at all when one is pending already; bad arguments get Xen's errors.
 */
#include "fake_arch.h"

#include <string.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <xen/xen.h>

#define MIB		(1ull << 20)
#define SHARED_INFO_GFN 0x300

static const struct hv_hyp_extension *const with_evtchn[] = {&hv_hyp_evtchn,
							     NULL};
static const struct hv_hyp_config core = {.timeslice = HV_MSEC(1),
					  .extensions = with_evtchn};

/* SCHEDOP_poll from v on `nr` ports (from `ports`), timeout `timeout`. */
static long poll(struct hv_hyp_vcpu *v, const evtchn_port_t *ports,
		 unsigned int nr, uint64_t timeout)
{
	hv_gpaddr_t gpa = fake_scratch_gpa(v);
	struct sched_poll sp = {.nr_ports = nr, .timeout = timeout};

	set_xen_guest_handle(sp.ports, (evtchn_port_t *)(uintptr_t)(gpa + 512));
	if (nr && nr <= 128)
		fake_poke(v->dom, gpa + 512, ports, nr * sizeof(*ports));
	fake_poke(v->dom, gpa, &sp, sizeof(sp));
	return fake_hypercall(v, __HYPERVISOR_sched_op, SCHEDOP_poll, gpa, 0);
}

static evtchn_port_t bind_ipi(struct hv_hyp_vcpu *v)
{
	evtchn_bind_ipi_t b = {.vcpu = v->id};

	assert_int_equal(fake_op(v, __HYPERVISOR_event_channel_op,
				 EVTCHNOP_bind_ipi, &b, sizeof(b)),
			 0);
	return b.port;
}

static void send(struct hv_hyp_vcpu *v, evtchn_port_t port)
{
	evtchn_send_t s = {.port = port};

	assert_int_equal(fake_op(v, __HYPERVISOR_event_channel_op,
				 EVTCHNOP_send, &s, sizeof(s)),
			 0);
}

/* Mask a 2-level port, as the guest does in its shared-info page. */
static void mask(struct fake *f, struct hv_hyp_domain *d, evtchn_port_t port)
{
	struct shared_info *si =
	    f->hyp.arch->phys_to_virt(&f->hyp, hv_mfn_to_paddr(d->shared_info));

	si->evtchn_mask[port / (8 * sizeof(si->evtchn_mask[0]))] |=
	    1ul << (port % (8 * sizeof(si->evtchn_mask[0])));
}

/*
 * vCPU 0 masks an IPI port of its own and polls it; vCPU 1, once vCPU 0
 * is blocked, raises it.  vCPU 0 wakes with no upcall.
 */
static struct {
	evtchn_port_t port;
	unsigned int upcalls_at_wake;
} ipi;

static void poller(struct fake *f, struct hv_hyp_vcpu *v)
{
	struct hv_hyp_vcpu *v0 = &v->dom->vcpus[0];

	if (v->id == 1) {
		if (v0->state == HV_HYP_VCPU_BLOCKED && v0->polling) {
			send(v, ipi.port);
			hv_hyp_vcpu_set_state(v, HV_HYP_VCPU_DOWN);
		}
		return;
	}
	switch (fake_vcpu(v)->exits) {
	case 0:
		fake_map_shared_info(v, SHARED_INFO_GFN);
		ipi.port = bind_ipi(v);
		mask(f, v->dom, ipi.port);
		hv_hyp_vcpu_set_state(&v->dom->vcpus[1], HV_HYP_VCPU_RUNNABLE);
		assert_int_equal(poll(v, &ipi.port, 1, 0), 0);
		assert_int_equal(v->state, HV_HYP_VCPU_BLOCKED);
		break;
	default:
		ipi.upcalls_at_wake = fake_vcpu(v)->upcalls;
		/* Pending now: a second poll does not wait. */
		assert_int_equal(poll(v, &ipi.port, 1, 0), 0);
		assert_int_equal(v->state, HV_HYP_VCPU_RUNNABLE);
		assert_int_equal(fake_poweroff(v), 0);
		break;
	}
}

static void masked_port_wakes_poller(void **state)
{
	struct fake f;
	struct hv_boot_domain cfg;

	(void)state;
	memset(&ipi, 0, sizeof(ipi));
	fake_init(&f, FAKE_X86, 8192, 1, &core, poller);
	fake_domain_config(&cfg, "poller", 4 * MIB, 2);
	fake_domain(&f, &cfg, 0);
	assert_int_equal(fake_run(&f), 0);
	assert_int_equal(ipi.upcalls_at_wake, 0); /* masked: no upcall */
	fake_fini(&f);
}

/* Nothing raised: the timeout wakes it, on time. */
static void timeout_guest(struct fake *f, struct hv_hyp_vcpu *v)
{
	struct fake_vcpu *fv = fake_vcpu(v);
	evtchn_port_t port;

	if (fv->exits == 0) {
		fake_map_shared_info(v, SHARED_INFO_GFN);
		port = bind_ipi(v);
		fv->scratch[0] = (uint64_t)(f->now + HV_MSEC(3));
		assert_int_equal(poll(v, &port, 1, fv->scratch[0]), 0);
		return;
	}
	fv->scratch[1] = (uint64_t)fv->woke;
	assert_int_equal(fake_poweroff(v), 0);
}

static void timeout_wakes_poller(void **state)
{
	struct fake f;
	struct hv_boot_domain cfg;
	struct fake_vcpu *fv;

	(void)state;
	fake_init(&f, FAKE_ARM, 8192, 1, &core, timeout_guest);
	fake_domain_config(&cfg, "poller", 4 * MIB, 1);
	fv = fake_vcpu(&fake_domain(&f, &cfg, 0)->vcpus[0]);
	assert_int_equal(fake_run(&f), 0);
	assert_int_equal(fv->scratch[1], fv->scratch[0] + (uint64_t)f.exit_ns);
	fake_fini(&f);
}

static void never_runs(struct fake *f, struct hv_hyp_vcpu *v)
{
	(void)f;
	(void)v;
	fail();
}

static void bad_arguments(void **state)
{
	struct hv_hyp_config mini = {.timeslice = HV_MSEC(1)};
	struct fake f;
	struct hv_boot_domain cfg;
	struct hv_hyp_vcpu *v;
	evtchn_port_t ports[2] = {1, 4096}; /* 2-level has 4,096 ports */

	(void)state;
	fake_init(&f, FAKE_X86, 8192, 1, &core, never_runs);
	fake_domain_config(&cfg, "poller", 4 * MIB, 1);
	v = &fake_domain(&f, &cfg, 0)->vcpus[0];
	fake_map_shared_info(v, SHARED_INFO_GFN);
	assert_int_equal(poll(v, ports, 129, 0), -HV_EINVAL);
	assert_int_equal(poll(v, ports, 2, 0), -HV_EINVAL);
	assert_int_equal(
	    fake_hypercall(v, __HYPERVISOR_sched_op, SCHEDOP_poll, 4 * MIB, 0),
	    -HV_EFAULT);
	assert_int_equal(v->state, HV_HYP_VCPU_RUNNABLE);
	fake_fini(&f);
	/* Without event channels there is nothing to poll. */
	fake_init(&f, FAKE_X86, 8192, 1, &mini, never_runs);
	v = &fake_domain(&f, &cfg, 0)->vcpus[0];
	assert_int_equal(poll(v, ports, 1, 0), -HV_ENOSYS);
	fake_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(masked_port_wakes_poller),
	    cmocka_unit_test(timeout_wakes_poller),
	    cmocka_unit_test(bad_arguments),
	};
	return cmocka_run_group_tests_name("hyp-poll", tests, NULL, NULL);
}
