/*
 * The EL2 identity map: one level-1 table of 1 GiB blocks (4 KiB granule,
 * 39-bit VA, so the walk starts at level 1; Arm ARM D8).
 */
#include <hv/arm_boot.h>
#include <hv/error.h>

#include "sysreg.h"

#define L1_ENTRIES     512
#define L1_BLOCK_SHIFT 30

#define MAIR_DEVICE_NGNRE 0x04
#define MAIR_NORMAL_WB	  0xff
#define ATTR_DEVICE	  0 /* MAIR_EL2 attribute indexes */
#define ATTR_NORMAL	  1

#define DESC_BLOCK    0x1
#define DESC_ATTR(i)  ((uint64_t)(i) << 2)
#define DESC_SH_INNER (3ull << 8)
#define DESC_AF	      (1ull << 10)
#define DESC_XN	      (1ull << 54)

#define TCR_T0SZ(bits) (64 - (bits))
#define TCR_IRGN0_WBWA (1ull << 8)
#define TCR_ORGN0_WBWA (1ull << 10)
#define TCR_SH0_INNER  (3ull << 12)
#define TCR_PS_40BIT   (2ull << 16)
#define TCR_EL2_RES1   ((1ull << 31) | (1ull << 23))

#define SCTLR_EL2_RES1 0x30c50830ull
#define SCTLR_M	       (1ull << 0)
#define SCTLR_C	       (1ull << 2)
#define SCTLR_SA       (1ull << 3)
#define SCTLR_I	       (1ull << 12)

static bool block_is_ram(uint64_t block, const struct hv_mem_range *ram,
			 size_t n)
{
	uint64_t start = block << L1_BLOCK_SHIFT;
	uint64_t end = start + (1ull << L1_BLOCK_SHIFT);

	for (size_t i = 0; i < n; i++)
		if (ram[i].base < end && start < ram[i].base + ram[i].size)
			return true;
	return false;
}

static uint64_t block_descriptor(uint64_t block, bool ram)
{
	uint64_t d = (block << L1_BLOCK_SHIFT) | DESC_BLOCK | DESC_AF;

	if (ram)
		return d | DESC_ATTR(ATTR_NORMAL) | DESC_SH_INNER;
	/* Never fetch instructions, speculatively or not, from devices. */
	return d | DESC_ATTR(ATTR_DEVICE) | DESC_XN;
}

int hv_arm_mmu_enable_identity(uint64_t *l1, const struct hv_mem_range *ram,
			       size_t n)
{
	if ((uintptr_t)l1 & (HV_PAGE_SIZE - 1))
		return -HV_EINVAL;
	for (size_t i = 0; i < n; i++)
		if (ram[i].base + ram[i].size > (uint64_t)L1_ENTRIES
						    << L1_BLOCK_SHIFT)
			return -HV_EINVAL;

	for (uint64_t b = 0; b < L1_ENTRIES; b++)
		l1[b] = block_descriptor(b, block_is_ram(b, ram, n));
	hv_arm_mmu_enable(l1);
	return 0;
}

void hv_arm_mmu_enable(const uint64_t *l1)
{
	hv_write_sysreg(mair_el2, MAIR_DEVICE_NGNRE << (8 * ATTR_DEVICE) |
				      MAIR_NORMAL_WB << (8 * ATTR_NORMAL));
	hv_write_sysreg(tcr_el2, TCR_EL2_RES1 | TCR_PS_40BIT | TCR_SH0_INNER |
				     TCR_ORGN0_WBWA | TCR_IRGN0_WBWA |
				     TCR_T0SZ(39));
	hv_write_sysreg(ttbr0_el2, (uintptr_t)l1);
	hv_dsb_ish();
	__asm__ __volatile__("tlbi alle2" ::: "memory");
	hv_dsb_ish();
	hv_isb();
	hv_write_sysreg(sctlr_el2, SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C |
				       SCTLR_SA | SCTLR_I);
	hv_isb();
}
