/*
 * How virtual interrupts reach a vCPU: each domain's virtual GICv3
 * (libhv-arm's model) decides what is pending for whom, and at every
 * entry of a vCPU its list registers are filled from the model, at every
 * exit read back into it.  Events (Xen's PPI 31) and SGIs are raised in
 * the model from any pCPU; the guest's virtual timer (PPI 27) is
 * forwarded hardware-linked, so that the guest's EOI ends the physical
 * interrupt too.
 */
#include "priv.h"

#define ICH_HCR_UIE	  (1ull << 1) /* maintenance when few LRs hold anything */
#define LR_HW		  (1ull << 61)
#define LR_PINTID	  (0x3ffull << 32)
#define LR_EOI		  (1ull << 41)
#define LR_STATE(lr)	  ((lr) >> 62)
#define LR_VINTID(lr)	  ((unsigned int)(lr))
#define LR_PENDING_ACTIVE 3u

bool hyp_arm_vcpu_irq_pending(struct hv_hyp_vcpu *v)
{
	struct domain_arch *da = domain_arch(v->dom);
	bool pending;

	hv_spin_lock(&da->vgic_lock);
	pending = hv_vgic_vcpu_pending(&da->vgic, v->id);
	hv_spin_unlock(&da->vgic_lock);
	return pending;
}

/* vCPUs with an interrupt to take: a blocked one wakes, one running on
 * another pCPU exits to take it (the core's lock held). */
void hyp_arm_vgic_kick(struct hv_hyp_domain *d, uint64_t kick)
{
	for (unsigned int i = 0; kick && i < d->nr_vcpus; i++) {
		struct hv_hyp_vcpu *v = &d->vcpus[i];
		struct hv_hyp_pcpu *p = &d->hyp->pcpus[v->pcpu];

		if (!(kick & 1ull << i))
			continue;
		if (v->state == HV_HYP_VCPU_BLOCKED)
			hv_hyp_vcpu_wake(v);
		else if (p->current == v)
			hv_hyp_pcpu_kick(p);
	}
}

void hyp_arm_vcpu_inject(struct hv_hyp_vcpu *v, unsigned int intid)
{
	struct domain_arch *da = domain_arch(v->dom);
	int target;

	hv_spin_lock(&da->vgic_lock);
	target = hv_vgic_set_pending(&da->vgic, v->id, intid);
	hv_spin_unlock(&da->vgic_lock);
	if (target >= 0)
		hyp_arm_vgic_kick(v->dom, 1ull << target);
}

/*
 * A vCPU leaves this pCPU (its list registers are in memory): the
 * physical virtual-timer interrupt a list register is linked to is this
 * pCPU's, so end it here and keep only the virtual one, which the guest
 * ends alone wherever it runs next.
 */
void hyp_arm_vtimer_unlink(struct hv_hyp_arm_pcpu *pa,
			   struct hv_arm_vgic_regs *g)
{
	for (unsigned int i = 0; i < pa->gic.nr_lr; i++)
		if ((g->lr[i] & LR_HW) && LR_STATE(g->lr[i])) {
			g->lr[i] &= ~(LR_HW | LR_PINTID);
			pa->vtimer_active = true;
		}
	if (pa->vtimer_active)
		hv_arm_gic_deactivate(HV_ARM_PPI_VIRT_TIMER);
	pa->vtimer_active = false;
}

/*
 * The physical virtual-timer interrupt is active on this pCPU for the
 * vCPU entering it: link it to the virtual one in a list register so
 * that the guest's EOI ends both.  One the model has just placed is
 * linked already; one unlinked on another pCPU is linked now, unless it
 * is pending and active at once, which a link does not allow: then the
 * physical one stays active until the vCPU leaves.
 */
static void vtimer_link(struct hv_hyp_arm_pcpu *pa, struct hv_arm_vgic_regs *g)
{
	for (unsigned int i = 0; pa->vtimer_active && i < pa->gic.nr_lr; i++) {
		uint64_t *lr = &g->lr[i];

		if (LR_VINTID(*lr) != HV_ARM_PPI_VIRT_TIMER || !LR_STATE(*lr))
			continue;
		if (!(*lr & LR_HW) && LR_STATE(*lr) != LR_PENDING_ACTIVE)
			*lr = (*lr & ~LR_EOI) | LR_HW |
			      (uint64_t)HV_ARM_PPI_VIRT_TIMER << 32;
		if (*lr & LR_HW)
			pa->vtimer_active = false;
	}
}

void hyp_arm_vtimer_fired(struct hv_hyp_arm_pcpu *pa, struct hv_hyp_vcpu *v)
{
	pa->vtimer_active = true;
	hyp_arm_vcpu_inject(v, HV_ARM_PPI_VIRT_TIMER);
}

void hyp_arm_lrs_flush(struct hv_hyp_arm_pcpu *pa, struct hv_hyp_vcpu *v)
{
	struct domain_arch *da = domain_arch(v->dom);
	struct hv_arm_vgic_regs *g = &vcpu_arch(v)->cpu.vgic;
	bool more;

	hv_spin_lock(&da->vgic_lock);
	/* Nothing in them and nothing to put there: they stay empty. */
	if (!vcpu_arch(v)->lrs_used &&
	    !hv_vgic_vcpu_pending(&da->vgic, v->id)) {
		hv_spin_unlock(&da->vgic_lock);
		return;
	}
	more = hv_vgic_flush_lrs(&da->vgic, v->id, g->lr, pa->gic.nr_lr);
	hv_spin_unlock(&da->vgic_lock);
	vtimer_link(pa, g);
	g->hcr = more ? g->hcr | ICH_HCR_UIE : g->hcr & ~ICH_HCR_UIE;
	vcpu_arch(v)->lrs_used = 0;
	for (unsigned int i = 0; i < pa->gic.nr_lr; i++)
		vcpu_arch(v)->lrs_used += g->lr[i] != 0;
	hv_arm_gic_lrs_write(&pa->gic, g);
}

void hyp_arm_lrs_sync(struct hv_hyp_arm_pcpu *pa, struct hv_hyp_vcpu *v)
{
	struct domain_arch *da = domain_arch(v->dom);
	struct hv_arm_vgic_regs *g = &vcpu_arch(v)->cpu.vgic;

	if (!vcpu_arch(v)->lrs_used)
		return;
	hv_arm_gic_lrs_read(&pa->gic, g);
	hv_spin_lock(&da->vgic_lock);
	hv_vgic_sync_lrs(&da->vgic, v->id, g->lr, pa->gic.nr_lr);
	hv_spin_unlock(&da->vgic_lock);
}
