/*
 * The port space against a model: random op sequences from a seeded PRNG
 * (alloc_unbound, bind_interdomain, bind_virq, bind_ipi, bind_pirq, close,
 * send, status, bind_vcpu, unmask, set_priority, reset, the switch to FIFO
 * and expand_array), issued by three domains of two vCPUs through the
 * guest's hypercall path, each checked against a plain model of which ports
 * exist, their state, binding and vCPU: the op's result and port, then the
 * status of every port it touched, and now and then of every port of every
 * domain.  Domain 0 is privileged and names the others; domain 2 has
 * max_port 100.  docs/evtchn.md gives the rules the model follows.
 *
 * The guest drains its FIFO queues after every op, so that no closed port
 * is still linked (and kept from reuse) when the next op allocates.
 */
#include "harness.h"
#include "../model_rng.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define DOMS	     3
#define VCPUS	     2
#define PIRQS	     4
#define DOM2_MAX     100   /* domain 2's max_port */
#define MODEL_PORTS  16384 /* more than any sequence here binds */
#define BUCKET	     64	   /* ports per bucket: validity grows by these */
#define PORTS_2L     4096u
#define PORTS_FIFO   131072u
#define SWEEP_EVERY  250 /* ops between full status checks */
#define BAD_DOMID    7	 /* no such domain */
#define OPS_PER_SEED 3000
#define SEEDS	     5

enum mstate { M_CLOSED, M_UNBOUND, M_INTER, M_VIRQ, M_IPI, M_PIRQ };

struct mport {
	enum mstate state;
	uint32_t vcpu;
	uint16_t dom;  /* unbound: offered to; interdomain: the peer */
	uint32_t arg;  /* interdomain: peer port; VIRQ, PIRQ: its number */
	uint32_t slot; /* VIRQ: the vCPU whose table holds it */
};

struct mdom {
	bool priv, fifo;
	unsigned int max_port, pages;
	uint32_t valid; /* ports with a bucket */
	uint32_t virq[VCPUS][NR_VIRQS];
	uint32_t pirq[PIRQS];
	struct mport port[MODEL_PORTS];
};

struct model {
	struct world *w;
	struct mdom d[DOMS];
	uint64_t rng;
};

static uint32_t rnd(struct model *m, uint32_t n)
{
	return model_rng(&m->rng, n);
}

static uint32_t abi_ports(const struct mdom *d)
{
	return d->fifo ? PORTS_FIFO : PORTS_2L;
}

static uint32_t limit(const struct mdom *d)
{
	uint32_t l = abi_ports(d);

	return d->max_port && d->max_port < l - 1 ? d->max_port + 1 : l;
}

static bool valid(const struct mdom *d, uint32_t port)
{
	return port < d->valid && port < abi_ports(d);
}

/* The lowest free port, or -HV_ENOSPC. */
static int find_free(const struct mdom *d)
{
	uint32_t lim = limit(d), v = d->valid < lim ? d->valid : lim;

	for (uint32_t p = 1; p < v; p++)
		if (d->port[p].state == M_CLOSED)
			return (int)p;
	return v < lim ? (int)v : -HV_ENOSPC;
}

static struct mport *claim(struct mdom *d, uint32_t p, enum mstate s,
			   uint32_t vcpu)
{
	if (p >= d->valid)
		d->valid += BUCKET;
	assert_true(d->valid <= MODEL_PORTS);
	d->port[p] = (struct mport){.state = s, .vcpu = vcpu};
	return &d->port[p];
}

static bool global_virq(uint32_t virq)
{
	return virq != VIRQ_TIMER && virq != VIRQ_DEBUG &&
	       virq != VIRQ_XENOPROF && virq != VIRQ_XENPMU;
}

/* Close port p of domain i as the library does; 0 or -HV_EINVAL. */
static int model_close(struct model *m, unsigned int i, uint32_t p)
{
	struct mdom *d = &m->d[i];
	struct mport *c = &d->port[p];

	if (!valid(d, p) || p == 0 || c->state == M_CLOSED)
		return -HV_EINVAL;
	if (c->state == M_VIRQ)
		d->virq[c->slot][c->arg] = 0;
	if (c->state == M_PIRQ)
		d->pirq[c->arg] = 0;
	if (c->state == M_INTER) {
		struct mport *peer = &m->d[c->dom].port[c->arg];

		peer->state = M_UNBOUND;
		peer->dom = (uint16_t)i;
		peer->arg = 0;
	}
	*c = (struct mport){0};
	return 0;
}

static void check_status(struct model *m, unsigned int i, uint32_t p)
{
	const struct mdom *d = &m->d[i];
	struct evtchn_status st = {.dom = DOMID_SELF, .port = p};
	static const uint32_t want_status[] = {
	    [M_CLOSED] = EVTCHNSTAT_closed,
	    [M_UNBOUND] = EVTCHNSTAT_unbound,
	    [M_INTER] = EVTCHNSTAT_interdomain,
	    [M_VIRQ] = EVTCHNSTAT_virq,
	    [M_IPI] = EVTCHNSTAT_ipi,
	    [M_PIRQ] = EVTCHNSTAT_pirq,
	};
	const struct mport *c;
	int rc = guest_op(dom(m->w, i), EVTCHNOP_status, &st);

	if (!valid(d, p)) {
		if (rc != -HV_EINVAL)
			fail_msg("d%u port %u: status %d, want -EINVAL", i, p,
				 rc);
		return;
	}
	c = &d->port[p];
	if (rc != 0 || st.status != want_status[c->state] || st.vcpu != c->vcpu)
		fail_msg("d%u port %u: status %d, state %u vcpu %u; model "
			 "state %u vcpu %u",
			 i, p, rc, st.status, st.vcpu, want_status[c->state],
			 c->vcpu);
	if (c->state == M_UNBOUND)
		assert_int_equal(st.u.unbound.dom, c->dom);
	if (c->state == M_INTER) {
		assert_int_equal(st.u.interdomain.dom, c->dom);
		assert_int_equal(st.u.interdomain.port, c->arg);
	}
	if (c->state == M_VIRQ)
		assert_int_equal(st.u.virq, c->arg);
	if (c->state == M_PIRQ)
		assert_int_equal(st.u.pirq, c->arg);
}

static void sweep(struct model *m)
{
	for (unsigned int i = 0; i < DOMS; i++) {
		unsigned int bound = 0;

		for (uint32_t p = 0; p < m->d[i].valid + BUCKET; p++) {
			check_status(m, i, p);
			bound += p && p < MODEL_PORTS &&
				 m->d[i].port[p].state != M_CLOSED;
		}
		assert_int_equal(hv_evtchn_bound_ports(hd(m->w, i)), bound);
	}
}

/* A port worth naming: mostly one the domain has, sometimes any. */
static uint32_t some_port(struct model *m, unsigned int i)
{
	uint32_t v = m->d[i].valid;

	if (rnd(m, 8) == 0)
		return rnd(m, v + 2 * BUCKET);
	return rnd(m, v < MODEL_PORTS ? v : MODEL_PORTS);
}

static uint16_t some_domid(struct model *m, unsigned int self)
{
	switch (rnd(m, 6)) {
	case 0:
		return DOMID_SELF;
	case 1:
		return BAD_DOMID;
	case 2:
		return (uint16_t)self;
	default:
		return (uint16_t)rnd(m, DOMS);
	}
}

static unsigned int target(uint16_t domid, unsigned int self)
{
	return domid == DOMID_SELF ? self : domid;
}

/* A bind's result against the model's: true if it bound port `want`. */
static bool bound(int rc, int want, evtchn_port_t port)
{
	assert_int_equal(rc, want < 0 ? want : 0);
	if (want < 0)
		return false;
	assert_int_equal(port, want);
	return true;
}

static void op_alloc_unbound(struct model *m, unsigned int i)
{
	struct evtchn_alloc_unbound op = {
	    .dom = rnd(m, 4) ? DOMID_SELF : some_domid(m, i),
	    .remote_dom = some_domid(m, i),
	};
	unsigned int t = target(op.dom, i);
	int want, rc;

	if (t >= DOMS) {
		want = -HV_ESRCH;
	} else {
		want = find_free(&m->d[t]);
		if (want > 0 && t != i && !m->d[i].priv)
			want = -HV_EPERM;
	}
	rc = guest_op(dom(m->w, i), EVTCHNOP_alloc_unbound, &op);
	if (!bound(rc, want, op.port))
		return;
	claim(&m->d[t], op.port, M_UNBOUND, 0)->dom =
	    op.remote_dom == DOMID_SELF ? (uint16_t)i : op.remote_dom;
	check_status(m, t, op.port);
}

/* A port of some domain offered to domain i, if the dice find one. */
static bool offered(struct model *m, unsigned int i, unsigned int *r,
		    uint32_t *rp)
{
	for (int tries = 0; tries < 8; tries++) {
		*r = rnd(m, DOMS);
		*rp = some_port(m, *r);
		if (*rp < MODEL_PORTS && valid(&m->d[*r], *rp) &&
		    m->d[*r].port[*rp].state == M_UNBOUND &&
		    m->d[*r].port[*rp].dom == i)
			return true;
	}
	return false;
}

static void op_bind_interdomain(struct model *m, unsigned int i)
{
	struct evtchn_bind_interdomain op;
	struct mport *l, *p;
	unsigned int r;
	uint32_t rp;
	int want, rc;

	if (offered(m, i, &r, &rp)) {
		op = (struct evtchn_bind_interdomain){
		    .remote_dom = r == i && rnd(m, 2) ? DOMID_SELF : r,
		    .remote_port = rp};
	} else {
		op = (struct evtchn_bind_interdomain){
		    .remote_dom = some_domid(m, i),
		    .remote_port = some_port(m, i)};
	}
	r = target(op.remote_dom, i);
	rp = op.remote_port;
	if (r >= DOMS) {
		want = -HV_ESRCH;
	} else {
		struct mdom *rd = &m->d[r];

		want = find_free(&m->d[i]);
		if (want > 0 &&
		    !(rp < MODEL_PORTS && valid(rd, rp) &&
		      rd->port[rp].state == M_UNBOUND && rd->port[rp].dom == i))
			want = -HV_EINVAL;
	}
	rc = guest_op(dom(m->w, i), EVTCHNOP_bind_interdomain, &op);
	if (!bound(rc, want, op.local_port))
		return;
	l = claim(&m->d[i], op.local_port, M_INTER, 0);
	l->dom = (uint16_t)r;
	l->arg = rp;
	p = &m->d[r].port[rp];
	p->state = M_INTER;
	p->dom = (uint16_t)i;
	p->arg = op.local_port;
	check_status(m, i, op.local_port);
	check_status(m, r, rp);
}

static void op_bind_virq(struct model *m, unsigned int i)
{
	struct evtchn_bind_virq op = {.virq = rnd(m, NR_VIRQS + 2),
				      .vcpu =
					  rnd(m, 4) ? 0 : rnd(m, VCPUS + 1)};
	struct mdom *d = &m->d[i];
	struct mport *c;
	int want, rc;

	if (op.virq >= NR_VIRQS || (global_virq(op.virq) && op.vcpu != 0))
		want = -HV_EINVAL;
	else if (op.vcpu >= VCPUS)
		want = -HV_ENOENT;
	else if (d->virq[op.vcpu][op.virq])
		want = -HV_EEXIST;
	else
		want = find_free(d);
	rc = guest_op(dom(m->w, i), EVTCHNOP_bind_virq, &op);
	if (!bound(rc, want, op.port))
		return;
	c = claim(d, op.port, M_VIRQ, op.vcpu);
	c->arg = op.virq;
	c->slot = op.vcpu;
	d->virq[op.vcpu][op.virq] = op.port;
	check_status(m, i, op.port);
}

static void op_bind_ipi(struct model *m, unsigned int i, unsigned int n)
{
	for (unsigned int k = 0; k < n; k++) {
		struct evtchn_bind_ipi op = {.vcpu = rnd(m, 8) ? rnd(m, VCPUS)
							       : VCPUS};
		int want = op.vcpu >= VCPUS ? -HV_ENOENT : find_free(&m->d[i]);
		int rc = guest_op(dom(m->w, i), EVTCHNOP_bind_ipi, &op);

		if (bound(rc, want, op.port))
			claim(&m->d[i], op.port, M_IPI, op.vcpu);
	}
}

static void op_bind_pirq(struct model *m, unsigned int i)
{
	struct evtchn_bind_pirq op = {.pirq = rnd(m, PIRQS + 1)};
	struct mdom *d = &m->d[i];
	int want, rc;

	if (op.pirq >= PIRQS)
		want = -HV_EINVAL;
	else if (d->pirq[op.pirq])
		want = -HV_EEXIST;
	else
		want = find_free(d);
	rc = guest_op(dom(m->w, i), EVTCHNOP_bind_pirq, &op);
	if (!bound(rc, want, op.port))
		return;
	claim(d, op.port, M_PIRQ, 0)->arg = op.pirq;
	d->pirq[op.pirq] = op.port;
	check_status(m, i, op.port);
}

static void op_close(struct model *m, unsigned int i)
{
	struct evtchn_close op = {.port = some_port(m, i)};
	const struct mport *c = &m->d[i].port[op.port % MODEL_PORTS];
	unsigned int peer = c->dom;
	uint32_t peer_port = c->arg;
	bool inter = valid(&m->d[i], op.port) && c->state == M_INTER;

	assert_int_equal(guest_op(dom(m->w, i), EVTCHNOP_close, &op),
			 model_close(m, i, op.port));
	check_status(m, i, op.port);
	if (inter)
		check_status(m, peer, peer_port);
}

static void op_send(struct model *m, unsigned int i)
{
	struct evtchn_send op = {.port = some_port(m, i)};
	const struct mdom *d = &m->d[i];
	enum mstate s = d->port[op.port % MODEL_PORTS].state;
	int want =
	    valid(d, op.port) && (s == M_UNBOUND || s == M_INTER || s == M_IPI)
		? 0
		: -HV_EINVAL;

	assert_int_equal(guest_op(dom(m->w, i), EVTCHNOP_send, &op), want);
}

static void op_status(struct model *m, unsigned int i)
{
	struct evtchn_status op = {.dom = some_domid(m, i)};
	unsigned int t = target(op.dom, i);
	int want;

	op.port = t < DOMS ? some_port(m, t) : 1;
	if (t >= DOMS)
		want = -HV_ESRCH;
	else if (!valid(&m->d[t], op.port))
		want = -HV_EINVAL;
	else
		want = t != i && !m->d[i].priv ? -HV_EPERM : 0;
	assert_int_equal(guest_op(dom(m->w, i), EVTCHNOP_status, &op), want);
	if (want == 0)
		check_status(m, t, op.port);
}

static void op_bind_vcpu(struct model *m, unsigned int i)
{
	struct evtchn_bind_vcpu op = {.port = some_port(m, i),
				      .vcpu = rnd(m, VCPUS + 1)};
	struct mdom *d = &m->d[i];
	struct mport *c = &d->port[op.port % MODEL_PORTS];
	bool movable = c->state == M_UNBOUND || c->state == M_INTER ||
		       c->state == M_PIRQ ||
		       (c->state == M_VIRQ && global_virq(c->arg));
	int want;

	if (op.vcpu >= VCPUS)
		want = -HV_ENOENT;
	else
		want = valid(d, op.port) && movable ? 0 : -HV_EINVAL;
	assert_int_equal(guest_op(dom(m->w, i), EVTCHNOP_bind_vcpu, &op), want);
	if (want == 0) {
		c->vcpu = op.vcpu;
		check_status(m, i, op.port);
	}
}

static void op_unmask(struct model *m, unsigned int i)
{
	struct evtchn_unmask op = {.port = some_port(m, i)};

	assert_int_equal(guest_op(dom(m->w, i), EVTCHNOP_unmask, &op),
			 valid(&m->d[i], op.port) ? 0 : -HV_EINVAL);
}

static void op_set_priority(struct model *m, unsigned int i)
{
	struct evtchn_set_priority op = {.port = some_port(m, i),
					 .priority = rnd(m, 18)};
	const struct mdom *d = &m->d[i];
	int want;

	if (!valid(d, op.port))
		want = -HV_EINVAL;
	else if (!d->fifo)
		want = -HV_ENOSYS;
	else if (d->port[op.port].state == M_CLOSED || op.port == 0)
		want = -HV_EACCES;
	else
		want = op.priority > EVTCHN_FIFO_PRIORITY_MIN ? -HV_EINVAL : 0;
	assert_int_equal(guest_op(dom(m->w, i), EVTCHNOP_set_priority, &op),
			 want);
}

static void op_reset(struct model *m, unsigned int i)
{
	struct evtchn_reset op = {.dom = rnd(m, 3) ? DOMID_SELF
						   : some_domid(m, i)};
	unsigned int t = target(op.dom, i);
	int want = t >= DOMS		     ? -HV_ESRCH
		   : t != i && !m->d[i].priv ? -HV_EPERM
					     : 0;

	assert_int_equal(guest_op(dom(m->w, i), EVTCHNOP_reset, &op), want);
	if (want)
		return;
	for (uint32_t p = 1; p < m->d[t].valid && p < MODEL_PORTS; p++)
		if (m->d[t].port[p].state != M_CLOSED)
			assert_int_equal(model_close(m, t, p), 0);
	m->d[t].fifo = false;
	m->d[t].pages = 0;
	sweep(m);
}

/* The guest switches to FIFO with every vCPU and one array page, or
 * (already on FIFO) gives another page. */
static void op_fifo(struct model *m, unsigned int i)
{
	struct fake_dom *fd = dom(m->w, i);
	struct mdom *d = &m->d[i];

	if (!d->fifo) {
		/* A fresh array, as a guest brings after a reset. */
		memset(guest_page(fd, GFN_CB), 0, PAGE);
		memset(guest_page(fd, GFN_ARRAY), 0, ARRAY_PAGES * PAGE);
		memset(&fd->array, 0, sizeof(fd->array));
		setup_fifo(fd, 1);
		d->fifo = true;
		d->pages = 1;
		sweep(m);
		return;
	}
	assert_int_equal(hv_evtchn_guest_fifo_expand(
			     &fd->array, guest_page(fd, GFN_ARRAY + d->pages),
			     GFN_ARRAY + d->pages, &fd->gops),
			 0);
	d->pages++;
}

static void drain(struct model *m)
{
	for (unsigned int i = 0; i < DOMS; i++) {
		if (!m->d[i].fifo)
			continue;
		for (unsigned int v = 0; v < VCPUS; v++)
			drain_fifo(dom(m->w, i), v);
		clear_seen(dom(m->w, i));
	}
}

enum op {
	OP_ALLOC_UNBOUND,
	OP_BIND_INTERDOMAIN,
	OP_BIND_VIRQ,
	OP_BIND_IPI,
	OP_BIND_PIRQ,
	OP_CLOSE,
	OP_SEND,
	OP_STATUS,
	OP_BIND_VCPU,
	OP_UNMASK,
	OP_SET_PRIORITY,
	OP_RESET,
	OP_FIFO,
	OP_BULK, /* many IPIs at once: past 2-level's 4,095 ports on FIFO */
	OP_COUNT,
};

/* How often each op comes, out of the sum. */
static const unsigned int weight[OP_COUNT] = {
    [OP_ALLOC_UNBOUND] = 8, [OP_BIND_INTERDOMAIN] = 10,
    [OP_BIND_VIRQ] = 4,	    [OP_BIND_IPI] = 6,
    [OP_BIND_PIRQ] = 2,	    [OP_CLOSE] = 18,
    [OP_SEND] = 6,	    [OP_STATUS] = 6,
    [OP_BIND_VCPU] = 4,	    [OP_UNMASK] = 2,
    [OP_SET_PRIORITY] = 4,  [OP_RESET] = 1,
    [OP_FIFO] = 3,	    [OP_BULK] = 1,
};

static enum op pick(struct model *m)
{
	unsigned int sum = 0, r;

	for (int k = 0; k < OP_COUNT; k++)
		sum += weight[k];
	r = rnd(m, sum);
	for (int k = 0;; k++) {
		if (r < weight[k])
			return (enum op)k;
		r -= weight[k];
	}
}

static void one_op(struct model *m)
{
	unsigned int i = rnd(m, DOMS);
	struct mdom *d = &m->d[i];

	switch (pick(m)) {
	case OP_ALLOC_UNBOUND:
		op_alloc_unbound(m, i);
		break;
	case OP_BIND_INTERDOMAIN:
		op_bind_interdomain(m, i);
		break;
	case OP_BIND_VIRQ:
		op_bind_virq(m, i);
		break;
	case OP_BIND_IPI:
		op_bind_ipi(m, i, 1);
		break;
	case OP_BIND_PIRQ:
		op_bind_pirq(m, i);
		break;
	case OP_CLOSE:
		op_close(m, i);
		break;
	case OP_SEND:
		op_send(m, i);
		break;
	case OP_STATUS:
		op_status(m, i);
		break;
	case OP_BIND_VCPU:
		op_bind_vcpu(m, i);
		break;
	case OP_UNMASK:
		op_unmask(m, i);
		break;
	case OP_SET_PRIORITY:
		op_set_priority(m, i);
		break;
	case OP_RESET:
		op_reset(m, i);
		break;
	case OP_FIFO:
		if (!d->fifo || d->pages < ARRAY_PAGES)
			op_fifo(m, i);
		break;
	case OP_BULK:
		if (d->valid < MODEL_PORTS / 2)
			op_bind_ipi(m, i, 1 + rnd(m, d->fifo ? 5000 : 500));
		break;
	case OP_COUNT:
		break;
	}
	drain(m);
}

static void run_seed(uint64_t seed)
{
	struct dom_opts o[DOMS] = {
	    {.nr_vcpus = VCPUS, .nr_pirqs = PIRQS, .privileged = true},
	    {.nr_vcpus = VCPUS, .nr_pirqs = PIRQS},
	    {.nr_vcpus = VCPUS, .nr_pirqs = PIRQS, .max_port = DOM2_MAX},
	};
	struct model *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	m->w = world_new_each(DOMS, o);
	m->rng = model_rng_seed(seed);
	for (unsigned int i = 0; i < DOMS; i++) {
		m->d[i].priv = o[i].privileged;
		m->d[i].max_port = o[i].max_port;
		m->d[i].valid = BUCKET; /* port 0's bucket, at creation */
	}
	for (unsigned int n = 0; n < OPS_PER_SEED; n++) {
		one_op(m);
		if (n % SWEEP_EVERY == 0)
			sweep(m);
	}
	sweep(m);
	world_free(m->w);
	free(m);
}

static void port_space_follows_the_model(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= SEEDS; seed++)
		run_seed(seed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(port_space_follows_the_model),
	};
	return cmocka_run_group_tests_name("evtchn-model", tests, NULL, NULL);
}
