/*
 * AMD nested page tables for libhv-mm's P2M engine; the layout is described
 * in <hv/x86_npt.h>.
 */
#include <hv/mm_impl.h>
#include <hv/x86_npt.h>

#define NPT_P	(UINT64_C(1) << 0)
#define NPT_RW	(UINT64_C(1) << 1)
#define NPT_US	(UINT64_C(1) << 2)
#define NPT_PWT (UINT64_C(1) << 3)
#define NPT_PCD (UINT64_C(1) << 4)
#define NPT_A	(UINT64_C(1) << 5)
#define NPT_D	(UINT64_C(1) << 6)
#define NPT_PS	(UINT64_C(1) << 7)
#define NPT_ACCESS_SHIFT                                                       \
	9 /* bits 11:9, available: a not-present leaf's rights */
#define NPT_TYPE_SHIFT 52 /* bits 55:52, available: the P2M type */
#define NPT_TYPE_MASK  UINT64_C(0xf)
#define NPT_SW_LEAF    (UINT64_C(1) << 58) /* available: typed, not present */
#define NPT_NX	       (UINT64_C(1) << 63)
#define NPT_ADDR_MASK  UINT64_C(0x000ffffffffff000) /* bits 51:12 */

/* The largest leaf: a PDPT entry maps 1 GiB. */
#define NPT_MAX_LEAF_SHIFT 30

static uint64_t npt_make_table(hv_paddr_t table)
{
	return table | NPT_P | NPT_RW | NPT_US | NPT_A;
}

static uint64_t npt_make_leaf(hv_paddr_t addr, unsigned int shift,
			      enum hv_mm_p2m_type type, unsigned int access)
{
	uint64_t e = addr | ((uint64_t)(type - 1) << NPT_TYPE_SHIFT);

	if (type == HV_MM_P2M_PAGED_OUT || !(access & HV_MM_P2M_R))
		return e | NPT_SW_LEAF | ((uint64_t)access << NPT_ACCESS_SHIFT);
	e |= NPT_P | NPT_US | NPT_A | NPT_D;
	if (shift > HV_PAGE_SHIFT)
		e |= NPT_PS;
	if (access & HV_MM_P2M_W)
		e |= NPT_RW;
	if (!(access & HV_MM_P2M_X))
		e |= NPT_NX;
	if (type == HV_MM_P2M_MMIO)
		e |= NPT_PCD | NPT_PWT;
	return e;
}

static void npt_decode_leaf(uint64_t e, unsigned int shift, bool present,
			    struct hv_mm_p2m_pte *out)
{
	enum hv_mm_p2m_type type =
	    (enum hv_mm_p2m_type)(((e >> NPT_TYPE_SHIFT) & NPT_TYPE_MASK) + 1);

	if (type >= HV_MM_P2M_NR_TYPES ||
	    (present && type == HV_MM_P2M_PAGED_OUT))
		return; /* not an entry we write: empty */
	out->kind = HV_MM_PTE_LEAF;
	out->type = type;
	out->hw_valid = present;
	if (hv_mm_p2m_type_has_frame(type))
		out->addr = e & NPT_ADDR_MASK & ~((UINT64_C(1) << shift) - 1);
	if (!present)
		out->access =
		    (unsigned int)(e >> NPT_ACCESS_SHIFT) & HV_MM_P2M_RWX;
	else
		out->access = HV_MM_P2M_R | ((e & NPT_RW) ? HV_MM_P2M_W : 0) |
			      ((e & NPT_NX) ? 0 : HV_MM_P2M_X);
}

static void npt_decode(uint64_t e, unsigned int shift,
		       struct hv_mm_p2m_pte *out)
{
	*out = (struct hv_mm_p2m_pte){.kind = HV_MM_PTE_EMPTY};
	if (!(e & NPT_P)) {
		if (e & NPT_SW_LEAF)
			npt_decode_leaf(e, shift, false, out);
		return;
	}
	/* PS is a leaf only in a PD or PDPT entry; a PT entry always is. */
	if (shift == HV_PAGE_SHIFT ||
	    (shift <= NPT_MAX_LEAF_SHIFT && (e & NPT_PS))) {
		npt_decode_leaf(e, shift, true, out);
		return;
	}
	out->kind = HV_MM_PTE_TABLE;
	out->addr = e & NPT_ADDR_MASK;
}

const struct hv_mm_p2m_format hv_x86_npt = {
    .name = "x86-npt-4level",
    .levels = 4,
    .shift = {39, 30, 21, 12},
    .bits = {9, 9, 9, 9},
    .leaf_levels = 0xe,
    .pa_bits = 52,
    .break_before_make = false,
    .addr_mask = NPT_ADDR_MASK,
    /* Present without PS: a table at every level but the last. */
    .table_mask = NPT_P | NPT_PS,
    .table_match = NPT_P,
    .make_table = npt_make_table,
    .make_leaf = npt_make_leaf,
    .decode = npt_decode,
};
