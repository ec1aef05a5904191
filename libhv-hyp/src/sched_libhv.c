/*
 * A libhv-sched policy as the core's scheduler: one pool over every pCPU,
 * a libhv-sched domain per domain (with the weight and cap its
 * configuration gives) and a unit per vCPU.  vCPU state changes become
 * wake, sleep and block; the decision is hv_sched_do_schedule.  An image
 * names it as HV_HYP_LIBHV_SCHEDULER(&hv_sched_credit2) and links only
 * that policy; images on the round-robin link none of this file.
 */
#include <hv/hyp.h>
#include <hv/sched.h>

#include "hyp_priv.h"

struct libhv_state {
	struct hv_sched sched;
	struct hv_sched_pool pool;
	struct hv_sched_pcpu pcpus[HV_HYP_MAX_PCPUS];
};

/* A unit, and the vCPU it stands for. */
struct libhv_unit {
	struct hv_sched_unit unit;
	struct hv_hyp_vcpu *vcpu;
};

struct libhv_domain {
	struct hv_sched_dom dom;
	size_t size;
	struct libhv_unit units[];
};

static struct libhv_state *state(struct hv_hyp *h)
{
	return h->sched_state;
}

static struct hv_sched_unit *unit_of(struct hv_hyp_vcpu *v)
{
	return &((struct libhv_unit *)v->sched)->unit;
}

/* The policy wants a decision on `cpu` soon. */
static void kick(void *opaque, unsigned int cpu)
{
	struct hv_hyp *h = opaque;

	hyp_pcpu_resched(h, &h->pcpus[cpu]);
}

int hv_hyp_libhv_init(struct hv_hyp *h)
{
	struct hv_sched_ops ops = {.kick = kick, .opaque = h, .log = &h->log};
	struct libhv_state *st = hv_hyp_alloc(h, sizeof(*st));
	int err;

	if (!st)
		return -HV_ENOMEM;
	h->sched_state = st;
	err = hv_sched_init(&st->sched, st->pcpus, h->nr_pcpus, &ops);
	err = err ? err
		  : hv_sched_pool_init(&st->sched, &st->pool, h->sched->policy);
	for (unsigned int i = 0; i < h->nr_pcpus && !err; i++)
		err = hv_sched_pool_add_cpu(&st->pool, i);
	if (!err)
		hv_log_info(&h->log, "scheduler: libhv-sched %s",
			    hv_sched_pool_policy_name(&st->pool));
	return err;
}

void hv_hyp_libhv_fini(struct hv_hyp *h)
{
	struct libhv_state *st = state(h);

	for (unsigned int i = 0; i < h->nr_pcpus; i++)
		hv_sched_pool_remove_cpu(&st->pool, i);
	hv_sched_pool_destroy(&st->pool);
	hv_hyp_free(h, st, sizeof(*st));
	h->sched_state = NULL;
}

static void domain_free(struct hv_hyp_domain *d, unsigned int nr_units)
{
	struct libhv_domain *ld = d->sched;

	for (unsigned int i = 0; i < nr_units; i++)
		hv_sched_unit_destroy(&ld->units[i].unit);
	hv_sched_dom_destroy(&ld->dom);
	d->sched = NULL;
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		d->vcpus[i].sched = NULL;
	hv_hyp_free(d->hyp, ld, ld->size);
}

int hv_hyp_libhv_domain_add(struct hv_hyp_domain *d,
			    const struct hv_boot_domain *cfg)
{
	size_t size = sizeof(struct libhv_domain) +
		      d->nr_vcpus * sizeof(struct libhv_unit);
	struct libhv_domain *ld = hv_hyp_alloc(d->hyp, size);
	struct hv_sched_cpumask hard;
	struct hv_sched_params p;
	unsigned int i;
	int err;

	if (!ld)
		return -HV_ENOMEM;
	ld->size = size;
	err = hv_sched_dom_init(&state(d->hyp)->pool, &ld->dom, d->xen.id);
	if (err) {
		hv_hyp_free(d->hyp, ld, size);
		return err;
	}
	d->sched = ld;
	hv_sched_params_default(&p);
	if (cfg->weight)
		p.weight = cfg->weight;
	p.cap = cfg->cap;
	err = hv_sched_dom_set_params(&ld->dom, &p);
	hv_sched_cpumask_zero(&hard);
	for (i = 0; i < d->hyp->nr_pcpus; i++)
		if (hv_bitmap_test(d->cpus, i))
			hv_sched_cpumask_set(&hard, i);
	for (i = 0; i < d->nr_vcpus && !err; i++) {
		ld->units[i].vcpu = &d->vcpus[i];
		err = hv_sched_unit_init(&ld->dom, &ld->units[i].unit, i);
		if (err)
			break;
		d->vcpus[i].sched = &ld->units[i];
	}
	/* Asleep still: each is placed within its pCPUs when it wakes. */
	for (unsigned int j = 0; j < i && !err; j++)
		err = hv_sched_unit_set_affinity(&ld->units[j].unit, &hard,
						 NULL, hyp_now(d->hyp));
	if (err)
		domain_free(d, i); /* units [0, i) exist */
	return err;
}

void hv_hyp_libhv_domain_remove(struct hv_hyp_domain *d)
{
	domain_free(d, d->nr_vcpus);
}

struct hv_hyp_vcpu *hv_hyp_libhv_pick(struct hv_hyp_pcpu *p, hv_time_t now,
				      hv_time_t *until)
{
	struct hv_sched_decision dec;

	if (hv_sched_do_schedule(&state(p->hyp)->sched, p->id, now, &dec))
		return NULL;
	*until = dec.until;
	if (!dec.unit)
		return NULL;
	return hv_container_of(dec.unit, struct libhv_unit, unit)->vcpu;
}

void hv_hyp_libhv_state_changed(struct hv_hyp_vcpu *v)
{
	hv_time_t now = hyp_now(v->dom->hyp);
	struct hv_sched_unit *u;

	if (!v->sched)
		return; /* not yet added */
	u = unit_of(v);
	if (v->state == HV_HYP_VCPU_RUNNABLE)
		hv_sched_wake(u, now);
	else if (v->state == HV_HYP_VCPU_BLOCKED &&
		 hv_sched_unit_state(u) == HV_SCHED_UNIT_RUNNING)
		hv_sched_block(u, now);
	else
		hv_sched_sleep(u, now);
}

void hv_hyp_libhv_yield(struct hv_hyp_vcpu *v)
{
	hv_sched_yield(unit_of(v), hyp_now(v->dom->hyp));
}
