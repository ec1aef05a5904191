/*
 * hv/arm_stage2.h - AArch64 stage-2 translation tables, 4 KiB granule, as
 * page-table formats for libhv-mm's P2M engine (<hv/mm_p2m.h>).
 *
 * Each descriptor matches one VTCR_EL2 configuration: the IPA size (T0SZ)
 * and the starting level (SL0) follow from it, and hv_arm_stage2_vtcr()
 * computes the register for a P2M built with it.  Leaves are 1 GiB blocks
 * (level 1), 2 MiB blocks (level 2) and 4 KiB pages (level 3).
 *
 * Entries, as the engine writes them (ARM DDI 0487, "Stage 2 translation
 * table descriptors"):
 *  - RAM and grants: Normal memory, inner and outer write-back
 *    (MemAttr 0b1111), inner shareable, AF set; a RAM 2 MiB block with all
 *    rights is PA | 0x7FD.
 *  - MMIO: Device-nGnRE (MemAttr 0b0001), execute-never: PA | 0x4C5 | XN.
 *  - S2AP[1:0] (bits 7:6) carry write and read, XN (bit 54) the absence of
 *    execute; any combination of rights is expressible.
 *  - The P2M type lives in bits 58:55, reserved for software, as
 *    type - 1 (so RAM_RW is 0); a paged-out entry is invalid (bit 0 clear)
 *    with its type there.
 * Changing a valid entry's size or output address needs break-before-make,
 * which the descriptor asks of the engine.  Table walks are assumed
 * coherent (VTCR_EL2's write-back IRGN0/ORGN0, as below).
 */
#ifndef HV_ARM_STAGE2_H
#define HV_ARM_STAGE2_H

#include <hv/types.h>

HV_BEGIN_DECLS

struct hv_mm_p2m_format;

/* 32-bit IPA (4 GiB), start at level 1 with a 4-entry root: T0SZ 32, SL0 1
 * (with PS 2, VTCR_EL2 = 0x80023560). */
extern const struct hv_mm_p2m_format hv_arm_stage2_ipa32;
/* 40-bit IPA (1 TiB), start at level 1 with two concatenated root tables
 * (1024 entries, 8 KiB aligned): T0SZ 24, SL0 1. */
extern const struct hv_mm_p2m_format hv_arm_stage2_ipa40;
/* 48-bit IPA (256 TiB), start at level 0: T0SZ 16, SL0 2. */
extern const struct hv_mm_p2m_format hv_arm_stage2_ipa48;

/*
 * VTCR_EL2 for a P2M in one of the formats above: its T0SZ and SL0, 4 KiB
 * granule, inner-shareable write-back walks, and PS = ps (the physical
 * address size, encoded as ID_AA64MMFR0_EL1.PARange: 2 for 40 bits).
 * 0 for a format that is not a stage-2 format of this header.
 */
uint64_t hv_arm_stage2_vtcr(const struct hv_mm_p2m_format *fmt,
			    unsigned int ps);

/* VTTBR_EL2 for a P2M's root table and a VMID. */
uint64_t hv_arm_stage2_vttbr(hv_paddr_t root, uint16_t vmid);

HV_END_DECLS

#endif /* HV_ARM_STAGE2_H */
