/*
 * The x86_64 image's state (hyp_common.h): the machine's devices, the
 * adapter's view of it (libhv-hyp-x86) and each pCPU's state.
 */
#ifndef HYP_ARCH_H
#define HYP_ARCH_H

#include <hv/hyp_x86.h>
#include <hv/x86_pvh.h>
#include <hv/x86_uart.h>

#define HYP_MAX_RAM_RANGES HV_X86_PVH_MAX_RAM
#define HYP_MAX_PCPUS	   8	       /* CPUs of the MADT run beyond it */
#define HYP_STACK_SIZE	   (32 * 1024) /* each pCPU's but the boot one's */

struct hyp_arch {
	struct hv_x86_uart uart;
	struct hv_hyp_x86 x86; /* the core's arch context */
	hv_paddr_t rsdp;       /* ACPI, from hvm_start_info (0: none) */
	hv_paddr_t trampoline; /* a page below 1 MiB where APs start */
	struct hv_hyp_x86_pcpu pcpus[HYP_MAX_PCPUS];
};

#endif
