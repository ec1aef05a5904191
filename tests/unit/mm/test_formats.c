/*
 * The page-table formats bit by bit: the values measured on QEMU (stage-2
 * blocks PA | 0x7FD and device PA | 0x4C5, VTCR_EL2 0x80023560, NPT entries
 * with P|RW|US), round trips of every type and right at every leaf level,
 * the template property the engine relies on, and the descriptor checks.
 */
#include "mm_test.h"
#include "../model_rng.h"

#include <hv/arm_stage2.h>
#include <hv/x86_npt.h>

#include <string.h>

#define PA_2M UINT64_C(0x40200000)

static const unsigned int leaf_shifts[] = {12, 21, 30};

static void stage2_measured_values(void **state)
{
	const struct hv_mm_p2m_format *f = &hv_arm_stage2_ipa32;

	(void)state;
	/* RAM, all rights, a 2 MiB block: Normal WB, RW, inner shareable, AF */
	assert_int_equal(
	    f->make_leaf(PA_2M, 21, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX),
	    PA_2M | 0x7fd);
	/* Device-nGnRE RW block, execute-never (bit 54), type MMIO */
	assert_int_equal(f->make_leaf(PA_2M, 21, HV_MM_P2M_MMIO, HV_MM_P2M_RW),
			 PA_2M | 0x4c5 | (UINT64_C(1) << 54) |
			     ((uint64_t)(HV_MM_P2M_MMIO - 1) << 55));
	/* A 4 KiB page has bit 1 set; a table points with bits 1:0 = 11 */
	assert_int_equal(
	    f->make_leaf(0x1000, 12, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX),
	    0x1000 | 0x7ff);
	assert_int_equal(f->make_table(0x5000), 0x5003);
	/* The type in bits 58:55 as type - 1 */
	assert_int_equal(
	    f->make_leaf(0x1000, 12, HV_MM_P2M_GRANT_RO, HV_MM_P2M_R) >> 55,
	    HV_MM_P2M_GRANT_RO - 1);
	/* The register values QEMU runs with, and the 40/48-bit ones */
	assert_int_equal(hv_arm_stage2_vtcr(&hv_arm_stage2_ipa32, 2),
			 0x80023560);
	assert_int_equal(hv_arm_stage2_vtcr(&hv_arm_stage2_ipa40, 2),
			 0x80023558);
	assert_int_equal(hv_arm_stage2_vtcr(&hv_arm_stage2_ipa48, 5),
			 0x80053590);
	assert_int_equal(hv_arm_stage2_vtcr(&hv_x86_npt, 2), 0);
	assert_int_equal(hv_arm_stage2_vttbr(0x40001000, 7),
			 (UINT64_C(7) << 48) | 0x40001000);
}

static void npt_encodings(void **state)
{
	const struct hv_mm_p2m_format *f = &hv_x86_npt;

	(void)state;
	assert_int_equal(f->make_table(0x7000), 0x7000 | 0x27);
	/* RAM page: P|RW|US|A|D, executable, write-back */
	assert_int_equal(
	    f->make_leaf(0x3000, 12, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX),
	    0x3000 | 0x67);
	/* 2 MiB read-only, not executable: PS, NX, no RW */
	assert_int_equal(f->make_leaf(PA_2M, 21, HV_MM_P2M_RAM_RW, HV_MM_P2M_R),
			 PA_2M | 0xe5 | (UINT64_C(1) << 63));
	/* MMIO: uncacheable (PCD|PWT) */
	assert_int_equal(f->make_leaf(0x3000, 12, HV_MM_P2M_MMIO, HV_MM_P2M_RW),
			 0x3000 | 0x7f | (UINT64_C(1) << 63) |
			     ((uint64_t)(HV_MM_P2M_MMIO - 1) << 52));
	/* No read right: not present, the state kept for the fault handler */
	assert_int_equal(
	    f->make_leaf(0x3000, 12, HV_MM_P2M_RAM_RW, HV_MM_P2M_W) & 1, 0);
}

/* Decode what make_leaf wrote, for every format, level, type and right. */
static void round_trips(void **state)
{
	(void)state;
	for (size_t i = 0; i < test_nr_formats; i++) {
		const struct hv_mm_p2m_format *f = test_formats[i];

		for (size_t s = 0; s < HV_ARRAY_SIZE(leaf_shifts); s++) {
			unsigned int shift = leaf_shifts[s];
			hv_paddr_t pa = UINT64_C(0x123) << shift;

			for (int t = HV_MM_P2M_RAM_RW; t < HV_MM_P2M_NR_TYPES;
			     t++) {
				enum hv_mm_p2m_type type = t;
				bool framed = hv_mm_p2m_type_has_frame(type);
				unsigned int rights =
				    hv_mm_p2m_type_rights(type);

				for (unsigned int a = 0; a <= HV_MM_P2M_RWX;
				     a++) {
					uint64_t e0, e;
					struct hv_mm_p2m_pte pte;

					if (a & ~rights)
						continue;
					e0 = f->make_leaf(0, shift, type, a);
					e = f->make_leaf(framed ? pa : 0, shift,
							 type, a);
					assert_int_equal(
					    e, e0 | (framed ? pa : 0));
					assert_int_not_equal(e, 0);
					f->decode(e, shift, &pte);
					assert_int_equal(pte.kind,
							 HV_MM_PTE_LEAF);
					assert_int_equal(pte.type, type);
					assert_int_equal(pte.access, a);
					assert_int_equal(pte.addr,
							 framed ? pa : 0);
					assert_int_equal(
					    pte.hw_valid,
					    type != HV_MM_P2M_PAGED_OUT &&
						(e & 1));
				}
			}
		}
	}
}

static void tables_and_holes_decode(void **state)
{
	(void)state;
	for (size_t i = 0; i < test_nr_formats; i++) {
		const struct hv_mm_p2m_format *f = test_formats[i];
		struct hv_mm_p2m_pte pte;

		f->decode(0, 12, &pte);
		assert_int_equal(pte.kind, HV_MM_PTE_EMPTY);
		f->decode(f->make_table(0xabc000), 21, &pte);
		assert_int_equal(pte.kind, HV_MM_PTE_TABLE);
		assert_int_equal(pte.addr, 0xabc000);
		/* A retired table's link (an address, bit 0 clear) is never
		 * valid for the hardware. */
		f->decode(0xabc000 | (1u << 1), 21, &pte);
		assert_true(pte.kind != HV_MM_PTE_LEAF || !pte.hw_valid);
		assert_int_equal(hv_mm_p2m_format_check(f), 0);
	}
}

/* A random 64-bit entry whose table bits match. */
static uint64_t random_match(uint64_t *rng, const struct hv_mm_p2m_format *f)
{
	uint64_t e = (uint64_t)model_rng(rng, UINT32_MAX) << 32 |
		     model_rng(rng, UINT32_MAX);

	return (e & ~f->table_mask) | f->table_match;
}

/* What decode says of an entry at a level above the last whose table
 * bits match: a table at its address bits. */
static void assert_fast_table(const struct hv_mm_p2m_format *f, uint64_t e,
			      unsigned int shift)
{
	struct hv_mm_p2m_pte pte;

	if ((e & f->table_mask) != f->table_match)
		return;
	f->decode(e, shift, &pte);
	assert_int_equal(pte.kind, HV_MM_PTE_TABLE);
	assert_int_equal(pte.addr, e & f->addr_mask);
}

/*
 * The walks go down an entry whose table bits match without decoding it:
 * every entry the engine writes, and random ones, must then decode as
 * that table, at every level above the last; and the tables the engine
 * writes must match, or the shortcut is never taken.
 */
static void table_mask_agrees_with_decode(void **state)
{
	uint64_t rng = model_rng_seed(15);

	(void)state;
	assert_int_not_equal(hv_x86_npt.table_mask, 0);
	assert_int_not_equal(hv_arm_stage2_ipa40.table_mask, 0);
	for (size_t i = 0; i < test_nr_formats; i++) {
		const struct hv_mm_p2m_format *f = test_formats[i];

		if (!f->table_mask)
			continue;
		/* Holes, retired tables' links, not-present leaves: bit 0
		 * clear, never a table by the mask. */
		assert_true((f->table_match & 1) != 0);
		for (unsigned int l = 0; l + 1 < f->levels; l++) {
			unsigned int shift = f->shift[l];

			assert_true((f->make_table(0xabc000) & f->table_mask) ==
				    f->table_match);
			assert_fast_table(f, f->make_table(0xabc000), shift);
			for (int t = HV_MM_P2M_RAM_RW; t < HV_MM_P2M_NR_TYPES;
			     t++)
				for (unsigned int a = 0; a <= HV_MM_P2M_RWX;
				     a++)
					assert_fast_table(
					    f,
					    f->make_leaf(UINT64_C(1) << shift,
							 shift, t, a),
					    shift);
			for (unsigned int n = 0; n < 100000; n++)
				assert_fast_table(f, random_match(&rng, f),
						  shift);
		}
	}
}

static void descriptor_checks(void **state)
{
	struct hv_mm_p2m_format f;

	(void)state;
	assert_int_equal(hv_mm_p2m_format_check(NULL), -HV_EINVAL);
	f = hv_x86_npt;
	f.decode = NULL;
	assert_int_equal(hv_mm_p2m_format_check(&f), -HV_EINVAL);
	f = hv_x86_npt;
	f.levels = 0;
	assert_int_equal(hv_mm_p2m_format_check(&f), -HV_EINVAL);
	f = hv_x86_npt;
	f.levels = HV_MM_P2M_MAX_LEVELS + 1;
	assert_int_equal(hv_mm_p2m_format_check(&f), -HV_EINVAL);
	f = hv_x86_npt;
	f.shift[3] = 13;
	assert_int_equal(hv_mm_p2m_format_check(&f), -HV_EINVAL);
	f = hv_x86_npt;
	f.shift[1] = 31;
	assert_int_equal(hv_mm_p2m_format_check(&f), -HV_EINVAL);
	f = hv_x86_npt;
	f.bits[2] = 0;
	assert_int_equal(hv_mm_p2m_format_check(&f), -HV_EINVAL);
	f = hv_x86_npt;
	f.bits[0] = 17;
	assert_int_equal(hv_mm_p2m_format_check(&f), -HV_EINVAL);
	f = hv_x86_npt;
	f.leaf_levels = 0x6; /* no pages at the last level */
	assert_int_equal(hv_mm_p2m_format_check(&f), -HV_EINVAL);
	f = hv_x86_npt;
	f.leaf_levels = 0xa; /* a gap: 1 GiB leaves but no 2 MiB ones */
	assert_int_equal(hv_mm_p2m_format_check(&f), -HV_EINVAL);
	f = hv_x86_npt;
	f.leaf_levels = 0x1e; /* a level that does not exist */
	assert_int_equal(hv_mm_p2m_format_check(&f), -HV_EINVAL);
	f = hv_x86_npt;
	f.pa_bits = 12;
	assert_int_equal(hv_mm_p2m_format_check(&f), -HV_EINVAL);
	f = hv_x86_npt;
	f.addr_mask |= 1;
	assert_int_equal(hv_mm_p2m_format_check(&f), -HV_EINVAL);
	f = hv_x86_npt;
	f.table_match |= UINT64_C(1) << 62; /* outside the mask */
	assert_int_equal(hv_mm_p2m_format_check(&f), -HV_EINVAL);
	f = hv_x86_npt;
	f.table_match = 0; /* an empty entry would be a table */
	assert_int_equal(hv_mm_p2m_format_check(&f), -HV_EINVAL);
	f = hv_arm_stage2_ipa40;
	f.table_mask = f.table_match = 2; /* bit 0 clear: not for hardware */
	assert_int_equal(hv_mm_p2m_format_check(&f), -HV_EINVAL);
	f.table_mask = f.table_match = 0; /* no shortcut: accepted */
	assert_int_equal(hv_mm_p2m_format_check(&f), 0);
	/* Consistent levels, but 76 address bits. */
	f = hv_arm_stage2_ipa48;
	f.bits[0] = f.bits[1] = f.bits[2] = f.bits[3] = 16;
	f.shift[2] = 28;
	f.shift[1] = 44;
	f.shift[0] = 60;
	assert_int_equal(hv_mm_p2m_format_check(&f), -HV_EINVAL);
	f.bits[0] = 4; /* 64 bits: accepted */
	assert_int_equal(hv_mm_p2m_format_check(&f), 0);
}

static void type_helpers(void **state)
{
	(void)state;
	assert_int_equal(hv_mm_p2m_type_rights(HV_MM_P2M_INVALID), 0);
	assert_int_equal(hv_mm_p2m_type_rights(HV_MM_P2M_RAM_RW),
			 HV_MM_P2M_RWX);
	assert_int_equal(hv_mm_p2m_type_rights(HV_MM_P2M_RAM_RO),
			 HV_MM_P2M_R | HV_MM_P2M_X);
	assert_int_equal(hv_mm_p2m_type_rights(HV_MM_P2M_MMIO), HV_MM_P2M_RW);
	assert_int_equal(hv_mm_p2m_type_rights(HV_MM_P2M_GRANT_RO),
			 HV_MM_P2M_R);
	assert_int_equal(hv_mm_p2m_type_rights(HV_MM_P2M_NR_TYPES), 0);
	assert_false(hv_mm_p2m_type_has_frame(HV_MM_P2M_INVALID));
	assert_false(hv_mm_p2m_type_has_frame(HV_MM_P2M_PAGED_OUT));
	assert_false(hv_mm_p2m_type_has_frame(HV_MM_P2M_NR_TYPES));
	assert_true(hv_mm_p2m_type_has_frame(HV_MM_P2M_GRANT_RW));
	assert_string_equal(hv_mm_p2m_type_name(HV_MM_P2M_RAM_RW), "ram_rw");
	assert_string_equal(hv_mm_p2m_type_name(HV_MM_P2M_PAGED_OUT),
			    "paged_out");
	assert_string_equal(hv_mm_p2m_type_name(HV_MM_P2M_NR_TYPES), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(stage2_measured_values),
	    cmocka_unit_test(npt_encodings),
	    cmocka_unit_test(round_trips),
	    cmocka_unit_test(tables_and_holes_decode),
	    cmocka_unit_test(table_mask_agrees_with_decode),
	    cmocka_unit_test(descriptor_checks),
	    cmocka_unit_test(type_helpers),
	};
	return cmocka_run_group_tests_name("mm-formats", tests, NULL, NULL);
}
