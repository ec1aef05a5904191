/*
 * Nested page faults: a guest touched a guest-physical address that maps
 * nothing.  Its local APIC's page answers as the APIC (lapic.c); elsewhere,
 * as on a PC, a read gives all ones and a write is dropped: the faulting
 * instruction is fetched through the guest's own page tables and decoded (QEMU
 * gives no decode assists), its effect applied to the registers, and RIP moved
 * past it.  What cannot be emulated that way (an instruction other than the MOV
 * family, a fetch from such an address, page tables, an IDT or a stack there
 * while an event is delivered) crashes the domain, saying what and where.
 */
#include "priv.h"

#include <hv/x86_exit.h>

/* The instruction at CS:RIP, as many bytes as are mapped (up to 15). */
static int fetch(struct hv_hyp_vcpu *v, uint8_t *buf, size_t *len)
{
	const struct hv_x86_vmcb_save *s = &vcpu_arch(v)->cpu.vmcb->save;
	enum hv_x86_mode mode = hv_x86_vmcb_mode(vcpu_arch(v)->cpu.vmcb);
	uint64_t linear = mode == HV_X86_MODE_LONG64
			      ? s->rip
			      : (uint32_t)(s->cs.base + s->rip);
	size_t to_page_end = HV_PAGE_SIZE - (linear & (HV_PAGE_SIZE - 1));
	struct hv_gmem gm;

	hyp_x86_gmem_linear(&gm, v);
	*len = HV_X86_INSN_MAX;
	if (hv_gmem_copy_from(&gm, buf, linear, *len) == 0)
		return 0;
	/* The instruction may end before an unmapped page. */
	*len = hv_min_u64(to_page_end, HV_X86_INSN_MAX);
	return hv_gmem_copy_from(&gm, buf, linear, *len);
}

static void cannot_emulate(struct hv_hyp_vcpu *v, const uint8_t *b, size_t len,
			   hv_gpaddr_t gpa)
{
	char hex[3 * HV_X86_INSN_MAX + 1] = "";

	for (size_t i = 0; i < len && i < 6; i++)
		hv_snprintf(hex + 3 * i, sizeof(hex) - 3 * i, " %02x", b[i]);
	hv_hyp_crash(v,
		     "cannot emulate the instruction at rip %#llx (%s ...) "
		     "touching unbacked memory at %#llx",
		     (unsigned long long)vcpu_arch(v)->cpu.vmcb->save.rip,
		     hex + 1, (unsigned long long)gpa);
}

static void emulate(struct hv_hyp_vcpu *v, hv_gpaddr_t gpa)
{
	enum hv_x86_mode mode = hv_x86_vmcb_mode(vcpu_arch(v)->cpu.vmcb);
	uint8_t insn[HV_X86_INSN_MAX];
	struct hv_x86_mov m;
	size_t len;

	if (fetch(v, insn, &len)) {
		hv_hyp_crash(
		    v, "cannot fetch the instruction at rip %#llx",
		    (unsigned long long)vcpu_arch(v)->cpu.vmcb->save.rip);
		return;
	}
	if (hv_x86_decode_mov(insn, len, mode, &m)) {
		cannot_emulate(v, insn, len, gpa);
		return;
	}
	if (!hyp_x86_lapic_mmio(v, gpa, &m) && !m.write)
		hv_x86_mov_load(&m, vcpu_arch(v)->cpu.gpr, UINT64_MAX);
	hv_x86_vmcb_skip(vcpu_arch(v)->cpu.vmcb, m.len);
}

void hyp_x86_exit_npf(struct hv_hyp_vcpu *v)
{
	const struct hv_x86_vmcb_control *c = &vcpu_arch(v)->cpu.vmcb->control;
	hv_gpaddr_t gpa = c->exitinfo2;
	struct hv_mm_p2m_info info;
	const char *when = NULL;

	if (hv_mm_p2m_lookup(&v->dom->p2m, hv_gpaddr_to_gfn(gpa), &info) == 0 &&
	    info.type != HV_MM_P2M_INVALID)
		when = "on a mapped page";
	else if (c->exitintinfo & HV_X86_EVENT_VALID)
		when = "delivering an exception or interrupt";
	else if (c->exitinfo1 & HV_X86_NPF_WALK)
		when = "walking its page tables";
	else if (c->exitinfo1 & HV_X86_NPF_FETCH)
		when = "fetching instructions";
	if (when) {
		hv_hyp_crash(
		    v,
		    "nested page fault at %#llx %s (flags %#llx, rip "
		    "%#llx)",
		    (unsigned long long)gpa, when,
		    (unsigned long long)c->exitinfo1,
		    (unsigned long long)vcpu_arch(v)->cpu.vmcb->save.rip);
		return;
	}
	emulate(v, gpa);
}
