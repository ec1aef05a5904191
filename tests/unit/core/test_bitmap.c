/*
 * hv/bitmap.h: every function, at sizes on and off word boundaries, with
 * garbage in the last word beyond nbits (and a guard word after the map)
 * that must be ignored by every query and preserved by every update.
 * Results are compared with a bit-by-bit model built on hv_bitmap_test.
 */
#include <hv/atomic.h>
#include <hv/bitmap.h>

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define MAX_BITS  131072
#define MAX_WORDS (HV_BITMAP_WORDS(MAX_BITS) + 1) /* + a guard word */
#define BPL	  HV_BITS_PER_LONG

static const size_t sizes[] = {1, 63, 64, 65, 130, 4095, MAX_BITS};

/* Patterns for the bits beyond nbits and for the guard word. */
static const unsigned long garbages[] = {~0UL, 0UL, 0xa5a5a5a5a5a5a5a5UL};

static unsigned long map_a[MAX_WORDS], map_b[MAX_WORDS], map_d[MAX_WORDS];

static uint64_t rng_state;

static unsigned long rnd(void)
{
	/* xorshift64: deterministic, so a failure reproduces. */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned long)rng_state;
}

static size_t nwords(size_t nbits)
{
	return HV_BITMAP_WORDS(nbits);
}

/* The bits of the last word at or beyond nbits. */
static unsigned long beyond_mask(size_t nbits)
{
	size_t r = nbits % BPL;

	return r ? ~0UL << r : 0;
}

static void put_garbage(unsigned long *map, size_t nbits, unsigned long g)
{
	size_t last = nwords(nbits) - 1;

	map[last] =
	    (map[last] & ~beyond_mask(nbits)) | (g & beyond_mask(nbits));
	map[nwords(nbits)] = g;
}

static void assert_garbage(const unsigned long *map, size_t nbits,
			   unsigned long g)
{
	size_t last = nwords(nbits) - 1;

	assert_int_equal(map[last] & beyond_mask(nbits),
			 g & beyond_mask(nbits));
	assert_int_equal(map[nwords(nbits)], g);
}

/*
 * Every bit beyond nbits set except nbits itself, so that a search which
 * looked beyond nbits would answer more than nbits (not, by luck, nbits).
 */
static unsigned long ones_above(size_t nbits)
{
	return ~hv_bit_mask(nbits);
}

static void fill_random(unsigned long *map, size_t nbits, unsigned long g)
{
	for (size_t i = 0; i < nwords(nbits); i++)
		map[i] = rnd();
	put_garbage(map, nbits, g);
}

/* Sparse, so that find_next from every start stays cheap at 131072 bits. */
static void fill_sparse(unsigned long *map, size_t nbits, unsigned long g)
{
	memset(map, 0, nwords(nbits) * sizeof(*map));
	for (size_t bit = rnd() % 97; bit < nbits; bit += 1 + rnd() % 150)
		hv_bitmap_set(map, bit);
	put_garbage(map, nbits, g);
}

static void invert(unsigned long *map, size_t nbits)
{
	for (size_t i = 0; i < nbits; i++)
		map[hv_bit_word(i)] ^= hv_bit_mask(i);
}

static size_t model_weight(const unsigned long *map, size_t nbits)
{
	size_t n = 0;

	for (size_t i = 0; i < nbits; i++)
		n += hv_bitmap_test(map, i);
	return n;
}

static int setup(void **state)
{
	(void)state;
	rng_state = 0x9e3779b97f4a7c15ULL;
	return 0;
}

static void single_bit_inlines(void **state)
{
	HV_DECLARE_BITMAP(map, 130) = {0};

	(void)state;
	assert_int_equal(HV_BITMAP_WORDS(130), 3);
	assert_int_equal(HV_BITMAP_WORDS(128), 2);
	assert_int_equal(sizeof(map), 3 * sizeof(unsigned long));
	hv_bitmap_set(map, 0);
	hv_bitmap_set(map, 64);
	hv_bitmap_set(map, 129);
	assert_int_equal(map[0], 1UL);
	assert_int_equal(map[1], 1UL);
	assert_int_equal(map[2], 2UL);
	assert_true(hv_bitmap_test(map, 129));
	assert_false(hv_bitmap_test(map, 128));
	hv_bitmap_clear(map, 64);
	assert_false(hv_bitmap_test(map, 64));
	assert_int_equal(map[1], 0UL);
}

static void zero_keeps_bits_beyond(void **state)
{
	(void)state;
	for (size_t s = 0; s < HV_ARRAY_SIZE(sizes); s++) {
		for (size_t g = 0; g < HV_ARRAY_SIZE(garbages); g++) {
			size_t n = sizes[s];

			memset(map_a, 0xff, sizeof(map_a));
			put_garbage(map_a, n, garbages[g]);
			hv_bitmap_zero(map_a, n);
			assert_int_equal(model_weight(map_a, n), 0);
			assert_garbage(map_a, n, garbages[g]);
		}
	}
}

static void fill_sets_no_bit_beyond(void **state)
{
	(void)state;
	for (size_t s = 0; s < HV_ARRAY_SIZE(sizes); s++) {
		for (size_t g = 0; g < HV_ARRAY_SIZE(garbages); g++) {
			size_t n = sizes[s];

			memset(map_a, 0, sizeof(map_a));
			put_garbage(map_a, n, garbages[g]);
			hv_bitmap_fill(map_a, n);
			assert_int_equal(model_weight(map_a, n), n);
			assert_garbage(map_a, n, garbages[g]);
		}
	}
}

static void copy_keeps_dst_beyond(void **state)
{
	(void)state;
	for (size_t s = 0; s < HV_ARRAY_SIZE(sizes); s++) {
		size_t n = sizes[s];

		fill_random(map_a, n, ~0UL);
		fill_random(map_d, n, 0);
		hv_bitmap_copy(map_d, map_a, n);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(hv_bitmap_test(map_d, i),
					 hv_bitmap_test(map_a, i));
		assert_garbage(map_d, n, 0);
		assert_garbage(map_a, n, ~0UL);
	}
}

static void empty_ignores_bits_beyond(void **state)
{
	(void)state;
	for (size_t s = 0; s < HV_ARRAY_SIZE(sizes); s++) {
		size_t n = sizes[s];

		memset(map_a, 0, sizeof(map_a));
		put_garbage(map_a, n, ~0UL);
		assert_true(hv_bitmap_empty(map_a, n));
		hv_bitmap_set(map_a, n - 1);
		assert_false(hv_bitmap_empty(map_a, n));
		hv_bitmap_clear(map_a, n - 1);
		hv_bitmap_set(map_a, 0);
		assert_false(hv_bitmap_empty(map_a, n));
		hv_bitmap_clear(map_a, 0);
		hv_bitmap_set(map_a, n / 2);
		assert_false(hv_bitmap_empty(map_a, n));
	}
	assert_true(hv_bitmap_empty(map_a, 0));
}

static void full_ignores_bits_beyond(void **state)
{
	(void)state;
	for (size_t s = 0; s < HV_ARRAY_SIZE(sizes); s++) {
		size_t n = sizes[s];

		memset(map_a, 0xff, sizeof(map_a));
		put_garbage(map_a, n, 0);
		assert_true(hv_bitmap_full(map_a, n));
		hv_bitmap_clear(map_a, n - 1);
		assert_false(hv_bitmap_full(map_a, n));
		hv_bitmap_set(map_a, n - 1);
		hv_bitmap_clear(map_a, 0);
		assert_false(hv_bitmap_full(map_a, n));
		hv_bitmap_set(map_a, 0);
		hv_bitmap_clear(map_a, n / 2);
		assert_false(hv_bitmap_full(map_a, n));
	}
}

static void equal_ignores_bits_beyond(void **state)
{
	(void)state;
	for (size_t s = 0; s < HV_ARRAY_SIZE(sizes); s++) {
		size_t n = sizes[s];
		const size_t flips[] = {0, n / 2, n - 1};

		fill_random(map_a, n, ~0UL);
		memcpy(map_b, map_a, sizeof(map_a));
		put_garbage(map_b, n, 0);
		assert_true(hv_bitmap_equal(map_a, map_b, n));
		for (size_t f = 0; f < HV_ARRAY_SIZE(flips); f++) {
			map_b[hv_bit_word(flips[f])] ^= hv_bit_mask(flips[f]);
			assert_false(hv_bitmap_equal(map_a, map_b, n));
			map_b[hv_bit_word(flips[f])] ^= hv_bit_mask(flips[f]);
		}
	}
}

static void weight_counts_bits_below_nbits(void **state)
{
	(void)state;
	for (size_t s = 0; s < HV_ARRAY_SIZE(sizes); s++) {
		size_t n = sizes[s];

		fill_random(map_a, n, ~0UL);
		assert_int_equal(hv_bitmap_weight(map_a, n),
				 model_weight(map_a, n));
		memset(map_a, 0xff, sizeof(map_a));
		assert_int_equal(hv_bitmap_weight(map_a, n), n);
		hv_bitmap_zero(map_a, n);
		assert_int_equal(hv_bitmap_weight(map_a, n), 0);
	}
}

enum binop { OP_AND, OP_OR, OP_ANDNOT };

static bool model_op(enum binop op, bool a, bool b)
{
	switch (op) {
	case OP_AND:
		return a && b;
	case OP_OR:
		return a || b;
	case OP_ANDNOT:
		return a && !b;
	}
	return false;
}

static void run_op(enum binop op, unsigned long *dst, const unsigned long *a,
		   const unsigned long *b, size_t n)
{
	switch (op) {
	case OP_AND:
		hv_bitmap_and(dst, a, b, n);
		break;
	case OP_OR:
		hv_bitmap_or(dst, a, b, n);
		break;
	case OP_ANDNOT:
		hv_bitmap_andnot(dst, a, b, n);
		break;
	}
}

static unsigned long ref_a[MAX_WORDS], ref_b[MAX_WORDS];

/* dst separate, dst == a and dst == b: the same bits each time, and dst's
 * bits beyond nbits untouched. */
static void check_op(enum binop op, size_t n)
{
	unsigned long *dsts[] = {map_d, map_a, map_b};

	for (size_t d = 0; d < HV_ARRAY_SIZE(dsts); d++) {
		fill_random(ref_a, n, ~0UL);
		fill_random(ref_b, n, 0xa5a5a5a5a5a5a5a5UL);
		memcpy(map_a, ref_a, sizeof(map_a));
		memcpy(map_b, ref_b, sizeof(map_b));
		fill_random(map_d, n, 0);
		run_op(op, dsts[d], map_a, map_b, n);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(hv_bitmap_test(dsts[d], i),
					 model_op(op, hv_bitmap_test(ref_a, i),
						  hv_bitmap_test(ref_b, i)));
		assert_garbage(map_a, n, ~0UL);
		assert_garbage(map_b, n, 0xa5a5a5a5a5a5a5a5UL);
		assert_garbage(map_d, n, 0);
	}
}

static void and_or_andnot_with_aliasing(void **state)
{
	(void)state;
	for (size_t s = 0; s < HV_ARRAY_SIZE(sizes); s++) {
		check_op(OP_AND, sizes[s]);
		check_op(OP_OR, sizes[s]);
		check_op(OP_ANDNOT, sizes[s]);
	}
}

static void intersects_ignores_bits_beyond(void **state)
{
	(void)state;
	for (size_t s = 0; s < HV_ARRAY_SIZE(sizes); s++) {
		size_t n = sizes[s];

		/* Disjoint below nbits, overlapping beyond it. */
		fill_random(map_a, n, ~0UL);
		memcpy(map_b, map_a, sizeof(map_a));
		invert(map_b, n);
		assert_false(hv_bitmap_intersects(map_a, map_b, n));
		assert_false(hv_bitmap_intersects(map_b, map_a, n));
		/* One shared bit, at the top or the bottom. */
		hv_bitmap_set(map_a, n - 1);
		hv_bitmap_set(map_b, n - 1);
		assert_true(hv_bitmap_intersects(map_a, map_b, n));
		hv_bitmap_clear(map_a, n - 1);
		hv_bitmap_set(map_a, 0);
		hv_bitmap_set(map_b, 0);
		assert_true(hv_bitmap_intersects(map_a, map_b, n));
	}
}

static void subset_ignores_bits_beyond(void **state)
{
	(void)state;
	for (size_t s = 0; s < HV_ARRAY_SIZE(sizes); s++) {
		size_t n = sizes[s];

		/* a = b & random below nbits; a has bits beyond, b none. */
		fill_random(map_b, n, 0);
		fill_random(map_a, n, ~0UL);
		hv_bitmap_and(map_a, map_a, map_b, n);
		assert_true(hv_bitmap_subset(map_a, map_b, n));
		assert_true(hv_bitmap_subset(map_a, map_a, n));
		hv_bitmap_clear(map_b, n - 1);
		hv_bitmap_set(map_a, n - 1);
		assert_false(hv_bitmap_subset(map_a, map_b, n));
		/* The empty set is a subset of anything. */
		memset(map_a, 0, sizeof(map_a));
		put_garbage(map_a, n, ~0UL);
		assert_true(hv_bitmap_subset(map_a, map_b, n));
	}
}

/* next[i] = the first set bit at or after i, or nbits: the model. */
static size_t model_next[MAX_BITS + 1];

static void check_find_next_set(const unsigned long *map, size_t n)
{
	model_next[n] = n;
	for (size_t i = n; i-- > 0;)
		model_next[i] = hv_bitmap_test(map, i) ? i : model_next[i + 1];
	for (size_t start = 0; start <= n + 2; start++)
		assert_int_equal(hv_bitmap_find_next_set(map, n, start),
				 model_next[hv_min_u64(start, n)]);
	assert_int_equal(hv_bitmap_find_next_set(map, n, SIZE_MAX), n);
	assert_int_equal(hv_bitmap_find_first_set(map, n), model_next[0]);
}

static void check_find_next_zero(const unsigned long *map, size_t n)
{
	model_next[n] = n;
	for (size_t i = n; i-- > 0;)
		model_next[i] = !hv_bitmap_test(map, i) ? i : model_next[i + 1];
	for (size_t start = 0; start <= n + 2; start++)
		assert_int_equal(hv_bitmap_find_next_zero(map, n, start),
				 model_next[hv_min_u64(start, n)]);
	assert_int_equal(hv_bitmap_find_next_zero(map, n, SIZE_MAX), n);
	assert_int_equal(hv_bitmap_find_first_zero(map, n), model_next[0]);
}

static void find_next_from_every_start(void **state)
{
	(void)state;
	for (size_t s = 0; s < HV_ARRAY_SIZE(sizes); s++) {
		size_t n = sizes[s];

		/* Set bits beyond nbits must never be found. */
		fill_sparse(map_a, n, ones_above(n));
		check_find_next_set(map_a, n);
		/* Nor clear ones beyond nbits, looking for a zero. */
		invert(map_a, n);
		put_garbage(map_a, n, ~ones_above(n));
		check_find_next_zero(map_a, n);
		/* Dense maps, for the small sizes. */
		if (n <= 4095) {
			fill_random(map_a, n, ones_above(n));
			check_find_next_set(map_a, n);
			put_garbage(map_a, n, ~ones_above(n));
			check_find_next_zero(map_a, n);
		}
	}
}

static void find_in_empty_and_full_maps(void **state)
{
	(void)state;
	for (size_t s = 0; s < HV_ARRAY_SIZE(sizes); s++) {
		size_t n = sizes[s];

		memset(map_a, 0, sizeof(map_a));
		put_garbage(map_a, n, ones_above(n));
		assert_int_equal(hv_bitmap_find_first_set(map_a, n), n);
		assert_int_equal(hv_bitmap_find_next_set(map_a, n, n - 1), n);
		assert_int_equal(hv_bitmap_find_first_zero(map_a, n), 0);
		memset(map_a, 0xff, sizeof(map_a));
		put_garbage(map_a, n, ~ones_above(n));
		assert_int_equal(hv_bitmap_find_first_zero(map_a, n), n);
		assert_int_equal(hv_bitmap_find_next_zero(map_a, n, n - 1), n);
		assert_int_equal(hv_bitmap_find_first_set(map_a, n), 0);
	}
	/* nbits 0: nothing to find, whatever the memory holds. */
	assert_int_equal(hv_bitmap_find_first_set(map_a, 0), 0);
	assert_int_equal(hv_bitmap_find_next_zero(map_a, 0, 5), 0);
}

static void atomic_single_bit_ops(void **state)
{
	unsigned long map[3] = {0, ~0UL, 0};

	(void)state;
	hv_bitmap_set_atomic(map, 2 * BPL + 5);
	assert_int_equal(map[2], 1UL << 5);
	assert_true(hv_bitmap_test_atomic(map, 2 * BPL + 5));
	assert_false(hv_bitmap_test_atomic(map, 2 * BPL + 4));
	assert_true(hv_bitmap_test_atomic(map, BPL + 63));

	hv_bitmap_clear_atomic(map, BPL + 63);
	assert_int_equal(map[1], ~0UL >> 1);
	assert_false(hv_bitmap_test_atomic(map, BPL + 63));

	assert_false(hv_bitmap_test_and_set_atomic(map, 0));
	assert_true(hv_bitmap_test_and_set_atomic(map, 0));
	assert_int_equal(map[0], 1UL);

	assert_true(hv_bitmap_test_and_clear_atomic(map, BPL));
	assert_false(hv_bitmap_test_and_clear_atomic(map, BPL));
	assert_int_equal(map[1], (~0UL >> 1) & ~1UL);
	assert_int_equal(map[2], 1UL << 5);
}

/* Two threads share the words of one map; thread k owns the bits congruent
 * to k mod 2 and cycles them through all four atomic updates.  A lost
 * update shows as a wrong old value or a wrong final map. */
#define RACE_BITS  128
#define RACE_ITERS 100000

struct racer {
	unsigned long *map;
	size_t id;
	size_t wrong;
	uint32_t *arrived;
};

/* The start line: each thread spins here until all have arrived, so that
 * they really run at the same time instead of one after the other. */
static void start_together(uint32_t *arrived, uint32_t n)
{
	hv_atomic_fetch_add_u32(arrived, 1);
	while (hv_atomic_load_u32(arrived) < n)
		hv_cpu_relax();
}

/* The update of iteration i to this thread's bit: phase 0 sets, 1 clears,
 * 2 test-and-sets, 3 test-and-clears.  Returns false on a wrong old value.
 */
static bool race_step(unsigned long *map, size_t id, size_t i)
{
	size_t per = RACE_BITS / 2;
	size_t bit = 2 * (i % per) + id;

	switch ((i / per) % 4) {
	case 0:
		hv_bitmap_set_atomic(map, bit);
		return hv_bitmap_test_atomic(map, bit);
	case 1:
		hv_bitmap_clear_atomic(map, bit);
		return !hv_bitmap_test_atomic(map, bit);
	case 2:
		return !hv_bitmap_test_and_set_atomic(map, bit);
	default:
		return hv_bitmap_test_and_clear_atomic(map, bit);
	}
}

static void *racer_main(void *arg)
{
	struct racer *r = arg;

	start_together(r->arrived, 2);
	for (size_t i = 0; i < RACE_ITERS; i++)
		r->wrong += !race_step(r->map, r->id, i);
	return NULL;
}

static void atomic_two_thread_race(void **state)
{
	HV_DECLARE_BITMAP(shared, RACE_BITS) = {0};
	HV_DECLARE_BITMAP(expect, RACE_BITS) = {0};
	uint32_t arrived = 0;
	struct racer r[2] = {{shared, 0, 0, &arrived},
			     {shared, 1, 0, &arrived}};
	pthread_t t[2];

	(void)state;
	for (size_t k = 0; k < 2; k++)
		assert_int_equal(pthread_create(&t[k], NULL, racer_main, &r[k]),
				 0);
	for (size_t k = 0; k < 2; k++)
		assert_int_equal(pthread_join(t[k], NULL), 0);
	assert_int_equal(r[0].wrong, 0);
	assert_int_equal(r[1].wrong, 0);

	/* The same steps, one thread after the other. */
	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < RACE_ITERS; i++)
			race_step(expect, k, i);
	assert_memory_equal(shared, expect, sizeof(shared));
	assert_int_not_equal(hv_bitmap_weight(shared, RACE_BITS), 0);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(single_bit_inlines),	    T(zero_keeps_bits_beyond),
	    T(fill_sets_no_bit_beyond),	    T(copy_keeps_dst_beyond),
	    T(empty_ignores_bits_beyond),   T(full_ignores_bits_beyond),
	    T(equal_ignores_bits_beyond),   T(weight_counts_bits_below_nbits),
	    T(and_or_andnot_with_aliasing), T(intersects_ignores_bits_beyond),
	    T(subset_ignores_bits_beyond),  T(find_next_from_every_start),
	    T(find_in_empty_and_full_maps), T(atomic_single_bit_ops),
	    T(atomic_two_thread_race),
	};

	return cmocka_run_group_tests_name("bitmap", tests, NULL, NULL);
}
