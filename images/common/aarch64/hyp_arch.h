/*
 * The AArch64 image's state (hyp_common.h): the machine's devices, each
 * pCPU's EL2 state, and what the core keeps for the arch in each domain
 * (its VMID) and vCPU (its registers, and the interrupts waiting for it).
 */
#ifndef HYP_ARCH_H
#define HYP_ARCH_H

#include <hv/arm_boot.h>
#include <hv/arm_cpu.h>
#include <hv/arm_gic.h>
#include <hv/arm_pl011.h>
#include <hv/arm_timer.h>
#include <hv/arm_vcpu.h>

#define HYP_ARCH_NAME	   "aarch64"
#define HYP_MAX_VCPUS	   4 /* per domain; PSCI CPU_ON starts all but 0 */
#define HYP_MAX_RAM_RANGES 4
#define HYP_MAX_PCPUS	   8 /* CPUs of the device tree run beyond it */
#define HYP_STACK_SIZE	   (32 * 1024) /* each pCPU's but the boot one's */

/* One pCPU's own state: what its system registers and its redistributor
 * hold, and how it was started. */
struct hyp_pcpu_arch {
	struct hv_arm_cpu cpu; /* TPIDR_EL2 */
	struct hv_arm_gic gic; /* its redistributor */
	uint64_t mpidr;	       /* its affinity, from the device tree */
	unsigned int id;       /* its index in struct hyp's pcpus */
	struct hv_arm_secondary start;
	/* The virtual timer's interrupt is active here for a vCPU that has
	 * left: end it before the next vCPU's timer can fire (run.c). */
	bool vtimer_active;
};

struct hyp_arch {
	struct hv_pl011 uart;
	struct hv_arm_timer timer; /* the counter's frequency: every pCPU's */
	uintptr_t gicd, gicr;	   /* from the device tree: the distributor,
				      the redistributor region */
	const uint64_t *el2_l1;	   /* the EL2 identity map every pCPU uses */
	struct hyp_pcpu_arch pcpus[HYP_MAX_PCPUS];
};

struct domain_arch {
	uint16_t vmid;
};

struct vcpu_arch {
	struct hv_arm_vcpu cpu; /* registers, EL1 and GIC state, exit */
	enum hv_arm_exit_kind exit_kind; /* of the last run */
	/* Interrupts to put in its list registers when it next enters (bit
	 * n: INTID n < 32): set by any pCPU, taken by the one that runs it. */
	uint32_t irqs;
};

#endif
