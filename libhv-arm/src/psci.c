/* PSCI 1.0 for guests (DEN0022), decoded. */
#include <hv/arm_psci.h>
#include <hv/bitmap.h>

static bool implemented(uint64_t fid)
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
		return true;
	default:
		return false;
	}
}

/* vCPU n has MPIDR affinity n (Aff0): anything else names no vCPU. */
static bool valid_target(uint64_t mpidr, unsigned int nr_vcpus)
{
	return mpidr < nr_vcpus;
}

static void cpu_on(const struct hv_arm_psci_call *c, unsigned int nr_vcpus,
		   const unsigned long *online, struct hv_arm_psci_result *r)
{
	if (!valid_target(c->arg[0], nr_vcpus)) {
		r->ret = HV_PSCI_INVALID_PARAMETERS;
	} else if (hv_bitmap_test(online, c->arg[0])) {
		r->ret = HV_PSCI_ALREADY_ON;
	} else {
		r->action = HV_PSCI_ACT_CPU_ON;
		r->target = (hv_vcpuid_t)c->arg[0];
		r->entry = c->arg[1];
		r->context = c->arg[2];
	}
}

static void affinity_info(const struct hv_arm_psci_call *c,
			  unsigned int nr_vcpus, const unsigned long *online,
			  struct hv_arm_psci_result *r)
{
	/* Only level 0 (a single vCPU) is asked about by guests. */
	if (!valid_target(c->arg[0], nr_vcpus) || c->arg[1] != 0)
		r->ret = HV_PSCI_INVALID_PARAMETERS;
	else
		r->ret = hv_bitmap_test(online, c->arg[0])
			     ? HV_PSCI_AFFINITY_ON
			     : HV_PSCI_AFFINITY_OFF;
}

void hv_arm_psci(const struct hv_arm_psci_call *c, unsigned int nr_vcpus,
		 const unsigned long *online, struct hv_arm_psci_result *r)
{
	r->action = HV_PSCI_ACT_NONE;
	r->ret = HV_PSCI_SUCCESS;
	switch (c->fid) {
	case HV_PSCI_VERSION:
		r->ret = HV_PSCI_VERSION_1_0;
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
		cpu_on(c, nr_vcpus, online, r);
		break;
	case HV_PSCI_AFFINITY_INFO_32:
	case HV_PSCI_AFFINITY_INFO_64:
		affinity_info(c, nr_vcpus, online, r);
		break;
	case HV_PSCI_MIGRATE_INFO_TYPE:
		r->ret = HV_PSCI_TOS_NOT_PRESENT;
		break;
	case HV_PSCI_SYSTEM_OFF:
		r->action = HV_PSCI_ACT_SYSTEM_OFF;
		break;
	case HV_PSCI_SYSTEM_RESET:
		r->action = HV_PSCI_ACT_SYSTEM_RESET;
		break;
	case HV_PSCI_FEATURES:
		r->ret = implemented(c->arg[0]) ? HV_PSCI_SUCCESS
						: HV_PSCI_NOT_SUPPORTED;
		break;
	default:
		r->ret = HV_PSCI_NOT_SUPPORTED;
		break;
	}
}
