/*
 * What the adapter keeps in each domain (d->arch) and vCPU (v->arch), and
 * how its files reach each other.
 */
#ifndef HYP_ARM_PRIV_H
#define HYP_ARM_PRIV_H

#include <hv/arm_trap.h>
#include <hv/arm_vcpu.h>
#include <hv/arm_vgic.h>
#include <hv/hyp_arm.h>
#include <hv/spinlock.h>

/* A domain's SPIs: INTIDs 32-63 (Xen's GUEST_VPL011_SPI is 32). */
#define HYP_ARM_NR_SPIS 32

/* The emulated UART's state (vpl011.c), under the core's lock. */
struct hyp_arm_vpl011 {
	char rx[256]; /* typed at the console, not read yet */
	uint16_t rx_head, rx_len;
	uint32_t imsc; /* UARTIMSC: the interrupts the guest wants */
};

struct domain_arch {
	uint16_t vmid; /* domid + 1: VMID 0 is nobody's */
	struct hyp_arm_vpl011 uart;
	/* Its virtual GIC, under vgic_lock: taken by any pCPU at its
	 * vCPUs' entries and exits (no core lock held there), and after
	 * the core's lock where both are held. */
	hv_spinlock_t vgic_lock;
	struct hv_vgic vgic;
	struct hv_vgic_vcpu *vgic_cpus; /* nr_vcpus, from the core's heap */
	struct hv_vgic_irq spis[HYP_ARM_NR_SPIS];
};

struct vcpu_arch {
	struct hv_arm_vcpu cpu;		 /* registers, EL1 and GIC state */
	struct hv_arm_ptimer ptimer;	 /* its EL1 physical timer */
	enum hv_arm_exit_kind exit_kind; /* of the last run */
	unsigned int exit_intid;	 /* its interrupt, if an IRQ */
	unsigned int lrs_used; /* list registers it entered with in use */
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

/* The core's domain_init, domain_destroy and p2m_flush ops (domain.c);
 * reset a vCPU to enter the guest at `entry` with x0, and make it run. */
int hyp_arm_domain_init(struct hv_hyp_domain *d,
			const struct hv_boot_domain *cfg);
void hyp_arm_domain_destroy(struct hv_hyp_domain *d);
void hyp_arm_p2m_flush(struct hv_hyp_domain *d);
void hyp_arm_vcpu_start(struct hv_hyp_vcpu *v, uint64_t entry, uint64_t x0);

/* A synchronous exception from the guest (exits.c). */
void hyp_arm_sync_exit(struct hv_hyp_vcpu *v);

/* The vGIC and the list registers (lrs.c): a private interrupt of v made
 * pending until taken (it takes it at its next entry, kicked if it runs
 * elsewhere, woken if blocked: the core's lock held); the vCPUs in `kick` have
 * one to take; the list registers of v, loaded on pa, at its entry and its
 * exit; the guest's virtual timer fired on pa, where v runs; v leaves
 * pa; whether v has an interrupt to take. */
void hyp_arm_vcpu_inject(struct hv_hyp_vcpu *v, unsigned int intid);
void hyp_arm_vgic_kick(struct hv_hyp_domain *d, uint64_t kick);
void hyp_arm_lrs_flush(struct hv_hyp_arm_pcpu *pa, struct hv_hyp_vcpu *v);
void hyp_arm_lrs_sync(struct hv_hyp_arm_pcpu *pa, struct hv_hyp_vcpu *v);
void hyp_arm_vtimer_fired(struct hv_hyp_arm_pcpu *pa, struct hv_hyp_vcpu *v);
void hyp_arm_vtimer_unlink(struct hv_hyp_arm_pcpu *pa,
			   struct hv_arm_vgic_regs *g);
bool hyp_arm_vcpu_irq_pending(struct hv_hyp_vcpu *v);

/* The guest's EL1 physical timer (ptimer.c): the pCPU's hardware timer
 * set for v as it is loaded, or stopped as it leaves; a trapped CNTP
 * register access emulated (false if the register is another); PPI 30
 * fired while v was loaded; when it wakes a blocked v (or HV_TIME_NEVER). */
void hyp_arm_ptimer_load(struct hv_hyp_vcpu *v);
void hyp_arm_ptimer_put(void);
bool hyp_arm_ptimer_sysreg(struct hv_hyp_vcpu *v,
			   const struct hv_arm_sysreg_access *a);
void hyp_arm_ptimer_fired(struct hv_hyp_vcpu *v);
hv_time_t hyp_arm_ptimer_wake_time(const struct hv_hyp_arm *a,
				   struct hv_hyp_vcpu *v);

/* The guest's GIC registers (vgic_mmio.c): whether a trapped access was
 * to them, emulated (true), or refused (*refused). */
bool hyp_arm_vgic_mmio(struct hv_hyp_vcpu *v, const struct hv_arm_dabt *a,
		       bool *refused);

/* The guest's emulated SBSA UART (vpl011.c): the emulation of a trapped
 * access, false if it is not the UART's or cannot be emulated (no
 * instruction syndrome). */
bool hyp_arm_vpl011_access(struct hv_hyp_vcpu *v, const struct hv_arm_dabt *a);
/* Console input for d: into the UART's receive FIFO (the core's
 * console_input op); what does not fit is dropped. */
void hyp_arm_vpl011_input(struct hv_hyp_domain *d, const char *s, size_t len);

/* Guest-virtual access for hypercall arguments of the loaded vCPU
 * (guest_va.c). */
void hyp_arm_gmem_guest_va(struct hv_gmem *gm, struct hv_hyp_vcpu *v);

#endif
