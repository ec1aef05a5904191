/*
 * The x86_64 image glue shared by every x86_64 recipe: the glue both
 * architectures share (hyp_common.h) and the x86_64 steps from the PVH
 * entry to the run loop.  A recipe fills in a struct hyp_config and calls
 * hyp_main().
 */
#ifndef HYP_H
#define HYP_H

#include "hyp_common.h"

#include <hv/x86_smp.h>

static inline struct hyp *hyp_of_vcpu(struct hv_hyp_vcpu *v)
{
	return hyp_of(v->dom->hyp);
}

static inline struct vcpu_arch *vcpu_arch(struct hv_hyp_vcpu *v)
{
	return v->arch;
}

static inline struct domain_arch *domain_arch(struct hv_hyp_domain *d)
{
	return d->arch;
}

/* The arch's adapter for the core (run.c). */
extern const struct hv_hyp_arch_ops hyp_arch_ops;

/* The identity map the image runs on: a machine address is its own
 * pointer (the adapter's phys_to_virt and virt_to_phys; boot.c). */
void *hyp_phys_to_virt(struct hv_hyp *core, hv_paddr_t pa);
hv_paddr_t hyp_virt_to_phys(struct hv_hyp *core, const void *p);
/* Write bytes to the hypervisor's console UART (boot.c). */
void hyp_arch_console_write(struct hv_hyp *core, const char *s, size_t len);

#define HYP_TIMER_VECTOR   0xf0
#define HYP_KICK_VECTOR	   0xf1	  /* another pCPU asks this one to look */
#define HYP_START_INFO_GPA 0x1000 /* guest page 1 (docs/bundle.md) */

/* Each step of boot, in order; each prints its own failure and panics. */
HV_NORETURN void hyp_main(const struct hyp_config *config,
			  hv_paddr_t start_info);
void hyp_platform_probe(struct hyp *h, hv_paddr_t start_info);
void hyp_svm_init(struct hyp *h);
/* The CPUs (pcpu.c): find them (ACPI's MADT) and give each its arch
 * state, before the core is set up; then start all but the boot one,
 * each waiting in hyp_core_secondary(). */
void hyp_pcpus_find(struct hyp *h);
void hyp_pcpus_start(struct hyp *h);

/* A pCPU's own descriptor tables and traps (boot.c) and SVM
 * (svm_setup.c), on that pCPU; the pages its SVM needs are allocated for
 * it first, on the boot CPU (the heap serves one CPU at a time). */
void hyp_cpu_init(struct hyp_pcpu_arch *pa);
void hyp_svm_cpu_pages(struct hyp *h, struct hyp_pcpu_arch *pa);
void hyp_svm_cpu_init(struct hyp *h, struct hyp_pcpu_arch *pa);

/* The image around a pCPU's state; the state of the pCPU this runs on. */
static inline struct hyp *hyp_of_pcpu(struct hyp_pcpu_arch *pa)
{
	return hv_container_of(pa - pa->id, struct hyp, arch.pcpus[0]);
}

static inline struct hyp_pcpu_arch *pcpu_this(void)
{
	return hv_x86_cpu_this()->opaque;
}

static inline struct hyp_pcpu_arch *pcpu_arch(struct hv_hyp_pcpu *p)
{
	return p->arch;
}

/* A domain's start info (start_info.c). */
int hyp_start_info(const struct hv_gmem *gm, const struct hv_boot_domain *cfg);

/* Guest-linear access as the vCPU's current mode translates it
 * (guest_linear.c). */
void hyp_gmem_linear(struct hv_gmem *gm, struct hv_hyp_vcpu *v);

/* Exit handlers (exit_*.c); each advances RIP past what it emulates. */
void hyp_exit_cpuid(struct hyp *h, struct hv_hyp_vcpu *v);
void hyp_exit_msr(struct hyp *h, struct hv_hyp_vcpu *v);
void hyp_exit_ioio(struct hyp *h, struct hv_hyp_vcpu *v);
void hyp_exit_npf(struct hyp *h, struct hv_hyp_vcpu *v);
void hyp_exit_vmmcall(struct hyp_pcpu_arch *pa, struct hv_hyp_vcpu *v);

/* The core's domain_init, domain_destroy, p2m_flush and vcpu_initialise
 * ops (domain.c). */
int hyp_domain_init(struct hv_hyp_domain *d, const struct hv_boot_domain *cfg);
int hyp_vcpu_initialise(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
			uint64_t arg);
void hyp_domain_destroy(struct hv_hyp_domain *d);
void hyp_p2m_flush(struct hv_hyp_domain *d);

#endif
