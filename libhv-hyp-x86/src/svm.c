/*
 * SVM for the run loop: the intercept maps every domain shares (every I/O
 * port but the PCI configuration ports of a machine without them, and
 * every MSR but those the VMCB switches with the guest
 * (VMLOAD/VMSAVE's segment bases and system-call MSRs), which a guest
 * reads and writes directly), each pCPU's host-save area, host VMSAVE
 * page and bounce page, and SVM on each pCPU.  The pages come from the
 * core's heap on the boot CPU (the heap serves one CPU at a time), before
 * the other pCPUs start.
 */
#include "priv.h"

#include <hv/x86_boot.h>
#include <hv/x86_smp.h>
#include <hv/x86_xen.h>

#define CPUID_EXT_FEATURES    0x80000001u
#define CPUID_EXT_EDX_PAGE1GB (1u << 26)

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

/* Nested paging maps 1 GiB pages where the CPU's own paging does. */
unsigned int hv_hyp_x86_p2m_max_order(void)
{
	struct hv_x86_cpuid_regs r;

	hv_x86_cpuid(CPUID_EXT_FEATURES, 0, &r);
	return r.edx & CPUID_EXT_EDX_PAGE1GB ? HV_MM_P2M_ORDER_1G
					     : HV_MM_P2M_ORDER_2M;
}

/* A page (or more) from the core's heap, by machine address. */
static int alloc(struct hv_hyp *core, size_t size, hv_paddr_t *pa)
{
	void *p = hv_hyp_alloc(core, size);

	if (!p)
		return -HV_ENOMEM;
	*pa = core->arch->virt_to_phys(core, p);
	return 0;
}

static int intercept_maps(struct hv_hyp *core)
{
	struct hv_hyp_x86 *x = x86_of(core);
	uint8_t *iopm, *msrpm;

	if (alloc(core, HV_X86_IOPM_SIZE, &x->iopm) ||
	    alloc(core, HV_X86_MSRPM_SIZE, &x->msrpm))
		return -HV_ENOMEM;
	iopm = core->arch->phys_to_virt(core, x->iopm);
	hv_x86_iopm_init(iopm);
	/* PCI configuration ports with nothing behind them (QEMU's microvm)
	 * need no exit: a guest reads all ones there and its writes go
	 * nowhere, as exit_io.c would answer.  Linux's early search for an
	 * AGP bridge reads them 16,384 times at boot: 0.66 s of exits under
	 * TCG (docs/x86.md). */
	if (!hv_x86_pci_conf_ports_used())
		for (uint16_t i = 0; i < HV_X86_PCI_CONF_PORTS; i++)
			hv_x86_iopm_set(
			    iopm, (uint16_t)(HV_X86_PCI_CONF_PORT + i), false);
	msrpm = core->arch->phys_to_virt(core, x->msrpm);
	hv_x86_msrpm_init(msrpm);
	for (unsigned int i = 0; i < HV_ARRAY_SIZE(guest_owned_msrs); i++)
		hv_x86_msrpm_set(msrpm, guest_owned_msrs[i], false, false);
	return 0;
}

/* What a guest may set in CR4: what its view of CPUID offers it
 * (exit_cpuid.c, exit_cr.c). */
static uint64_t cr4_valid(void)
{
	struct hv_x86_cpuid_regs leaf0, leaf1, leaf7 = {0};

	hv_x86_cpuid(0, 0, &leaf0);
	if (leaf0.eax >= 7)
		hyp_x86_guest_cpuid(7, 0, 0, &leaf7);
	hyp_x86_guest_cpuid(1, 0, 0, &leaf1);
	return hv_x86_cr4_guest_valid(&leaf1, &leaf7);
}

int hv_hyp_x86_init(struct hv_hyp *core)
{
	int err = intercept_maps(core);

	x86_of(core)->cr4_valid = cr4_valid();
	for (unsigned int i = 0; i < core->nr_pcpus && !err; i++) {
		struct hv_hyp_x86_pcpu *pc = pcpu_arch(&core->pcpus[i]);

		pc->pcpu = &core->pcpus[i];
		pc->bounce = hv_hyp_alloc(core, HV_PAGE_SIZE);
		if (!pc->bounce || alloc(core, HV_PAGE_SIZE, &pc->hsave) ||
		    alloc(core, HV_PAGE_SIZE, &pc->host_vmcb))
			err = -HV_ENOMEM;
	}
	return err;
}

int hv_hyp_x86_pcpu_init(struct hv_hyp_x86_pcpu *pc)
{
	struct hv_hyp *core = pc->pcpu->hyp;

	return hv_x86_svm_enable(&pc->svm, pc->hsave,
				 core->arch->phys_to_virt(core, pc->host_vmcb),
				 pc->host_vmcb);
}

struct hv_hyp_x86_pcpu *hv_hyp_x86_pcpu_this(void)
{
	return hv_container_of(hv_x86_cpu_this(), struct hv_hyp_x86_pcpu, cpu);
}
