/*
 * The FIFO ABI: EVTCHNOP_init_control, expand_array and set_priority, the
 * event words and queues as a guest sees them, priority and FIFO order,
 * 131,071 ports, and the reference consumer.
 */
#include "harness.h"

#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define W_PENDING (1u << EVTCHN_FIFO_PENDING)
#define W_MASKED  (1u << EVTCHN_FIFO_MASKED)
#define W_LINKED  (1u << EVTCHN_FIFO_LINKED)
#define W_BUSY	  (1u << EVTCHN_FIFO_BUSY)

static int setup(void **state)
{
	struct dom_opts o = {.nr_vcpus = 2};

	*state = world_new(2, &o);
	return 0;
}

static int teardown(void **state)
{
	world_free(*state);
	return 0;
}

/* An IPI port as a guest binds one: bound, then unmasked. */
static evtchn_port_t bind_live_ipi(struct fake_dom *fd, uint32_t vcpu)
{
	evtchn_port_t port = bind_ipi(fd, vcpu);

	assert_int_equal(hv_evtchn_guest_fifo_unmask(&fd->gfifo[vcpu], port),
			 0);
	return port;
}

static void set_priority(struct fake_dom *fd, evtchn_port_t port, uint32_t prio)
{
	struct evtchn_set_priority op = {.port = port, .priority = prio};

	assert_int_equal(guest_op(fd, EVTCHNOP_set_priority, &op), 0);
}

static int init_control(struct fake_dom *fd, uint64_t gfn, uint32_t offset,
			uint32_t vcpu, uint8_t *link_bits)
{
	struct evtchn_init_control op = {
	    .control_gfn = gfn, .offset = offset, .vcpu = vcpu};
	int rc = guest_op(fd, EVTCHNOP_init_control, &op);

	if (link_bits)
		*link_bits = op.link_bits;
	return rc;
}

static int expand(struct fake_dom *fd, uint64_t gfn)
{
	struct evtchn_expand_array op = {.array_gfn = gfn};

	return guest_op(fd, EVTCHNOP_expand_array, &op);
}

/* The guest consumer adds array page `page`, the guest's GFN_ARRAY + page. */
static int guest_expand(struct fake_dom *fd, unsigned int page)
{
	return hv_evtchn_guest_fifo_expand(&fd->array,
					   guest_page(fd, GFN_ARRAY + page),
					   GFN_ARRAY + page, &fd->gops);
}

static void assert_still_2l(struct fake_dom *fd)
{
	struct evtchn_set_priority op = {.port = 0, .priority = 0};

	assert_int_equal(guest_op(fd, EVTCHNOP_set_priority, &op), -HV_ENOSYS);
	assert_int_equal(expand(fd, GFN_ARRAY), -HV_EOPNOTSUPP);
}

static void init_control_errors(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	uint8_t bits = 0;

	assert_int_equal(init_control(a, GFN_CB, 0, 2, NULL), -HV_ENOENT);
	assert_int_equal(init_control(a, GFN_CB, 0, UINT32_MAX, NULL),
			 -HV_ENOENT);
	/* The control block must be 8-byte aligned, within the page. */
	assert_int_equal(init_control(a, GFN_CB, 4, 0, NULL), -HV_EINVAL);
	assert_int_equal(init_control(a, GFN_CB, 4032, 0, NULL), -HV_EINVAL);
	assert_int_equal(init_control(a, GFN_CB, UINT32_MAX, 0, NULL),
			 -HV_EINVAL);
	/* Frames Xen cannot map are EINVAL, not EFAULT. */
	assert_int_equal(init_control(a, GFN_HOLE, 0, 0, NULL), -HV_EINVAL);
	assert_int_equal(init_control(a, GFN_RO, 0, 0, NULL), -HV_EINVAL);
	assert_int_equal(init_control(a, GUEST_PAGES, 0, 0, NULL), -HV_EINVAL);
	assert_int_equal(init_control(a, UINT64_MAX, 0, 0, NULL), -HV_EINVAL);
	assert_int_equal(init_control(a, UINT64_C(1) << 52, 8, 0, NULL),
			 -HV_EINVAL);
	assert_still_2l(a);
	/* The last offset that fits; then vCPU 0 is taken. */
	assert_int_equal(init_control(a, GFN_CB, 4024, 0, &bits), 0);
	assert_int_equal(bits, EVTCHN_FIFO_LINK_BITS);
	assert_int_equal(init_control(a, GFN_CB, 0, 0, NULL), -HV_EINVAL);
	assert_int_equal(init_control(a, GFN_CB, 256, 1, NULL), 0);
	assert_int_equal(init_control(a, GFN_CB, 512, 1, NULL), -HV_EINVAL);
}

static void fifo_ops_without_fifo_abi(void **state)
{
	struct dom_opts o = {.no_fifo = true};
	struct world *w = world_new(1, &o);
	struct fake_dom *a = dom(w, 0);

	(void)state;
	assert_int_equal(init_control(a, GFN_CB, 0, 0, NULL), -HV_EOPNOTSUPP);
	assert_still_2l(a);
	world_free(w);
}

static void expand_array_errors(void **state)
{
	struct fake_dom *a = dom(*state, 0);

	assert_int_equal(expand(a, GFN_ARRAY), -HV_EOPNOTSUPP);
	setup_fifo(a, 0);
	assert_int_equal(expand(a, GFN_HOLE), -HV_EINVAL);
	assert_int_equal(expand(a, GFN_RO), -HV_EINVAL);
	assert_int_equal(expand(a, UINT64_MAX), -HV_EINVAL);
	for (unsigned int p = 0; p < ARRAY_PAGES; p++)
		assert_int_equal(expand(a, GFN_ARRAY + p), 0);
	assert_int_equal(expand(a, GFN_ARRAY), -HV_ENOSPC);
	/* The guest consumer refuses a 129th page itself. */
	for (unsigned int p = 0; p < ARRAY_PAGES; p++)
		a->array.page[p] = guest_page(a, GFN_ARRAY + p);
	a->array.nr_pages = ARRAY_PAGES;
	assert_int_equal(guest_expand(a, 0), -HV_ENOSPC);
}

static void guest_expand_failure_keeps_array(void **state)
{
	struct fake_dom *a = dom(*state, 0);

	setup_fifo(a, 1);
	assert_int_equal(
	    hv_evtchn_guest_fifo_expand(&a->array, guest_page(a, GFN_ARRAY + 1),
					GFN_HOLE, &a->gops),
	    -HV_EINVAL);
	assert_int_equal(a->array.nr_pages, 1);
}

static void set_priority_errors(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	struct evtchn_set_priority op = {.port = 1, .priority = 0};

	assert_int_equal(guest_op(a, EVTCHNOP_set_priority, &op), -HV_ENOSYS);
	setup_fifo(a, 1);
	assert_int_equal(guest_op(a, EVTCHNOP_set_priority, &op), -HV_EACCES);
	op.port = 0;
	assert_int_equal(guest_op(a, EVTCHNOP_set_priority, &op), -HV_EACCES);
	op.port = 64;
	assert_int_equal(guest_op(a, EVTCHNOP_set_priority, &op), -HV_EINVAL);
	op.port = bind_live_ipi(a, 0);
	op.priority = EVTCHN_FIFO_PRIORITY_MIN + 1;
	assert_int_equal(guest_op(a, EVTCHNOP_set_priority, &op), -HV_EINVAL);
	op.priority = EVTCHN_FIFO_PRIORITY_MIN;
	assert_int_equal(guest_op(a, EVTCHNOP_set_priority, &op), 0);
	send_port(a, op.port);
	assert_int_equal(fifo_cb(a, 0)->ready, 1u << EVTCHN_FIFO_PRIORITY_MIN);
	assert_int_equal(fifo_cb(a, 0)->head[EVTCHN_FIFO_PRIORITY_MIN],
			 op.port);
}

/* Records every port handled, in order, for the big tests. */
struct recorder {
	evtchn_port_t *order;
	unsigned int n;
	unsigned int max;
	struct fake_dom *fd;
	evtchn_port_t raise_on_first; /* sent from the first handler call */
};

static void record(void *opaque, evtchn_port_t port)
{
	struct recorder *r = opaque;

	assert_true(r->n < r->max);
	r->order[r->n++] = port;
	if (r->n == 1 && r->raise_on_first)
		send_port(r->fd, r->raise_on_first);
}

static void use_recorder(struct fake_dom *fd, struct recorder *r,
			 struct hv_evtchn_guest_ops *ops, unsigned int max)
{
	r->order = calloc(max, sizeof(*r->order));
	r->n = 0;
	r->max = max;
	r->fd = fd;
	r->raise_on_first = 0;
	ops->hypercall = fd->gops.hypercall;
	ops->handler = record;
	ops->opaque = r;
	for (unsigned int v = 0; v < fd->cfg.nr_vcpus; v++)
		fd->gfifo[v].ops = ops;
}

static void all_131071_ports(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	const evtchn_port_t last = EVTCHN_FIFO_NR_CHANNELS - 1;
	struct evtchn_bind_ipi op = {.vcpu = 0};
	struct hv_evtchn_guest_ops ops;
	struct recorder r;

	setup_fifo(a, ARRAY_PAGES);
	for (evtchn_port_t p = 1; p <= last; p++)
		assert_int_equal(bind_live_ipi(a, 0), p);
	assert_int_equal(hv_evtchn_bound_ports(a->d), 131071);
	assert_int_equal(guest_op(a, EVTCHNOP_bind_ipi, &op), -HV_ENOSPC);
	/* Every port queued once, in the order sent: odd ones first. */
	for (evtchn_port_t p = 1; p <= last; p += 2)
		send_port(a, p);
	for (evtchn_port_t p = 2; p <= last; p += 2)
		send_port(a, p);
	assert_int_equal(a->notified[0], 1);
	use_recorder(a, &r, &ops, last + 1);
	assert_int_equal(drain_fifo(a, 0), last);
	for (unsigned int i = 0; i < last; i++) {
		evtchn_port_t want = i < (last + 1) / 2
					 ? 2 * i + 1
					 : 2 * (i - (last + 1) / 2) + 2;

		assert_int_equal(r.order[i], want);
	}
	assert_int_equal(fifo_cb(a, 0)->ready, 0);
	assert_int_equal(*fifo_word(a, last), 0);
	free(r.order);
}

static void priority_then_fifo_order(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	struct hv_evtchn_guest_ops ops;
	struct recorder r;
	evtchn_port_t p[7];
	static const uint32_t prio[7] = {7, 3, 15, 7, 0, 3, 7};
	static const unsigned int send_order[7] = {0, 1, 2, 3, 4, 5, 6};
	static const unsigned int expect[7] = {4, 1, 5, 0, 3, 6, 2};

	setup_fifo(a, 1);
	for (int i = 0; i < 7; i++) {
		p[i] = bind_live_ipi(a, 0);
		if (prio[i] != EVTCHN_FIFO_PRIORITY_DEFAULT)
			set_priority(a, p[i], prio[i]);
	}
	for (int i = 0; i < 7; i++)
		send_port(a, p[send_order[i]]);
	assert_int_equal(fifo_cb(a, 0)->ready,
			 1u << 0 | 1u << 3 | 1u << 7 | 1u << 15);
	use_recorder(a, &r, &ops, 16);
	assert_int_equal(drain_fifo(a, 0), 7);
	for (int i = 0; i < 7; i++)
		assert_int_equal(r.order[i], p[expect[i]]);
	free(r.order);
}

/* A higher-priority event raised mid-drain overtakes the rest. */
static void higher_priority_overtakes(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	struct hv_evtchn_guest_ops ops;
	struct recorder r;
	evtchn_port_t lo1, lo2, lo3, hi;

	setup_fifo(a, 1);
	lo1 = bind_live_ipi(a, 0);
	lo2 = bind_live_ipi(a, 0);
	lo3 = bind_live_ipi(a, 0);
	hi = bind_live_ipi(a, 0);
	set_priority(a, hi, 1);
	send_port(a, lo1);
	send_port(a, lo2);
	send_port(a, lo3);
	use_recorder(a, &r, &ops, 8);
	r.raise_on_first = hi;
	assert_int_equal(drain_fifo(a, 0), 4);
	assert_int_equal(r.order[0], lo1);
	assert_int_equal(r.order[1], hi);
	assert_int_equal(r.order[2], lo2);
	assert_int_equal(r.order[3], lo3);
	free(r.order);
}

static void raised_while_linked_is_queued_once(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	evtchn_port_t pa, pb;

	setup_fifo(a, 1);
	pa = bind_live_ipi(a, 0);
	pb = bind_live_ipi(a, 0);
	send_port(a, pa);
	send_port(a, pb);
	send_port(a, pa);
	send_port(a, pb);
	assert_int_equal(*fifo_word(a, pa), W_PENDING | W_LINKED | pb);
	assert_int_equal(*fifo_word(a, pb), W_PENDING | W_LINKED);
	assert_int_equal(fifo_cb(a, 0)->head[EVTCHN_FIFO_PRIORITY_DEFAULT], pa);
	assert_int_equal(a->notified[0], 1);
	assert_int_equal(drain_fifo(a, 0), 2);
	assert_int_equal(a->seen[0], pa);
	assert_int_equal(a->seen[1], pb);
	assert_int_equal(*fifo_word(a, pa), 0);
	/* Consumed and unlinked: the next send queues it again. */
	send_port(a, pa);
	assert_int_equal(*fifo_word(a, pa), W_PENDING | W_LINKED);
	assert_int_equal(drain_fifo(a, 0), 1);
}

static void masked_event_waits_for_unmask(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	struct evtchn_unmask op;
	evtchn_port_t p;

	setup_fifo(a, 1);
	p = bind_ipi(a, 0); /* still masked, as the guest left it */
	send_port(a, p);
	assert_int_equal(*fifo_word(a, p), W_PENDING | W_MASKED);
	assert_int_equal(fifo_cb(a, 0)->ready, 0);
	assert_int_equal(a->notified[0], 0);
	/* EVTCHNOP_unmask links it. */
	op.port = p;
	assert_int_equal(guest_op(a, EVTCHNOP_unmask, &op), 0);
	assert_int_equal(*fifo_word(a, p), W_PENDING | W_LINKED);
	assert_int_equal(a->notified[0], 1);
	assert_int_equal(drain_fifo(a, 0), 1);
	/* The guest's own unmask, pending while masked, asks for the same. */
	hv_evtchn_guest_fifo_mask(&a->gfifo[0], p);
	send_port(a, p);
	assert_int_equal(drain_fifo(a, 0), 0);
	assert_int_equal(hv_evtchn_guest_fifo_unmask(&a->gfifo[0], p), 0);
	assert_int_equal(drain_fifo(a, 0), 1);
	assert_int_equal(a->seen[1], p);
	/* Masked after it was linked: the consumer unlinks and leaves it
	 * pending. */
	send_port(a, p);
	hv_evtchn_guest_fifo_mask(&a->gfifo[0], p);
	assert_int_equal(drain_fifo(a, 0), 0);
	assert_int_equal(*fifo_word(a, p), W_PENDING | W_MASKED);
	assert_int_equal(hv_evtchn_guest_fifo_mask(&a->gfifo[0], 1024),
			 -HV_EINVAL);
	assert_int_equal(hv_evtchn_guest_fifo_unmask(&a->gfifo[0], 1024),
			 -HV_EINVAL);
}

/* Events for ports whose word the guest has not given yet are kept and
 * made pending when the page arrives, as are 2-level pending bits at the
 * switch. */
static void pending_state_survives_until_the_word_exists(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	evtchn_port_t early = bind_ipi(a, 0); /* 2-level */
	evtchn_port_t quiet = bind_ipi(a, 0);
	evtchn_port_t late;
	struct evtchn_close c;

	send_port(a, early);
	assert_true(l2_pending(a, early));
	setup_fifo(a, 0);
	for (evtchn_port_t p = 3; p <= 1500; p++)
		bind_ipi(a, 0);
	late = 1500;
	send_port(a, late);
	send_port(a, 1499);
	c.port = 1499;
	assert_int_equal(guest_op(a, EVTCHNOP_close, &c), 0);
	assert_int_equal(a->notified[0], 1); /* the 2-level send only */
	assert_int_equal(guest_expand(a, 0), 0);
	assert_int_equal(*fifo_word(a, early), W_PENDING | W_MASKED);
	assert_int_equal(*fifo_word(a, quiet), W_MASKED);
	assert_int_equal(guest_expand(a, 1), 0);
	assert_int_equal(*fifo_word(a, late), W_PENDING | W_MASKED);
	assert_int_equal(*fifo_word(a, 1499), W_MASKED);
	assert_int_equal(hv_evtchn_guest_fifo_unmask(&a->gfifo[0], late), 0);
	assert_int_equal(hv_evtchn_guest_fifo_unmask(&a->gfifo[0], early), 0);
	assert_int_equal(drain_fifo(a, 0), 2);
	assert_int_equal(a->seen[0], late);
	assert_int_equal(a->seen[1], early);
}

/* A domain built without the 2-level ABI keeps events in the hypervisor
 * until the guest switches to FIFO. */
static void fifo_only_domain(void **state)
{
	struct dom_opts o = {.no_2l = true};
	struct world *w = world_new(1, &o);
	struct fake_dom *a = dom(w, 0);
	struct evtchn_reset r = {.dom = DOMID_SELF};
	evtchn_port_t p = bind_ipi(a, 0);
	struct evtchn_unmask u = {.port = p};
	struct evtchn_set_priority sp = {.port = p, .priority = 1};

	(void)state;
	send_port(a, p);
	assert_int_equal(guest_op(a, EVTCHNOP_unmask, &u), 0);
	assert_int_equal(guest_op(a, EVTCHNOP_set_priority, &sp), -HV_ENOSYS);
	assert_false(l2_pending(a, p));
	assert_int_equal(a->notified[0], 0);
	setup_fifo(a, 1);
	assert_int_equal(*fifo_word(a, p), W_PENDING | W_MASKED);
	assert_int_equal(hv_evtchn_guest_fifo_unmask(&a->gfifo[0], p), 0);
	assert_int_equal(drain_fifo(a, 0), 1);
	/* Reset goes back to no ABI at all. */
	assert_int_equal(guest_op(a, EVTCHNOP_reset, &r), 0);
	assert_int_equal(expand(a, GFN_ARRAY), -HV_EOPNOTSUPP);
	world_free(w);
}

/* Moving a port to another queue: the old queue must not link to it. */
static void moved_port_leaves_old_queue(void **state)
{
	struct fake_dom *a = dom(*state, 0), *b = dom(*state, 1);
	evtchn_port_t pa, pb, q;
	struct evtchn_bind_vcpu bv;

	setup_fifo(a, 1);
	pa = alloc_unbound(a, 1);
	pb = bind_interdomain(b, 0, pa);
	q = bind_live_ipi(a, 0);
	assert_int_equal(hv_evtchn_guest_fifo_unmask(&a->gfifo[0], pa), 0);
	/* pa is the tail of vCPU 0's default queue, consumed. */
	send_port(b, pb);
	assert_int_equal(drain_fifo(a, 0), 1);
	/* Move it to vCPU 1 and raise it there. */
	bv.port = pa;
	bv.vcpu = 1;
	assert_int_equal(guest_op(a, EVTCHNOP_bind_vcpu, &bv), 0);
	send_port(b, pb);
	assert_int_equal(fifo_cb(a, 1)->head[EVTCHN_FIFO_PRIORITY_DEFAULT], pa);
	assert_int_equal(a->notified[1], 1);
	/* The next event on vCPU 0's queue starts it afresh. */
	send_port(a, q);
	assert_int_equal(*fifo_word(a, pa), W_PENDING | W_LINKED);
	assert_int_equal(fifo_cb(a, 0)->head[EVTCHN_FIFO_PRIORITY_DEFAULT], q);
	clear_seen(a);
	assert_int_equal(drain_fifo(a, 1), 1);
	assert_int_equal(a->seen[0], pa);
	assert_int_equal(drain_fifo(a, 0), 1);
	assert_int_equal(a->seen[1], q);
}

/* A queued event keeps its place when its priority changes; only the
 * next one uses the new queue. */
static void priority_change_applies_to_later_events(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	evtchn_port_t p, q;

	setup_fifo(a, 1);
	p = bind_live_ipi(a, 0);
	q = bind_live_ipi(a, 0);
	send_port(a, p);
	send_port(a, q);
	set_priority(a, q, 2);
	assert_int_equal(drain_fifo(a, 0), 2);
	assert_int_equal(a->seen[0], p);
	assert_int_equal(a->seen[1], q);
	send_port(a, p);
	send_port(a, q);
	assert_int_equal(drain_fifo(a, 0), 2);
	assert_int_equal(a->seen[2], q);
	assert_int_equal(a->seen[3], p);
}

/* A closed port still linked in a queue is not reused until the guest
 * has unlinked it; the consumer skips it since it is no longer pending. */
static void close_while_pending(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	struct evtchn_close c;
	evtchn_port_t p, q;

	setup_fifo(a, 1);
	p = bind_live_ipi(a, 0);
	q = bind_live_ipi(a, 0);
	send_port(a, p);
	send_port(a, q);
	c.port = p;
	assert_int_equal(guest_op(a, EVTCHNOP_close, &c), 0);
	assert_int_equal(*fifo_word(a, p), W_LINKED | q);
	assert_int_equal(bind_ipi(a, 0), 3);
	assert_int_equal(drain_fifo(a, 0), 1);
	assert_int_equal(a->seen[0], q);
	assert_int_equal(bind_ipi(a, 0), p);
}

static void upcall_only_when_a_queue_becomes_ready(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	evtchn_port_t p, q, r;

	setup_fifo(a, 1);
	p = bind_live_ipi(a, 0);
	q = bind_live_ipi(a, 0);
	r = bind_live_ipi(a, 0);
	set_priority(a, r, 0);
	send_port(a, p);
	assert_true(hv_evtchn_upcall_pending(a->d, 0));
	assert_int_equal(a->notified[0], 1);
	send_port(a, q); /* behind p */
	send_port(a, r); /* new queue; upcall already pending */
	assert_int_equal(a->notified[0], 1);
	assert_int_equal(fifo_cb(a, 0)->ready, 1u << 0 | 1u << 7);
	assert_int_equal(drain_fifo(a, 0), 3);
	assert_false(hv_evtchn_upcall_pending(a->d, 0));
	send_port(a, q);
	assert_int_equal(a->notified[0], 2);
}

/* A vCPU without a control block gets events marked pending, unlinked. */
static void vcpu_without_control_block(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	evtchn_port_t p;

	assert_int_equal(hv_evtchn_guest_fifo_setup(
			     &a->gfifo[0], &a->array, fifo_cb(a, 0), GFN_CB, 0,
			     0, guest_vcpu_info(a, 0), &a->gops),
			 0);
	assert_int_equal(guest_expand(a, 0), 0);
	p = bind_ipi(a, 1);
	*fifo_word(a, p) = 0;
	send_port(a, p);
	assert_int_equal(*fifo_word(a, p), W_PENDING);
	assert_int_equal(a->notified[1], 0);
}

static void reset_returns_to_2l(void **state)
{
	struct world *w = *state;
	struct fake_dom *a = dom(w, 0);
	struct evtchn_reset r = {.dom = DOMID_SELF};
	evtchn_port_t p;

	setup_fifo(a, 2);
	/* Both control blocks and both array pages are pinned until the
	 * reset lets go of them; the shared-info page stays pinned. */
	assert_int_equal(a->pins[GFN_CB], 2);
	assert_int_equal(a->pins[GFN_ARRAY], 1);
	assert_int_equal(a->pins[GFN_ARRAY + 1], 1);
	for (int i = 0; i < 1500; i++)
		bind_live_ipi(a, 0);
	send_port(a, 1400);
	assert_int_equal(guest_op(a, EVTCHNOP_reset, &r), 0);
	assert_int_equal(a->pins[GFN_CB], 0);
	assert_int_equal(a->pins[GFN_ARRAY], 0);
	assert_int_equal(a->pins[GFN_ARRAY + 1], 0);
	assert_int_equal(a->pins[GFN_SHARED], 1);
	assert_int_equal(hv_evtchn_bound_ports(a->d), 0);
	assert_still_2l(a);
	/* 2-level again: ports beyond 4095 are gone, 1400 is closed. */
	assert_int_equal(port_status(a, 1400, NULL), EVTCHNSTAT_closed);
	p = bind_ipi(a, 0);
	assert_int_equal(p, 1);
	send_port(a, p);
	assert_true(l2_pending(a, p));
	/* And FIFO can start over. */
	memset(&a->array, 0, sizeof(a->array));
	setup_fifo(a, 1);
	assert_int_equal(hv_evtchn_guest_fifo_unmask(&a->gfifo[0], p), 0);
	clear_seen(a);
	assert_int_equal(drain_fifo(a, 0), 1);
	assert_int_equal(a->seen[0], p);
}

/*
 * After a reset from FIFO with more ports than 2-level has, the buckets
 * above 4,095 remain: only the ABI's limit keeps those ports invalid
 * (-EINVAL, not a closed port, and an unmask never reaches past the
 * 2-level bitmaps).
 */
static void reset_invalidates_ports_past_2l(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	struct evtchn_reset r = {.dom = DOMID_SELF};
	uint32_t last = EVTCHN_2L_NR_CHANNELS - 1;

	setup_fifo(a, 5);
	for (uint32_t i = 1; i <= last + 64; i++)
		assert_int_equal(bind_live_ipi(a, 0), i);
	assert_int_equal(guest_op(a, EVTCHNOP_reset, &r), 0);
	assert_still_2l(a);
	for (uint32_t port = last; port <= last + 64; port++) {
		struct evtchn_status st = {.dom = DOMID_SELF, .port = port};
		struct evtchn_unmask um = {.port = port};
		int want = port > last ? -HV_EINVAL : 0;

		assert_int_equal(guest_op(a, EVTCHNOP_status, &st), want);
		assert_int_equal(guest_op(a, EVTCHNOP_unmask, &um), want);
	}
}

/* A guest must not unmask a BUSY word: the hypervisor is linking to it. */
struct busy_unmask {
	struct hv_evtchn_guest_fifo *g;
	evtchn_port_t port;
	int done;
};

static void *unmask_thread(void *arg)
{
	struct busy_unmask *b = arg;

	assert_int_equal(hv_evtchn_guest_fifo_unmask(b->g, b->port), 0);
	__atomic_store_n(&b->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void guest_unmask_waits_for_busy(void **state)
{
	struct fake_dom *a = dom(*state, 0);
	struct busy_unmask b;
	pthread_t t;
	event_word_t *word;

	setup_fifo(a, 1);
	b.g = &a->gfifo[0];
	b.port = bind_ipi(a, 0);
	b.done = 0;
	word = fifo_word(a, b.port);
	__atomic_store_n(word, W_MASKED | W_BUSY | W_LINKED, __ATOMIC_SEQ_CST);
	assert_int_equal(pthread_create(&t, NULL, unmask_thread, &b), 0);
	for (int i = 0; i < 1000; i++) {
		sched_yield();
		assert_true(__atomic_load_n(word, __ATOMIC_SEQ_CST) & W_MASKED);
	}
	__atomic_fetch_and(word, ~W_BUSY, __ATOMIC_SEQ_CST);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(b.done, 1);
	assert_int_equal(*word, W_LINKED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(init_control_errors, setup,
					    teardown),
	    cmocka_unit_test(fifo_ops_without_fifo_abi),
	    cmocka_unit_test_setup_teardown(expand_array_errors, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(guest_expand_failure_keeps_array,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(set_priority_errors, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(all_131071_ports, setup, teardown),
	    cmocka_unit_test_setup_teardown(priority_then_fifo_order, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(higher_priority_overtakes, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(raised_while_linked_is_queued_once,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(masked_event_waits_for_unmask,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(
		pending_state_survives_until_the_word_exists, setup, teardown),
	    cmocka_unit_test(fifo_only_domain),
	    cmocka_unit_test_setup_teardown(moved_port_leaves_old_queue, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(
		priority_change_applies_to_later_events, setup, teardown),
	    cmocka_unit_test_setup_teardown(close_while_pending, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(
		upcall_only_when_a_queue_becomes_ready, setup, teardown),
	    cmocka_unit_test_setup_teardown(vcpu_without_control_block, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(reset_returns_to_2l, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(reset_invalidates_ports_past_2l,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(guest_unmask_waits_for_busy, setup,
					    teardown),
	};
	return cmocka_run_group_tests_name("evtchn-fifo", tests, NULL, NULL);
}
