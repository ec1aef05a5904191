/*
 * The run loop: round-robin over runnable vCPUs, each for a time slice
 * ended by the EL2 timer (CNTHP), and the handling of every guest exit.
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
#define CNTV_CTL_IMASK 0x2u
/* List register: pending, group 1, hardware-linked to the same INTID. */
#define LR_PENDING (1ull << 62)
#define LR_HW (1ull << 61)
#define LR_GROUP1 (1ull << 60)
#define LR_PRIORITY(p) ((uint64_t)(p) << 48)
#define LR_PINTID(i) ((uint64_t)(i) << 32)

static void load(struct hyp *h, struct vcpu *v)
{
	if (h->loaded == v)
		return;
	if (h->loaded) {
		hv_arm_vcpu_put(&h->loaded->arch);
		hv_arm_gic_vcpu_put(&h->gic, &h->loaded->arch.vgic);
	}
	h->loaded = v;
	if (v) {
		hv_arm_vcpu_load(&v->arch);
		hv_arm_gic_vcpu_load(&h->gic, &v->arch.vgic);
	}
}

/* Every vCPU slot in round-robin order: domain by domain. */
static struct vcpu *slot(struct hyp *h, unsigned int n)
{
	struct domain *d = &h->domains[n / HYP_MAX_VCPUS];
	unsigned int i = n % HYP_MAX_VCPUS;

	return i < d->nr_vcpus ? &d->vcpus[i] : NULL;
}

static struct vcpu *pick(struct hyp *h)
{
	unsigned int slots = h->nr_domains * HYP_MAX_VCPUS;

	for (unsigned int i = 0; i < slots; i++) {
		unsigned int n = (h->next + i) % slots;
		struct vcpu *v = slot(h, n);

		if (v && v->state == VCPU_RUNNABLE) {
			h->next = (n + 1) % slots;
			return v;
		}
	}
	return NULL;
}

/* When a blocked vCPU's virtual timer will wake it, or HV_TIME_NEVER. */
static hv_time_t wake_time(const struct hyp *h, const struct vcpu *v)
{
	const struct hv_arm_el1_regs *r = &v->arch.el1;

	if (v->state != VCPU_BLOCKED ||
	    (r->cntv_ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK)) !=
		    CNTV_CTL_ENABLE)
		return HV_TIME_NEVER;
	return hv_arm_ticks_to_ns(&h->timer, r->cntv_cval);
}

/* Nothing to run: sleep until the earliest blocked vCPU's timer. */
static void idle(struct hyp *h)
{
	hv_time_t next = HV_TIME_NEVER;
	unsigned int intid;
	hv_time_t now;

	load(h, NULL); /* blocked vCPUs' timer state is now in memory */
	for (unsigned int n = 0; n < h->nr_domains * HYP_MAX_VCPUS; n++)
		if (slot(h, n) && wake_time(h, slot(h, n)) < next)
			next = wake_time(h, slot(h, n));
	if (next == HV_TIME_NEVER)
		hyp_panic(h, "every remaining domain is blocked with nothing "
			     "to wake it");
	hv_arm_timer_set(&h->timer, next);
	__asm__ __volatile__("wfi" ::: "memory");
	intid = hv_arm_gic_ack(); /* the tick (no vCPU is loaded) */
	if (intid != HV_ARM_INTID_SPURIOUS) {
		hv_arm_gic_eoi(intid);
		hv_arm_gic_deactivate(intid);
	}
	now = hv_arm_timer_now(&h->timer);
	for (unsigned int n = 0; n < h->nr_domains * HYP_MAX_VCPUS; n++)
		if (slot(h, n) && wake_time(h, slot(h, n)) <= now)
			slot(h, n)->state = VCPU_RUNNABLE;
}

static void crash(struct vcpu *v, const char *fmt, ...) HV_PRINTF(2, 3);

static void crash(struct vcpu *v, const char *fmt, ...)
{
	char why[128];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	hv_xen_domain_crash(&v->dom->xen, why);
}

/* The recipe's extensions first, then libhv-xen (which says -ENOSYS to
 * anything nobody handles). */
static void hypercall(struct hyp *h, struct vcpu *v)
{
	const struct hyp_extension *const *e = h->config->extensions;
	const uint64_t *x = v->arch.x;
	struct hv_gmem gm;
	long ret;

	hyp_gmem_guest_va(&gm, v);
	for (; e && *e; e++) {
		if ((*e)->hypercall && (*e)->hypercall(v, x[16], x, &gm, &ret)) {
			v->arch.x[0] = (uint64_t)ret;
			return;
		}
	}
	v->arch.x[0] = (uint64_t)hv_xen_hypercall(&v->dom->xen, v->id, &gm,
						  x[16], x);
}

/* Start a stopped vCPU; its EL1 state must not be the pCPU's. */
static void cpu_on(struct hyp *h, struct domain *d,
		   const struct hv_arm_psci_result *r)
{
	struct vcpu *t = &d->vcpus[r->target];

	if (h->loaded == t)
		load(h, NULL);
	hyp_vcpu_start(t, r->entry, r->context);
}

static void psci(struct hyp *h, struct vcpu *v)
{
	struct domain *d = v->dom;
	struct hv_arm_psci_call call = {
		.fid = v->arch.x[0],
		.arg = {v->arch.x[1], v->arch.x[2], v->arch.x[3]}};
	struct hv_arm_psci_result r;
	HV_DECLARE_BITMAP(online, HYP_MAX_VCPUS) = {0};

	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		if (d->vcpus[i].state != VCPU_DOWN)
			hv_bitmap_set(online, i);
	hv_arm_psci(&call, d->nr_vcpus, online, &r);
	switch (r.action) {
	case HV_PSCI_ACT_SUSPEND:
		v->state = VCPU_BLOCKED;
		h->resched = true;
		break;
	case HV_PSCI_ACT_CPU_ON:
		cpu_on(h, d, &r);
		break;
	case HV_PSCI_ACT_CPU_OFF:
		v->state = VCPU_DOWN;
		h->resched = true;
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
	v->arch.x[0] = (uint64_t)r.ret;
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
		hv_arm_vcpu_inject_undef(&v->arch);
		break;
	}
}

static void data_abort(struct vcpu *v, const struct hv_arm_exit *e)
{
	struct hv_arm_dabt d;

	hv_arm_decode_dabt(e->esr, e->hpfar, e->far, &d);
	if (hyp_vpl011_access(v, &d))
		return;
	crash(v, "%s at IPA %#llx, outside its memory (pc %#llx)",
	      d.write ? "write" : "read", (unsigned long long)d.ipa,
	      (unsigned long long)v->arch.pc);
}

static void sync_exit(struct hyp *h, struct vcpu *v)
{
	const struct hv_arm_exit *e = &v->arch.exit;
	unsigned int ec = hv_arm_esr_ec(e->esr);

	switch (ec) {
	case HV_ARM_EC_HVC64:
		hvc(h, v, e->esr);
		break;
	case HV_ARM_EC_SMC64: /* trapped: ELR is the smc itself */
		v->arch.pc += 4;
		psci(h, v);
		break;
	case HV_ARM_EC_WFX: /* ELR is the wfi/wfe itself */
		v->arch.pc += 4;
		if (!hv_arm_esr_is_wfe(e->esr))
			v->state = VCPU_BLOCKED;
		h->resched = true;
		break;
	case HV_ARM_EC_DABT_LOWER:
		data_abort(v, e);
		break;
	case HV_ARM_EC_SYSREG:
		hv_arm_vcpu_inject_undef(&v->arch);
		break;
	default:
		crash(v, "unhandled exception %s (ESR %#llx) at pc %#llx",
		      hv_arm_ec_name(ec), (unsigned long long)e->esr,
		      (unsigned long long)v->arch.pc);
		break;
	}
}

#define LR_STATE(lr) ((lr) >> 62)
#define LR_VINTID(lr) ((unsigned int)(lr))

void hyp_vcpu_inject(struct hyp *h, struct vcpu *v, unsigned int intid,
		     bool hw)
{
	uint64_t *lr = v->arch.vgic.lr;
	bool live = h->loaded == v;
	unsigned int i, free = h->gic.nr_lr;

	if (live) /* the list registers hold the truth: read them back */
		hv_arm_gic_vcpu_put(&h->gic, &v->arch.vgic);
	for (i = 0; i < h->gic.nr_lr; i++) {
		if (LR_STATE(lr[i]) && LR_VINTID(lr[i]) == intid)
			return; /* already pending or active */
		if (!LR_STATE(lr[i]) && free == h->gic.nr_lr)
			free = i;
	}
	if (free == h->gic.nr_lr)
		return; /* every list register busy: a level source re-fires */
	lr[free] = LR_PENDING | LR_GROUP1 | LR_PRIORITY(0xa0) | intid |
		   (hw ? LR_HW | LR_PINTID(intid) : 0);
	if (live)
		hv_arm_gic_vcpu_load(&h->gic, &v->arch.vgic);
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
		crash(v, "%s from the guest",
		      kind == HV_ARM_EXIT_FIQ ? "FIQ" : "SError");
		break;
	}
}

void hyp_run(struct hyp *h)
{
	for (;;) {
		struct vcpu *v;

		if (h->live_domains == 0)
			hyp_finish(h);
		v = pick(h);
		if (!v) {
			idle(h);
			continue;
		}
		load(h, v);
		hv_arm_timer_set(&h->timer, hv_arm_timer_now(&h->timer) +
						    h->config->timeslice);
		h->resched = false;
		while (!h->resched && v->state == VCPU_RUNNABLE)
			handle_exit(h, v, hv_arm_vcpu_run(&v->arch));
	}
}
