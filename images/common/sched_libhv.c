/*
 * A libhv-sched policy as the glue's scheduler: one pool on the one pCPU,
 * a libhv-sched domain per domain (with the weight and cap its
 * configuration gives) and a unit per vCPU.  vCPU state changes become
 * wake, sleep and block; the decision is hv_sched_do_schedule.  A recipe
 * names it as HYP_LIBHV_SCHEDULER(&hv_sched_credit2) and links only that
 * policy.  Its state comes from the heap, so recipes that run the glue's
 * round-robin carry none of it.
 */
#include "hyp_common.h"

#include <hv/sched.h>

struct libhv_state {
	struct hv_sched sched;
	struct hv_sched_pcpu pcpu; /* the one pCPU: 0 */
	struct hv_sched_pool pool;
	struct hv_sched_dom doms[HYP_MAX_DOMAINS];
	struct hv_sched_unit units[HYP_MAX_DOMAINS][HYP_MAX_VCPUS];
	bool added[HYP_MAX_DOMAINS]; /* its units exist */
};

static struct libhv_state *state(struct hyp *h)
{
	return h->sched_state;
}

static struct hv_sched_unit *unit_of(struct hyp *h, const struct vcpu *v)
{
	return &state(h)->units[v->dom->xen.id][v->id];
}

/*
 * The policy wants a decision soon.  With one pCPU, a kick only ever comes
 * while the hypervisor handles an exit (or builds domains, before the run
 * loop), so leaving the running vCPU at the end of this exit is enough.
 */
static void kick(void *opaque, unsigned int cpu)
{
	(void)cpu;
	((struct hyp *)opaque)->resched = true;
}

int hyp_libhv_init(const struct hyp_scheduler *s, struct hyp *h)
{
	struct hv_sched_ops ops = {.kick = kick, .opaque = h, .log = &h->log};
	struct libhv_state *st = hyp_alloc_bytes(h, sizeof(*st));
	int err;

	if (!st)
		return -HV_ENOMEM;
	h->sched_state = st;
	err = hv_sched_init(&st->sched, &st->pcpu, 1, &ops);
	err = err ? err : hv_sched_pool_init(&st->sched, &st->pool, s->policy);
	err = err ? err : hv_sched_pool_add_cpu(&st->pool, 0);
	if (!err)
		hv_log_info(&h->log, "scheduler: libhv-sched %s",
			    hv_sched_pool_policy_name(&st->pool));
	return err;
}

int hyp_libhv_domain_add(struct hyp *h, struct domain *d,
			 const struct hv_boot_domain *cfg)
{
	struct libhv_state *st = state(h);
	hv_domid_t id = d->xen.id;
	struct hv_sched_params p;
	int err = hv_sched_dom_init(&st->pool, &st->doms[id], id);

	hv_sched_params_default(&p);
	if (cfg->weight)
		p.weight = cfg->weight;
	p.cap = cfg->cap;
	err = err ? err : hv_sched_dom_set_params(&st->doms[id], &p);
	for (unsigned int i = 0; i < d->nr_vcpus && !err; i++)
		err = hv_sched_unit_init(&st->doms[id], &st->units[id][i], i);
	if (err)
		return err;
	st->added[id] = true;
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		if (d->vcpus[i].state == VCPU_RUNNABLE)
			hv_sched_wake(&st->units[id][i], hyp_arch_now(h));
	return 0;
}

struct vcpu *hyp_libhv_pick(struct hyp *h, hv_time_t now, hv_time_t *until)
{
	struct libhv_state *st = state(h);
	struct hv_sched_decision dec;
	size_t slot, d, i;

	if (hv_sched_do_schedule(&st->sched, 0, now, &dec) || !dec.unit)
		return NULL;
	*until = dec.until;
	/* units[domain][vcpu]: the unit's place names its vCPU. */
	slot = (size_t)(dec.unit - &st->units[0][0]);
	d = slot / HYP_MAX_VCPUS;
	i = slot % HYP_MAX_VCPUS;
	if (slot < HYP_MAX_DOMAINS * HYP_MAX_VCPUS && d < h->nr_domains &&
	    i < h->domains[d].nr_vcpus)
		return &h->domains[d].vcpus[i];
	hyp_panic(h, "libhv-sched chose a unit the glue does not know");
}

void hyp_libhv_state_changed(struct hyp *h, struct vcpu *v, enum vcpu_state was)
{
	struct hv_sched_unit *u;
	hv_time_t now = hyp_arch_now(h);

	(void)was;
	if (!state(h)->added[v->dom->xen.id])
		return; /* still being built: domain_add reads its states */
	u = unit_of(h, v);
	if (v->state == VCPU_RUNNABLE)
		hv_sched_wake(u, now);
	else if (v->state == VCPU_BLOCKED &&
		 hv_sched_unit_state(u) == HV_SCHED_UNIT_RUNNING)
		hv_sched_block(u, now);
	else
		hv_sched_sleep(u, now);
}

void hyp_libhv_yield(struct hyp *h, struct vcpu *v)
{
	hv_sched_yield(unit_of(h, v), hyp_arch_now(h));
}
