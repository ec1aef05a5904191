/*
 * Framework internals shared by the framework's own files; policies use
 * only <hv/sched_impl.h>.
 */
#ifndef HV_SCHED_INTERNAL_H
#define HV_SCHED_INTERNAL_H

#include <hv/error.h>
#include <hv/sched_impl.h>
#include <hv/string.h>

/*
 * Lock every runqueue of the pool in ascending order, recording which in
 * *held; release exactly those (see lock.c).
 */
void sched_lock_all(struct hv_sched_pool *pool, struct hv_sched_cpumask *held);
void sched_unlock_all(struct hv_sched *s, const struct hv_sched_cpumask *held);

/*
 * Lock the runqueue pCPU pc uses, following it if the pool is being
 * rearranged meanwhile.
 */
struct hv_sched_runq *sched_pcpu_lock(struct hv_sched_pcpu *pc);

/*
 * Lock a second runqueue while holding `held`, keeping the ascending-id
 * order: returns false if `held` had to be dropped and retaken (the caller
 * must revalidate what it saw under it).
 */
bool sched_lock_second(struct hv_sched_runq *held, struct hv_sched_runq *rq);

/*
 * u (runnable, not running, on no queue) goes to the pCPU the policy
 * picks, then to the policy's wake hook.  Called with u->rq (== held)
 * locked; returns with every lock released.
 */
void sched_place_and_unlock(struct hv_sched_pool *pool, struct hv_sched_unit *u,
			    struct hv_sched_runq *held, hv_time_t now,
			    unsigned int flags);

/* The first pCPU of the pool in u's hard affinity (always exists). */
unsigned int sched_first_allowed(struct hv_sched_pool *pool,
				 const struct hv_sched_unit *u);

/* Does the pool hold a domain with this domid. */
bool sched_pool_has_domid(struct hv_sched_pool *pool, hv_domid_t domid);

/* A unit's pool. */
static inline struct hv_sched_pool *sched_unit_pool(struct hv_sched_unit *u)
{
	return u->dom->pool;
}

#endif /* HV_SCHED_INTERNAL_H */
