/*
 * The image glue both architectures share: what a running hvkit hypervisor
 * is made of, the steps every image takes, and the few hooks each
 * architecture implements.  Recipes include their architecture's hyp.h,
 * which includes this.
 *
 * How the structures are split: struct hyp, struct domain and struct vcpu
 * are defined once, here, with every member the shared code uses; each
 * has an `arch` member, a struct hyp_arch, struct domain_arch or
 * struct vcpu_arch that the architecture's hyp_arch.h defines (its CPU
 * and devices, the VMID or ASID, the vCPU's registers).  So the shared
 * code reads d->p2m and h->heap, the compiler checks that both
 * architectures have them, and what differs is visibly the arch's: as
 * Xen's struct arch_domain.  The other way round (a shared struct inside
 * each arch's) would make every shared access go through a member and
 * still need the arch's types to reach the domain and vCPU arrays.
 *
 * hyp_arch.h (images/common/<arch>/) defines, besides those three structs:
 *   HYP_ARCH_NAME          the architecture domain bundles are built for
 *   HYP_MAX_VCPUS          vCPUs per domain
 *   HYP_MAX_RAM_RANGES     RAM ranges the platform may report
 *   HYP_SHARED_INFO_MOVES  mapping the shared-info page again moves it (as
 *                          Xen on x86), or fails with -EBUSY (as Xen 4.17+
 *                          on Arm)
 * and the arch's .c files define the hyp_arch_* hooks declared below.
 */
#ifndef HYP_COMMON_H
#define HYP_COMMON_H

#include <hv/boot.h>
#include <hv/core.h>
#include <hv/mm_heap.h>
#include <hv/mm_p2m.h>
#include <hv/xen.h>

#include "hyp_arch.h"

#define HYP_MAX_DOMAINS	 8
#define HYP_MAX_RESERVED 8

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
enum vcpu_state { VCPU_RUNNABLE, VCPU_BLOCKED, VCPU_DOWN };

/*
 * How the glue shares the pCPU among vCPUs.  The built-in round-robin is
 * the default; HYP_LIBHV_SCHEDULER(&hv_sched_credit2) (sched_libhv.c) runs
 * a libhv-sched policy instead and links only that policy.
 */
struct hyp_scheduler {
	const char *name;
	/* Before any domain: 0 or -HV_E*. */
	int (*init)(const struct hyp_scheduler *s, struct hyp *h);
	/* A built domain joins, with its configured weight and cap. */
	int (*domain_add)(struct hyp *h, struct domain *d,
			  const struct hv_boot_domain *cfg);
	/* What runs from `now`, and until when (the glue's tick is armed
	 * for it); NULL to idle. */
	struct vcpu *(*pick)(struct hyp *h, hv_time_t now, hv_time_t *until);
	/* v's state changed from `was` (hyp_vcpu_set_state). */
	void (*state_changed)(struct hyp *h, struct vcpu *v,
			      enum vcpu_state was);
	/* The running vCPU v gives up the rest of its slice. */
	void (*yield)(struct hyp *h, struct vcpu *v);
	const void *policy; /* HYP_LIBHV_SCHEDULER's libhv-sched policy */
};

/* The glue's round-robin (sched.c), used when the config names none. */
extern const struct hyp_scheduler hyp_round_robin;

/* A libhv-sched policy as the glue's scheduler (sched_libhv.c). */
struct hv_sched_policy;
int hyp_libhv_init(const struct hyp_scheduler *s, struct hyp *h);
int hyp_libhv_domain_add(struct hyp *h, struct domain *d,
			 const struct hv_boot_domain *cfg);
struct vcpu *hyp_libhv_pick(struct hyp *h, hv_time_t now, hv_time_t *until);
void hyp_libhv_state_changed(struct hyp *h, struct vcpu *v,
			     enum vcpu_state was);
void hyp_libhv_yield(struct hyp *h, struct vcpu *v);
#define HYP_LIBHV_SCHEDULER(policy_descriptor)                                 \
	{                                                                      \
		.name = "libhv-sched", .init = hyp_libhv_init,                 \
		.domain_add = hyp_libhv_domain_add, .pick = hyp_libhv_pick,    \
		.state_changed = hyp_libhv_state_changed,                      \
		.yield = hyp_libhv_yield, .policy = (policy_descriptor),       \
	}

struct hyp_config {
	const char *name;    /* printed at boot */
	hv_time_t timeslice; /* round-robin slice */
	enum hv_log_level log_level;
	/* NULL-terminated, or NULL for none. */
	const struct hyp_extension *const *extensions;
	/* NULL: hyp_round_robin. */
	const struct hyp_scheduler *scheduler;
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

struct hv_evtchn_domain;

/*
 * The arch's part comes first, and the arrays last, so that every member
 * stays at a small offset (AArch64 loads and stores reach 32 KiB).
 */
struct vcpu {
	struct vcpu_arch arch;
	struct domain *dom;
	hv_vcpuid_t id;
	enum vcpu_state state;
};

struct domain {
	struct domain_arch arch;
	struct hv_xen_domain xen;
	struct hv_mm_p2m p2m;
	struct hv_mm_account account;
	struct hyp *hyp;
	hv_gpaddr_t ram_base; /* guest RAM: one range */
	uint64_t ram_size;
	hv_mfn_t shared_info; /* the domain's shared-info page */
	bool shared_info_mapped;
	hv_gfn_t shared_info_gfn;	 /* where, once mapped */
	struct hv_gmem guest_phys;	 /* its RAM by guest-physical address */
	struct hv_evtchn_domain *evtchn; /* with the hyp_evtchn extension */
	unsigned int nr_vcpus;
	struct vcpu vcpus[HYP_MAX_VCPUS]; /* vCPU 0 starts */
};

struct hyp {
	struct hyp_arch arch;
	const struct hyp_config *config;
	struct hyp_platform plat;
	struct hv_log log; /* the console; no sink until it exists */
	struct hv_mm_heap heap;
	struct hv_mm_node node;
	struct vcpu *loaded; /* whose guest state the pCPU holds */
	const struct hyp_scheduler *sched;
	void *sched_state; /* the scheduler's own, from the heap */
	unsigned int next; /* round-robin position: domain * vCPUs + vCPU */
	bool resched;	   /* leave the running vCPU at the next exit */
	unsigned int nr_domains;
	unsigned int live_domains;
	struct domain domains[HYP_MAX_DOMAINS];
};

/* Stop: print "(hvkit) PANIC: ..." (once the console exists) and leave
 * QEMU with status 2 (finish.c). */
HV_NORETURN void hyp_panic(struct hyp *h, const char *fmt, ...) HV_PRINTF(2, 3);
/* Leave QEMU: 0 when every domain powered off, else 1. */
HV_NORETURN void hyp_finish(struct hyp *h);
/* Crash the vCPU's domain with a formatted reason. */
void hyp_crash(struct vcpu *v, const char *fmt, ...) HV_PRINTF(2, 3);

/* Memory (heap.c): keep [base, base + size) from the heap; then the heap
 * over RAM minus what is kept, with its frame table right after the image;
 * then pages for the hypervisor from it. */
void hyp_reserve(struct hyp *h, hv_paddr_t base, uint64_t size);
void hyp_heap_init(struct hyp *h);
int hyp_alloc_page(struct hyp *h, unsigned int order, hv_paddr_t *pa);
/* `size` bytes of zeroed memory, page-aligned, or NULL; and back. */
void *hyp_alloc_bytes(struct hyp *h, size_t size);
void hyp_free_bytes(struct hyp *h, void *p, size_t size);

/* A domain's P2M (p2m.c): the callbacks, whose context is the domain;
 * the host page of a guest frame of `domain` if it is RAM with the access
 * asked (0 or -HV_EFAULT; a hv_gmem_translate_fn); and guest-physical
 * access to the domain's RAM through it. */
extern const struct hv_mm_p2m_ops hyp_p2m_ops;
int hyp_p2m_page(void *domain, hv_gfn_t gfn, unsigned int access, void **page);
void hyp_gmem_guest_phys(struct hv_gmem *gm, struct domain *d);

/* Domains (domain_build.c).  hyp_domains_build builds every domain of the
 * bundle through hyp_domain_build, the arch's, which uses two shared steps:
 * hyp_domain_create (the libhv-xen domain, a P2M of `fmt` with RAM in
 * 2 MiB blocks where they fit, the kernel and ramdisk copied in) and,
 * once its vCPUs are set, hyp_domain_start (the P2M goes live, the
 * extensions build their part, the domain joins the scheduler). */
void hyp_domains_build(struct hyp *h);
int hyp_domain_build(struct hyp *h, struct domain *d,
		     const struct hv_boot_domain *cfg, hv_domid_t id);
int hyp_domain_create(struct hyp *h, struct domain *d,
		      const struct hv_boot_domain *cfg, hv_domid_t id,
		      const struct hv_mm_p2m_format *fmt,
		      unsigned int max_order);
int hyp_domain_start(struct hyp *h, struct domain *d,
		     const struct hv_boot_domain *cfg);

/* The libhv-xen glue (xen_glue.c), and a hypercall: the recipe's
 * extensions first, then libhv-xen (which says -ENOSYS to anything nobody
 * handles); `gm` reads the guest's pointers. */
extern const struct hv_xen_ops hyp_xen_ops;
long hyp_hypercall(struct hyp *h, struct vcpu *v, const struct hv_gmem *gm,
		   uint64_t nr, const uint64_t args[5]);

/* Scheduling (sched.c): the run loop, the last step of boot; every change
 * of a vCPU's state, which the scheduler hears of; blocking a vCPU until
 * it has work, unless an extension says it has some already (as Xen's
 * vcpu_block); and yielding. */
HV_NORETURN void hyp_run(struct hyp *h);
void hyp_vcpu_set_state(struct hyp *h, struct vcpu *v, enum vcpu_state s);
void hyp_vcpu_block(struct hyp *h, struct vcpu *v);
void hyp_vcpu_yield(struct hyp *h, struct vcpu *v);

/*
 * The hooks each architecture implements.
 */
/* Leave QEMU with `status` (semihosting on Arm, the debug-exit port on
 * x86). */
HV_NORETURN void hyp_arch_exit(unsigned int status);
/* Write bytes to the hypervisor's console UART. */
void hyp_arch_console_write(struct hyp *h, const char *s, size_t len);
/* The timer that ends time slices: the time now, and the next tick's
 * deadline (ns). */
hv_time_t hyp_arch_now(struct hyp *h);
void hyp_arch_timer_set(struct hyp *h, hv_time_t deadline);
/* Make v's guest state the pCPU's (NULL: none's), ready to run it. */
void hyp_arch_vcpu_load(struct hyp *h, struct vcpu *v);
/* Run the loaded vCPU until its next exit, and handle that exit. */
void hyp_arch_vcpu_run(struct hyp *h, struct vcpu *v);
/* Nothing is runnable but some domain is live: wait for a blocked vCPU to
 * become runnable (Arm: its virtual timer), or end what cannot (x86). */
void hyp_arch_idle(struct hyp *h);
/* Drop the TLB entries the domain's P2M may have left. */
void hyp_arch_p2m_flush(struct domain *d);
/* Signal an event upcall to a vCPU (the event channels' notify; in a file
 * of its own, so that only recipes naming hyp_evtchn link it). */
void hyp_arch_evtchn_upcall(struct hyp *h, struct vcpu *v);

#endif
