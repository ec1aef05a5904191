/*
 * hv/hyp_arm.h - libhv-hyp-arm, the AArch64 adapter for libhv-hyp: the
 * core's struct hv_hyp_arch_ops for a hypervisor that runs at EL2 with
 * VHE off, a GICv3 and the generic timer, and guests that expect what Xen
 * on Arm gives a domU (its guest memory map, a device tree, PSCI through
 * HVC, the event PPI, an SBSA UART).
 *
 * What it does for the core: each domain's VMID (domid + 1) and device
 * tree, vCPU 0 set to enter the kernel as Xen enters one, running vCPUs
 * (libhv-arm's world switch) and handling their exits (hypercalls with
 * guest-virtual pointers, PSCI, WFI/WFE, the emulated UART, the virtual
 * timer's interrupt through the list registers), the EL2 timer as the
 * core's, WFI when idle, and an SGI to kick another pCPU.
 *
 * What it needs from the image: the EL2 identity map (a machine address is
 * its own pointer), each pCPU brought up with hv_hyp_arm_pcpu_init() on
 * that CPU, and a struct hv_hyp_arm as the core's arch_ctx:
 *
 *     hv_hyp_init(&core, &config, &hv_hyp_arm_ops, &arm, heap, log,
 *                 pcpus, nr_pcpus);   // each pcpus[i].arch: a
 *                                     // struct hv_hyp_arm_pcpu
 *
 * The portable parts (the guest device tree, the guest memory map) build
 * on every architecture and are unit-tested on the host.
 */
#ifndef HV_HYP_ARM_H
#define HV_HYP_ARM_H

/* Bumped whenever the API changes incompatibly; 0 while it is unstable. */
#define HV_HYP_ARM_API_VERSION 0

#include <hv/arm_cpu.h>
#include <hv/arm_gic.h>
#include <hv/arm_pl011.h>
#include <hv/arm_timer.h>
#include <hv/boot.h>
#include <hv/core.h>
#include <hv/hyp.h>

HV_BEGIN_DECLS

#define HV_HYP_ARM_MAX_VCPUS 4 /* per domain; PSCI CPU_ON starts all but 0 */
#define HV_HYP_ARM_SGI_KICK  0 /* the SGI that kicks a pCPU */

/* One pCPU's EL2 state; the core's struct hv_hyp_pcpu.arch points at it. */
struct hv_hyp_arm_pcpu {
	struct hv_arm_cpu cpu; /* TPIDR_EL2: how a CPU finds this */
	struct hv_arm_gic gic; /* its redistributor and CPU interface */
	uint64_t mpidr;	       /* its affinity (the image sets it) */
	unsigned int id;       /* its index in the core's pcpus (too) */
	/* The adapter's: the virtual timer's interrupt is active here for
	 * a vCPU that has left; ended before another vCPU's can fire. */
	bool vtimer_active;
};

/* The machine as the adapter sees it: the core's arch_ctx. */
struct hv_hyp_arm {
	struct hv_arm_timer timer; /* the counter; pCPU 0's init sets it */
	struct hv_pl011 *console;  /* where guests' console lines go */
	/* The console's receive interrupt (an SPI), taken on pCPU 0: what
	 * is typed goes to the domain that has the console (0: no input). */
	unsigned int console_intid;
	uintptr_t gicd, gicr; /* the distributor, the redistributors */
};

/* The adapter, for hv_hyp_init(). */
extern const struct hv_hyp_arch_ops hv_hyp_arm_ops;

/*
 * On the CPU it describes, with its MMU on and after hv_arm_cpu_init() of
 * pc->cpu: its timer, GIC redistributor and CPU interface (pCPU 0's first
 * wakes the distributor and reads the counter's frequency into a->timer,
 * and takes the console's receive interrupt) and stage-2 translation.  0,
 * -HV_ENODEV (no redistributor of its own wakes up) or -HV_EINVAL (stage 2
 * cannot be configured).
 */
int hv_hyp_arm_pcpu_init(struct hv_hyp_arm *a, struct hv_hyp_arm_pcpu *pc);

/* The pCPU this code runs on (after its hv_hyp_arm_pcpu_init()). */
struct hv_hyp_arm_pcpu *hv_hyp_arm_pcpu_this(void);

/* Guest-physical addresses of what the adapter emulates or reserves. */
struct hv_hyp_arm_layout {
	hv_gpaddr_t uart, uart_size;	 /* the emulated SBSA UART */
	hv_gpaddr_t gnttab, gnttab_size; /* the grant-table region */
	hv_gpaddr_t gicd, gicr;		 /* the GICv3 (redistributors: one
					    128 KiB pair of frames a vCPU) */
};

/* Xen's guest memory map (xen/arch-arm.h), the one domains get. */
extern const struct hv_hyp_arm_layout hv_hyp_arm_xen_layout;

/*
 * The device tree a domain boots with, as Xen on Arm gives a domU: its
 * memory, one CPU node per vCPU, PSCI through HVC, the command line and
 * ramdisk (ramdisk_size 0: none) in /chosen, the emulated UART as stdout,
 * and the hypervisor node ("xen,xen") with the grant-table region.
 * Written into buf[size]: 0 or -HV_ENOSPC.
 */
int hv_hyp_arm_guest_fdt(void *buf, size_t size,
			 const struct hv_boot_domain *cfg,
			 const struct hv_hyp_arm_layout *layout,
			 hv_gpaddr_t ramdisk, uint64_t ramdisk_size);

/* The HV_HYP_ARM_API_VERSION the library was built with. */
unsigned int hv_hyp_arm_api_version(void);

HV_END_DECLS

#endif /* HV_HYP_ARM_H */
