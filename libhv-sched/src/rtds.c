/*
 * The RTDS policy, after Xen's sched_rt: global EDF over the pool's pCPUs,
 * with each unit a deferrable server of `budget` ns every `period` ns.
 *
 * A unit's deadline is the end of its current period.  Periods are aligned
 * on multiples of `period` from time 0 (as in Xen, whose first deadline
 * update starts from 0).  When a period ends, the unit gets a full budget
 * again and the next deadline; unused budget is lost, and budget may be
 * used anywhere in the period (deferrable server).  A unit out of budget
 * is "depleted" until its next replenishment.  Each pCPU runs the unit with
 * the earliest deadline it may run; a waking or replenished unit preempts
 * the pCPU running the latest deadline, if its own is earlier.
 *
 * One runqueue (one lock) serves the whole pool, as in Xen.  It holds two
 * rb-trees: the runnable units with budget by deadline (the EDF queue) and
 * every runnable unit by its next replenishment (the replenishment queue),
 * so waking, choosing and replenishing are O(log n).  The lowest pCPU of
 * the pool is the replenishment timer: its decisions end no later than the
 * next replenishment, and it is kicked when an earlier one appears.
 *
 * Not implemented: Xen's "extratime" flag (depleted units running in idle
 * time); depleted units wait for their period to end.
 */
#include <hv/error.h>
#include <hv/rbtree.h>
#include <hv/sched_impl.h>
#include <hv/string.h>

#define MIN_BUDGET HV_USEC(10)
#define MIN_PERIOD HV_USEC(10)
#define MAX_PERIOD HV_SEC(3600) /* keeps deadline arithmetic in range */

struct rt_unit {
	struct hv_rb_node qnode; /* EDF queue: runnable with budget */
	struct hv_rb_node rnode; /* replenishment queue: runnable */
	hv_time_t period, budget;
	hv_time_t deadline; /* end of the current period */
	hv_time_t left;	    /* budget left in this period */
	hv_time_t last;	    /* budget burnt up to here */
};

struct rt_dom {
	hv_time_t period, budget; /* given to new units */
};

struct rt_runq {
	struct hv_rb_tree edf;	/* by deadline */
	struct hv_rb_tree repl; /* by deadline (= next replenishment) */
	struct hv_sched_cpumask tickled;
	unsigned int timer_cpu; /* watches the replenishment queue */
	hv_time_t timer_until;	/* what timer_cpu was last told */
};

HV_STATIC_ASSERT(sizeof(struct rt_unit) <=
		     sizeof(((struct hv_sched_unit *)0)->priv),
		 "rtds unit data");
HV_STATIC_ASSERT(sizeof(struct rt_runq) <=
		     sizeof(((struct hv_sched_runq *)0)->priv),
		 "rtds runqueue data");

static struct rt_unit *ru(struct hv_sched_unit *u)
{
	return hv_sched_unit_priv(u);
}

static struct rt_dom *rd(struct hv_sched_dom *d)
{
	return hv_sched_dom_priv(d);
}

static struct rt_runq *rq_of(struct hv_sched_unit *u)
{
	return hv_sched_runq_priv(u->rq);
}

static struct hv_sched_unit *unit_of_q(struct hv_rb_node *n)
{
	return hv_sched_unit_of_priv(hv_rb_entry(n, struct rt_unit, qnode));
}

static struct hv_sched_unit *unit_of_r(struct hv_rb_node *n)
{
	return hv_sched_unit_of_priv(hv_rb_entry(n, struct rt_unit, rnode));
}

static int deadline_cmp(hv_time_t a, hv_time_t b)
{
	return (a > b) - (a < b);
}

static int edf_cmp(const struct hv_rb_node *a, const struct hv_rb_node *b)
{
	return deadline_cmp(hv_rb_entry(a, struct rt_unit, qnode)->deadline,
			    hv_rb_entry(b, struct rt_unit, qnode)->deadline);
}

static int repl_cmp(const struct hv_rb_node *a, const struct hv_rb_node *b)
{
	return deadline_cmp(hv_rb_entry(a, struct rt_unit, rnode)->deadline,
			    hv_rb_entry(b, struct rt_unit, rnode)->deadline);
}

/* ---- deadlines and budget ---- */

/* Start the period containing `now` if the current one is over. */
static void update_deadline(struct rt_unit *r, hv_time_t now)
{
	if (now < r->deadline)
		return;
	r->deadline += ((now - r->deadline) / r->period + 1) * r->period;
	r->left = r->budget;
}

static void burn(struct rt_unit *r, hv_time_t now)
{
	if (now > r->last)
		r->left -= now - r->last;
	r->last = now;
}

/* ---- queues ---- */

static void edf_insert(struct rt_runq *rq, struct hv_sched_unit *u)
{
	hv_rb_insert(&rq->edf, &ru(u)->qnode, edf_cmp);
}

static void edf_remove(struct rt_runq *rq, struct hv_sched_unit *u)
{
	if (hv_rb_node_is_linked(&ru(u)->qnode))
		hv_rb_remove(&rq->edf, &ru(u)->qnode);
}

static hv_time_t next_repl(struct rt_runq *rq)
{
	struct hv_rb_node *n = hv_rb_first(&rq->repl);

	return n ? hv_rb_entry(n, struct rt_unit, rnode)->deadline
		 : HV_TIME_NEVER;
}

static void repl_insert(struct hv_sched_pool *pool, struct rt_runq *rq,
			struct hv_sched_unit *u)
{
	hv_rb_insert(&rq->repl, &ru(u)->rnode, repl_cmp);
	/* An earlier replenishment than the timer pCPU knows of. */
	if (ru(u)->deadline < rq->timer_until) {
		rq->timer_until = ru(u)->deadline;
		hv_sched_kick(pool, rq->timer_cpu);
	}
}

static void repl_remove(struct rt_runq *rq, struct hv_sched_unit *u)
{
	if (hv_rb_node_is_linked(&ru(u)->rnode))
		hv_rb_remove(&rq->repl, &ru(u)->rnode);
}

/* ---- tickling ---- */

struct idle_arg {
	struct rt_runq *rq;
};

static bool idle_untickled(struct hv_sched_pool *pool, unsigned int cpu,
			   void *arg)
{
	struct rt_runq *rq = ((struct idle_arg *)arg)->rq;

	return !hv_sched_pcpu_of(pool, cpu)->curr &&
	       !hv_sched_cpumask_test(&rq->tickled, cpu);
}

static void tickle_cpu(struct hv_sched_pool *pool, struct rt_runq *rq,
		       unsigned int cpu)
{
	hv_sched_cpumask_set(&rq->tickled, cpu);
	hv_sched_kick(pool, cpu);
}

/* The busy, untickled pCPU u may use that runs the latest deadline. */
static unsigned int latest_deadline_cpu(struct hv_sched_pool *pool,
					struct rt_runq *rq,
					struct hv_sched_unit *u)
{
	unsigned int best = HV_SCHED_MAX_CPUS;
	hv_time_t latest = 0;

	for (unsigned int c = hv_sched_pool_first_cpu(pool);
	     c < HV_SCHED_MAX_CPUS; c = hv_sched_pool_next_cpu(pool, c)) {
		struct hv_sched_unit *cur = hv_sched_pcpu_of(pool, c)->curr;

		if (!cur || hv_sched_cpumask_test(&rq->tickled, c) ||
		    !hv_sched_unit_allowed(pool, u, c))
			continue;
		if (ru(cur)->deadline > latest) {
			latest = ru(cur)->deadline;
			best = c;
		}
	}
	return best < HV_SCHED_MAX_CPUS && ru(u)->deadline < latest
		   ? best
		   : HV_SCHED_MAX_CPUS;
}

/* u entered the EDF queue: find it a pCPU (Xen's runq_tickle). */
static void tickle(struct hv_sched_pool *pool, struct rt_runq *rq,
		   struct hv_sched_unit *u)
{
	struct idle_arg arg = {rq};
	unsigned int cpu = HV_SCHED_MAX_CPUS;

	if (hv_sched_unit_has_soft(pool, u))
		cpu = hv_sched_find_cpu(pool, u, u->cpu, true, idle_untickled,
					&arg);
	if (cpu >= HV_SCHED_MAX_CPUS)
		cpu = hv_sched_find_cpu(pool, u, u->cpu, false, idle_untickled,
					&arg);
	if (cpu >= HV_SCHED_MAX_CPUS)
		cpu = latest_deadline_cpu(pool, rq, u);
	if (cpu < HV_SCHED_MAX_CPUS)
		tickle_cpu(pool, rq, cpu);
}

/* A runnable, not running unit with budget goes to the EDF queue;
 * without, it waits for its replenishment. */
static void queue(struct hv_sched_pool *pool, struct rt_runq *rq,
		  struct hv_sched_unit *u)
{
	if (ru(u)->left <= 0)
		return;
	edf_insert(rq, u);
	tickle(pool, rq, u);
}

/* Replenish every unit whose period has ended; `cpu` is deciding now. */
static void replenish_due(struct hv_sched_pool *pool, struct rt_runq *rq,
			  unsigned int cpu, hv_time_t now)
{
	struct hv_rb_node *n;

	while ((n = hv_rb_first(&rq->repl)) &&
	       hv_rb_entry(n, struct rt_unit, rnode)->deadline <= now) {
		struct hv_sched_unit *u = unit_of_r(n);
		struct rt_unit *r = ru(u);

		hv_rb_remove(&rq->repl, n);
		if (u->running)
			burn(r, now);
		edf_remove(rq, u);
		update_deadline(r, now);
		hv_rb_insert(&rq->repl, &r->rnode, repl_cmp);
		if (!u->running)
			queue(pool, rq, u);
		else if (u->cpu != cpu)
			/* Its deadline moved: its pCPU re-decides. */
			hv_sched_kick(pool, u->cpu);
	}
}

/* ---- the decision ---- */

/* The earliest-deadline queued unit allowed on cpu, or NULL. */
static struct hv_sched_unit *edf_first(struct hv_sched_pool *pool,
				       struct rt_runq *rq, unsigned int cpu)
{
	for (struct hv_rb_node *n = hv_rb_first(&rq->edf); n;
	     n = hv_rb_next(n)) {
		struct hv_sched_unit *u = unit_of_q(n);

		if (hv_sched_unit_allowed(pool, u, cpu))
			return u;
	}
	return NULL;
}

static struct hv_sched_unit *choose(struct hv_sched_pool *pool,
				    struct rt_runq *rq,
				    struct hv_sched_unit *prev,
				    unsigned int cpu)
{
	struct hv_sched_unit *cand = edf_first(pool, rq, cpu);

	if (prev && prev->runnable && ru(prev)->left > 0 &&
	    (!cand || ru(prev)->deadline <= ru(cand)->deadline))
		return prev;
	return cand;
}

static void rt_do_schedule(struct hv_sched_pool *pool, struct hv_sched_pcpu *pc,
			   hv_time_t now, struct hv_sched_decision *d)
{
	struct rt_runq *rq = hv_sched_runq_priv(pc->rq);
	struct hv_sched_unit *prev = pc->curr, *next;

	hv_sched_cpumask_clear(&rq->tickled, pc->id);
	if (prev)
		burn(ru(prev), now);
	replenish_due(pool, rq, pc->id, now);

	next = choose(pool, rq, prev, pc->id);
	if (prev && next != prev) {
		if (prev->runnable)
			queue(pool, rq, prev);
		else
			repl_remove(rq, prev);
	}
	d->unit = next;
	d->until = HV_TIME_NEVER;
	if (next) {
		struct rt_unit *r = ru(next);

		edf_remove(rq, next);
		r->last = now;
		d->until = now + r->left;
		if (r->deadline < d->until)
			d->until = r->deadline;
	}
	if (pc->id == rq->timer_cpu) {
		rq->timer_until = next_repl(rq);
		if (rq->timer_until < d->until)
			d->until = rq->timer_until;
	}
}

/* ---- unit hooks ---- */

static void rt_unit_insert(struct hv_sched_pool *pool, struct hv_sched_unit *u)
{
	struct rt_unit *r = ru(u);

	(void)pool;
	hv_rb_node_init(&r->qnode);
	hv_rb_node_init(&r->rnode);
	r->period = rd(u->dom)->period;
	r->budget = rd(u->dom)->budget;
}

static void rt_wake(struct hv_sched_pool *pool, struct hv_sched_unit *u,
		    hv_time_t now, unsigned int flags)
{
	struct rt_runq *rq = rq_of(u);
	struct rt_unit *r = ru(u);

	(void)flags;
	if (u->running)
		return; /* still current, still in the replenishment queue */
	update_deadline(r, now);
	repl_remove(rq, u);
	repl_insert(pool, rq, u);
	queue(pool, rq, u);
}

static void rt_sleep(struct hv_sched_pool *pool, struct hv_sched_unit *u,
		     hv_time_t now)
{
	struct rt_runq *rq = rq_of(u);

	(void)pool;
	(void)now;
	/* A running unit leaves the queues when its pCPU switches away. */
	if (u->running)
		return;
	edf_remove(rq, u);
	repl_remove(rq, u);
}

/* ---- parameters ---- */

static int check_params(struct hv_sched_pool *pool,
			const struct hv_sched_params *p)
{
	if (p->period < MIN_PERIOD || p->period > MAX_PERIOD ||
	    p->budget < MIN_BUDGET || p->budget > p->period) {
		hv_log_warn(hv_sched_log(pool),
			    "sched rtds: budget %lld ns / period %lld ns: need "
			    "10 us <= budget <= period <= 3600 s",
			    (long long)p->budget, (long long)p->period);
		return -HV_EINVAL;
	}
	return 0;
}

static void set_unit(struct hv_sched_unit *u, const struct hv_sched_params *p)
{
	/* Takes effect from the next period, as in Xen. */
	ru(u)->period = p->period;
	ru(u)->budget = p->budget;
}

static int rt_unit_set_params(struct hv_sched_pool *pool,
			      struct hv_sched_unit *u,
			      const struct hv_sched_params *p)
{
	int rc = check_params(pool, p);

	if (!rc)
		set_unit(u, p);
	return rc;
}

static void rt_unit_get_params(struct hv_sched_pool *pool,
			       struct hv_sched_unit *u,
			       struct hv_sched_params *p)
{
	(void)pool;
	p->period = ru(u)->period;
	p->budget = ru(u)->budget;
}

static void rt_dom_init(struct hv_sched_pool *pool, struct hv_sched_dom *d)
{
	struct hv_sched_params p;

	(void)pool;
	hv_sched_params_default(&p);
	rd(d)->period = p.period;
	rd(d)->budget = p.budget;
}

static int rt_dom_set_params(struct hv_sched_pool *pool, struct hv_sched_dom *d,
			     const struct hv_sched_params *p)
{
	struct hv_list *pos;
	int rc = check_params(pool, p);

	if (rc)
		return rc;
	rd(d)->period = p->period;
	rd(d)->budget = p->budget;
	hv_list_for_each (pos, &d->units) {
		struct hv_sched_unit *u =
		    hv_list_entry(pos, struct hv_sched_unit, dom_node);
		struct hv_sched_runq *r = hv_sched_unit_lock(u);

		set_unit(u, p);
		hv_spin_unlock(&r->lock);
	}
	return 0;
}

static void rt_dom_get_params(struct hv_sched_pool *pool,
			      struct hv_sched_dom *d, struct hv_sched_params *p)
{
	(void)pool;
	p->period = rd(d)->period;
	p->budget = rd(d)->budget;
}

/* ---- pool ---- */

/* One runqueue for the whole pool: the lowest pCPU's. */
static void rt_pool_setup(struct hv_sched_pool *pool)
{
	unsigned int first = hv_sched_pool_first_cpu(pool);
	struct hv_sched_runq *r;
	struct rt_runq *rq;

	if (first >= HV_SCHED_MAX_CPUS)
		return;
	r = &hv_sched_pcpu_of(pool, first)->own_rq;
	rq = hv_sched_runq_priv(r);
	memset(rq, 0, sizeof(*rq));
	hv_rb_init(&rq->edf);
	hv_rb_init(&rq->repl);
	rq->timer_cpu = first;
	rq->timer_until = HV_TIME_NEVER;
	for (unsigned int c = first; c < HV_SCHED_MAX_CPUS;
	     c = hv_sched_pool_next_cpu(pool, c))
		hv_sched_pcpu_set_rq(hv_sched_pcpu_of(pool, c), r);
}

const struct hv_sched_policy hv_sched_rtds = {
    .name = "rtds",
    .unit_priv_size = sizeof(struct rt_unit),
    .dom_priv_size = sizeof(struct rt_dom),
    .runq_priv_size = sizeof(struct rt_runq),
    .pool_setup = rt_pool_setup,
    .dom_init = rt_dom_init,
    .dom_set_params = rt_dom_set_params,
    .dom_get_params = rt_dom_get_params,
    .unit_set_params = rt_unit_set_params,
    .unit_get_params = rt_unit_get_params,
    .unit_insert = rt_unit_insert,
    .wake = rt_wake,
    .sleep = rt_sleep,
    .do_schedule = rt_do_schedule,
};
