/*
 * The AArch64 half of the run loop (hyp_run, sched.c): loading a vCPU, the
 * EL2 timer (CNTHP) that ends its slice, running it and handling every
 * guest exit, and sleeping when nothing is runnable.
 * A guest that does something the hypervisor cannot allow (touches memory
 * it does not own, takes an exception hvkit does not emulate) is crashed
 * with a message; the others go on.
 */
#include "hyp.h"

#include <hv/arm_psci.h>
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

void hyp_arch_vcpu_load(struct hyp *h, struct vcpu *v)
{
	if (h->loaded == v)
		return;
	if (h->loaded) {
		hv_arm_vcpu_put(&h->loaded->arch.cpu);
		hv_arm_gic_vcpu_put(&h->arch.gic, &h->loaded->arch.cpu.vgic);
	}
	h->loaded = v;
	if (v) {
		hv_arm_vcpu_load(&v->arch.cpu);
		hv_arm_gic_vcpu_load(&h->arch.gic, &v->arch.cpu.vgic);
	}
}

/* When a blocked vCPU's virtual timer will wake it, or HV_TIME_NEVER. */
static hv_time_t wake_time(const struct hyp *h, const struct vcpu *v)
{
	const struct hv_arm_el1_regs *r = &v->arch.cpu.el1;

	if (v->state != VCPU_BLOCKED ||
	    (r->cntv_ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK)) !=
		CNTV_CTL_ENABLE)
		return HV_TIME_NEVER;
	return hv_arm_ticks_to_ns(&h->arch.timer, r->cntv_cval);
}

/* Nothing to run: sleep until the earliest blocked vCPU's timer. */
void hyp_arch_idle(struct hyp *h)
{
	hv_time_t next = HV_TIME_NEVER;
	unsigned int intid;
	hv_time_t now;

	/* Blocked vCPUs' timer state is now in memory. */
	hyp_arch_vcpu_load(h, NULL);
	for (unsigned int i = 0; i < h->nr_domains; i++) {
		struct domain *d = &h->domains[i];

		for (unsigned int j = 0; j < d->nr_vcpus; j++) {
			hv_time_t t = wake_time(h, &d->vcpus[j]);

			if (t < next)
				next = t;
		}
	}
	if (next == HV_TIME_NEVER)
		hyp_panic(h, "every remaining domain is blocked with nothing "
			     "to wake it");
	hv_arm_timer_set(&h->arch.timer, next);
	__asm__ __volatile__("wfi" ::: "memory");
	intid = hv_arm_gic_ack(); /* the tick (no vCPU is loaded) */
	if (intid != HV_ARM_INTID_SPURIOUS) {
		hv_arm_gic_eoi(intid);
		hv_arm_gic_deactivate(intid);
	}
	now = hv_arm_timer_now(&h->arch.timer);
	for (unsigned int i = 0; i < h->nr_domains; i++) {
		struct domain *d = &h->domains[i];

		for (unsigned int j = 0; j < d->nr_vcpus; j++)
			if (wake_time(h, &d->vcpus[j]) <= now)
				hyp_vcpu_set_state(h, &d->vcpus[j],
						   VCPU_RUNNABLE);
	}
}

/* HVC #0xEA1: x16 is the hypercall's number, x0-x4 its arguments, its
 * pointers guest-virtual. */
static void hypercall(struct hyp *h, struct vcpu *v)
{
	uint64_t *x = v->arch.cpu.x;
	struct hv_gmem gm;

	hyp_gmem_guest_va(&gm, v);
	x[0] = (uint64_t)hyp_hypercall(h, v, &gm, x[16], x);
}

/* Start a stopped vCPU; its EL1 state must not be the pCPU's. */
static void cpu_on(struct hyp *h, struct domain *d,
		   const struct hv_arm_psci_result *r)
{
	struct vcpu *t = &d->vcpus[r->target];

	if (h->loaded == t)
		hyp_arch_vcpu_load(h, NULL);
	hyp_vcpu_start(t, r->entry, r->context);
}

static void psci(struct hyp *h, struct vcpu *v)
{
	struct domain *d = v->dom;
	struct hv_arm_psci_call call = {
	    .fid = v->arch.cpu.x[0],
	    .arg = {v->arch.cpu.x[1], v->arch.cpu.x[2], v->arch.cpu.x[3]}};
	struct hv_arm_psci_result r;
	HV_DECLARE_BITMAP(online, HYP_MAX_VCPUS) = {0};

	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		if (d->vcpus[i].state != VCPU_DOWN)
			hv_bitmap_set(online, i);
	hv_arm_psci(&call, d->nr_vcpus, online, &r);
	switch (r.action) {
	case HV_PSCI_ACT_SUSPEND:
		hyp_vcpu_block(h, v);
		break;
	case HV_PSCI_ACT_CPU_ON:
		cpu_on(h, d, &r);
		break;
	case HV_PSCI_ACT_CPU_OFF:
		hyp_vcpu_set_state(h, v, VCPU_DOWN);
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
	v->arch.cpu.x[0] = (uint64_t)r.ret;
}

static void hvc(struct hyp *h, struct vcpu *v, uint64_t esr)
{
	switch (hv_arm_esr_imm16(esr)) {
	case XEN_HYPERCALL_TAG:
		hypercall(h, v);
		break;
	case 0: /* SMCCC: PSCI */
		psci(h, v);
		break;
	default: /* as Xen: undefined instruction for the guest */
		hv_arm_vcpu_inject_undef(&v->arch.cpu);
		break;
	}
}

static void data_abort(struct vcpu *v, const struct hv_arm_exit *e)
{
	struct hv_arm_dabt d;

	hv_arm_decode_dabt(e->esr, e->hpfar, e->far, &d);
	if (hyp_vpl011_access(v, &d))
		return;
	hyp_crash(v, "%s at IPA %#llx, outside its memory (pc %#llx)",
		  d.write ? "write" : "read", (unsigned long long)d.ipa,
		  (unsigned long long)v->arch.cpu.pc);
}

static void sync_exit(struct hyp *h, struct vcpu *v)
{
	const struct hv_arm_exit *e = &v->arch.cpu.exit;
	unsigned int ec = hv_arm_esr_ec(e->esr);

	switch (ec) {
	case HV_ARM_EC_HVC64:
		hvc(h, v, e->esr);
		break;
	case HV_ARM_EC_SMC64: /* trapped: ELR is the smc itself */
		v->arch.cpu.pc += 4;
		psci(h, v);
		break;
	case HV_ARM_EC_WFX: /* ELR is the wfi/wfe itself */
		v->arch.cpu.pc += 4;
		if (hv_arm_esr_is_wfe(e->esr))
			hyp_vcpu_yield(h, v);
		else
			hyp_vcpu_block(h, v);
		break;
	case HV_ARM_EC_DABT_LOWER:
		data_abort(v, e);
		break;
	case HV_ARM_EC_SYSREG:
		hv_arm_vcpu_inject_undef(&v->arch.cpu);
		break;
	default:
		hyp_crash(v, "unhandled exception %s (ESR %#llx) at pc %#llx",
			  hv_arm_ec_name(ec), (unsigned long long)e->esr,
			  (unsigned long long)v->arch.cpu.pc);
		break;
	}
}

#define LR_STATE(lr)  ((lr) >> 62)
#define LR_VINTID(lr) ((unsigned int)(lr))

void hyp_vcpu_inject(struct hyp *h, struct vcpu *v, unsigned int intid, bool hw)
{
	uint64_t *lr = v->arch.cpu.vgic.lr;
	bool live = h->loaded == v;
	unsigned int i, free = h->arch.gic.nr_lr;

	if (live) /* the list registers hold the truth: read them back */
		hv_arm_gic_vcpu_put(&h->arch.gic, &v->arch.cpu.vgic);
	for (i = 0; i < h->arch.gic.nr_lr; i++) {
		if (LR_STATE(lr[i]) && LR_VINTID(lr[i]) == intid)
			return; /* already pending or active */
		if (!LR_STATE(lr[i]) && free == h->arch.gic.nr_lr)
			free = i;
	}
	if (free == h->arch.gic.nr_lr)
		return; /* every list register busy: a level source re-fires */
	lr[free] = LR_PENDING | LR_GROUP1 | LR_PRIORITY(0xa0) | intid |
		   (hw ? LR_HW | LR_PINTID(intid) : 0);
	if (live)
		hv_arm_gic_vcpu_load(&h->arch.gic, &v->arch.cpu.vgic);
}

static void irq_exit(struct hyp *h)
{
	unsigned int intid = hv_arm_gic_ack();

	if (intid == HV_ARM_INTID_SPURIOUS)
		return;
	hv_arm_gic_eoi(intid);
	if (intid == HV_ARM_PPI_VIRT_TIMER) {
		/* The guest's own timer: linked to the physical interrupt,
		 * so that the guest's EOI ends both. */
		hyp_vcpu_inject(h, h->loaded, intid, true);
		return;
	}
	hv_arm_gic_deactivate(intid);
	if (intid == HV_ARM_PPI_HYP_TIMER)
		h->resched = true;
}

static void handle_exit(struct hyp *h, struct vcpu *v,
			enum hv_arm_exit_kind kind)
{
	switch (kind) {
	case HV_ARM_EXIT_SYNC:
		sync_exit(h, v);
		break;
	case HV_ARM_EXIT_IRQ:
		irq_exit(h);
		break;
	default:
		hyp_crash(v, "%s from the guest",
			  kind == HV_ARM_EXIT_FIQ ? "FIQ" : "SError");
		break;
	}
}

hv_time_t hyp_arch_now(struct hyp *h)
{
	return hv_arm_timer_now(&h->arch.timer);
}

void hyp_arch_timer_set(struct hyp *h, hv_time_t deadline)
{
	hv_arm_timer_set(&h->arch.timer, deadline);
}

void hyp_arch_vcpu_run(struct hyp *h, struct vcpu *v)
{
	handle_exit(h, v, hv_arm_vcpu_run(&v->arch.cpu));
}
