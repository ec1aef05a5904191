/*
 * hv/arm_guest_mem.h - stage-2 control and guest address translation at
 * EL2 (AArch64 builds only).
 */
#ifndef HV_ARM_GUEST_MEM_H
#define HV_ARM_GUEST_MEM_H

#include <hv/types.h>

HV_BEGIN_DECLS

struct hv_mm_p2m_format;

/*
 * Configure stage-2 translation (VTCR_EL2) for P2Ms of `fmt` (one of
 * <hv/arm_stage2.h>'s formats), with the physical address size this CPU
 * reports.  -HV_EINVAL if fmt is not a stage-2 format.
 */
int hv_arm_stage2_enable(const struct hv_mm_p2m_format *fmt);

/* Invalidate every stage-1 and stage-2 TLB entry of the VMID in `vttbr`,
 * on every CPU of the inner-shareable domain. */
void hv_arm_tlb_flush_vmid(uint64_t vttbr);

/*
 * Translate a virtual address of the vCPU now loaded on this pCPU (its
 * stage 1, then its stage 2) for a read, or a write if `write`.  0 and
 * *pa, or -HV_EFAULT if either stage faults.  The guest's PAR_EL1 is
 * preserved.
 */
int hv_arm_guest_va_to_pa(uint64_t va, bool write, hv_paddr_t *pa);

HV_END_DECLS

#endif /* HV_ARM_GUEST_MEM_H */
