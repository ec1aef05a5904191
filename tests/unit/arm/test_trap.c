/* ESR_EL2 decoding, against syndromes built from the Arm ARM's layouts
 * and one measured on QEMU (the HVC). */
#include <hv/arm_trap.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define ESR(ec, iss) ((uint64_t)(ec) << 26 | 1ull << 25 | (iss))

static void hvc_from_qemu(void **state)
{
	const uint64_t esr = 0x5a000ea1; /* hvc #0xea1, as QEMU reported it */

	(void)state;
	assert_int_equal(hv_arm_esr_ec(esr), HV_ARM_EC_HVC64);
	assert_int_equal(hv_arm_esr_imm16(esr), 0xea1);
	assert_int_equal(hv_arm_esr_insn_len(esr), 4);
	assert_string_equal(hv_arm_ec_name(hv_arm_esr_ec(esr)), "HVC64");
}

static void insn_len_of_t32(void **state)
{
	(void)state;
	assert_int_equal(hv_arm_esr_insn_len(0x16ull << 26), 2);
}

static void wfi_and_wfe(void **state)
{
	(void)state;
	assert_false(hv_arm_esr_is_wfe(ESR(HV_ARM_EC_WFX, 0)));
	assert_true(hv_arm_esr_is_wfe(ESR(HV_ARM_EC_WFX, 1)));
}

static void dabt_word_store(void **state)
{
	/* ISV, SAS = word, SRT = x3, WnR, DFSC = translation fault, level 3 */
	uint64_t esr = ESR(HV_ARM_EC_DABT_LOWER,
			   1u << 24 | 2u << 22 | 3u << 16 | 1u << 6 | 0x07);
	struct hv_arm_dabt d;

	(void)state;
	hv_arm_decode_dabt(esr, 0x12345678000ull >> 12 << 4, 0xffff0abc, &d);
	assert_true(d.valid);
	assert_true(d.write);
	assert_false(d.sign_extend);
	assert_false(d.sf);
	assert_int_equal(d.size, 4);
	assert_int_equal(d.reg, 3);
	assert_false(d.s1ptw);
	assert_int_equal(d.fsc, 0x07);
	assert_int_equal(d.ipa, 0x12345678abcull);
	assert_int_equal(d.insn_len, 4);
}

static void dabt_signed_byte_load_into_x30(void **state)
{
	uint64_t esr =
	    ESR(HV_ARM_EC_DABT_LOWER,
		1u << 24 | 0u << 22 | 1u << 21 | 30u << 16 | 1u << 15 | 0x06);
	struct hv_arm_dabt d;

	(void)state;
	hv_arm_decode_dabt(esr, 0, 0x7, &d);
	assert_true(d.valid);
	assert_false(d.write);
	assert_true(d.sign_extend);
	assert_true(d.sf);
	assert_int_equal(d.size, 1);
	assert_int_equal(d.reg, 30);
	assert_int_equal(d.ipa, 0x7);
}

static void dabt_without_syndrome(void **state)
{
	struct hv_arm_dabt d;

	(void)state;
	/* A fault on a stage-1 walk carries no instruction syndrome. */
	hv_arm_decode_dabt(ESR(HV_ARM_EC_DABT_LOWER, 1u << 7 | 0x0f), 0, 0, &d);
	assert_false(d.valid);
	assert_true(d.s1ptw);
	assert_int_equal(d.fsc, 0x0f);
	/* A 32-bit task's 16-bit T32 access: IL clear. */
	hv_arm_decode_dabt(ESR(HV_ARM_EC_DABT_LOWER, 0) & ~(1ull << 25), 0, 0,
			   &d);
	assert_int_equal(d.insn_len, 2);
}

static void sysreg_read_of_sctlr_el1(void **state)
{
	/* MRS x2, SCTLR_EL1: op0 3, op1 0, CRn 1, CRm 0, op2 0 */
	uint32_t iss =
	    3u << 20 | 0u << 17 | 0u << 14 | 1u << 10 | 2u << 5 | 0u << 1 | 1;
	struct hv_arm_sysreg_access a;

	(void)state;
	hv_arm_decode_sysreg(ESR(HV_ARM_EC_SYSREG, iss), &a);
	assert_int_equal(a.op0, 3);
	assert_int_equal(a.op1, 0);
	assert_int_equal(a.crn, 1);
	assert_int_equal(a.crm, 0);
	assert_int_equal(a.op2, 0);
	assert_int_equal(a.reg, 2);
	assert_true(a.read);
	assert_int_equal(hv_arm_sysreg_id(&a), HV_ARM_SYSREG(3, 0, 1, 0, 0));
}

static void sysreg_write_fields_do_not_bleed(void **state)
{
	/* MSR with every field at its maximum but the direction bit. */
	uint32_t iss =
	    3u << 20 | 7u << 17 | 7u << 14 | 15u << 10 | 31u << 5 | 15u << 1;
	struct hv_arm_sysreg_access a;

	(void)state;
	hv_arm_decode_sysreg(ESR(HV_ARM_EC_SYSREG, iss), &a);
	assert_int_equal(a.op0, 3);
	assert_int_equal(a.op1, 7);
	assert_int_equal(a.crn, 15);
	assert_int_equal(a.crm, 15);
	assert_int_equal(a.op2, 7);
	assert_int_equal(a.reg, 31);
	assert_false(a.read);
}

static struct hv_arm_sysreg_access
sysreg_access(unsigned int op0, unsigned int op1, unsigned int crn,
	      unsigned int crm, unsigned int op2)
{
	return (struct hv_arm_sysreg_access){
	    .op0 = op0, .op1 = op1, .crn = crn, .crm = crm, .op2 = op2};
}

static bool withheld(const unsigned int r[5], uint64_t *value)
{
	struct hv_arm_sysreg_access a =
	    sysreg_access(r[0], r[1], r[2], r[3], r[4]);

	*value = 0xbad;
	return hv_arm_sysreg_withheld(&a, value);
}

/* What MDCR_EL2 traps (TPM/TPMCR, TDA/TDOSA/TDRA) reads as zero, and its
 * neighbours, which it does not trap, are not withheld. */
static void pmu_and_debug_registers_withheld(void **state)
{
	static const unsigned int zero[][5] = {
	    {3, 3, 9, 12, 0},  /* PMCR_EL0 */
	    {3, 3, 9, 12, 1},  /* PMCNTENSET_EL0 */
	    {3, 3, 9, 12, 7},  /* PMCEID1_EL0 */
	    {3, 3, 9, 13, 0},  /* PMCCNTR_EL0 */
	    {3, 3, 9, 14, 0},  /* PMUSERENR_EL0 */
	    {3, 3, 9, 14, 3},  /* PMOVSSET_EL0 */
	    {3, 0, 9, 14, 1},  /* PMINTENSET_EL1 */
	    {3, 0, 9, 14, 2},  /* PMINTENCLR_EL1 */
	    {3, 3, 14, 8, 0},  /* PMEVCNTR0_EL0 */
	    {3, 3, 14, 11, 6}, /* PMEVCNTR30_EL0 */
	    {3, 3, 14, 12, 5}, /* PMEVTYPER5_EL0 */
	    {3, 3, 14, 15, 7}, /* PMCCFILTR_EL0 */
	    {2, 0, 0, 0, 4},   /* DBGBVR0_EL1 */
	    {2, 0, 0, 15, 5},  /* DBGBCR15_EL1 */
	    {2, 0, 0, 3, 6},   /* DBGWVR3_EL1 */
	    {2, 0, 0, 2, 2},   /* MDSCR_EL1 */
	    {2, 0, 1, 0, 4},   /* OSLAR_EL1 */
	    {2, 0, 1, 3, 4},   /* OSDLR_EL1 */
	    {2, 0, 1, 0, 0},   /* MDRAR_EL1 */
	    {2, 0, 7, 8, 6},   /* DBGCLAIMSET_EL1 */
	    {2, 3, 0, 5, 0},   /* DBGDTRRX_EL0 */
	};
	static const unsigned int other[][5] = {
	    {3, 3, 14, 2, 1},  /* CNTP_CTL_EL0 */
	    {3, 3, 14, 0, 1},  /* CNTPCT_EL0 */
	    {3, 0, 14, 1, 0},  /* CNTKCTL_EL1 */
	    {3, 0, 9, 9, 0},   /* PMSCR_EL1: profiling, not the PMU */
	    {3, 0, 9, 10, 0},  /* PMBLIMITR_EL1 */
	    {3, 0, 12, 11, 5}, /* ICC_SGI1R_EL1 */
	    {3, 0, 1, 0, 0},   /* SCTLR_EL1 */
	    {3, 4, 9, 12, 0},  /* op1 4: EL2's */
	    {2, 1, 0, 0, 0},   /* op1 1: the trace unit's */
	    {2, 4, 0, 7, 0},   /* DBGVCR32_EL2 */
	    {3, 0, 14, 8, 0},  /* op1 0 beside PMEVCNTR0_EL0 */
	    {3, 3, 9, 15, 0},  /* CRm 15 beside PMUSERENR_EL0 */
	};
	static const unsigned int oslsr[5] = {2, 0, 1, 1, 4};
	static const unsigned int mdccsr[5] = {2, 3, 0, 1, 0};
	uint64_t value;

	(void)state;
	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++) {
		assert_true(withheld(zero[i], &value));
		assert_int_equal(value, 0);
	}
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		assert_false(withheld(other[i], &value));
	/* OSLM 0b10: the OS lock is implemented (and unlocked). */
	assert_true(withheld(oslsr, &value));
	assert_int_equal(value, 1u << 3);
	/* TXfull: the comms channel is no console to probe. */
	assert_true(withheld(mdccsr, &value));
	assert_int_equal(value, 1u << 29);
}

static void ec_names(void **state)
{
	(void)state;
	assert_string_equal(hv_arm_ec_name(HV_ARM_EC_DABT_LOWER), "DABT_LOWER");
	assert_string_equal(hv_arm_ec_name(HV_ARM_EC_SMC64), "SMC64");
	assert_string_equal(hv_arm_ec_name(HV_ARM_EC_CP14_MR), "CP14_MR");
	assert_string_equal(hv_arm_ec_name(0x3f), "other");
}

/* SPSR/PSTATE modes: EL0t 0, EL1t 4, EL1h 5, with DAIF set or not. */
static void sync_vector_by_mode(void **state)
{
	(void)state;
	assert_int_equal(hv_arm_sync_vector(0x3c5), 0x200); /* EL1h */
	assert_int_equal(hv_arm_sync_vector(0x005), 0x200);
	assert_int_equal(hv_arm_sync_vector(0x3c4), 0x000); /* EL1t */
	assert_int_equal(hv_arm_sync_vector(0x000), 0x400); /* EL0t */
	assert_int_equal(hv_arm_sync_vector(0x340), 0x400);
	/* AArch32 EL0 (usr, 0x10) and the A32/T32 state bits around it. */
	assert_int_equal(hv_arm_sync_vector(0x010), 0x600);
	assert_int_equal(hv_arm_sync_vector(0x1f0), 0x600);
}

/* Xen's inject_abt64_exception: EC by the mode the guest was in, IL set,
 * ISS 0 (so no WnR and DFSC 0); 0x96000000 is what Linux prints for it. */
static void injected_dabt_syndrome(void **state)
{
	(void)state;
	assert_int_equal(hv_arm_dabt_esr(0x3c5), 0x96000000);
	assert_int_equal(hv_arm_dabt_esr(0x3c4), 0x96000000);
	assert_int_equal(hv_arm_dabt_esr(0x000), 0x92000000);
	assert_int_equal(hv_arm_esr_ec(hv_arm_dabt_esr(0x005)),
			 HV_ARM_EC_DABT_CURRENT);
	assert_int_equal(hv_arm_esr_ec(hv_arm_dabt_esr(0x3c0)),
			 HV_ARM_EC_DABT_LOWER);
	assert_int_equal(hv_arm_esr_insn_len(hv_arm_dabt_esr(0x005)), 4);
	assert_int_equal(hv_arm_esr_iss(hv_arm_dabt_esr(0x005)), 0);
	assert_string_equal(hv_arm_ec_name(HV_ARM_EC_DABT_CURRENT),
			    "DABT_CURRENT");
}

/* inject_iabt_exception: the same, with the instruction-abort classes. */
static void injected_iabt_syndrome(void **state)
{
	(void)state;
	assert_int_equal(hv_arm_iabt_esr(0x3c5), 0x86000000);
	assert_int_equal(hv_arm_iabt_esr(0x3c4), 0x86000000);
	assert_int_equal(hv_arm_iabt_esr(0x000), 0x82000000);
	assert_int_equal(hv_arm_esr_ec(hv_arm_iabt_esr(0x005)),
			 HV_ARM_EC_IABT_CURRENT);
	assert_int_equal(hv_arm_esr_ec(hv_arm_iabt_esr(0x3c0)),
			 HV_ARM_EC_IABT_LOWER);
	assert_int_equal(hv_arm_esr_iss(hv_arm_iabt_esr(0x005)), 0);
	assert_string_equal(hv_arm_ec_name(HV_ARM_EC_IABT_CURRENT),
			    "IABT_CURRENT");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hvc_from_qemu),
	    cmocka_unit_test(insn_len_of_t32),
	    cmocka_unit_test(wfi_and_wfe),
	    cmocka_unit_test(dabt_word_store),
	    cmocka_unit_test(dabt_signed_byte_load_into_x30),
	    cmocka_unit_test(dabt_without_syndrome),
	    cmocka_unit_test(sysreg_read_of_sctlr_el1),
	    cmocka_unit_test(sysreg_write_fields_do_not_bleed),
	    cmocka_unit_test(pmu_and_debug_registers_withheld),
	    cmocka_unit_test(ec_names),
	    cmocka_unit_test(sync_vector_by_mode),
	    cmocka_unit_test(injected_dabt_syndrome),
	    cmocka_unit_test(injected_iabt_syndrome),
	};
	return cmocka_run_group_tests_name("arm-trap", tests, NULL, NULL);
}
