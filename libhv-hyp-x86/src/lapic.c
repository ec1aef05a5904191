/*
 * Each vCPU's local APIC (libhv-x86's model, <hv/x86_vlapic.h>), as Xen
 * gives every PVH guest one: the xAPIC page at 0xfee00000, which nothing
 * maps in the P2M, so each access is a nested page fault decoded by
 * exit_npf.c and answered here; in x2APIC mode the MSRs 0x800-0x8ff
 * instead (exit_msr.c), with no instruction to decode; the APIC base MSR,
 * which moves between the modes as a CPU's does; IPIs to the domain's
 * vCPUs (fixed ones raise the vector and wake or kick the target; INIT
 * and STARTUP start a vCPU that is down in real mode, as Linux brings up
 * its CPUs); and the timer, whose deadline wakes a blocked vCPU (the
 * core's vcpu_wake_time) or ends a running one's run (run.c).
 */
#include "priv.h"

#define HLT_OPCODE 0xf4

static struct hv_hyp *core_of(struct hv_hyp_vcpu *v)
{
	return v->dom->hyp;
}

static hv_time_t now_of(struct hv_hyp_vcpu *v)
{
	return core_of(v)->arch->now(core_of(v));
}

void hyp_x86_lapic_reset(struct hv_hyp_vcpu *v)
{
	hv_x86_vlapic_reset(&vcpu_arch(v)->lapic, v->id);
	vcpu_arch(v)->lapic_on = true;
	vcpu_arch(v)->wait_sipi = false;
}

uint64_t hyp_x86_lapic_base(struct hv_hyp_vcpu *v)
{
	const struct vcpu_arch *a = vcpu_arch(v);

	return HV_X86_VLAPIC_BASE |
	       (a->lapic_on ? HV_X86_APIC_BASE_ENABLE : 0) |
	       (a->lapic_on && a->lapic.x2apic ? HV_X86_APIC_BASE_EXTD : 0) |
	       (v->id == 0 ? HV_X86_APIC_BASE_BSP : 0);
}

/*
 * The base cannot move; the enable and x2APIC bits change as SDM 11.12.5
 * lets them: disabled, xAPIC, x2APIC in that order, or back to disabled
 * from either; EXTD without the enable bit, or x2APIC straight from
 * disabled or back to xAPIC, is refused (#GP).  Enabling again starts
 * from the reset state.
 */
bool hyp_x86_lapic_set_base(struct hv_hyp_vcpu *v, uint64_t val)
{
	struct vcpu_arch *a = vcpu_arch(v);
	bool on = val & HV_X86_APIC_BASE_ENABLE;
	bool x2apic = val & HV_X86_APIC_BASE_EXTD;
	bool was_x2apic = a->lapic_on && a->lapic.x2apic;

	if ((val & ~(HV_X86_APIC_BASE_BSP | HV_X86_APIC_BASE_ENABLE |
		     HV_X86_APIC_BASE_EXTD)) != HV_X86_VLAPIC_BASE)
		return false;
	if ((x2apic && !on) || (x2apic && !a->lapic_on) ||
	    (was_x2apic && on && !x2apic))
		return false;
	if (on && !a->lapic_on)
		hv_x86_vlapic_reset(&a->lapic, v->id);
	if (x2apic && !was_x2apic)
		hv_x86_vlapic_enter_x2apic(&a->lapic);
	a->lapic_on = on;
	return true;
}

/* t has an interrupt to take: it wakes, or leaves the guest on the pCPU
 * running it (lock held). */
static void notify(struct hv_hyp_vcpu *t)
{
	struct hv_hyp_pcpu *p = &core_of(t)->pcpus[t->pcpu];

	hv_hyp_vcpu_wake(t);
	if (p->current == t)
		hv_hyp_pcpu_kick(p);
}

/* INIT resets a vCPU that is down and makes it wait for a STARTUP; a
 * running vCPU ignores it (Xen would reset it: no PVH guest asks).  The
 * APIC base MSR, x2APIC mode with it, survives an INIT (SDM 11.12.5.1). */
static void init(struct hv_hyp_vcpu *t)
{
	bool x2apic = vcpu_arch(t)->lapic_on && vcpu_arch(t)->lapic.x2apic;

	if (t->state != HV_HYP_VCPU_DOWN)
		return;
	hyp_x86_lapic_reset(t);
	if (x2apic)
		hv_x86_vlapic_enter_x2apic(&vcpu_arch(t)->lapic);
	vcpu_arch(t)->wait_sipi = true;
}

/* STARTUP: the waiting vCPU starts in real mode at vector << 12, with
 * vCPU 0's TSC (Xen keeps a domain's TSCs in step).  An upcall raised
 * while it was down stays latched: its event is still pending in the
 * vcpu_info, and no new event would raise another. */
static void startup(struct hv_hyp_vcpu *t, uint8_t vector)
{
	struct vcpu_arch *a = vcpu_arch(t);

	if (!a->wait_sipi || t->state != HV_HYP_VCPU_DOWN)
		return;
	a->wait_sipi = false;
	hv_x86_vmcb_startup(a->cpu.vmcb, a->cpu.gpr, vector);
	a->cpu.vmcb->control.tsc_offset =
	    vcpu_arch(&t->dom->vcpus[0])->cpu.vmcb->control.tsc_offset;
	hv_hyp_vcpu_set_state(t, HV_HYP_VCPU_RUNNABLE);
}

static void send_ipi(struct hv_hyp_vcpu *v, const struct hv_x86_vlapic_ipi *ipi)
{
	for (unsigned int i = 0; i < v->dom->nr_vcpus; i++) {
		struct hv_hyp_vcpu *t = &v->dom->vcpus[i];
		struct vcpu_arch *a = vcpu_arch(t);

		if (!a->lapic_on || !hv_x86_vlapic_ipi_targets(&a->lapic, ipi))
			continue;
		switch (ipi->mode) {
		case HV_X86_IPI_FIXED:
			hv_x86_vlapic_accept(&a->lapic, ipi->vector);
			notify(t);
			break;
		case HV_X86_IPI_INIT:
			init(t);
			break;
		case HV_X86_IPI_STARTUP:
			startup(t, ipi->vector);
			break;
		}
	}
}

/* The page decodes nothing in x2APIC mode (SDM 11.12.1). */
static bool on_page(struct hv_hyp_vcpu *v, hv_gpaddr_t gpa)
{
	return vcpu_arch(v)->lapic_on && !vcpu_arch(v)->lapic.x2apic &&
	       (gpa & ~(uint64_t)(HV_X86_VLAPIC_SIZE - 1)) ==
		   HV_X86_VLAPIC_BASE;
}

/* Registers are 32 bits wide, 16 bytes apart: a read gives the bytes of
 * the register it starts in (0 past its end); a write other than a whole
 * aligned register is dropped, as Xen does. */
bool hyp_x86_lapic_read(struct hv_hyp_vcpu *v, hv_gpaddr_t gpa, uint8_t *buf,
			unsigned int size)
{
	unsigned int off = gpa & (HV_X86_VLAPIC_SIZE - 1);
	uint32_t val;

	if (!on_page(v, gpa))
		return false;
	val = hv_x86_vlapic_read(&vcpu_arch(v)->lapic, off & ~3u, now_of(v));
	val >>= 8 * (off & 3);
	for (unsigned int i = 0; i < size; i++)
		buf[i] = i < 4 ? (uint8_t)(val >> 8 * i) : 0;
	return true;
}

bool hyp_x86_lapic_write(struct hv_hyp_vcpu *v, hv_gpaddr_t gpa,
			 const uint8_t *buf, unsigned int size)
{
	unsigned int off = gpa & (HV_X86_VLAPIC_SIZE - 1);
	struct hv_x86_vlapic_ipi ipi;
	uint32_t val;

	if (!on_page(v, gpa))
		return false;
	if (size != 4 || (off & 3))
		return true;
	val = (uint32_t)buf[0] | (uint32_t)buf[1] << 8 |
	      (uint32_t)buf[2] << 16 | (uint32_t)buf[3] << 24;
	if (hv_x86_vlapic_write(&vcpu_arch(v)->lapic, off, val, now_of(v),
				&ipi))
		send_ipi(v, &ipi);
	return true;
}

bool hyp_x86_lapic_msr_read(struct hv_hyp_vcpu *v, uint32_t msr, uint64_t *val)
{
	return vcpu_arch(v)->lapic_on &&
	       !hv_x86_vlapic_msr_read(&vcpu_arch(v)->lapic, msr, now_of(v),
				       val);
}

bool hyp_x86_lapic_msr_write(struct hv_hyp_vcpu *v, uint32_t msr, uint64_t val)
{
	struct hv_x86_vlapic_ipi ipi;
	int sent;

	if (!vcpu_arch(v)->lapic_on)
		return false;
	sent = hv_x86_vlapic_msr_write(&vcpu_arch(v)->lapic, msr, val,
				       now_of(v), &ipi);
	if (sent > 0)
		send_ipi(v, &ipi);
	return sent >= 0;
}

/*
 * The idiom "sti; hlt" halts with interrupts on, atomically: the HLT is in
 * STI's one-instruction shadow, where no interrupt is taken, so one that
 * comes in between wakes the HLT and returns after it.  A window opened
 * in the shadow should open after the HLT; QEMU's TCG opens it at the HLT
 * (measured: the VINTR exit at the HLT's address with the shadow gone), so
 * the handler returned to the HLT and the vCPU halted with the interrupt
 * it waited for already taken (the platform guest, 1 run in 10 under
 * load).  With an interrupt to deliver, complete the HLT as the CPU would:
 * step over it, and the interrupt goes in at once.
 */
static void complete_shadowed_hlt(struct hv_hyp_vcpu *v)
{
	struct hv_x86_vmcb *vmcb = vcpu_arch(v)->cpu.vmcb;
	struct hv_gmem gm;
	uint8_t insn;

	if (!hv_x86_vmcb_in_sti_shadow(vmcb))
		return;
	hyp_x86_gmem_linear(&gm, v);
	if (!hv_gmem_copy_from(&gm, &insn, hv_x86_vmcb_rip_linear(vmcb), 1) &&
	    insn == HLT_OPCODE)
		hv_x86_vmcb_skip(vmcb, 1);
}

bool hyp_x86_inject_intr(struct hv_hyp_vcpu *v, uint8_t vector)
{
	complete_shadowed_hlt(v);
	return hv_x86_vmcb_inject_intr(vcpu_arch(v)->cpu.vmcb, vector);
}

void hyp_x86_lapic_deliver(struct hv_hyp_vcpu *v, hv_time_t now)
{
	struct vcpu_arch *a = vcpu_arch(v);
	int vector;

	if (!a->lapic_on)
		return;
	hv_x86_vlapic_timer_fire(&a->lapic, now);
	vector = hv_x86_vlapic_pending(&a->lapic);
	if (vector >= 0 && hyp_x86_inject_intr(v, (uint8_t)vector))
		hv_x86_vlapic_ack(&a->lapic, (uint8_t)vector);
}

bool hyp_x86_lapic_has_work(struct hv_hyp_vcpu *v, hv_time_t now)
{
	struct vcpu_arch *a = vcpu_arch(v);

	if (!a->lapic_on)
		return false;
	hv_x86_vlapic_timer_fire(&a->lapic, now);
	return hv_x86_vlapic_pending(&a->lapic) >= 0;
}

/* Xen raises a per-vCPU upcall vector at the vCPU's local APIC, where the
 * guest ends it with an EOI; before the guest enables its APIC, the
 * interrupt goes in directly (run.c), as it does for the domain-wide
 * callback vector. */
bool hyp_x86_lapic_upcall(struct hv_hyp_vcpu *v, uint8_t vector)
{
	struct vcpu_arch *a = vcpu_arch(v);

	if (!a->lapic_on || !(a->lapic.svr & HV_X86_SVR_ENABLE))
		return false;
	hv_x86_vlapic_accept(&a->lapic, vector);
	notify(v);
	return true;
}

/* A masked timer expires without an interrupt: nothing to wake for. */
hv_time_t hyp_x86_lapic_wake_time(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v)
{
	const struct vcpu_arch *a = vcpu_arch(v);

	(void)p;
	if (!a->lapic_on || (a->lapic.lvt[0] & HV_X86_LVT_MASKED))
		return HV_TIME_NEVER;
	return hv_x86_vlapic_timer_deadline(&a->lapic);
}
