/*
 * What the adapter keeps in each domain (d->arch) and vCPU (v->arch), and
 * how its files reach each other.
 */
#ifndef HYP_X86_PRIV_H
#define HYP_X86_PRIV_H

#include <hv/hyp_x86.h>
#include <hv/x86_emulate.h>
#include <hv/x86_pit.h>
#include <hv/x86_vlapic.h>

struct domain_arch {
	uint32_t asid;
	/* Channel 2 of its PIT and port 0x61 (exit_io.c; the core's lock
	 * held): the machine's, so the domain's. */
	struct hv_x86_pit2 pit;
};

struct vcpu_arch {
	struct hv_x86_vcpu cpu; /* registers, VMCB, x87/SSE state */
	uint64_t pat;		/* the guest's IA32_PAT (emulated) */
	uint64_t debugctl;	/* its DEBUGCTL: kept, not applied */
	uint64_t exit_code;	/* of the last run */
	/* An event upcall waits to be injected as an interrupt: set by any
	 * pCPU, taken by the one that enters the vCPU next (atomic). */
	uint32_t upcall_pending;
	/* Its domain's P2M changed: flush the TLB at its next VMRUN, on
	 * whichever pCPU (atomic). */
	uint32_t flush_tlb;
	/* Its local APIC (lapic.c): the model, the APIC base MSR's enable
	 * bit, and an INIT seen, waiting for a STARTUP.  The owner's, but
	 * for IRR bits (atomic) and, while it is down or blocked, whoever
	 * holds the core's lock. */
	struct hv_x86_vlapic lapic;
	bool lapic_on;
	bool wait_sipi;
};

static inline struct vcpu_arch *vcpu_arch(struct hv_hyp_vcpu *v)
{
	return v->arch;
}

static inline struct domain_arch *domain_arch(struct hv_hyp_domain *d)
{
	return d->arch;
}

static inline struct hv_hyp_x86 *x86_of(struct hv_hyp *h)
{
	return h->arch_ctx;
}

static inline struct hv_hyp_x86_pcpu *pcpu_arch(struct hv_hyp_pcpu *p)
{
	return p->arch;
}

/* The core's domain_init, domain_destroy, p2m_flush and vcpu_initialise
 * ops (domain.c). */
int hyp_x86_domain_init(struct hv_hyp_domain *d,
			const struct hv_boot_domain *cfg);
void hyp_x86_domain_destroy(struct hv_hyp_domain *d);
void hyp_x86_p2m_flush(struct hv_hyp_domain *d);
int hyp_x86_vcpu_initialise(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
			    uint64_t arg);

/* Exit handlers (exit_*.c, hypercall.c); each advances RIP past what it
 * emulates.  A hypercall from a 32-bit guest translates its structures
 * through pc's bounce page. */
void hyp_x86_exit_cpuid(struct hv_hyp_vcpu *v);
void hyp_x86_exit_cr4_write(struct hv_hyp_vcpu *v);
void hyp_x86_exit_msr(struct hv_hyp_vcpu *v);
void hyp_x86_exit_ioio(struct hv_hyp_vcpu *v);
void hyp_x86_exit_npf(struct hv_hyp_vcpu *v);
void hyp_x86_exit_vmmcall(struct hv_hyp_x86_pcpu *pc, struct hv_hyp_vcpu *v);

/* A processor leaf as a guest's vCPU of APIC ID apic_id sees it
 * (exit_cpuid.c): the host's, through hv_x86_cpuid_guest and _apic. */
void hyp_x86_guest_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t apic_id,
			 struct hv_x86_cpuid_regs *r);

/* The local APIC (lapic.c).  reset: at domain build; read, write: `size`
 * bytes at guest-physical gpa (the emulator's accesses), false if gpa is
 * not on v's enabled xAPIC page; msr_read, msr_write: an x2APIC MSR,
 * false where the guest gets #GP; set_base: an APIC base MSR write, false if
 * refused
 * (#GP); deliver: before entering v (no lock), the timer fired if due and
 * the APIC's interrupt injected or its window opened; has_work: an
 * interrupt v could take now (HLT must not block); upcall: raise the
 * event upcall on v's APIC, false when the APIC cannot take it (not
 * software-enabled) and it must be injected directly; wake_time: the
 * core's vcpu_wake_time op. */
void hyp_x86_lapic_reset(struct hv_hyp_vcpu *v);
bool hyp_x86_lapic_read(struct hv_hyp_vcpu *v, hv_gpaddr_t gpa, uint8_t *buf,
			unsigned int size);
bool hyp_x86_lapic_write(struct hv_hyp_vcpu *v, hv_gpaddr_t gpa,
			 const uint8_t *buf, unsigned int size);
bool hyp_x86_lapic_msr_read(struct hv_hyp_vcpu *v, uint32_t msr, uint64_t *val);
bool hyp_x86_lapic_msr_write(struct hv_hyp_vcpu *v, uint32_t msr, uint64_t val);
bool hyp_x86_lapic_set_base(struct hv_hyp_vcpu *v, uint64_t val);
uint64_t hyp_x86_lapic_base(struct hv_hyp_vcpu *v);
void hyp_x86_lapic_deliver(struct hv_hyp_vcpu *v, hv_time_t now);
/* Inject external interrupt `vector` into v now if it can take it; else
 * (false) open a window for it, or leave it behind one injected earlier
 * that v has not taken yet (hv_x86_vmcb_inject_intr).  See lapic.c for
 * the HLT it may complete. */
bool hyp_x86_inject_intr(struct hv_hyp_vcpu *v, uint8_t vector);
bool hyp_x86_lapic_has_work(struct hv_hyp_vcpu *v, hv_time_t now);
bool hyp_x86_lapic_upcall(struct hv_hyp_vcpu *v, uint8_t vector);
hv_time_t hyp_x86_lapic_wake_time(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v);

/* Rewrite v's pvclock record (time.c). */
void hyp_x86_time_update(struct hv_hyp_vcpu *v);

/* Guest-linear access as the vCPU's current mode translates it
 * (guest_linear.c); linear_to_gpa: one address through the guest's page
 * tables for `access` (HV_X86_ACCESS_*), 0, -HV_EFAULT (not present)
 * or -HV_EACCES (forbidden), as hv_x86_guest_linear_to_phys. */
void hyp_x86_gmem_linear(struct hv_gmem *gm, struct hv_hyp_vcpu *v);
int hyp_x86_linear_to_gpa(struct hv_hyp_vcpu *v, uint64_t linear,
			  unsigned int access, hv_gpaddr_t *gpa);

#endif
