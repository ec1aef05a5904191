/*
 * The x86_64 image's state (hyp_common.h): the machine's devices, each
 * pCPU's own state (descriptor tables, SVM host state), the intercept
 * maps, and what the core keeps for the arch in each domain (its ASID)
 * and vCPU (its registers and VMCB).
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
#define HYP_MAX_PCPUS	   8	       /* CPUs of the MADT run beyond it */
#define HYP_STACK_SIZE	   (32 * 1024) /* each pCPU's but the boot one's */

/*
 * One pCPU's own state.  Its struct hv_x86_cpu is what its GS base points
 * at; that struct's opaque pointer is this, so code on a pCPU finds its
 * own state with hv_x86_cpu_this()->opaque (pcpu_this()).
 */
struct hyp_pcpu_arch {
	struct hv_x86_cpu cpu __attribute__((aligned(16)));
	struct hv_x86_svm svm;	     /* its host-save area, host VMCB */
	hv_paddr_t hsave, host_vmcb; /* allocated for it by the boot CPU */
	uint32_t apic_id;
	unsigned int id; /* its index in struct hyp's pcpus */
	/* A guest runs here now (between VMRUN and #VMEXIT): a P2M change
	 * waits for it to leave (domain.c). */
	uint32_t in_guest;
};

struct hyp_arch {
	struct hv_x86_uart uart;
	/* The boot CPU's calibration; each pCPU reaches its own local APIC
	 * at the same address through it. */
	struct hv_x86_timer timer;
	hv_paddr_t iopm, msrpm; /* intercept maps every domain shares */
	hv_paddr_t rsdp;	/* ACPI, from hvm_start_info (0: none) */
	hv_paddr_t trampoline;	/* a page below 1 MiB where APs start */
	struct hyp_pcpu_arch pcpus[HYP_MAX_PCPUS];
};

struct domain_arch {
	uint32_t asid;
};

struct vcpu_arch {
	struct hv_x86_vcpu cpu; /* registers, VMCB, x87/SSE state */
	uint64_t pat;		/* the guest's IA32_PAT (emulated) */
	uint64_t exit_code;	/* of the last run */
	/* An event upcall waits to be injected as an interrupt: set by any
	 * pCPU, taken by the one that enters the vCPU next (atomic). */
	uint32_t upcall_pending;
	/* Its domain's P2M changed: flush the TLB at its next VMRUN, on
	 * whichever pCPU (atomic). */
	uint32_t flush_tlb;
};

#endif
