/*
 * The 2-level ABI: the pending, mask and selector bits as a guest sees
 * them, the upcall flag and notifications, the 4,095-port limit, and the
 * reference consumer.
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#include <cmocka.h>

static int setup(void **state)
{
	struct dom_opts o = {.nr_vcpus = 2, .nr_pirqs = 4};

	*state = world_new(2, &o);
	return 0;
}

static int teardown(void **state)
{
	world_free(*state);
	return 0;
}

static void limit_is_4095_ports(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	struct evtchn_bind_ipi op = {.vcpu = 0};
	struct evtchn_status st = {.dom = DOMID_SELF, .port = 4096};

	for (evtchn_port_t p = 1; p < EVTCHN_2L_NR_CHANNELS; p++)
		assert_int_equal(bind_ipi(a, 0), p);
	assert_int_equal(hv_evtchn_bound_ports(a->d), 4095);
	assert_int_equal(guest_op(a, EVTCHNOP_bind_ipi, &op), -HV_ENOSPC);
	assert_int_equal(guest_op(a, EVTCHNOP_status, &st), -HV_EINVAL);
	/* The last port works like any other. */
	send_port(a, 4095);
	assert_true(l2_pending(a, 4095));
	assert_true(l2_selected(a, 0, 63));
	assert_int_equal(drain_2l(a, 0), 1);
	assert_int_equal(a->seen[0], 4095);
}

static void send_sets_pending_selector_and_upcall(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	struct vcpu_info *vi = guest_vcpu_info(a, 0);
	evtchn_port_t p1 = bind_ipi(a, 0);
	evtchn_port_t p2 = bind_ipi(a, 0);

	send_port(a, p1);
	assert_true(l2_pending(a, p1));
	assert_true(l2_selected(a, 0, 0));
	assert_int_equal(vi->evtchn_upcall_pending, 1);
	assert_int_equal(a->notified[0], 1);
	/* Already pending: nothing changes, nobody is notified. */
	send_port(a, p1);
	assert_int_equal(a->notified[0], 1);
	/* Same word, selector already set: no new upcall. */
	send_port(a, p2);
	assert_true(l2_pending(a, p2));
	assert_int_equal(a->notified[0], 1);
	/* Upcall still pending, new word: selector bit but no notify. */
	for (evtchn_port_t p = 3; p <= 64; p++)
		bind_ipi(a, 0);
	send_port(a, 64);
	assert_true(l2_selected(a, 0, 1));
	assert_int_equal(a->notified[0], 1);
	/* The guest takes everything, lowest port first. */
	assert_int_equal(drain_2l(a, 0), 3);
	assert_int_equal(a->seen[0], p1);
	assert_int_equal(a->seen[1], p2);
	assert_int_equal(a->seen[2], 64);
	assert_int_equal(vi->evtchn_upcall_pending, 0);
	assert_int_equal(vi->evtchn_pending_sel, 0);
	assert_false(l2_pending(a, p1));
	/* With the upcall flag clear, the next event notifies again. */
	send_port(a, p2);
	assert_int_equal(a->notified[0], 2);
	assert_int_equal(a->notified[1], 0);
}

static void masked_port_is_pending_but_not_selected(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	struct vcpu_info *vi = guest_vcpu_info(a, 0);
	evtchn_port_t p = bind_ipi(a, 0);
	struct evtchn_unmask op = {.port = p};

	assert_int_equal(hv_evtchn_guest_2l_mask(&a->g2l[0], p), 0);
	send_port(a, p);
	assert_true(l2_pending(a, p));
	assert_false(l2_selected(a, 0, 0));
	assert_int_equal(vi->evtchn_upcall_pending, 0);
	assert_int_equal(a->notified[0], 0);
	assert_int_equal(drain_2l(a, 0), 0);
	/* Unmasking in Xen delivers what arrived meanwhile. */
	assert_int_equal(guest_op(a, EVTCHNOP_unmask, &op), 0);
	assert_false(l2_masked(a, p));
	assert_true(l2_selected(a, 0, 0));
	assert_int_equal(a->notified[0], 1);
	assert_int_equal(drain_2l(a, 0), 1);
	/* An unmask of a port that is not pending delivers nothing. */
	l2_set_mask(a, p, true);
	assert_int_equal(guest_op(a, EVTCHNOP_unmask, &op), 0);
	assert_false(l2_masked(a, p));
	assert_int_equal(a->notified[0], 1);
	/* Nor one the guest unmasked itself first: it has looked already. */
	l2_set_mask(a, p, true);
	send_port(a, p);
	l2_set_mask(a, p, false);
	assert_int_equal(guest_op(a, EVTCHNOP_unmask, &op), 0);
	assert_false(l2_selected(a, 0, 0));
}

static void guest_unmask_delivers_pending(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	evtchn_port_t p = bind_ipi(a, 0);
	evtchn_port_t q = bind_ipi(a, 0);

	hv_evtchn_guest_2l_mask(&a->g2l[0], p);
	hv_evtchn_guest_2l_mask(&a->g2l[0], q);
	send_port(a, p);
	/* Pending while masked: the consumer asks Xen to deliver. */
	assert_int_equal(hv_evtchn_guest_2l_unmask(&a->g2l[0], p), 0);
	assert_false(l2_masked(a, p));
	assert_int_equal(a->notified[0], 1);
	/* Not pending: just cleared. */
	assert_int_equal(hv_evtchn_guest_2l_unmask(&a->g2l[0], q), 0);
	assert_false(l2_masked(a, q));
	assert_int_equal(drain_2l(a, 0), 1);
	assert_int_equal(a->seen[0], p);
	assert_int_equal(hv_evtchn_guest_2l_mask(&a->g2l[0], 4096), -HV_EINVAL);
	assert_int_equal(hv_evtchn_guest_2l_unmask(&a->g2l[0], 4096),
			 -HV_EINVAL);
}

static void masked_ports_wait_in_drain(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	evtchn_port_t p1 = bind_ipi(a, 0);
	evtchn_port_t p2 = bind_ipi(a, 0);

	send_port(a, p1);
	l2_set_mask(a, p2, true);
	send_port(a, p2);
	assert_int_equal(drain_2l(a, 0), 1);
	assert_int_equal(a->seen[0], p1);
	assert_true(l2_pending(a, p2));
}

static void virq_and_ipi_go_to_their_vcpu(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	evtchn_port_t t1 = bind_virq(a, VIRQ_TIMER, 1);
	evtchn_port_t ipi0 = bind_ipi(a, 0);
	evtchn_port_t ipi1 = bind_ipi(a, 1);
	xen_ulong_t mine[2][64] = {{0}};

	/* The guest's record of which vCPU it bound each port to. */
	mine[1][0] = 1ul << t1 | 1ul << ipi1;
	mine[0][0] = 1ul << ipi0;
	for (unsigned int v = 0; v < 2; v++)
		hv_evtchn_guest_2l_init(&a->g2l[v], guest_shared(a),
					guest_vcpu_info(a, v), mine[v],
					&a->gops);

	assert_int_equal(hv_evtchn_raise_virq(a->d, VIRQ_TIMER, 1), 1);
	assert_int_equal(a->notified[1], 1);
	assert_int_equal(a->notified[0], 0);
	send_port(a, ipi1);
	send_port(a, ipi0);
	assert_int_equal(a->notified[0], 1);
	assert_int_equal(drain_2l(a, 1), 2);
	assert_int_equal(a->seen[0], t1);
	assert_int_equal(a->seen[1], ipi1);
	clear_seen(a);
	assert_int_equal(drain_2l(a, 0), 1);
	assert_int_equal(a->seen[0], ipi0);
}

/* Events raised before the guest maps its shared-info page wait for it. */
static void events_wait_for_the_shared_info_page(void **state)
{
	struct dom_opts o = {.no_shared = true};
	struct world *w = world_new(1, &o);
	struct fake_dom *a = dom(w, 0);
	evtchn_port_t p = bind_ipi(a, 0);
	evtchn_port_t q = bind_ipi(a, 0);
	struct evtchn_close c = {.port = q};

	(void)state;
	send_port(a, p);
	send_port(a, q);
	/* Closing forgets an event that had nowhere to go. */
	assert_int_equal(guest_op(a, EVTCHNOP_close, &c), 0);
	bind_ipi(a, 0);
	assert_int_equal(a->notified[0], 0);
	assert_false(hv_evtchn_upcall_pending(a->d, 0));
	assert_int_equal(hv_evtchn_map_shared_info(a->d, gfn_addr(GFN_SHARED)),
			 0);
	assert_true(l2_pending(a, p));
	assert_false(l2_pending(a, q));
	assert_true(hv_evtchn_upcall_pending(a->d, 0));
	assert_int_equal(a->notified[0], 1);
	hv_evtchn_guest_2l_init(&a->g2l[0], guest_shared(a),
				guest_vcpu_info(a, 0), NULL, &a->gops);
	assert_int_equal(drain_2l(a, 0), 1);
	assert_int_equal(a->seen[0], p);
	world_free(w);
}

/* A registered vcpu_info takes over; nothing pending is lost. */
static void registered_vcpu_info(void **state)
{
	struct world *w = *state;
	struct fake_dom *a = dom(w, 0);
	struct vcpu_info *vi = (struct vcpu_info *)guest_page(a, GFN_VINFO);
	evtchn_port_t p = bind_ipi(a, 1);
	evtchn_port_t q = bind_ipi(a, 1);
	struct hv_evtchn_guest_2l g;

	send_port(a, p);
	assert_int_equal(a->notified[1], 1);
	guest_vcpu_info(a, 1)->time.version = 42;
	assert_int_equal(hv_evtchn_map_vcpu_info(a->d, 1, gfn_addr(GFN_VINFO)),
			 0);
	/* Old contents copied, every word selected, upcall raised. */
	assert_int_equal(vi->time.version, 42);
	assert_int_equal(vi->evtchn_pending_sel, ~(xen_ulong_t)0);
	assert_int_equal(vi->evtchn_upcall_pending, 1);
	send_port(a, q);
	hv_evtchn_guest_2l_init(&g, guest_shared(a), vi, NULL, &a->gops);
	assert_int_equal(hv_evtchn_guest_2l_drain(&g), 2);
	assert_int_equal(a->seen[0], p);
	assert_int_equal(a->seen[1], q);
	/* From now on events for vCPU 1 select in the new place only. */
	guest_vcpu_info(a, 1)->evtchn_pending_sel = 0;
	send_port(a, q);
	assert_int_equal(vi->evtchn_pending_sel, 1);
	assert_int_equal(guest_vcpu_info(a, 1)->evtchn_pending_sel, 0);
	assert_true(hv_evtchn_upcall_pending(a->d, 1));
	/* The copied flag was still set at registration: no second
	 * notification then, one for the last send. */
	assert_int_equal(a->notified[1], 2);
}

/*
 * A vcpu_info registered where it overlaps the one in use (its slot in the
 * shared-info page, one word further on) gets the old contents intact: the
 * copy between overlapping places must be a move (ASan reported
 * memcpy-param-overlap).
 */
static void overlapping_vcpu_info(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	struct vcpu_info *in_use = guest_vcpu_info(a, 0), old, *vi;
	uint64_t at = gfn_addr(GFN_SHARED) +
		      offsetof(struct shared_info, vcpu_info[0]) +
		      sizeof(xen_ulong_t);

	for (size_t i = 0; i < sizeof(in_use->time); i++)
		((uint8_t *)&in_use->time)[i] = (uint8_t)(i + 1);
	memset(&in_use->arch, 0x5a, sizeof(in_use->arch));
	memcpy(&old, in_use, sizeof(old));
	assert_int_equal(hv_evtchn_map_vcpu_info(a->d, 0, at), 0);
	vi = (void *)((uint8_t *)in_use + sizeof(xen_ulong_t));
	assert_memory_equal(&vi->time, &old.time, sizeof(old.time));
	assert_memory_equal(&vi->arch, &old.arch, sizeof(old.arch));
	assert_int_equal(vi->evtchn_pending_sel, ~(xen_ulong_t)0);
	assert_int_equal(vi->evtchn_upcall_pending, 1);
}

static void vcpu_info_errors(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	uint64_t base = gfn_addr(GFN_VINFO);

	assert_int_equal(hv_evtchn_map_vcpu_info(a->d, 2, base), -HV_ENOENT);
	assert_int_equal(hv_evtchn_map_vcpu_info(a->d, 0, base + 4),
			 -HV_EINVAL);
	assert_int_equal(hv_evtchn_map_vcpu_info(a->d, 0, base + PAGE - 32),
			 -HV_EINVAL);
	assert_int_equal(hv_evtchn_map_vcpu_info(a->d, 0, gfn_addr(GFN_HOLE)),
			 -HV_EFAULT);
	assert_int_equal(hv_evtchn_map_vcpu_info(a->d, 0, gfn_addr(GFN_RO)),
			 -HV_EFAULT);
	assert_int_equal(a->notified[0], 0);
	assert_int_equal(hv_evtchn_map_vcpu_info(a->d, 0, base + 64), 0);
	assert_int_equal(a->pins[GFN_VINFO], 1);
	/* Refused a second time: its pin given back at once. */
	assert_int_equal(hv_evtchn_map_vcpu_info(a->d, 0, base + 128),
			 -HV_EINVAL);
	assert_int_equal(a->pins[GFN_VINFO], 1);
	assert_false(hv_evtchn_upcall_pending(a->d, 2));
}

static void shared_info_errors(void **state)
{
	struct fake_dom *a = dom(*state, 0);

	assert_int_equal(hv_evtchn_map_shared_info(a->d, 8), -HV_EINVAL);
	assert_int_equal(hv_evtchn_map_shared_info(a->d, gfn_addr(GFN_HOLE)),
			 -HV_EFAULT);
	assert_int_equal(hv_evtchn_map_shared_info(a->d, gfn_addr(GFN_RO)),
			 -HV_EFAULT);
	/* The old page is still in use, and still pinned. */
	send_port(a, bind_ipi(a, 0));
	assert_true(l2_pending(a, 1));
	assert_int_equal(a->pins[GFN_SHARED], 1);
	/* Moved: the new page pinned, the old one let go. */
	assert_int_equal(hv_evtchn_map_shared_info(a->d, gfn_addr(GFN_ARGS)),
			 0);
	assert_int_equal(a->pins[GFN_SHARED], 0);
	assert_int_equal(a->pins[GFN_ARGS], 1);
}

/* A vCPU beyond the shared-info page's vcpu_info slots has no upcall
 * flag until it registers one: every new event notifies. */
static void vcpu_without_vcpu_info(void **state)
{
	struct dom_opts o = {.nr_vcpus = XEN_LEGACY_MAX_VCPUS + 1};
	struct world *w = world_new(1, &o);
	struct fake_dom *a = dom(w, 0);
	hv_vcpuid_t last = XEN_LEGACY_MAX_VCPUS;
	struct evtchn_bind_ipi op = {.vcpu = last};
	struct vcpu_info *vi = (struct vcpu_info *)guest_page(a, GFN_VINFO);
	evtchn_port_t p, q;

	(void)state;
	assert_int_equal(guest_op(a, EVTCHNOP_bind_ipi, &op), 0);
	p = op.port;
	assert_int_equal(guest_op(a, EVTCHNOP_bind_ipi, &op), 0);
	q = op.port;
	send_port(a, p);
	send_port(a, p);
	send_port(a, q);
	assert_true(l2_pending(a, p));
	assert_int_equal(a->notified_high, 2);
	assert_false(hv_evtchn_upcall_pending(a->d, last));
	assert_int_equal(
	    hv_evtchn_map_vcpu_info(a->d, last, gfn_addr(GFN_VINFO)), 0);
	assert_int_equal(vi->evtchn_upcall_pending, 1);
	assert_int_equal(vi->evtchn_pending_sel, ~(xen_ulong_t)0);
	assert_int_equal(a->notified_high, 3);
	world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(limit_is_4095_ports, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(
		send_sets_pending_selector_and_upcall, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		masked_port_is_pending_but_not_selected, setup, teardown),
	    cmocka_unit_test_setup_teardown(guest_unmask_delivers_pending,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(masked_ports_wait_in_drain, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(virq_and_ipi_go_to_their_vcpu,
					    setup, teardown),
	    cmocka_unit_test(events_wait_for_the_shared_info_page),
	    cmocka_unit_test_setup_teardown(registered_vcpu_info, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(overlapping_vcpu_info, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(vcpu_info_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(shared_info_errors, setup,
					    teardown),
	    cmocka_unit_test(vcpu_without_vcpu_info),
	};
	return cmocka_run_group_tests_name("evtchn-2l", tests, NULL, NULL);
}
