/*
 * VCPUOP_initialise for HVM/PVH vCPUs: struct vcpu_hvm_context checked as
 * Xen's arch_set_info_hvm_guest (xen/arch/x86/hvm/domain.c) checks it,
 * and loaded into a VMCB.  Beyond Xen's checks, the combinations VMRUN
 * would refuse (docs/x86.md) are refused here, so a bad context is the
 * guest's -EINVAL rather than a crashed domain.
 */
#include <hv/error.h>
#include <hv/string.h>
#include <hv/x86_xen.h>

#define RFLAGS_RESERVED 0x2ull
#define CR0_MP		(1ull << 1)
#define CR0_EM		(1ull << 2)
#define CR0_TS		(1ull << 3)
#define CR0_NE		(1ull << 5)
#define CR0_AM		(1ull << 18)
#define CR0_NW		(1ull << 29)
#define CR0_CD		(1ull << 30)
#define CR0_ALLOWED                                                            \
	(HV_X86_CR0_PE | CR0_MP | CR0_EM | CR0_TS | HV_X86_CR0_ET | CR0_NE |   \
	 HV_X86_CR0_WP | CR0_AM | CR0_NW | CR0_CD | HV_X86_CR0_PG)
/* VME PVI TSD DE PSE PAE MCE PGE PCE OSFXSR OSXMMEXCPT UMIP, FSGSBASE
 * PCIDE, SMEP SMAP: what the guest's CPUID view lets it use (no VMX, SMX,
 * LA57, OSXSAVE, PKE, CET). */
#define CR4_ALLOWED 0x300fffull
#define EFER_ALLOWED                                                           \
	(HV_X86_EFER_SCE | HV_X86_EFER_LME | HV_X86_EFER_LMA | HV_X86_EFER_NXE)

#define SEG_TYPE_CODE	  0x8u /* code, else data */
#define SEG_TYPE_RW	  0x2u /* code: readable; data: writable */
#define SEG_TYPE_ACCESSED 0x1u
#define SEG_TYPE_TSS_BUSY 0x2u /* 0x9, available 32-bit TSS, becomes 0xb */
#define SEG_TSS32_BUSY	  0xbu
#define SEG_ATTR_UNUSED	  0xf000u
#define SEG_CODE64	  0xa9bu /* 64-bit code, G, accessed */
#define SEG_TSS64_LIMIT	  0x67u

enum seg { SEG_CS, SEG_DS, SEG_SS, SEG_ES, SEG_TR, NR_SEGS };

/* A context, whichever its mode, before it is accepted. */
struct staged {
	uint64_t gpr[8], rip, rflags, cr0, cr3, cr4, efer;
	struct hv_x86_vmcb_seg seg[NR_SEGS];
};

static unsigned int dpl(const struct hv_x86_vmcb_seg *s)
{
	return (s->attrib >> HV_X86_SEG_DPL_SHIFT) & 3;
}

static bool present(const struct hv_x86_vmcb_seg *s)
{
	return s->attrib & HV_X86_SEG_P;
}

/* One segment of a 32-bit context: what each register may hold. */
static bool segment_ok(const struct hv_x86_vmcb_seg *s, enum seg which)
{
	unsigned int type = s->attrib & HV_X86_SEG_TYPE_MASK;

	if (s->attrib & SEG_ATTR_UNUSED)
		return false;
	if (!s->attrib) /* a null selector: only DS and ES may be */
		return which == SEG_DS || which == SEG_ES;
	if (which == SEG_TR) {
		if ((s->attrib & HV_X86_SEG_S) || type != SEG_TSS32_BUSY)
			return false;
	} else if (!(s->attrib & HV_X86_SEG_S)) {
		return false;
	}
	if (!present(s))
		return false;
	switch (which) {
	case SEG_CS:
		return type & SEG_TYPE_CODE;
	case SEG_SS:
		return !(type & SEG_TYPE_CODE) && (type & SEG_TYPE_RW);
	case SEG_DS:
	case SEG_ES:
		return !(type & SEG_TYPE_CODE) || (type & SEG_TYPE_RW);
	default:
		return true;
	}
}

static struct hv_x86_vmcb_seg seg32(uint32_t base, uint32_t limit,
				    uint16_t attrib, enum seg which)
{
	struct hv_x86_vmcb_seg s = {0, attrib, limit, base};

	/* Present segments are loaded: accessed, or a busy TSS. */
	if (present(&s))
		s.attrib |=
		    which == SEG_TR ? SEG_TYPE_TSS_BUSY : SEG_TYPE_ACCESSED;
	return s;
}

static int stage32(struct staged *st, const struct vcpu_hvm_x86_32 *r)
{
	const uint32_t base[NR_SEGS] = {r->cs_base, r->ds_base, r->ss_base,
					r->es_base, r->tr_base};
	const uint32_t limit[NR_SEGS] = {r->cs_limit, r->ds_limit, r->ss_limit,
					 r->es_limit, r->tr_limit};
	const uint16_t ar[NR_SEGS] = {r->cs_ar, r->ds_ar, r->ss_ar, r->es_ar,
				      r->tr_ar};
	const uint32_t gpr[8] = {r->eax, r->ecx, r->edx, r->ebx,
				 r->esp, r->ebp, r->esi, r->edi};
	const struct hv_x86_vmcb_seg *cs = &st->seg[SEG_CS];
	uint64_t cs_limit;

	if (r->pad1 || r->pad2[0] || r->pad2[1] || r->pad2[2])
		return -HV_EINVAL;
	for (unsigned int i = 0; i < NR_SEGS; i++) {
		st->seg[i] = seg32(base[i], limit[i], ar[i], (enum seg)i);
		if (!segment_ok(&st->seg[i], (enum seg)i))
			return -HV_EINVAL;
	}
	cs_limit = cs->attrib & HV_X86_SEG_G ? (uint64_t)cs->limit << 12 | 0xfff
					     : cs->limit;
	if (r->eip > cs_limit || dpl(&st->seg[SEG_SS]) != dpl(cs))
		return -HV_EINVAL;
	if ((present(&st->seg[SEG_DS]) && dpl(&st->seg[SEG_DS]) > dpl(cs)) ||
	    (present(&st->seg[SEG_ES]) && dpl(&st->seg[SEG_ES]) > dpl(cs)))
		return -HV_EINVAL;
	if ((r->efer & HV_X86_EFER_LMA) && !(r->efer & HV_X86_EFER_LME))
		return -HV_EINVAL;
	for (unsigned int i = 0; i < 8; i++)
		st->gpr[i] = gpr[i];
	st->rip = r->eip;
	st->rflags = r->eflags;
	st->cr0 = r->cr0;
	st->cr3 = r->cr3;
	st->cr4 = r->cr4;
	st->efer = r->efer;
	return 0;
}

static bool canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

static int stage64(struct staged *st, const struct vcpu_hvm_x86_64 *r)
{
	const struct hv_x86_vmcb_seg code = {0, SEG_CODE64, 0xffffffffu, 0};
	const struct hv_x86_vmcb_seg data = {0, HV_X86_SEG_DATA32, 0xffffffffu,
					     0};
	const struct hv_x86_vmcb_seg tss = {0, HV_X86_SEG_TSS32_BUSY,
					    SEG_TSS64_LIMIT, 0};
	const uint64_t gpr[8] = {r->rax, r->rcx, r->rdx, r->rbx,
				 r->rsp, r->rbp, r->rsi, r->rdi};

	if (!canonical(r->rip) || !(r->cr0 & HV_X86_CR0_PG) ||
	    !(r->cr4 & HV_X86_CR4_PAE) || !(r->efer & HV_X86_EFER_LME))
		return -HV_EINVAL;
	for (unsigned int i = 0; i < 8; i++)
		st->gpr[i] = gpr[i];
	st->rip = r->rip;
	st->rflags = r->rflags;
	st->cr0 = r->cr0;
	st->cr3 = r->cr3;
	st->cr4 = r->cr4;
	st->efer = r->efer;
	st->seg[SEG_CS] = code;
	st->seg[SEG_DS] = st->seg[SEG_SS] = st->seg[SEG_ES] = data;
	st->seg[SEG_TR] = tss;
	return 0;
}

/* Control registers and EFER a guest may hold, in combinations VMRUN
 * takes; EFER.LMA made to follow LME and paging. */
static int check_control(struct staged *st)
{
	bool paging = st->cr0 & HV_X86_CR0_PG;
	bool lme = st->efer & HV_X86_EFER_LME;

	if ((st->cr0 & ~CR0_ALLOWED) || (st->cr4 & ~CR4_ALLOWED) ||
	    (st->efer & ~EFER_ALLOWED))
		return -HV_EINVAL;
	if ((paging && !(st->cr0 & HV_X86_CR0_PE)) ||
	    ((st->cr0 & CR0_NW) && !(st->cr0 & CR0_CD)))
		return -HV_EINVAL;
	if (lme && paging && !(st->cr4 & HV_X86_CR4_PAE))
		return -HV_EINVAL;
	if ((st->seg[SEG_CS].attrib & HV_X86_SEG_L) &&
	    (st->seg[SEG_CS].attrib & HV_X86_SEG_DB))
		return -HV_EINVAL;
	st->efer &= ~HV_X86_EFER_LMA;
	if (lme && paging)
		st->efer |= HV_X86_EFER_LMA;
	return 0;
}

int hv_x86_load_hvm_context(struct hv_x86_vmcb *vmcb, uint64_t gpr[16],
			    const struct vcpu_hvm_context *ctx)
{
	struct hv_x86_vmcb_save *s = &vmcb->save;
	struct staged st;
	int err;

	memset(&st, 0, sizeof(st));
	if (ctx->pad)
		return -HV_EINVAL;
	if (ctx->mode == VCPU_HVM_MODE_32B)
		err = stage32(&st, &ctx->cpu_regs.x86_32);
	else if (ctx->mode == VCPU_HVM_MODE_64B)
		err = stage64(&st, &ctx->cpu_regs.x86_64);
	else
		err = -HV_EINVAL;
	if (!err)
		err = check_control(&st);
	if (err)
		return err;

	memset(gpr, 0, 16 * sizeof(gpr[0]));
	memcpy(gpr, st.gpr, sizeof(st.gpr));
	s->cs = st.seg[SEG_CS];
	s->ds = s->fs = s->gs = st.seg[SEG_DS];
	s->ss = st.seg[SEG_SS];
	s->es = st.seg[SEG_ES];
	s->tr = st.seg[SEG_TR];
	memset(&s->ldtr, 0, sizeof(s->ldtr));
	memset(&s->gdtr, 0, sizeof(s->gdtr));
	memset(&s->idtr, 0, sizeof(s->idtr));
	s->cpl = (uint8_t)dpl(&s->ss);
	s->rip = st.rip;
	s->rflags = st.rflags | RFLAGS_RESERVED;
	s->cr0 = st.cr0;
	s->cr3 = st.cr3;
	s->cr4 = st.cr4;
	s->efer = st.efer | HV_X86_EFER_SVME;
	/* A fresh start: nothing left to deliver from before. */
	vmcb->control.eventinj = 0;
	vmcb->control.interrupt_shadow = 0;
	hv_x86_vmcb_close_window(vmcb);
	return 0;
}
