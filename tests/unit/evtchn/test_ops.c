/*
 * Every EVTCHNOP through the guest's hypercall path: each success, each
 * error Xen documents (with Xen's code), and that a failed op leaves the
 * domain as it was.
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#include <cmocka.h>

static int setup(void **state)
{
	struct dom_opts o = {.nr_vcpus = 2, .nr_pirqs = 8};

	*state = world_new(3, &o);
	return 0;
}

static int setup_priv(void **state)
{
	struct dom_opts o = {.nr_vcpus = 2, .privileged = true};

	*state = world_new(2, &o);
	return 0;
}

static int teardown(void **state)
{
	world_free(*state);
	return 0;
}

/* --- the hypercall entry --- */

static void unknown_cmd_is_enosys(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	uint8_t buf[64] = {0};

	assert_int_equal(guest_op(a, 14, buf), -HV_ENOSYS); /* reset_cont */
	assert_int_equal(guest_op(a, 99, buf), -HV_ENOSYS);
	assert_int_equal(guest_op(a, ~0u, buf), -HV_ENOSYS);
	assert_int_equal(hv_evtchn_op(a->d, 99, buf), -HV_ENOSYS);
}

static void unmapped_argument_is_efault(void **state)
{
	struct fake_dom *a = dom(*state, 0);

	assert_int_equal(hv_evtchn_hypercall(a->d, &a->gmem, EVTCHNOP_bind_ipi,
					     gfn_addr(GFN_HOLE)),
			 -HV_EFAULT);
	assert_int_equal(hv_evtchn_hypercall(a->d, &a->gmem, EVTCHNOP_send,
					     gfn_addr(GFN_HOLE)),
			 -HV_EFAULT);
	/* Straddling into the hole. */
	assert_int_equal(hv_evtchn_hypercall(a->d, &a->gmem, EVTCHNOP_bind_ipi,
					     gfn_addr(GFN_HOLE) - 2),
			 -HV_EFAULT);
	assert_int_equal(hv_evtchn_hypercall(a->d, &a->gmem, EVTCHNOP_status,
					     UINT64_MAX - 4),
			 -HV_EFAULT);
	assert_int_equal(hv_evtchn_bound_ports(a->d), 0);
}

/* An op whose results cannot be written back fails before it acts. */
static void readonly_argument_fails_before_acting(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	struct evtchn_bind_ipi *ro = guest_page(a, GFN_RO);
	evtchn_port_t port;

	ro->vcpu = 0;
	ro->port = 77;
	assert_int_equal(hv_evtchn_hypercall(a->d, &a->gmem, EVTCHNOP_bind_ipi,
					     gfn_addr(GFN_RO)),
			 -HV_EFAULT);
	assert_int_equal(ro->port, 77);
	assert_int_equal(hv_evtchn_bound_ports(a->d), 0);
	/* An IN-only op reads from read-only memory happily. */
	port = bind_ipi(a, 0);
	((struct evtchn_send *)ro)->port = port;
	assert_int_equal(hv_evtchn_hypercall(a->d, &a->gmem, EVTCHNOP_send,
					     gfn_addr(GFN_RO)),
			 0);
	assert_true(l2_pending(a, port));
}

static void op_results_are_copied_out(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	struct evtchn_bind_ipi op = {.vcpu = 1, .port = 0xdead};

	assert_int_equal(guest_op(a, EVTCHNOP_bind_ipi, &op), 0);
	assert_int_equal(op.port, 1);
	assert_int_equal(op.vcpu, 1);
}

/* --- alloc_unbound --- */

static void alloc_unbound_self(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	struct evtchn_status st;

	assert_int_equal(alloc_unbound(a, 1), 1);
	assert_int_equal(alloc_unbound(a, DOMID_SELF), 2);
	assert_int_equal(port_status(a, 1, &st), EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 1);
	assert_int_equal(st.vcpu, 0);
	/* DOMID_SELF is recorded as the caller's id. */
	assert_int_equal(port_status(a, 2, &st), EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 0);
	assert_int_equal(hv_evtchn_bound_ports(a->d), 2);
}

static void alloc_unbound_errors(void **state)
{
	struct world *w = *state;
	struct fake_dom *a = dom(w, 0);
	struct evtchn_alloc_unbound op = {.dom = 1, .remote_dom = 0};

	/* Unprivileged, naming another domain. */
	assert_int_equal(guest_op(a, EVTCHNOP_alloc_unbound, &op), -HV_EPERM);
	assert_int_equal(hv_evtchn_bound_ports(hd(w, 1)), 0);
	/* A domain that does not exist. */
	op.dom = 42;
	assert_int_equal(guest_op(a, EVTCHNOP_alloc_unbound, &op), -HV_ESRCH);
	/* Every get_domain had its put_domain. */
	assert_int_equal(w->gets, w->puts);
	assert_int_equal(hv_evtchn_bound_ports(a->d), 0);
}

static void alloc_unbound_for_another_domain(void **state)
{
	struct world *w = *state;
	struct evtchn_alloc_unbound op = {.dom = 1, .remote_dom = DOMID_SELF};
	struct evtchn_status st;

	/* A privileged domain (a toolstack) sets up a port in domain 1 for
	 * itself. */
	assert_int_equal(guest_op(dom(w, 0), EVTCHNOP_alloc_unbound, &op), 0);
	assert_int_equal(op.port, 1);
	assert_int_equal(port_status(dom(w, 1), 1, &st), EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 0);
	assert_int_equal(hv_evtchn_bound_ports(hd(w, 0)), 0);
	assert_int_equal(w->gets, w->puts);
}

/* --- bind_interdomain --- */

static void bind_interdomain_connects_both_ends(void **state)
{
	struct world *w = *state;
	struct fake_dom *a = dom(w, 0), *b = dom(w, 1);
	evtchn_port_t pa = alloc_unbound(a, 1);
	evtchn_port_t pb;
	struct evtchn_status st;

	pb = bind_interdomain(b, 0, pa);
	assert_int_equal(pb, 1);
	assert_int_equal(port_status(a, pa, &st), EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, 1);
	assert_int_equal(st.u.interdomain.port, pb);
	assert_int_equal(port_status(b, pb, &st), EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, 0);
	assert_int_equal(st.u.interdomain.port, pa);
	/* Binding raises the new end, in case the peer sent before. */
	assert_true(l2_pending(b, pb));
	assert_false(l2_pending(a, pa));
	assert_int_equal(w->gets, w->puts);
}

static void bind_interdomain_loopback(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	evtchn_port_t p1 = alloc_unbound(a, DOMID_SELF);
	evtchn_port_t p2 = bind_interdomain(a, DOMID_SELF, p1);
	struct evtchn_status st;

	assert_int_equal(p2, 2);
	assert_int_equal(port_status(a, p1, &st), EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, 0);
	assert_int_equal(st.u.interdomain.port, p2);
	send_port(a, p2);
	assert_true(l2_pending(a, p1));
}

static void bind_interdomain_errors(void **state)
{
	struct world *w = *state;
	struct fake_dom *a = dom(w, 0), *b = dom(w, 1), *c = dom(w, 2);
	evtchn_port_t for_c = alloc_unbound(a, 2);
	evtchn_port_t ipi = bind_ipi(a, 0);
	struct evtchn_bind_interdomain op = {.remote_dom = 0};

	/* Remote domain gone. */
	op.remote_dom = 3;
	op.remote_port = for_c;
	assert_int_equal(guest_op(b, EVTCHNOP_bind_interdomain, &op),
			 -HV_ESRCH);
	dom(w, 0)->hidden = true;
	op.remote_dom = 0;
	assert_int_equal(guest_op(b, EVTCHNOP_bind_interdomain, &op),
			 -HV_ESRCH);
	dom(w, 0)->hidden = false;
	/* Remote port invalid, closed, not unbound, or for someone else. */
	op.remote_port = 4096;
	assert_int_equal(guest_op(b, EVTCHNOP_bind_interdomain, &op),
			 -HV_EINVAL);
	op.remote_port = 60;
	assert_int_equal(guest_op(b, EVTCHNOP_bind_interdomain, &op),
			 -HV_EINVAL);
	op.remote_port = 0;
	assert_int_equal(guest_op(b, EVTCHNOP_bind_interdomain, &op),
			 -HV_EINVAL);
	op.remote_port = ipi;
	assert_int_equal(guest_op(b, EVTCHNOP_bind_interdomain, &op),
			 -HV_EINVAL);
	op.remote_port = for_c;
	assert_int_equal(guest_op(b, EVTCHNOP_bind_interdomain, &op),
			 -HV_EINVAL);
	assert_int_equal(hv_evtchn_bound_ports(b->d), 0);
	assert_int_equal(port_status(a, for_c, NULL), EVTCHNSTAT_unbound);
	/* The right domain can; then the port is taken. */
	assert_int_equal(bind_interdomain(c, 0, for_c), 1);
	op.remote_port = for_c;
	assert_int_equal(guest_op(c, EVTCHNOP_bind_interdomain, &op),
			 -HV_EINVAL);
	assert_int_equal(w->gets, w->puts);
}

/* --- bind_virq, bind_ipi, bind_pirq --- */

static void bind_virq_per_vcpu_and_global(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	struct evtchn_status st;
	evtchn_port_t t0 = bind_virq(a, VIRQ_TIMER, 0);
	evtchn_port_t t1 = bind_virq(a, VIRQ_TIMER, 1);
	evtchn_port_t con = bind_virq(a, VIRQ_CONSOLE, 0);

	assert_int_equal(port_status(a, t1, &st), EVTCHNSTAT_virq);
	assert_int_equal(st.u.virq, VIRQ_TIMER);
	assert_int_equal(st.vcpu, 1);
	assert_int_equal(port_status(a, t0, &st), EVTCHNSTAT_virq);
	assert_int_equal(st.vcpu, 0);
	assert_int_equal(port_status(a, con, &st), EVTCHNSTAT_virq);
	assert_int_equal(st.u.virq, VIRQ_CONSOLE);
}

static void bind_virq_errors(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	struct evtchn_bind_virq op = {.virq = NR_VIRQS, .vcpu = 0};

	assert_int_equal(guest_op(a, EVTCHNOP_bind_virq, &op), -HV_EINVAL);
	op.virq = UINT32_MAX;
	assert_int_equal(guest_op(a, EVTCHNOP_bind_virq, &op), -HV_EINVAL);
	/* Global VIRQs bind on vCPU 0 only. */
	op.virq = VIRQ_DOM_EXC;
	op.vcpu = 1;
	assert_int_equal(guest_op(a, EVTCHNOP_bind_virq, &op), -HV_EINVAL);
	op.virq = VIRQ_ARCH_0;
	assert_int_equal(guest_op(a, EVTCHNOP_bind_virq, &op), -HV_EINVAL);
	/* vCPU out of range. */
	op.virq = VIRQ_TIMER;
	op.vcpu = 2;
	assert_int_equal(guest_op(a, EVTCHNOP_bind_virq, &op), -HV_ENOENT);
	op.vcpu = UINT32_MAX;
	assert_int_equal(guest_op(a, EVTCHNOP_bind_virq, &op), -HV_ENOENT);
	assert_int_equal(hv_evtchn_bound_ports(a->d), 0);
	/* Already bound on that vCPU; still free on the other. */
	bind_virq(a, VIRQ_TIMER, 1);
	op.vcpu = 1;
	assert_int_equal(guest_op(a, EVTCHNOP_bind_virq, &op), -HV_EEXIST);
	bind_virq(a, VIRQ_XENPMU, 1);
	bind_virq(a, VIRQ_TIMER, 0);
	bind_virq(a, VIRQ_DEBUGGER, 0);
	op.virq = VIRQ_DEBUGGER;
	op.vcpu = 0;
	assert_int_equal(guest_op(a, EVTCHNOP_bind_virq, &op), -HV_EEXIST);
	assert_int_equal(hv_evtchn_bound_ports(a->d), 4);
}

static void bind_ipi_and_errors(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	struct evtchn_bind_ipi op = {.vcpu = 2};
	struct evtchn_status st;

	assert_int_equal(guest_op(a, EVTCHNOP_bind_ipi, &op), -HV_ENOENT);
	assert_int_equal(hv_evtchn_bound_ports(a->d), 0);
	assert_int_equal(bind_ipi(a, 1), 1);
	assert_int_equal(port_status(a, 1, &st), EVTCHNSTAT_ipi);
	assert_int_equal(st.vcpu, 1);
}

static void bind_pirq_and_errors(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	struct evtchn_bind_pirq op = {.pirq = 8,
				      .flags = BIND_PIRQ__WILL_SHARE};
	struct evtchn_status st;

	assert_int_equal(guest_op(a, EVTCHNOP_bind_pirq, &op), -HV_EINVAL);
	op.pirq = 7;
	assert_int_equal(guest_op(a, EVTCHNOP_bind_pirq, &op), 0);
	assert_int_equal(op.port, 1);
	assert_int_equal(port_status(a, 1, &st), EVTCHNSTAT_pirq);
	assert_int_equal(st.u.pirq, 7);
	assert_int_equal(st.vcpu, 0);
	assert_int_equal(guest_op(a, EVTCHNOP_bind_pirq, &op), -HV_EEXIST);
	assert_int_equal(hv_evtchn_bound_ports(a->d), 1);
}

static void bind_pirq_without_pirqs(void **state)
{
	struct fake_dom *a = dom(*state, 0); /* setup_priv: no PIRQs */
	struct evtchn_bind_pirq op = {.pirq = 0};

	assert_int_equal(guest_op(a, EVTCHNOP_bind_pirq, &op), -HV_EINVAL);
}

/* --- close --- */

static void close_every_state(void **state)
{
	struct world *w = *state;
	struct fake_dom *a = dom(w, 0), *b = dom(w, 1);
	struct evtchn_close op;
	struct evtchn_bind_pirq pirq = {.pirq = 3};
	evtchn_port_t unbound = alloc_unbound(a, 1);
	evtchn_port_t inter = alloc_unbound(a, 1);
	evtchn_port_t peer = bind_interdomain(b, 0, inter);
	evtchn_port_t virq = bind_virq(a, VIRQ_TIMER, 1);
	evtchn_port_t gvirq = bind_virq(a, VIRQ_CON_RING, 0);
	evtchn_port_t ipi = bind_ipi(a, 0);
	struct evtchn_status st;

	assert_int_equal(guest_op(a, EVTCHNOP_bind_pirq, &pirq), 0);
	evtchn_port_t ports[] = {unbound, inter, virq, gvirq, ipi, pirq.port};
	for (size_t i = 0; i < HV_ARRAY_SIZE(ports); i++) {
		op.port = ports[i];
		assert_int_equal(guest_op(a, EVTCHNOP_close, &op), 0);
		assert_int_equal(port_status(a, ports[i], &st),
				 EVTCHNSTAT_closed);
		assert_int_equal(st.vcpu, 0);
	}
	assert_int_equal(hv_evtchn_bound_ports(a->d), 0);
	/* The peer's end went back to unbound, bindable by us again. */
	assert_int_equal(port_status(b, peer, &st), EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 0);
	/* What was bound can be bound again, and ports are reused lowest
	 * first. */
	assert_int_equal(bind_virq(a, VIRQ_TIMER, 1), 1);
	assert_int_equal(bind_virq(a, VIRQ_CON_RING, 0), 2);
	pirq.port = 0;
	assert_int_equal(guest_op(a, EVTCHNOP_bind_pirq, &pirq), 0);
	assert_int_equal(pirq.port, 3);
	assert_int_equal(bind_interdomain(a, 1, peer), 4);
}

static void close_errors(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	struct evtchn_close op = {.port = 0};

	bind_ipi(a, 0);
	assert_int_equal(guest_op(a, EVTCHNOP_close, &op), -HV_EINVAL);
	op.port = 2; /* valid, free */
	assert_int_equal(guest_op(a, EVTCHNOP_close, &op), -HV_EINVAL);
	op.port = 64; /* no bucket */
	assert_int_equal(guest_op(a, EVTCHNOP_close, &op), -HV_EINVAL);
	op.port = UINT32_MAX;
	assert_int_equal(guest_op(a, EVTCHNOP_close, &op), -HV_EINVAL);
	op.port = 1;
	assert_int_equal(guest_op(a, EVTCHNOP_close, &op), 0);
	assert_int_equal(guest_op(a, EVTCHNOP_close, &op), -HV_EINVAL);
}

static void close_clears_pending(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	evtchn_port_t p = bind_ipi(a, 0);
	struct evtchn_close op = {.port = p};

	send_port(a, p);
	assert_true(l2_pending(a, p));
	assert_int_equal(guest_op(a, EVTCHNOP_close, &op), 0);
	assert_false(l2_pending(a, p));
	/* Rebinding does not resurrect the event. */
	assert_int_equal(bind_ipi(a, 0), p);
	assert_int_equal(drain_2l(a, 0), 0);
}

/* --- send --- */

static void send_by_state(void **state)
{
	struct world *w = *state;
	struct fake_dom *a = dom(w, 0), *b = dom(w, 1);
	evtchn_port_t unbound = alloc_unbound(a, 1);
	evtchn_port_t inter = alloc_unbound(a, 1);
	evtchn_port_t peer = bind_interdomain(b, 0, inter);
	evtchn_port_t ipi = bind_ipi(a, 1);
	evtchn_port_t virq = bind_virq(a, VIRQ_TIMER, 0);
	struct evtchn_bind_pirq pirq = {.pirq = 1};
	struct evtchn_send op;

	assert_int_equal(guest_op(a, EVTCHNOP_bind_pirq, &pirq), 0);
	guest_vcpu_info(b, 0)->evtchn_upcall_pending = 0;
	guest_shared(b)->evtchn_pending[0] = 0;
	/* Interdomain: the peer's end goes pending. */
	send_port(a, inter);
	assert_true(l2_pending(b, peer));
	assert_false(l2_pending(a, inter));
	/* IPI: our own port, on its vCPU. */
	send_port(a, ipi);
	assert_true(l2_pending(a, ipi));
	assert_true(l2_selected(a, 1, 0));
	/* Unbound: silently dropped. */
	send_port(a, unbound);
	assert_false(l2_pending(a, unbound));
	/* VIRQ, PIRQ, free, reserved and invalid ports: EINVAL. */
	evtchn_port_t bad[] = {virq, pirq.port, 0, 30, 64, 4096, UINT32_MAX};
	for (size_t i = 0; i < HV_ARRAY_SIZE(bad); i++) {
		op.port = bad[i];
		assert_int_equal(guest_op(a, EVTCHNOP_send, &op), -HV_EINVAL);
	}
	assert_false(l2_pending(a, virq));
	assert_false(l2_pending(a, pirq.port));
}

/* --- status --- */

static void status_errors(void **state)
{
	struct world *w = *state;
	struct fake_dom *a = dom(w, 0);
	struct evtchn_status op = {.dom = DOMID_SELF, .port = 64};
	struct evtchn_status st;

	assert_int_equal(guest_op(a, EVTCHNOP_status, &op), -HV_EINVAL);
	op.port = 0;
	assert_int_equal(guest_op(a, EVTCHNOP_status, &op), 0);
	assert_int_equal(op.status, EVTCHNSTAT_closed);
	/* Our own id works like DOMID_SELF. */
	op.dom = 0;
	op.port = 63;
	assert_int_equal(guest_op(a, EVTCHNOP_status, &op), 0);
	assert_int_equal(op.status, EVTCHNSTAT_closed);
	op.dom = 1;
	op.port = 1;
	assert_int_equal(guest_op(a, EVTCHNOP_status, &op), -HV_EPERM);
	/* An invalid port is reported before the privilege check (Xen). */
	op.port = 64;
	assert_int_equal(guest_op(a, EVTCHNOP_status, &op), -HV_EINVAL);
	op.dom = 9;
	assert_int_equal(guest_op(a, EVTCHNOP_status, &op), -HV_ESRCH);
	assert_int_equal(port_status(a, 1, &st), EVTCHNSTAT_closed);
	assert_int_equal(w->gets, w->puts);
}

static void status_of_another_domain_privileged(void **state)
{
	struct world *w = *state;
	struct evtchn_status op = {.dom = 1, .port = 1};

	bind_ipi(dom(w, 1), 1);
	assert_int_equal(guest_op(dom(w, 0), EVTCHNOP_status, &op), 0);
	assert_int_equal(op.status, EVTCHNSTAT_ipi);
	assert_int_equal(op.vcpu, 1);
	assert_int_equal(w->gets, w->puts);
	assert_int_equal(w->gets, 1);
}

/* --- bind_vcpu --- */

static void bind_vcpu_by_state(void **state)
{
	struct world *w = *state;
	struct fake_dom *a = dom(w, 0), *b = dom(w, 1);
	struct evtchn_bind_pirq pirq = {.pirq = 2};
	evtchn_port_t unbound = alloc_unbound(a, 1);
	evtchn_port_t inter = alloc_unbound(a, 1);
	evtchn_port_t gvirq = bind_virq(a, VIRQ_CONSOLE, 0);
	evtchn_port_t vvirq = bind_virq(a, VIRQ_TIMER, 0);
	evtchn_port_t ipi = bind_ipi(a, 0);
	struct evtchn_bind_vcpu op = {.vcpu = 1};
	struct evtchn_status st;

	bind_interdomain(b, 0, inter);
	assert_int_equal(guest_op(a, EVTCHNOP_bind_pirq, &pirq), 0);
	evtchn_port_t movable[] = {unbound, inter, gvirq, pirq.port};
	for (size_t i = 0; i < HV_ARRAY_SIZE(movable); i++) {
		op.port = movable[i];
		assert_int_equal(guest_op(a, EVTCHNOP_bind_vcpu, &op), 0);
		port_status(a, movable[i], &st);
		assert_int_equal(st.vcpu, 1);
	}
	evtchn_port_t fixed[] = {vvirq, ipi, 0, 20, 64};
	for (size_t i = 0; i < HV_ARRAY_SIZE(fixed); i++) {
		op.port = fixed[i];
		assert_int_equal(guest_op(a, EVTCHNOP_bind_vcpu, &op),
				 -HV_EINVAL);
	}
	port_status(a, ipi, &st);
	assert_int_equal(st.vcpu, 0);
	op.port = inter;
	op.vcpu = 2;
	assert_int_equal(guest_op(a, EVTCHNOP_bind_vcpu, &op), -HV_ENOENT);
	port_status(a, inter, &st);
	assert_int_equal(st.vcpu, 1);
}

static void bind_vcpu_moves_delivery(void **state)
{
	struct world *w = *state;
	struct fake_dom *a = dom(w, 0), *b = dom(w, 1);
	evtchn_port_t pa = alloc_unbound(a, 1);
	evtchn_port_t pb = bind_interdomain(b, 0, pa);
	struct evtchn_bind_vcpu op = {.port = pa, .vcpu = 1};

	assert_int_equal(guest_op(a, EVTCHNOP_bind_vcpu, &op), 0);
	send_port(b, pb);
	assert_true(l2_pending(a, pa));
	assert_true(l2_selected(a, 1, 0));
	assert_false(l2_selected(a, 0, 0));
	assert_int_equal(a->notified[1], 1);
	assert_int_equal(a->notified[0], 0);
	assert_int_equal(drain_2l(a, 1), 1);
	assert_int_equal(a->seen[0], pa);
	/* A freed port forgets its vCPU. */
	struct evtchn_close c = {.port = pa};
	struct evtchn_status st;
	assert_int_equal(guest_op(a, EVTCHNOP_close, &c), 0);
	assert_int_equal(alloc_unbound(a, 1), pa);
	port_status(a, pa, &st);
	assert_int_equal(st.vcpu, 0);
}

/* --- unmask --- */

static void unmask_errors_and_closed_ports(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	struct evtchn_unmask op = {.port = 64};

	assert_int_equal(guest_op(a, EVTCHNOP_unmask, &op), -HV_EINVAL);
	op.port = UINT32_MAX;
	assert_int_equal(guest_op(a, EVTCHNOP_unmask, &op), -HV_EINVAL);
	/* A closed port: success, but its mask is left alone. */
	l2_set_mask(a, 5, true);
	op.port = 5;
	assert_int_equal(guest_op(a, EVTCHNOP_unmask, &op), 0);
	assert_true(l2_masked(a, 5));
	op.port = 0;
	assert_int_equal(guest_op(a, EVTCHNOP_unmask, &op), 0);
}

/* --- reset --- */

static void reset_closes_everything(void **state)
{
	struct world *w = *state;
	struct fake_dom *a = dom(w, 0), *b = dom(w, 1);
	evtchn_port_t pa = alloc_unbound(a, 1);
	evtchn_port_t pb = bind_interdomain(b, 0, pa);
	struct evtchn_reset op = {.dom = DOMID_SELF};
	struct evtchn_bind_pirq pirq = {.pirq = 0};

	bind_virq(a, VIRQ_TIMER, 1);
	bind_ipi(a, 0);
	alloc_unbound(a, 2);
	assert_int_equal(guest_op(a, EVTCHNOP_bind_pirq, &pirq), 0);
	send_port(a, bind_ipi(a, 1));
	assert_int_equal(hv_evtchn_bound_ports(a->d), 6);
	assert_int_equal(guest_op(a, EVTCHNOP_reset, &op), 0);
	assert_int_equal(hv_evtchn_bound_ports(a->d), 0);
	for (evtchn_port_t p = 0; p < 64; p++)
		assert_int_equal(port_status(a, p, NULL), EVTCHNSTAT_closed);
	assert_false(l2_pending(a, 6));
	assert_int_equal(port_status(b, pb, NULL), EVTCHNSTAT_unbound);
	/* Clean: the same bindings work again, from port 1. */
	assert_int_equal(bind_virq(a, VIRQ_TIMER, 1), 1);
	pirq.port = 0;
	assert_int_equal(guest_op(a, EVTCHNOP_bind_pirq, &pirq), 0);
	assert_int_equal(pirq.port, 2);
	assert_int_equal(bind_interdomain(a, 1, pb), 3);
}

static void reset_errors(void **state)
{
	struct world *w = *state;
	struct evtchn_reset op = {.dom = 1};

	bind_ipi(dom(w, 1), 0);
	assert_int_equal(guest_op(dom(w, 0), EVTCHNOP_reset, &op), -HV_EPERM);
	op.dom = 7;
	assert_int_equal(guest_op(dom(w, 0), EVTCHNOP_reset, &op), -HV_ESRCH);
	assert_int_equal(hv_evtchn_bound_ports(hd(w, 1)), 1);
	assert_int_equal(w->gets, w->puts);
}

static void reset_another_domain_privileged(void **state)
{
	struct world *w = *state;
	struct evtchn_reset op = {.dom = 1};

	bind_ipi(dom(w, 1), 0);
	assert_int_equal(guest_op(dom(w, 0), EVTCHNOP_reset, &op), 0);
	assert_int_equal(hv_evtchn_bound_ports(hd(w, 1)), 0);
	op.dom = 0; /* own id */
	bind_ipi(dom(w, 0), 0);
	assert_int_equal(guest_op(dom(w, 0), EVTCHNOP_reset, &op), 0);
	assert_int_equal(hv_evtchn_bound_ports(hd(w, 0)), 0);
	assert_int_equal(w->gets, w->puts);
}

/* --- port allocation --- */

static void ports_are_allocated_lowest_first(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	struct evtchn_close op;

	for (evtchn_port_t p = 1; p <= 200; p++)
		assert_int_equal(bind_ipi(a, 0), p);
	evtchn_port_t freed[] = {150, 7, 64, 63};
	for (size_t i = 0; i < HV_ARRAY_SIZE(freed); i++) {
		op.port = freed[i];
		assert_int_equal(guest_op(a, EVTCHNOP_close, &op), 0);
	}
	assert_int_equal(bind_ipi(a, 0), 7);
	assert_int_equal(bind_ipi(a, 0), 63);
	assert_int_equal(bind_ipi(a, 0), 64);
	assert_int_equal(bind_ipi(a, 0), 150);
	assert_int_equal(bind_ipi(a, 0), 201);
}

static void max_port_limits_allocation(void **state)
{
	struct dom_opts o = {.max_port = 10, .nr_pirqs = 1};
	struct world *w = world_new(2, &o);
	struct fake_dom *a = dom(w, 0);
	evtchn_port_t rport = alloc_unbound(dom(w, 1), 0);
	struct evtchn_bind_ipi ipi = {.vcpu = 0};
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF};
	struct evtchn_bind_virq virq = {.virq = VIRQ_TIMER};
	struct evtchn_bind_pirq pirq = {.pirq = 0};
	struct evtchn_bind_interdomain bi = {.remote_dom = 1,
					     .remote_port = rport};

	(void)state;
	for (evtchn_port_t p = 1; p <= 10; p++)
		assert_int_equal(bind_ipi(a, 0), p);
	/* Every way of taking a port is out of room. */
	assert_int_equal(guest_op(a, EVTCHNOP_bind_ipi, &ipi), -HV_ENOSPC);
	assert_int_equal(guest_op(a, EVTCHNOP_alloc_unbound, &au), -HV_ENOSPC);
	assert_int_equal(guest_op(a, EVTCHNOP_bind_virq, &virq), -HV_ENOSPC);
	assert_int_equal(guest_op(a, EVTCHNOP_bind_pirq, &pirq), -HV_ENOSPC);
	assert_int_equal(guest_op(a, EVTCHNOP_bind_interdomain, &bi),
			 -HV_ENOSPC);
	assert_int_equal(hv_evtchn_raise_virq(a->d, VIRQ_TIMER, 0), 0);
	assert_int_equal(hv_evtchn_raise_pirq(a->d, 0), 0);
	assert_int_equal(port_status(dom(w, 1), rport, NULL),
			 EVTCHNSTAT_unbound);
	/* Ports past max_port in an allocated bucket are valid, closed. */
	assert_int_equal(port_status(a, 20, NULL), EVTCHNSTAT_closed);
	world_free(w);
}

static void allocation_failure_changes_nothing(void **state)
{
	struct world *w = *state;
	struct fake_dom *a = dom(w, 0), *b = dom(w, 1);
	evtchn_port_t rport = alloc_unbound(b, 0);
	struct evtchn_bind_ipi ipi = {.vcpu = 0};
	struct evtchn_bind_interdomain bi = {.remote_dom = 1,
					     .remote_port = rport};
	struct evtchn_status st = {.dom = DOMID_SELF, .port = 64};

	for (evtchn_port_t p = 1; p < 64; p++)
		bind_ipi(a, 0);
	/* Port 64 needs a new bucket. */
	w->fail_after = 0;
	assert_int_equal(guest_op(a, EVTCHNOP_bind_ipi, &ipi), -HV_ENOMEM);
	assert_int_equal(guest_op(a, EVTCHNOP_bind_interdomain, &bi),
			 -HV_ENOMEM);
	assert_int_equal(port_status(b, rport, NULL), EVTCHNSTAT_unbound);
	assert_int_equal(guest_op(a, EVTCHNOP_status, &st), -HV_EINVAL);
	assert_int_equal(hv_evtchn_bound_ports(a->d), 63);
	/* Port 4096 would need a new group and a bucket: either failing
	 * leaves nothing behind (world_free checks every byte). */
	w->fail_after = -1;
	assert_int_equal(bind_ipi(a, 0), 64);
	assert_int_equal(w->gets, w->puts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(unknown_cmd_is_enosys, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(unmapped_argument_is_efault, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(
		readonly_argument_fails_before_acting, setup, teardown),
	    cmocka_unit_test_setup_teardown(op_results_are_copied_out, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(alloc_unbound_self, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(alloc_unbound_errors, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(alloc_unbound_for_another_domain,
					    setup_priv, teardown),
	    cmocka_unit_test_setup_teardown(bind_interdomain_connects_both_ends,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(bind_interdomain_loopback, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(bind_interdomain_errors, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(bind_virq_per_vcpu_and_global,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(bind_virq_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(bind_ipi_and_errors, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(bind_pirq_and_errors, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(bind_pirq_without_pirqs, setup_priv,
					    teardown),
	    cmocka_unit_test_setup_teardown(close_every_state, setup, teardown),
	    cmocka_unit_test_setup_teardown(close_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(close_clears_pending, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(send_by_state, setup, teardown),
	    cmocka_unit_test_setup_teardown(status_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(status_of_another_domain_privileged,
					    setup_priv, teardown),
	    cmocka_unit_test_setup_teardown(bind_vcpu_by_state, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(bind_vcpu_moves_delivery, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(unmask_errors_and_closed_ports,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(reset_closes_everything, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(reset_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(reset_another_domain_privileged,
					    setup_priv, teardown),
	    cmocka_unit_test_setup_teardown(ports_are_allocated_lowest_first,
					    setup, teardown),
	    cmocka_unit_test(max_port_limits_allocation),
	    cmocka_unit_test_setup_teardown(allocation_failure_changes_nothing,
					    setup, teardown),
	};
	return cmocka_run_group_tests_name("evtchn-ops", tests, NULL, NULL);
}
