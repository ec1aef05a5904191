/*
 * The GIC's list registers: how virtual interrupts reach a vCPU.  Events
 * (Xen's PPI 31) wait in the vCPU's `irqs` until the pCPU that runs it
 * enters it; the guest's virtual timer is forwarded hardware-linked, so
 * the guest's EOI ends the physical interrupt too.
 */
#include "priv.h"

/* List register: pending, group 1, hardware-linked to the same INTID. */
#define LR_PENDING     (1ull << 62)
#define LR_HW	       (1ull << 61)
#define LR_GROUP1      (1ull << 60)
#define LR_PRIORITY(p) ((uint64_t)(p) << 48)
#define LR_PINTID(i)   ((uint64_t)(i) << 32)

#define LR_STATE(lr)	  ((lr) >> 62)
#define LR_VINTID(lr)	  ((unsigned int)(lr))
#define LR_PENDING_ACTIVE 3u

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
			g->lr[i] &= ~(LR_HW | LR_PINTID(0x3ff));
			pa->vtimer_active = true;
		}
	if (pa->vtimer_active)
		hv_arm_gic_deactivate(HV_ARM_PPI_VIRT_TIMER);
	pa->vtimer_active = false;
}

/* Put virtual interrupt `intid` in a free list register, linked to the
 * physical one of the same INTID if `hw`; false if none is free. */
static bool lr_add(struct hv_hyp_arm_pcpu *pa, struct hv_arm_vgic_regs *g,
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

static uint64_t *lr_find(struct hv_hyp_arm_pcpu *pa, struct hv_arm_vgic_regs *g,
			 unsigned int intid)
{
	for (unsigned int i = 0; i < pa->gic.nr_lr; i++)
		if (LR_STATE(g->lr[i]) && LR_VINTID(g->lr[i]) == intid)
			return &g->lr[i];
	return NULL;
}

/* Make the interrupts waiting for v pending, loaded here (the list
 * registers hold the truth: read them back first). */
void hyp_arm_lrs_fill(struct hv_hyp_arm_pcpu *pa, struct hv_hyp_vcpu *v)
{
	uint32_t irqs = hv_atomic_xchg_u32(&vcpu_arch(v)->irqs, 0);
	struct hv_arm_vgic_regs *g = &vcpu_arch(v)->cpu.vgic;

	if (!irqs)
		return;
	hv_arm_gic_vcpu_put(&pa->gic, g);
	for (unsigned int intid = 0; intid < 32; intid++)
		if (irqs & 1u << intid && !lr_find(pa, g, intid))
			lr_add(pa, g, intid, false);
	hv_arm_gic_vcpu_load(&pa->gic, g);
}

void hyp_arm_vcpu_inject(struct hv_hyp_vcpu *v, unsigned int intid)
{
	struct hv_hyp_pcpu *p = &v->dom->hyp->pcpus[v->pcpu];

	hv_atomic_fetch_or_u32(&vcpu_arch(v)->irqs, 1u << intid);
	/* Running on another pCPU: make it exit and enter again, taking
	 * the interrupt as it does. */
	if (p->current == v && p->id != hv_hyp_arm_pcpu_this()->id)
		hv_hyp_pcpu_kick(p);
}

/*
 * The guest's virtual timer fired on this pCPU, where v runs: pending for
 * v, linked to the physical interrupt so that the guest's EOI ends both;
 * until then the timer cannot fire again here.  A virtual one already
 * there (from another pCPU, unlinked) is linked instead, unless it is
 * pending and active at once, which a link does not allow: then the
 * physical one stays active until v leaves.
 */
void hyp_arm_vtimer_fired(struct hv_hyp_arm_pcpu *pa, struct hv_hyp_vcpu *v)
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
