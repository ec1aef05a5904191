/*
 * What an image adds around the core (libhv-hyp): the machine as the boot
 * loader describes it, the page allocator over its RAM, the recipe's
 * choices, and the steps every image takes from boot to the core's run
 * loop.  Recipes include their architecture's hyp.h, which includes this.
 *
 * The architecture's hyp_arch.h defines struct hyp_arch (the machine's
 * devices and virtualisation state, each pCPU's included), struct
 * domain_arch and struct vcpu_arch (the state the core keeps for it in
 * d->arch and v->arch), and:
 *   HYP_ARCH_NAME          the architecture domain bundles are built for
 *   HYP_MAX_RAM_RANGES     RAM ranges the platform may report
 * Its .c files define hyp_arch_ops (the core's struct hv_hyp_arch_ops)
 * and the hyp_arch_* hooks declared below.
 */
#ifndef HYP_COMMON_H
#define HYP_COMMON_H

#include <hv/boot.h>
#include <hv/core.h>
#include <hv/hyp.h>
#include <hv/mm_heap.h>

#include "hyp_arch.h"

#define HYP_MAX_RESERVED 8

/* What the recipe chooses: its name, how much it logs, and the core's
 * configuration (scheduler, extensions, time slice). */
struct hyp_config {
	const char *name;
	enum hv_log_level log_level;
	struct hv_hyp_config core;
};

struct hyp_range {
	hv_paddr_t base;
	uint64_t size; /* bytes */
};

/* The machine, as the boot loader describes it. */
struct hyp_platform {
	struct hyp_range ram[HYP_MAX_RAM_RANGES];
	unsigned int nr_ram;
	struct hyp_range reserved[HYP_MAX_RESERVED]; /* kept from the heap */
	unsigned int nr_reserved;
	hv_paddr_t bundle;
	uint64_t bundle_size;
};

struct hyp {
	struct hv_hyp core;
	struct hv_hyp_config core_config; /* the recipe's, completed */
	/* The pCPUs that run the core's loop: the arch's boot sets
	 * nr_pcpus and each one's arch pointer before hyp_core_run(). */
	struct hv_hyp_pcpu pcpus[HV_HYP_MAX_PCPUS];
	unsigned int nr_pcpus;
	uint32_t core_started; /* the domains are built: pCPUs may run */
	uint32_t pcpus_done;   /* pCPUs other than 0 out of the run loop */
	struct hyp_arch arch;
	const struct hyp_config *config;
	struct hyp_platform plat;
	struct hv_log log; /* the console; no sink until it exists */
	struct hv_mm_heap heap;
	struct hv_mm_node node;
};

/* The image around a core, a domain or a vCPU. */
static inline struct hyp *hyp_of(struct hv_hyp *core)
{
	return hv_container_of(core, struct hyp, core);
}

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

/* Stop: print "(hvkit) PANIC: ..." (once the console exists) and leave
 * QEMU with status 2 (finish.c). */
HV_NORETURN void hyp_panic(struct hyp *h, const char *fmt, ...) HV_PRINTF(2, 3);

/* Memory (heap.c): keep [base, base + size) from the heap; then the heap
 * over RAM minus what is kept, with its frame table right after the image;
 * then pages for the hypervisor from it. */
void hyp_reserve(struct hyp *h, hv_paddr_t base, uint64_t size);
void hyp_heap_init(struct hyp *h);
int hyp_alloc_page(struct hyp *h, unsigned int order, hv_paddr_t *pa);

/* The core (core.c): set up over the heap with the arch's ops, build
 * every domain of the bundle, run until they have all finished and leave
 * QEMU with the core's status (0: every domain powered off).  On pCPU 0,
 * with the others started and waiting in hyp_core_secondary(). */
HV_NORETURN void hyp_core_run(struct hyp *h, unsigned int p2m_max_order);

/* pCPU `cpu` (> 0) from its boot on: idle until pCPU 0 has built the
 * domains, run the core's loop with it, and return when every domain has
 * finished (the arch then parks the CPU). */
void hyp_core_secondary(struct hyp *h, unsigned int cpu);

/* The arch's adapter for the core. */
extern const struct hv_hyp_arch_ops hyp_arch_ops;

/* The identity map every image runs on: a machine address is its own
 * pointer (the arch ops' phys_to_virt and virt_to_phys). */
void *hyp_phys_to_virt(struct hv_hyp *core, hv_paddr_t pa);
hv_paddr_t hyp_virt_to_phys(struct hv_hyp *core, const void *p);

/*
 * The hooks each architecture implements.
 */
/* Leave QEMU with `status` (semihosting on Arm, the debug-exit port on
 * x86). */
HV_NORETURN void hyp_arch_exit(unsigned int status);
/* Write bytes to the hypervisor's console UART. */
void hyp_arch_console_write(struct hv_hyp *core, const char *s, size_t len);
/* The time (ns, on the core's clock) of the image's first instruction. */
hv_time_t hyp_arch_boot_time(struct hyp *h);

#endif
