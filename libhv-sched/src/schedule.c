/*
 * The decision: what a pCPU runs next, and until when.
 */
#include "internal.h"

static void switch_to(struct hv_sched_pcpu *pc, struct hv_sched_unit *next)
{
	struct hv_sched_unit *prev = pc->curr;

	if (next == prev)
		return;
	if (prev)
		prev->running = false;
	if (next) {
		next->running = true;
		next->cpu = pc->id;
	}
	pc->curr = next;
}

int hv_sched_do_schedule(struct hv_sched *s, unsigned int cpu, hv_time_t now,
			 struct hv_sched_decision *d)
{
	struct hv_sched_pcpu *pc;
	struct hv_sched_pool *pool;
	struct hv_sched_unit *prev;
	struct hv_sched_runq *rq;
	bool evict;

	if (!s || !d || cpu >= s->nr_cpus)
		return -HV_EINVAL;
	pc = &s->pcpus[cpu];
	d->unit = NULL;
	d->until = HV_TIME_NEVER;
	pool = __atomic_load_n(&pc->pool, __ATOMIC_ACQUIRE);
	if (!pool)
		return 0;

	rq = sched_pcpu_lock(pc);
	prev = pc->curr;
	/*
	 * A running unit whose hard affinity no longer allows this pCPU is
	 * handed to the policy as if it had blocked, then placed anew once
	 * this pCPU has switched away from it.
	 */
	evict =
	    prev && prev->runnable && !hv_sched_unit_allowed(pool, prev, cpu);
	if (evict)
		prev->runnable = false;
	pool->policy->do_schedule(pool, pc, now, d);
	switch_to(pc, d->unit);
	if (evict) {
		prev->runnable = true;
		sched_place_and_unlock(pool, prev, rq, now,
				       HV_SCHED_WAKE_MIGRATE);
		return 0;
	}
	hv_spin_unlock(&rq->lock);
	return 0;
}
