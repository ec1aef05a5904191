/*
 * hv/arm_vcpu.h - running an AArch64 EL1 guest vCPU from EL2.
 *
 * The model is a run loop: hv_arm_vcpu_run() enters the guest and returns
 * when the guest traps to EL2 (a synchronous exception or a physical
 * interrupt), with the guest's general registers saved in the vCPU and the
 * trap's syndrome in v->exit.  The caller handles the exit in plain C and
 * runs the vCPU again (or another one).  Nothing is called back from the
 * exception vectors.
 *
 * EL1 system registers, FP/SIMD, the virtual timer and the GIC virtual CPU
 * interface are switched only when the pCPU changes which vCPU it runs:
 * hv_arm_vcpu_load() before running a vCPU that was not the last one,
 * hv_arm_vcpu_put() when taking it off.
 */
#ifndef HV_ARM_VCPU_H
#define HV_ARM_VCPU_H

#include <hv/types.h>

HV_BEGIN_DECLS

/* Why hv_arm_vcpu_run returned: which vector the guest's trap took. */
enum hv_arm_exit_kind {
	HV_ARM_EXIT_SYNC = 0,
	HV_ARM_EXIT_IRQ = 1,
	HV_ARM_EXIT_FIQ = 2,
	HV_ARM_EXIT_SERROR = 3,
};

/* EL1 (and EL0) system registers a guest owns. */
struct hv_arm_el1_regs {
	uint64_t sctlr, actlr, cpacr, ttbr0, ttbr1, tcr, esr, afsr0, afsr1, far,
	    mair, amair, vbar, contextidr, tpidr, tpidr_el0, tpidrro_el0,
	    sp_el0, sp_el1, elr, spsr, par, cntkctl, csselr, mdscr;
	uint64_t cntv_ctl, cntv_cval; /* the guest's virtual timer */
};

/* A vCPU's FP/SIMD registers, saved while another runs. */
struct hv_arm_fpsimd {
	uint64_t q[32][2]; /* V0-V31, low half first */
	uint64_t fpsr, fpcr;
};

/* GICv3 virtual CPU interface state (4 list registers on QEMU's GIC). */
#define HV_ARM_GIC_MAX_LR 16
/* The ICH_* registers of one vCPU, saved while another runs. */
struct hv_arm_vgic_regs {
	uint64_t lr[HV_ARM_GIC_MAX_LR];
	uint64_t vmcr, ap0r0, ap1r0, hcr;
};

/* The syndrome of the last exit, read at the trap. */
struct hv_arm_exit {
	enum hv_arm_exit_kind kind;
	uint64_t esr;	/* ESR_EL2 */
	uint64_t far;	/* FAR_EL2: faulting virtual address */
	uint64_t hpfar; /* HPFAR_EL2: faulting IPA >> 12, in bits 43:4 */
};

/* The first fields are laid out for the assembly in vcpu_entry.S. */
struct hv_arm_vcpu {
	uint64_t x[31];	   /* guest X0-X30 */
	uint64_t pc;	   /* ELR_EL2 */
	uint64_t pstate;   /* SPSR_EL2 */
	uint64_t host[13]; /* host X19-X30 and SP while the guest runs */
	struct hv_arm_exit exit;
	uint64_t hcr;	 /* HCR_EL2 while this vCPU runs */
	uint64_t vttbr;	 /* VTTBR_EL2: stage-2 root | VMID << 48 */
	uint64_t vmpidr; /* what the guest reads as MPIDR_EL1 */
	uint64_t mdcr;	 /* MDCR_EL2 while this vCPU runs */
	struct hv_arm_el1_regs el1;
	struct hv_arm_fpsimd fp;
	struct hv_arm_vgic_regs vgic;
};

/* PSTATE for entering a guest: EL1h with D, A, I, F masked (Linux boot
 * protocol). */
#define HV_ARM_PSTATE_EL1H_MASKED 0x3c5ull

/*
 * Reset a vCPU to the state a guest kernel expects at its entry: EL1h,
 * MMU and caches off, everything masked, pc = entry, x0 = arg0 (the device
 * tree for Linux), stage-2 root `s2_root` with `vmid`.  `hcr` is the
 * HCR_EL2 value the vCPU runs with (see hv_arm_vcpu_default_hcr); MDCR_EL2
 * is hv_arm_vcpu_default_mdcr() (change v->mdcr after the reset for
 * another).  Runs at EL2: it reads this CPU's MDCR_EL2.
 */
void hv_arm_vcpu_reset(struct hv_arm_vcpu *v, uint64_t entry, uint64_t arg0,
		       hv_paddr_t s2_root, uint16_t vmid, uint64_t vmpidr,
		       uint64_t hcr);

/* HCR_EL2 for an AArch64 EL1 guest under stage-2 translation, with
 * physical IRQ/FIQ/SError routed to EL2 and SMC, WFI and WFE trapped. */
uint64_t hv_arm_vcpu_default_hcr(void);

/*
 * MDCR_EL2 that keeps the performance monitors and the debug registers
 * the hypervisor's: the guest's accesses to them trap (TPM and TPMCR if
 * the CPU has a PMU; TDA, TDOSA, TDRA), and the caller answers them
 * (hv_arm_sysreg_withheld; the AArch32 EL0 ones, exception classes
 * HV_ARM_EC_CP14_*, as undefined instructions).  Otherwise one guest
 * could read and program counters every guest and the hypervisor share,
 * and leave breakpoints armed for the next guest on the pCPU (they are
 * not switched with the vCPU).  Keeps this CPU's HPMN.  At EL2.
 */
uint64_t hv_arm_vcpu_default_mdcr(void);

/* Enter the guest; returns the exit kind (also in v->exit.kind). */
enum hv_arm_exit_kind hv_arm_vcpu_run(struct hv_arm_vcpu *v);

/*
 * Make the guest take an undefined-instruction exception at the trapped
 * instruction (ESR_EL1.EC 0, as Xen does for an HVC without its tag or an
 * unhandled system register).  The vCPU must be loaded.
 */
void hv_arm_vcpu_inject_undef(struct hv_arm_vcpu *v);

/*
 * Make the guest take a data abort at the trapped access, as Xen does for
 * an access to guest-physical space nothing backs: ESR_EL1 from
 * hv_arm_dabt_esr (hv/arm_trap.h), FAR_EL1 = `far` (the faulting virtual
 * address), ELR_EL1 = the access itself, so a handler that fixes nothing
 * must step over it.  The vCPU must be loaded.
 */
void hv_arm_vcpu_inject_dabt(struct hv_arm_vcpu *v, uint64_t far);

/*
 * The same for an instruction fetch nothing backs (hv_arm_iabt_esr):
 * ELR_EL1 and FAR_EL1 are the address fetched from, so the handler
 * resumes somewhere else (a return address it saved, say).
 */
void hv_arm_vcpu_inject_iabt(struct hv_arm_vcpu *v, uint64_t far);

/*
 * Where the vCPU would enter if it took a synchronous exception now
 * (VBAR_EL1 plus the vector for its PSTATE).  The vCPU must be loaded.
 */
uint64_t hv_arm_vcpu_sync_entry(const struct hv_arm_vcpu *v);

/* Switch the pCPU's EL1 state to (load) or from (put) this vCPU. */
void hv_arm_vcpu_load(const struct hv_arm_vcpu *v);
void hv_arm_vcpu_put(struct hv_arm_vcpu *v);

HV_END_DECLS

#endif /* HV_ARM_VCPU_H */
