/*
 * credit2 internals shared by its three files: credit2.c (credit, queues,
 * decisions, hooks), credit2_load.c (load tracking, balancing, placement)
 * and credit2_cap.c (cap budgets).  See credit2.c for the design.
 */
#ifndef HV_SCHED_CREDIT2_H
#define HV_SCHED_CREDIT2_H

#include <hv/error.h>
#include <hv/rbtree.h>
#include <hv/sched_impl.h>
#include <hv/string.h>

#define CREDIT_INIT	     HV_MSEC(10)
#define CREDIT_MIN	     (-CREDIT_INIT)
#define IDLE_CREDIT	     (CREDIT_MIN - 1)
#define MIN_TIMER	     HV_USEC(500)
#define MAX_TIMER	     CREDIT_INIT
#define CARRYOVER_MAX	     MIN_TIMER
#define MIGRATE_RESIST	     HV_USEC(500)
#define MIGRATE_COMPENSATION HV_USEC(50)
#define RATELIMIT_TOLERANCE  HV_USEC(50)
#define CAP_PERIOD	     HV_MSEC(10)
#define UNLIMITED	     INT64_MAX

/* Load averages: Q-format with LOAD_SHIFT fraction bits, over a decaying
 * window of 2^WINDOW_SHIFT time units of 2^GRAIN_SHIFT ns (about 1 s). */
#define LOAD_SHIFT   18
#define WINDOW_SHIFT 20
#define GRAIN_SHIFT  10
#define BALANCE_SCAN 8

struct c2_unit {
	struct hv_rb_node node;	  /* in the runqueue's tree while queued */
	struct hv_list member;	  /* on the runqueue's members list */
	struct hv_list park_node; /* on the runqueue's parked list */
	int64_t credit;		  /* ns of credit at max weight */
	uint64_t residual;	  /* remainder of the last burn */
	hv_time_t start;	  /* credit burnt up to here */
	hv_time_t run_start;	  /* started its current run */
	int64_t budget;		  /* cap budget held, or UNLIMITED */
	int64_t avgload;	  /* Q LOAD_SHIFT */
	hv_time_t load_time;	  /* >> GRAIN_SHIFT */
	uint32_t weight;
	uint32_t resets_seen;	/* runqueue resets caught up with */
	unsigned int resets_rq; /* ... on this runqueue */
	int tickled_cpu;	/* pCPU expected to take it, or -1 */
	bool queued, is_member, parked, yield;
};

struct c2_dom {
	hv_spinlock_t budget_lock;
	int64_t budget;	    /* left this period */
	int64_t tot_budget; /* per period: cap% of CAP_PERIOD */
	hv_time_t next_repl;
	uint32_t weight, cap;
};

struct c2_runq {
	struct hv_rb_tree queue; /* runnable, not running; most credit 1st */
	struct hv_list members;	 /* runnable or running units */
	struct hv_list parked;	 /* runnable, waiting for cap budget */
	struct hv_sched_cpumask cpus, idle, tickled;
	hv_time_t next_unpark; /* earliest budget refill for parked */
	int64_t avgload;       /* Q LOAD_SHIFT */
	hv_time_t load_time;
	uint32_t max_weight, nr_at_max;
	uint32_t resets;
	int load; /* runnable, unparked units: queued or running */
	unsigned int nr_cpus;
	unsigned int pick_bias;
};

struct c2_pool {
	hv_time_t ratelimit;
	enum hv_sched_runq_layout layout;
};

HV_STATIC_ASSERT(sizeof(struct c2_unit) <=
		     sizeof(((struct hv_sched_unit *)0)->priv),
		 "credit2 unit data");
HV_STATIC_ASSERT(sizeof(struct c2_dom) <=
		     sizeof(((struct hv_sched_dom *)0)->priv),
		 "credit2 domain data");
HV_STATIC_ASSERT(sizeof(struct c2_runq) <=
		     sizeof(((struct hv_sched_runq *)0)->priv),
		 "credit2 runqueue data");

/* ---- accessors ---- */

static inline struct c2_unit *cu(struct hv_sched_unit *u)
{
	return hv_sched_unit_priv(u);
}

static inline struct hv_sched_unit *unit_of_node(struct hv_rb_node *n)
{
	return hv_sched_unit_of_priv(hv_rb_entry(n, struct c2_unit, node));
}

static inline struct hv_sched_unit *unit_of_member(struct hv_list *l)
{
	return hv_sched_unit_of_priv(hv_list_entry(l, struct c2_unit, member));
}

static inline struct c2_dom *cd(struct hv_sched_dom *d)
{
	return hv_sched_dom_priv(d);
}

static inline struct c2_pool *cp(struct hv_sched_pool *pool)
{
	return hv_sched_pool_priv(pool);
}

static inline struct c2_runq *rq_of(struct hv_sched_unit *u)
{
	return hv_sched_runq_priv(u->rq);
}

static inline bool capped(struct hv_sched_unit *u)
{
	return cu(u)->budget != UNLIMITED;
}

/* credit2.c */
void c2_queue_insert(struct c2_runq *rq, struct hv_sched_unit *u);
void c2_queue_remove(struct c2_runq *rq, struct hv_sched_unit *u);
void c2_tickle(struct hv_sched_pool *pool, struct c2_runq *rq,
	       struct hv_sched_unit *u, hv_time_t now);
void c2_join(struct hv_sched_pool *pool, struct c2_runq *rq,
	     struct hv_sched_unit *u, hv_time_t now);
void c2_leave(struct c2_runq *rq, struct hv_sched_unit *u, hv_time_t now);

/* credit2_load.c */
void c2_load_change(struct c2_runq *rq, int change, hv_time_t now);
void c2_unit_load(struct c2_unit *c, bool was_runnable, hv_time_t now);
void c2_balance_load(struct hv_sched_pool *pool, struct hv_sched_pcpu *pc,
		     hv_time_t now);
unsigned int c2_pick_cpu(struct hv_sched_pool *pool, struct hv_sched_unit *u,
			 hv_time_t now);

/* credit2_cap.c */
bool c2_grab_budget(struct hv_sched_unit *u, hv_time_t now);
void c2_return_budget(struct hv_sched_unit *u);
void c2_park(struct c2_runq *rq, struct hv_sched_unit *u, hv_time_t now);
void c2_unpark_due(struct hv_sched_pool *pool, struct c2_runq *rq,
		   hv_time_t now);
void c2_apply_cap(struct hv_sched_pool *pool, struct hv_sched_dom *d,
		  uint32_t cap);

#endif /* HV_SCHED_CREDIT2_H */
