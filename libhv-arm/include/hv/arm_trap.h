/*
 * hv/arm_trap.h - decoding why an AArch64 guest trapped to EL2.
 *
 * Pure functions of ESR_EL2 (and HPFAR/FAR), so they are unit-tested on
 * the host.  Field layouts: Arm ARM D13.2.37 (ESR_EL2), D13.2.55 (HPFAR).
 */
#ifndef HV_ARM_TRAP_H
#define HV_ARM_TRAP_H

#include <hv/types.h>

HV_BEGIN_DECLS

/* Exception classes (ESR_EL2.EC) that hvkit handles. */
enum hv_arm_ec {
	HV_ARM_EC_UNKNOWN = 0x00,
	HV_ARM_EC_WFX = 0x01,
	HV_ARM_EC_CP14_MR = 0x05, /* AArch32 MCR/MRC to coprocessor 14 */
	HV_ARM_EC_CP14_LS = 0x06, /* AArch32 LDC/STC to coprocessor 14 */
	HV_ARM_EC_FP_ACCESS = 0x07,
	HV_ARM_EC_CP14_64 = 0x0c, /* AArch32 MRRC to coprocessor 14 */
	HV_ARM_EC_ILLEGAL_STATE = 0x0e,
	HV_ARM_EC_HVC64 = 0x16,
	HV_ARM_EC_SMC64 = 0x17,
	HV_ARM_EC_SYSREG = 0x18,
	HV_ARM_EC_IABT_LOWER = 0x20,
	HV_ARM_EC_IABT_CURRENT = 0x21,
	HV_ARM_EC_PC_ALIGN = 0x22,
	HV_ARM_EC_DABT_LOWER = 0x24,
	HV_ARM_EC_DABT_CURRENT = 0x25,
	HV_ARM_EC_SP_ALIGN = 0x26,
	HV_ARM_EC_SERROR = 0x2f,
	HV_ARM_EC_BRK64 = 0x3c,
};

/* A syndrome's exception class (ESR_ELx.EC, enum hv_arm_ec). */
static inline unsigned int hv_arm_esr_ec(uint64_t esr)
{
	return (unsigned int)(esr >> 26) & 0x3f;
}

/* A syndrome's instruction-specific part (ESR_ELx.ISS). */
static inline uint32_t hv_arm_esr_iss(uint64_t esr)
{
	return (uint32_t)esr & 0x1ffffff;
}

/* Length of the trapped instruction in bytes (ESR.IL: 4, or 2 for T32). */
static inline unsigned int hv_arm_esr_insn_len(uint64_t esr)
{
	return (esr >> 25) & 1 ? 4 : 2;
}

/* HVC/SMC: the immediate. */
static inline uint16_t hv_arm_esr_imm16(uint64_t esr)
{
	return (uint16_t)esr;
}

/* WFI/WFE: true for WFE. */
static inline bool hv_arm_esr_is_wfe(uint64_t esr)
{
	return esr & 1;
}

/* A data abort from the guest (EC 0x24), decoded. */
struct hv_arm_dabt {
	bool valid;	       /* ISV: the fields below describe the access */
	bool write;	       /* WnR */
	bool sign_extend;      /* SSE */
	bool sf;	       /* the register is 64-bit (else 32-bit) */
	unsigned int size;     /* access size in bytes: 1, 2, 4 or 8 */
	unsigned int reg;      /* SRT: 0-30, 31 = xzr */
	bool s1ptw;	       /* fault on a stage-1 page-table walk */
	unsigned int fsc;      /* DFSC: fault status code */
	hv_gpaddr_t ipa;       /* the faulting guest-physical address */
	unsigned int insn_len; /* the access's bytes: 4, or 2 (16-bit T32) */
};

/* Decode a data abort; `hpfar` and `far` give the faulting IPA. */
void hv_arm_decode_dabt(uint64_t esr, uint64_t hpfar, uint64_t far,
			struct hv_arm_dabt *out);

/* A trapped MSR/MRS (EC 0x18), decoded. */
struct hv_arm_sysreg_access {
	unsigned int op0, op1, crn, crm, op2;
	unsigned int reg; /* Rt */
	bool read;	  /* MRS (else MSR) */
};

/* Decode the syndrome of a trapped MSR/MRS. */
void hv_arm_decode_sysreg(uint64_t esr, struct hv_arm_sysreg_access *out);

/* The sysreg encoding as one number, to compare with HV_ARM_SYSREG(). */
#define HV_ARM_SYSREG(op0, op1, crn, crm, op2)                                 \
	((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2))

/* The decoded access's register as HV_ARM_SYSREG() numbers it. */
static inline unsigned int
hv_arm_sysreg_id(const struct hv_arm_sysreg_access *a)
{
	return HV_ARM_SYSREG(a->op0, a->op1, a->crn, a->crm, a->op2);
}

/*
 * Whether the access is to a register the hypervisor keeps from guests,
 * which MDCR_EL2 traps (hv_arm_vcpu_default_mdcr): the performance
 * monitors (PMCR_EL0, PMCCNTR_EL0, PMUSERENR_EL0, PMINTENSET_EL1,
 * PMEVCNTR<n>_EL0, ... : op0 3, CRn 9 with CRm 12-14, and op1 3, CRn 14
 * with CRm 8-15) and the debug registers (op0 2 with op1 0 or 3:
 * breakpoints, watchpoints, MDSCR_EL1, the OS lock, the debug comms
 * channel).  They read as *value and ignore writes: 0, but OSLSR_EL1 (the
 * OS lock is implemented) and MDCCSR_EL0 (the channel's transmit side is
 * full, so nobody takes it for a console).  Xen answers most of them so
 * (its vsysreg.c) and the rest, the event counters and the less used debug
 * registers, as undefined; here one rule covers them all.
 */
bool hv_arm_sysreg_withheld(const struct hv_arm_sysreg_access *a,
			    uint64_t *value);

/*
 * Injecting a synchronous exception into an AArch64 EL1 guest: the offset
 * from VBAR_EL1 of the vector it enters, given the guest's PSTATE when it
 * took it (EL1h: current EL with SP_ELx; EL1t: current EL with SP_EL0;
 * EL0: lower EL, AArch64 or AArch32 by PSTATE.nRW).
 */
uint64_t hv_arm_sync_vector(uint64_t pstate);

/*
 * ESR_EL1 of the data abort Xen injects for an access nothing backs
 * (inject_dabt_exception in xen/arch/arm/traps.c): EC 0x25 from EL1 or
 * 0x24 from EL0, IL set, and ISS 0 as Xen writes it (DFSC 0b000000, no
 * WnR: the guest learns only that the access at FAR_EL1 failed).
 */
uint64_t hv_arm_dabt_esr(uint64_t pstate);

/*
 * ESR_EL1 of the instruction abort Xen injects for a fetch from
 * guest-physical space nothing backs (inject_iabt_exception): EC 0x21
 * from EL1 or 0x20 from EL0, IL set, ISS 0.
 */
uint64_t hv_arm_iabt_esr(uint64_t pstate);

/* A name for an exception class, for messages ("HVC64", "DABT_LOWER"). */
const char *hv_arm_ec_name(unsigned int ec);

HV_END_DECLS

#endif /* HV_ARM_TRAP_H */
