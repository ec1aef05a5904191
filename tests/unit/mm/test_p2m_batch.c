/*
 * The P2M engine's TLB batching, break-before-make, what it reports as
 * removed, failure atomicity, rights changes, grant mappings and walks,
 * over every real format.
 */
#include "mm_test.h"

#include <string.h>

#define SZ_2M (UINT64_C(1) << 9)
#define SZ_1G (UINT64_C(1) << 18)

/* A scattered mapping of n pages: frame of page p is 3p + 1, so nothing
 * can merge. */
static void map_scattered(struct test_p2m *f, uint64_t gfn, uint64_t n)
{
	for (uint64_t p = 0; p < n; p++)
		test_p2m_set(f, NULL, gfn + p, 3 * p + 1, 1, HV_MM_P2M_RAM_RW,
			     HV_MM_P2M_RWX);
}

/*
 * Tearing down page by page inside one batch flushes once, at the end,
 * for the whole range, and frees the detached tables only after that
 * flush.  Without a batch each call flushes.
 */
static void teardown_flushes_once_per_batch(void **state)
{
	(void)state;
	for (size_t i = 0; i < test_nr_formats; i++) {
		const uint64_t g = SZ_1G, n = 8 * SZ_2M;
		struct hv_mm_p2m_batch b;
		struct hv_mm_p2m_stats st;
		struct test_p2m f;
		long tables;

		test_p2m_init(&f, test_formats[i], HV_MM_P2M_ORDER_1G);
		map_scattered(&f, g, n);
		hv_mm_p2m_activate(&f.p2m);
		tables = f.t.live;
		assert_int_equal(f.t.flushes, 0);

		hv_mm_p2m_batch_begin(&b, &f.p2m, NULL, NULL);
		for (uint64_t p = 0; p < n; p++)
			assert_int_equal(
			    hv_mm_p2m_remove(&f.p2m, &b, hv_gfn(g + p), 1), 0);
		assert_int_equal(f.t.flushes, 0);
		assert_int_equal(f.t.live, tables); /* nothing freed yet */
		hv_mm_p2m_batch_end(&b);
		assert_int_equal(f.t.flushes, 1);
		assert_int_equal(f.t.live_at_flush, tables);
		assert_true(f.t.flush_first <= g);
		assert_true(f.t.flush_first + f.t.flush_nr >= g + n);
		assert_int_equal(f.t.live, 1);
		hv_mm_p2m_get_stats(&f.p2m, &st);
		assert_int_equal(st.flushes, 1);
		assert_true(st.flush_requests >= n);

		/* Unbatched: one flush per call that needed one. */
		map_scattered(&f, g, 16);
		for (uint64_t p = 0; p < 16; p++)
			assert_int_equal(
			    hv_mm_p2m_remove(&f.p2m, NULL, hv_gfn(g + p), 1),
			    0);
		assert_int_equal(f.t.flushes, 1 + 16);
		test_p2m_fini(&f);
	}
}

/* Until activated, no CPU can hold the P2M's entries: no flushes at all,
 * and detached tables go at once. */
static void inactive_p2m_never_flushes(void **state)
{
	(void)state;
	for (size_t i = 0; i < test_nr_formats; i++) {
		struct hv_mm_p2m_batch b;
		struct test_p2m f;

		test_p2m_init(&f, test_formats[i], HV_MM_P2M_ORDER_1G);
		map_scattered(&f, 0, 3 * SZ_2M);
		hv_mm_p2m_batch_begin(&b, &f.p2m, NULL, NULL);
		assert_int_equal(
		    hv_mm_p2m_remove(&f.p2m, &b, hv_gfn(0), 3 * SZ_2M), 0);
		assert_int_equal(f.t.live, 1);
		hv_mm_p2m_batch_end(&b);
		test_p2m_set(&f, NULL, 0, SZ_1G, SZ_1G, HV_MM_P2M_RAM_RW,
			     HV_MM_P2M_RWX);
		assert_int_equal(hv_mm_p2m_remove(&f.p2m, NULL, hv_gfn(5), 1),
				 0);
		test_p2m_set(&f, NULL, 5, SZ_1G + 5, 1, HV_MM_P2M_RAM_RW,
			     HV_MM_P2M_RWX);
		assert_int_equal(f.t.flushes, 0);
		test_p2m_fini(&f);
	}
}

/* Adding mappings where there were none never needs a flush. */
static void adding_never_flushes(void **state)
{
	(void)state;
	for (size_t i = 0; i < test_nr_formats; i++) {
		struct test_p2m f;

		test_p2m_init(&f, test_formats[i], HV_MM_P2M_ORDER_1G);
		hv_mm_p2m_activate(&f.p2m);
		map_scattered(&f, 0, 2 * SZ_2M);
		test_p2m_set(&f, NULL, SZ_1G, 0, SZ_1G, HV_MM_P2M_RAM_RW,
			     HV_MM_P2M_RWX);
		assert_int_equal(f.t.flushes, 0);
		test_p2m_fini(&f);
		assert_int_equal(f.t.flushes, 1); /* destroy, active */
	}
}

/*
 * Splitting or merging a live superpage: AArch64 needs break-before-make
 * (an immediate flush between invalidating and writing the entry), x86
 * does not; both flush the change itself once.
 */
static void break_before_make_only_where_needed(void **state)
{
	(void)state;
	for (size_t i = 0; i < test_nr_formats; i++) {
		unsigned long bbm;
		struct test_p2m f;

		test_p2m_init(&f, test_formats[i], HV_MM_P2M_ORDER_1G);
		bbm = f.fmt->break_before_make ? 1 : 0;
		test_p2m_set(&f, NULL, SZ_2M, SZ_2M * 5, SZ_2M,
			     HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX);
		hv_mm_p2m_activate(&f.p2m);
		/* Split, then remove the page: */
		assert_int_equal(
		    hv_mm_p2m_remove(&f.p2m, NULL, hv_gfn(SZ_2M + 7), 1), 0);
		assert_int_equal(f.t.flushes, bbm + 1);
		/* Put it back: the table merges into a block again. */
		test_p2m_set(&f, NULL, SZ_2M + 7, SZ_2M * 5 + 7, 1,
			     HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX);
		assert_int_equal(f.t.flushes, 2 * (bbm + 1));
		assert_int_equal(test_p2m_lookup(&f, SZ_2M + 7).order, 9);
		/* Only rights change: no break-before-make. */
		assert_int_equal(hv_mm_p2m_set_access(&f.p2m, NULL,
						      hv_gfn(SZ_2M), SZ_2M,
						      HV_MM_P2M_R),
				 0);
		assert_int_equal(f.t.flushes, 2 * (bbm + 1) + 1);
		test_p2m_fini(&f);
	}
}

static void expect_removal(const struct test_removals *rm, unsigned int i,
			   uint64_t gfn, uint64_t mfn, uint64_t nr,
			   enum hv_mm_p2m_type type)
{
	assert_true(i < rm->n);
	assert_int_equal(rm->r[i].gfn, gfn);
	assert_int_equal(rm->r[i].mfn, mfn);
	assert_int_equal(rm->r[i].nr, nr);
	assert_int_equal(rm->r[i].type, type);
}

/*
 * Removed mappings come in runs of contiguous frames of one type;
 * rewriting the same mapping or only its rights removes nothing.
 */
static void removed_mappings_are_reported(void **state)
{
	(void)state;
	for (size_t i = 0; i < test_nr_formats; i++) {
		struct test_removals rm = {0};
		struct hv_mm_p2m_batch b;
		struct test_p2m f;

		test_p2m_init(&f, test_formats[i], HV_MM_P2M_ORDER_1G);
		test_p2m_set(&f, NULL, 0, 1000, 2 * SZ_2M + 3, HV_MM_P2M_RAM_RW,
			     HV_MM_P2M_RWX);
		test_p2m_set(&f, NULL, SZ_1G, 0, 4, HV_MM_P2M_MMIO,
			     HV_MM_P2M_RW);
		test_p2m_set(&f, NULL, SZ_1G + 4, 0, 2, HV_MM_P2M_PAGED_OUT, 0);
		hv_mm_p2m_batch_begin(&b, &f.p2m, test_record_removed, &rm);
		test_p2m_set(&f, &b, 0, 1000, 2 * SZ_2M + 3, HV_MM_P2M_RAM_RW,
			     HV_MM_P2M_RWX);
		assert_int_equal(hv_mm_p2m_set_access(&f.p2m, &b, hv_gfn(0),
						      SZ_1G, HV_MM_P2M_R),
				 0);
		assert_int_equal(rm.n, 0);
		/* Replace the RAM run by other frames, remove the rest. */
		test_p2m_set(&f, &b, 1, 5000, 2, HV_MM_P2M_RAM_RW,
			     HV_MM_P2M_RWX);
		assert_int_equal(hv_mm_p2m_remove(&f.p2m, &b, hv_gfn(SZ_1G), 8),
				 0);
		assert_int_equal(hv_mm_p2m_remove(&f.p2m, &b, hv_gfn(0), SZ_1G),
				 0);
		hv_mm_p2m_batch_end(&b);
		assert_int_equal(rm.n, 6);
		expect_removal(&rm, 0, 1, 1001, 2, HV_MM_P2M_RAM_RW);
		expect_removal(&rm, 1, SZ_1G, 0, 4, HV_MM_P2M_MMIO);
		expect_removal(&rm, 2, SZ_1G + 4, HV_INVALID_FRAME, 2,
			       HV_MM_P2M_PAGED_OUT);
		expect_removal(&rm, 3, 0, 1000, 1, HV_MM_P2M_RAM_RW);
		expect_removal(&rm, 4, 1, 5000, 2, HV_MM_P2M_RAM_RW);
		expect_removal(&rm, 5, 3, 1003, 2 * SZ_2M, HV_MM_P2M_RAM_RW);
		test_p2m_fini(&f);
	}
}

/* Collect a walk's pieces into a small array of the form of the tests. */
struct pieces {
	unsigned int n, stop_at;
	struct {
		uint64_t gfn, nr, mfn;
		unsigned int order;
	} p[8];
};

static int collect(void *ctx, hv_gfn_t first, uint64_t nr,
		   const struct hv_mm_p2m_info *info)
{
	struct pieces *ps = ctx;

	if (ps->n < HV_ARRAY_SIZE(ps->p)) {
		ps->p[ps->n].gfn = hv_gfn_x(first);
		ps->p[ps->n].nr = nr;
		ps->p[ps->n].mfn = hv_mfn_x(info->mfn);
		ps->p[ps->n].order = info->order;
	}
	return ++ps->n == ps->stop_at ? 42 : 0;
}

/*
 * When the table allocator fails, no translation changes: a superpage that
 * was being split is merged back, tables made for a new mapping go again.
 */
static void allocation_failure_changes_nothing(void **state)
{
	(void)state;
	for (size_t i = 0; i < test_nr_formats; i++) {
		struct hv_mm_p2m_stats st;
		struct pieces ps = {0};
		struct test_p2m f;
		long tables;

		test_p2m_init(&f, test_formats[i], HV_MM_P2M_ORDER_1G);
		test_p2m_set(&f, NULL, SZ_1G, SZ_1G * 3, SZ_1G,
			     HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX);
		tables = f.t.live;
		/* Unmapping a page needs two tables: let only the first come.
		 */
		f.t.fail_after = 1;
		assert_int_equal(
		    hv_mm_p2m_remove(&f.p2m, NULL, hv_gfn(SZ_1G + 9), 1),
		    -HV_ENOMEM);
		f.t.fail_after = -1;
		assert_int_equal(test_p2m_lookup(&f, SZ_1G + 9).order, 18);
		assert_int_equal(test_p2m_lookup(&f, SZ_1G + 9).type,
				 HV_MM_P2M_RAM_RW);
		assert_int_equal(f.t.live, tables);
		/* Mapping into empty space fails halfway: nothing mapped. */
		f.t.fail_after = 1;
		assert_int_equal(hv_mm_p2m_set(&f.p2m, NULL, hv_gfn(3),
					       hv_mfn(3), 1, HV_MM_P2M_RAM_RW,
					       HV_MM_P2M_RWX),
				 f.fmt->levels > 2 ? -HV_ENOMEM : 0);
		f.t.fail_after = -1;
		if (f.fmt->levels > 2)
			assert_int_equal(test_p2m_lookup(&f, 3).type,
					 HV_MM_P2M_INVALID);
		assert_int_equal(hv_mm_p2m_remove(&f.p2m, NULL, hv_gfn(3), 1),
				 0);
		assert_int_equal(f.t.live, tables);
		assert_int_equal(hv_mm_p2m_walk(&f.p2m, hv_gfn(0),
						hv_mm_p2m_gfn_limit(&f.p2m),
						collect, &ps),
				 0);
		assert_int_equal(ps.n, 1);
		hv_mm_p2m_get_stats(&f.p2m, &st);
		assert_int_equal(st.tables, (uint64_t)f.t.live);
		test_p2m_fini(&f);
	}
}

/* Restricting rights splits what it must and merges back when lifted;
 * holes stay holes, and a type's own limits still apply. */
static void rights_for_introspection(void **state)
{
	(void)state;
	for (size_t i = 0; i < test_nr_formats; i++) {
		struct test_p2m f;
		struct hv_mm_p2m_info info;

		test_p2m_init(&f, test_formats[i], HV_MM_P2M_ORDER_1G);
		test_p2m_set(&f, NULL, 0, SZ_1G, SZ_1G, HV_MM_P2M_RAM_RW,
			     HV_MM_P2M_RWX);
		test_p2m_set(&f, NULL, SZ_1G, SZ_1G * 2, 1, HV_MM_P2M_RAM_RO,
			     HV_MM_P2M_R);
		assert_int_equal(hv_mm_p2m_set_access(&f.p2m, NULL, hv_gfn(77),
						      1, HV_MM_P2M_X),
				 0);
		info = test_p2m_lookup(&f, 77);
		assert_int_equal(info.access, HV_MM_P2M_X);
		assert_int_equal(info.type, HV_MM_P2M_RAM_RW);
		assert_int_equal(hv_mfn_x(info.mfn), SZ_1G + 77);
		assert_int_equal(info.order, 0);
		assert_int_equal(test_p2m_lookup(&f, 78).access, HV_MM_P2M_RWX);
		assert_int_equal(test_p2m_lookup(&f, SZ_2M).order, 9);
		/* Widen everything, across the hole after the RO page. */
		assert_int_equal(hv_mm_p2m_set_access(&f.p2m, NULL, hv_gfn(0),
						      SZ_1G + 2, HV_MM_P2M_RWX),
				 0);
		assert_int_equal(test_p2m_lookup(&f, 77).order, 18);
		assert_int_equal(test_p2m_lookup(&f, SZ_1G).access,
				 HV_MM_P2M_R | HV_MM_P2M_X);
		assert_int_equal(test_p2m_lookup(&f, SZ_1G + 1).type,
				 HV_MM_P2M_INVALID);
		/* No rights at all is kept (x86 writes it not present). */
		assert_int_equal(
		    hv_mm_p2m_set_access(&f.p2m, NULL, hv_gfn(0), SZ_2M, 0), 0);
		info = test_p2m_lookup(&f, 5);
		assert_int_equal(info.access, 0);
		assert_int_equal(info.type, HV_MM_P2M_RAM_RW);
		assert_int_equal(hv_mfn_x(info.mfn), SZ_1G + 5);
		test_p2m_fini(&f);
	}
}

static void grant_mappings(void **state)
{
	(void)state;
	for (size_t i = 0; i < test_nr_formats; i++) {
		struct test_removals rm = {0};
		struct hv_mm_p2m_batch b;
		struct hv_mm_p2m_info info;
		struct test_p2m f;

		test_p2m_init(&f, test_formats[i], HV_MM_P2M_ORDER_1G);
		test_p2m_set(&f, NULL, 0, SZ_1G, SZ_2M, HV_MM_P2M_RAM_RW,
			     HV_MM_P2M_RWX);
		hv_mm_p2m_batch_begin(&b, &f.p2m, test_record_removed, &rm);
		assert_int_equal(hv_mm_p2m_grant_map(&f.p2m, &b, hv_gfn(4),
						     hv_mfn(777), false),
				 0);
		assert_int_equal(hv_mm_p2m_grant_map(&f.p2m, &b, hv_gfn(4),
						     hv_mfn(778), true),
				 -HV_EBUSY);
		assert_int_equal(hv_mm_p2m_grant_map(&f.p2m, &b, hv_gfn(SZ_2M),
						     hv_mfn(778), true),
				 0);
		hv_mm_p2m_batch_end(&b);
		/* The RAM page it replaced was reported. */
		assert_int_equal(rm.n, 1);
		expect_removal(&rm, 0, 4, SZ_1G + 4, 1, HV_MM_P2M_RAM_RW);
		info = test_p2m_lookup(&f, 4);
		assert_int_equal(info.type, HV_MM_P2M_GRANT_RW);
		assert_int_equal(info.access, HV_MM_P2M_RW);
		assert_int_equal(hv_mfn_x(info.mfn), 777);
		info = test_p2m_lookup(&f, SZ_2M);
		assert_int_equal(info.type, HV_MM_P2M_GRANT_RO);
		assert_int_equal(info.access, HV_MM_P2M_R);
		assert_int_equal(
		    hv_mm_p2m_grant_unmap(&f.p2m, NULL, hv_gfn(4), hv_mfn(778)),
		    -HV_EINVAL);
		assert_int_equal(hv_mm_p2m_grant_unmap(&f.p2m, NULL, hv_gfn(5),
						       hv_mfn(SZ_1G + 5)),
				 -HV_EINVAL);
		assert_int_equal(
		    hv_mm_p2m_grant_unmap(&f.p2m, NULL, hv_gfn(4), hv_mfn(777)),
		    0);
		assert_int_equal(test_p2m_lookup(&f, 4).type,
				 HV_MM_P2M_INVALID);
		assert_int_equal(
		    hv_mm_p2m_grant_unmap(&f.p2m, NULL, hv_gfn(4), hv_mfn(777)),
		    -HV_EINVAL);
		assert_int_equal(hv_mm_p2m_grant_map(&f.p2m, NULL,
						     hv_gfn(UINT64_MAX),
						     hv_mfn(1), false),
				 -HV_EINVAL);
		test_p2m_fini(&f);
	}
}

/* A walk clips to its range, reports entry sizes, stops when asked. */
static void walk_clips_and_stops(void **state)
{
	(void)state;
	for (size_t i = 0; i < test_nr_formats; i++) {
		struct pieces ps = {0};
		struct test_p2m f;

		test_p2m_init(&f, test_formats[i], HV_MM_P2M_ORDER_1G);
		test_p2m_set(&f, NULL, SZ_2M, SZ_1G, 2 * SZ_2M,
			     HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX);
		test_p2m_set(&f, NULL, SZ_1G, 0, 1, HV_MM_P2M_PAGED_OUT, 0);
		assert_int_equal(hv_mm_p2m_walk(&f.p2m, hv_gfn(SZ_2M + 10),
						SZ_1G, collect, &ps),
				 0);
		assert_int_equal(ps.n, 3);
		assert_int_equal(ps.p[0].gfn, SZ_2M + 10);
		assert_int_equal(ps.p[0].nr, SZ_2M - 10);
		assert_int_equal(ps.p[0].mfn, SZ_1G + 10);
		assert_int_equal(ps.p[0].order, 9);
		assert_int_equal(ps.p[1].gfn, 2 * SZ_2M);
		assert_int_equal(ps.p[2].gfn, SZ_1G);
		assert_int_equal(ps.p[2].mfn, HV_INVALID_FRAME);
		ps = (struct pieces){.stop_at = 2};
		assert_int_equal(
		    hv_mm_p2m_walk(&f.p2m, hv_gfn(0), SZ_1G * 2, collect, &ps),
		    42);
		assert_int_equal(ps.n, 2);
		assert_int_equal(
		    hv_mm_p2m_walk(&f.p2m, hv_gfn(1), UINT64_MAX, collect, &ps),
		    -HV_EINVAL);
		assert_int_equal(
		    hv_mm_p2m_walk(&f.p2m, hv_gfn(0), 1, NULL, NULL),
		    -HV_EINVAL);
		test_p2m_fini(&f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(teardown_flushes_once_per_batch),
	    cmocka_unit_test(inactive_p2m_never_flushes),
	    cmocka_unit_test(adding_never_flushes),
	    cmocka_unit_test(break_before_make_only_where_needed),
	    cmocka_unit_test(removed_mappings_are_reported),
	    cmocka_unit_test(allocation_failure_changes_nothing),
	    cmocka_unit_test(rights_for_introspection),
	    cmocka_unit_test(grant_mappings),
	    cmocka_unit_test(walk_clips_and_stops),
	};
	return cmocka_run_group_tests_name("mm-p2m-batch", tests, NULL, NULL);
}
