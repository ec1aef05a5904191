/* PSCI 1.1 and the SMCCC calls beside it, as Xen's vpsci.c and vsmc.c
 * answer a 64-bit domU (DEN0022, DEN0028). */
#include <hv/arm_psci.h>
#include <hv/bitmap.h>

/* MPIDR's affinity fields (Aff3 in bits 39:32, Aff2-Aff0 in 23:0); the
 * rest (U, MT, RES1) names no CPU and is ignored, as Xen does. */
#define MPIDR_HWID_MASK 0xff00ffffffull
#define SMCCC_64	0x40000000u /* function ID: SMC64 convention */

static bool implemented(uint32_t fid)
{
	switch (fid) {
	case HV_PSCI_VERSION:
	case HV_PSCI_CPU_SUSPEND_32:
	case HV_PSCI_CPU_SUSPEND_64:
	case HV_PSCI_CPU_OFF:
	case HV_PSCI_CPU_ON_32:
	case HV_PSCI_CPU_ON_64:
	case HV_PSCI_AFFINITY_INFO_32:
	case HV_PSCI_AFFINITY_INFO_64:
	case HV_PSCI_MIGRATE_INFO_TYPE:
	case HV_PSCI_SYSTEM_OFF:
	case HV_PSCI_SYSTEM_RESET:
	case HV_PSCI_FEATURES:
	case HV_SMCCC_VERSION:
		return true;
	default:
		return false;
	}
}

/* Xen's vCPU numbering: Aff0 is the low four bits, Aff1 the rest. */
static uint64_t vcpu_affinity(unsigned int vcpu)
{
	return (vcpu & 0xfu) | (uint64_t)(vcpu >> 4) << 8;
}

static uint64_t affinity_vcpu(uint64_t mpidr)
{
	return (mpidr & 0xff) | (mpidr >> 8 & 0xff) << 4;
}

static void cpu_on(const uint64_t *arg, unsigned int nr_vcpus,
		   const unsigned long *online, struct hv_arm_psci_result *r)
{
	uint64_t vcpu = affinity_vcpu(arg[0] & MPIDR_HWID_MASK);

	if (vcpu >= nr_vcpus) {
		r->ret = HV_PSCI_INVALID_PARAMETERS;
	} else if (arg[1] & 1) { /* a T32 entry: not for an AArch64 guest */
		r->ret = HV_PSCI_INVALID_ADDRESS;
	} else if (hv_bitmap_test(online, vcpu)) {
		r->ret = HV_PSCI_ALREADY_ON;
	} else {
		r->action = HV_PSCI_ACT_CPU_ON;
		r->target = (hv_vcpuid_t)vcpu;
		r->entry = arg[1];
		r->context = arg[2];
	}
}

/* On if any vCPU that is on shares the target's affinity at `level` and
 * above; a target no vCPU has is off, not an error (as Xen). */
static void affinity_info(const uint64_t *arg, unsigned int nr_vcpus,
			  const unsigned long *online,
			  struct hv_arm_psci_result *r)
{
	static const unsigned int shift[] = {0, 8, 16, 32};
	uint64_t mask, target;

	if (arg[1] >= HV_ARRAY_SIZE(shift)) {
		r->ret = HV_PSCI_INVALID_PARAMETERS;
		return;
	}
	mask = MPIDR_HWID_MASK & ~((1ull << shift[arg[1]]) - 1);
	target = arg[0] & mask;
	r->ret = HV_PSCI_AFFINITY_OFF;
	for (unsigned int i = 0; i < nr_vcpus; i++)
		if (hv_bitmap_test(online, i) &&
		    (vcpu_affinity(i) & mask) == target)
			r->ret = HV_PSCI_AFFINITY_ON;
}

void hv_arm_psci(const struct hv_arm_psci_call *c, unsigned int nr_vcpus,
		 const unsigned long *online, struct hv_arm_psci_result *r)
{
	uint32_t fid = (uint32_t)c->fid; /* w0: the upper half is ignored */
	uint64_t arg[3];

	/* SMC32 calls pass 32-bit arguments in the W registers. */
	for (unsigned int i = 0; i < 3; i++)
		arg[i] = fid & SMCCC_64 ? c->arg[i] : (uint32_t)c->arg[i];
	r->action = HV_PSCI_ACT_NONE;
	r->ret = HV_PSCI_SUCCESS;
	switch (fid) {
	case HV_SMCCC_VERSION:
		r->ret = HV_SMCCC_VERSION_1_2;
		break;
	case HV_PSCI_VERSION:
		r->ret = HV_PSCI_VERSION_1_1;
		break;
	case HV_PSCI_CPU_SUSPEND_32:
	case HV_PSCI_CPU_SUSPEND_64:
		r->action = HV_PSCI_ACT_SUSPEND;
		break;
	case HV_PSCI_CPU_OFF:
		r->action = HV_PSCI_ACT_CPU_OFF;
		break;
	case HV_PSCI_CPU_ON_32:
	case HV_PSCI_CPU_ON_64:
		cpu_on(arg, nr_vcpus, online, r);
		break;
	case HV_PSCI_AFFINITY_INFO_32:
	case HV_PSCI_AFFINITY_INFO_64:
		affinity_info(arg, nr_vcpus, online, r);
		break;
	case HV_PSCI_MIGRATE_INFO_TYPE:
		r->ret = HV_PSCI_TOS_NOT_PRESENT;
		break;
	case HV_PSCI_SYSTEM_OFF:
		r->action = HV_PSCI_ACT_SYSTEM_OFF;
		r->ret = HV_PSCI_INTERNAL_FAILURE; /* seen only if it returns */
		break;
	case HV_PSCI_SYSTEM_RESET:
		r->action = HV_PSCI_ACT_SYSTEM_RESET;
		r->ret = HV_PSCI_INTERNAL_FAILURE;
		break;
	case HV_PSCI_FEATURES:
		r->ret = implemented((uint32_t)arg[0]) ? HV_PSCI_SUCCESS
						       : HV_PSCI_NOT_SUPPORTED;
		break;
	default: /* SMCCC's "unknown function", which PSCI's -1 also is */
		r->ret = HV_PSCI_NOT_SUPPORTED;
		break;
	}
}
