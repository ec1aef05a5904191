/*
 * Filling and reading a VMCB: the PVH start state, the guest's mode and
 * privilege, event injection and interrupt windows (AMD APM vol. 2, 15.5
 * "VMRUN", 15.20 "Event injection", 15.21 "Interrupt and LocalAPIC
 * support").
 */
#include <hv/string.h>
#include <hv/x86_vmcb.h>

#define CR0_PVH		(HV_X86_CR0_PE | HV_X86_CR0_ET)
#define RFLAGS_RESERVED 0x2ull
#define DR6_INIT	0xffff0ff0ull
#define DR7_INIT	0x400ull
#define PAT_DEFAULT	0x0007040600070406ull
#define FLAT_LIMIT	0xffffffffu
#define TSS32_LIMIT	0x67u
#define GUEST_CODE_SEL	0x08
#define GUEST_DATA_SEL	0x10
#define GPR_RBX		3

#define INTERCEPTS1                                                            \
	(HV_X86_INTERCEPT1_INTR | HV_X86_INTERCEPT1_NMI |                      \
	 HV_X86_INTERCEPT1_SMI | HV_X86_INTERCEPT1_INIT |                      \
	 HV_X86_INTERCEPT1_CPUID | HV_X86_INTERCEPT1_HLT |                     \
	 HV_X86_INTERCEPT1_INVLPGA | HV_X86_INTERCEPT1_IOIO |                  \
	 HV_X86_INTERCEPT1_MSR | HV_X86_INTERCEPT1_SHUTDOWN |                  \
	 HV_X86_INTERCEPT1_RDPMC | HV_X86_INTERCEPT1_INVD)
#define INTERCEPTS2                                                            \
	(HV_X86_INTERCEPT2_VMRUN | HV_X86_INTERCEPT2_VMMCALL |                 \
	 HV_X86_INTERCEPT2_VMLOAD | HV_X86_INTERCEPT2_VMSAVE |                 \
	 HV_X86_INTERCEPT2_STGI | HV_X86_INTERCEPT2_CLGI |                     \
	 HV_X86_INTERCEPT2_SKINIT | HV_X86_INTERCEPT2_MONITOR |                \
	 HV_X86_INTERCEPT2_MWAIT | HV_X86_INTERCEPT2_XSETBV |                  \
	 HV_X86_INTERCEPT2_WBINVD)

/* Segment attributes after INIT (SDM table 9-1): present, accessed
 * read/write data and execute/read code, an LDT, a busy 16-bit TSS. */
#define REAL_CODE 0x9bu
#define REAL_DATA 0x93u
#define REAL_LDT  0x82u
#define REAL_TSS  0x83u

static struct hv_x86_vmcb_seg flat(uint16_t sel, uint16_t attrib)
{
	struct hv_x86_vmcb_seg s = {sel, attrib, FLAT_LIMIT, 0};

	return s;
}

void hv_x86_vmcb_init_pvh(struct hv_x86_vmcb *vmcb, uint64_t gpr[16],
			  const struct hv_x86_vmcb_setup *setup)
{
	struct hv_x86_vmcb_control *c = &vmcb->control;
	struct hv_x86_vmcb_save *s = &vmcb->save;

	memset(vmcb, 0, sizeof(*vmcb));
	memset(gpr, 0, 16 * sizeof(gpr[0]));
	/* CR4 writes are checked against what the guest's CPUID offers:
	 * VMRUN refuses a CR4 with a bit the CPU lacks, which a CPU (or QEMU)
	 * may have let the guest write. */
	c->intercept_cr = HV_X86_INTERCEPT_CR4_WRITE;
	c->intercept_misc1 = INTERCEPTS1;
	c->intercept_misc2 = INTERCEPTS2;
	c->iopm_base_pa = setup->iopm_pa;
	c->msrpm_base_pa = setup->msrpm_pa;
	c->asid = setup->asid;
	c->tlb_control = HV_X86_TLB_FLUSH_ALL;
	c->vintr = HV_X86_VINTR_MASKING;
	c->nested_ctl = 1;
	c->ncr3 = setup->ncr3;

	s->cs = flat(GUEST_CODE_SEL, HV_X86_SEG_CODE32);
	s->ds = s->es = s->ss = s->fs = s->gs =
	    flat(GUEST_DATA_SEL, HV_X86_SEG_DATA32);
	s->tr.attrib = HV_X86_SEG_TSS32_BUSY;
	s->tr.limit = TSS32_LIMIT;
	/* SVME must stay set in the VMCB for VMRUN to accept it; the
	 * guest never sees it (EFER reads are emulated). */
	s->efer = HV_X86_EFER_SVME;
	s->cr0 = CR0_PVH;
	s->rflags = RFLAGS_RESERVED;
	s->rip = setup->entry;
	s->dr6 = DR6_INIT;
	s->dr7 = DR7_INIT;
	s->g_pat = PAT_DEFAULT;
	gpr[GPR_RBX] = setup->start_info;
}

/* A real-mode segment: base selector << 4, 64 KiB. */
static struct hv_x86_vmcb_seg real(uint16_t sel, uint16_t attrib)
{
	struct hv_x86_vmcb_seg s = {sel, attrib, 0xffff, (uint64_t)sel << 4};

	return s;
}

void hv_x86_vmcb_startup(struct hv_x86_vmcb *vmcb, uint64_t gpr[16],
			 uint8_t vector)
{
	struct hv_x86_vmcb_save *s = &vmcb->save;
	uint64_t pat = s->g_pat;

	memset(s, 0, sizeof(*s));
	memset(gpr, 0, 16 * sizeof(gpr[0]));
	vmcb->control.eventinj = 0;
	vmcb->control.interrupt_shadow = 0;
	vmcb->control.tlb_control = HV_X86_TLB_FLUSH_ALL;
	hv_x86_vmcb_close_window(vmcb);
	s->cs = real((uint16_t)(vector << 8), REAL_CODE);
	s->ds = s->es = s->ss = s->fs = s->gs = real(0, REAL_DATA);
	s->gdtr.limit = s->idtr.limit = 0xffff;
	s->ldtr = real(0, REAL_LDT);
	s->tr = real(0, REAL_TSS);
	s->efer = HV_X86_EFER_SVME;
	s->cr0 = HV_X86_CR0_ET;
	s->rflags = RFLAGS_RESERVED;
	s->dr6 = DR6_INIT;
	s->dr7 = DR7_INIT;
	s->g_pat = pat;
}

enum hv_x86_mode hv_x86_vmcb_mode(const struct hv_x86_vmcb *vmcb)
{
	const struct hv_x86_vmcb_save *s = &vmcb->save;

	if (!(s->cr0 & HV_X86_CR0_PE))
		return HV_X86_MODE_REAL;
	if ((s->efer & HV_X86_EFER_LMA) && (s->cs.attrib & HV_X86_SEG_L))
		return HV_X86_MODE_LONG64;
	if (s->rflags & HV_X86_RFLAGS_VM)
		return HV_X86_MODE_VM86;
	return s->cs.attrib & HV_X86_SEG_DB ? HV_X86_MODE_PROT32
					    : HV_X86_MODE_PROT16;
}

unsigned int hv_x86_vmcb_cpl(const struct hv_x86_vmcb *vmcb)
{
	switch (hv_x86_vmcb_mode(vmcb)) {
	case HV_X86_MODE_REAL:
		return 0;
	case HV_X86_MODE_VM86:
		return 3;
	default:
		return (vmcb->save.ss.attrib >> HV_X86_SEG_DPL_SHIFT) & 3;
	}
}

void hv_x86_vmcb_inject_exception(struct hv_x86_vmcb *vmcb, unsigned int vector,
				  bool has_error, uint32_t error_code)
{
	uint64_t e =
	    HV_X86_EVENT_VALID | HV_X86_EVENT_TYPE_EXCEPTION | (vector & 0xff);

	if (has_error)
		e |= HV_X86_EVENT_ERROR_VALID | (uint64_t)error_code << 32;
	vmcb->control.eventinj = e;
}

#define VIRQ_FIELDS                                                            \
	(HV_X86_VINTR_V_IRQ | HV_X86_VINTR_IGN_TPR |                           \
	 0xfull << HV_X86_VINTR_PRIO_SHIFT | 0xffull << HV_X86_VINTR_VECTOR_SHIFT)

/* The virtual interrupt `vector`, taken whatever the guest's TPR, at top
 * priority. */
static void set_virq(struct hv_x86_vmcb *vmcb, uint8_t vector)
{
	vmcb->control.vintr = (vmcb->control.vintr & ~VIRQ_FIELDS) |
			      HV_X86_VINTR_V_IRQ | HV_X86_VINTR_IGN_TPR |
			      0xfull << HV_X86_VINTR_PRIO_SHIFT |
			      (uint64_t)vector << HV_X86_VINTR_VECTOR_SHIFT;
}

/* An interrupt injected as a virtual one (no VINTR intercept) that the
 * guest has not taken yet: the CPU clears V_IRQ when it takes it. */
static bool virq_injected(const struct hv_x86_vmcb *vmcb)
{
	return (vmcb->control.vintr & HV_X86_VINTR_V_IRQ) &&
	       !(vmcb->control.intercept_misc1 & HV_X86_INTERCEPT1_VINTR);
}

/*
 * An event the exit interrupted goes in again.  QEMU's TCG records an
 * interrupt it was delivering (a virtual one among them) as an exception,
 * which VMRUN refuses for a vector above 31: such a one goes back in as
 * the virtual interrupt it was.
 */
void hv_x86_vmcb_reinject(struct hv_x86_vmcb *vmcb)
{
	uint64_t e = vmcb->control.exitintinfo;

	if (!(e & HV_X86_EVENT_VALID))
		return;
	if ((e & HV_X86_EVENT_TYPE_MASK) == HV_X86_EVENT_TYPE_EXCEPTION &&
	    (e & 0xff) >= 32) {
		vmcb->control.intercept_misc1 &= ~HV_X86_INTERCEPT1_VINTR;
		set_virq(vmcb, (uint8_t)e);
		return;
	}
	vmcb->control.eventinj = e;
}

bool hv_x86_vmcb_interruptible(const struct hv_x86_vmcb *vmcb)
{
	return (vmcb->save.rflags & HV_X86_RFLAGS_IF) &&
	       !(vmcb->control.interrupt_shadow & HV_X86_INTERRUPT_SHADOW) &&
	       !(vmcb->control.eventinj & HV_X86_EVENT_VALID) &&
	       !virq_injected(vmcb);
}

void hv_x86_vmcb_close_window(struct hv_x86_vmcb *vmcb)
{
	vmcb->control.vintr &= ~VIRQ_FIELDS;
	vmcb->control.intercept_misc1 &= ~HV_X86_INTERCEPT1_VINTR;
}

/*
 * An interrupt the guest can take now goes in as a virtual interrupt
 * (V_IRQ without the VINTR intercept), which the CPU delivers before the
 * guest's first instruction, as it would EVENTINJ.  Not EVENTINJ: QEMU
 * 7.2's VMRUN delivers an injected INTR but leaves it as the CPU's
 * pending exception, and the next time the CPU's thread is asked to leave
 * its loop (a kick, another thread's request) it delivers it again, with
 * interrupts off: Linux took its timer upcall a second time inside
 * timekeeping_advance, while it held tk_core.seq, and every CPU spun in
 * ktime_get for good (docs/x86.md).  A virtual interrupt QEMU takes on
 * its interrupt path, once.
 *
 * Else a window: the virtual interrupt with the VINTR intercept, which
 * exits as soon as the guest can take it, and the next entry injects.
 * An injected one not taken yet (an exit came first) stays and goes
 * first; a window already open for another vector gives way to this one.
 */
bool hv_x86_vmcb_inject_intr(struct hv_x86_vmcb *vmcb, uint8_t vector)
{
	if (hv_x86_vmcb_interruptible(vmcb)) {
		hv_x86_vmcb_close_window(vmcb);
		set_virq(vmcb, vector);
		return true;
	}
	if (virq_injected(vmcb))
		return false;
	hv_x86_vmcb_close_window(vmcb);
	set_virq(vmcb, vector);
	vmcb->control.intercept_misc1 |= HV_X86_INTERCEPT1_VINTR;
	return false;
}

bool hv_x86_vmcb_in_sti_shadow(const struct hv_x86_vmcb *vmcb)
{
	return (vmcb->save.rflags & HV_X86_RFLAGS_IF) &&
	       (vmcb->control.interrupt_shadow & HV_X86_INTERRUPT_SHADOW) &&
	       !(vmcb->control.eventinj & HV_X86_EVENT_VALID);
}

uint64_t hv_x86_vmcb_rip_linear(const struct hv_x86_vmcb *vmcb)
{
	if (hv_x86_vmcb_mode(vmcb) == HV_X86_MODE_LONG64)
		return vmcb->save.rip;
	return (uint32_t)(vmcb->save.cs.base + vmcb->save.rip);
}

void hv_x86_vmcb_skip(struct hv_x86_vmcb *vmcb, uint64_t len)
{
	vmcb->save.rip += len;
	vmcb->control.interrupt_shadow &= ~HV_X86_INTERRUPT_SHADOW;
}
