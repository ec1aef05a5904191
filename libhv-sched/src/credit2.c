/*
 * The credit2 policy, after Xen's sched_credit2.
 *
 * Units burn credit while they run, at a rate scaled by their weight: the
 * heaviest unit on a runqueue burns one credit per ns, a unit of half its
 * weight two.  Each runqueue (per core, socket or pool: the layout) keeps
 * its runnable units ordered by credit in an rb-tree; a pCPU runs the one
 * with most credit.  When the best candidate has no credit left, the
 * runqueue's epoch ends: every member gets CREDIT_INIT more, clipped to a
 * small carry-over (a "reset"), and the runqueue balances its load with
 * the others.  A waking unit usually has more credit than the CPU hogs it
 * competes with, so it preempts the pCPU running the unit with least
 * credit at once (subject to the ratelimit): the latency advantage credit2
 * was adopted for.
 *
 * Differences from Xen, all for bounded work per decision: a runqueue's
 * members are its runnable units (an asleep unit catches up on the resets
 * it missed when it wakes, which gives the same credit Xen's reset of
 * blocked units gives); load balancing considers at most BALANCE_SCAN
 * queued units on each side instead of every pair; parked (capped) units
 * are rechecked per runqueue when their domain's budget is replenished.
 *
 * Locking: a runqueue's lock covers its tree, member list, masks, load and
 * its units' credit2 state.  A capped domain's budget has its own lock,
 * taken inside a runqueue lock.  Pool parameters change with every
 * runqueue locked.
 */
#include "credit2.h"

/* ---- the ordered queue ---- */

static int credit_cmp(const struct hv_rb_node *a, const struct hv_rb_node *b)
{
	int64_t ca = hv_rb_entry(a, struct c2_unit, node)->credit;
	int64_t cb = hv_rb_entry(b, struct c2_unit, node)->credit;

	return (ca < cb) - (ca > cb); /* most credit first */
}

void c2_queue_insert(struct c2_runq *rq, struct hv_sched_unit *u)
{
	hv_rb_insert(&rq->queue, &cu(u)->node, credit_cmp);
	cu(u)->queued = true;
}

void c2_queue_remove(struct c2_runq *rq, struct hv_sched_unit *u)
{
	hv_rb_remove(&rq->queue, &cu(u)->node);
	cu(u)->queued = false;
}

static struct hv_sched_unit *queue_first(struct c2_runq *rq)
{
	struct hv_rb_node *n = hv_rb_first(&rq->queue);

	return n ? unit_of_node(n) : NULL;
}

/* ---- membership and max weight ---- */

static void max_weight_add(struct c2_runq *rq, uint32_t w)
{
	if (w > rq->max_weight) {
		rq->max_weight = w;
		rq->nr_at_max = 1;
	} else if (w == rq->max_weight) {
		rq->nr_at_max++;
	}
}

static void max_weight_remove(struct c2_runq *rq, uint32_t w)
{
	struct hv_list *pos;

	if (w != rq->max_weight || --rq->nr_at_max)
		return;
	/* The last unit of the maximum weight left: find the new one. */
	rq->max_weight = 0;
	hv_list_for_each (pos, &rq->members) {
		max_weight_add(rq, cu(unit_of_member(pos))->weight);
	}
}

/* Apply the resets u missed while away: credit only grows by them. */
static void catch_up_resets(struct c2_runq *rq, struct hv_sched_unit *u)
{
	struct c2_unit *c = cu(u);
	uint32_t missed = rq->resets - c->resets_seen;

	if (c->resets_rq != u->rq->id)
		missed = 1;
	for (uint32_t i = 0; i < missed && i < 3; i++) {
		c->credit += CREDIT_INIT;
		if (c->credit > CREDIT_INIT + CARRYOVER_MAX)
			c->credit = CREDIT_INIT + CARRYOVER_MAX;
	}
	c->resets_seen = rq->resets;
	c->resets_rq = u->rq->id;
}

static void member_add(struct c2_runq *rq, struct hv_sched_unit *u)
{
	struct c2_unit *c = cu(u);

	catch_up_resets(rq, u);
	hv_list_add_tail(&rq->members, &c->member);
	c->is_member = true;
	max_weight_add(rq, c->weight);
}

static void member_remove(struct c2_runq *rq, struct hv_sched_unit *u)
{
	struct c2_unit *c = cu(u);

	hv_list_del(&c->member);
	c->is_member = false;
	c->resets_seen = rq->resets;
	max_weight_remove(rq, c->weight);
}

/* ---- credit ---- */

static uint32_t burn_scale(struct c2_runq *rq, struct c2_unit *c)
{
	return rq->max_weight ? rq->max_weight : c->weight;
}

static void burn(struct c2_runq *rq, struct hv_sched_unit *u, hv_time_t now)
{
	struct c2_unit *c = cu(u);
	hv_time_t delta = now - c->start;
	uint64_t val;

	if (delta <= 0)
		return;
	if (capped(u))
		c->budget -= delta;
	c->start = now;
	if (delta > HV_SEC(10)) /* beyond any credit range; avoids overflow */
		delta = HV_SEC(10);
	val = (uint64_t)delta * burn_scale(rq, c) + c->residual;
	c->residual = val % c->weight;
	c->credit -= (int64_t)(val / c->weight);
	if (c->credit < CREDIT_MIN)
		c->credit = CREDIT_MIN;
}

/* Time for which u may run to burn `credit`. */
static hv_time_t credit_to_time(struct c2_runq *rq, struct c2_unit *c,
				int64_t credit)
{
	return (hv_time_t)hv_sched_muldiv((uint64_t)credit, c->weight,
					  burn_scale(rq, c));
}

/*
 * End of an epoch: everyone on the runqueue gets CREDIT_INIT more (twice
 * if snext is at the floor, so that it gets back in the black), clipped to
 * CREDIT_INIT + CARRYOVER_MAX.  The map is monotonic, so the tree's order
 * stays valid without re-sorting.
 */
static void reset_credit(struct c2_runq *rq, struct hv_sched_unit *snext,
			 hv_time_t now)
{
	int64_t add = CREDIT_INIT;
	struct hv_list *pos;

	if (cu(snext)->credit <= CREDIT_MIN)
		add += CREDIT_INIT;
	hv_list_for_each (pos, &rq->members) {
		struct hv_sched_unit *u = unit_of_member(pos);
		struct c2_unit *c = cu(u);

		if (u->running && u != snext)
			burn(rq, u, now);
		c->credit += add;
		if (c->credit > CREDIT_INIT + CARRYOVER_MAX)
			c->credit = CREDIT_INIT + CARRYOVER_MAX;
		c->start = now;
		c->resets_seen = rq->resets + 1;
	}
	rq->resets++;
}

/* ---- tickling: which pCPU should take a queued unit ---- */

static void tickle_cpu(struct hv_sched_pool *pool, struct c2_runq *rq,
		       struct hv_sched_unit *u, unsigned int cpu)
{
	hv_sched_cpumask_set(&rq->tickled, cpu);
	cu(u)->tickled_cpu = (int)cpu;
	hv_sched_kick(pool, cpu);
}

struct idle_arg {
	struct c2_runq *rq;
};

static bool idle_untickled(struct hv_sched_pool *pool, unsigned int cpu,
			   void *arg)
{
	struct c2_runq *rq = ((struct idle_arg *)arg)->rq;

	(void)pool;
	return hv_sched_cpumask_test(&rq->cpus, cpu) &&
	       hv_sched_cpumask_test(&rq->idle, cpu) &&
	       !hv_sched_cpumask_test(&rq->tickled, cpu);
}

static bool preemptable(struct hv_sched_pool *pool, struct hv_sched_unit *cur,
			hv_time_t now)
{
	hv_time_t rl = cp(pool)->ratelimit;

	return rl <= RATELIMIT_TOLERANCE ||
	       now - cu(cur)->run_start > rl - RATELIMIT_TOLERANCE;
}

/* How much better running new on cpu would be; <= 0: not worth it. */
static int64_t tickle_score(struct hv_sched_pool *pool, struct c2_runq *rq,
			    struct hv_sched_unit *new, unsigned int cpu,
			    hv_time_t now)
{
	struct hv_sched_unit *cur = hv_sched_pcpu_of(pool, cpu)->curr;
	int64_t score;

	if (!cur || !preemptable(pool, cur, now))
		return -1;
	burn(rq, cur, now);
	score = cu(new)->credit - cu(cur)->credit;
	if (new->cpu != cpu)
		score -= MIGRATE_RESIST;
	if (score > 0) {
		if (hv_sched_cpumask_test(&new->soft, cpu))
			score += CREDIT_INIT;
		if (!hv_sched_cpumask_test(&cur->soft, cpu))
			score += CREDIT_INIT;
	}
	return score;
}

/* Whether rq has a pCPU that idle_untickled accepts: when it has none,
 * looking for one in u's affinities cannot succeed. */
static bool any_idle_untickled(const struct c2_runq *rq)
{
	for (size_t i = 0; i < HV_BITMAP_WORDS(HV_SCHED_MAX_CPUS); i++)
		if (rq->cpus.bits[i] & rq->idle.bits[i] & ~rq->tickled.bits[i])
			return true;
	return false;
}

void c2_tickle(struct hv_sched_pool *pool, struct c2_runq *rq,
	       struct hv_sched_unit *u, hv_time_t now)
{
	struct idle_arg arg = {rq};
	int64_t best = 0;
	unsigned int cpu, ipid = HV_SCHED_MAX_CPUS;

	/* An idle pCPU, in soft affinity first, where it last ran first. */
	for (int soft = 1; soft >= 0 && any_idle_untickled(rq); soft--) {
		if (soft && !hv_sched_unit_has_soft(pool, u))
			continue;
		cpu = hv_sched_find_cpu(pool, u, u->cpu, soft, idle_untickled,
					&arg);
		if (cpu < HV_SCHED_MAX_CPUS) {
			tickle_cpu(pool, rq, u, cpu);
			return;
		}
	}
	/*
	 * Otherwise preempt the busy pCPU where it gains most: those of rq,
	 * neither idle nor tickled, in the pool and u's hard affinity, in
	 * ascending order.  The masks are combined a word at a time (this
	 * runs at every requeue); scoring changes none of them.
	 */
	for (size_t i = 0; i < HV_BITMAP_WORDS(HV_SCHED_MAX_CPUS); i++) {
		unsigned long m = rq->cpus.bits[i] & ~rq->idle.bits[i] &
				  ~rq->tickled.bits[i] & pool->cpus.bits[i] &
				  u->hard.bits[i];

		for (; m; m &= m - 1) {
			int64_t score;

			cpu = (unsigned int)(i * HV_BITS_PER_LONG +
					     (size_t)__builtin_ctzl(m));
			score = tickle_score(pool, rq, u, cpu, now);
			if (score > best) {
				best = score;
				ipid = cpu;
			}
		}
	}
	if (ipid < HV_SCHED_MAX_CPUS)
		tickle_cpu(pool, rq, u, ipid);
}

/* ---- joining and leaving a runqueue ---- */

static void enqueue(struct hv_sched_pool *pool, struct c2_runq *rq,
		    struct hv_sched_unit *u, hv_time_t now)
{
	if (!c2_grab_budget(u, now)) {
		c2_park(rq, u, now);
		return;
	}
	c2_queue_insert(rq, u);
	c2_tickle(pool, rq, u, now);
}

/* u became runnable on its runqueue. */
void c2_join(struct hv_sched_pool *pool, struct c2_runq *rq,
	     struct hv_sched_unit *u, hv_time_t now)
{
	struct c2_unit *c = cu(u);

	c2_unit_load(c, false, now);
	member_add(rq, u);
	c2_load_change(rq, 1, now);
	c->start = now;
	enqueue(pool, rq, u, now);
}

/* u stopped being runnable (and is not running). */
void c2_leave(struct c2_runq *rq, struct hv_sched_unit *u, hv_time_t now)
{
	struct c2_unit *c = cu(u);

	if (c->queued)
		c2_queue_remove(rq, u);
	if (c->parked) {
		hv_list_del(&c->park_node);
		c->parked = false;
	} else {
		c2_load_change(rq, -1, now);
	}
	c2_unit_load(c, true, now);
	member_remove(rq, u);
	c2_return_budget(u);
}

/* ---- the decision ---- */

/* Is there an idle, untickled pCPU in cur's soft affinity (not this one)
 * that would suit it better than staying here outside it? */
static bool soft_preempt(struct hv_sched_pool *pool, struct c2_runq *rq,
			 struct hv_sched_unit *cur, unsigned int cpu)
{
	struct idle_arg arg = {rq};

	/* The cheap test first: both are pure. */
	if (hv_sched_cpumask_test(&cur->soft, cpu) ||
	    !hv_sched_unit_has_soft(pool, cur))
		return false;
	return hv_sched_find_cpu(pool, cur, cpu, true, idle_untickled, &arg) <
	       HV_SCHED_MAX_CPUS;
}

static int64_t credit_of(struct hv_sched_unit *u)
{
	return u ? cu(u)->credit : IDLE_CREDIT;
}

static struct hv_sched_unit *candidate(struct hv_sched_pool *pool,
				       struct c2_runq *rq,
				       struct hv_sched_unit *prev,
				       unsigned int cpu, bool yield,
				       hv_time_t now)
{
	struct hv_sched_unit *snext = NULL;
	struct hv_rb_node *it, *next;
	bool prev_ok = prev && prev->runnable && !cu(prev)->parked;

	if (prev_ok && !yield && cp(pool)->ratelimit &&
	    now - cu(prev)->run_start < cp(pool)->ratelimit)
		return prev;
	if (prev_ok && !soft_preempt(pool, rq, prev, cpu))
		snext = prev;

	/*
	 * The queue is sorted by credit: once a unit has no more credit than
	 * snext, none after it can win (unless snext yields), so the walk
	 * stops there.  It goes on past units that may not run here, are
	 * promised to another pCPU, or would not be worth migrating.  A
	 * migration is weighed against running snext, never against idling:
	 * an idle pCPU takes any unit it may run, as Xen's does (its idle
	 * credit, -2^30 ns, is far below any unit's).  IDLE_CREDIT is just
	 * below CREDIT_MIN here, so resisting would leave a unit within
	 * MIGRATE_RESIST of the floor waiting beside an idle pCPU -- and,
	 * when it was promised to this pCPU while its own pCPU passed it
	 * over and went idle, with no pCPU left to look at it.
	 */
	for (it = hv_rb_first(&rq->queue); it; it = next) {
		struct hv_sched_unit *u = unit_of_node(it);
		struct c2_unit *c = cu(u);

		next = hv_rb_next(it);
		if (!yield && c->credit <= credit_of(snext))
			break;
		if (!hv_sched_unit_allowed(pool, u, cpu))
			continue;
		if (c->tickled_cpu >= 0 &&
		    (unsigned int)c->tickled_cpu != cpu &&
		    hv_sched_cpumask_test(&rq->tickled,
					  (unsigned int)c->tickled_cpu))
			continue;
		if (snext && u->cpu != cpu &&
		    credit_of(snext) + MIGRATE_RESIST > c->credit)
			continue;
		if (c2_grab_budget(u, now)) {
			snext = u;
			break;
		}
		c2_park(rq, u, now);
	}
	return snext;
}

/* How long snext may run (Xen's csched2_runtime). */
static hv_time_t runtime(struct hv_sched_pool *pool, struct c2_runq *rq,
			 struct hv_sched_unit *snext, bool continuing,
			 hv_time_t now)
{
	struct c2_unit *c = cu(snext);
	hv_time_t min_time = MIN_TIMER, t = 0;
	hv_time_t rl = cp(pool)->ratelimit;
	struct hv_sched_unit *waiting = queue_first(rq);
	int64_t rt_credit = c->credit;

	if (rl) {
		hv_time_t rl_left = continuing ? c->run_start + rl - now : rl;

		if (rl_left > min_time)
			min_time = rl_left;
	}
	if (waiting && cu(waiting)->credit > 0)
		rt_credit = c->credit - cu(waiting)->credit;
	if (rt_credit > 0)
		t = credit_to_time(rq, c, rt_credit);
	if (capped(snext) && c->budget < t)
		t = c->budget;
	if (t < min_time)
		t = min_time;
	else if (t > MAX_TIMER)
		t = MAX_TIMER;
	return t;
}

/* prev is switched away from: requeue it, park it, or let it go. */
static void put_prev(struct hv_sched_pool *pool, struct c2_runq *rq,
		     struct hv_sched_unit *prev, hv_time_t now)
{
	struct c2_unit *c = cu(prev);

	if (!prev->runnable) {
		c2_leave(rq, prev, now);
		return;
	}
	/* Parked while running (budget gone): it waits for a refill. */
	if (c->parked)
		return;
	c2_queue_insert(rq, prev);
	c2_tickle(pool, rq, prev, now);
}

static void run(struct hv_sched_pool *pool, struct hv_sched_pcpu *pc,
		struct c2_runq *rq, struct hv_sched_unit *snext,
		struct hv_sched_unit *prev, hv_time_t now)
{
	struct c2_unit *c = cu(snext);
	struct hv_sched_unit *top;
	int64_t top_credit;

	if (snext != prev) {
		c2_queue_remove(rq, snext);
		c->run_start = now;
		if (snext->cpu != pc->id)
			c->credit += MIGRATE_COMPENSATION;
	}
	hv_sched_cpumask_clear(&rq->idle, pc->id);
	/* The epoch ends when the best runnable unit is out of credit. */
	top = queue_first(rq);
	top_credit = c->credit;
	if (top && cu(top)->credit > top_credit)
		top_credit = cu(top)->credit;
	if (top_credit <= 0) {
		reset_credit(rq, snext, now);
		c2_balance_load(pool, pc, now);
	}
	c->start = now;
	c->tickled_cpu = -1;
}

static void c2_do_schedule(struct hv_sched_pool *pool, struct hv_sched_pcpu *pc,
			   hv_time_t now, struct hv_sched_decision *d)
{
	struct c2_runq *rq = hv_sched_runq_priv(pc->rq);
	struct hv_sched_unit *prev = pc->curr, *snext;
	bool yield = false;

	hv_sched_cpumask_clear(&rq->tickled, pc->id);
	if (prev) {
		burn(rq, prev, now);
		yield = cu(prev)->yield;
		cu(prev)->yield = false;
		if (prev->runnable && !c2_grab_budget(prev, now))
			c2_park(rq, prev, now);
	}
	c2_unpark_due(pool, rq, now);

	snext = candidate(pool, rq, prev, pc->id, yield, now);
	if (prev && snext != prev)
		put_prev(pool, rq, prev, now);
	d->unit = snext;
	if (!snext) {
		hv_sched_cpumask_set(&rq->idle, pc->id);
		d->until = hv_list_empty(&rq->parked) ? HV_TIME_NEVER
						      : rq->next_unpark;
		return;
	}
	run(pool, pc, rq, snext, prev, now);
	d->until = now + runtime(pool, rq, snext, snext == prev, now);
	if (!hv_list_empty(&rq->parked) && rq->next_unpark < d->until)
		d->until = rq->next_unpark > now ? rq->next_unpark : d->until;
}

/* ---- unit hooks ---- */

static void c2_unit_insert(struct hv_sched_pool *pool, struct hv_sched_unit *u)
{
	struct c2_unit *c = cu(u);
	struct c2_dom *d = cd(u->dom);

	(void)pool;
	hv_rb_node_init(&c->node);
	hv_list_init(&c->member);
	hv_list_init(&c->park_node);
	c->credit = CREDIT_INIT;
	c->weight = d->weight;
	c->budget = d->cap ? 0 : UNLIMITED;
	c->avgload = INT64_C(1) << (LOAD_SHIFT - 1); /* start at 50% */
	c->tickled_cpu = -1;
	c->resets_rq = u->rq->id;
	c->resets_seen = rq_of(u)->resets;
}

static void c2_unit_remove(struct hv_sched_pool *pool, struct hv_sched_unit *u)
{
	(void)pool;
	c2_return_budget(u);
}

static void c2_wake(struct hv_sched_pool *pool, struct hv_sched_unit *u,
		    hv_time_t now, unsigned int flags)
{
	(void)flags;
	if (u->running)
		return; /* still a member: it just goes on */
	c2_join(pool, rq_of(u), u, now);
}

static void c2_sleep(struct hv_sched_pool *pool, struct hv_sched_unit *u,
		     hv_time_t now)
{
	(void)pool;
	/* A running unit leaves when its pCPU switches away from it. */
	if (!u->running && cu(u)->is_member)
		c2_leave(rq_of(u), u, now);
}

static void c2_yield(struct hv_sched_pool *pool, struct hv_sched_unit *u,
		     hv_time_t now)
{
	(void)pool;
	(void)now;
	cu(u)->yield = true;
}

/* ---- domains and parameters ---- */

static void c2_dom_init(struct hv_sched_pool *pool, struct hv_sched_dom *d)
{
	(void)pool;
	hv_spin_init(&cd(d)->budget_lock);
	cd(d)->weight = HV_SCHED_DEFAULT_WEIGHT;
}

static void set_weight(struct hv_sched_unit *u, uint32_t w)
{
	struct hv_sched_runq *r = hv_sched_unit_lock(u);
	struct c2_unit *c = cu(u);

	if (c->is_member) {
		max_weight_add(rq_of(u), w);
		max_weight_remove(rq_of(u), c->weight);
	}
	c->weight = w;
	c->residual = 0;
	hv_spin_unlock(&r->lock);
}

static int c2_dom_set_params(struct hv_sched_pool *pool, struct hv_sched_dom *d,
			     const struct hv_sched_params *p)
{
	struct hv_list *pos;
	int rc = hv_sched_check_weight_cap(pool, d, p);

	if (rc)
		return rc;
	if (p->weight != cd(d)->weight) {
		cd(d)->weight = p->weight;
		hv_list_for_each (pos, &d->units) {
			set_weight(
			    hv_list_entry(pos, struct hv_sched_unit, dom_node),
			    p->weight);
		}
	}
	if (p->cap != cd(d)->cap)
		c2_apply_cap(pool, d, p->cap);
	return 0;
}

static void c2_dom_get_params(struct hv_sched_pool *pool,
			      struct hv_sched_dom *d, struct hv_sched_params *p)
{
	(void)pool;
	p->weight = cd(d)->weight;
	p->cap = cd(d)->cap;
}

/* ---- pools ---- */

static void c2_pool_init(struct hv_sched_pool *pool)
{
	cp(pool)->ratelimit = HV_SCHED_DEFAULT_RATELIMIT;
	cp(pool)->layout = HV_SCHED_RUNQ_SOCKET;
}

static bool same_runq(struct hv_sched_pool *pool, unsigned int a,
		      unsigned int b)
{
	struct hv_sched_pcpu *pa = hv_sched_pcpu_of(pool, a);
	struct hv_sched_pcpu *pb = hv_sched_pcpu_of(pool, b);

	switch (cp(pool)->layout) {
	case HV_SCHED_RUNQ_CPU:
		return a == b;
	case HV_SCHED_RUNQ_CORE:
		return pa->socket == pb->socket && pa->core == pb->core;
	case HV_SCHED_RUNQ_SOCKET:
		return pa->socket == pb->socket;
	case HV_SCHED_RUNQ_ALL:
		break;
	}
	return true;
}

static void runq_init(struct c2_runq *rq)
{
	memset(rq, 0, sizeof(*rq));
	hv_rb_init(&rq->queue);
	hv_list_init(&rq->members);
	hv_list_init(&rq->parked);
	rq->next_unpark = HV_TIME_NEVER;
}

/* Each pCPU joins the runqueue of the lowest member it shares one with. */
static void c2_pool_setup(struct hv_sched_pool *pool)
{
	for (unsigned int c = hv_sched_pool_first_cpu(pool);
	     c < HV_SCHED_MAX_CPUS; c = hv_sched_pool_next_cpu(pool, c)) {
		unsigned int lead = hv_sched_pool_first_cpu(pool);
		struct hv_sched_pcpu *pl;
		struct c2_runq *rq;

		while (!same_runq(pool, lead, c))
			lead = hv_sched_pool_next_cpu(pool, lead);
		pl = hv_sched_pcpu_of(pool, lead);
		rq = hv_sched_runq_priv(&pl->own_rq);
		if (lead == c)
			runq_init(rq);
		hv_sched_pcpu_set_rq(hv_sched_pcpu_of(pool, c), &pl->own_rq);
		hv_sched_cpumask_set(&rq->cpus, c);
		hv_sched_cpumask_set(&rq->idle, c);
		rq->nr_cpus++;
	}
}

static int c2_pool_set_params(struct hv_sched_pool *pool,
			      const struct hv_sched_pool_params *p)
{
	int rc = hv_sched_check_ratelimit(pool, p->ratelimit);

	if (rc)
		return rc;
	if (p->runq_layout != cp(pool)->layout) {
		if ((unsigned int)p->runq_layout > HV_SCHED_RUNQ_ALL) {
			hv_log_warn(hv_sched_log(pool),
				    "sched credit2: unknown runqueue layout %d",
				    (int)p->runq_layout);
			return -HV_EINVAL;
		}
		if (!hv_list_empty(&pool->doms))
			return -HV_EBUSY;
	}
	cp(pool)->ratelimit = p->ratelimit;
	if (p->runq_layout != cp(pool)->layout) {
		cp(pool)->layout = p->runq_layout;
		c2_pool_setup(pool);
	}
	return 0;
}

static void c2_pool_get_params(struct hv_sched_pool *pool,
			       struct hv_sched_pool_params *p)
{
	p->ratelimit = cp(pool)->ratelimit;
	p->runq_layout = cp(pool)->layout;
}

const struct hv_sched_policy hv_sched_credit2 = {
    .name = "credit2",
    .unit_priv_size = sizeof(struct c2_unit),
    .dom_priv_size = sizeof(struct c2_dom),
    .runq_priv_size = sizeof(struct c2_runq),
    .pool_priv_size = sizeof(struct c2_pool),
    .pool_init = c2_pool_init,
    .pool_setup = c2_pool_setup,
    .pool_set_params = c2_pool_set_params,
    .pool_get_params = c2_pool_get_params,
    .dom_init = c2_dom_init,
    .dom_set_params = c2_dom_set_params,
    .dom_get_params = c2_dom_get_params,
    .unit_insert = c2_unit_insert,
    .unit_remove = c2_unit_remove,
    .pick_cpu = c2_pick_cpu,
    .wake = c2_wake,
    .sleep = c2_sleep,
    .yield = c2_yield,
    .do_schedule = c2_do_schedule,
};
