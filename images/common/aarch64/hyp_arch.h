/*
 * The AArch64 image's state (hyp_common.h): the machine's devices, the
 * adapter's view of it (libhv-hyp-arm) and each pCPU's EL2 state.
 */
#ifndef HYP_ARCH_H
#define HYP_ARCH_H

#include <hv/arm_boot.h>
#include <hv/arm_pl011.h>
#include <hv/hyp_arm.h>

#define HYP_MAX_RAM_RANGES 4
#define HYP_MAX_PCPUS	   8 /* CPUs of the device tree run beyond it */
#define HYP_STACK_SIZE	   (32 * 1024) /* each pCPU's but the boot one's */

struct hyp_arch {
	struct hv_pl011 uart;
	struct hv_hyp_arm arm;	/* the core's arch context */
	const uint64_t *el2_l1; /* the EL2 identity map every pCPU uses */
	struct hv_hyp_arm_pcpu pcpus[HYP_MAX_PCPUS];
	struct hv_arm_secondary start[HYP_MAX_PCPUS]; /* how each started */
	int64_t trace_handle; /* semihosting's console, when tracing */
};

#endif
