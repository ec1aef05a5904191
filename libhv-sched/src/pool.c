/*
 * Pools (Xen's cpupools): a policy, its pCPUs, its domains, and the
 * pool-wide parameters.
 */
#include "internal.h"

static bool policy_fits(const struct hv_sched_policy *p)
{
	return p->unit_priv_size <= sizeof(((struct hv_sched_unit *)0)->priv) &&
	       p->dom_priv_size <= sizeof(((struct hv_sched_dom *)0)->priv) &&
	       p->pcpu_priv_size <= sizeof(((struct hv_sched_pcpu *)0)->priv) &&
	       p->runq_priv_size <= sizeof(((struct hv_sched_runq *)0)->priv) &&
	       p->pool_priv_size <= sizeof(((struct hv_sched_pool *)0)->priv);
}

int hv_sched_pool_init(struct hv_sched *s, struct hv_sched_pool *pool,
		       const struct hv_sched_policy *policy)
{
	if (!s || !pool || !policy || !policy_fits(policy))
		return -HV_EINVAL;

	memset(pool, 0, sizeof(*pool));
	pool->sched = s;
	pool->policy = policy;
	hv_spin_init(&pool->lock);
	hv_list_init(&pool->doms);
	if (policy->pool_init)
		policy->pool_init(pool);
	return 0;
}

int hv_sched_pool_destroy(struct hv_sched_pool *pool)
{
	int rc = 0;

	if (!pool)
		return -HV_EINVAL;
	hv_spin_lock(&pool->lock);
	if (pool->nr_cpus || !hv_list_empty(&pool->doms))
		rc = -HV_EBUSY;
	else
		pool->policy = NULL;
	hv_spin_unlock(&pool->lock);
	return rc;
}

/*
 * Change membership and rearrange the pool's runqueues.  The pool has no
 * domains, so only idle decisions can race with this; they revalidate
 * pc->rq after locking it (sched_pcpu_lock).
 */
static void pool_set_member(struct hv_sched_pool *pool, unsigned int cpu,
			    bool member)
{
	struct hv_sched_pcpu *pc = hv_sched_pcpu_of(pool, cpu);
	struct hv_sched_cpumask held;

	sched_lock_all(pool, &held);
	if (member) {
		__atomic_store_n(&pc->pool, pool, __ATOMIC_RELEASE);
		pc->curr = NULL;
		memset(pc->priv, 0, sizeof(pc->priv));
		hv_sched_cpumask_set(&pool->cpus, cpu);
		pool->nr_cpus++;
	} else {
		hv_sched_cpumask_clear(&pool->cpus, cpu);
		pool->nr_cpus--;
		__atomic_store_n(&pc->pool, NULL, __ATOMIC_RELEASE);
		__atomic_store_n(&pc->rq, &pc->own_rq, __ATOMIC_RELEASE);
	}
	pool->policy->pool_setup(pool);
	sched_unlock_all(pool->sched, &held);
}

int hv_sched_pool_add_cpu(struct hv_sched_pool *pool, unsigned int cpu)
{
	struct hv_sched_pcpu *pc;
	int rc = 0;

	if (!pool || !pool->policy || cpu >= pool->sched->nr_cpus)
		return -HV_EINVAL;
	pc = hv_sched_pcpu_of(pool, cpu);
	hv_spin_lock(&pool->lock);
	if (pc->pool || !hv_list_empty(&pool->doms)) {
		rc = -HV_EBUSY;
	} else {
		pool_set_member(pool, cpu, true);
	}
	hv_spin_unlock(&pool->lock);
	return rc;
}

int hv_sched_pool_remove_cpu(struct hv_sched_pool *pool, unsigned int cpu)
{
	struct hv_sched_pcpu *pc;
	int rc = 0;

	if (!pool || !pool->policy || cpu >= pool->sched->nr_cpus)
		return -HV_EINVAL;
	pc = hv_sched_pcpu_of(pool, cpu);
	hv_spin_lock(&pool->lock);
	if (pc->pool != pool) {
		rc = -HV_EINVAL;
	} else if (!hv_list_empty(&pool->doms)) {
		rc = -HV_EBUSY;
	} else {
		pool_set_member(pool, cpu, false);
	}
	hv_spin_unlock(&pool->lock);
	return rc;
}

const char *hv_sched_pool_policy_name(const struct hv_sched_pool *pool)
{
	return pool && pool->policy ? pool->policy->name : "none";
}

void hv_sched_pool_params_default(struct hv_sched_pool_params *p)
{
	p->tslice = HV_MSEC(30);
	p->ratelimit = HV_SCHED_DEFAULT_RATELIMIT;
	p->runq_layout = HV_SCHED_RUNQ_SOCKET;
}

int hv_sched_pool_set_params(struct hv_sched_pool *pool,
			     const struct hv_sched_pool_params *p)
{
	int rc;

	if (!pool || !pool->policy || !p)
		return -HV_EINVAL;
	hv_spin_lock(&pool->lock);
	if (!pool->policy->pool_set_params) {
		rc = 0;
	} else {
		struct hv_sched_cpumask held;

		sched_lock_all(pool, &held);
		rc = pool->policy->pool_set_params(pool, p);
		sched_unlock_all(pool->sched, &held);
	}
	hv_spin_unlock(&pool->lock);
	return rc;
}

void hv_sched_pool_get_params(struct hv_sched_pool *pool,
			      struct hv_sched_pool_params *p)
{
	hv_sched_pool_params_default(p);
	if (!pool || !pool->policy || !pool->policy->pool_get_params)
		return;
	hv_spin_lock(&pool->lock);
	pool->policy->pool_get_params(pool, p);
	hv_spin_unlock(&pool->lock);
}

bool sched_pool_has_domid(struct hv_sched_pool *pool, hv_domid_t domid)
{
	struct hv_list *pos;

	hv_list_for_each (pos, &pool->doms) {
		if (hv_list_entry(pos, struct hv_sched_dom, pool_node)->domid ==
		    domid)
			return true;
	}
	return false;
}
