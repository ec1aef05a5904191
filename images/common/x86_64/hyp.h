/*
 * The x86_64 image glue shared by every x86_64 recipe: the glue both
 * architectures share (hyp_common.h) and the x86_64 steps from the PVH
 * entry to the run loop; the core's adapter is libhv-hyp-x86.  A recipe
 * fills in a struct hyp_config and calls hyp_main().
 */
#ifndef HYP_H
#define HYP_H

#include "hyp_common.h"

/* Each step of boot, in order; each prints its own failure and panics. */
HV_NORETURN void hyp_main(const struct hyp_config *config,
			  hv_paddr_t start_info);
void hyp_platform_probe(struct hyp *h, hv_paddr_t start_info);
/* The CPUs (pcpu.c): find them (ACPI's MADT) and give each its arch
 * state, before the core is set up; then start all but the boot one,
 * each entering the core's loop (hv_hyp_run). */
void hyp_pcpus_find(struct hyp *h);
void hyp_pcpus_start(struct hyp *h);

/* A pCPU's own descriptor tables and traps (boot.c), then its SVM
 * (pcpu.c), on that pCPU. */
void hyp_cpu_init(struct hv_hyp_x86_pcpu *pc);
void hyp_pcpu_init(struct hyp *h, struct hv_hyp_x86_pcpu *pc);

/* The image around a pCPU's state. */
static inline struct hyp *hyp_of_pcpu(struct hv_hyp_x86_pcpu *pc)
{
	return hv_container_of(pc - pc->id, struct hyp, arch.pcpus[0]);
}

#endif
