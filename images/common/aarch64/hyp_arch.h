/*
 * The AArch64 image's state (hyp_common.h): the pCPU's EL2 state and
 * devices, and what the core keeps for the arch in each domain (its VMID)
 * and vCPU (its registers).
 */
#ifndef HYP_ARCH_H
#define HYP_ARCH_H

#include <hv/arm_cpu.h>
#include <hv/arm_gic.h>
#include <hv/arm_pl011.h>
#include <hv/arm_timer.h>
#include <hv/arm_vcpu.h>

#define HYP_ARCH_NAME	   "aarch64"
#define HYP_MAX_VCPUS	   4 /* per domain; PSCI CPU_ON starts all but 0 */
#define HYP_MAX_RAM_RANGES 4

struct hyp_arch {
	struct hv_pl011 uart;
	struct hv_arm_cpu cpu;
	struct hv_arm_gic gic;
	struct hv_arm_timer timer;
	uintptr_t gicd, gicr; /* from the device tree */
};

struct domain_arch {
	uint16_t vmid;
};

struct vcpu_arch {
	struct hv_arm_vcpu cpu; /* registers, EL1 and GIC state, exit */
	enum hv_arm_exit_kind exit_kind; /* of the last run */
};

#endif
