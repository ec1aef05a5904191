/*
 * The virtual GICv3's interrupts (hv/arm_vgic.h): their state, how they
 * become pending (devices, SGIs), and how they move in and out of a
 * vCPU's list registers.  The register interface is vgic_mmio.c.
 *
 * Who is right about an interrupt: the model, except while it sits in a
 * list register, where the guest may acknowledge and end it without the
 * hypervisor seeing; hv_vgic_sync_lrs() reads that back at every exit,
 * and hv_vgic_flush_lrs() writes the model's state back at every entry.
 */
#include "vgic.h"

#include <hv/string.h>

/* ICH_LR<n>_EL2 */
#define LR_STATE_SHIFT 62
#define LR_PENDING     (1ull << 62)
#define LR_ACTIVE      (1ull << 63)
#define LR_HW	       (1ull << 61)
#define LR_GROUP1      (1ull << 60)
#define LR_EOI	       (1ull << 41) /* HW = 0: maintenance at EOI */
#define LR_PRIORITY(p) ((uint64_t)(p) << 48)
#define LR_PINTID(i)   ((uint64_t)(i) << 32)
/* What links a list register to a physical interrupt, or asks for an EOI
 * exit: set when it is filled, and the caller's to change after (it
 * unlinks one whose vCPU leaves the pCPU that owns the physical one). */
#define LR_LINK	      (LR_HW | LR_PINTID(0x3ff) | LR_EOI)
#define LR_VINTID(lr) ((unsigned int)(lr))

uint64_t hv_vgic_affinity(unsigned int vcpu)
{
	return (vcpu & 0xfu) | (uint64_t)(vcpu >> 4) << 8;
}

struct hv_vgic_irq *vgic_irq(struct hv_vgic *g, unsigned int vcpu,
			     unsigned int intid)
{
	if (intid < HV_VGIC_NR_PRIVATE)
		return vcpu < g->nr_vcpus ? &g->vcpus[vcpu].priv[intid] : NULL;
	if (intid - HV_VGIC_NR_PRIVATE < g->nr_spis)
		return &g->spis[intid - HV_VGIC_NR_PRIVATE];
	return NULL;
}

static void irq_reset(struct hv_vgic_irq *irq, bool edge)
{
	memset(irq, 0, sizeof(*irq));
	irq->edge = edge;
}

int hv_vgic_init(struct hv_vgic *g, struct hv_vgic_vcpu *vcpus,
		 unsigned int nr_vcpus, struct hv_vgic_irq *spis,
		 unsigned int nr_spis)
{
	if (nr_vcpus == 0 || nr_vcpus > HV_VGIC_MAX_VCPUS ||
	    nr_spis % 32 != 0 || nr_spis > HV_VGIC_MAX_SPIS ||
	    (nr_spis && !spis))
		return -HV_EINVAL;
	*g = (struct hv_vgic){.nr_vcpus = nr_vcpus,
			      .vcpus = vcpus,
			      .nr_spis = nr_spis,
			      .spis = spis};
	for (unsigned int v = 0; v < nr_vcpus; v++) {
		for (unsigned int i = 0; i < HV_VGIC_NR_PRIVATE; i++)
			irq_reset(&vcpus[v].priv[i], i < 16);
		vcpus[v].asleep = true;
	}
	for (unsigned int i = 0; i < nr_spis; i++) {
		irq_reset(&spis[i], false);
		spis[i].target = 0;
	}
	return 0;
}

unsigned int vgic_target(const struct hv_vgic *g, unsigned int vcpu,
			 unsigned int intid)
{
	return intid < HV_VGIC_NR_PRIVATE
		   ? vcpu
		   : g->spis[intid - HV_VGIC_NR_PRIVATE].target;
}

bool vgic_is_pending(const struct hv_vgic_irq *irq)
{
	return irq->pending || (!irq->edge && irq->line);
}

/* Pending, enabled, and its group on: the guest may take it. */
bool vgic_deliverable(const struct hv_vgic *g, const struct hv_vgic_irq *irq)
{
	return vgic_is_pending(irq) && irq->enabled &&
	       (g->ctlr & VGIC_CTLR_ENABLES);
}

uint64_t vgic_kick_if_deliverable(const struct hv_vgic *g, unsigned int vcpu,
				  unsigned int intid)
{
	const struct hv_vgic_irq *irq =
	    vgic_irq((struct hv_vgic *)g, vcpu, intid);
	unsigned int target = vgic_target(g, vcpu, intid);

	if (!irq || target >= g->nr_vcpus || !vgic_deliverable(g, irq))
		return 0;
	return 1ull << target;
}

/* Pending from now on: in a list register, at the next sync. */
void vgic_make_pending(struct hv_vgic_irq *irq)
{
	if (irq->lr)
		irq->repend = true;
	irq->pending = true;
}

void vgic_clear_pending(struct hv_vgic_irq *irq)
{
	irq->pending = false;
	irq->repend = false;
}

/* The vCPU that has interrupt `intid` to take now, or -1. */
static int taker(const struct hv_vgic *g, unsigned int vcpu, unsigned int intid)
{
	return vgic_kick_if_deliverable(g, vcpu, intid)
		   ? (int)vgic_target(g, vcpu, intid)
		   : -1;
}

int hv_vgic_raise(struct hv_vgic *g, unsigned int vcpu, unsigned int intid)
{
	struct hv_vgic_irq *irq = vgic_irq(g, vcpu, intid);

	if (!irq)
		return -1;
	/* A hardware-linked one is latched: its physical interrupt cannot
	 * fire again until the guest has ended it. */
	if (irq->edge || irq->hw)
		vgic_make_pending(irq);
	else
		irq->line = true;
	return taker(g, vcpu, intid);
}

int hv_vgic_set_pending(struct hv_vgic *g, unsigned int vcpu,
			unsigned int intid)
{
	struct hv_vgic_irq *irq = vgic_irq(g, vcpu, intid);

	if (!irq)
		return -1;
	vgic_make_pending(irq);
	return taker(g, vcpu, intid);
}

void hv_vgic_lower(struct hv_vgic *g, unsigned int vcpu, unsigned int intid)
{
	struct hv_vgic_irq *irq = vgic_irq(g, vcpu, intid);

	if (irq)
		irq->line = false;
}

void hv_vgic_set_hw(struct hv_vgic *g, unsigned int vcpu, unsigned int intid,
		    bool hw)
{
	struct hv_vgic_irq *irq = vgic_irq(g, vcpu, intid);

	if (irq)
		irq->hw = hw;
}

/* ICC_SGI1R_EL1 */
#define SGI_TARGETS(r) ((unsigned int)(r)&0xffffu)
#define SGI_AFF1(r)    (((r) >> 16) & 0xffu)
#define SGI_INTID(r)   ((unsigned int)((r) >> 24) & 0xfu)
#define SGI_AFF2(r)    (((r) >> 32) & 0xffu)
#define SGI_IRM	       (1ull << 40)
#define SGI_RS(r)      (((r) >> 44) & 0xfu)
#define SGI_AFF3(r)    (((r) >> 48) & 0xffu)

static bool sgi_names(uint64_t r, unsigned int vcpu)
{
	uint64_t aff = hv_vgic_affinity(vcpu);
	unsigned int aff0 = aff & 0xffu;

	/* RS selects which 16 Aff0 values the target list covers. */
	return SGI_AFF3(r) == 0 && SGI_AFF2(r) == 0 &&
	       SGI_AFF1(r) == ((aff >> 8) & 0xffu) && aff0 / 16 == SGI_RS(r) &&
	       (SGI_TARGETS(r) >> (aff0 % 16) & 1u);
}

uint64_t hv_vgic_sgi(struct hv_vgic *g, unsigned int from, uint64_t sgi1r)
{
	unsigned int intid = SGI_INTID(sgi1r);
	uint64_t kick = 0;

	for (unsigned int v = 0; v < g->nr_vcpus; v++) {
		if ((sgi1r & SGI_IRM) ? v == from : !sgi_names(sgi1r, v))
			continue;
		vgic_make_pending(&g->vcpus[v].priv[intid]);
		kick |= vgic_kick_if_deliverable(g, v, intid);
	}
	return kick;
}

bool hv_vgic_vcpu_pending(const struct hv_vgic *g, unsigned int vcpu)
{
	/* Nothing is deliverable while the distributor's groups are off:
	 * the adapter asks before every entry, and a guest that never
	 * turns its GIC on pays no scan (a null hypercall: 0.5 us less). */
	if (vcpu >= g->nr_vcpus || !(g->ctlr & VGIC_CTLR_ENABLES))
		return false;
	for (unsigned int i = 0; i < HV_VGIC_NR_PRIVATE; i++)
		if (vgic_deliverable(g, &g->vcpus[vcpu].priv[i]))
			return true;
	for (unsigned int i = 0; i < g->nr_spis; i++)
		if (g->spis[i].target == vcpu &&
		    vgic_deliverable(g, &g->spis[i]))
			return true;
	return false;
}

/* The list register for an interrupt in the state the model gives it. */
static uint64_t lr_value(const struct hv_vgic *g, const struct hv_vgic_irq *irq,
			 unsigned int intid)
{
	uint64_t lr = intid | LR_GROUP1 | LR_PRIORITY(irq->priority);

	if (vgic_deliverable(g, irq))
		lr |= LR_PENDING;
	if (irq->active)
		lr |= LR_ACTIVE;
	if (irq->hw)
		lr |= LR_HW | LR_PINTID(intid);
	else if (!irq->edge)
		lr |= LR_EOI;
	return lr;
}

/* A waiting interrupt, for the choice of what goes in a list register. */
struct candidate {
	struct hv_vgic_irq *irq;
	unsigned int intid;
};

static bool before(const struct candidate *a, const struct candidate *b)
{
	return a->irq->priority < b->irq->priority ||
	       (a->irq->priority == b->irq->priority && a->intid < b->intid);
}

/* Keep the `room` best candidates in best[] (sorted); count them all. */
static void consider(struct candidate *best, unsigned int room,
		     unsigned int *found, struct hv_vgic_irq *irq,
		     unsigned int intid)
{
	struct candidate c = {irq, intid};
	unsigned int n = *found < room ? *found : room;

	(*found)++;
	if (n == room && (room == 0 || !before(&c, &best[room - 1])))
		return;
	if (n == room)
		n--; /* the worst leaves */
	while (n > 0 && before(&c, &best[n - 1])) {
		best[n] = best[n - 1];
		n--;
	}
	best[n] = c;
}

bool hv_vgic_flush_lrs(struct hv_vgic *g, unsigned int vcpu, uint64_t *lr,
		       unsigned int nr_lr)
{
	struct candidate best[HV_VGIC_MAX_LRS];
	unsigned int room = 0, found = 0, next = 0;

	nr_lr = nr_lr < HV_VGIC_MAX_LRS ? nr_lr : HV_VGIC_MAX_LRS;
	/* What is in them already: as the model has it now, or out. */
	for (unsigned int i = 0; i < nr_lr; i++) {
		struct hv_vgic_irq *irq =
		    lr[i] ? vgic_irq(g, vcpu, LR_VINTID(lr[i])) : NULL;

		if (irq && irq->lr == i + 1)
			lr[i] =
			    (lr_value(g, irq, LR_VINTID(lr[i])) & ~LR_LINK) |
			    (lr[i] & LR_LINK);
		else
			lr[i] = 0;
		if (lr[i] >> LR_STATE_SHIFT == 0) {
			if (irq && irq->lr == i + 1)
				irq->lr = 0;
			lr[i] = 0;
			room++;
		}
	}
	for (unsigned int i = 0; i < HV_VGIC_NR_PRIVATE; i++) {
		struct hv_vgic_irq *irq = &g->vcpus[vcpu].priv[i];

		if (!irq->lr && vgic_deliverable(g, irq))
			consider(best, room, &found, irq, i);
	}
	for (unsigned int i = 0; i < g->nr_spis; i++) {
		struct hv_vgic_irq *irq = &g->spis[i];

		if (!irq->lr && irq->target == vcpu && vgic_deliverable(g, irq))
			consider(best, room, &found, irq,
				 i + HV_VGIC_NR_PRIVATE);
	}
	for (unsigned int i = 0; i < nr_lr && next < found && next < room;
	     i++) {
		if (lr[i])
			continue;
		best[next].irq->lr = (uint8_t)(i + 1);
		best[next].irq->repend = false;
		lr[i] = lr_value(g, best[next].irq, best[next].intid);
		next++;
	}
	return found > room;
}

void hv_vgic_sync_lrs(struct hv_vgic *g, unsigned int vcpu, uint64_t *lr,
		      unsigned int nr_lr)
{
	nr_lr = nr_lr < HV_VGIC_MAX_LRS ? nr_lr : HV_VGIC_MAX_LRS;
	for (unsigned int i = 0; i < nr_lr; i++) {
		struct hv_vgic_irq *irq =
		    lr[i] ? vgic_irq(g, vcpu, LR_VINTID(lr[i])) : NULL;
		unsigned int state = (unsigned int)(lr[i] >> LR_STATE_SHIFT);

		if (!irq || irq->lr != i + 1) {
			lr[i] = 0; /* not the model's: nothing to load */
			continue;
		}
		/* The guest's acknowledge took the pending state away; an
		 * edge that fired meanwhile puts it back. */
		irq->pending = (state & 1u) || irq->repend;
		irq->repend = false;
		irq->active = state & 2u;
		if (!state) { /* ended */
			irq->lr = 0;
			lr[i] = 0;
		}
	}
}
