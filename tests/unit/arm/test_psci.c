/* PSCI decoding: each call's action and the value the guest gets. */
#include <hv/arm_psci.h>
#include <hv/bitmap.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define VCPUS 4

/* vCPUs 0 and 2 are on. */
static unsigned long online[1] = {0x5};

static struct hv_arm_psci_result call(uint64_t fid, uint64_t a1, uint64_t a2,
				      uint64_t a3)
{
	struct hv_arm_psci_call c = {.fid = fid, .arg = {a1, a2, a3}};
	struct hv_arm_psci_result r;

	hv_arm_psci(&c, VCPUS, online, &r);
	return r;
}

static void version_and_migrate_info(void **state)
{
	(void)state;
	assert_int_equal(call(HV_PSCI_VERSION, 0, 0, 0).ret, 0x10001);
	assert_int_equal(call(HV_PSCI_VERSION, 0, 0, 0).action,
			 HV_PSCI_ACT_NONE);
	assert_int_equal(call(HV_PSCI_MIGRATE_INFO_TYPE, 0, 0, 0).ret, 2);
}

static void system_calls_have_actions(void **state)
{
	(void)state;
	assert_int_equal(call(HV_PSCI_SYSTEM_OFF, 0, 0, 0).action,
			 HV_PSCI_ACT_SYSTEM_OFF);
	assert_int_equal(call(HV_PSCI_SYSTEM_RESET, 0, 0, 0).action,
			 HV_PSCI_ACT_SYSTEM_RESET);
	assert_int_equal(call(HV_PSCI_CPU_OFF, 0, 0, 0).action,
			 HV_PSCI_ACT_CPU_OFF);
	assert_int_equal(call(HV_PSCI_CPU_SUSPEND_64, 0, 0, 0).action,
			 HV_PSCI_ACT_SUSPEND);
	assert_int_equal(call(HV_PSCI_CPU_SUSPEND_32, 0, 0, 0).action,
			 HV_PSCI_ACT_SUSPEND);
}

static void cpu_on_starts_an_off_vcpu(void **state)
{
	struct hv_arm_psci_result r;

	(void)state;
	r = call(HV_PSCI_CPU_ON_64, 1, 0x40080000, 0x1234);
	assert_int_equal(r.action, HV_PSCI_ACT_CPU_ON);
	assert_int_equal(r.ret, HV_PSCI_SUCCESS);
	assert_int_equal(r.target, 1);
	assert_int_equal(r.entry, 0x40080000);
	assert_int_equal(r.context, 0x1234);
	assert_int_equal(call(HV_PSCI_CPU_ON_32, 3, 0, 0).action,
			 HV_PSCI_ACT_CPU_ON);
}

static void cpu_on_errors(void **state)
{
	struct hv_arm_psci_result r;

	(void)state;
	r = call(HV_PSCI_CPU_ON_64, 2, 0, 0);
	assert_int_equal(r.action, HV_PSCI_ACT_NONE);
	assert_int_equal(r.ret, HV_PSCI_ALREADY_ON);
	r = call(HV_PSCI_CPU_ON_64, VCPUS, 0, 0);
	assert_int_equal(r.action, HV_PSCI_ACT_NONE);
	assert_int_equal(r.ret, HV_PSCI_INVALID_PARAMETERS);
	/* An MPIDR with affinity above level 0 names no vCPU. */
	assert_int_equal(call(HV_PSCI_CPU_ON_64, 1ull << 8, 0, 0).ret,
			 HV_PSCI_INVALID_PARAMETERS);
	/* A T32 entry point, for an AArch64 guest. */
	r = call(HV_PSCI_CPU_ON_64, 1, 0x40080001, 0);
	assert_int_equal(r.action, HV_PSCI_ACT_NONE);
	assert_int_equal(r.ret, HV_PSCI_INVALID_ADDRESS);
	/* The validity of the target is checked first, as in Xen. */
	assert_int_equal(call(HV_PSCI_CPU_ON_64, VCPUS, 1, 0).ret,
			 HV_PSCI_INVALID_PARAMETERS);
	/* MPIDR's RES1 bit 31 names no CPU: vCPU 1 all the same. */
	assert_int_equal(call(HV_PSCI_CPU_ON_64, 1ull << 31 | 1, 0, 0).action,
			 HV_PSCI_ACT_CPU_ON);
}

static void affinity_info(void **state)
{
	(void)state;
	assert_int_equal(call(HV_PSCI_AFFINITY_INFO_64, 0, 0, 0).ret,
			 HV_PSCI_AFFINITY_ON);
	assert_int_equal(call(HV_PSCI_AFFINITY_INFO_32, 1, 0, 0).ret,
			 HV_PSCI_AFFINITY_OFF);
	/* As Xen: a target no vCPU has is off, not an error. */
	assert_int_equal(call(HV_PSCI_AFFINITY_INFO_64, VCPUS, 0, 0).ret,
			 HV_PSCI_AFFINITY_OFF);
	/* MPIDR's RES1 bit 31 and the MT bit name no CPU. */
	assert_int_equal(
	    call(HV_PSCI_AFFINITY_INFO_64, 1ull << 31 | 1 << 24 | 2, 0, 0).ret,
	    HV_PSCI_AFFINITY_ON);
}

/* Levels 1-3 ask about a cluster: on if any vCPU in it is on.  All four
 * vCPUs share Aff1-Aff3 = 0, and vCPUs 0 and 2 are on. */
static void affinity_info_levels(void **state)
{
	(void)state;
	assert_int_equal(call(HV_PSCI_AFFINITY_INFO_64, 1, 1, 0).ret,
			 HV_PSCI_AFFINITY_ON);
	assert_int_equal(call(HV_PSCI_AFFINITY_INFO_64, 3, 3, 0).ret,
			 HV_PSCI_AFFINITY_ON);
	assert_int_equal(call(HV_PSCI_AFFINITY_INFO_64, 1 << 8, 1, 0).ret,
			 HV_PSCI_AFFINITY_OFF);
	assert_int_equal(call(HV_PSCI_AFFINITY_INFO_64, 0, 4, 0).ret,
			 HV_PSCI_INVALID_PARAMETERS);
	/* AFFINITY_INFO_32 reads w2: a level of 1 << 32 | 1 is level 1. */
	assert_int_equal(
	    call(HV_PSCI_AFFINITY_INFO_32, 1, 1ull << 32 | 1, 0).ret,
	    HV_PSCI_AFFINITY_ON);
}

/* The SMC32 form's arguments are 32-bit; the SMC64 form's are not. */
static void cpu_on_32_truncates(void **state)
{
	struct hv_arm_psci_result r;

	(void)state;
	r = call(HV_PSCI_CPU_ON_32, 1ull << 32 | 1, 0xffff000040080000ull,
		 0xabcd00001234ull);
	assert_int_equal(r.action, HV_PSCI_ACT_CPU_ON);
	assert_int_equal(r.target, 1);
	assert_int_equal(r.entry, 0x40080000);
	assert_int_equal(r.context, 0x1234);
	r = call(HV_PSCI_CPU_ON_64, 3, 0x40080000, 0xabcd00001234ull);
	assert_int_equal(r.context, 0xabcd00001234ull);
	/* The function ID is w0: x0's upper half does not matter. */
	assert_int_equal(
	    call(0xffffffff00000000ull | HV_PSCI_VERSION, 0, 0, 0).ret,
	    HV_PSCI_VERSION_1_1);
}

static void features(void **state)
{
	(void)state;
	assert_int_equal(call(HV_PSCI_FEATURES, HV_PSCI_SYSTEM_OFF, 0, 0).ret,
			 HV_PSCI_SUCCESS);
	assert_int_equal(call(HV_PSCI_FEATURES, HV_PSCI_CPU_ON_64, 0, 0).ret,
			 HV_PSCI_SUCCESS);
	assert_int_equal(call(HV_PSCI_FEATURES, 0x84000012, 0, 0).ret,
			 HV_PSCI_NOT_SUPPORTED);
	/* Xen lists SMCCC_VERSION, which Linux asks before calling it. */
	assert_int_equal(call(HV_PSCI_FEATURES, HV_SMCCC_VERSION, 0, 0).ret,
			 HV_PSCI_SUCCESS);
	/* Not SYSTEM_SUSPEND (32 and 64), which hvkit does not offer. */
	assert_int_equal(call(HV_PSCI_FEATURES, 0x8400000e, 0, 0).ret,
			 HV_PSCI_NOT_SUPPORTED);
	assert_int_equal(call(HV_PSCI_FEATURES, 0xc400000e, 0, 0).ret,
			 HV_PSCI_NOT_SUPPORTED);
}

/* SYSTEM_OFF/RESET return only if they failed: INTERNAL_FAILURE, as Xen
 * puts in x0 before shutting the domain down. */
static void system_calls_return_failure(void **state)
{
	(void)state;
	assert_int_equal(call(HV_PSCI_SYSTEM_OFF, 0, 0, 0).ret,
			 HV_PSCI_INTERNAL_FAILURE);
	assert_int_equal(call(HV_PSCI_SYSTEM_RESET, 0, 0, 0).ret,
			 HV_PSCI_INTERNAL_FAILURE);
	assert_int_equal(call(HV_PSCI_CPU_SUSPEND_64, 0, 0, 0).ret,
			 HV_PSCI_SUCCESS);
}

/* SMCCC: version 1.2 as Xen says; ARCH_FEATURES knows no workaround and
 * the vendor-hypervisor UID (KVM's probe) is unknown: -1. */
static void smccc_calls(void **state)
{
	(void)state;
	assert_int_equal(call(HV_SMCCC_VERSION, 0, 0, 0).ret, 0x10002);
	assert_int_equal(call(0x80000001, 0x80008000, 0, 0).ret,
			 HV_PSCI_NOT_SUPPORTED);
	assert_int_equal(call(0x8600ff01, 0, 0, 0).ret, HV_PSCI_NOT_SUPPORTED);
}

static void unknown_calls_are_not_supported(void **state)
{
	struct hv_arm_psci_result r;

	(void)state;
	r = call(0x84000012 /* SYSTEM_RESET2 */, 0, 0, 0);
	assert_int_equal(r.action, HV_PSCI_ACT_NONE);
	assert_int_equal(r.ret, HV_PSCI_NOT_SUPPORTED);
	assert_int_equal(call(0x82000000 /* a SiP call */, 0, 0, 0).ret,
			 HV_PSCI_NOT_SUPPORTED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(version_and_migrate_info),
	    cmocka_unit_test(system_calls_have_actions),
	    cmocka_unit_test(cpu_on_starts_an_off_vcpu),
	    cmocka_unit_test(cpu_on_errors),
	    cmocka_unit_test(affinity_info),
	    cmocka_unit_test(features),
	    cmocka_unit_test(unknown_calls_are_not_supported),
	    cmocka_unit_test(affinity_info_levels),
	    cmocka_unit_test(cpu_on_32_truncates),
	    cmocka_unit_test(system_calls_return_failure),
	    cmocka_unit_test(smccc_calls),
	};
	return cmocka_run_group_tests_name("arm-psci", tests, NULL, NULL);
}
