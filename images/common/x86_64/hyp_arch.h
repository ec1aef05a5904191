/*
 * The x86_64 image's state (hyp_common.h): the pCPU's state, devices and
 * SVM, and what the core keeps for the arch in each domain (its ASID) and
 * vCPU (its registers and VMCB).
 */
#ifndef HYP_ARCH_H
#define HYP_ARCH_H

#include <hv/x86_cpu.h>
#include <hv/x86_svm.h>
#include <hv/x86_timer.h>
#include <hv/x86_uart.h>

#define HYP_ARCH_NAME	   "x86_64"
#define HYP_MAX_VCPUS	   8 /* per domain */
#define HYP_MAX_RAM_RANGES 16

struct hyp_arch {
	struct hv_x86_cpu cpu;
	struct hv_x86_uart uart;
	struct hv_x86_timer timer;
	struct hv_x86_svm svm;
	hv_paddr_t iopm, msrpm; /* intercept maps every domain shares */
};

struct domain_arch {
	uint32_t asid;
};

struct vcpu_arch {
	struct hv_x86_vcpu cpu; /* registers, VMCB, x87/SSE state */
	uint64_t pat;		/* the guest's IA32_PAT (emulated) */
	uint64_t exit_code;	/* of the last run */
	/* An event upcall waits to be injected as an interrupt (set under
	 * the core's lock, taken at the vCPU's next entry). */
	bool upcall_pending;
};

#endif
