/*
 * credit internals shared by credit.c (queues, ticks, decisions, hooks)
 * and credit_acct.c (the periodic accounting).  See credit.c for the
 * design.
 */
#ifndef HV_SCHED_CREDIT_H
#define HV_SCHED_CREDIT_H

#include <hv/atomic.h>
#include <hv/error.h>
#include <hv/sched_impl.h>
#include <hv/string.h>

enum pri { BOOST = 0, UNDER = 1, OVER = 2, NR_PRI = 3 };

#define MIN_TIMER  HV_USEC(100)
#define TSLICE_MIN HV_MSEC(1)
#define TSLICE_MAX HV_MSEC(1000)

struct cr_unit {
	struct hv_list qnode;	    /* on a priority list or the parked list */
	struct hv_list active_node; /* on its domain's active list */
	int64_t credit;		    /* ns; atomic */
	hv_time_t start;	    /* credit burnt up to here */
	hv_time_t run_start;	    /* started its current run */
	uint8_t pri;		    /* enum pri */
	uint8_t parked;		    /* atomic: overspent its cap */
	bool queued, on_parked, active, yield;
};

struct cr_dom {
	struct hv_list active_units; /* cr_unit.active_node */
	struct hv_list active_node;  /* on the pool's active domains */
	uint32_t active, weight, cap;
};

struct cr_runq {
	struct hv_list q[NR_PRI];
	struct hv_list parked;
	uint32_t nr_queued; /* read by stealing peers as a hint */
	uint32_t epoch_seen;
};

struct cr_pcpu {
	hv_time_t slice_end; /* the running unit's slice ends */
	hv_time_t next_tick;
	bool resched; /* a waking unit should preempt */
};

struct cr_pool {
	hv_spinlock_t acct_lock;
	struct hv_list active_doms;
	uint64_t weight_total; /* sum of weight x active units */
	int64_t balance;       /* credit left over after the last accounting */
	hv_time_t next_acct;   /* atomic */
	uint32_t epoch;	       /* accountings so far; atomic */
	hv_time_t tslice, ratelimit;
	struct hv_sched_cpumask idlers; /* atomic bits */
	uint32_t steal_bias;		/* atomic: where stealing starts next */
};

HV_STATIC_ASSERT(sizeof(struct cr_unit) <=
		     sizeof(((struct hv_sched_unit *)0)->priv),
		 "credit unit data");
HV_STATIC_ASSERT(sizeof(struct cr_dom) <=
		     sizeof(((struct hv_sched_dom *)0)->priv),
		 "credit domain data");
HV_STATIC_ASSERT(sizeof(struct cr_pool) <=
		     sizeof(((struct hv_sched_pool *)0)->priv),
		 "credit pool data");

/* ---- accessors ---- */

static inline struct cr_unit *cu(struct hv_sched_unit *u)
{
	return hv_sched_unit_priv(u);
}

static inline struct cr_dom *cd(struct hv_sched_dom *d)
{
	return hv_sched_dom_priv(d);
}

static inline struct cr_pool *cp(struct hv_sched_pool *pool)
{
	return hv_sched_pool_priv(pool);
}

static inline struct cr_pcpu *cpc(struct hv_sched_pcpu *pc)
{
	return hv_sched_pcpu_priv(pc);
}

static inline struct cr_runq *crq(struct hv_sched_pool *pool, unsigned int cpu)
{
	return hv_sched_runq_priv(hv_sched_pcpu_of(pool, cpu)->rq);
}

static inline struct hv_sched_unit *unit_of_q(struct hv_list *l)
{
	return hv_sched_unit_of_priv(hv_list_entry(l, struct cr_unit, qnode));
}

static inline int64_t credit(struct cr_unit *c)
{
	return (int64_t)hv_atomic_load_u64((uint64_t *)&c->credit);
}

static inline void credit_add(struct cr_unit *c, int64_t v)
{
	hv_atomic_fetch_add_u64((uint64_t *)&c->credit, (uint64_t)v);
}

static inline void credit_set(struct cr_unit *c, int64_t v)
{
	hv_atomic_store_u64((uint64_t *)&c->credit, (uint64_t)v);
}

static inline bool parked(struct cr_unit *c)
{
	return hv_atomic_load_u8(&c->parked) != 0;
}

static inline hv_time_t tick_period(struct hv_sched_pool *pool)
{
	hv_time_t t = cp(pool)->tslice;

	return t >= HV_MSEC(3) ? t / 3 : t;
}

/* credit_acct.c: the accounting lock is taken inside these. */
void cr_acct_start(struct hv_sched_pool *pool, struct hv_sched_unit *u);
/* With the accounting lock held. */
void cr_acct_stop_locked(struct cr_pool *p, struct hv_sched_unit *u);
void cr_account_if_due(struct hv_sched_pool *pool, hv_time_t now);

#endif /* HV_SCHED_CREDIT_H */
