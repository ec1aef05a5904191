/*
 * The credit policy, after Xen's sched_credit ("credit1").
 *
 * Every accounting period (one time slice, 30 ms by default) the pool's CPU
 * time is shared out as credit among the units that are using CPU
 * ("active"), in proportion to their domain's weight and within its cap.
 * Running burns credit, 1 per ns.  A unit with credit is UNDER, without
 * OVER; a unit that wakes while UNDER is BOOSTed until its next tick, so it
 * preempts CPU hogs.  Each pCPU has its own runqueue, served in priority
 * order (BOOST, UNDER, OVER), first come first served within a priority,
 * for a time slice at a time; a pCPU about to run an OVER unit or idle
 * first steals higher-priority work from its peers.  A capped domain's
 * units are parked (not run) once they overspend, until accounting gives
 * them credit again.  A tick every third of a slice charges the running
 * unit, ends its boost and re-sorts the runqueue after accounting.
 *
 * Credit is in ns (Xen counts 10 credits per ms; the proportions are the
 * same).  The runqueues are three FIFO lists, one per priority: O(1)
 * insert and pick, where Xen walks one sorted list.  There are no timers:
 * ticks and accounting happen in the decisions, whose `until` never passes
 * the next tick.
 *
 * Locking: a pCPU's runqueue lock covers its lists and its units' queue
 * state; the pool's accounting lock (innermost) covers the active lists,
 * weights and caps.  Credit and the parked flag are changed by both sides,
 * atomically; a pCPU acts on a change of its units' parked flags at its
 * next decision (a tick at most).  Stealing takes a peer's runqueue lock
 * with a trylock only.
 */
#include "credit.h"

/* ---- runqueue lists ---- */

static void q_insert(struct cr_runq *rq, struct hv_sched_unit *u)
{
	struct cr_unit *c = cu(u);

	if (parked(c)) {
		hv_list_add_tail(&rq->parked, &c->qnode);
		c->on_parked = true;
		return;
	}
	hv_list_add_tail(&rq->q[c->pri], &c->qnode);
	c->queued = true;
	hv_atomic_store_relaxed_u32(&rq->nr_queued, rq->nr_queued + 1);
}

static void q_remove(struct cr_runq *rq, struct hv_sched_unit *u)
{
	struct cr_unit *c = cu(u);

	if (c->queued)
		hv_atomic_store_relaxed_u32(&rq->nr_queued, rq->nr_queued - 1);
	hv_list_del(&c->qnode);
	c->queued = false;
	c->on_parked = false;
}

/* The first queued unit of priority better than `worse`, not `skip`. */
static struct hv_sched_unit *q_best(struct cr_runq *rq, int worse,
				    struct hv_sched_unit *skip)
{
	for (int p = BOOST; p < worse && p < NR_PRI; p++) {
		struct hv_list *pos;

		hv_list_for_each (pos, &rq->q[p]) {
			struct hv_sched_unit *u = unit_of_q(pos);

			if (u != skip)
				return u;
		}
	}
	return NULL;
}

/* ---- priorities ---- */

static uint8_t credit_pri(struct cr_unit *c)
{
	return credit(c) >= 0 ? UNDER : OVER;
}

/* After an accounting, requeue by the new priorities (Xen's runq_sort) and
 * move units in and out of the parked list. */
static void resort(struct hv_sched_pool *pool, struct hv_sched_pcpu *pc)
{
	struct cr_runq *rq = hv_sched_runq_priv(pc->rq);
	uint32_t epoch = hv_atomic_load_u32(&cp(pool)->epoch);
	struct hv_list moved, *pos, *tmp;

	if (epoch == rq->epoch_seen)
		return;
	rq->epoch_seen = epoch;
	if (pc->curr && cu(pc->curr)->pri != BOOST)
		cu(pc->curr)->pri = credit_pri(cu(pc->curr));
	hv_list_init(&moved);
	for (int p = UNDER; p <= OVER; p++)
		hv_list_splice_tail(&moved, &rq->q[p]);
	hv_list_splice_tail(&moved, &rq->parked);
	hv_list_for_each_safe (pos, tmp, &moved) {
		struct hv_sched_unit *u = unit_of_q(pos);
		struct cr_unit *c = cu(u);

		hv_list_del(pos);
		if (c->queued)
			hv_atomic_store_relaxed_u32(&rq->nr_queued,
						    rq->nr_queued - 1);
		c->queued = c->on_parked = false;
		c->pri = credit_pri(c);
		q_insert(rq, u);
	}
}

/* ---- burning, ticks ---- */

static void burn(struct hv_sched_unit *u, hv_time_t now)
{
	struct cr_unit *c = cu(u);

	if (now > c->start) {
		credit_add(c, -(now - c->start));
		c->start = now;
	}
}

static hv_time_t next_tick_after(struct hv_sched_pool *pool, hv_time_t now)
{
	hv_time_t t = tick_period(pool);

	return now - now % t + t;
}

/* Xen's csched_tick and csched_unit_acct, for the running unit. */
static void tick(struct hv_sched_pool *pool, struct hv_sched_pcpu *pc,
		 hv_time_t now)
{
	struct hv_sched_unit *cur = pc->curr;

	if (now < cpc(pc)->next_tick)
		return;
	cpc(pc)->next_tick = next_tick_after(pool, now);
	if (cur) {
		if (cu(cur)->pri == BOOST)
			cu(cur)->pri = UNDER;
		if (!cu(cur)->active)
			cr_acct_start(pool, cur);
	}
}

/* ---- tickling ---- */

static bool is_idler(struct hv_sched_pool *pool, unsigned int cpu, void *arg)
{
	(void)arg;
	return hv_bitmap_test_atomic(cp(pool)->idlers.bits, cpu);
}

static void kick_idler(struct hv_sched_pool *pool, unsigned int cpu)
{
	hv_bitmap_clear_atomic(cp(pool)->idlers.bits, cpu);
	hv_sched_kick(pool, cpu);
}

/* Xen's __runq_tickle: a unit was queued on u->cpu. */
static void tickle(struct hv_sched_pool *pool, struct hv_sched_unit *u)
{
	struct hv_sched_pcpu *pc = hv_sched_pcpu_of(pool, u->cpu);
	struct hv_sched_unit *cur = pc->curr;
	unsigned int idle = HV_SCHED_MAX_CPUS;

	if (!cur) {
		kick_idler(pool, u->cpu);
		return;
	}
	if (hv_sched_unit_has_soft(pool, u))
		idle = hv_sched_find_cpu(pool, u, u->cpu, true, is_idler, NULL);
	if (idle >= HV_SCHED_MAX_CPUS)
		idle =
		    hv_sched_find_cpu(pool, u, u->cpu, false, is_idler, NULL);
	if (idle < HV_SCHED_MAX_CPUS) {
		/* An idler will steal it: leave cur alone. */
		kick_idler(pool, idle);
	} else if (cu(u)->pri < cu(cur)->pri) {
		cpc(pc)->resched = true;
		hv_sched_kick(pool, u->cpu);
	}
}

/* ---- stealing from peers ---- */

/* A unit of peer's queue better than `worse` that may run on cpu. */
static struct hv_sched_unit *steal_from(struct hv_sched_pool *pool,
					struct cr_runq *peer, unsigned int cpu,
					int worse, bool soft)
{
	for (int p = BOOST; p < worse && p < NR_PRI; p++) {
		struct hv_list *pos;

		hv_list_for_each (pos, &peer->q[p]) {
			struct hv_sched_unit *u = unit_of_q(pos);

			if (soft ? hv_sched_unit_has_soft(pool, u) &&
				       hv_sched_unit_prefers(pool, u, cpu)
				 : hv_sched_unit_allowed(pool, u, cpu)) {
				q_remove(peer, u);
				hv_sched_unit_move(pool, u, cpu);
				return u;
			}
		}
	}
	return NULL;
}

/* Xen's csched_load_balance: take better work than `worse` from a busy
 * peer, soft-affine work first. */
static struct hv_sched_unit *steal(struct hv_sched_pool *pool, unsigned int cpu,
				   int worse)
{
	struct cr_pool *p = cp(pool);

	for (int soft = 1; soft >= 0; soft--) {
		unsigned int peer = hv_sched_pool_next_cpu(
		    pool, hv_atomic_load_relaxed_u32(&p->steal_bias));

		for (unsigned int n = 0; n < pool->nr_cpus; n++) {
			struct hv_sched_runq *r;
			struct hv_sched_unit *u = NULL;

			if (peer >= HV_SCHED_MAX_CPUS)
				peer = hv_sched_pool_first_cpu(pool);
			r = hv_sched_pcpu_of(pool, peer)->rq;
			if (peer != cpu && !is_idler(pool, peer, NULL) &&
			    hv_atomic_load_relaxed_u32(
				&((struct cr_runq *)hv_sched_runq_priv(r))
				     ->nr_queued) &&
			    hv_spin_trylock(&r->lock)) {
				u = steal_from(pool, hv_sched_runq_priv(r), cpu,
					       worse, soft);
				hv_spin_unlock(&r->lock);
			}
			if (u) {
				hv_atomic_store_relaxed_u32(&p->steal_bias,
							    peer);
				return u;
			}
			peer = hv_sched_pool_next_cpu(pool, peer);
		}
	}
	return NULL;
}

/* ---- the decision ---- */

/* Nothing calls for a new choice: this is a tick, or an early call. */
static bool keep_running(struct hv_sched_pcpu *pc, hv_time_t now)
{
	struct hv_sched_unit *cur = pc->curr;

	return cur && cur->runnable && !parked(cu(cur)) && !cu(cur)->yield &&
	       !cpc(pc)->resched && now < cpc(pc)->slice_end;
}

static bool within_ratelimit(struct hv_sched_pool *pool,
			     struct hv_sched_unit *cur, hv_time_t now)
{
	hv_time_t rl = cp(pool)->ratelimit;

	return cur && cur->runnable && !parked(cu(cur)) && !cu(cur)->yield &&
	       rl && now - cu(cur)->run_start < rl;
}

static hv_time_t until_tick(struct hv_sched_pcpu *pc, hv_time_t until)
{
	return cpc(pc)->next_tick < until ? cpc(pc)->next_tick : until;
}

static struct hv_sched_unit *pick(struct hv_sched_pool *pool,
				  struct hv_sched_pcpu *pc,
				  struct hv_sched_unit *prev)
{
	struct cr_runq *rq = hv_sched_runq_priv(pc->rq);
	bool yielded = prev && cu(prev)->yield;
	struct hv_sched_unit *snext;

	if (prev && prev->runnable)
		q_insert(rq, prev);
	/* A yielding unit goes behind at least one other, if any. */
	snext = q_best(rq, NR_PRI, yielded ? prev : NULL);
	if (!snext || cu(snext)->pri == OVER) {
		struct hv_sched_unit *stolen =
		    steal(pool, pc->id, snext ? OVER : NR_PRI);

		if (stolen)
			return stolen;
	}
	if (!snext && yielded && cu(prev)->queued)
		snext = prev;
	if (snext)
		q_remove(rq, snext);
	return snext;
}

static void cr_do_schedule(struct hv_sched_pool *pool, struct hv_sched_pcpu *pc,
			   hv_time_t now, struct hv_sched_decision *d)
{
	struct hv_sched_unit *prev = pc->curr, *next;
	struct cr_pcpu *c = cpc(pc);

	if (prev)
		burn(prev, now);
	cr_account_if_due(pool, now);
	tick(pool, pc, now);
	resort(pool, pc);

	if (keep_running(pc, now) || within_ratelimit(pool, prev, now)) {
		hv_time_t rl_end = cu(prev)->run_start + cp(pool)->ratelimit;

		d->unit = prev;
		d->until = until_tick(pc, c->slice_end);
		if (c->resched && rl_end < d->until)
			d->until =
			    rl_end > now + MIN_TIMER ? rl_end : now + MIN_TIMER;
		return;
	}
	c->resched = false;
	next = pick(pool, pc, prev);
	if (prev)
		cu(prev)->yield = false;
	d->unit = next;
	if (!next) {
		hv_bitmap_set_atomic(cp(pool)->idlers.bits, pc->id);
		d->until =
		    hv_list_empty(
			&((struct cr_runq *)hv_sched_runq_priv(pc->rq))->parked)
			? HV_TIME_NEVER
			: (hv_time_t)hv_atomic_load_u64(
			      (uint64_t *)&cp(pool)->next_acct);
		return;
	}
	hv_bitmap_clear_atomic(cp(pool)->idlers.bits, pc->id);
	if (next != prev)
		cu(next)->run_start = now;
	cu(next)->start = now;
	if (c->next_tick <= now)
		c->next_tick = next_tick_after(pool, now);
	c->slice_end = now + cp(pool)->tslice;
	d->until = until_tick(pc, c->slice_end);
}

/* ---- unit hooks ---- */

static void cr_unit_insert(struct hv_sched_pool *pool, struct hv_sched_unit *u)
{
	struct cr_unit *c = cu(u);

	(void)pool;
	hv_list_init(&c->qnode);
	hv_list_init(&c->active_node);
	c->pri = UNDER;
}

static void cr_unit_remove(struct hv_sched_pool *pool, struct hv_sched_unit *u)
{
	struct cr_pool *p = cp(pool);

	hv_spin_lock(&p->acct_lock);
	if (cu(u)->active)
		cr_acct_stop_locked(p, u);
	hv_spin_unlock(&p->acct_lock);
}

/* Stay where it last ran, unless that is outside its soft affinity and a
 * soft-affine pCPU idles, or no longer allowed. */
static unsigned int cr_pick_cpu(struct hv_sched_pool *pool,
				struct hv_sched_unit *u, hv_time_t now)
{
	unsigned int cpu;

	(void)now;
	if (hv_sched_unit_prefers(pool, u, u->cpu))
		return u->cpu;
	cpu = hv_sched_find_cpu(pool, u, u->cpu, true, is_idler, NULL);
	if (cpu < HV_SCHED_MAX_CPUS)
		return cpu;
	if (hv_sched_unit_allowed(pool, u, u->cpu))
		return u->cpu;
	cpu = hv_sched_find_cpu(pool, u, u->cpu, false, is_idler, NULL);
	if (cpu < HV_SCHED_MAX_CPUS)
		return cpu;
	return hv_sched_find_cpu(pool, u, u->cpu, false, NULL, NULL);
}

static void cr_wake(struct hv_sched_pool *pool, struct hv_sched_unit *u,
		    hv_time_t now, unsigned int flags)
{
	struct cr_unit *c = cu(u);

	(void)now;
	if (u->running || c->queued || c->on_parked)
		return;
	/* Boost a unit woken from sleep, not one merely moved. */
	if (!(flags & HV_SCHED_WAKE_MIGRATE) && c->pri == UNDER && !parked(c))
		c->pri = BOOST;
	q_insert(crq(pool, u->cpu), u);
	if (c->queued)
		tickle(pool, u);
}

static void cr_sleep(struct hv_sched_pool *pool, struct hv_sched_unit *u,
		     hv_time_t now)
{
	(void)now;
	if (cu(u)->queued || cu(u)->on_parked)
		q_remove(crq(pool, u->cpu), u);
}

static void cr_yield(struct hv_sched_pool *pool, struct hv_sched_unit *u,
		     hv_time_t now)
{
	(void)pool;
	(void)now;
	cu(u)->yield = true;
}

/* ---- domains and parameters ---- */

static void cr_dom_init(struct hv_sched_pool *pool, struct hv_sched_dom *d)
{
	(void)pool;
	hv_list_init(&cd(d)->active_units);
	hv_list_init(&cd(d)->active_node);
	cd(d)->weight = HV_SCHED_DEFAULT_WEIGHT;
}

static int cr_dom_set_params(struct hv_sched_pool *pool, struct hv_sched_dom *d,
			     const struct hv_sched_params *p)
{
	struct cr_pool *cpo = cp(pool);
	struct cr_dom *c = cd(d);
	int rc = hv_sched_check_weight_cap(pool, d, p);

	if (rc)
		return rc;
	hv_spin_lock(&cpo->acct_lock);
	cpo->weight_total -= (uint64_t)c->weight * c->active;
	cpo->weight_total += (uint64_t)p->weight * c->active;
	c->weight = p->weight;
	c->cap = p->cap;
	hv_spin_unlock(&cpo->acct_lock);
	return 0;
}

static void cr_dom_get_params(struct hv_sched_pool *pool,
			      struct hv_sched_dom *d, struct hv_sched_params *p)
{
	struct cr_pool *cpo = cp(pool);

	hv_spin_lock(&cpo->acct_lock);
	p->weight = cd(d)->weight;
	p->cap = cd(d)->cap;
	hv_spin_unlock(&cpo->acct_lock);
}

/* ---- pools ---- */

static void cr_pool_init(struct hv_sched_pool *pool)
{
	struct cr_pool *p = cp(pool);

	hv_spin_init(&p->acct_lock);
	hv_list_init(&p->active_doms);
	p->tslice = HV_MSEC(30);
	p->ratelimit = HV_SCHED_DEFAULT_RATELIMIT;
	p->next_acct = p->tslice;
}

/* Every pCPU has its own runqueue. */
static void cr_pool_setup(struct hv_sched_pool *pool)
{
	for (unsigned int c = hv_sched_pool_first_cpu(pool);
	     c < HV_SCHED_MAX_CPUS; c = hv_sched_pool_next_cpu(pool, c)) {
		struct hv_sched_pcpu *pc = hv_sched_pcpu_of(pool, c);
		struct cr_runq *rq = hv_sched_runq_priv(&pc->own_rq);

		hv_sched_pcpu_set_rq(pc, &pc->own_rq);
		memset(rq, 0, sizeof(*rq));
		for (int p = 0; p < NR_PRI; p++)
			hv_list_init(&rq->q[p]);
		hv_list_init(&rq->parked);
		hv_bitmap_set_atomic(cp(pool)->idlers.bits, c);
	}
}

static int cr_pool_set_params(struct hv_sched_pool *pool,
			      const struct hv_sched_pool_params *p)
{
	int rc = hv_sched_check_ratelimit(pool, p->ratelimit);

	if (rc)
		return rc;
	if (p->tslice < TSLICE_MIN || p->tslice > TSLICE_MAX ||
	    p->ratelimit > p->tslice) {
		hv_log_warn(hv_sched_log(pool),
			    "sched credit: tslice %lld ns not in 1 ms .. 1 s, "
			    "or below ratelimit %lld ns",
			    (long long)p->tslice, (long long)p->ratelimit);
		return -HV_EINVAL;
	}
	hv_spin_lock(&cp(pool)->acct_lock);
	cp(pool)->tslice = p->tslice;
	cp(pool)->ratelimit = p->ratelimit;
	hv_spin_unlock(&cp(pool)->acct_lock);
	return 0;
}

static void cr_pool_get_params(struct hv_sched_pool *pool,
			       struct hv_sched_pool_params *p)
{
	p->tslice = cp(pool)->tslice;
	p->ratelimit = cp(pool)->ratelimit;
}

const struct hv_sched_policy hv_sched_credit = {
    .name = "credit",
    .unit_priv_size = sizeof(struct cr_unit),
    .dom_priv_size = sizeof(struct cr_dom),
    .pcpu_priv_size = sizeof(struct cr_pcpu),
    .runq_priv_size = sizeof(struct cr_runq),
    .pool_priv_size = sizeof(struct cr_pool),
    .pool_init = cr_pool_init,
    .pool_setup = cr_pool_setup,
    .pool_set_params = cr_pool_set_params,
    .pool_get_params = cr_pool_get_params,
    .dom_init = cr_dom_init,
    .dom_set_params = cr_dom_set_params,
    .dom_get_params = cr_dom_get_params,
    .unit_insert = cr_unit_insert,
    .unit_remove = cr_unit_remove,
    .pick_cpu = cr_pick_cpu,
    .wake = cr_wake,
    .sleep = cr_sleep,
    .yield = cr_yield,
    .do_schedule = cr_do_schedule,
};
