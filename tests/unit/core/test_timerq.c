/*
 * Unit tests of hv/timerq.h.
 *
 * Every timer belongs to a struct probe that records, in a shared log,
 * the order in which timers fire; a probe can also be told to do
 * something from its callback (re-arm itself, arm or cancel another).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <hv/timerq.h>

#define MAX_FIRES 64

struct fire_log {
	int id[MAX_FIRES];
	hv_time_t now[MAX_FIRES];
	size_t n;
};

struct probe {
	struct hv_timer timer;
	int id;
	struct hv_timerq *q;
	struct fire_log *log;
	/* What the callback does after logging; unused when NULL/0. */
	hv_time_t rearm_delta; /* re-arm itself at expires + rearm_delta */
	struct probe *cancel;  /* cancel this one */
	bool cancel_result;
	struct probe *arm; /* arm this one at arm_at */
	hv_time_t arm_at;
};

static void probe_fn(struct hv_timer *t, hv_time_t now, void *data)
{
	struct probe *p = data;

	/* The queue disarms a timer before calling it. */
	assert_ptr_equal(t, &p->timer);
	assert_false(hv_timer_is_armed(t));
	assert_true(t->expires <= now);
	assert_true(p->log->n < MAX_FIRES);
	p->log->id[p->log->n] = p->id;
	p->log->now[p->log->n] = now;
	p->log->n++;

	if (p->rearm_delta)
		hv_timerq_arm(p->q, t, t->expires + p->rearm_delta);
	if (p->cancel)
		p->cancel_result = hv_timerq_cancel(p->q, &p->cancel->timer);
	if (p->arm)
		hv_timerq_arm(p->q, &p->arm->timer, p->arm_at);
}

struct fixture {
	struct hv_timerq q;
	struct fire_log log;
	struct probe p[8];
};

static int setup(void **state)
{
	static struct fixture f;

	f = (struct fixture){0};
	hv_timerq_init(&f.q);
	for (size_t i = 0; i < HV_ARRAY_SIZE(f.p); i++) {
		struct probe *p = &f.p[i];

		p->id = (int)i;
		p->q = &f.q;
		p->log = &f.log;
		hv_timer_init(&p->timer, probe_fn, p);
	}
	*state = &f;
	return 0;
}

static void arm(struct fixture *f, int id, hv_time_t expires)
{
	hv_timerq_arm(&f->q, &f->p[id].timer, expires);
}

/* The log holds exactly the ids in want, in that order, and is reset. */
static void assert_fired(struct fixture *f, const int *want, size_t n)
{
	assert_int_equal(f->log.n, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(f->log.id[i], want[i]);
	f->log.n = 0;
}

#define ASSERT_FIRED(f, ...)                                                   \
	do {                                                                   \
		const int want_[] = {__VA_ARGS__};                             \
		assert_fired(f, want_, HV_ARRAY_SIZE(want_));                  \
	} while (0)

static void test_empty_queue(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(hv_timerq_next_deadline(&f->q), HV_TIME_NEVER);
	assert_int_equal(hv_timerq_run(&f->q, 1000), 0);
	assert_int_equal(hv_timerq_run(&f->q, HV_TIME_NEVER), 0);
	assert_false(hv_timer_is_armed(&f->p[0].timer));
	assert_int_equal(f->log.n, 0);
}

static void test_timer_init(void **state)
{
	struct hv_timer t;
	int data;

	(void)state;
	hv_timer_init(&t, probe_fn, &data);
	assert_false(hv_timer_is_armed(&t));
	assert_ptr_equal(t.fn, probe_fn);
	assert_ptr_equal(t.data, &data);
}

static void test_fires_in_expiry_order(void **state)
{
	struct fixture *f = *state;

	arm(f, 0, 30);
	arm(f, 1, 10);
	arm(f, 2, 20);
	assert_true(hv_timer_is_armed(&f->p[0].timer));
	assert_int_equal(hv_timerq_next_deadline(&f->q), 10);

	assert_int_equal(hv_timerq_run(&f->q, 100), 3);
	ASSERT_FIRED(f, 1, 2, 0);
	assert_int_equal(f->log.now[0], 100);
	for (int i = 0; i < 3; i++)
		assert_false(hv_timer_is_armed(&f->p[i].timer));
	assert_int_equal(hv_timerq_next_deadline(&f->q), HV_TIME_NEVER);
	assert_int_equal(hv_timerq_run(&f->q, 100), 0);
}

static void test_equal_expiry_fires_in_arming_order(void **state)
{
	struct fixture *f = *state;
	static const int order[] = {3, 1, 4, 0, 2};

	for (size_t i = 0; i < HV_ARRAY_SIZE(order); i++)
		arm(f, order[i], 50);
	arm(f, 5, 49);
	arm(f, 6, 51);
	assert_int_equal(hv_timerq_run(&f->q, 60), 7);
	ASSERT_FIRED(f, 5, 3, 1, 4, 0, 2, 6);
}

static void test_run_fires_only_due(void **state)
{
	struct fixture *f = *state;

	arm(f, 0, 100);
	arm(f, 1, 200);
	assert_int_equal(hv_timerq_run(&f->q, 99), 0);
	assert_int_equal(f->log.n, 0);
	assert_true(hv_timer_is_armed(&f->p[0].timer));

	/* Expiry equal to now is due. */
	assert_int_equal(hv_timerq_run(&f->q, 100), 1);
	ASSERT_FIRED(f, 0);
	assert_true(hv_timer_is_armed(&f->p[1].timer));
	assert_int_equal(hv_timerq_next_deadline(&f->q), 200);
}

static void test_cancel(void **state)
{
	struct fixture *f = *state;

	/* Never armed. */
	assert_false(hv_timerq_cancel(&f->q, &f->p[0].timer));

	arm(f, 0, 10);
	arm(f, 1, 20);
	assert_true(hv_timerq_cancel(&f->q, &f->p[0].timer));
	assert_false(hv_timer_is_armed(&f->p[0].timer));
	assert_int_equal(hv_timerq_next_deadline(&f->q), 20);
	/* Already cancelled. */
	assert_false(hv_timerq_cancel(&f->q, &f->p[0].timer));

	assert_int_equal(hv_timerq_run(&f->q, 100), 1);
	ASSERT_FIRED(f, 1);
	/* Fired, so disarmed. */
	assert_false(hv_timerq_cancel(&f->q, &f->p[1].timer));
	assert_int_equal(hv_timerq_next_deadline(&f->q), HV_TIME_NEVER);
}

static void test_rearm_moves(void **state)
{
	struct fixture *f = *state;

	arm(f, 0, 10);
	arm(f, 1, 20);
	arm(f, 0, 30);
	/* Moved, not queued twice. */
	assert_int_equal(hv_rb_count(&f->q.timers), 2);
	assert_int_equal(hv_timerq_next_deadline(&f->q), 20);
	assert_int_equal(f->p[0].timer.expires, 30);

	/* Re-armed for the same time, it goes behind its equals. */
	arm(f, 2, 30);
	arm(f, 0, 30);
	/* And earlier: it becomes the next deadline. */
	arm(f, 3, 40);
	arm(f, 3, 5);
	assert_int_equal(hv_timerq_next_deadline(&f->q), 5);

	assert_int_equal(hv_timerq_run(&f->q, 100), 4);
	ASSERT_FIRED(f, 3, 1, 2, 0);
}

/* A callback that re-arms itself in the past fires once per run. */
static void test_rearm_self_in_past_does_not_loop(void **state)
{
	struct fixture *f = *state;

	f->p[0].rearm_delta = -5;
	arm(f, 0, 10);
	assert_int_equal(hv_timerq_run(&f->q, 100), 1);
	ASSERT_FIRED(f, 0);
	assert_true(hv_timer_is_armed(&f->p[0].timer));
	assert_int_equal(hv_timerq_next_deadline(&f->q), 5);

	/* It fires on the next call, and again only once. */
	assert_int_equal(hv_timerq_run(&f->q, 100), 1);
	ASSERT_FIRED(f, 0);
	assert_int_equal(hv_timerq_next_deadline(&f->q), 0);
}

/* A periodic timer whose next period is already due waits for the next
 * call rather than catching up inside this one. */
static void test_periodic_catch_up_one_per_run(void **state)
{
	struct fixture *f = *state;

	f->p[0].rearm_delta = 10;
	arm(f, 0, 10);
	assert_int_equal(hv_timerq_run(&f->q, 5), 0);
	assert_int_equal(hv_timerq_run(&f->q, 10), 1);
	assert_int_equal(hv_timerq_next_deadline(&f->q), 20);
	/* Two periods behind: one fires now, the other is left due. */
	assert_int_equal(hv_timerq_run(&f->q, 35), 1);
	assert_int_equal(hv_timerq_next_deadline(&f->q), 30);
	assert_int_equal(hv_timerq_run(&f->q, 35), 1);
	assert_int_equal(hv_timerq_next_deadline(&f->q), 40);
	ASSERT_FIRED(f, 0, 0, 0);
	assert_int_equal(f->log.now[0], 10);
}

/*
 * Timers armed during a run for the past are skipped, while the timers that
 * were due when the run started still fire, in order, around them.
 */
static void test_armed_in_run_skipped_others_fire(void **state)
{
	struct fixture *f = *state;

	/* 0 arms 4 into the past and 5 at its own expiry; both would
	 * sort before or among the timers still due. */
	f->p[0].arm = &f->p[4];
	f->p[0].arm_at = 5;
	f->p[1].arm = &f->p[5];
	f->p[1].arm_at = 10;
	/* 2 re-arms itself in front of 3, which is still due. */
	f->p[2].rearm_delta = 2;
	arm(f, 0, 10);
	arm(f, 1, 10);
	arm(f, 2, 10);
	arm(f, 3, 15);

	assert_int_equal(hv_timerq_run(&f->q, 20), 4);
	ASSERT_FIRED(f, 0, 1, 2, 3);
	assert_int_equal(hv_timerq_next_deadline(&f->q), 5);

	/* The next call fires them by expiry, then arming order. */
	f->p[0].arm = NULL;
	f->p[1].arm = NULL;
	f->p[2].rearm_delta = 0;
	assert_int_equal(hv_timerq_run(&f->q, 20), 3);
	ASSERT_FIRED(f, 4, 5, 2);
}

static void test_callback_cancels_due_timer(void **state)
{
	struct fixture *f = *state;

	f->p[0].cancel = &f->p[1];
	arm(f, 0, 10);
	arm(f, 1, 20);
	arm(f, 2, 20);
	assert_int_equal(hv_timerq_run(&f->q, 30), 2);
	ASSERT_FIRED(f, 0, 2);
	assert_true(f->p[0].cancel_result);
	assert_false(hv_timer_is_armed(&f->p[1].timer));
	assert_int_equal(hv_timerq_run(&f->q, 30), 0);
}

/* Cancelling the very next timer, which has the same expiry. */
static void test_callback_cancels_next_equal(void **state)
{
	struct fixture *f = *state;

	f->p[0].cancel = &f->p[1];
	arm(f, 0, 10);
	arm(f, 1, 10);
	arm(f, 2, 10);
	assert_int_equal(hv_timerq_run(&f->q, 10), 2);
	ASSERT_FIRED(f, 0, 2);
}

static void test_callback_arms_new_timer(void **state)
{
	struct fixture *f = *state;

	f->p[0].arm = &f->p[1];
	f->p[0].arm_at = 50;
	arm(f, 0, 10);
	assert_int_equal(hv_timerq_run(&f->q, 30), 1);
	ASSERT_FIRED(f, 0);
	assert_true(hv_timer_is_armed(&f->p[1].timer));
	assert_int_equal(hv_timerq_next_deadline(&f->q), 50);
	assert_int_equal(hv_timerq_run(&f->q, 49), 0);
	assert_int_equal(hv_timerq_run(&f->q, 50), 1);
	ASSERT_FIRED(f, 1);
}

/* Re-arming a timer that was due, still for a due time, defers it. */
static void test_callback_rearms_other_due_timer(void **state)
{
	struct fixture *f = *state;

	f->p[0].arm = &f->p[1];
	f->p[0].arm_at = 25;
	arm(f, 0, 10);
	arm(f, 1, 20);
	arm(f, 2, 28);
	assert_int_equal(hv_timerq_run(&f->q, 30), 2);
	ASSERT_FIRED(f, 0, 2);
	assert_int_equal(hv_timerq_next_deadline(&f->q), 25);
	assert_int_equal(hv_timerq_run(&f->q, 30), 1);
	ASSERT_FIRED(f, 1);
}

/* A callback may re-arm itself for the future, within the same run's
 * window of later due timers, without disturbing them. */
static void test_callback_rearms_into_future(void **state)
{
	struct fixture *f = *state;

	f->p[0].rearm_delta = 100;
	arm(f, 0, 10);
	arm(f, 1, 20);
	assert_int_equal(hv_timerq_run(&f->q, 20), 2);
	ASSERT_FIRED(f, 0, 1);
	assert_int_equal(f->p[0].timer.expires, 110);
	assert_int_equal(hv_timerq_next_deadline(&f->q), 110);
}

/* xorshift64: a small PRNG with a fixed seed, so failures reproduce. */
static uint64_t rng_state = 0x2545f4914f6cdd1du;

static uint32_t rng(uint32_t bound)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % bound);
}

struct rand_timer {
	struct hv_timer timer;
	uint64_t seq; /* arming order */
	bool armed;   /* the reference's view */
};

struct rand_ctx {
	struct hv_timerq q;
	uint64_t seq;
	/* The expiry and seq of the last timer fired in this run, if any;
	 * copied, as that timer may have been re-armed since. */
	bool fired;
	hv_time_t last_expires;
	uint64_t last_seq;
};

static void rand_arm(struct rand_ctx *c, struct rand_timer *r, hv_time_t when)
{
	hv_timerq_arm(&c->q, &r->timer, when);
	r->armed = true;
	r->seq = c->seq++;
}

static void rand_fn(struct hv_timer *t, hv_time_t now, void *data)
{
	struct rand_timer *rt = hv_container_of(t, struct rand_timer, timer);
	struct rand_ctx *c = data;

	assert_true(rt->armed);
	assert_true(t->expires <= now);
	/* Earliest first; arming order among equals. */
	if (c->fired)
		assert_true(
		    c->last_expires < t->expires ||
		    (c->last_expires == t->expires && c->last_seq < rt->seq));
	c->fired = true;
	c->last_expires = t->expires;
	c->last_seq = rt->seq;
	rt->armed = false;
	/* Half re-arm themselves, often still due: not again this run. */
	if (rng(2))
		rand_arm(c, rt, t->expires + rng(16));
}

/*
 * Random arms, re-arms and cancels against a reference: each run must fire
 * exactly the timers that were due when it started, in order.
 */
static void test_random(void **state)
{
	static struct rand_timer rt[256];
	static struct rand_ctx c;
	hv_time_t now = 0;

	(void)state;
	hv_timerq_init(&c.q);
	for (size_t i = 0; i < HV_ARRAY_SIZE(rt); i++) {
		hv_timer_init(&rt[i].timer, rand_fn, &c);
		rt[i].armed = false;
	}
	for (int round = 0; round < 2000; round++) {
		size_t want = 0;

		for (int op = 0; op < 16; op++) {
			struct rand_timer *r = &rt[rng(HV_ARRAY_SIZE(rt))];

			if (rng(4) == 0) {
				assert_int_equal(
				    hv_timerq_cancel(&c.q, &r->timer),
				    r->armed);
				r->armed = false;
			} else {
				rand_arm(&c, r, now + rng(64));
			}
		}
		now += rng(32);
		for (size_t i = 0; i < HV_ARRAY_SIZE(rt); i++)
			want += rt[i].armed && rt[i].timer.expires <= now;
		c.fired = false;
		assert_int_equal(hv_timerq_run(&c.q, now), want);
		for (size_t i = 0; i < HV_ARRAY_SIZE(rt); i++)
			assert_int_equal(hv_timer_is_armed(&rt[i].timer),
					 rt[i].armed);
	}
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_empty_queue),
	    cmocka_unit_test(test_timer_init),
	    T(test_fires_in_expiry_order),
	    T(test_equal_expiry_fires_in_arming_order),
	    T(test_run_fires_only_due),
	    T(test_cancel),
	    T(test_rearm_moves),
	    T(test_rearm_self_in_past_does_not_loop),
	    T(test_periodic_catch_up_one_per_run),
	    T(test_armed_in_run_skipped_others_fire),
	    T(test_callback_cancels_due_timer),
	    T(test_callback_cancels_next_equal),
	    T(test_callback_arms_new_timer),
	    T(test_callback_rearms_other_due_timer),
	    T(test_callback_rearms_into_future),
	    cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
