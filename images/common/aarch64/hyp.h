/*
 * The AArch64 image glue shared by every AArch64 recipe: the glue both
 * architectures share (hyp_common.h) and the AArch64 steps from boot to
 * the run loop; the core's adapter is libhv-hyp-arm.  A recipe fills in a
 * struct hyp_config and calls hyp_main().
 */
#ifndef HYP_H
#define HYP_H

#include <hv/arm_boot.h>
#include <hv/arm_trap.h>

#include "hyp_common.h"

/* Each step of boot, in order; each prints its own failure and panics. */
HV_NORETURN void hyp_main(const struct hyp_config *config, uint64_t dtb);
void hyp_platform_probe(struct hyp *h, const void *dtb);
void hyp_memory_init(struct hyp *h);
/* pCPU `id`'s adapter state, on that CPU (pcpu.c). */
void hyp_pcpu_init(struct hyp *h, unsigned int id);
/* Start every pCPU but the boot one (pcpu.c): each comes up at EL2 on the
 * boot CPU's map, with its own stack, vectors, redistributor and timer,
 * and enters the core's loop (hv_hyp_run); returns when all have. */
void hyp_pcpus_start(struct hyp *h);
/* An exception taken at EL2 itself, on any pCPU: panic (boot.c). */
void hyp_el2_fault(void *opaque, const struct hv_arm_hyp_fault *f);

#endif
