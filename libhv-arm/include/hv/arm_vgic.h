/*
 * hv/arm_vgic.h - a virtual GICv3 for a domain: the distributor and one
 * redistributor per vCPU as the guest sees them through trapped MMIO, and
 * the bookkeeping that moves interrupts in and out of a vCPU's list
 * registers.  A GICv3 without LPIs or ITS, one security state as a
 * non-secure guest sees it (every interrupt group 1, affinity routing
 * always on), 5 priority bits, SPIs routed by IROUTER to one vCPU.
 *
 * Portable state and logic only: no system register is touched, so the
 * whole model is unit-tested on the host.  The caller owns every byte
 * (the vCPU array and the SPI array), serialises calls per domain, traps
 * the guest's accesses (data aborts on the two regions, ICC_SGI1R_EL1
 * writes), and kicks the vCPUs a call says now have something to take.
 *
 * vCPU n has MPIDR affinity hv_vgic_affinity(n): Aff0 = n % 16, Aff1 =
 * n / 16 (a redistributor's TYPER and a guest's SGIs name vCPUs by it).
 */
#ifndef HV_ARM_VGIC_H
#define HV_ARM_VGIC_H

#include <hv/error.h>
#include <hv/types.h>

HV_BEGIN_DECLS

#define HV_VGIC_NR_PRIVATE 32	/* SGIs 0-15 and PPIs 16-31, per vCPU */
#define HV_VGIC_MAX_SPIS   960	/* INTIDs 32-991 */
#define HV_VGIC_MAX_VCPUS  64	/* the width of a kick mask */
#define HV_VGIC_PRIO_MASK  0xf8 /* 5 priority bits, as the list registers */
#define HV_VGIC_MAX_LRS	   16	/* list registers a GICv3 may have */

#define HV_VGIC_DIST_SIZE     0x10000 /* one 64 KiB frame */
#define HV_VGIC_REDIST_STRIDE 0x20000 /* RD and SGI frames, per vCPU */
#define HV_VGIC_NO_VCPU	      0xffffu /* an SPI IROUTER names nobody */

/* One interrupt's state.  The caller allocates them; the model sets them
 * up (hv_vgic_init) and owns every field. */
struct hv_vgic_irq {
	uint64_t irouter; /* SPI: as the guest wrote it */
	uint16_t target;  /* SPI: the vCPU it routes to, or HV_VGIC_NO_VCPU */
	uint8_t priority;
	uint8_t lr; /* the list register it is in + 1; 0: none */
	bool enabled;
	bool pending; /* latched: fired, or made pending by the guest */
	bool active;
	bool edge; /* edge-triggered; else level-sensitive */
	bool line; /* level-sensitive: the device holds it high */
	bool hw;   /* forwarded hardware-linked (lr holds the physical) */
	/* Fired again while in a list register: pending at the next sync. */
	bool repend;
};

/* One vCPU's part: its SGIs and PPIs, and its redistributor's state. */
struct hv_vgic_vcpu {
	struct hv_vgic_irq priv[HV_VGIC_NR_PRIVATE];
	bool asleep; /* GICR_WAKER.ProcessorSleep */
};

/* A domain's virtual GICv3 (distributor, redistributors, interrupts). */
struct hv_vgic {
	uint32_t ctlr; /* GICD_CTLR's enables (EnableGrp1, EnableGrp1A) */
	unsigned int nr_vcpus;
	struct hv_vgic_vcpu *vcpus;
	unsigned int nr_spis;
	struct hv_vgic_irq *spis;
};

/* An affinity (MPIDR_EL1's Aff fields) for vCPU n, as VMPIDR_EL2 gives
 * it to the guest. */
uint64_t hv_vgic_affinity(unsigned int vcpu);

/*
 * A GIC at reset over the caller's arrays: nr_vcpus (1..64) vCPUs, nr_spis
 * SPIs (a multiple of 32, up to HV_VGIC_MAX_SPIS): everything disabled,
 * inactive, not pending, priority 0, SGIs edge and the rest level,
 * every SPI routed to vCPU 0, every redistributor asleep.  0 or -HV_EINVAL.
 */
int hv_vgic_init(struct hv_vgic *g, struct hv_vgic_vcpu *vcpus,
		 unsigned int nr_vcpus, struct hv_vgic_irq *spis,
		 unsigned int nr_spis);

/*
 * A trapped access by vCPU `vcpu`: `offset` into the distributor's frame,
 * or into the redistributor region (vCPU n's frames at n *
 * HV_VGIC_REDIST_STRIDE), `size` 1, 2, 4 or 8 bytes, `val` written or
 * read.  Registers the model does not have read as zero and ignore
 * writes, as the architecture's reserved space does.  0, or -HV_EINVAL
 * for an access no register allows (a width or alignment the register
 * does not take, beyond the region): the caller gives the guest a data
 * abort.  *kick gets the vCPUs that have an interrupt to take because of
 * it (bit n: vCPU n).
 */
struct hv_vgic_access {
	uint64_t offset;
	unsigned int size;
	bool write;
	uint64_t val;
	unsigned int vcpu;
};

/* The access on the distributor's frame, or on the redistributors'. */
int hv_vgic_dist_access(struct hv_vgic *g, struct hv_vgic_access *a,
			uint64_t *kick);
int hv_vgic_redist_access(struct hv_vgic *g, struct hv_vgic_access *a,
			  uint64_t *kick);

/*
 * A guest's ICC_SGI1R_EL1 write from vCPU `from`: SGI INTID (bits 27:24)
 * pending for each vCPU its target list and affinity name, or for every
 * vCPU but `from` (IRM, bit 40).  Returns those vCPUs (bit n: vCPU n).
 */
uint64_t hv_vgic_sgi(struct hv_vgic *g, unsigned int from, uint64_t sgi1r);

/*
 * A device's interrupt: `intid` (an SPI, or a private interrupt of vCPU
 * `vcpu`) fires (edge) or its line goes high (level), or the line goes
 * low.  hv_vgic_raise returns the vCPU that now has it to take, or -1
 * (no such interrupt, disabled, or routed nowhere).
 */
int hv_vgic_raise(struct hv_vgic *g, unsigned int vcpu, unsigned int intid);
void hv_vgic_lower(struct hv_vgic *g, unsigned int vcpu, unsigned int intid);

/*
 * Make `intid` pending until the guest takes it, whatever its
 * configuration, as a write to its ISPENDR bit does: for a source with no
 * line to hold, such as Xen's event upcall (raised again for each new
 * event, and level-sensitive in a guest's device tree).  Returns as
 * hv_vgic_raise does.
 */
int hv_vgic_set_pending(struct hv_vgic *g, unsigned int vcpu,
			unsigned int intid);

/* Forward `intid` of vCPU `vcpu` hardware-linked: its list register names
 * the physical interrupt of the same INTID, which the guest's EOI ends
 * (a virtual timer's PPI).  Raising it latches it, whatever its
 * configuration: the physical one cannot fire again before that EOI.
 * Off again with hw false. */
void hv_vgic_set_hw(struct hv_vgic *g, unsigned int vcpu, unsigned int intid,
		    bool hw);

/* Whether vCPU `vcpu` has an interrupt to take: pending, enabled and its
 * group enabled (what wakes it from WFI). */
bool hv_vgic_vcpu_pending(const struct hv_vgic *g, unsigned int vcpu);

/*
 * Before vCPU `vcpu` enters: the list registers lr[0..nr_lr) to load.
 * Interrupts already in them keep their places (active ones until the
 * guest ends them) with their state and priority as the model now has
 * them, and their link to a physical interrupt (HW, pINTID) or EOI
 * request as the list register has it (the caller may unlink one); free ones
 * take the waiting interrupts with the highest priority (lowest value,
 * then lowest INTID).  A level-sensitive interrupt asks for a maintenance
 * interrupt at its EOI (its line may still be high).  Returns whether
 * some are still waiting: the caller then asks for the underflow
 * maintenance interrupt (ICH_HCR_EL2.UIE) to come back for them.
 */
bool hv_vgic_flush_lrs(struct hv_vgic *g, unsigned int vcpu, uint64_t *lr,
		       unsigned int nr_lr);

/*
 * After vCPU `vcpu` exits: what the guest did with the interrupts in its
 * list registers (acknowledged, ended) goes back into the model, and the
 * list registers it ended are freed (zeroed).
 */
void hv_vgic_sync_lrs(struct hv_vgic *g, unsigned int vcpu, uint64_t *lr,
		      unsigned int nr_lr);

HV_END_DECLS

#endif /* HV_ARM_VGIC_H */
