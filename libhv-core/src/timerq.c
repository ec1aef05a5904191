/*
 * A timer queue over the red-black tree, ordered by expiry.  Equal
 * expiries compare equal, and the tree keeps equals in insertion order, so
 * timers with the same expiry fire in the order they were armed.
 *
 * Runs and re-arming: every hv_timerq_run call starts a new generation
 * (q->run), and arming stamps the timer with the current one
 * (armed_in_run).  A run fires only timers stamped before it started, so a
 * callback that arms a timer for the past cannot keep the run going; such
 * a timer stays queued, due, and fires on the next call.
 */
#include <hv/timerq.h>

static struct hv_timer *timer_of(const struct hv_rb_node *n)
{
	return hv_rb_entry(n, struct hv_timer, node);
}

static int timer_cmp(const struct hv_rb_node *a, const struct hv_rb_node *b)
{
	hv_time_t ea = timer_of(a)->expires;
	hv_time_t eb = timer_of(b)->expires;

	return (ea > eb) - (ea < eb);
}

static int expiry_cmp(const void *key, const struct hv_rb_node *n)
{
	hv_time_t k = *(const hv_time_t *)key;
	hv_time_t e = timer_of(n)->expires;

	return (k > e) - (k < e);
}

void hv_timerq_init(struct hv_timerq *q)
{
	hv_rb_init(&q->timers);
	q->run = 0;
}

void hv_timer_init(struct hv_timer *t, hv_timer_fn fn, void *data)
{
	hv_rb_node_init(&t->node);
	t->expires = 0;
	t->fn = fn;
	t->data = data;
	t->armed_in_run = 0;
}

void hv_timerq_arm(struct hv_timerq *q, struct hv_timer *t, hv_time_t expires)
{
	if (hv_rb_node_is_linked(&t->node))
		hv_rb_remove(&q->timers, &t->node);
	t->expires = expires;
	t->armed_in_run = q->run;
	hv_rb_insert(&q->timers, &t->node, timer_cmp);
}

bool hv_timerq_cancel(struct hv_timerq *q, struct hv_timer *t)
{
	if (!hv_rb_node_is_linked(&t->node))
		return false;
	hv_rb_remove(&q->timers, &t->node);
	return true;
}

bool hv_timer_is_armed(const struct hv_timer *t)
{
	return hv_rb_node_is_linked(&t->node);
}

hv_time_t hv_timerq_next_deadline(const struct hv_timerq *q)
{
	const struct hv_rb_node *first = hv_rb_first(&q->timers);

	return first ? timer_of(first)->expires : HV_TIME_NEVER;
}

/*
 * The next timer run `gen` should fire at `now`, or NULL.
 *
 * Invariant: every queued timer armed before the run expires at or after
 * `floor` (the expiry of the last one the run fired), because the run fires
 * them earliest first and arming during the run cannot add any.  Timers
 * armed during the run and queued before `floor` are skipped wholesale by
 * the lower-bound search, so each is stepped over only a few times.
 */
static struct hv_timer *next_due(struct hv_timerq *q, hv_time_t floor,
				 hv_time_t now, uint64_t gen)
{
	struct hv_rb_node *n = hv_rb_first(&q->timers);

	if (n && timer_of(n)->expires < floor)
		n = hv_rb_lower_bound(&q->timers, &floor, expiry_cmp);
	for (; n; n = hv_rb_next(n)) {
		struct hv_timer *t = timer_of(n);

		if (t->expires > now)
			return NULL;
		if (t->armed_in_run != gen)
			return t;
	}
	return NULL;
}

size_t hv_timerq_run(struct hv_timerq *q, hv_time_t now)
{
	uint64_t gen = ++q->run;
	hv_time_t floor = INT64_MIN;
	struct hv_timer *t;
	size_t fired = 0;

	/* Look the next timer up afresh after every callback: it may have
	 * armed or cancelled any timer, including the one that was next. */
	while ((t = next_due(q, floor, now, gen))) {
		floor = t->expires;
		hv_rb_remove(&q->timers, &t->node);
		t->fn(t, now, t->data);
		fired++;
	}
	return fired;
}
