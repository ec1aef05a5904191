/*
 * credit2: caps.  A capped domain gets cap% of CAP_PERIOD ns of CPU every
 * period (Xen's budget replenishment); its units take slices of it while
 * they run and give back what they did not use.  A unit that finds no
 * budget is parked on its runqueue until the next replenishment.  The
 * budget has its own lock, taken inside a runqueue lock.
 */
#include "credit2.h"

/* ---- cap budget ---- */

/* Refill the domain's budget for the periods that have begun. */
static void dom_refill(struct c2_dom *d, hv_time_t now)
{
	if (d->next_repl == 0)
		d->next_repl = now + CAP_PERIOD;
	if (now < d->next_repl)
		return;
	while (d->next_repl <= now) {
		d->budget += d->tot_budget;
		d->next_repl += CAP_PERIOD;
	}
	if (d->budget > d->tot_budget)
		d->budget = d->tot_budget;
}

static int64_t unit_quota(struct hv_sched_unit *u)
{
	int64_t q =
	    cd(u->dom)->tot_budget / (u->dom->nr_units ? u->dom->nr_units : 1);

	return q > MIN_TIMER ? q : MIN_TIMER;
}

/* Take budget from the domain; false if it has none (u must park). */
bool c2_grab_budget(struct hv_sched_unit *u, hv_time_t now)
{
	struct c2_unit *c = cu(u);
	struct c2_dom *d = cd(u->dom);

	if (!capped(u) || c->budget > 0)
		return true;
	hv_spin_lock(&d->budget_lock);
	dom_refill(d, now);
	d->budget += c->budget; /* pay back any overrun */
	c->budget = 0;
	if (d->budget > 0) {
		int64_t q = unit_quota(u);

		c->budget = d->budget < q ? d->budget : q;
		d->budget -= c->budget;
	}
	hv_spin_unlock(&d->budget_lock);
	return c->budget > 0;
}

void c2_return_budget(struct hv_sched_unit *u)
{
	struct c2_dom *d = cd(u->dom);

	if (!capped(u) || cu(u)->budget <= 0)
		return;
	hv_spin_lock(&d->budget_lock);
	d->budget += cu(u)->budget;
	cu(u)->budget = 0;
	hv_spin_unlock(&d->budget_lock);
}

static hv_time_t dom_next_repl(struct hv_sched_unit *u)
{
	struct c2_dom *d = cd(u->dom);
	hv_time_t t;

	hv_spin_lock(&d->budget_lock);
	t = d->next_repl;
	hv_spin_unlock(&d->budget_lock);
	return t;
}

void c2_park(struct c2_runq *rq, struct hv_sched_unit *u, hv_time_t now)
{
	struct c2_unit *c = cu(u);
	hv_time_t t = dom_next_repl(u);

	if (c->queued)
		c2_queue_remove(rq, u);
	c->parked = true;
	hv_list_add_tail(&rq->parked, &c->park_node);
	c2_load_change(rq, -1, now);
	if (t < rq->next_unpark)
		rq->next_unpark = t;
}

/* Give parked units whose domain got budget again back to the queue. */
void c2_unpark_due(struct hv_sched_pool *pool, struct c2_runq *rq,
		   hv_time_t now)
{
	struct hv_list *pos, *tmp;

	if (now < rq->next_unpark)
		return;
	rq->next_unpark = HV_TIME_NEVER;
	hv_list_for_each_safe (pos, tmp, &rq->parked) {
		struct c2_unit *c =
		    hv_list_entry(pos, struct c2_unit, park_node);
		struct hv_sched_unit *u = hv_sched_unit_of_priv(c);

		if (!c2_grab_budget(u, now)) {
			hv_time_t t = dom_next_repl(u);

			if (t < rq->next_unpark)
				rq->next_unpark = t;
			continue;
		}
		hv_list_del(&c->park_node);
		c->parked = false;
		c2_load_change(rq, 1, now);
		c2_queue_insert(rq, u);
		c2_tickle(pool, rq, u, now);
	}
}

/*
 * Switch budget accounting on or off for one unit.  Work that needs the
 * time (unparking) is left to the unit's pCPU, which is kicked: its next
 * decision does it.
 */
static void set_unit_cap(struct hv_sched_pool *pool, struct hv_sched_unit *u,
			 bool on)
{
	struct hv_sched_runq *r = hv_sched_unit_lock(u);
	struct c2_unit *c = cu(u);

	c->budget = on ? 0 : UNLIMITED;
	if (!on && c->parked)
		rq_of(u)->next_unpark = 0;
	if (u->running || (!on && c->parked))
		hv_sched_kick(pool, u->cpu);
	hv_spin_unlock(&r->lock);
}

void c2_apply_cap(struct hv_sched_pool *pool, struct hv_sched_dom *d,
		  uint32_t cap)
{
	struct c2_dom *c = cd(d);
	bool was = c->cap != 0;
	struct hv_list *pos;

	hv_spin_lock(&c->budget_lock);
	c->tot_budget = (int64_t)CAP_PERIOD * cap / 100;
	if (!was) {
		c->budget = c->tot_budget;
		c->next_repl = 0; /* starts at the first refill */
	}
	c->cap = cap;
	hv_spin_unlock(&c->budget_lock);
	if (was == (cap != 0))
		return;
	hv_list_for_each (pos, &d->units) {
		set_unit_cap(pool,
			     hv_list_entry(pos, struct hv_sched_unit, dom_node),
			     cap != 0);
	}
}
