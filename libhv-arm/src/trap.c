/* Decoding ESR_EL2 for guest exits. */
#include <hv/arm_trap.h>

#define ISS_DABT_ISV	   (1u << 24)
#define ISS_DABT_SAS_SHIFT 22
#define ISS_DABT_SSE	   (1u << 21)
#define ISS_DABT_SRT_SHIFT 16
#define ISS_DABT_SF	   (1u << 15)
#define ISS_DABT_S1PTW	   (1u << 7)
#define ISS_DABT_WNR	   (1u << 6)
#define ISS_DABT_FSC_MASK  0x3fu

/* HPFAR_EL2.FIPA (bits 43:4) holds IPA bits 51:12. */
#define HPFAR_FIPA_MASK 0xfffffffffff0ull

void hv_arm_decode_dabt(uint64_t esr, uint64_t hpfar, uint64_t far,
			struct hv_arm_dabt *out)
{
	uint32_t iss = hv_arm_esr_iss(esr);

	out->valid = iss & ISS_DABT_ISV;
	out->write = iss & ISS_DABT_WNR;
	out->sign_extend = iss & ISS_DABT_SSE;
	out->sf = iss & ISS_DABT_SF;
	out->size = 1u << ((iss >> ISS_DABT_SAS_SHIFT) & 3);
	out->reg = (iss >> ISS_DABT_SRT_SHIFT) & 0x1f;
	out->s1ptw = iss & ISS_DABT_S1PTW;
	out->fsc = iss & ISS_DABT_FSC_MASK;
	out->ipa = (hpfar & HPFAR_FIPA_MASK) << 8 | (far & 0xfff);
	out->insn_len = hv_arm_esr_insn_len(esr);
}

void hv_arm_decode_sysreg(uint64_t esr, struct hv_arm_sysreg_access *out)
{
	uint32_t iss = hv_arm_esr_iss(esr);

	out->op0 = (iss >> 20) & 3;
	out->op2 = (iss >> 17) & 7;
	out->op1 = (iss >> 14) & 7;
	out->crn = (iss >> 10) & 0xf;
	out->reg = (iss >> 5) & 0x1f;
	out->crm = (iss >> 1) & 0xf;
	out->read = iss & 1;
}

#define OSLSR_EL1	HV_ARM_SYSREG(2, 0, 1, 1, 4)
#define OSLSR_OSLM_BIT1 (1u << 3) /* the OS lock is implemented */
#define MDCCSR_EL0	HV_ARM_SYSREG(2, 3, 0, 1, 0)
/* The comms channel's transmit side is always full: Linux's hvc_dcc
 * writes a character and takes "not full" for a channel that works. */
#define MDCCSR_TXFULL (1u << 29)

static bool sysreg_is_pmu(const struct hv_arm_sysreg_access *a)
{
	if (a->op0 != 3)
		return false;
	/* PMCR_EL0 .. PMOVSSET_EL0, PMINTENSET/CLR_EL1, PMMIR_EL1 */
	if (a->crn == 9 && a->crm >= 12 && a->crm <= 14)
		return a->op1 == 0 || a->op1 == 3;
	/* PMEVCNTR<n>_EL0, PMEVTYPER<n>_EL0, PMCCFILTR_EL0 */
	return a->op1 == 3 && a->crn == 14 && a->crm >= 8;
}

/* op1 1 is the trace unit's, 4 EL2's DBGVCR32_EL2. */
static bool sysreg_is_debug(const struct hv_arm_sysreg_access *a)
{
	return a->op0 == 2 && (a->op1 == 0 || a->op1 == 3);
}

bool hv_arm_sysreg_withheld(const struct hv_arm_sysreg_access *a,
			    uint64_t *value)
{
	if (!sysreg_is_pmu(a) && !sysreg_is_debug(a))
		return false;
	switch (hv_arm_sysreg_id(a)) {
	case OSLSR_EL1:
		*value = OSLSR_OSLM_BIT1;
		break;
	case MDCCSR_EL0:
		*value = MDCCSR_TXFULL;
		break;
	default:
		*value = 0;
	}
	return true;
}

#define ESR_IL		   (1ull << 25)
#define PSTATE_MODE_MASK   0xfull
#define PSTATE_EL0T	   0x0ull
#define PSTATE_EL1T	   0x4ull
#define PSTATE_EL1H	   0x5ull
#define VECTOR_CURRENT_SP0 0x000
#define VECTOR_CURRENT_SPX 0x200
#define VECTOR_LOWER_A64   0x400
#define VECTOR_LOWER_A32   0x600
#define PSTATE_NRW	   0x10ull /* the mode is an AArch32 one */

uint64_t hv_arm_sync_vector(uint64_t pstate)
{
	/* An EL1 guest's AArch32 code can only be EL0's. */
	if (pstate & PSTATE_NRW)
		return VECTOR_LOWER_A32;
	switch (pstate & PSTATE_MODE_MASK) {
	case PSTATE_EL1H:
		return VECTOR_CURRENT_SPX;
	case PSTATE_EL1T:
		return VECTOR_CURRENT_SP0;
	default:
		return VECTOR_LOWER_A64;
	}
}

/* Xen's inject_abt64_exception: the EC by the mode the guest was in, IL
 * set, ISS 0. */
static uint64_t abort_esr(uint64_t pstate, unsigned int ec_lower,
			  unsigned int ec_current)
{
	unsigned int ec =
	    (pstate & PSTATE_MODE_MASK) == PSTATE_EL0T ? ec_lower : ec_current;

	return (uint64_t)ec << 26 | ESR_IL;
}

uint64_t hv_arm_dabt_esr(uint64_t pstate)
{
	return abort_esr(pstate, HV_ARM_EC_DABT_LOWER, HV_ARM_EC_DABT_CURRENT);
}

uint64_t hv_arm_iabt_esr(uint64_t pstate)
{
	return abort_esr(pstate, HV_ARM_EC_IABT_LOWER, HV_ARM_EC_IABT_CURRENT);
}

struct ec_name {
	unsigned int ec;
	const char *name;
};

static const struct ec_name ec_names[] = {
    {HV_ARM_EC_UNKNOWN, "UNKNOWN"},
    {HV_ARM_EC_WFX, "WFX"},
    {HV_ARM_EC_CP14_MR, "CP14_MR"},
    {HV_ARM_EC_CP14_LS, "CP14_LS"},
    {HV_ARM_EC_CP14_64, "CP14_64"},
    {HV_ARM_EC_FP_ACCESS, "FP_ACCESS"},
    {HV_ARM_EC_ILLEGAL_STATE, "ILLEGAL_STATE"},
    {HV_ARM_EC_HVC64, "HVC64"},
    {HV_ARM_EC_SMC64, "SMC64"},
    {HV_ARM_EC_SYSREG, "SYSREG"},
    {HV_ARM_EC_IABT_LOWER, "IABT_LOWER"},
    {HV_ARM_EC_IABT_CURRENT, "IABT_CURRENT"},
    {HV_ARM_EC_PC_ALIGN, "PC_ALIGN"},
    {HV_ARM_EC_DABT_LOWER, "DABT_LOWER"},
    {HV_ARM_EC_DABT_CURRENT, "DABT_CURRENT"},
    {HV_ARM_EC_SP_ALIGN, "SP_ALIGN"},
    {HV_ARM_EC_SERROR, "SERROR"},
    {HV_ARM_EC_BRK64, "BRK64"},
};

const char *hv_arm_ec_name(unsigned int ec)
{
	for (size_t i = 0; i < HV_ARRAY_SIZE(ec_names); i++)
		if (ec_names[i].ec == ec)
			return ec_names[i].name;
	return "other";
}
