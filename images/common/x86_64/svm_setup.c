/*
 * SVM for the run loop: each pCPU's host-save area and host VMSAVE page,
 * and the intercept maps every domain shares: every I/O port, and every MSR
 * but those the VMCB switches with the guest (VMLOAD/VMSAVE's segment
 * bases and system-call MSRs), which a guest reads and writes directly.
 */
#include "hyp.h"

#define ORDER_IOPM  2 /* 16 KiB >= HV_X86_IOPM_SIZE */
#define ORDER_MSRPM 1 /* 8 KiB */

/* MSRs the CPU keeps per guest in the VMCB. */
static const uint32_t guest_owned_msrs[] = {
    0x00000174u, /* SYSENTER_CS */
    0x00000175u, /* SYSENTER_ESP */
    0x00000176u, /* SYSENTER_EIP */
    0xc0000081u, /* STAR */
    0xc0000082u, /* LSTAR */
    0xc0000083u, /* CSTAR */
    0xc0000084u, /* SFMASK */
    0xc0000100u, /* FS_BASE */
    0xc0000101u, /* GS_BASE */
    0xc0000102u, /* KERNEL_GS_BASE */
};

static void intercept_maps(struct hyp *h)
{
	uint8_t *iopm, *msrpm;

	if (hyp_alloc_page(h, ORDER_IOPM, &h->arch.iopm) ||
	    hyp_alloc_page(h, ORDER_MSRPM, &h->arch.msrpm))
		hyp_panic(h, "no memory for the intercept maps");
	iopm = (uint8_t *)(uintptr_t)h->arch.iopm;
	msrpm = (uint8_t *)(uintptr_t)h->arch.msrpm;
	hv_x86_iopm_init(iopm);
	hv_x86_msrpm_init(msrpm);
	for (unsigned int i = 0; i < HV_ARRAY_SIZE(guest_owned_msrs); i++)
		hv_x86_msrpm_set(msrpm, guest_owned_msrs[i], false, false);
}

void hyp_svm_cpu_pages(struct hyp *h, struct hyp_pcpu_arch *pa)
{
	if (hyp_alloc_page(h, 0, &pa->hsave) ||
	    hyp_alloc_page(h, 0, &pa->host_vmcb))
		hyp_panic(h, "no memory for the SVM host state");
}

void hyp_svm_cpu_init(struct hyp *h, struct hyp_pcpu_arch *pa)
{
	if (hv_x86_svm_enable(&pa->svm, pa->hsave,
			      (struct hv_x86_vmcb *)(uintptr_t)pa->host_vmcb,
			      pa->host_vmcb))
		hyp_panic(h,
			  "pCPU %u has no SVM with nested paging "
			  "(QEMU: -cpu qemu64,+svm,+npt)",
			  pa->id);
}

void hyp_svm_init(struct hyp *h)
{
	struct hyp_pcpu_arch *pa = &h->arch.pcpus[0];

	hyp_svm_cpu_pages(h, pa);
	hyp_svm_cpu_init(h, pa);
	intercept_maps(h);
	hv_log_info(&h->log, "SVM with nested paging, %u ASIDs%s",
		    pa->svm.nr_asids,
		    pa->svm.npt_1g ? ", 1 GiB nested pages" : "");
}
