/*
 * hv/sched_impl.h - libhv-sched for policy authors.
 *
 * A policy is one const struct hv_sched_policy, usually alone in its own
 * object file, which the framework calls through these hooks.  The
 * framework knows no policy; users name one (&hv_sched_credit2) when they
 * create a pool.  Users of the scheduler need only <hv/sched.h>.
 *
 * Locks held when a hook is called (the framework takes them):
 *  - pool_init: none (the pool is not shared yet);
 *  - pool_setup, pool_set_params: pool->lock and every runqueue lock of
 *    the pool; pool_get_params: pool->lock;
 *  - dom_init, dom_destroy, dom_set_params, dom_get_params: pool->lock
 *    only (take unit locks with hv_sched_unit_lock() as needed);
 *  - unit_insert, unit_remove, unit_set_params, unit_get_params, pick_cpu,
 *    wake, sleep, yield: the lock of the unit's runqueue (u->rq);
 *  - do_schedule: the lock of the pCPU's runqueue (pc->rq).
 * Lock order: pool->lock, then runqueue locks (by ascending id), then a
 * policy's own inner locks.  A hook holding a runqueue lock may take
 * another only with hv_spin_trylock(), and must cope with failure.
 *
 * Unit state a hook sees: u->runnable is already updated (true in wake,
 * false in sleep); u->running says whether u is some pCPU's current unit;
 * the framework updates pc->curr and u->running after do_schedule returns.
 */
#ifndef HV_SCHED_IMPL_H
#define HV_SCHED_IMPL_H

#include <hv/sched.h>

HV_BEGIN_DECLS

/* Why wake is called (flags). */
#define HV_SCHED_WAKE_MIGRATE 0x1u /* re-placed, not woken: no wake bonus */

/*
 * Hooks marked optional may be NULL: the framework then does nothing (for
 * dom_set_params: accepts and ignores the parameters).
 */
struct hv_sched_policy {
	const char *name;
	/* Private bytes needed in each object (checked at pool init). */
	size_t unit_priv_size, dom_priv_size, pcpu_priv_size;
	size_t runq_priv_size, pool_priv_size;

	/* Optional.  Pool set up: defaults for the pool-wide state. */
	void (*pool_init)(struct hv_sched_pool *pool);
	/*
	 * The pool's pCPUs changed (and it has no domains): point every
	 * member's pc->rq at a runqueue and initialise per-pCPU and
	 * per-runqueue state.  A shared runqueue must be the own_rq of the
	 * lowest-numbered pCPU using it (locks are ordered by that id).
	 */
	void (*pool_setup)(struct hv_sched_pool *pool);
	/* Optional.  Validate all of p, then apply; on error change
	 * nothing. */
	int (*pool_set_params)(struct hv_sched_pool *pool,
			       const struct hv_sched_pool_params *p);
	void (*pool_get_params)(struct hv_sched_pool *pool,
				struct hv_sched_pool_params *p);

	/* Optional, all four: defaults, teardown, parameters. */
	void (*dom_init)(struct hv_sched_pool *pool, struct hv_sched_dom *d);
	void (*dom_destroy)(struct hv_sched_pool *pool, struct hv_sched_dom *d);
	int (*dom_set_params)(struct hv_sched_pool *pool,
			      struct hv_sched_dom *d,
			      const struct hv_sched_params *p);
	void (*dom_get_params)(struct hv_sched_pool *pool,
			       struct hv_sched_dom *d,
			       struct hv_sched_params *p);
	/* NULL: per-unit parameters are not supported (-HV_EOPNOTSUPP). */
	int (*unit_set_params)(struct hv_sched_pool *pool,
			       struct hv_sched_unit *u,
			       const struct hv_sched_params *p);
	void (*unit_get_params)(struct hv_sched_pool *pool,
				struct hv_sched_unit *u,
				struct hv_sched_params *p);

	/* Optional.  A new, asleep unit (u->cpu chosen, u->rq locked). */
	void (*unit_insert)(struct hv_sched_pool *pool,
			    struct hv_sched_unit *u);
	/* Optional.  An asleep, not running unit leaves. */
	void (*unit_remove)(struct hv_sched_pool *pool,
			    struct hv_sched_unit *u);
	/*
	 * Where a waking (or re-placed) unit should go: a pCPU of the pool
	 * in u's hard affinity.  NULL: stay on u->cpu if allowed, else the
	 * first allowed pCPU.
	 */
	unsigned int (*pick_cpu)(struct hv_sched_pool *pool,
				 struct hv_sched_unit *u, hv_time_t now);
	/* u became runnable on u->cpu's runqueue (u->rq); queue it. */
	void (*wake)(struct hv_sched_pool *pool, struct hv_sched_unit *u,
		     hv_time_t now, unsigned int flags);
	/* Optional.  u is no longer runnable; dequeue it if queued (it may
	 * not be). */
	void (*sleep)(struct hv_sched_pool *pool, struct hv_sched_unit *u,
		      hv_time_t now);
	/* Optional.  The running unit u yields. */
	void (*yield)(struct hv_sched_pool *pool, struct hv_sched_unit *u,
		      hv_time_t now);
	/*
	 * Decide for pCPU pc, whose current unit is pc->curr (NULL: idle).
	 * A runnable current unit that is not chosen again must be queued;
	 * the chosen unit must be runnable, allowed on pc, on pc->rq and not
	 * running elsewhere; it is taken off the queue.  d->until > now.
	 */
	void (*do_schedule)(struct hv_sched_pool *pool,
			    struct hv_sched_pcpu *pc, hv_time_t now,
			    struct hv_sched_decision *d);
};

/* ---- private data ---- */

static inline void *hv_sched_unit_priv(struct hv_sched_unit *u)
{
	return u->priv;
}

/* The policy's private area of a domain, a pCPU, a runqueue, a pool. */
static inline void *hv_sched_dom_priv(struct hv_sched_dom *d)
{
	return d->priv;
}

/* A pCPU's private area (as hv_sched_dom_priv). */
static inline void *hv_sched_pcpu_priv(struct hv_sched_pcpu *pc)
{
	return pc->priv;
}

/* A runqueue's private area (as hv_sched_dom_priv). */
static inline void *hv_sched_runq_priv(struct hv_sched_runq *rq)
{
	return rq->priv;
}

/* A pool's private area (as hv_sched_dom_priv). */
static inline void *hv_sched_pool_priv(struct hv_sched_pool *pool)
{
	return pool->priv;
}

/* ---- helpers for policies ---- */

/* Point pCPU pc at runqueue rq (pool_setup only). */
static inline void hv_sched_pcpu_set_rq(struct hv_sched_pcpu *pc,
					struct hv_sched_runq *rq)
{
	__atomic_store_n(&pc->rq, rq, __ATOMIC_RELEASE);
}

/* The unit whose private area is at priv. */
static inline struct hv_sched_unit *hv_sched_unit_of_priv(void *priv)
{
	return hv_container_of(priv, struct hv_sched_unit, priv);
}

/* pCPU `cpu` of the machine the pool is part of. */
static inline struct hv_sched_pcpu *hv_sched_pcpu_of(struct hv_sched_pool *p,
						     unsigned int cpu)
{
	return &p->sched->pcpus[cpu];
}

/* Where a policy logs (the embedder's log, or NULL). */
static inline const struct hv_log *hv_sched_log(struct hv_sched_pool *p)
{
	return p->sched->ops.log;
}

/* Ask pCPU cpu to reschedule soon. */
void hv_sched_kick(struct hv_sched_pool *pool, unsigned int cpu);

/* May u run on cpu: in its hard affinity and in the pool. */
bool hv_sched_unit_allowed(struct hv_sched_pool *pool,
			   const struct hv_sched_unit *u, unsigned int cpu);
/*
 * Does u prefer cpu: allowed, and in its soft affinity (or, when the soft
 * affinity has no allowed pCPU, simply allowed).
 */
bool hv_sched_unit_prefers(struct hv_sched_pool *pool,
			   const struct hv_sched_unit *u, unsigned int cpu);
/* Does u's soft affinity narrow its hard affinity within the pool. */
bool hv_sched_unit_has_soft(struct hv_sched_pool *pool,
			    const struct hv_sched_unit *u);

/*
 * The first pCPU at or after `from` (wrapping) in the pool, allowed for u
 * and (if soft) preferred, for which ok(pool, cpu, arg) holds (ok may be
 * NULL); HV_SCHED_MAX_CPUS if none.
 */
typedef bool (*hv_sched_cpu_ok_fn)(struct hv_sched_pool *pool, unsigned int cpu,
				   void *arg);
unsigned int hv_sched_find_cpu(struct hv_sched_pool *pool,
			       const struct hv_sched_unit *u, unsigned int from,
			       bool soft, hv_sched_cpu_ok_fn ok, void *arg);

/* The pool's pCPUs in order: first, and the next after cpu (or
 * HV_SCHED_MAX_CPUS). */
unsigned int hv_sched_pool_first_cpu(const struct hv_sched_pool *pool);
unsigned int hv_sched_pool_next_cpu(const struct hv_sched_pool *pool,
				    unsigned int cpu);

/*
 * Lock u's runqueue, following u if it moves meanwhile, and return it;
 * release with hv_spin_unlock(&rq->lock).
 */
struct hv_sched_runq *hv_sched_unit_lock(struct hv_sched_unit *u);

/*
 * Move a queued or asleep unit to cpu (and its runqueue): the caller holds
 * the locks of both u->rq and cpu's runqueue, and has taken u off any
 * queue of the old runqueue.
 */
void hv_sched_unit_move(struct hv_sched_pool *pool, struct hv_sched_unit *u,
			unsigned int cpu);

/* Integer helpers without 128-bit arithmetic: a * b / c, saturating. */
uint64_t hv_sched_muldiv(uint64_t a, uint64_t b, uint64_t c);

/* Shared validation of weight and cap (credit, credit2); logs. */
int hv_sched_check_weight_cap(struct hv_sched_pool *pool,
			      const struct hv_sched_dom *d,
			      const struct hv_sched_params *p);
/* Shared validation of ratelimit (credit, credit2); logs. */
int hv_sched_check_ratelimit(struct hv_sched_pool *pool, hv_time_t ratelimit);

/* Xen's defaults and bounds: weight; ratelimit (credit, credit2), its
 * least and its most. */
#define HV_SCHED_DEFAULT_WEIGHT	   256u
#define HV_SCHED_DEFAULT_RATELIMIT HV_USEC(1000)
#define HV_SCHED_RATELIMIT_MIN	   HV_USEC(100)
#define HV_SCHED_RATELIMIT_MAX	   HV_MSEC(500)

HV_END_DECLS

#endif /* HV_SCHED_IMPL_H */
