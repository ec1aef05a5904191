/*
 * Domain lifetime and the hypervisor's own calls: configuration checks,
 * allocation failures, destruction with live channels, and raising ports,
 * VIRQs and PIRQs.
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static int setup(void **state)
{
	struct dom_opts o = {.nr_vcpus = 2, .nr_pirqs = 16};

	*state = world_new(2, &o);
	return 0;
}

static int teardown(void **state)
{
	world_free(*state);
	return 0;
}

static void config_is_checked(void **state)
{
	struct world *w = *state;
	struct hv_evtchn_config good = dom(w, 0)->cfg, cfg;
	struct hv_evtchn_ops no_notify = w->ops, no_get = w->ops;
	struct hv_evtchn_domain *d = (struct hv_evtchn_domain *)&cfg;
	size_t before = w->bytes;

	no_notify.notify = NULL;
	no_get.get_domain = NULL;
	struct hv_evtchn_config bad[10];
	for (size_t i = 0; i < HV_ARRAY_SIZE(bad); i++)
		bad[i] = good;
	bad[0].nr_vcpus = 0;
	bad[1].nr_vcpus = HV_EVTCHN_MAX_VCPUS + 1;
	bad[2].domid = DOMID_FIRST_RESERVED;
	bad[3].abi_2l = NULL;
	bad[3].abi_fifo = NULL;
	bad[4].gmem = NULL;
	bad[5].ops = NULL;
	bad[6].ops = &no_notify;
	bad[7].ops = &no_get;
	bad[8].alloc.alloc = NULL;
	bad[9].alloc.free = NULL;
	for (size_t i = 0; i < HV_ARRAY_SIZE(bad); i++) {
		assert_int_equal(hv_evtchn_domain_create(&bad[i], &d),
				 -HV_EINVAL);
		assert_ptr_equal(d, (struct hv_evtchn_domain *)&cfg);
	}
	assert_int_equal(w->bytes, before);
	/* The extremes that are allowed. */
	cfg = good;
	cfg.nr_vcpus = HV_EVTCHN_MAX_VCPUS;
	cfg.domid = DOMID_FIRST_RESERVED - 1;
	assert_int_equal(hv_evtchn_domain_create(&cfg, &d), 0);
	assert_int_equal(hv_evtchn_domain_id(d), DOMID_FIRST_RESERVED - 1);
	assert_int_equal(hv_evtchn_bound_ports(d), 0);
	hv_evtchn_domain_destroy(d);
	assert_int_equal(w->bytes, before);
}

static void create_survives_every_allocation_failure(void **state)
{
	struct world *w = *state;
	struct hv_evtchn_config cfg = dom(w, 0)->cfg;
	struct hv_evtchn_domain *d = NULL;
	size_t before = w->bytes;
	long n;

	for (n = 0;; n++) {
		w->fail_after = n;
		if (hv_evtchn_domain_create(&cfg, &d) == 0)
			break;
		assert_int_equal(w->bytes, before);
	}
	w->fail_after = -1;
	/* Domain, vCPUs, PIRQ map, the first group and bucket. */
	assert_int_equal(n, 5);
	hv_evtchn_domain_destroy(d);
	assert_int_equal(w->bytes, before);
}

/* FIFO's state is allocated at init_control; failing leaves 2-level. */
static void init_control_allocation_failure(void **state)
{
	struct world *w = *state;
	struct fake_dom *a = dom(w, 0);
	struct evtchn_init_control op = {.control_gfn = GFN_CB};
	struct evtchn_set_priority sp = {.port = 0};

	w->fail_after = 0;
	assert_int_equal(guest_op(a, EVTCHNOP_init_control, &op), -HV_ENOMEM);
	w->fail_after = -1;
	assert_int_equal(guest_op(a, EVTCHNOP_set_priority, &sp), -HV_ENOSYS);
	assert_int_equal(guest_op(a, EVTCHNOP_init_control, &op), 0);
}

static void growing_to_a_new_group_can_fail_cleanly(void **state)
{
	struct dom_opts o = {0};
	struct world *w = world_new(1, &o);
	struct fake_dom *a = dom(w, 0);
	struct evtchn_bind_ipi op = {.vcpu = 0};
	size_t before;

	(void)state;
	setup_fifo(a, 0);
	for (evtchn_port_t p = 1; p < 4096; p++)
		assert_int_equal(bind_ipi(a, 0), p);
	before = w->bytes;
	/* Port 4096 needs a group (first allocation) and a bucket. */
	w->fail_after = 0;
	assert_int_equal(guest_op(a, EVTCHNOP_bind_ipi, &op), -HV_ENOMEM);
	w->fail_after = 1;
	assert_int_equal(guest_op(a, EVTCHNOP_bind_ipi, &op), -HV_ENOMEM);
	assert_int_equal(w->bytes, before);
	w->fail_after = -1;
	assert_int_equal(bind_ipi(a, 0), 4096);
	world_free(w);
}

/* Destroying a domain unbinds its peers' ends, whichever locks first. */
static void destroy_unbinds_peers(void **state)
{
	struct world *w = *state;
	struct fake_dom *a = dom(w, 0), *b = dom(w, 1);
	evtchn_port_t a_to_b = alloc_unbound(a, 1);
	evtchn_port_t b_end = bind_interdomain(b, 0, a_to_b);
	evtchn_port_t b_to_a = alloc_unbound(b, 0);
	evtchn_port_t a_end = bind_interdomain(a, 1, b_to_a);
	evtchn_port_t loop1 = alloc_unbound(a, DOMID_SELF);
	struct evtchn_send s = {.port = b_end};
	struct evtchn_status st;

	bind_interdomain(a, DOMID_SELF, loop1);
	(void)a_end;
	hv_evtchn_domain_destroy(a->d);
	a->d = NULL;
	a->hidden = true;
	assert_int_equal(port_status(b, b_end, &st), EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 0);
	assert_int_equal(port_status(b, b_to_a, &st), EVTCHNSTAT_unbound);
	assert_int_equal(guest_op(b, EVTCHNOP_send, &s), 0);
	assert_int_equal(hv_evtchn_bound_ports(b->d), 2);
}

/* Closing from either end works whichever domain's lock comes first. */
static void close_from_both_ends(void **state)
{
	struct world *w = *state;
	struct fake_dom *a = dom(w, 0), *b = dom(w, 1);
	struct evtchn_close c;

	for (int round = 0; round < 2; round++) {
		struct fake_dom *x = round ? a : b, *y = round ? b : a;
		evtchn_port_t px = alloc_unbound(x, y->cfg.domid);
		evtchn_port_t py = bind_interdomain(y, x->cfg.domid, px);

		c.port = px;
		assert_int_equal(guest_op(x, EVTCHNOP_close, &c), 0);
		assert_int_equal(port_status(y, py, NULL), EVTCHNSTAT_unbound);
		c.port = py;
		assert_int_equal(guest_op(y, EVTCHNOP_close, &c), 0);
		px = alloc_unbound(x, y->cfg.domid);
		py = bind_interdomain(y, x->cfg.domid, px);
		c.port = py;
		assert_int_equal(guest_op(y, EVTCHNOP_close, &c), 0);
		assert_int_equal(port_status(x, px, NULL), EVTCHNSTAT_unbound);
		c.port = px;
		assert_int_equal(guest_op(x, EVTCHNOP_close, &c), 0);
	}
	assert_int_equal(hv_evtchn_bound_ports(a->d), 0);
	assert_int_equal(hv_evtchn_bound_ports(b->d), 0);
}

static void raise_port(void **state)
{
	struct world *w = *state;
	struct fake_dom *a = dom(w, 0);
	evtchn_port_t unbound = alloc_unbound(a, DOMID_SELF);
	evtchn_port_t ipi = bind_ipi(a, 1);

	assert_int_equal(hv_evtchn_raise(a->d, unbound), 0);
	assert_true(l2_pending(a, unbound));
	assert_int_equal(a->notified[0], 1);
	assert_int_equal(hv_evtchn_raise(a->d, ipi), 0);
	assert_int_equal(a->notified[1], 1);
	assert_int_equal(hv_evtchn_raise(a->d, 0), -HV_EINVAL);
	assert_int_equal(hv_evtchn_raise(a->d, 3), -HV_EINVAL);
	assert_int_equal(hv_evtchn_raise(a->d, 64), -HV_EINVAL);
	assert_int_equal(hv_evtchn_raise(a->d, UINT32_MAX), -HV_EINVAL);
	assert_false(l2_pending(a, 3));
}

static void raise_virq(void **state)
{
	struct world *w = *state;
	struct fake_dom *a = dom(w, 0);
	struct evtchn_bind_vcpu bv;
	evtchn_port_t timer1, dom_exc;

	assert_int_equal(hv_evtchn_raise_virq(a->d, VIRQ_TIMER, 1), 0);
	assert_int_equal(hv_evtchn_raise_virq(a->d, VIRQ_DOM_EXC, 0), 0);
	timer1 = bind_virq(a, VIRQ_TIMER, 1);
	dom_exc = bind_virq(a, VIRQ_DOM_EXC, 0);
	assert_int_equal(hv_evtchn_raise_virq(a->d, VIRQ_TIMER, 0), 0);
	assert_int_equal(hv_evtchn_raise_virq(a->d, VIRQ_TIMER, 1), 1);
	assert_true(l2_pending(a, timer1));
	assert_int_equal(a->notified[1], 1);
	/* A global VIRQ follows its channel to another vCPU. */
	bv.port = dom_exc;
	bv.vcpu = 1;
	assert_int_equal(guest_op(a, EVTCHNOP_bind_vcpu, &bv), 0);
	assert_int_equal(drain_2l(a, 1), 1);
	assert_int_equal(hv_evtchn_raise_virq(a->d, VIRQ_DOM_EXC, 0), 1);
	assert_true(l2_pending(a, dom_exc));
	assert_int_equal(a->notified[1], 2);
	assert_int_equal(a->notified[0], 0);
	/* Errors. */
	assert_int_equal(hv_evtchn_raise_virq(a->d, NR_VIRQS, 0), -HV_EINVAL);
	assert_int_equal(hv_evtchn_raise_virq(a->d, VIRQ_DOM_EXC, 1),
			 -HV_EINVAL);
	assert_int_equal(hv_evtchn_raise_virq(a->d, VIRQ_TIMER, 2), -HV_ENOENT);
	/* Closed: nothing bound any more. */
	struct evtchn_close c = {.port = timer1};
	assert_int_equal(guest_op(a, EVTCHNOP_close, &c), 0);
	assert_int_equal(hv_evtchn_raise_virq(a->d, VIRQ_TIMER, 1), 0);
	c.port = dom_exc;
	assert_int_equal(guest_op(a, EVTCHNOP_close, &c), 0);
	assert_int_equal(hv_evtchn_raise_virq(a->d, VIRQ_DOM_EXC, 0), 0);
}

static void raise_pirq(void **state)
{
	struct world *w = *state;
	struct fake_dom *a = dom(w, 0);
	struct evtchn_bind_pirq bp = {.pirq = 15};
	struct evtchn_bind_vcpu bv;
	struct evtchn_close c;

	assert_int_equal(hv_evtchn_raise_pirq(a->d, 15), 0);
	assert_int_equal(guest_op(a, EVTCHNOP_bind_pirq, &bp), 0);
	bv.port = bp.port;
	bv.vcpu = 1;
	assert_int_equal(guest_op(a, EVTCHNOP_bind_vcpu, &bv), 0);
	assert_int_equal(hv_evtchn_raise_pirq(a->d, 15), 1);
	assert_true(l2_pending(a, bp.port));
	assert_int_equal(a->notified[1], 1);
	assert_int_equal(hv_evtchn_raise_pirq(a->d, 16), -HV_EINVAL);
	c.port = bp.port;
	assert_int_equal(guest_op(a, EVTCHNOP_close, &c), 0);
	assert_int_equal(hv_evtchn_raise_pirq(a->d, 15), 0);
}

static void op_without_hypercall(void **state)
{
	struct world *w = *state;
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = 1};
	struct evtchn_bind_ipi bi = {.vcpu = 1};
	struct evtchn_send s;
	struct evtchn_unmask u;

	/* The hypervisor's own use: a xenstore-style port at build time. */
	assert_int_equal(hv_evtchn_op(hd(w, 0), EVTCHNOP_alloc_unbound, &au),
			 0);
	assert_int_equal(au.port, 1);
	assert_int_equal(hv_evtchn_op(hd(w, 0), EVTCHNOP_bind_ipi, &bi), 0);
	s.port = bi.port;
	assert_int_equal(hv_evtchn_op(hd(w, 0), EVTCHNOP_send, &s), 0);
	u.port = bi.port;
	assert_int_equal(hv_evtchn_op(hd(w, 0), EVTCHNOP_unmask, &u), 0);
	assert_true(l2_pending(dom(w, 0), bi.port));
}

/* Domain ids come from the configuration. */
static void domain_id(void **state)
{
	struct world *w = *state;

	assert_int_equal(hv_evtchn_domain_id(hd(w, 0)), 0);
	assert_int_equal(hv_evtchn_domain_id(hd(w, 1)), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(config_is_checked, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		create_survives_every_allocation_failure, setup, teardown),
	    cmocka_unit_test_setup_teardown(init_control_allocation_failure,
					    setup, teardown),
	    cmocka_unit_test(growing_to_a_new_group_can_fail_cleanly),
	    cmocka_unit_test_setup_teardown(destroy_unbinds_peers, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(close_from_both_ends, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(raise_port, setup, teardown),
	    cmocka_unit_test_setup_teardown(raise_virq, setup, teardown),
	    cmocka_unit_test_setup_teardown(raise_pirq, setup, teardown),
	    cmocka_unit_test_setup_teardown(op_without_hypercall, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(domain_id, setup, teardown),
	};
	return cmocka_run_group_tests_name("evtchn-domain", tests, NULL, NULL);
}
