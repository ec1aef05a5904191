/*
 * hv/atomic.h: the return value of every operation at every width,
 * wraparound at the width, that an operation touches no neighbouring
 * bytes, and races between two threads that lose no update.
 */
#include <hv/atomic.h>

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/*
 * One test per width.  The variable sits between two guards of the same
 * type, so an operation of the wrong width shows as a changed guard.
 */
#define ATOMIC_WIDTH_TEST(bits)                                                \
	static void ops_u##bits(void **state)                                  \
	{                                                                      \
		const uint##bits##_t guard =                                   \
		    (uint##bits##_t)0xa5a5a5a5a5a5a5a5;                        \
		const uint##bits##_t max = (uint##bits##_t) ~0ULL;             \
		const uint##bits##_t top =                                     \
		    (uint##bits##_t)(1ULL << (bits - 1));                      \
		uint##bits##_t v[3] = {guard, 0, guard};                       \
		uint##bits##_t *p = &v[1];                                     \
		uint##bits##_t expected;                                       \
                                                                               \
		(void)state;                                                   \
		hv_atomic_store_u##bits(p, 5);                                 \
		assert_int_equal(hv_atomic_load_u##bits(p), 5);                \
		assert_int_equal(hv_atomic_load_relaxed_u##bits(p), 5);        \
		hv_atomic_store_relaxed_u##bits(p, 7);                         \
		assert_int_equal(hv_atomic_load_u##bits(p), 7);                \
                                                                               \
		assert_int_equal(hv_atomic_fetch_add_u##bits(p, 3), 7);        \
		assert_int_equal(*p, 10);                                      \
		assert_int_equal(hv_atomic_fetch_sub_u##bits(p, 4), 10);       \
		assert_int_equal(*p, 6);                                       \
		assert_int_equal(hv_atomic_fetch_or_u##bits(p, 0x81), 6);      \
		assert_int_equal(*p, 0x87);                                    \
		assert_int_equal(hv_atomic_fetch_and_u##bits(p, 0x0f), 0x87);  \
		assert_int_equal(*p, 0x07);                                    \
		assert_int_equal(hv_atomic_xchg_u##bits(p, 42), 7);            \
		assert_int_equal(*p, 42);                                      \
                                                                               \
		/* cmpxchg: success leaves expected alone, failure loads it.   \
		 */                                                            \
		expected = 42;                                                 \
		assert_true(hv_atomic_cmpxchg_u##bits(p, &expected, 99));      \
		assert_int_equal(expected, 42);                                \
		assert_int_equal(*p, 99);                                      \
		assert_false(hv_atomic_cmpxchg_u##bits(p, &expected, 1));      \
		assert_int_equal(expected, 99);                                \
		assert_int_equal(*p, 99);                                      \
                                                                               \
		/* Wraparound at the width, and the top bit. */                \
		hv_atomic_store_u##bits(p, max);                               \
		assert_int_equal(hv_atomic_fetch_add_u##bits(p, 1), max);      \
		assert_int_equal(*p, 0);                                       \
		assert_int_equal(hv_atomic_fetch_sub_u##bits(p, 1), 0);        \
		assert_int_equal(*p, max);                                     \
		assert_int_equal(hv_atomic_fetch_and_u##bits(p, top), max);    \
		assert_int_equal(*p, top);                                     \
		assert_int_equal(hv_atomic_fetch_add_u##bits(p, top), top);    \
		assert_int_equal(*p, 0);                                       \
		assert_int_equal(hv_atomic_fetch_or_u##bits(p, max), 0);       \
		assert_int_equal(hv_atomic_xchg_u##bits(p, top), max);         \
		expected = top;                                                \
		assert_true(hv_atomic_cmpxchg_u##bits(p, &expected, max));     \
		assert_int_equal(*p, max);                                     \
                                                                               \
		assert_int_equal(v[0], guard);                                 \
		assert_int_equal(v[2], guard);                                 \
	}

ATOMIC_WIDTH_TEST(8)
ATOMIC_WIDTH_TEST(16)
ATOMIC_WIDTH_TEST(32)
ATOMIC_WIDTH_TEST(64)

#define RACE_ITERS 1000000

struct counters {
	uint64_t add64;
	uint32_t cas32;
	uint16_t add16;
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

/* Increments by fetch_add, and by a cmpxchg loop, as every lock-free
 * update in the hypervisor is written. */
static void *incrementer(void *arg)
{
	struct counters *c = arg;

	start_together(&c->arrived, 2);
	for (int i = 0; i < RACE_ITERS; i++) {
		uint32_t old = hv_atomic_load_relaxed_u32(&c->cas32);

		hv_atomic_fetch_add_u64(&c->add64, 1);
		hv_atomic_fetch_add_u16(&c->add16, 1);
		while (!hv_atomic_cmpxchg_u32(&c->cas32, &old, old + 1))
			hv_cpu_relax();
	}
	return NULL;
}

static void two_thread_increments_lose_nothing(void **state)
{
	struct counters c = {0, 0, 0, 0};
	pthread_t t[2];

	(void)state;
	for (int k = 0; k < 2; k++)
		assert_int_equal(pthread_create(&t[k], NULL, incrementer, &c),
				 0);
	for (int k = 0; k < 2; k++)
		assert_int_equal(pthread_join(t[k], NULL), 0);
	assert_int_equal(c.add64, 2 * RACE_ITERS);
	assert_int_equal(c.cas32, 2 * RACE_ITERS);
	/* 2,000,000 mod 2^16: the 16-bit counter wrapped, losing nothing. */
	assert_int_equal(c.add16, (2 * RACE_ITERS) % 65536);
}

/*
 * Message passing: the producer writes the payload, then the flag; a
 * consumer that sees the flag must see at least that payload.  The
 * barriers under test are what make this hold on a weakly ordered CPU.
 */
struct mailbox {
	uint64_t payload;
	uint64_t flag;
	bool full_barriers; /* hv_mb on both sides instead of hv_wmb/hv_rmb */
};

#define MESSAGES 200000

static void *producer(void *arg)
{
	struct mailbox *m = arg;

	for (uint64_t i = 1; i <= MESSAGES; i++) {
		hv_atomic_store_relaxed_u64(&m->payload, i);
		if (m->full_barriers)
			hv_mb();
		else
			hv_wmb();
		hv_atomic_store_relaxed_u64(&m->flag, i);
	}
	return NULL;
}

static size_t consume(struct mailbox *m)
{
	size_t stale = 0;
	uint64_t seen = 0;

	while (seen < MESSAGES) {
		seen = hv_atomic_load_relaxed_u64(&m->flag);
		if (m->full_barriers)
			hv_mb();
		else
			hv_rmb();
		stale += hv_atomic_load_relaxed_u64(&m->payload) < seen;
		hv_cpu_relax();
	}
	return stale;
}

static void barriers_order_message_passing(void **state)
{
	(void)state;
	for (int full = 0; full < 2; full++) {
		struct mailbox m = {0, 0, full != 0};
		pthread_t t;

		assert_int_equal(pthread_create(&t, NULL, producer, &m), 0);
		assert_int_equal(consume(&m), 0);
		assert_int_equal(pthread_join(t, NULL), 0);
		assert_int_equal(m.payload, MESSAGES);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ops_u8),
	    cmocka_unit_test(ops_u16),
	    cmocka_unit_test(ops_u32),
	    cmocka_unit_test(ops_u64),
	    cmocka_unit_test(two_thread_increments_lose_nothing),
	    cmocka_unit_test(barriers_order_message_passing),
	};

	return cmocka_run_group_tests_name("atomic", tests, NULL, NULL);
}
