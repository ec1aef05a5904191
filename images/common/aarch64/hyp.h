/*
 * The AArch64 image glue shared by every AArch64 recipe: what a running
 * hvkit hypervisor is made of, and the steps from boot to the run loop.
 * A recipe fills in a struct hyp_config and calls hyp_main().
 */
#ifndef HYP_H
#define HYP_H

#include <hv/arm_boot.h>
#include <hv/arm_cpu.h>
#include <hv/arm_gic.h>
#include <hv/arm_pl011.h>
#include <hv/arm_timer.h>
#include <hv/arm_trap.h>
#include <hv/boot.h>
#include <hv/core.h>
#include <hv/mm_heap.h>
#include <hv/mm_p2m.h>
#include <hv/xen.h>

#define HYP_MAX_DOMAINS 8
#define HYP_MAX_VCPUS 4 /* per domain */
#define HYP_MAX_RAM_RANGES 4
#define HYP_MAX_RESERVED 8

struct hyp;
struct domain;
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
	const char *name;      /* printed at boot */
	hv_time_t timeslice;   /* round-robin slice */
	enum hv_log_level log_level;
	/* NULL-terminated, or NULL for none. */
	const struct hyp_extension *const *extensions;
};

/* The machine, from the device tree QEMU (or firmware) passed. */
struct hyp_platform {
	struct hv_arm_mem_range ram[HYP_MAX_RAM_RANGES];
	unsigned int nr_ram;
	struct hv_arm_mem_range reserved[HYP_MAX_RESERVED];
	unsigned int nr_reserved;
	uintptr_t uart, gicd, gicr;
	hv_paddr_t bundle;
	uint64_t bundle_size;
};

enum vcpu_state { VCPU_RUNNABLE, VCPU_BLOCKED, VCPU_DOWN };

struct hv_evtchn_domain;

struct vcpu {
	struct hv_arm_vcpu arch;
	struct domain *dom;
	hv_vcpuid_t id;
	enum vcpu_state state;
};

struct domain {
	struct hv_xen_domain xen;
	struct hv_mm_p2m p2m;
	struct hv_mm_account account;
	struct hyp *hyp;
	hv_gpaddr_t ram_base;
	uint64_t ram_size;
	uint16_t vmid;
	hv_mfn_t shared_info;      /* the domain's shared-info page */
	bool shared_info_mapped;
	unsigned int nr_vcpus;
	struct vcpu vcpus[HYP_MAX_VCPUS]; /* vCPU 0 starts; PSCI the rest */
	struct hv_gmem guest_phys;        /* its RAM by guest-physical address */
	struct hv_evtchn_domain *evtchn;  /* with the hyp_evtchn extension */
};

struct hyp {
	const struct hyp_config *config;
	struct hyp_platform plat;
	struct hv_pl011 uart;
	struct hv_log log;
	struct hv_arm_cpu cpu;
	struct hv_arm_gic gic;
	struct hv_arm_timer timer;
	struct hv_mm_heap heap;
	struct hv_mm_node node;
	uint64_t vtcr;
	struct domain domains[HYP_MAX_DOMAINS];
	unsigned int nr_domains;
	unsigned int live_domains;
	struct vcpu *loaded;     /* whose EL1 state the pCPU holds */
	unsigned int next;       /* round-robin position: domain * vCPUs + vCPU */
	bool resched;            /* leave the running vCPU at the next exit */
};

/* Each step of boot, in order; each prints its own failure and panics. */
HV_NORETURN void hyp_main(const struct hyp_config *config, uint64_t dtb);
void hyp_platform_probe(struct hyp *h, const void *dtb);
void hyp_memory_init(struct hyp *h, const void *dtb);
void hyp_domains_build(struct hyp *h);
HV_NORETURN void hyp_run(struct hyp *h);

/* Building one domain (domain.c), and its device tree (guest_fdt.c). */
int hyp_domain_build(struct hyp *h, struct domain *d,
		     const struct hv_boot_domain *cfg, hv_domid_t id);
/* Reset a vCPU to enter the guest at `entry` with x0, and make it run. */
void hyp_vcpu_start(struct vcpu *v, uint64_t entry, uint64_t x0);
/* Guest-physical addresses of what the image emulates or reserves. */
struct hyp_guest_layout {
	hv_gpaddr_t uart, uart_size;     /* the emulated SBSA UART */
	hv_gpaddr_t gnttab, gnttab_size; /* the grant-table region */
};
/* Xen's guest memory map (layout.c). */
extern const struct hyp_guest_layout hyp_xen_layout;

int hyp_guest_fdt(void *buf, size_t size, const struct hv_boot_domain *cfg,
		  const struct hyp_guest_layout *layout, hv_gpaddr_t ramdisk,
		  uint64_t ramdisk_size);

/* Guest-physical access to a domain's RAM through its P2M (domain.c). */
void hyp_gmem_guest_phys(struct hv_gmem *gm, struct domain *d);
/* Make virtual interrupt `intid` pending for v (a list register), linked
 * to the same physical interrupt if `hw` (run.c). */
void hyp_vcpu_inject(struct hyp *h, struct vcpu *v, unsigned int intid,
		     bool hw);

/* The guest's emulated SBSA UART at GUEST_PL011_BASE (vpl011.c): whether
 * an IPA is its, and the emulation of a trapped access (false if it cannot
 * be emulated: no instruction syndrome, or not the UART's). */
bool hyp_vpl011_in_range(hv_gpaddr_t ipa);
bool hyp_vpl011_access(struct vcpu *v, const struct hv_arm_dabt *a);

/* The libhv-xen glue (xen_glue.c). */
extern const struct hv_xen_ops hyp_xen_ops;
/* Guest-virtual access for hypercall arguments of the loaded vCPU. */
void hyp_gmem_guest_va(struct hv_gmem *gm, struct vcpu *v);

/* The P2M glue (memory.c). */
extern const struct hv_mm_p2m_ops hyp_p2m_ops;

/* Stop: print "(hvkit) PANIC: ..." and leave QEMU with status 2. */
HV_NORETURN void hyp_panic(struct hyp *h, const char *fmt, ...)
	HV_PRINTF(2, 3);
/* Leave QEMU: 0 when every domain powered off, else 1. */
HV_NORETURN void hyp_finish(struct hyp *h);

#endif
