/*
 * credit2: load tracking (decaying averages of the number of runnable
 * units, per runqueue and per unit), load balancing between runqueues at
 * the end of an epoch, and choosing the runqueue of a waking unit.
 */
#include "credit2.h"

/* ---- load tracking (exponentially decaying average) ---- */

static int64_t decay(int64_t avg, int64_t load, hv_time_t last, hv_time_t now)
{
	int64_t delta = (now >> GRAIN_SHIFT) - last;
	int64_t target = load << LOAD_SHIFT;

	if (delta < 0)
		delta = 0;
	if (delta >= (INT64_C(1) << WINDOW_SHIFT))
		return target;
	return avg + ((delta * target) >> WINDOW_SHIFT) -
	       ((delta * avg) >> WINDOW_SHIFT);
}

/* Other runqueues read avgload without our lock (as a hint): store it
 * atomically. */
void c2_load_change(struct c2_runq *rq, int change, hv_time_t now)
{
	__atomic_store_n(&rq->avgload,
			 decay(rq->avgload, rq->load, rq->load_time, now),
			 __ATOMIC_RELAXED);
	rq->load_time = now >> GRAIN_SHIFT;
	rq->load += change;
}

/* A unit's own load: the share of time it has been runnable. */
void c2_unit_load(struct c2_unit *c, bool was_runnable, hv_time_t now)
{
	c->avgload = decay(c->avgload, was_runnable, c->load_time, now);
	c->load_time = now >> GRAIN_SHIFT;
}

/* ---- load balancing between runqueues ---- */

struct balance {
	struct c2_runq *lrq, *orq;
	int64_t delta;
	struct hv_sched_unit *push, *pull;
};

static void consider(struct balance *b, struct hv_sched_unit *push,
		     struct hv_sched_unit *pull)
{
	int64_t l = b->lrq->avgload, o = b->orq->avgload, delta;

	if (push) {
		l -= cu(push)->avgload;
		o += cu(push)->avgload;
	}
	if (pull) {
		l += cu(pull)->avgload;
		o -= cu(pull)->avgload;
	}
	delta = l > o ? l - o : o - l;
	if (delta < b->delta) {
		b->delta = delta;
		b->push = push;
		b->pull = pull;
	}
}

static bool may_go(struct hv_sched_pool *pool, struct hv_sched_unit *u,
		   struct c2_runq *to)
{
	struct hv_sched_cpumask m;

	hv_bitmap_and(m.bits, u->hard.bits, to->cpus.bits, HV_SCHED_MAX_CPUS);
	hv_bitmap_and(m.bits, m.bits, pool->cpus.bits, HV_SCHED_MAX_CPUS);
	return !hv_bitmap_empty(m.bits, HV_SCHED_MAX_CPUS);
}

/* Up to BALANCE_SCAN queued units of `from` that may go to `to`, least
 * credit first (those would wait longest where they are). */
static unsigned int candidates(struct hv_sched_pool *pool, struct c2_runq *from,
			       struct c2_runq *to, struct hv_sched_unit **out)
{
	unsigned int n = 0;

	for (struct hv_rb_node *it = hv_rb_last(&from->queue);
	     it && n < BALANCE_SCAN; it = hv_rb_prev(it)) {
		struct hv_sched_unit *u = unit_of_node(it);

		/* A running unit is queued only inside its own pCPU's
		 * decision (this one's prev): leave it alone. */
		if (!u->running && may_go(pool, u, to))
			out[n++] = u;
	}
	return n;
}

static void migrate(struct hv_sched_pool *pool, struct c2_runq *from,
		    struct c2_runq *to, struct hv_sched_unit *u, hv_time_t now)
{
	struct hv_sched_cpumask m;
	size_t cpu;

	c2_leave(from, u, now);
	hv_bitmap_and(m.bits, u->hard.bits, to->cpus.bits, HV_SCHED_MAX_CPUS);
	cpu = hv_bitmap_find_next_set(m.bits, HV_SCHED_MAX_CPUS,
				      to->pick_bias + 1);
	if (cpu >= HV_SCHED_MAX_CPUS)
		cpu = hv_bitmap_find_first_set(m.bits, HV_SCHED_MAX_CPUS);
	to->pick_bias = (unsigned int)cpu;
	hv_sched_unit_move(pool, u, (unsigned int)cpu);
	c2_join(pool, to, u, now);
}

/* The other runqueue whose load differs most from ours, or NULL. */
static struct hv_sched_runq *farthest_runq(struct hv_sched_pool *pool,
					   struct hv_sched_runq *mine,
					   hv_time_t now)
{
	struct c2_runq *l = hv_sched_runq_priv(mine);
	struct hv_sched_runq *best = NULL;
	int64_t best_delta = 0;

	c2_load_change(l, 0, now);
	for (unsigned int c = hv_sched_pool_first_cpu(pool);
	     c < HV_SCHED_MAX_CPUS; c = hv_sched_pool_next_cpu(pool, c)) {
		struct hv_sched_runq *r = hv_sched_pcpu_of(pool, c)->rq;
		int64_t o, delta;

		if (r->id != c || r == mine)
			continue;
		o = __atomic_load_n(
		    &((struct c2_runq *)hv_sched_runq_priv(r))->avgload,
		    __ATOMIC_RELAXED);
		delta = l->avgload > o ? l->avgload - o : o - l->avgload;
		if (delta > best_delta) {
			best_delta = delta;
			best = r;
		}
	}
	return best;
}

/* Is the imbalance worth a migration (Xen's thresholds: one unit of load
 * when under capacity, an eighth of one when over). */
static bool worth_balancing(struct c2_runq *l, struct c2_runq *o)
{
	int64_t max = l->avgload > o->avgload ? l->avgload : o->avgload;
	int64_t delta = l->avgload > o->avgload ? l->avgload - o->avgload
						: o->avgload - l->avgload;
	unsigned int cpus = l->nr_cpus > o->nr_cpus ? l->nr_cpus : o->nr_cpus;

	if (max < ((int64_t)cpus << LOAD_SHIFT))
		return delta >= (INT64_C(1) << LOAD_SHIFT);
	return delta >= (INT64_C(1) << (LOAD_SHIFT - 3));
}

static void balance_pair(struct hv_sched_pool *pool, struct c2_runq *l,
			 struct c2_runq *o, hv_time_t now)
{
	struct hv_sched_unit *pushes[BALANCE_SCAN], *pulls[BALANCE_SCAN];
	struct balance b = {l, o, 0, NULL, NULL};
	unsigned int np, nq;

	c2_load_change(o, 0, now);
	if (!worth_balancing(l, o))
		return;
	b.delta = l->avgload > o->avgload ? l->avgload - o->avgload
					  : o->avgload - l->avgload;
	np = candidates(pool, l, o, pushes);
	nq = candidates(pool, o, l, pulls);
	for (unsigned int i = 0; i < np; i++) {
		consider(&b, pushes[i], NULL);
		for (unsigned int j = 0; j < nq; j++)
			consider(&b, pushes[i], pulls[j]);
	}
	for (unsigned int j = 0; j < nq; j++)
		consider(&b, NULL, pulls[j]);
	if (b.push)
		migrate(pool, l, o, b.push, now);
	if (b.pull)
		migrate(pool, o, l, b.pull, now);
}

void c2_balance_load(struct hv_sched_pool *pool, struct hv_sched_pcpu *pc,
		     hv_time_t now)
{
	struct hv_sched_runq *other = farthest_runq(pool, pc->rq, now);

	/* Holding our lock, another may only be tried (see sched_impl.h). */
	if (!other || !hv_spin_trylock(&other->lock))
		return;
	balance_pair(pool, hv_sched_runq_priv(pc->rq),
		     hv_sched_runq_priv(other), now);
	hv_spin_unlock(&other->lock);
}

/* The runqueue with the least load among those u may use (soft affinity
 * first), and a pCPU of it (Xen's csched2_res_pick). */
unsigned int c2_pick_cpu(struct hv_sched_pool *pool, struct hv_sched_unit *u,
			 hv_time_t now)
{
	struct hv_sched_runq *best[2] = {NULL, NULL};
	int64_t best_load[2] = {INT64_MAX, INT64_MAX};
	bool has_soft = hv_sched_unit_has_soft(pool, u);

	(void)now;
	for (unsigned int c = hv_sched_pool_first_cpu(pool);
	     c < HV_SCHED_MAX_CPUS; c = hv_sched_pool_next_cpu(pool, c)) {
		struct hv_sched_runq *r = hv_sched_pcpu_of(pool, c)->rq;
		struct c2_runq *q = hv_sched_runq_priv(r);
		struct hv_sched_cpumask m;
		int64_t load;

		if (r->id != c || !may_go(pool, u, q))
			continue;
		load = __atomic_load_n(&q->avgload, __ATOMIC_RELAXED);
		if (r == u->rq)
			load =
			    load > cu(u)->avgload ? load - cu(u)->avgload : 0;
		hv_bitmap_and(m.bits, q->cpus.bits, u->soft.bits,
			      HV_SCHED_MAX_CPUS);
		if (has_soft && load < best_load[0] &&
		    hv_bitmap_intersects(m.bits, u->hard.bits,
					 HV_SCHED_MAX_CPUS)) {
			best_load[0] = load;
			best[0] = r;
		}
		if (load < best_load[1]) {
			best_load[1] = load;
			best[1] = r;
		}
	}
	for (int i = 0; i < 2; i++) {
		struct c2_runq *q;

		if (!best[i])
			continue;
		q = hv_sched_runq_priv(best[i]);
		if (hv_sched_cpumask_test(&q->cpus, u->cpu) &&
		    hv_sched_unit_allowed(pool, u, u->cpu))
			return u->cpu;
		for (unsigned int c = hv_sched_pool_first_cpu(pool);
		     c < HV_SCHED_MAX_CPUS; c = hv_sched_pool_next_cpu(pool, c))
			if (hv_sched_cpumask_test(&q->cpus, c) &&
			    (i ? hv_sched_unit_allowed(pool, u, c)
			       : hv_sched_unit_prefers(pool, u, c)))
				return c;
	}
	return u->cpu;
}
