/*
 * P2M types and the checks on a format descriptor.
 */
#include <hv/error.h>

#include "p2m_priv.h"

/* What each type may do at most: RAM_RO is never writable, device and
 * foreign memory never executable (as Xen maps them). */
static const uint8_t type_rights[HV_MM_P2M_NR_TYPES] = {
    [HV_MM_P2M_INVALID] = 0,
    [HV_MM_P2M_RAM_RW] = HV_MM_P2M_RWX,
    [HV_MM_P2M_RAM_RO] = HV_MM_P2M_R | HV_MM_P2M_X,
    [HV_MM_P2M_MMIO] = HV_MM_P2M_RW,
    [HV_MM_P2M_GRANT_RW] = HV_MM_P2M_RW,
    [HV_MM_P2M_GRANT_RO] = HV_MM_P2M_R,
    [HV_MM_P2M_PAGED_OUT] = 0,
};

static const char *const type_names[HV_MM_P2M_NR_TYPES] = {
    [HV_MM_P2M_INVALID] = "invalid",	 [HV_MM_P2M_RAM_RW] = "ram_rw",
    [HV_MM_P2M_RAM_RO] = "ram_ro",	 [HV_MM_P2M_MMIO] = "mmio",
    [HV_MM_P2M_GRANT_RW] = "grant_rw",	 [HV_MM_P2M_GRANT_RO] = "grant_ro",
    [HV_MM_P2M_PAGED_OUT] = "paged_out",
};

unsigned int hv_mm_p2m_type_rights(enum hv_mm_p2m_type type)
{
	if ((unsigned int)type >= HV_MM_P2M_NR_TYPES)
		return 0;
	return type_rights[type];
}

bool hv_mm_p2m_type_has_frame(enum hv_mm_p2m_type type)
{
	return type != HV_MM_P2M_INVALID && type != HV_MM_P2M_PAGED_OUT &&
	       (unsigned int)type < HV_MM_P2M_NR_TYPES;
}

const char *hv_mm_p2m_type_name(enum hv_mm_p2m_type type)
{
	if ((unsigned int)type >= HV_MM_P2M_NR_TYPES)
		return "?";
	return type_names[type];
}

static bool format_levels_ok(const struct hv_mm_p2m_format *fmt)
{
	unsigned int last = fmt->levels - 1u;

	if (fmt->shift[last] != HV_PAGE_SHIFT)
		return false;
	for (unsigned int l = 0; l < fmt->levels; l++) {
		if (fmt->bits[l] == 0 || fmt->bits[l] > 16)
			return false;
		if (l < last &&
		    fmt->shift[l] != fmt->shift[l + 1] + fmt->bits[l + 1])
			return false;
	}
	return fmt->shift[0] + fmt->bits[0] <= 64;
}

int hv_mm_p2m_format_check(const struct hv_mm_p2m_format *fmt)
{
	unsigned int leaves;

	if (!fmt || !fmt->make_table || !fmt->make_leaf || !fmt->decode)
		return -HV_EINVAL;
	if (fmt->levels == 0 || fmt->levels > HV_MM_P2M_MAX_LEVELS)
		return -HV_EINVAL;
	if (!format_levels_ok(fmt))
		return -HV_EINVAL;
	/*
	 * Leaves are allowed from some level down to the last (which holds
	 * pages), so a split superpage always has somewhere to go.
	 */
	leaves = fmt->leaf_levels >> __builtin_ctz(fmt->leaf_levels | 0x100u);
	if (leaves == 0 || (leaves & (leaves + 1)) != 0 ||
	    (fmt->leaf_levels >> (fmt->levels - 1u)) != 1)
		return -HV_EINVAL;
	if (fmt->pa_bits <= HV_PAGE_SHIFT || fmt->pa_bits > 64)
		return -HV_EINVAL;
	if (fmt->addr_mask == 0 || (fmt->addr_mask & (HV_PAGE_SIZE - 1)))
		return -HV_EINVAL;
	/* A match must be possible and have bit 0 set: entries with it
	 * clear (holes, retired tables, not-present leaves) are no tables. */
	if ((fmt->table_match & ~fmt->table_mask) ||
	    (fmt->table_mask && !(fmt->table_match & 1)))
		return -HV_EINVAL;
	return 0;
}
