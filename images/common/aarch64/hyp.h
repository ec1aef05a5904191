/*
 * The AArch64 image glue shared by every AArch64 recipe: the glue both
 * architectures share (hyp_common.h) and the AArch64 steps from boot to
 * the run loop.  A recipe fills in a struct hyp_config and calls
 * hyp_main().
 */
#ifndef HYP_H
#define HYP_H

#include <hv/arm_boot.h>
#include <hv/arm_trap.h>

#include "hyp_common.h"

/* Each step of boot, in order; each prints its own failure and panics. */
HV_NORETURN void hyp_main(const struct hyp_config *config, uint64_t dtb);
void hyp_platform_probe(struct hyp *h, const void *dtb);
/* pCPU `id`'s timer, GIC redistributor and CPU interface (the boot
 * CPU's first brings up the distributor) and stage-2 translation, on
 * that CPU (pcpu.c). */
void hyp_pcpu_init(struct hyp *h, unsigned int id);
/* Start every pCPU but the boot one (pcpu.c): each comes up at EL2 on the
 * boot CPU's map, with its own stack, vectors, redistributor and timer,
 * and waits in hyp_core_secondary(); returns when all have. */
void hyp_pcpus_start(struct hyp *h);
/* An exception taken at EL2 itself, on any pCPU: panic (boot.c). */
void hyp_el2_fault(void *opaque, const struct hv_arm_hyp_fault *f);
void hyp_memory_init(struct hyp *h);

/* The core's domain_init and p2m_flush ops (domain.c); reset a vCPU to
 * enter the guest at `entry` with x0, and make it run. */
int hyp_domain_init(struct hv_hyp_domain *d, const struct hv_boot_domain *cfg);
void hyp_p2m_flush(struct hv_hyp_domain *d);
void hyp_vcpu_start(struct hv_hyp_vcpu *v, uint64_t entry, uint64_t x0);
/* Guest-physical addresses of what the image emulates or reserves. */
struct hyp_guest_layout {
	hv_gpaddr_t uart, uart_size;	 /* the emulated SBSA UART */
	hv_gpaddr_t gnttab, gnttab_size; /* the grant-table region */
};
/* Xen's guest memory map (layout.c). */
extern const struct hyp_guest_layout hyp_xen_layout;

/* The guest's device tree (guest_fdt.c). */
int hyp_guest_fdt(void *buf, size_t size, const struct hv_boot_domain *cfg,
		  const struct hyp_guest_layout *layout, hv_gpaddr_t ramdisk,
		  uint64_t ramdisk_size);

/* The SGI that kicks a pCPU (run.c). */
#define HYP_SGI_KICK 0

/* Make virtual interrupt `intid` (< 32) pending for v, whichever pCPU it
 * runs on (it takes it at its next entry; run.c). */
void hyp_vcpu_inject(struct hv_hyp_vcpu *v, unsigned int intid);

/* The guest's emulated SBSA UART at GUEST_PL011_BASE (vpl011.c): whether
 * an IPA is its, and the emulation of a trapped access (false if it cannot
 * be emulated: no instruction syndrome, or not the UART's). */
bool hyp_vpl011_in_range(hv_gpaddr_t ipa);
bool hyp_vpl011_access(struct hv_hyp_vcpu *v, const struct hv_arm_dabt *a);

/* Guest-virtual access for hypercall arguments of the loaded vCPU
 * (guest_va.c). */
void hyp_gmem_guest_va(struct hv_gmem *gm, struct hv_hyp_vcpu *v);

#endif
