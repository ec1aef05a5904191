/*
 * Domains: membership of a pool, parameters, and moving between pools.
 */
#include "internal.h"

void hv_sched_params_default(struct hv_sched_params *p)
{
	p->weight = HV_SCHED_DEFAULT_WEIGHT;
	p->cap = 0;
	p->period = HV_MSEC(10);
	p->budget = HV_MSEC(4);
}

int hv_sched_dom_init(struct hv_sched_pool *pool, struct hv_sched_dom *d,
		      hv_domid_t domid)
{
	int rc = 0;

	if (!pool || !pool->policy || !d)
		return -HV_EINVAL;
	hv_spin_lock(&pool->lock);
	if (sched_pool_has_domid(pool, domid)) {
		rc = -HV_EEXIST;
	} else {
		memset(d, 0, sizeof(*d));
		d->pool = pool;
		d->domid = domid;
		hv_list_init(&d->units);
		hv_list_add_tail(&pool->doms, &d->pool_node);
		if (pool->policy->dom_init)
			pool->policy->dom_init(pool, d);
	}
	hv_spin_unlock(&pool->lock);
	return rc;
}

int hv_sched_dom_destroy(struct hv_sched_dom *d)
{
	struct hv_sched_pool *pool;
	int rc = 0;

	if (!d || !d->pool)
		return -HV_EINVAL;
	pool = d->pool;
	hv_spin_lock(&pool->lock);
	if (d->nr_units) {
		rc = -HV_EBUSY;
	} else {
		if (pool->policy->dom_destroy)
			pool->policy->dom_destroy(pool, d);
		hv_list_del(&d->pool_node);
		d->pool = NULL;
	}
	hv_spin_unlock(&pool->lock);
	return rc;
}

int hv_sched_dom_set_params(struct hv_sched_dom *d,
			    const struct hv_sched_params *p)
{
	struct hv_sched_pool *pool;
	int rc;

	if (!d || !d->pool || !p)
		return -HV_EINVAL;
	pool = d->pool;
	hv_spin_lock(&pool->lock);
	rc = pool->policy->dom_set_params
		 ? pool->policy->dom_set_params(pool, d, p)
		 : 0;
	hv_spin_unlock(&pool->lock);
	return rc;
}

void hv_sched_dom_get_params(struct hv_sched_dom *d, struct hv_sched_params *p)
{
	struct hv_sched_pool *pool;

	hv_sched_params_default(p);
	if (!d || !d->pool)
		return;
	pool = d->pool;
	hv_spin_lock(&pool->lock);
	if (pool->policy->dom_get_params)
		pool->policy->dom_get_params(pool, d, p);
	hv_spin_unlock(&pool->lock);
}

static bool dom_all_asleep(struct hv_sched_dom *d)
{
	struct hv_list *pos;

	hv_list_for_each (pos, &d->units) {
		struct hv_sched_unit *u =
		    hv_list_entry(pos, struct hv_sched_unit, dom_node);
		struct hv_sched_runq *rq = hv_sched_unit_lock(u);
		bool busy = u->runnable || u->running || u->placing;

		hv_spin_unlock(&rq->lock);
		if (busy)
			return false;
	}
	return true;
}

static void unit_leave(struct hv_sched_pool *pool, struct hv_sched_unit *u)
{
	struct hv_sched_runq *rq = hv_sched_unit_lock(u);

	if (pool->policy->unit_remove)
		pool->policy->unit_remove(pool, u);
	hv_spin_unlock(&rq->lock);
}

static void unit_join(struct hv_sched_pool *pool, struct hv_sched_unit *u)
{
	struct hv_sched_runq *rq;
	struct hv_sched_cpumask eff;

	hv_bitmap_and(eff.bits, u->hard.bits, pool->cpus.bits,
		      HV_SCHED_MAX_CPUS);
	if (hv_bitmap_empty(eff.bits, HV_SCHED_MAX_CPUS)) {
		hv_log_warn(
		    hv_sched_log(pool),
		    "sched: dom %u unit %u: no pCPU of its hard affinity "
		    "in the new pool; affinity reset to all",
		    u->dom->domid, u->id);
		hv_sched_cpumask_fill(&u->hard);
	}
	memset(u->priv, 0, sizeof(u->priv));
	u->cpu = sched_first_allowed(pool, u);
	u->rq = hv_sched_pcpu_of(pool, u->cpu)->rq;
	rq = hv_sched_unit_lock(u);
	if (pool->policy->unit_insert)
		pool->policy->unit_insert(pool, u);
	hv_spin_unlock(&rq->lock);
}

static void lock_pools(struct hv_sched_pool *a, struct hv_sched_pool *b)
{
	if ((uintptr_t)a > (uintptr_t)b) {
		struct hv_sched_pool *t = a;

		a = b;
		b = t;
	}
	hv_spin_lock(&a->lock);
	hv_spin_lock(&b->lock);
}

static int dom_move_locked(struct hv_sched_dom *d, struct hv_sched_pool *from,
			   struct hv_sched_pool *to)
{
	struct hv_list *pos;

	if (to->nr_cpus == 0 || sched_pool_has_domid(to, d->domid) ||
	    !dom_all_asleep(d))
		return -HV_EBUSY;

	hv_list_for_each (pos, &d->units) {
		unit_leave(from,
			   hv_list_entry(pos, struct hv_sched_unit, dom_node));
	}
	if (from->policy->dom_destroy)
		from->policy->dom_destroy(from, d);
	hv_list_del(&d->pool_node);

	d->pool = to;
	memset(d->priv, 0, sizeof(d->priv));
	hv_list_add_tail(&to->doms, &d->pool_node);
	if (to->policy->dom_init)
		to->policy->dom_init(to, d);
	hv_list_for_each (pos, &d->units) {
		unit_join(to,
			  hv_list_entry(pos, struct hv_sched_unit, dom_node));
	}
	return 0;
}

int hv_sched_dom_move(struct hv_sched_dom *d, struct hv_sched_pool *to)
{
	struct hv_sched_pool *from;
	int rc;

	if (!d || !d->pool || !to || !to->policy || to->sched != d->pool->sched)
		return -HV_EINVAL;
	from = d->pool;
	if (from == to)
		return 0;
	lock_pools(from, to);
	rc = dom_move_locked(d, from, to);
	hv_spin_unlock(&from->lock);
	hv_spin_unlock(&to->lock);
	return rc;
}
