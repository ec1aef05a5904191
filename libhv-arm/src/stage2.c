/*
 * AArch64 stage-2 descriptors (4 KiB granule) for libhv-mm's P2M engine.
 * The layout is described in <hv/arm_stage2.h>.
 */
#include <hv/arm_stage2.h>
#include <hv/mm_impl.h>

#define S2_VALID	 (UINT64_C(1) << 0)
#define S2_TABLE	 (UINT64_C(1) << 1) /* table, or page at level 3 */
#define S2_MEMATTR_SHIFT 2
#define S2_NORMAL_WB	 UINT64_C(0xf) /* outer and inner write-back */
#define S2_DEVICE_NGNRE	 UINT64_C(0x1)
#define S2_AP_READ	 (UINT64_C(1) << 6)
#define S2_AP_WRITE	 (UINT64_C(1) << 7)
#define S2_SH_INNER	 (UINT64_C(3) << 8)
#define S2_AF		 (UINT64_C(1) << 10)
#define S2_XN		 (UINT64_C(1) << 54) /* XN[1]: no EL1/EL0 execution */
#define S2_TYPE_SHIFT	 55		     /* bits 58:55, for software */
#define S2_TYPE_MASK	 UINT64_C(0xf)
#define S2_ADDR_MASK	 UINT64_C(0x0000fffffffff000) /* bits 47:12 */

#define VTCR_RES1      (UINT64_C(1) << 31)
#define VTCR_PS_SHIFT  16
#define VTCR_SH0_INNER (UINT64_C(3) << 12)
#define VTCR_ORGN0_WB  (UINT64_C(1) << 10)
#define VTCR_IRGN0_WB  (UINT64_C(1) << 8)
#define VTCR_SL0_SHIFT 6

static uint64_t s2_make_table(hv_paddr_t table)
{
	return table | S2_TABLE | S2_VALID;
}

static uint64_t s2_make_leaf(hv_paddr_t addr, unsigned int shift,
			     enum hv_mm_p2m_type type, unsigned int access)
{
	uint64_t e = (uint64_t)(type - 1) << S2_TYPE_SHIFT;

	if (type == HV_MM_P2M_PAGED_OUT)
		return e;
	e |= addr | S2_VALID | S2_AF;
	if (shift == HV_PAGE_SHIFT)
		e |= S2_TABLE;
	if (type == HV_MM_P2M_MMIO)
		e |= S2_DEVICE_NGNRE << S2_MEMATTR_SHIFT;
	else
		e |= (S2_NORMAL_WB << S2_MEMATTR_SHIFT) | S2_SH_INNER;
	if (access & HV_MM_P2M_R)
		e |= S2_AP_READ;
	if (access & HV_MM_P2M_W)
		e |= S2_AP_WRITE;
	if (!(access & HV_MM_P2M_X))
		e |= S2_XN;
	return e;
}

static enum hv_mm_p2m_type s2_type(uint64_t e)
{
	return (enum hv_mm_p2m_type)(((e >> S2_TYPE_SHIFT) & S2_TYPE_MASK) + 1);
}

static void s2_decode_leaf(uint64_t e, unsigned int shift,
			   struct hv_mm_p2m_pte *out)
{
	out->type = s2_type(e);
	if (out->type >= HV_MM_P2M_PAGED_OUT)
		return; /* not a type we write in a valid entry: empty */
	out->kind = HV_MM_PTE_LEAF;
	out->hw_valid = true;
	out->addr = e & S2_ADDR_MASK & ~((UINT64_C(1) << shift) - 1);
	out->access = ((e & S2_AP_READ) ? HV_MM_P2M_R : 0) |
		      ((e & S2_AP_WRITE) ? HV_MM_P2M_W : 0) |
		      ((e & S2_XN) ? 0 : HV_MM_P2M_X);
}

static void s2_decode(uint64_t e, unsigned int shift, struct hv_mm_p2m_pte *out)
{
	*out = (struct hv_mm_p2m_pte){.kind = HV_MM_PTE_EMPTY};
	if (!(e & S2_VALID)) {
		if (s2_type(e) == HV_MM_P2M_PAGED_OUT) {
			out->kind = HV_MM_PTE_LEAF;
			out->type = HV_MM_P2M_PAGED_OUT;
		}
		return;
	}
	if (shift > HV_PAGE_SHIFT && (e & S2_TABLE)) {
		out->kind = HV_MM_PTE_TABLE;
		out->addr = e & S2_ADDR_MASK;
		return;
	}
	/* At level 3, bit 1 clear is a reserved encoding: treat as empty. */
	if (shift == HV_PAGE_SHIFT && !(e & S2_TABLE))
		return;
	s2_decode_leaf(e, shift, out);
}

/* What the three formats share: the descriptors above, 48-bit output
 * addresses and break-before-make. */
#define S2_FORMAT_COMMON                                                       \
	.pa_bits = 48, .break_before_make = true, .addr_mask = S2_ADDR_MASK,   \
	.table_mask = S2_VALID | S2_TABLE, .table_match = S2_VALID | S2_TABLE, \
	.make_table = s2_make_table, .make_leaf = s2_make_leaf,                \
	.decode = s2_decode

/* Levels 1..3 map 1 GiB, 2 MiB and 4 KiB; the root's size sets the IPA
 * width.  The 48-bit format adds level 0 (512 GiB, never a leaf). */
const struct hv_mm_p2m_format hv_arm_stage2_ipa32 = {
    .name = "aarch64-stage2-4k-ipa32",
    .levels = 3,
    .shift = {30, 21, 12},
    .bits = {2, 9, 9},
    .leaf_levels = 0x7,
    S2_FORMAT_COMMON,
};

const struct hv_mm_p2m_format hv_arm_stage2_ipa40 = {
    .name = "aarch64-stage2-4k-ipa40",
    .levels = 3,
    .shift = {30, 21, 12},
    .bits = {10, 9, 9},
    .leaf_levels = 0x7,
    S2_FORMAT_COMMON,
};

const struct hv_mm_p2m_format hv_arm_stage2_ipa48 = {
    .name = "aarch64-stage2-4k-ipa48",
    .levels = 4,
    .shift = {39, 30, 21, 12},
    .bits = {9, 9, 9, 9},
    .leaf_levels = 0xe,
    S2_FORMAT_COMMON,
};

static bool is_stage2(const struct hv_mm_p2m_format *fmt)
{
	return fmt == &hv_arm_stage2_ipa32 || fmt == &hv_arm_stage2_ipa40 ||
	       fmt == &hv_arm_stage2_ipa48;
}

uint64_t hv_arm_stage2_vtcr(const struct hv_mm_p2m_format *fmt, unsigned int ps)
{
	uint64_t sl0, t0sz;

	if (!is_stage2(fmt))
		return 0;
	/* 4 KiB granule: the walk starts at level 4 - levels, and SL0
	 * encodes level 2, 1, 0 as 0, 1, 2. */
	sl0 = (uint64_t)fmt->levels - 2;
	t0sz = 64u - (fmt->shift[0] + fmt->bits[0]);
	return VTCR_RES1 | ((uint64_t)(ps & 7u) << VTCR_PS_SHIFT) |
	       VTCR_SH0_INNER | VTCR_ORGN0_WB | VTCR_IRGN0_WB |
	       (sl0 << VTCR_SL0_SHIFT) | t0sz;
}

uint64_t hv_arm_stage2_vttbr(hv_paddr_t root, uint16_t vmid)
{
	return (root & S2_ADDR_MASK) | ((uint64_t)vmid << 48);
}
