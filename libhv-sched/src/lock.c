/*
 * Runqueue locking.
 *
 * A unit is protected by the lock of the runqueue u->rq points at; u->rq
 * changes only with both the old and the new runqueue locked, so whoever
 * holds either sees a stable value.  Runqueue locks are ordered by id
 * (the lowest pCPU using the runqueue): a path holding one takes another
 * with a trylock, or drops and retakes both in order.
 */
#include "internal.h"

static struct hv_sched_runq *load_rq(struct hv_sched_runq *const *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

struct hv_sched_runq *hv_sched_unit_lock(struct hv_sched_unit *u)
{
	for (;;) {
		struct hv_sched_runq *rq = load_rq(&u->rq);

		hv_spin_lock(&rq->lock);
		if (rq == u->rq)
			return rq;
		hv_spin_unlock(&rq->lock);
	}
}

struct hv_sched_runq *sched_pcpu_lock(struct hv_sched_pcpu *pc)
{
	for (;;) {
		struct hv_sched_runq *rq = load_rq(&pc->rq);

		hv_spin_lock(&rq->lock);
		if (rq == pc->rq)
			return rq;
		hv_spin_unlock(&rq->lock);
	}
}

bool sched_lock_second(struct hv_sched_runq *held, struct hv_sched_runq *rq)
{
	if (hv_spin_trylock(&rq->lock))
		return true;
	if (held->id < rq->id) {
		hv_spin_lock(&rq->lock);
		return true;
	}
	hv_spin_unlock(&held->lock);
	hv_spin_lock(&rq->lock);
	hv_spin_lock(&held->lock);
	return false;
}

void hv_sched_unit_move(struct hv_sched_pool *pool, struct hv_sched_unit *u,
			unsigned int cpu)
{
	__atomic_store_n(&u->rq, hv_sched_pcpu_of(pool, cpu)->rq,
			 __ATOMIC_RELEASE);
	u->cpu = cpu;
}

/*
 * Runqueues are shared only by pool members, and a runqueue's id is its
 * lowest user, so each is locked once, at its id, in ascending order.  The
 * ids locked are recorded so that the same locks are released even if the
 * pool's arrangement changed in between.
 */
void sched_lock_all(struct hv_sched_pool *pool, struct hv_sched_cpumask *held)
{
	hv_sched_cpumask_zero(held);
	for (unsigned int cpu = hv_sched_pool_first_cpu(pool);
	     cpu < HV_SCHED_MAX_CPUS; cpu = hv_sched_pool_next_cpu(pool, cpu)) {
		struct hv_sched_runq *rq = hv_sched_pcpu_of(pool, cpu)->rq;

		if (rq->id == cpu) {
			hv_spin_lock(&rq->lock);
			hv_sched_cpumask_set(held, cpu);
		}
	}
}

void sched_unlock_all(struct hv_sched *s, const struct hv_sched_cpumask *held)
{
	for (size_t id =
		 hv_bitmap_find_first_set(held->bits, HV_SCHED_MAX_CPUS);
	     id < HV_SCHED_MAX_CPUS; id = hv_bitmap_find_next_set(
					 held->bits, HV_SCHED_MAX_CPUS, id + 1))
		hv_spin_unlock(&s->pcpus[id].own_rq.lock);
}
