/*
 * Units: creation, affinity, per-unit parameters and state queries.
 */
#include "internal.h"

int hv_sched_unit_init(struct hv_sched_dom *d, struct hv_sched_unit *u,
		       hv_vcpuid_t id)
{
	struct hv_sched_pool *pool;
	struct hv_sched_runq *rq;

	if (!d || !d->pool || !u)
		return -HV_EINVAL;
	pool = d->pool;
	hv_spin_lock(&pool->lock);
	if (pool->nr_cpus == 0) {
		hv_spin_unlock(&pool->lock);
		return -HV_EINVAL;
	}
	memset(u, 0, sizeof(*u));
	u->dom = d;
	u->id = id;
	hv_sched_cpumask_fill(&u->hard);
	hv_sched_cpumask_fill(&u->soft);
	/* Spread new units over the pool, round robin. */
	u->cpu =
	    hv_sched_find_cpu(pool, u, pool->place_cursor, false, NULL, NULL);
	pool->place_cursor = hv_sched_pool_next_cpu(pool, u->cpu);
	u->rq = hv_sched_pcpu_of(pool, u->cpu)->rq;
	/* Under the unit's runqueue lock too: a decision may walk the
	 * domain's units (ARINC653). */
	rq = hv_sched_unit_lock(u);
	hv_list_add_tail(&d->units, &u->dom_node);
	d->nr_units++;
	if (pool->policy->unit_insert)
		pool->policy->unit_insert(pool, u);
	hv_spin_unlock(&rq->lock);
	hv_spin_unlock(&pool->lock);
	return 0;
}

int hv_sched_unit_destroy(struct hv_sched_unit *u)
{
	struct hv_sched_pool *pool;
	struct hv_sched_runq *rq;
	int rc = 0;

	if (!u || !u->dom || !u->dom->pool)
		return -HV_EINVAL;
	pool = sched_unit_pool(u);
	hv_spin_lock(&pool->lock);
	rq = hv_sched_unit_lock(u);
	if (u->runnable || u->running || u->placing) {
		rc = -HV_EBUSY;
	} else {
		if (pool->policy->unit_remove)
			pool->policy->unit_remove(pool, u);
		hv_list_del(&u->dom_node);
		u->dom->nr_units--;
	}
	hv_spin_unlock(&rq->lock);
	if (!rc)
		u->dom = NULL;
	hv_spin_unlock(&pool->lock);
	return rc;
}

static int check_affinity(struct hv_sched_pool *pool,
			  const struct hv_sched_unit *u,
			  const struct hv_sched_cpumask *hard,
			  const struct hv_sched_cpumask *soft)
{
	if (hard && !hv_bitmap_intersects(hard->bits, pool->cpus.bits,
					  HV_SCHED_MAX_CPUS)) {
		hv_log_warn(hv_sched_log(pool),
			    "sched: dom %u unit %u: hard affinity has no pCPU "
			    "of the pool",
			    u->dom->domid, u->id);
		return -HV_EINVAL;
	}
	if (soft && hv_bitmap_empty(soft->bits, HV_SCHED_MAX_CPUS)) {
		hv_log_warn(hv_sched_log(pool),
			    "sched: dom %u unit %u: empty soft affinity",
			    u->dom->domid, u->id);
		return -HV_EINVAL;
	}
	return 0;
}

int hv_sched_unit_set_affinity(struct hv_sched_unit *u,
			       const struct hv_sched_cpumask *hard,
			       const struct hv_sched_cpumask *soft,
			       hv_time_t now)
{
	struct hv_sched_pool *pool;
	struct hv_sched_runq *rq;
	int rc;

	if (!u || !u->dom || !u->dom->pool)
		return -HV_EINVAL;
	pool = sched_unit_pool(u);
	rc = check_affinity(pool, u, hard, soft);
	if (rc)
		return rc;

	rq = hv_sched_unit_lock(u);
	if (hard)
		u->hard = *hard;
	if (soft)
		u->soft = *soft;
	if (u->running) {
		/* Its pCPU re-places it at its next decision if need be. */
		if (!hv_sched_unit_allowed(pool, u, u->cpu))
			hv_sched_kick(pool, u->cpu);
	} else if (u->runnable && !u->placing) {
		/* Queued: take it off and place it again. */
		u->runnable = false;
		if (pool->policy->sleep)
			pool->policy->sleep(pool, u, now);
		u->runnable = true;
		sched_place_and_unlock(pool, u, rq, now, HV_SCHED_WAKE_MIGRATE);
		return 0;
	}
	hv_spin_unlock(&rq->lock);
	return 0;
}

void hv_sched_unit_get_affinity(struct hv_sched_unit *u,
				struct hv_sched_cpumask *hard,
				struct hv_sched_cpumask *soft)
{
	struct hv_sched_runq *rq = hv_sched_unit_lock(u);

	if (hard)
		*hard = u->hard;
	if (soft)
		*soft = u->soft;
	hv_spin_unlock(&rq->lock);
}

int hv_sched_unit_set_params(struct hv_sched_unit *u,
			     const struct hv_sched_params *p)
{
	struct hv_sched_pool *pool;
	struct hv_sched_runq *rq;
	int rc;

	if (!u || !u->dom || !u->dom->pool || !p)
		return -HV_EINVAL;
	pool = sched_unit_pool(u);
	if (!pool->policy->unit_set_params)
		return -HV_EOPNOTSUPP;
	hv_spin_lock(&pool->lock);
	rq = hv_sched_unit_lock(u);
	rc = pool->policy->unit_set_params(pool, u, p);
	hv_spin_unlock(&rq->lock);
	hv_spin_unlock(&pool->lock);
	return rc;
}

int hv_sched_unit_get_params(struct hv_sched_unit *u, struct hv_sched_params *p)
{
	struct hv_sched_pool *pool;
	struct hv_sched_runq *rq;

	if (!u || !u->dom || !u->dom->pool || !p)
		return -HV_EINVAL;
	pool = sched_unit_pool(u);
	if (!pool->policy->unit_get_params)
		return -HV_EOPNOTSUPP;
	hv_sched_params_default(p);
	rq = hv_sched_unit_lock(u);
	pool->policy->unit_get_params(pool, u, p);
	hv_spin_unlock(&rq->lock);
	return 0;
}

enum hv_sched_unit_state hv_sched_unit_state(struct hv_sched_unit *u)
{
	struct hv_sched_runq *rq = hv_sched_unit_lock(u);
	enum hv_sched_unit_state st = HV_SCHED_UNIT_ASLEEP;

	if (u->running)
		st = HV_SCHED_UNIT_RUNNING;
	else if (u->runnable)
		st = HV_SCHED_UNIT_RUNNABLE;
	hv_spin_unlock(&rq->lock);
	return st;
}

unsigned int hv_sched_unit_cpu(struct hv_sched_unit *u)
{
	struct hv_sched_runq *rq = hv_sched_unit_lock(u);
	unsigned int cpu = u->cpu;

	hv_spin_unlock(&rq->lock);
	return cpu;
}
