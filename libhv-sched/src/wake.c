/*
 * State changes of a unit (wake, sleep, block, yield) and placing a
 * runnable unit on a pCPU's runqueue.
 */
#include "internal.h"

static unsigned int pick_cpu(struct hv_sched_pool *pool,
			     struct hv_sched_unit *u, hv_time_t now)
{
	if (pool->policy->pick_cpu)
		return pool->policy->pick_cpu(pool, u, now);
	if (hv_sched_unit_allowed(pool, u, u->cpu))
		return u->cpu;
	return sched_first_allowed(pool, u);
}

/*
 * Holding `held` (== u->rq), get u onto the runqueue of the pCPU the policy
 * picks.  Returns the runqueue u ends up on, locked (with `held` released
 * if different), or NULL if u went to sleep while the locks were retaken
 * in order (then nothing is held).  While both are released, u->placing
 * keeps anyone else from placing it.
 */
static struct hv_sched_runq *move_to_pick(struct hv_sched_pool *pool,
					  struct hv_sched_unit *u,
					  struct hv_sched_runq *held,
					  hv_time_t now)
{
	for (;;) {
		unsigned int cpu = pick_cpu(pool, u, now);
		struct hv_sched_runq *to = hv_sched_pcpu_of(pool, cpu)->rq;
		bool kept;

		if (to == held) {
			u->cpu = cpu;
			return held;
		}
		u->placing = true;
		kept = sched_lock_second(held, to);
		u->placing = false;
		if (!kept && !u->runnable) {
			hv_spin_unlock(&to->lock);
			hv_spin_unlock(&held->lock);
			return NULL;
		}
		if (!kept && !hv_sched_unit_allowed(pool, u, cpu)) {
			/* Affinity changed meanwhile: pick again. */
			hv_spin_unlock(&to->lock);
			continue;
		}
		hv_sched_unit_move(pool, u, cpu);
		hv_spin_unlock(&held->lock);
		return to;
	}
}

void sched_place_and_unlock(struct hv_sched_pool *pool, struct hv_sched_unit *u,
			    struct hv_sched_runq *held, hv_time_t now,
			    unsigned int flags)
{
	struct hv_sched_runq *rq = move_to_pick(pool, u, held, now);

	if (!rq)
		return;
	pool->policy->wake(pool, u, now, flags);
	hv_spin_unlock(&rq->lock);
}

int hv_sched_wake(struct hv_sched_unit *u, hv_time_t now)
{
	struct hv_sched_pool *pool;
	struct hv_sched_runq *rq;

	if (!u || !u->dom || !u->dom->pool)
		return -HV_EINVAL;
	pool = sched_unit_pool(u);
	rq = hv_sched_unit_lock(u);
	if (u->runnable || u->placing) {
		/* A placement in progress sees this and completes. */
		u->runnable = true;
		hv_spin_unlock(&rq->lock);
		return 0;
	}
	u->runnable = true;
	if (u->running) {
		/* Woken before its pCPU switched away: it just goes on. */
		pool->policy->wake(pool, u, now, 0);
		hv_spin_unlock(&rq->lock);
		return 0;
	}
	sched_place_and_unlock(pool, u, rq, now, 0);
	return 0;
}

static int make_unrunnable(struct hv_sched_unit *u, hv_time_t now, bool kick)
{
	struct hv_sched_pool *pool;
	struct hv_sched_runq *rq;

	if (!u || !u->dom || !u->dom->pool)
		return -HV_EINVAL;
	pool = sched_unit_pool(u);
	rq = hv_sched_unit_lock(u);
	if (!kick && !u->running) {
		hv_spin_unlock(&rq->lock);
		return -HV_EINVAL;
	}
	if (u->runnable) {
		u->runnable = false;
		if (pool->policy->sleep)
			pool->policy->sleep(pool, u, now);
		if (kick && u->running)
			hv_sched_kick(pool, u->cpu);
	}
	hv_spin_unlock(&rq->lock);
	return 0;
}

int hv_sched_sleep(struct hv_sched_unit *u, hv_time_t now)
{
	return make_unrunnable(u, now, true);
}

int hv_sched_block(struct hv_sched_unit *u, hv_time_t now)
{
	return make_unrunnable(u, now, false);
}

int hv_sched_yield(struct hv_sched_unit *u, hv_time_t now)
{
	struct hv_sched_pool *pool;
	struct hv_sched_runq *rq;
	int rc = 0;

	if (!u || !u->dom || !u->dom->pool)
		return -HV_EINVAL;
	pool = sched_unit_pool(u);
	rq = hv_sched_unit_lock(u);
	if (!u->running || !u->runnable)
		rc = -HV_EINVAL;
	else if (pool->policy->yield)
		pool->policy->yield(pool, u, now);
	hv_spin_unlock(&rq->lock);
	return rc;
}
