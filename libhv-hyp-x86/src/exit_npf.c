/*
 * Nested page faults: a guest touched a guest-physical address that maps
 * nothing.  The faulting instruction runs in libhv-x86's emulator (QEMU
 * gives no decode assists), whose accesses go through the guest's own page
 * tables to its local APIC's page (lapic.c), its RAM, or, as on a PC,
 * nothing: reads give all ones and writes are dropped.  An exception the
 * instruction raises (a page fault on its other operand, a non-canonical
 * address) goes to the guest.  What cannot be emulated that way (an
 * instruction the emulator does not know, a fetch from such an address,
 * page tables, an IDT or a stack there while an event is delivered)
 * crashes the domain, saying what and where.
 */
#include "priv.h"

#include <hv/x86_exit.h>
#include <hv/x86_paging.h>

/* The emulator's context: the vCPU, and the instruction's bytes as far
 * as it fetched them (for the message when it cannot be emulated). */
struct npf_emu {
	struct hv_hyp_vcpu *v;
	uint8_t insn[HV_X86_INSN_MAX];
	unsigned int insn_len;
	bool fetch_failed;
};

static enum hv_x86_emu_status page_fault(struct npf_emu *e, uint64_t linear,
					 unsigned int access, int walk_err,
					 struct hv_x86_emu_exception *exc)
{
	unsigned int cpl = hv_x86_vmcb_cpl(vcpu_arch(e->v)->cpu.vmcb);

	exc->vector = HV_X86_EXC_PF;
	exc->has_error_code = true;
	exc->error_code = (walk_err == -HV_EACCES ? 0x1 : 0) |
			  (access & HV_X86_ACCESS_WRITE ? 0x2 : 0) |
			  (cpl == 3 ? 0x4 : 0) |
			  (access & HV_X86_ACCESS_FETCH ? 0x10 : 0);
	exc->cr2 = linear;
	return HV_X86_EMU_EXCEPTION;
}

/* n bytes at guest-physical gpa, within one page: the local APIC, RAM,
 * or nothing; instructions come from RAM only (false otherwise). */
static bool access_gpa(struct hv_hyp_vcpu *v, hv_gpaddr_t gpa, uint8_t *buf,
		       unsigned int n, unsigned int access)
{
	bool write = access & HV_X86_ACCESS_WRITE;
	bool fetch = access & HV_X86_ACCESS_FETCH;
	void *page;

	if (!fetch && (write ? hyp_x86_lapic_write(v, gpa, buf, n)
			     : hyp_x86_lapic_read(v, gpa, buf, n)))
		return true;
	if (hv_mm_gpa_translate(&v->dom->mm, hv_gpaddr_to_gfn(gpa),
				write ? HV_GMEM_WRITE : HV_GMEM_READ, &page)) {
		if (fetch)
			return false;
		if (!write)
			memset(buf, 0xff, n);
		return true;
	}
	page = (char *)page + (gpa & (HV_PAGE_SIZE - 1));
	if (write)
		memcpy(page, buf, n);
	else
		memcpy(buf, page, n);
	return true;
}

/* size bytes at guest-linear `linear`, page by page. */
static enum hv_x86_emu_status access_linear(struct npf_emu *e, uint64_t linear,
					    uint8_t *buf, unsigned int size,
					    unsigned int access,
					    struct hv_x86_emu_exception *exc)
{
	while (size) {
		unsigned int n = HV_PAGE_SIZE - (linear & (HV_PAGE_SIZE - 1));
		hv_gpaddr_t gpa;

		if (n > size)
			n = size;
		int err = hyp_x86_linear_to_gpa(e->v, linear, access, &gpa);

		if (err)
			return page_fault(e, linear, access, err, exc);
		if (!access_gpa(e->v, gpa, buf, n, access)) {
			e->fetch_failed = true;
			return HV_X86_EMU_RETRY;
		}
		linear += n;
		buf += n;
		size -= n;
	}
	return HV_X86_EMU_DONE;
}

static enum hv_x86_emu_status emu_read(void *ctx, uint64_t linear, void *buf,
				       unsigned int size, bool fetch,
				       struct hv_x86_emu_exception *exc)
{
	struct npf_emu *e = ctx;
	enum hv_x86_emu_status st = access_linear(
	    e, linear, buf, size, fetch ? HV_X86_ACCESS_FETCH : 0, exc);

	if (fetch && st == HV_X86_EMU_DONE &&
	    e->insn_len + size <= HV_X86_INSN_MAX) {
		memcpy(e->insn + e->insn_len, buf, size);
		e->insn_len += size;
	}
	return st;
}

static enum hv_x86_emu_status emu_write(void *ctx, uint64_t linear,
					const void *buf, unsigned int size,
					struct hv_x86_emu_exception *exc)
{
	uint8_t copy[8];

	/* access_linear takes a writable buffer for both directions. */
	memcpy(copy, buf, size < sizeof(copy) ? size : sizeof(copy));
	return access_linear(ctx, linear, copy, size, HV_X86_ACCESS_WRITE, exc);
}

static const struct hv_x86_emu_ops npf_ops = {emu_read, emu_write};

static void cannot_emulate(struct npf_emu *e, hv_gpaddr_t gpa)
{
	char hex[3 * HV_X86_INSN_MAX + 1] = "";

	for (unsigned int i = 0; i < e->insn_len && i < 6; i++)
		hv_snprintf(hex + 3 * i, sizeof(hex) - 3 * i, " %02x",
			    e->insn[i]);
	hv_hyp_crash(e->v,
		     "cannot emulate the instruction at rip %#llx (%s ...) "
		     "touching unbacked memory at %#llx",
		     (unsigned long long)vcpu_arch(e->v)->cpu.vmcb->save.rip,
		     e->insn_len ? hex + 1 : "", (unsigned long long)gpa);
}

static void regs_from_vcpu(struct hv_x86_emu_regs *r, struct vcpu_arch *a)
{
	const struct hv_x86_vmcb_save *s = &a->cpu.vmcb->save;
	const struct hv_x86_vmcb_seg *seg[HV_X86_SEG_COUNT] = {
	    &s->es, &s->cs, &s->ss, &s->ds, &s->fs, &s->gs};

	memcpy(r->gpr, a->cpu.gpr, sizeof(r->gpr));
	r->rip = s->rip;
	r->rflags = s->rflags;
	for (unsigned int i = 0; i < HV_X86_SEG_COUNT; i++)
		r->seg_base[i] = seg[i]->base;
	r->mode = hv_x86_vmcb_mode(a->cpu.vmcb);
}

static void emulate(struct hv_hyp_vcpu *v, hv_gpaddr_t gpa)
{
	struct vcpu_arch *a = vcpu_arch(v);
	struct hv_x86_vmcb *vmcb = a->cpu.vmcb;
	struct npf_emu e = {.v = v};
	struct hv_x86_emu_exception exc;
	struct hv_x86_emu_regs r;
	enum hv_x86_emu_status st;

	regs_from_vcpu(&r, a);
	st = hv_x86_emulate(&r, &npf_ops, &e, &exc);
	if (e.fetch_failed) {
		hv_hyp_crash(v, "cannot fetch the instruction at rip %#llx",
			     (unsigned long long)vmcb->save.rip);
		return;
	}
	if (st == HV_X86_EMU_EXCEPTION && exc.vector == HV_X86_EXC_UD) {
		/* The CPU took the instruction (it faulted on its access):
		 * #UD here means the emulator does not know it. */
		cannot_emulate(&e, gpa);
		return;
	}
	/* A REP instruction's iterations count even when it stops. */
	memcpy(a->cpu.gpr, r.gpr, sizeof(r.gpr));
	vmcb->save.rflags = r.rflags;
	if (st == HV_X86_EMU_DONE) {
		hv_x86_vmcb_skip(vmcb, r.rip - vmcb->save.rip);
	} else if (st == HV_X86_EMU_EXCEPTION) {
		if (exc.vector == HV_X86_EXC_PF)
			vmcb->save.cr2 = exc.cr2;
		hv_x86_vmcb_inject_exception(
		    vmcb, exc.vector, exc.has_error_code, exc.error_code);
	}
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
