/*
 * The P2M engine over every real format (x86 NPT, AArch64 stage 2 with
 * 32-, 40- and 48-bit IPAs): superpages, splits and merges, types and
 * rights at every level, batching, break-before-make, failure atomicity
 * and argument checks.  Tables sit between guard pages (mm_test.c), so a
 * walk that strayed outside a table would crash the test.
 */
#include "mm_test.h"

#include <string.h>

#define SZ_2M (UINT64_C(1) << 9)  /* in frames */
#define SZ_1G (UINT64_C(1) << 18) /* in frames */

/* A new P2M holds its root table only. */
static void init_root_only(struct test_p2m *f,
			   const struct hv_mm_p2m_format *fmt,
			   unsigned int max_order)
{
	test_p2m_init(f, fmt, max_order);
	assert_int_equal(f->t.live, 1);
}

/* The table level whose entries map 2^order frames. */
static unsigned int level_of(const struct hv_mm_p2m_format *fmt,
			     unsigned int order)
{
	for (unsigned int l = 0; l < fmt->levels; l++)
		if (fmt->shift[l] == order + HV_PAGE_SHIFT)
			return l;
	fail();
	return 0;
}

static void expect(struct test_p2m *f, uint64_t gfn, enum hv_mm_p2m_type type,
		   unsigned int access, uint64_t mfn, unsigned int order)
{
	struct hv_mm_p2m_info info = test_p2m_lookup(f, gfn);

	assert_int_equal(info.type, type);
	assert_int_equal(info.access, access);
	assert_int_equal(hv_mfn_x(info.mfn), mfn);
	assert_int_equal(info.order, order);
	assert_int_equal(info.level, level_of(f->fmt, order));
}

static int count_piece(void *ctx, hv_gfn_t first, uint64_t nr,
		       const struct hv_mm_p2m_info *info)
{
	(void)first;
	(void)nr;
	(void)info;
	(*(uint64_t *)ctx)++;
	return 0;
}

static uint64_t pieces(struct test_p2m *f, uint64_t gfn, uint64_t nr)
{
	uint64_t n = 0;

	assert_int_equal(
	    hv_mm_p2m_walk(&f->p2m, hv_gfn(gfn), nr, count_piece, &n), 0);
	return n;
}

/*
 * The case: a 1 GiB-aligned range maps with one 1 GiB entry;
 * unmapping one 4 KiB page splits it into the minimal set (511 2 MiB
 * entries and 511 pages); mapping the page back restores the 1 GiB entry.
 */
static void superpage_split_and_merge(void **state)
{
	(void)state;
	for (size_t i = 0; i < test_nr_formats; i++) {
		const uint64_t g = SZ_1G * 2, m = SZ_1G * 7, x = 0x12345;
		struct test_removals rm = {0};
		struct hv_mm_p2m_batch b;
		struct hv_mm_p2m_stats st;
		struct test_p2m f;
		long tables;

		init_root_only(&f, test_formats[i], HV_MM_P2M_ORDER_1G);
		test_p2m_set(&f, NULL, g, m, SZ_1G, HV_MM_P2M_RAM_RW,
			     HV_MM_P2M_RWX);
		tables = f.t.live;
		expect(&f, g, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX, m, 18);
		expect(&f, g + x, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX, m + x, 18);
		expect(&f, g + SZ_1G - 1, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX,
		       m + SZ_1G - 1, 18);
		assert_int_equal(pieces(&f, 0, hv_mm_p2m_gfn_limit(&f.p2m)), 1);

		hv_mm_p2m_batch_begin(&b, &f.p2m, test_record_removed, &rm);
		assert_int_equal(hv_mm_p2m_remove(&f.p2m, &b, hv_gfn(g + x), 1),
				 0);
		hv_mm_p2m_batch_end(&b);
		assert_int_equal(rm.n, 1);
		assert_int_equal(rm.r[0].gfn, g + x);
		assert_int_equal(rm.r[0].mfn, m + x);
		assert_int_equal(rm.r[0].nr, 1);
		assert_int_equal(rm.r[0].type, HV_MM_P2M_RAM_RW);
		expect(&f, g + x, HV_MM_P2M_INVALID, 0, HV_INVALID_FRAME, 0);
		expect(&f, g + x + 1, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX,
		       m + x + 1, 0);
		expect(&f, (g + x) & ~(SZ_2M - 1), HV_MM_P2M_RAM_RW,
		       HV_MM_P2M_RWX, m + (x & ~(SZ_2M - 1)), 0);
		expect(&f, g, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX, m, 9);
		expect(&f, g + SZ_1G - 1, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX,
		       m + SZ_1G - 1, 9);
		assert_int_equal(pieces(&f, g, SZ_1G), 511 + 511);
		assert_int_equal(f.t.live, tables + 2);
		hv_mm_p2m_get_stats(&f.p2m, &st);
		assert_int_equal(st.splits, 2);
		assert_int_equal(st.tables, (uint64_t)f.t.live);

		test_p2m_set(&f, NULL, g + x, m + x, 1, HV_MM_P2M_RAM_RW,
			     HV_MM_P2M_RWX);
		expect(&f, g + x, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX, m + x, 18);
		assert_int_equal(pieces(&f, g, SZ_1G), 1);
		assert_int_equal(f.t.live, tables);
		hv_mm_p2m_get_stats(&f.p2m, &st);
		assert_int_equal(st.merges, 2);
		test_p2m_fini(&f);
	}
}

/* Every type with every rights combination, at every leaf level. */
static void types_and_rights_at_every_level(void **state)
{
	static const unsigned int orders[] = {0, 9, 18};

	(void)state;
	for (size_t i = 0; i < test_nr_formats; i++) {
		struct test_p2m f;

		init_root_only(&f, test_formats[i], HV_MM_P2M_ORDER_1G);
		for (size_t o = 0; o < HV_ARRAY_SIZE(orders); o++) {
			uint64_t size = UINT64_C(1) << orders[o];
			uint64_t g = 2 * size, m = SZ_1G * 9 + 3 * size;

			for (int t = HV_MM_P2M_RAM_RW; t < HV_MM_P2M_NR_TYPES;
			     t++) {
				for (unsigned int a = 0; a <= HV_MM_P2M_RWX;
				     a++) {
					enum hv_mm_p2m_type type = t;
					unsigned int eff =
					    a & hv_mm_p2m_type_rights(type);
					bool framed =
					    hv_mm_p2m_type_has_frame(type);
					uint64_t off = size - 1;

					test_p2m_set(&f, NULL, g, m, size, type,
						     a);
					expect(&f, g + off, type, eff,
					       framed ? m + off
						      : HV_INVALID_FRAME,
					       orders[o]);
				}
			}
			assert_int_equal(
			    hv_mm_p2m_remove(&f.p2m, NULL, hv_gfn(g), size), 0);
			assert_int_equal(f.t.live, 1);
		}
		test_p2m_fini(&f);
	}
}

/* A range maps with the largest entries its alignment allows. */
static void largest_entries_that_fit(void **state)
{
	(void)state;
	for (size_t i = 0; i < test_nr_formats; i++) {
		struct test_p2m f;
		uint64_t g = SZ_1G - 3, nr = SZ_1G + SZ_2M + 5;

		init_root_only(&f, test_formats[i], HV_MM_P2M_ORDER_1G);
		/* 3 pages, one 1 GiB entry, one 2 MiB entry, 2 pages. */
		test_p2m_set(&f, NULL, g, g + SZ_1G, nr, HV_MM_P2M_RAM_RW,
			     HV_MM_P2M_RWX);
		assert_int_equal(pieces(&f, g, nr), 3 + 1 + 1 + 2);
		expect(&f, g, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX, g + SZ_1G, 0);
		expect(&f, SZ_1G, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX, SZ_1G * 2,
		       18);
		expect(&f, SZ_1G * 2, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX,
		       SZ_1G * 3, 9);
		expect(&f, SZ_1G * 2 + SZ_2M + 1, HV_MM_P2M_RAM_RW,
		       HV_MM_P2M_RWX, SZ_1G * 3 + SZ_2M + 1, 0);
		/* Machine frames misaligned by one page: pages only. */
		test_p2m_set(&f, NULL, SZ_1G, 77, 2 * SZ_2M, HV_MM_P2M_MMIO,
			     HV_MM_P2M_RW);
		assert_int_equal(pieces(&f, SZ_1G, 2 * SZ_2M), 2 * SZ_2M);
		/* Aligned to 2 MiB only: 2 MiB entries. */
		test_p2m_set(&f, NULL, SZ_1G, SZ_2M * 3, SZ_1G,
			     HV_MM_P2M_RAM_RO, HV_MM_P2M_R);
		assert_int_equal(pieces(&f, SZ_1G, SZ_1G), 512);
		test_p2m_fini(&f);
	}
}

/*
 * A superpage's worth of pages starting one page into an empty 2 MiB
 * entry whose tables exist, frames aligned as a superpage's would be:
 * pages, and never a 2 MiB entry over the wrong range (a whole-entry map
 * is taken in one walk: p2m_change.c's map_one_empty_entry).
 */
static void misaligned_run_over_an_empty_entry(void **state)
{
	(void)state;
	for (size_t i = 0; i < test_nr_formats; i++) {
		struct test_p2m f;

		init_root_only(&f, test_formats[i], HV_MM_P2M_ORDER_1G);
		/* The tables down to the 2 MiB entries exist. */
		test_p2m_set(&f, NULL, 5 * SZ_2M, 5 * SZ_2M, 1,
			     HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX);
		test_p2m_set(&f, NULL, 1, SZ_1G + 1, SZ_2M, HV_MM_P2M_RAM_RW,
			     HV_MM_P2M_RWX);
		expect(&f, 0, HV_MM_P2M_INVALID, 0, HV_INVALID_FRAME, 0);
		expect(&f, 1, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX, SZ_1G + 1, 0);
		expect(&f, SZ_2M, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX,
		       SZ_1G + SZ_2M, 0);
		expect(&f, SZ_2M + 1, HV_MM_P2M_INVALID, 0, HV_INVALID_FRAME,
		       0);
		assert_int_equal(pieces(&f, 0, 2 * SZ_2M), SZ_2M);
		test_p2m_fini(&f);
	}
}

/* max_order caps the entries used (a CPU without 1 GiB nested pages). */
static void max_order_caps_entries(void **state)
{
	(void)state;
	for (size_t i = 0; i < test_nr_formats; i++) {
		struct test_p2m f;

		init_root_only(&f, test_formats[i], HV_MM_P2M_ORDER_2M);
		test_p2m_set(&f, NULL, SZ_1G, SZ_1G, SZ_1G, HV_MM_P2M_RAM_RW,
			     HV_MM_P2M_RWX);
		assert_int_equal(pieces(&f, SZ_1G, SZ_1G), 512);
		expect(&f, SZ_1G + 1, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX,
		       SZ_1G + 1, 9);
		test_p2m_fini(&f);

		init_root_only(&f, test_formats[i], HV_MM_P2M_ORDER_4K);
		test_p2m_set(&f, NULL, 0, SZ_1G, 4 * SZ_2M, HV_MM_P2M_RAM_RW,
			     HV_MM_P2M_RWX);
		assert_int_equal(pieces(&f, 0, 4 * SZ_2M), 4 * SZ_2M);
		expect(&f, 3, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX, SZ_1G + 3, 0);
		test_p2m_fini(&f);
	}
}

/* Filling a 2 MiB region page by page with contiguous frames merges it;
 * emptying it frees every table. */
static void page_by_page_merges_and_frees(void **state)
{
	(void)state;
	for (size_t i = 0; i < test_nr_formats; i++) {
		struct test_p2m f;

		init_root_only(&f, test_formats[i], HV_MM_P2M_ORDER_1G);
		for (uint64_t p = 0; p < SZ_2M; p++)
			test_p2m_set(&f, NULL, SZ_2M * 7 + p, SZ_2M * 3 + p, 1,
				     HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX);
		expect(&f, SZ_2M * 7 + 100, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX,
		       SZ_2M * 3 + 100, 9);
		for (uint64_t p = 0; p < SZ_2M; p++)
			assert_int_equal(hv_mm_p2m_remove(&f.p2m, NULL,
							  hv_gfn(SZ_2M * 7 + p),
							  1),
					 0);
		assert_int_equal(f.t.live, 1);
		assert_int_equal(pieces(&f, 0, hv_mm_p2m_gfn_limit(&f.p2m)), 0);
		test_p2m_fini(&f);
	}
}

/* The generation moves with every change that rewrites or removes a
 * mapping (frame, type or rights), and with nothing else. */
static void generation_counts_changed_mappings(void **state)
{
	(void)state;
	for (size_t i = 0; i < test_nr_formats; i++) {
		struct test_p2m f;
		uint64_t g;

		init_root_only(&f, test_formats[i], HV_MM_P2M_ORDER_1G);
		g = hv_mm_p2m_generation(&f.p2m);
		/* Filling holes, a superpage among them, and merging. */
		test_p2m_set(&f, NULL, 0, 0x100, 1, HV_MM_P2M_RAM_RW,
			     HV_MM_P2M_RWX);
		test_p2m_set(&f, NULL, SZ_2M, SZ_2M, SZ_2M, HV_MM_P2M_RAM_RW,
			     HV_MM_P2M_RWX);
		for (uint64_t p = 0; p < SZ_2M; p++)
			test_p2m_set(&f, NULL, SZ_2M * 4 + p, SZ_2M * 2 + p, 1,
				     HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX);
		test_p2m_set(&f, NULL, SZ_2M * 8 + 3, 0x300, 1,
			     HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX);
		/* The same mapping again; rights it already has. */
		test_p2m_set(&f, NULL, 0, 0x100, 1, HV_MM_P2M_RAM_RW,
			     HV_MM_P2M_RWX);
		assert_int_equal(hv_mm_p2m_set_access(&f.p2m, NULL, hv_gfn(0),
						      1, HV_MM_P2M_RWX),
				 0);
		assert_int_equal(hv_mm_p2m_generation(&f.p2m), g);
		/* Another frame, another type, fewer rights, a removal, a
		 * page out of a superpage: each moves it. */
		test_p2m_set(&f, NULL, 0, 0x200, 1, HV_MM_P2M_RAM_RW,
			     HV_MM_P2M_RWX);
		assert_true(hv_mm_p2m_generation(&f.p2m) > g);
		g = hv_mm_p2m_generation(&f.p2m);
		test_p2m_set(&f, NULL, 0, 0x200, 1, HV_MM_P2M_RAM_RO,
			     HV_MM_P2M_RWX);
		assert_true(hv_mm_p2m_generation(&f.p2m) > g);
		g = hv_mm_p2m_generation(&f.p2m);
		assert_int_equal(hv_mm_p2m_set_access(&f.p2m, NULL, hv_gfn(0),
						      1, HV_MM_P2M_R),
				 0);
		assert_true(hv_mm_p2m_generation(&f.p2m) > g);
		g = hv_mm_p2m_generation(&f.p2m);
		assert_int_equal(hv_mm_p2m_remove(&f.p2m, NULL, hv_gfn(0), 1),
				 0);
		assert_true(hv_mm_p2m_generation(&f.p2m) > g);
		g = hv_mm_p2m_generation(&f.p2m);
		assert_int_equal(
		    hv_mm_p2m_remove(&f.p2m, NULL, hv_gfn(SZ_2M + 5), 1), 0);
		assert_true(hv_mm_p2m_generation(&f.p2m) > g);
		/* A superpage over a table of pages. */
		g = hv_mm_p2m_generation(&f.p2m);
		test_p2m_set(&f, NULL, SZ_2M * 8, SZ_2M * 6, SZ_2M,
			     HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX);
		assert_true(hv_mm_p2m_generation(&f.p2m) > g);
		test_p2m_fini(&f);
	}
}

/* The first and last frames of each format's space, and the root's last
 * slot (the concatenated root's second page for a 40-bit IPA). */
static void edges_of_the_space(void **state)
{
	(void)state;
	for (size_t i = 0; i < test_nr_formats; i++) {
		struct test_p2m f;
		uint64_t limit;
		struct hv_mm_p2m_info info;

		init_root_only(&f, test_formats[i], HV_MM_P2M_ORDER_1G);
		limit = hv_mm_p2m_gfn_limit(&f.p2m);
		assert_int_equal(limit, UINT64_C(1) << (f.fmt->shift[0] +
							f.fmt->bits[0] -
							HV_PAGE_SHIFT));
		test_p2m_set(&f, NULL, 0, 5, 1, HV_MM_P2M_RAM_RW,
			     HV_MM_P2M_RWX);
		test_p2m_set(&f, NULL, limit - 1, 9, 1, HV_MM_P2M_RAM_RW,
			     HV_MM_P2M_RWX);
		expect(&f, 0, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX, 5, 0);
		expect(&f, limit - 1, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX, 9, 0);
		assert_int_equal(hv_mm_p2m_max_mapped_gfn(&f.p2m), limit - 1);
		assert_int_equal(pieces(&f, 0, limit), 2);
		assert_int_equal(hv_mm_p2m_lookup(&f.p2m, hv_gfn(limit), &info),
				 -HV_EINVAL);
		/* A hole reports the size of the empty entry. */
		info = test_p2m_lookup(&f, limit / 2);
		assert_int_equal(info.type, HV_MM_P2M_INVALID);
		assert_int_equal(info.level, 0);
		assert_int_equal(info.order, f.fmt->shift[0] - HV_PAGE_SHIFT);
		assert_true(hv_mm_p2m_root(&f.p2m) != 0);
		test_p2m_fini(&f);
	}
}

static void bad_arguments_change_nothing(void **state)
{
	(void)state;
	for (size_t i = 0; i < test_nr_formats; i++) {
		struct test_p2m f, other;
		struct hv_mm_p2m_batch b;
		uint64_t limit, frames;
		struct hv_mm_p2m *p = &f.p2m;

		init_root_only(&f, test_formats[i], HV_MM_P2M_ORDER_1G);
		init_root_only(&other, test_formats[i], HV_MM_P2M_ORDER_1G);
		limit = hv_mm_p2m_gfn_limit(p);
		frames = UINT64_C(1) << (f.fmt->pa_bits - HV_PAGE_SHIFT);
		assert_int_equal(hv_mm_p2m_set(p, NULL, hv_gfn(limit - 1),
					       hv_mfn(0), 2, HV_MM_P2M_RAM_RW,
					       HV_MM_P2M_RWX),
				 -HV_EINVAL);
		assert_int_equal(hv_mm_p2m_set(p, NULL, hv_gfn(UINT64_MAX),
					       hv_mfn(0), 2, HV_MM_P2M_RAM_RW,
					       HV_MM_P2M_RWX),
				 -HV_EINVAL);
		assert_int_equal(hv_mm_p2m_set(p, NULL, hv_gfn(0),
					       hv_mfn(frames - 1), 2,
					       HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX),
				 -HV_EINVAL);
		assert_int_equal(hv_mm_p2m_set(p, NULL, hv_gfn(0), hv_mfn(0), 1,
					       HV_MM_P2M_NR_TYPES, 0),
				 -HV_EINVAL);
		assert_int_equal(hv_mm_p2m_set(p, NULL, hv_gfn(0), hv_mfn(0), 1,
					       HV_MM_P2M_RAM_RW, 8),
				 -HV_EINVAL);
		assert_int_equal(hv_mm_p2m_set_access(p, NULL, hv_gfn(0), 1, 9),
				 -HV_EINVAL);
		assert_int_equal(
		    hv_mm_p2m_set_access(p, NULL, hv_gfn(limit), 1, 0),
		    -HV_EINVAL);
		hv_mm_p2m_batch_begin(&b, &other.p2m, NULL, NULL);
		assert_int_equal(hv_mm_p2m_set(p, &b, hv_gfn(0), hv_mfn(0), 1,
					       HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX),
				 -HV_EINVAL);
		assert_int_equal(hv_mm_p2m_set_access(p, &b, hv_gfn(0), 1, 0),
				 -HV_EINVAL);
		assert_int_equal(
		    hv_mm_p2m_grant_map(p, &b, hv_gfn(0), hv_mfn(0), false),
		    -HV_EINVAL);
		hv_mm_p2m_batch_end(&b);
		/* Frames are not checked for types without them. */
		assert_int_equal(hv_mm_p2m_set(p, NULL, hv_gfn(0),
					       hv_mfn(UINT64_MAX), 1,
					       HV_MM_P2M_PAGED_OUT, 0),
				 0);
		assert_int_equal(hv_mm_p2m_remove(p, NULL, hv_gfn(0), 1), 0);
		/* Nothing to do is not an error. */
		assert_int_equal(hv_mm_p2m_set(p, NULL, hv_gfn(0), hv_mfn(0), 0,
					       HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX),
				 0);
		assert_int_equal(hv_mm_p2m_set_access(p, NULL, hv_gfn(0), 0, 0),
				 0);
		assert_int_equal(pieces(&f, 0, limit), 0);
		assert_int_equal(f.t.live, 1);
		assert_int_equal(hv_mm_p2m_max_mapped_gfn(p), 0);
		test_p2m_fini(&other);
		test_p2m_fini(&f);
	}
}

static void init_rejects_bad_setups(void **state)
{
	struct hv_mm_p2m_ops no_flush = test_table_ops;
	struct hv_mm_p2m p2m;
	struct test_tables t;

	(void)state;
	no_flush.flush_tlb = NULL;
	test_tables_init(&t);
	assert_int_equal(hv_mm_p2m_init(&p2m, NULL, &test_table_ops, &t, 18),
			 -HV_EINVAL);
	assert_int_equal(hv_mm_p2m_init(&p2m, test_formats[0], NULL, &t, 18),
			 -HV_EINVAL);
	assert_int_equal(
	    hv_mm_p2m_init(&p2m, test_formats[0], &no_flush, &t, 18),
	    -HV_EINVAL);
	t.fail_after = 0;
	assert_int_equal(
	    hv_mm_p2m_init(&p2m, test_formats[0], &test_table_ops, &t, 18),
	    -HV_ENOMEM);
	assert_int_equal(t.live, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(superpage_split_and_merge),
	    cmocka_unit_test(types_and_rights_at_every_level),
	    cmocka_unit_test(largest_entries_that_fit),
	    cmocka_unit_test(misaligned_run_over_an_empty_entry),
	    cmocka_unit_test(max_order_caps_entries),
	    cmocka_unit_test(page_by_page_merges_and_frees),
	    cmocka_unit_test(generation_counts_changed_mappings),
	    cmocka_unit_test(edges_of_the_space),
	    cmocka_unit_test(bad_arguments_change_nothing),
	    cmocka_unit_test(init_rejects_bad_setups),
	};
	return cmocka_run_group_tests_name("mm-p2m", tests, NULL, NULL);
}
