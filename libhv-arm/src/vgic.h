/*
 * What the virtual GIC's files share (vgic.c: interrupt state, and
 * vgic_mmio.c: the registers).
 */
#ifndef HV_ARM_VGIC_PRIV_H
#define HV_ARM_VGIC_PRIV_H

#include <hv/arm_vgic.h>

/* GICD_CTLR as a non-secure guest sees it. */
#define VGIC_CTLR_ENABLE_G1  (1u << 0)
#define VGIC_CTLR_ENABLE_G1A (1u << 1)
#define VGIC_CTLR_ENABLES    (VGIC_CTLR_ENABLE_G1 | VGIC_CTLR_ENABLE_G1A)
#define VGIC_CTLR_ARE_NS     (1u << 4)

/* Interrupt `intid` as vCPU `vcpu` names it (its own SGIs and PPIs), or
 * NULL; the vCPU it is delivered to. */
struct hv_vgic_irq *vgic_irq(struct hv_vgic *g, unsigned int vcpu,
			     unsigned int intid);
unsigned int vgic_target(const struct hv_vgic *g, unsigned int vcpu,
			 unsigned int intid);

/* Pending (latched, or a level line held high); and also enabled with its
 * group on: the guest may take it. */
bool vgic_is_pending(const struct hv_vgic_irq *irq);
bool vgic_deliverable(const struct hv_vgic *g, const struct hv_vgic_irq *irq);
/* Bit `target` if the interrupt is deliverable now, else 0. */
uint64_t vgic_kick_if_deliverable(const struct hv_vgic *g, unsigned int vcpu,
				  unsigned int intid);

void vgic_make_pending(struct hv_vgic_irq *irq);
void vgic_clear_pending(struct hv_vgic_irq *irq);

#endif
