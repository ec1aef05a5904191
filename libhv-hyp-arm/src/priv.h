/*
 * What the adapter keeps in each domain (d->arch) and vCPU (v->arch), and
 * how its files reach each other.
 */
#ifndef HYP_ARM_PRIV_H
#define HYP_ARM_PRIV_H

#include <hv/arm_trap.h>
#include <hv/arm_vcpu.h>
#include <hv/hyp_arm.h>

struct domain_arch {
	uint16_t vmid; /* domid + 1: VMID 0 is nobody's */
};

struct vcpu_arch {
	struct hv_arm_vcpu cpu;		 /* registers, EL1 and GIC state */
	enum hv_arm_exit_kind exit_kind; /* of the last run */
	/* Interrupts to put in its list registers when it next enters (bit
	 * n: INTID n < 32): set by any pCPU, taken by the one that runs it. */
	uint32_t irqs;
};

static inline struct vcpu_arch *vcpu_arch(struct hv_hyp_vcpu *v)
{
	return v->arch;
}

static inline struct domain_arch *domain_arch(struct hv_hyp_domain *d)
{
	return d->arch;
}

static inline struct hv_hyp_arm *arm_of(struct hv_hyp *h)
{
	return h->arch_ctx;
}

static inline struct hv_hyp_arm_pcpu *pcpu_arch(struct hv_hyp_pcpu *p)
{
	return p->arch;
}

/* The core's domain_init and p2m_flush ops (domain.c); reset a vCPU to
 * enter the guest at `entry` with x0, and make it run. */
int hyp_arm_domain_init(struct hv_hyp_domain *d,
			const struct hv_boot_domain *cfg);
void hyp_arm_p2m_flush(struct hv_hyp_domain *d);
void hyp_arm_vcpu_start(struct hv_hyp_vcpu *v, uint64_t entry, uint64_t x0);

/* A synchronous exception from the guest (exits.c). */
void hyp_arm_sync_exit(struct hv_hyp_vcpu *v);

/* The list registers (lrs.c): make virtual interrupt `intid` (< 32)
 * pending for v, whichever pCPU it runs on (it takes it at its next
 * entry); put what waits into the list registers of v, loaded on pa; the
 * guest's virtual timer fired on pa, where v runs; v leaves pa. */
void hyp_arm_vcpu_inject(struct hv_hyp_vcpu *v, unsigned int intid);
void hyp_arm_lrs_fill(struct hv_hyp_arm_pcpu *pa, struct hv_hyp_vcpu *v);
void hyp_arm_vtimer_fired(struct hv_hyp_arm_pcpu *pa, struct hv_hyp_vcpu *v);
void hyp_arm_vtimer_unlink(struct hv_hyp_arm_pcpu *pa,
			   struct hv_arm_vgic_regs *g);

/* The guest's emulated SBSA UART (vpl011.c): the emulation of a trapped
 * access, false if it is not the UART's or cannot be emulated (no
 * instruction syndrome). */
bool hyp_arm_vpl011_access(struct hv_hyp_vcpu *v, const struct hv_arm_dabt *a);

/* Guest-virtual access for hypercall arguments of the loaded vCPU
 * (guest_va.c). */
void hyp_arm_gmem_guest_va(struct hv_gmem *gm, struct hv_hyp_vcpu *v);

#endif
