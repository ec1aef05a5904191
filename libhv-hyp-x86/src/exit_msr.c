/*
 * RDMSR and WRMSR of the MSRs the guest cannot reach directly: the Xen
 * hypercall-page MSR, EFER (whose SVME bit the guest never sees), PAT,
 * DEBUGCTL (LBR and BTF kept and read back, as Xen's SVM code keeps them
 * in the VMCB; without LBR virtualisation, which QEMU lacks, they do
 * nothing),
 * the TSC (a write moves the guest's TSC offset, so RDTSC, which runs
 * unintercepted, agrees), and two AMD registers Xen answers for every HVM
 * guest (hvm_msr_read_intercept): C1E and NB_CFG read 0, an NB_CFG write
 * is ignored; the local APIC's base, x2APIC registers and TSC deadline
 * (lapic.c); any other MSR
 * raises #GP(0), as a CPU does for one it does not have.
 */
#include "priv.h"

#include <hv/x86_exit.h>
#include <hv/x86_xen.h>

#define MSR_LEN	 2
#define MSR_EFER 0xc0000080u
#define MSR_PAT	 0x00000277u
#define MSR_TSC	 0x00000010u
#define MSR_DEBUGCTL 0x000001d9u
#define DEBUGCTL_GUEST_BITS 0x3u /* LBR, BTF */
/* Linux reads C1E on CPUs with AMD erratum 400 (QEMU's qemu64 among
 * them), where a #GP costs it a warning and a stack trace. */
#define MSR_K8_C1E     0xc0010055u
#define MSR_AMD_NB_CFG 0xc001001fu
/* A TSC deadline further ahead than this many seconds never comes (and
 * its ns would overflow). */
#define TSC_DEADLINE_MAX_SECS 1000000000ull

/* What the guest may set in EFER: SCE, LME, NXE (LMA follows paging). */
#define EFER_GUEST_BITS (HV_X86_EFER_SCE | HV_X86_EFER_LME | HV_X86_EFER_NXE)

static bool x2apic_msr(uint32_t msr)
{
	return msr >= HV_X86_MSR_X2APIC_FIRST && msr <= HV_X86_MSR_X2APIC_LAST;
}

static bool read_msr(struct hv_hyp_vcpu *v, uint32_t msr, uint64_t *val)
{
	if (x2apic_msr(msr))
		return hyp_x86_lapic_msr_read(v, msr, val);
	switch (msr) {
	case HV_X86_XEN_MSR_HYPERCALL:
		*val = 0;
		return true;
	case MSR_EFER:
		*val = vcpu_arch(v)->cpu.vmcb->save.efer & ~HV_X86_EFER_SVME;
		return true;
	case MSR_PAT:
		*val = vcpu_arch(v)->pat;
		return true;
	case MSR_DEBUGCTL:
		*val = vcpu_arch(v)->debugctl;
		return true;
	case MSR_TSC:
		*val =
		    hv_x86_rdtsc() + vcpu_arch(v)->cpu.vmcb->control.tsc_offset;
		return true;
	case MSR_K8_C1E:
	case MSR_AMD_NB_CFG:
		*val = 0;
		return true;
	case HV_X86_MSR_APIC_BASE:
		*val = hyp_x86_lapic_base(v);
		return true;
	case HV_X86_MSR_TSC_DEADLINE:
		*val = hv_x86_vlapic_tsc_deadline(&vcpu_arch(v)->lapic);
		return true;
	default:
		return false;
	}
}

/* Xen: the page index must be 0 and the frame writable guest RAM. */
static bool hypercall_page(struct hv_hyp_vcpu *v, uint64_t val)
{
	void *page;

	if ((val & 0xfff) != 0)
		return false;
	if (hv_gmem_map(&v->dom->guest_phys, val & ~0xfffull, HV_PAGE_SIZE,
			HV_PAGE_SIZE, HV_GMEM_WRITE, &page))
		return false;
	hv_x86_xen_hypercall_page(page);
	return true;
}

static bool write_efer(struct hv_hyp_vcpu *v, uint64_t val)
{
	struct hv_x86_vmcb_save *s = &vcpu_arch(v)->cpu.vmcb->save;
	bool paging = s->cr0 & HV_X86_CR0_PG;

	if (val & ~(EFER_GUEST_BITS | HV_X86_EFER_LMA))
		return false;
	/* LME cannot change while paging is on. */
	if (paging && ((val ^ s->efer) & HV_X86_EFER_LME))
		return false;
	s->efer = (val & EFER_GUEST_BITS) | (s->efer & HV_X86_EFER_LMA) |
		  HV_X86_EFER_SVME;
	return true;
}

/* Each byte a memory type: UC, WC, WT, WP, WB or UC- (0, 1, 4-7). */
static bool write_pat(struct hv_hyp_vcpu *v, uint64_t val)
{
	for (unsigned int i = 0; i < 8; i++) {
		uint8_t type = (uint8_t)(val >> (8 * i));

		if (type == 2 || type == 3 || type > 7)
			return false;
	}
	vcpu_arch(v)->pat = val;
	return true;
}

/* The guest's TSC deadline as hypervisor time: ns from now at the TSC's
 * rate (a deadline already past is now; one centuries ahead, never). */
static void write_tsc_deadline(struct hv_hyp_vcpu *v, uint64_t tsc)
{
	struct hv_hyp_x86 *x86 = x86_of(v->dom->hyp);
	uint64_t guest_tsc =
	    hv_x86_rdtsc() + vcpu_arch(v)->cpu.vmcb->control.tsc_offset;
	uint64_t ahead = tsc > guest_tsc ? tsc - guest_tsc : 0;
	hv_time_t deadline = HV_TIME_NEVER;

	if (ahead / x86->timer.tsc_hz < TSC_DEADLINE_MAX_SECS)
		deadline = hv_x86_timer_now(&x86->timer) +
			   hv_x86_ticks_to_ns(ahead, x86->timer.tsc_hz);
	hv_x86_vlapic_set_tsc_deadline(&vcpu_arch(v)->lapic, tsc, deadline);
}

static bool write_msr(struct hv_hyp_vcpu *v, uint32_t msr, uint64_t val)
{
	if (x2apic_msr(msr))
		return hyp_x86_lapic_msr_write(v, msr, val);
	switch (msr) {
	case HV_X86_XEN_MSR_HYPERCALL:
		return hypercall_page(v, val);
	case MSR_EFER:
		return write_efer(v, val);
	case MSR_PAT:
		return write_pat(v, val);
	case MSR_DEBUGCTL:
		if (val & ~DEBUGCTL_GUEST_BITS)
			return false;
		vcpu_arch(v)->debugctl = val;
		return true;
	case MSR_TSC:
		/* The pvclock's TSC stamp moves with it. */
		vcpu_arch(v)->cpu.vmcb->control.tsc_offset =
		    val - hv_x86_rdtsc();
		hyp_x86_time_update(v);
		return true;
	case MSR_AMD_NB_CFG:
		return true;
	case HV_X86_MSR_APIC_BASE:
		return hyp_x86_lapic_set_base(v, val);
	case HV_X86_MSR_TSC_DEADLINE:
		write_tsc_deadline(v, val);
		return true;
	default:
		return false;
	}
}

void hyp_x86_exit_msr(struct hv_hyp_vcpu *v)
{
	uint64_t *gpr = vcpu_arch(v)->cpu.gpr;
	uint32_t msr = (uint32_t)gpr[HV_X86_RCX];
	bool write =
	    vcpu_arch(v)->cpu.vmcb->control.exitinfo1 & HV_X86_MSR_EXIT_WRITE;
	uint64_t val = (uint64_t)(uint32_t)gpr[HV_X86_RDX] << 32 |
		       (uint32_t)gpr[HV_X86_RAX];
	bool ok = write ? write_msr(v, msr, val) : read_msr(v, msr, &val);

	if (!ok) {
		hv_x86_vmcb_inject_exception(vcpu_arch(v)->cpu.vmcb,
					     HV_X86_VEC_GP, true, 0);
		return;
	}
	if (!write) {
		gpr[HV_X86_RAX] = (uint32_t)val;
		gpr[HV_X86_RDX] = val >> 32;
	}
	hv_x86_vmcb_skip(vcpu_arch(v)->cpu.vmcb, MSR_LEN);
}
