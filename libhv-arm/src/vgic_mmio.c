/*
 * The virtual GICv3's registers (hv/arm_vgic.h): the distributor's frame
 * and each vCPU's redistributor (its RD frame and SGI frame), as a
 * non-secure guest sees a GICv3 without LPIs.  The per-interrupt
 * registers (enable, pending, active, priority, configuration) sit at
 * the same offsets in the distributor (SPIs) and in a redistributor's SGI
 * frame (that vCPU's SGIs and PPIs), so one decoder serves both.
 */
#include "vgic.h"

/* The distributor's frame. */
#define GICD_CTLR	 0x0000
#define GICD_TYPER	 0x0004
#define GICD_IIDR	 0x0008
#define GICD_IROUTER	 0x6000 /* + 8 * INTID, INTIDs 32..1019 */
#define GICD_IROUTER_END 0x7fe0

/* A redistributor's RD frame, and where its SGI frame starts. */
#define GICR_CTLR     0x0000
#define GICR_IIDR     0x0004
#define GICR_TYPER    0x0008
#define GICR_WAKER    0x0014
#define GICR_SGI_BASE 0x10000

/* The per-interrupt registers, in either frame. */
#define IGROUPR	       0x0080
#define ISENABLER      0x0100
#define ICENABLER      0x0180
#define ISPENDR	       0x0200
#define ICPENDR	       0x0280
#define ISACTIVER      0x0300
#define ICACTIVER      0x0380
#define IPRIORITYR     0x0400
#define IRQ_BITS_END   0x0400
#define IPRIORITYR_END 0x0800
#define ICFGR	       0x0c00
#define ICFGR_END      0x0d00

/* Both frames' PIDR2: ArchRev 3 (GICv3), JEDEC-assigned ID. */
#define GIC_PIDR2	      0xffe8
#define GIC_PIDR2_V3	      0x3b
#define GICD_TYPER_ID_BITS(n) (((n)-1u) << 19)
#define GICD_TYPER_NO1N	      (1u << 25)
#define GICR_TYPER_LAST	      (1ull << 4)
#define GICR_WAKER_SLEEP      (1u << 1)
#define GICR_WAKER_ASLEEP     (1u << 2)
#define IROUTER_AFFINITY      0xff00ffffffull

static bool valid_access(const struct hv_vgic_access *a)
{
	return (a->size == 1 || a->size == 2 || a->size == 4 || a->size == 8) &&
	       a->offset % a->size == 0;
}

/* The bit register at `off` (ISENABLER..ICACTIVER, one bit for each of
 * 32 interrupts from `first`) on interrupt `irq`: its bit, or do what a
 * 1 written to it does. */
static bool bit_read(unsigned int reg, const struct hv_vgic_irq *irq)
{
	switch (reg) {
	case ISENABLER:
	case ICENABLER:
		return irq->enabled;
	case ISPENDR:
	case ICPENDR:
		return vgic_is_pending(irq);
	case ISACTIVER:
	case ICACTIVER:
		return irq->active;
	default: /* IGROUPR: every interrupt is group 1 */
		return true;
	}
}

static void bit_write(unsigned int reg, struct hv_vgic_irq *irq)
{
	switch (reg) {
	case ISENABLER:
		irq->enabled = true;
		break;
	case ICENABLER:
		irq->enabled = false;
		break;
	case ISPENDR:
		vgic_make_pending(irq);
		break;
	case ICPENDR:
		vgic_clear_pending(irq);
		break;
	case ISACTIVER:
		irq->active = true;
		break;
	case ICACTIVER:
		irq->active = false;
		break;
	default: /* IGROUPR: group 1 only */
		break;
	}
}

/*
 * The per-interrupt registers at `off`, for the interrupts [lo, hi) this
 * frame serves (SGIs and PPIs of vCPU `vcpu`, or the SPIs); the others'
 * bits and bytes read as zero and ignore writes.
 */
static int irq_regs(struct hv_vgic *g, unsigned int vcpu,
		    struct hv_vgic_access *a, uint64_t off, unsigned int lo,
		    unsigned int hi, uint64_t *kick)
{
	unsigned int reg, first, per_irq, width;
	uint64_t val = 0;

	if (off >= IGROUPR && off < IRQ_BITS_END) {
		reg = (unsigned int)off & ~0x7fu;
		first = ((unsigned int)off & 0x7fu) * 8;
		per_irq = 1;
	} else if (off >= IPRIORITYR && off < IPRIORITYR_END) {
		reg = IPRIORITYR;
		first = (unsigned int)(off - IPRIORITYR);
		per_irq = 8;
	} else if (off >= ICFGR && off < ICFGR_END) {
		reg = ICFGR;
		first = (unsigned int)(off - ICFGR) * 4;
		per_irq = 2;
	} else {
		a->val = 0; /* IGRPMODR, NSACR, ITARGETSR...: RAZ/WI */
		return 0;
	}
	/* Byte access only to priorities; the rest are 32-bit registers. */
	if (a->size != 4 && !(reg == IPRIORITYR && a->size == 1))
		return -HV_EINVAL;
	width = a->size * 8 / per_irq; /* interrupts the access covers */
	for (unsigned int i = 0; i < width; i++) {
		unsigned int intid = first + i;
		uint64_t field = a->write ? (a->val >> (i * per_irq)) &
						((1u << per_irq) - 1u)
					  : 0;
		struct hv_vgic_irq *irq;

		if (intid < lo || intid >= hi)
			continue;
		irq = vgic_irq(g, vcpu, intid);
		if (reg == IPRIORITYR) {
			if (a->write)
				irq->priority = field & HV_VGIC_PRIO_MASK;
			val |= (uint64_t)irq->priority << (i * 8);
		} else if (reg == ICFGR) {
			/* SGIs are edge-triggered, always. */
			if (a->write && intid >= 16)
				irq->edge = field & 2u;
			val |= (uint64_t)(irq->edge ? 2u : 0u) << (i * 2);
		} else {
			if (a->write && field)
				bit_write(reg, irq);
			val |= (uint64_t)bit_read(reg, irq) << i;
		}
		if (a->write)
			*kick |= vgic_kick_if_deliverable(g, vcpu, intid);
	}
	if (!a->write)
		a->val = val;
	return 0;
}

/* A 64-bit register `reg` read or written whole or by 32-bit halves. */
static bool reg64(struct hv_vgic_access *a, uint64_t off, uint64_t *reg)
{
	unsigned int shift = (unsigned int)(off & 4u) * 8;
	uint64_t mask = a->size == 8 ? ~0ull : 0xffffffffull << shift;

	if (a->size != 8 && a->size != 4)
		return false;
	if (a->write)
		*reg = (*reg & ~mask) | ((a->val << shift) & mask);
	else
		a->val = (*reg & mask) >> shift;
	return true;
}

/* The vCPU with this affinity, or HV_VGIC_NO_VCPU. */
static uint16_t vcpu_of_affinity(const struct hv_vgic *g, uint64_t aff)
{
	for (unsigned int v = 0; v < g->nr_vcpus; v++)
		if (hv_vgic_affinity(v) == (aff & IROUTER_AFFINITY))
			return (uint16_t)v;
	return HV_VGIC_NO_VCPU;
}

static int irouter(struct hv_vgic *g, struct hv_vgic_access *a, uint64_t off,
		   uint64_t *kick)
{
	unsigned int intid = (unsigned int)((off - GICD_IROUTER) / 8);
	struct hv_vgic_irq *irq = vgic_irq(g, 0, intid);
	uint64_t none = 0; /* beyond the SPIs: reads as zero */

	if (intid < HV_VGIC_NR_PRIVATE || !irq)
		return reg64(a, off, &none) ? 0 : -HV_EINVAL;
	if (!reg64(a, off, &irq->irouter))
		return -HV_EINVAL;
	if (a->write) {
		irq->irouter &= IROUTER_AFFINITY; /* no 1-of-N (TYPER.No1N) */
		irq->target = vcpu_of_affinity(g, irq->irouter);
		*kick |= vgic_kick_if_deliverable(g, 0, intid);
	}
	return 0;
}

/* A 32-bit register that reads `val` and ignores writes. */
static int ro32(struct hv_vgic_access *a, uint32_t val)
{
	if (a->size != 4)
		return -HV_EINVAL;
	if (!a->write)
		a->val = val;
	return 0;
}

static int dist_ctlr(struct hv_vgic *g, struct hv_vgic_access *a,
		     uint64_t *kick)
{
	if (a->size != 4)
		return -HV_EINVAL;
	if (!a->write) {
		a->val = g->ctlr | VGIC_CTLR_ARE_NS;
		return 0;
	}
	g->ctlr = (uint32_t)a->val & VGIC_CTLR_ENABLES;
	for (unsigned int v = 0; v < g->nr_vcpus; v++)
		if (hv_vgic_vcpu_pending(g, v))
			*kick |= 1ull << v;
	return 0;
}

int hv_vgic_dist_access(struct hv_vgic *g, struct hv_vgic_access *a,
			uint64_t *kick)
{
	uint64_t off = a->offset;

	*kick = 0;
	if (!valid_access(a) || off >= HV_VGIC_DIST_SIZE)
		return -HV_EINVAL;
	switch (off) {
	case GICD_CTLR:
		return dist_ctlr(g, a, kick);
	case GICD_TYPER:
		return ro32(a, ((HV_VGIC_NR_PRIVATE + g->nr_spis) / 32 - 1) |
				   GICD_TYPER_ID_BITS(10) | GICD_TYPER_NO1N);
	case GICD_IIDR: /* no implementer claimed: no quirks to match */
		return ro32(a, 0);
	case GIC_PIDR2:
		return ro32(a, GIC_PIDR2_V3);
	}
	if (off >= GICD_IROUTER && off < GICD_IROUTER_END)
		return irouter(g, a, off, kick);
	if (off >= IGROUPR && off < ICFGR_END)
		return irq_regs(g, a->vcpu, a, off, HV_VGIC_NR_PRIVATE,
				HV_VGIC_NR_PRIVATE + g->nr_spis, kick);
	a->val = 0;
	return 0;
}

static int redist_rd(struct hv_vgic *g, unsigned int vcpu,
		     struct hv_vgic_access *a, uint64_t off, uint64_t *kick)
{
	struct hv_vgic_vcpu *c = &g->vcpus[vcpu];
	uint64_t typer;

	switch (off) {
	case GICR_CTLR: /* no LPIs to enable; writes never pending */
	case GICR_IIDR:
		return ro32(a, 0);
	case GICR_TYPER: /* read-only: a write changes a copy */
	case GICR_TYPER + 4:
		typer = hv_vgic_affinity(vcpu) << 32 | (uint64_t)vcpu << 8 |
			(vcpu + 1 == g->nr_vcpus ? GICR_TYPER_LAST : 0);
		return reg64(a, off, &typer) ? 0 : -HV_EINVAL;
	case GICR_WAKER:
		if (a->size != 4)
			return -HV_EINVAL;
		if (!a->write) {
			a->val = c->asleep
				     ? GICR_WAKER_SLEEP | GICR_WAKER_ASLEEP
				     : 0;
			return 0;
		}
		c->asleep = a->val & GICR_WAKER_SLEEP;
		if (!c->asleep && hv_vgic_vcpu_pending(g, vcpu))
			*kick |= 1ull << vcpu;
		return 0;
	case GIC_PIDR2:
		return ro32(a, GIC_PIDR2_V3);
	}
	a->val = 0;
	return 0;
}

int hv_vgic_redist_access(struct hv_vgic *g, struct hv_vgic_access *a,
			  uint64_t *kick)
{
	unsigned int vcpu = (unsigned int)(a->offset / HV_VGIC_REDIST_STRIDE);
	uint64_t off = a->offset % HV_VGIC_REDIST_STRIDE;

	*kick = 0;
	if (!valid_access(a) || vcpu >= g->nr_vcpus)
		return -HV_EINVAL;
	if (off < GICR_SGI_BASE)
		return redist_rd(g, vcpu, a, off, kick);
	return irq_regs(g, vcpu, a, off - GICR_SGI_BASE, 0, HV_VGIC_NR_PRIVATE,
			kick);
}
