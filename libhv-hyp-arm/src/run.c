/*
 * The adapter's run-loop ops (the core's struct hv_hyp_arch_ops): loading
 * a vCPU, the EL2 timer (CNTHP) that ends its slice, running it and
 * dispatching its exits, a blocked vCPU's wake-up by its timers,
 * sleeping when nothing is runnable, and kicking another pCPU (an SGI,
 * which ends its sleep or makes its guest exit).
 * Each op runs on the pCPU it is given and touches only that pCPU's
 * registers; what reaches a vCPU from elsewhere (an event) waits in its
 * vcpu_arch until the pCPU that runs it enters it.
 */
#include "priv.h"

#include <hv/arm_stage2.h>

#define CNTV_CTL_ENABLE 0x1u
#define CNTV_CTL_IMASK	0x2u

/* GUEST_EVTCHN_PPI in Xen's arch-arm.h, which only toolstacks see. */
#define EVTCHN_PPI 31

static void vcpu_load(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v)
{
	struct hv_hyp_arm_pcpu *pa = pcpu_arch(p);

	if (p->loaded) {
		struct hv_arm_vcpu *old = &vcpu_arch(p->loaded)->cpu;

		hv_arm_vcpu_put(old);
		hv_arm_gic_vcpu_put(&pa->gic, &old->vgic);
		hyp_arm_vtimer_unlink(pa, &old->vgic);
		hyp_arm_ptimer_put();
	}
	if (v) {
		hv_arm_vcpu_load(&vcpu_arch(v)->cpu);
		hv_arm_gic_vcpu_load(&pa->gic, &vcpu_arch(v)->cpu.vgic);
		hyp_arm_ptimer_load(v);
	}
}

/* When a blocked vCPU's virtual or physical timer wakes it (its state is
 * in memory: the core unloads a vCPU that stops), or HV_TIME_NEVER. */
static hv_time_t vcpu_wake_time(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v)
{
	const struct hv_arm_el1_regs *r = &vcpu_arch(v)->cpu.el1;
	hv_time_t phys = hyp_arm_ptimer_wake_time(arm_of(p->hyp), v);
	hv_time_t virt;

	if ((r->cntv_ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK)) !=
	    CNTV_CTL_ENABLE)
		return phys;
	virt = hv_arm_ticks_to_ns(&arm_of(p->hyp)->timer, r->cntv_cval);
	return virt < phys ? virt : phys;
}

/* Interrupt `intid` is the console's receive interrupt (if it has one:
 * INTID 0 is the kick). */
static bool is_console_rx(struct hv_hyp_pcpu *p, unsigned int intid)
{
	unsigned int console = arm_of(p->hyp)->console_intid;

	return console && intid == console;
}

/* What was typed at the console, for the domain that has it. */
static void console_rx(struct hv_hyp_pcpu *p)
{
	char buf[64];
	size_t n = hv_pl011_read(arm_of(p->hyp)->console, buf, sizeof(buf));

	hv_hyp_console_input(p, buf, n);
}

/* Nothing to run: sleep until `until` (the EL2 timer) or an interrupt. */
static void idle(struct hv_hyp_pcpu *p, hv_time_t until)
{
	unsigned int intid;

	hv_arm_timer_set(&arm_of(p->hyp)->timer, until);
	/* A kick sent since the caller last looked is pending: no wait. */
	__asm__ __volatile__("wfi" ::: "memory");
	/* The tick, a kick or console input (no vCPU loaded). */
	intid = hv_arm_gic_ack();
	if (intid == HV_ARM_INTID_SPURIOUS)
		return;
	hv_arm_gic_eoi(intid);
	if (is_console_rx(p, intid))
		console_rx(p);
	hv_arm_gic_deactivate(intid);
}

static void irq_exit(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v)
{
	unsigned int intid = hv_arm_gic_ack();

	vcpu_arch(v)->exit_intid = intid;
	if (intid == HV_ARM_INTID_SPURIOUS)
		return;
	hv_arm_gic_eoi(intid);
	if (intid == HV_ARM_PPI_VIRT_TIMER) {
		hyp_arm_vtimer_fired(pcpu_arch(p), v);
		return;
	}
	if (intid == HV_ARM_PPI_PHYS_TIMER)
		hyp_arm_ptimer_fired(v);
	if (is_console_rx(p, intid))
		console_rx(p);
	hv_arm_gic_deactivate(intid);
	if (intid == HV_ARM_PPI_HYP_TIMER)
		hv_hyp_tick(p);
	/* HV_HYP_ARM_SGI_KICK: the core has set what p is to look at;
	 * HV_ARM_PPI_MAINTENANCE: the list registers want a look, which
	 * every exit gives them. */
}

static void vcpu_exit(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v)
{
	switch (vcpu_arch(v)->exit_kind) {
	case HV_ARM_EXIT_SYNC:
		hyp_arm_sync_exit(v);
		break;
	case HV_ARM_EXIT_IRQ:
		irq_exit(p, v);
		break;
	default:
		hv_hyp_crash(v, "%s from the guest",
			     vcpu_arch(v)->exit_kind == HV_ARM_EXIT_FIQ
				 ? "FIQ"
				 : "SError");
		break;
	}
}

/* For the trace: a synchronous exit's exception class (ESR_EL2.EC),
 * 0x100 + the INTID of an interrupt, 0x200 for an FIQ, 0x300 an SError. */
static uint32_t exit_reason(struct hv_hyp_vcpu *v)
{
	switch (vcpu_arch(v)->exit_kind) {
	case HV_ARM_EXIT_SYNC:
		return hv_arm_esr_ec(vcpu_arch(v)->cpu.exit.esr);
	case HV_ARM_EXIT_IRQ:
		return 0x100 + vcpu_arch(v)->exit_intid;
	case HV_ARM_EXIT_FIQ:
		return 0x200;
	default:
		return 0x300;
	}
}

static void vcpu_run(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v)
{
	hyp_arm_lrs_flush(pcpu_arch(p), v);
	vcpu_arch(v)->exit_kind = hv_arm_vcpu_run(&vcpu_arch(v)->cpu);
	hyp_arm_lrs_sync(pcpu_arch(p), v);
}

static hv_time_t now(struct hv_hyp *core)
{
	return hv_arm_timer_now(&arm_of(core)->timer);
}

static void timer_set(struct hv_hyp_pcpu *p, hv_time_t deadline)
{
	hv_arm_timer_set(&arm_of(p->hyp)->timer, deadline);
}

/* An event: Xen's event-channel interrupt, PPI 31. */
static void upcall(struct hv_hyp_vcpu *v)
{
	hyp_arm_vcpu_inject(v, EVTCHN_PPI);
}

static void kick(struct hv_hyp_pcpu *p)
{
	hv_arm_gic_send_sgi(pcpu_arch(p)->mpidr, HV_HYP_ARM_SGI_KICK);
}

static void console_write(struct hv_hyp *core, const char *s, size_t len)
{
	hv_pl011_write(arm_of(core)->console, s, len);
}

const struct hv_hyp_arch_ops hv_hyp_arm_ops = {
    .name = "aarch64",
    .p2m_format = &hv_arm_stage2_ipa40,
    .xenmem_abi = &hv_mm_xenmem_arm,
    .xen_arch = HV_XEN_ARCH_ARM,
    .shared_info_moves = false, /* -EBUSY, as Xen 4.17+ on Arm */
    /* GUEST_MAGIC_BASE (xen/arch-arm.h, toolstack-only there): the
     * first magic page, where Xen's toolstack puts the console ring. */
    .console_ring_gpa = 0x39000000,
    .vcpu_ops = HV_HYP_VCPU_OPS_ARM,
    .vcpu_op_refused = -HV_EINVAL,
    .domain_size = sizeof(struct domain_arch),
    .vcpu_size = sizeof(struct vcpu_arch),
    .domain_init = hyp_arm_domain_init,
    .domain_destroy = hyp_arm_domain_destroy,
    .vcpu_load = vcpu_load,
    .vcpu_run = vcpu_run,
    .vcpu_exit = vcpu_exit,
    .exit_reason = exit_reason,
    .vcpu_wake_time = vcpu_wake_time,
    .now = now,
    .timer_set = timer_set,
    .idle = idle,
    .kick = kick,
    .p2m_flush = hyp_arm_p2m_flush,
    .upcall = upcall,
    .console_write = console_write,
    .console_input = hyp_arm_vpl011_input,
    .console_rx = true, /* the PL011's receive interrupt */
    .guest_vmem = hyp_arm_gmem_guest_va,
    /* The hypervisor runs on an identity map. */
    .phys_to_virt = hv_hyp_identity_phys_to_virt,
    .virt_to_phys = hv_hyp_identity_virt_to_phys,
};
