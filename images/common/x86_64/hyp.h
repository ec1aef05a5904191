/*
 * The x86_64 image glue shared by every x86_64 recipe: what a running
 * hvkit hypervisor is made of, and the steps from the PVH entry to the run
 * loop.  A recipe fills in a struct hyp_config and calls hyp_main().
 */
#ifndef HYP_H
#define HYP_H

#include <hv/boot.h>
#include <hv/core.h>
#include <hv/mm_heap.h>
#include <hv/mm_p2m.h>
#include <hv/x86_cpu.h>
#include <hv/x86_svm.h>
#include <hv/x86_timer.h>
#include <hv/x86_uart.h>
#include <hv/xen.h>

#define HYP_MAX_DOMAINS	   8
#define HYP_MAX_RAM_RANGES 16
#define HYP_MAX_RESERVED   8
#define HYP_TIMER_VECTOR   0xf0
#define HYP_START_INFO_GPA 0x1000 /* guest page 1 (docs/bundle.md) */

struct domain;
struct hyp;
struct vcpu;

/*
 * A subsystem a recipe links in (event channels, ...): hooks the glue
 * calls at each point.  Each extension lives in its own object file and is
 * reached only through its descriptor, so a recipe that names none links
 * none.  Every hook may be NULL.
 */
struct hyp_extension {
	const char *name;
	/* After a domain is built, before it runs: 0 or -HV_E*. */
	int (*domain_build)(struct hyp *h, struct domain *d);
	/* A hypercall: true (and *ret) if it is this extension's. */
	bool (*hypercall)(struct vcpu *v, uint64_t nr, const uint64_t args[5],
			  const struct hv_gmem *gm, long *ret);
	/* The domain mapped its shared-info page at `gpa`. */
	void (*shared_info_mapped)(struct domain *d, hv_gpaddr_t gpa);
	/* Whether the vCPU has work that must not wait behind a block. */
	bool (*pending)(const struct vcpu *v);
};

/* Event channels (evtchn.c, libhv-evtchn): 2-level and FIFO. */
extern const struct hyp_extension hyp_evtchn;

/* What the recipe chooses. */
struct hyp_config {
	const char *name;    /* printed at boot */
	hv_time_t timeslice; /* round-robin slice */
	enum hv_log_level log_level;
	/* NULL-terminated, or NULL for none. */
	const struct hyp_extension *const *extensions;
};

struct hyp_range {
	hv_paddr_t base;
	uint64_t size;
};

/* The machine, from the loader's hvm_start_info. */
struct hyp_platform {
	struct hyp_range ram[HYP_MAX_RAM_RANGES];
	unsigned int nr_ram;
	struct hyp_range reserved[HYP_MAX_RESERVED];
	unsigned int nr_reserved;
	hv_paddr_t bundle;
	uint64_t bundle_size;
};

enum vcpu_state { VCPU_RUNNABLE, VCPU_BLOCKED, VCPU_DOWN };

struct hv_evtchn_domain;

struct vcpu {
	struct hv_x86_vcpu arch;
	struct domain *dom;
	hv_vcpuid_t id;
	enum vcpu_state state;
	uint64_t pat; /* the guest's IA32_PAT (emulated) */
};

struct domain {
	struct hv_xen_domain xen;
	struct hv_mm_p2m p2m;
	struct hv_mm_account account;
	struct hyp *hyp;
	uint64_t ram_size; /* guest RAM at gpa 0 */
	uint32_t asid;
	hv_mfn_t shared_info; /* the domain's shared-info page */
	bool shared_info_mapped;
	hv_gfn_t shared_info_gfn;
	struct hv_gmem guest_phys;	 /* its RAM by guest-physical address */
	struct hv_evtchn_domain *evtchn; /* with the hyp_evtchn extension */
	struct vcpu vcpu;		 /* one vCPU per domain for now */
};

struct hyp {
	const struct hyp_config *config;
	struct hyp_platform plat;
	struct hv_x86_cpu cpu;
	struct hv_x86_uart uart;
	struct hv_log log;
	struct hv_x86_timer timer;
	struct hv_x86_svm svm;
	struct hv_mm_heap heap;
	struct hv_mm_node node;
	hv_paddr_t iopm, msrpm; /* intercept maps every domain shares */
	struct domain domains[HYP_MAX_DOMAINS];
	unsigned int nr_domains;
	unsigned int live_domains;
	struct vcpu *loaded; /* whose x87/SSE state the pCPU holds */
	unsigned int next;   /* round-robin position */
	bool resched;	     /* leave the running vCPU at the next exit */
};

/* Each step of boot, in order; each prints its own failure and panics. */
HV_NORETURN void hyp_main(const struct hyp_config *config,
			  hv_paddr_t start_info);
void hyp_platform_probe(struct hyp *h, hv_paddr_t start_info);
void hyp_memory_init(struct hyp *h);
void hyp_svm_init(struct hyp *h);
void hyp_domains_build(struct hyp *h);
HV_NORETURN void hyp_run(struct hyp *h);

/* Building one domain (domain.c) and its start info (start_info.c). */
int hyp_domain_build(struct hyp *h, struct domain *d,
		     const struct hv_boot_domain *cfg, hv_domid_t id);
int hyp_start_info(const struct hv_gmem *gm, const struct hv_boot_domain *cfg);

/* Memory (memory.c): pages for the hypervisor, and the P2M glue. */
int hyp_alloc_page(struct hyp *h, unsigned int order, hv_paddr_t *pa);
extern const struct hv_mm_p2m_ops hyp_p2m_ops;

/* The libhv-xen glue (xen_glue.c). */
extern const struct hv_xen_ops hyp_xen_ops;
/* Guest-physical access through the domain's P2M (RAM only). */
void hyp_gmem_phys(struct hv_gmem *gm, struct domain *d);
/* Guest-linear access as the vCPU's current mode translates it. */
void hyp_gmem_linear(struct hv_gmem *gm, struct vcpu *v);

/* Exit handlers (exit_*.c); each advances RIP past what it emulates. */
void hyp_exit_cpuid(struct hyp *h, struct vcpu *v);
void hyp_exit_msr(struct hyp *h, struct vcpu *v);
void hyp_exit_ioio(struct hyp *h, struct vcpu *v);
void hyp_exit_npf(struct hyp *h, struct vcpu *v);
void hyp_exit_vmmcall(struct hyp *h, struct vcpu *v);

/* A hypercall from a 64-bit guest (and, translated, a 32-bit one): the
 * recipe's extensions first, then libhv-xen (hypercall.c, compat.c). */
long hyp_hypercall(struct hyp *h, struct vcpu *v, const struct hv_gmem *gm,
		   uint64_t nr, const uint64_t args[5]);
long hyp_compat_hypercall(struct hyp *h, struct vcpu *v,
			  const struct hv_gmem *gm, uint64_t nr,
			  const uint64_t args[5]);

/* Block the vCPU until it has work, unless an extension says it has some
 * already (SCHEDOP_block, HLT with interrupts on). */
void hyp_vcpu_block(struct hyp *h, struct vcpu *v);

/* Crash the vCPU's domain with a formatted reason (run.c). */
void hyp_crash(struct vcpu *v, const char *fmt, ...) HV_PRINTF(2, 3);

/* Stop: print "(hvkit) PANIC: ..." and leave QEMU with status 2. */
HV_NORETURN void hyp_panic(struct hyp *h, const char *fmt, ...) HV_PRINTF(2, 3);
/* Leave QEMU: 0 when every domain powered off, else 1. */
HV_NORETURN void hyp_finish(struct hyp *h);

#endif
