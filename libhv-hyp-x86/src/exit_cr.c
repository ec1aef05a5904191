/*
 * MOV to CR4.  It is intercepted so that a bit the guest's CPUID does
 * not offer raises #GP(0) in the guest, as on a CPU: VMRUN refuses a CR4
 * with a bit the CPU lacks, which QEMU lets a guest write, and the domain
 * would crash at its next entry (VMEXIT_INVALID).  The other checks are a
 * CPU's (SDM vol. 3, 2.5; Xen's hvm_set_cr4): PAE stays on and LA57 as it
 * is in long mode, PCIDE only in long mode with CR3's PCID 0.  Without
 * decode assists the instruction is fetched and decoded here.
 */
#include "priv.h"

#include <hv/x86_exit.h>

#define CR4_LA57  (1ull << 12)
#define CR4_PCIDE (1ull << 17)
#define CR3_PCID  0xfffull

/* The instruction at CS:RIP, up to 15 bytes or the end of what maps. */
static unsigned int fetch(struct hv_hyp_vcpu *v, bool long_mode,
			  uint8_t insn[HV_X86_INSN_MAX])
{
	const struct hv_x86_vmcb_save *s = &vcpu_arch(v)->cpu.vmcb->save;
	uint64_t rip = long_mode ? s->rip : (uint32_t)(s->cs.base + s->rip);
	unsigned int to_page_end = HV_PAGE_SIZE - (rip & (HV_PAGE_SIZE - 1));
	struct hv_gmem gm;

	hyp_x86_gmem_linear(&gm, v);
	if (!hv_gmem_copy_from(&gm, insn, rip, HV_X86_INSN_MAX))
		return HV_X86_INSN_MAX;
	if (to_page_end < HV_X86_INSN_MAX &&
	    !hv_gmem_copy_from(&gm, insn, rip, to_page_end))
		return to_page_end;
	return 0;
}

static bool cr4_allowed(struct hv_hyp_vcpu *v, uint64_t old, uint64_t val)
{
	const struct hv_x86_vmcb_save *s = &vcpu_arch(v)->cpu.vmcb->save;
	bool lma = s->efer & HV_X86_EFER_LMA;

	if (val & ~x86_of(v->dom->hyp)->cr4_valid)
		return false;
	if (lma && (!(val & HV_X86_CR4_PAE) || ((val ^ old) & CR4_LA57)))
		return false;
	if ((val & CR4_PCIDE) && !(old & CR4_PCIDE) &&
	    (!lma || (s->cr3 & CR3_PCID)))
		return false;
	return true;
}

void hyp_x86_exit_cr4_write(struct hv_hyp_vcpu *v)
{
	struct hv_x86_vmcb *vmcb = vcpu_arch(v)->cpu.vmcb;
	bool long_mode = hv_x86_vmcb_mode(vmcb) == HV_X86_MODE_LONG64;
	uint8_t insn[HV_X86_INSN_MAX];
	unsigned int len = fetch(v, long_mode, insn);
	struct hv_x86_mov_cr mov;
	uint64_t val;

	if (hv_x86_decode_mov_to_cr(insn, len, long_mode, &mov) ||
	    mov.cr != 4) {
		hv_hyp_crash(v, "cannot decode the CR4 write at rip %#llx",
			     (unsigned long long)vmcb->save.rip);
		return;
	}
	val = vcpu_arch(v)->cpu.gpr[mov.gpr];
	if (!long_mode)
		val = (uint32_t)val;
	if (!cr4_allowed(v, vmcb->save.cr4, val)) {
		hv_x86_vmcb_inject_exception(vmcb, HV_X86_VEC_GP, true, 0);
		return;
	}
	/* What a CPU flushes on such a write (global pages among them). */
	if (val != vmcb->save.cr4)
		vmcb->control.tlb_control = HV_X86_TLB_FLUSH_ASID;
	vmcb->save.cr4 = val;
	hv_x86_vmcb_skip(vmcb, mov.len);
}
