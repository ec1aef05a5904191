/*
 * hv/spinlock.h: the ticket counters after each operation, trylock's
 * "nobody holds or waits" rule, wraparound of the tickets, mutual
 * exclusion under contention, and, for the fair lock, first-come
 * first-served hand-over.  Built twice: as hosted code is (fair) and
 * with HV_SPINLOCK_FAIR=0, as freestanding code is.
 */
#include <hv/spinlock.h>

#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

static void init_state_is_unlocked(void **state)
{
	hv_spinlock_t fixed = HV_SPINLOCK_INIT;
	hv_spinlock_t dynamic = {123, 45};

	(void)state;
	assert_int_equal(fixed.next, 0);
	assert_int_equal(fixed.owner, 0);
	assert_false(hv_spin_is_locked(&fixed));
	assert_true(hv_spin_is_locked(&dynamic));
	hv_spin_init(&dynamic);
	assert_int_equal(dynamic.next, 0);
	assert_int_equal(dynamic.owner, 0);
	assert_false(hv_spin_is_locked(&dynamic));
}

static void trylock_free_and_held(void **state)
{
	hv_spinlock_t l = HV_SPINLOCK_INIT;

	(void)state;
	assert_true(hv_spin_trylock(&l));
	assert_true(hv_spin_is_locked(&l));
	assert_int_equal(l.next, 1);
	assert_int_equal(l.owner, 0);

	assert_false(hv_spin_trylock(&l));
	assert_int_equal(l.next, 1); /* a failed trylock draws no ticket */

	hv_spin_unlock(&l);
	assert_false(hv_spin_is_locked(&l));
	assert_int_equal(l.owner, 1);
	assert_true(hv_spin_trylock(&l));
	hv_spin_unlock(&l);

	hv_spin_lock(&l);
	assert_false(hv_spin_trylock(&l));
	hv_spin_unlock(&l);
	assert_false(hv_spin_is_locked(&l));
}

/* A waiter holds the next ticket: the lock is its, not trylock's. */
static void trylock_fails_while_someone_waits(void **state)
{
	hv_spinlock_t l = HV_SPINLOCK_INIT;

	(void)state;
	hv_spin_lock(&l);
	hv_atomic_fetch_add_u32(&l.next, 1); /* a waiter draws ticket 1 */
	hv_spin_unlock(&l);
	assert_true(hv_spin_is_locked(&l));
	assert_false(hv_spin_trylock(&l));
	assert_int_equal(l.next, 2);
	hv_spin_unlock(&l); /* the waiter's turn ends */
	assert_false(hv_spin_is_locked(&l));
	assert_true(hv_spin_trylock(&l));
}

static void tickets_count_lock_unlock_pairs(void **state)
{
	hv_spinlock_t l = HV_SPINLOCK_INIT;
	const uint32_t n = 1000;

	(void)state;
	for (uint32_t i = 0; i < n; i++) {
		hv_spin_lock(&l);
		assert_int_equal(l.next, i + 1);
		assert_int_equal(l.owner, i);
		hv_spin_unlock(&l);
	}
	assert_int_equal(l.next, n);
	assert_int_equal(l.owner, n);
}

static void tickets_wrap_around(void **state)
{
	hv_spinlock_t l = {UINT32_MAX, UINT32_MAX};

	(void)state;
	assert_false(hv_spin_is_locked(&l));
	hv_spin_lock(&l);
	assert_true(hv_spin_is_locked(&l));
	assert_int_equal(l.next, 0);
	hv_spin_unlock(&l);
	assert_int_equal(l.owner, 0);
	assert_false(hv_spin_is_locked(&l));

	l.next = l.owner = UINT32_MAX;
	assert_true(hv_spin_trylock(&l));
	assert_false(hv_spin_trylock(&l));
	hv_spin_unlock(&l);
	assert_false(hv_spin_is_locked(&l));
}

#define THREADS 2
#define ITERS	50000

struct contended {
	hv_spinlock_t lock;
	uint64_t counter; /* plain: only the lock protects it */
	uint32_t arrived;
};

/* The start line: each thread spins here until all have arrived, so that
 * they really run at the same time instead of one after the other. */
static void start_together(uint32_t *arrived, uint32_t n)
{
	hv_atomic_fetch_add_u32(arrived, 1);
	while (hv_atomic_load_u32(arrived) < n)
		hv_cpu_relax();
}

static void *hammer(void *arg)
{
	struct contended *c = arg;
	uint64_t v;

	start_together(&c->arrived, THREADS);
	for (int i = 0; i < ITERS; i++) {
		hv_spin_lock(&c->lock);
		/* A read, a pause and a write: overlapping holders would lose
		 * increments. */
		v = c->counter;
		hv_cpu_relax();
		c->counter = v + 1;
		hv_spin_unlock(&c->lock);
	}
	return NULL;
}

static void mutual_exclusion(void **state)
{
	struct contended c = {HV_SPINLOCK_INIT, 0, 0};
	pthread_t t[THREADS];

	(void)state;
	for (int k = 0; k < THREADS; k++)
		assert_int_equal(pthread_create(&t[k], NULL, hammer, &c), 0);
	for (int k = 0; k < THREADS; k++)
		assert_int_equal(pthread_join(t[k], NULL), 0);
	assert_int_equal(c.counter, (uint64_t)THREADS * ITERS);
	assert_int_equal(c.lock.next, THREADS * ITERS);
	assert_int_equal(c.lock.owner, THREADS * ITERS);
	assert_false(hv_spin_is_locked(&c.lock));
}

#if HV_SPINLOCK_FAIR
/*
 * FIFO: with the lock held, waiter A draws its ticket, then waiter B; on
 * release A must get the lock before B, whatever the scheduler does.
 */
struct queue {
	hv_spinlock_t lock;
	uint32_t turn;	   /* how many waiters got the lock so far */
	uint32_t order[2]; /* order[i]: the waiter that got it i-th */
};

struct waiter {
	struct queue *q;
	uint32_t id;
};

static void *wait_turn(void *arg)
{
	struct waiter *w = arg;

	hv_spin_lock(&w->q->lock);
	w->q->order[w->q->turn++] = w->id;
	hv_spin_unlock(&w->q->lock);
	return NULL;
}

static void wait_for_ticket(hv_spinlock_t *l, uint32_t next)
{
	while (hv_atomic_load_u32(&l->next) != next)
		sched_yield();
}

static void fifo_hand_over(void **state)
{
	struct queue q = {HV_SPINLOCK_INIT, 0, {0, 0}};
	struct waiter w[2] = {{&q, 1}, {&q, 2}};
	pthread_t t[2];

	(void)state;
	hv_spin_lock(&q.lock);
	assert_int_equal(pthread_create(&t[0], NULL, wait_turn, &w[0]), 0);
	wait_for_ticket(&q.lock, 2);
	assert_int_equal(pthread_create(&t[1], NULL, wait_turn, &w[1]), 0);
	wait_for_ticket(&q.lock, 3);
	assert_int_equal(q.turn, 0);
	hv_spin_unlock(&q.lock);
	for (int k = 0; k < 2; k++)
		assert_int_equal(pthread_join(t[k], NULL), 0);
	assert_int_equal(q.turn, 2);
	assert_int_equal(q.order[0], 1);
	assert_int_equal(q.order[1], 2);
	assert_int_equal(q.lock.next, 3);
	assert_int_equal(q.lock.owner, 3);
}
#else
struct taker {
	hv_spinlock_t lock;
	uint32_t took;
};

static void *take(void *arg)
{
	struct taker *t = arg;

	hv_spin_lock(&t->lock);
	hv_atomic_store_u32(&t->took, 1);
	hv_spin_unlock(&t->lock);
	return NULL;
}

/* Code built fair may share the lock: a ticket drawn is honoured, the
 * unfair locker waits for that turn too. */
static void unfair_lock_waits_for_a_fair_ticket(void **state)
{
	struct taker t = {HV_SPINLOCK_INIT, 0};
	const struct timespec ms10 = {0, 10 * 1000 * 1000};
	pthread_t th;

	(void)state;
	hv_spin_lock(&t.lock);
	hv_atomic_fetch_add_u32(&t.lock.next, 1); /* a fair waiter's ticket */
	assert_int_equal(pthread_create(&th, NULL, take, &t), 0);
	hv_spin_unlock(&t.lock); /* the fair waiter's turn */
	nanosleep(&ms10, NULL);
	assert_int_equal(hv_atomic_load_u32(&t.took), 0);
	hv_spin_unlock(&t.lock); /* its turn ends */
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(t.took, 1);
	assert_false(hv_spin_is_locked(&t.lock));
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(init_state_is_unlocked),
	    cmocka_unit_test(trylock_free_and_held),
	    cmocka_unit_test(trylock_fails_while_someone_waits),
	    cmocka_unit_test(tickets_count_lock_unlock_pairs),
	    cmocka_unit_test(tickets_wrap_around),
	    cmocka_unit_test(mutual_exclusion),
#if HV_SPINLOCK_FAIR
	    cmocka_unit_test(fifo_hand_over),
#else
	    cmocka_unit_test(unfair_lock_waits_for_a_fair_ticket),
#endif
	};

	return cmocka_run_group_tests_name(
	    HV_SPINLOCK_FAIR ? "spinlock" : "spinlock-unfair", tests, NULL,
	    NULL);
}
