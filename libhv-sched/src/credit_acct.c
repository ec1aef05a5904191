/*
 * credit: the accounting (Xen's csched_acct).  Once per time slice, the
 * pCPU that first decides after it is due shares the pool's CPU time of
 * the period out as credit among the active units: by weight, within caps,
 * giving what capped domains cannot use to the others, and converging the
 * credit left over towards 0.  Units that do not use their credit stop
 * being active; capped units that overspend are parked.
 */
#include "credit.h"

/* ---- accounting ---- */

void cr_acct_start(struct hv_sched_pool *pool, struct hv_sched_unit *u)
{
	struct cr_pool *p = cp(pool);
	struct cr_dom *d = cd(u->dom);
	struct cr_unit *c = cu(u);

	hv_spin_lock(&p->acct_lock);
	if (!c->active) {
		c->active = true;
		hv_list_add_tail(&d->active_units, &c->active_node);
		if (d->active++ == 0)
			hv_list_add_tail(&p->active_doms, &d->active_node);
		p->weight_total += d->weight;
	}
	hv_spin_unlock(&p->acct_lock);
}

void cr_acct_stop_locked(struct cr_pool *p, struct hv_sched_unit *u)
{
	struct cr_dom *d = cd(u->dom);
	struct cr_unit *c = cu(u);

	c->active = false;
	hv_list_del(&c->active_node);
	if (--d->active == 0)
		hv_list_del(&d->active_node);
	p->weight_total -= d->weight;
}

struct acct_run {
	int64_t credit_total;
	uint64_t weight_total, weight_left;
	int64_t old_balance, balance;
	bool xtra;
};

/*
 * A domain's share of this period's credit (Xen's csched_acct): its
 * weight's part of the total, at most what its active units could burn
 * (or its cap); what a domain cannot use goes to the rest.
 */
static int64_t dom_share(struct cr_pool *p, struct cr_dom *d,
			 struct acct_run *r, int64_t *cap_unit)
{
	uint64_t dw = (uint64_t)d->weight * d->active;
	int64_t peak = (int64_t)d->active * p->tslice;
	int64_t fair;

	r->weight_left -= dw;
	if (r->old_balance < 0)
		peak += (int64_t)hv_sched_muldiv((uint64_t)-r->old_balance, dw,
						 r->weight_total);
	*cap_unit = 0;
	if (d->cap) {
		int64_t cap_credit = (int64_t)d->cap * p->tslice / 100;

		if (cap_credit < peak)
			peak = cap_credit;
		*cap_unit = (cap_credit + d->active - 1) / d->active;
	}
	fair = (int64_t)hv_sched_muldiv((uint64_t)r->credit_total, dw,
					r->weight_total);
	if (fair < peak) {
		r->xtra = true;
	} else {
		if (r->weight_left)
			r->credit_total += (int64_t)hv_sched_muldiv(
			    (uint64_t)(fair - peak), r->weight_total,
			    r->weight_left);
		if (r->xtra) {
			/* Domains with extra credit go first next time. */
			hv_list_del(&d->active_node);
			hv_list_add_head(&p->active_doms, &d->active_node);
		}
		fair = peak;
	}
	return (fair + d->active - 1) / d->active;
}

/* Give a unit its share; park, unpark, clamp or retire it. */
static void unit_credit(struct cr_pool *p, struct hv_sched_unit *u,
			int64_t share, int64_t cap_unit, bool capped,
			struct acct_run *r)
{
	struct cr_unit *c = cu(u);
	int64_t cr;

	credit_add(c, share);
	cr = credit(c);
	if (cr < 0) {
		/* Its pCPU notices at its next decision (a tick at most). */
		if (capped && cr < -cap_unit)
			hv_atomic_store_u8(&c->parked, 1);
		if (cr < -p->tslice) {
			cr = -p->tslice;
			credit_set(c, cr);
		}
	} else {
		hv_atomic_store_u8(&c->parked, 0);
		if (cr > p->tslice) {
			/* Not using its credit: stop earning, keep half. */
			cr_acct_stop_locked(p, u);
			cr /= 2;
			credit_set(c, cr);
		}
	}
	r->balance += cr;
}

static void account(struct hv_sched_pool *pool)
{
	struct cr_pool *p = cp(pool);
	struct acct_run r = {0};
	struct hv_list *dpos, *dtmp;

	r.credit_total = p->tslice * (int64_t)pool->nr_cpus;
	r.old_balance = p->balance;
	if (p->balance < 0)
		r.credit_total -= p->balance;
	r.weight_total = r.weight_left = p->weight_total;
	if (!r.weight_total) {
		p->balance = 0;
		return;
	}
	hv_list_for_each_safe (dpos, dtmp, &p->active_doms) {
		struct cr_dom *d =
		    hv_list_entry(dpos, struct cr_dom, active_node);
		struct hv_list *upos, *utmp;
		int64_t cap_unit, share = dom_share(p, d, &r, &cap_unit);
		bool capped = d->cap != 0;

		hv_list_for_each_safe (upos, utmp, &d->active_units) {
			struct cr_unit *c =
			    hv_list_entry(upos, struct cr_unit, active_node);

			unit_credit(p, hv_sched_unit_of_priv(c), share,
				    cap_unit, capped, &r);
		}
	}
	p->balance = r.balance;
	hv_atomic_fetch_add_u32(&p->epoch, 1);
}

/* Run the accounting if it is due and nobody else is at it. */
void cr_account_if_due(struct hv_sched_pool *pool, hv_time_t now)
{
	struct cr_pool *p = cp(pool);

	if (now < (hv_time_t)hv_atomic_load_u64((uint64_t *)&p->next_acct) ||
	    !hv_spin_trylock(&p->acct_lock))
		return;
	if (now >= p->next_acct) {
		hv_time_t next = p->next_acct;

		while (next <= now)
			next += p->tslice;
		hv_atomic_store_u64((uint64_t *)&p->next_acct, (uint64_t)next);
		account(pool);
	}
	hv_spin_unlock(&p->acct_lock);
}
