/*
 * The AArch64 adapter's run-loop ops (the core's struct hv_hyp_arch_ops):
 * loading a vCPU, the EL2 timer (CNTHP) that ends its slice, running it
 * and handling every guest exit, a blocked vCPU's wake-up by its virtual
 * timer, sleeping when nothing is runnable, and kicking another pCPU (an
 * SGI, which ends its sleep or makes its guest exit).
 * Each op runs on the pCPU it is given and touches only that pCPU's
 * registers; what reaches a vCPU from elsewhere (an event) waits in its
 * vcpu_arch until the pCPU that runs it enters it.
 * A guest that does something the hypervisor cannot allow (touches memory
 * it does not own, takes an exception hvkit does not emulate) is crashed
 * with a message; the others go on.
 */
#include "hyp.h"

#include <hv/arm_psci.h>
#include <hv/arm_stage2.h>
#include <hv/arm_trap.h>

#include <xen/sched.h>
#include <xen/xen.h>

#define CNTV_CTL_ENABLE 0x1u
#define CNTV_CTL_IMASK	0x2u
/* List register: pending, group 1, hardware-linked to the same INTID. */
#define LR_PENDING     (1ull << 62)
#define LR_HW	       (1ull << 61)
#define LR_GROUP1      (1ull << 60)
#define LR_PRIORITY(p) ((uint64_t)(p) << 48)
#define LR_PINTID(i)   ((uint64_t)(i) << 32)

#define LR_STATE(lr)	  ((lr) >> 62)
#define LR_VINTID(lr)	  ((unsigned int)(lr))
#define LR_PENDING_ACTIVE 3u

static struct hyp_pcpu_arch *pcpu_arch(struct hv_hyp_pcpu *p)
{
	return p->arch;
}

/* The pCPU this code runs on. */
static unsigned int this_pcpu(void)
{
	return hv_container_of(hv_arm_cpu_this(), struct hyp_pcpu_arch, cpu)
	    ->id;
}

/*
 * A vCPU leaves this pCPU (its list registers are in memory): the
 * physical virtual-timer interrupt a list register is linked to is this
 * pCPU's, so end it here and keep only the virtual one, which the guest
 * ends alone wherever it runs next.
 */
static void vtimer_unlink(struct hyp_pcpu_arch *pa, struct hv_arm_vgic_regs *g)
{
	for (unsigned int i = 0; i < pa->gic.nr_lr; i++)
		if ((g->lr[i] & LR_HW) && LR_STATE(g->lr[i])) {
			g->lr[i] &= ~(LR_HW | LR_PINTID(0x3ff));
			pa->vtimer_active = true;
		}
	if (pa->vtimer_active)
		hv_arm_gic_deactivate(HV_ARM_PPI_VIRT_TIMER);
	pa->vtimer_active = false;
}

static void vcpu_load(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v)
{
	struct hyp_pcpu_arch *pa = pcpu_arch(p);

	if (p->loaded) {
		struct hv_arm_vcpu *old = &vcpu_arch(p->loaded)->cpu;

		hv_arm_vcpu_put(old);
		hv_arm_gic_vcpu_put(&pa->gic, &old->vgic);
		vtimer_unlink(pa, &old->vgic);
	}
	if (v) {
		hv_arm_vcpu_load(&vcpu_arch(v)->cpu);
		hv_arm_gic_vcpu_load(&pa->gic, &vcpu_arch(v)->cpu.vgic);
	}
}

/* When a blocked vCPU's virtual timer wakes it (its state is in memory:
 * the core unloads a vCPU that stops), or HV_TIME_NEVER. */
static hv_time_t vcpu_wake_time(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v)
{
	const struct hv_arm_el1_regs *r = &vcpu_arch(v)->cpu.el1;

	if ((r->cntv_ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK)) !=
	    CNTV_CTL_ENABLE)
		return HV_TIME_NEVER;
	return hv_arm_ticks_to_ns(&hyp_of(p->hyp)->arch.timer, r->cntv_cval);
}

/* Nothing to run: sleep until `until` (the EL2 timer) or an interrupt. */
static void idle(struct hv_hyp_pcpu *p, hv_time_t until)
{
	struct hyp *h = hyp_of(p->hyp);
	unsigned int intid;

	hv_arm_timer_set(&h->arch.timer, until);
	/* A kick sent since the caller last looked is pending: no wait. */
	__asm__ __volatile__("wfi" ::: "memory");
	intid = hv_arm_gic_ack(); /* the tick or a kick (no vCPU loaded) */
	if (intid != HV_ARM_INTID_SPURIOUS) {
		hv_arm_gic_eoi(intid);
		hv_arm_gic_deactivate(intid);
	}
}

/* HVC #0xEA1: x16 is the hypercall's number, x0-x4 its arguments, its
 * pointers guest-virtual. */
static void hypercall(struct hv_hyp_vcpu *v)
{
	uint64_t *x = vcpu_arch(v)->cpu.x;
	struct hv_gmem gm;

	hyp_gmem_guest_va(&gm, v);
	x[0] = (uint64_t)hv_hyp_hypercall(v, &gm, x[16], x);
}

static void psci(struct hv_hyp_vcpu *v)
{
	struct hv_hyp_domain *d = v->dom;
	struct hv_arm_psci_call call = {.fid = vcpu_arch(v)->cpu.x[0],
					.arg = {vcpu_arch(v)->cpu.x[1],
						vcpu_arch(v)->cpu.x[2],
						vcpu_arch(v)->cpu.x[3]}};
	struct hv_arm_psci_result r;
	HV_DECLARE_BITMAP(online, HYP_MAX_VCPUS) = {0};

	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		if (d->vcpus[i].state != HV_HYP_VCPU_DOWN)
			hv_bitmap_set(online, i);
	hv_arm_psci(&call, d->nr_vcpus, online, &r);
	switch (r.action) {
	case HV_PSCI_ACT_SUSPEND:
		hv_hyp_vcpu_block(v);
		break;
	case HV_PSCI_ACT_CPU_ON:
		/* A stopped vCPU: the core left its state in memory. */
		hyp_vcpu_start(&d->vcpus[r.target], r.entry, r.context);
		break;
	case HV_PSCI_ACT_CPU_OFF:
		hv_hyp_vcpu_set_state(v, HV_HYP_VCPU_DOWN);
		break;
	case HV_PSCI_ACT_SYSTEM_OFF:
		hv_xen_domain_shutdown(&d->xen, SHUTDOWN_poweroff);
		break;
	case HV_PSCI_ACT_SYSTEM_RESET:
		hv_xen_domain_shutdown(&d->xen, SHUTDOWN_reboot);
		break;
	case HV_PSCI_ACT_NONE:
		break;
	}
	vcpu_arch(v)->cpu.x[0] = (uint64_t)r.ret;
}

static void hvc(struct hv_hyp_vcpu *v, uint64_t esr)
{
	switch (hv_arm_esr_imm16(esr)) {
	case XEN_HYPERCALL_TAG:
		hypercall(v);
		break;
	case 0: /* SMCCC: PSCI */
		psci(v);
		break;
	default: /* as Xen: undefined instruction for the guest */
		hv_arm_vcpu_inject_undef(&vcpu_arch(v)->cpu);
		break;
	}
}

static void data_abort(struct hv_hyp_vcpu *v, const struct hv_arm_exit *e)
{
	struct hv_arm_dabt d;

	hv_arm_decode_dabt(e->esr, e->hpfar, e->far, &d);
	if (hyp_vpl011_access(v, &d))
		return;
	hv_hyp_crash(v, "%s at IPA %#llx, outside its memory (pc %#llx)",
		     d.write ? "write" : "read", (unsigned long long)d.ipa,
		     (unsigned long long)vcpu_arch(v)->cpu.pc);
}

static void sync_exit(struct hv_hyp_vcpu *v)
{
	const struct hv_arm_exit *e = &vcpu_arch(v)->cpu.exit;
	unsigned int ec = hv_arm_esr_ec(e->esr);

	switch (ec) {
	case HV_ARM_EC_HVC64:
		hvc(v, e->esr);
		break;
	case HV_ARM_EC_SMC64: /* trapped: ELR is the smc itself */
		vcpu_arch(v)->cpu.pc += 4;
		psci(v);
		break;
	case HV_ARM_EC_WFX: /* ELR is the wfi/wfe itself */
		vcpu_arch(v)->cpu.pc += 4;
		if (hv_arm_esr_is_wfe(e->esr))
			hv_hyp_vcpu_yield(v);
		else
			hv_hyp_vcpu_block(v);
		break;
	case HV_ARM_EC_DABT_LOWER:
		data_abort(v, e);
		break;
	case HV_ARM_EC_SYSREG:
		hv_arm_vcpu_inject_undef(&vcpu_arch(v)->cpu);
		break;
	default:
		hv_hyp_crash(v,
			     "unhandled exception %s (ESR %#llx) at pc %#llx",
			     hv_arm_ec_name(ec), (unsigned long long)e->esr,
			     (unsigned long long)vcpu_arch(v)->cpu.pc);
		break;
	}
}

/* Put virtual interrupt `intid` in a free list register, linked to the
 * physical one of the same INTID if `hw`; false if none is free. */
static bool lr_add(struct hyp_pcpu_arch *pa, struct hv_arm_vgic_regs *g,
		   unsigned int intid, bool hw)
{
	for (unsigned int i = 0; i < pa->gic.nr_lr; i++)
		if (!LR_STATE(g->lr[i])) {
			g->lr[i] = LR_PENDING | LR_GROUP1 | LR_PRIORITY(0xa0) |
				   intid | (hw ? LR_HW | LR_PINTID(intid) : 0);
			return true;
		}
	return false; /* every list register busy: a level source re-fires */
}

static uint64_t *lr_find(struct hyp_pcpu_arch *pa, struct hv_arm_vgic_regs *g,
			 unsigned int intid)
{
	for (unsigned int i = 0; i < pa->gic.nr_lr; i++)
		if (LR_STATE(g->lr[i]) && LR_VINTID(g->lr[i]) == intid)
			return &g->lr[i];
	return NULL;
}

/* Make the interrupts in `irqs` pending for v, loaded here (the list
 * registers hold the truth: read them back first). */
static void lrs_fill(struct hyp_pcpu_arch *pa, struct hv_hyp_vcpu *v,
		     uint32_t irqs)
{
	struct hv_arm_vgic_regs *g = &vcpu_arch(v)->cpu.vgic;

	hv_arm_gic_vcpu_put(&pa->gic, g);
	for (unsigned int intid = 0; intid < 32; intid++)
		if (irqs & 1u << intid && !lr_find(pa, g, intid))
			lr_add(pa, g, intid, false);
	hv_arm_gic_vcpu_load(&pa->gic, g);
}

void hyp_vcpu_inject(struct hv_hyp_vcpu *v, unsigned int intid)
{
	struct hv_hyp *core = v->dom->hyp;
	struct hv_hyp_pcpu *p = &core->pcpus[v->pcpu];

	hv_atomic_fetch_or_u32(&vcpu_arch(v)->irqs, 1u << intid);
	/* Running on another pCPU: make it exit and enter again, taking
	 * the interrupt as it does. */
	if (p->current == v && p->id != this_pcpu())
		core->arch->kick(p);
}

/*
 * The guest's virtual timer fired on this pCPU, where v runs: pending for
 * v, linked to the physical interrupt so that the guest's EOI ends both;
 * until then the timer cannot fire again here.  A virtual one already
 * there (from another pCPU, unlinked) is linked instead, unless it is
 * pending and active at once, which a link does not allow: then the
 * physical one stays active until v leaves.
 */
static void vtimer_fired(struct hyp_pcpu_arch *pa, struct hv_hyp_vcpu *v)
{
	struct hv_arm_vgic_regs *g = &vcpu_arch(v)->cpu.vgic;
	uint64_t *lr;

	hv_arm_gic_vcpu_put(&pa->gic, g);
	lr = lr_find(pa, g, HV_ARM_PPI_VIRT_TIMER);
	if (lr && LR_STATE(*lr) != LR_PENDING_ACTIVE && !(*lr & LR_HW))
		*lr |= LR_HW | LR_PINTID(HV_ARM_PPI_VIRT_TIMER);
	else if (lr || !lr_add(pa, g, HV_ARM_PPI_VIRT_TIMER, true))
		pa->vtimer_active = true;
	hv_arm_gic_vcpu_load(&pa->gic, g);
}

static void irq_exit(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v)
{
	unsigned int intid = hv_arm_gic_ack();

	if (intid == HV_ARM_INTID_SPURIOUS)
		return;
	hv_arm_gic_eoi(intid);
	if (intid == HV_ARM_PPI_VIRT_TIMER) {
		vtimer_fired(pcpu_arch(p), v);
		return;
	}
	hv_arm_gic_deactivate(intid);
	if (intid == HV_ARM_PPI_HYP_TIMER)
		hv_hyp_tick(p);
	/* HYP_SGI_KICK: the core has set what p is to look at. */
}

static void vcpu_exit(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v)
{
	switch (vcpu_arch(v)->exit_kind) {
	case HV_ARM_EXIT_SYNC:
		sync_exit(v);
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

static void vcpu_run(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v)
{
	uint32_t irqs = hv_atomic_xchg_u32(&vcpu_arch(v)->irqs, 0);

	if (irqs)
		lrs_fill(pcpu_arch(p), v, irqs);
	vcpu_arch(v)->exit_kind = hv_arm_vcpu_run(&vcpu_arch(v)->cpu);
}

static hv_time_t now(struct hv_hyp *core)
{
	return hv_arm_timer_now(&hyp_of(core)->arch.timer);
}

static void timer_set(struct hv_hyp_pcpu *p, hv_time_t deadline)
{
	hv_arm_timer_set(&hyp_of(p->hyp)->arch.timer, deadline);
}

/* GUEST_EVTCHN_PPI in Xen's arch-arm.h, which only toolstacks see. */
#define EVTCHN_PPI 31

/* An event: Xen's event-channel interrupt, PPI 31. */
static void upcall(struct hv_hyp_vcpu *v)
{
	hyp_vcpu_inject(v, EVTCHN_PPI);
}

static void kick(struct hv_hyp_pcpu *p)
{
	hv_arm_gic_send_sgi(pcpu_arch(p)->mpidr, HYP_SGI_KICK);
}

const struct hv_hyp_arch_ops hyp_arch_ops = {
    .name = HYP_ARCH_NAME,
    .p2m_format = &hv_arm_stage2_ipa40,
    .xenmem_abi = &hv_mm_xenmem_arm,
    .xen_arch = HV_XEN_ARCH_ARM,
    .shared_info_moves = false, /* -EBUSY, as Xen 4.17+ on Arm */
    .vcpu_ops = HV_HYP_VCPU_OPS_ARM,
    .vcpu_op_refused = -HV_EINVAL,
    .domain_size = sizeof(struct domain_arch),
    .vcpu_size = sizeof(struct vcpu_arch),
    .domain_init = hyp_domain_init,
    .vcpu_load = vcpu_load,
    .vcpu_run = vcpu_run,
    .vcpu_exit = vcpu_exit,
    .vcpu_wake_time = vcpu_wake_time,
    .now = now,
    .timer_set = timer_set,
    .idle = idle,
    .kick = kick,
    .p2m_flush = hyp_p2m_flush,
    .upcall = upcall,
    .console_write = hyp_arch_console_write,
    .phys_to_virt = hyp_phys_to_virt,
    .virt_to_phys = hyp_virt_to_phys,
};
