/*
 * hv/arm_psci.h - the PSCI calls a guest makes through HVC #0 (or
 * SMC #0), and SMCCC_VERSION, as Xen gives a domU: what each call asks
 * the hypervisor to do and what the guest gets back in x0.  Any other
 * function ID gets SMCCC's NOT_SUPPORTED (-1), as from Xen.  Pure
 * decoding, unit-tested on the host; the image carries out the action.
 *
 * Xen's answers followed (xen/arch/arm/vpsci.c): MPIDR bits outside the
 * affinity fields are ignored; a CPU_ON entry with bit 0 set (T32) is
 * INVALID_ADDRESS; AFFINITY_INFO takes levels 0-3 and calls a target no
 * vCPU has off; SMC32 calls' arguments are 32-bit; PSCI_VERSION says 1.1
 * (Xen has since 4.11: 1.1 adds no mandatory function to 1.0's).  Where
 * hvkit differs: there is no SYSTEM_SUSPEND (Xen 4.22 offers it to
 * domUs), and FEATURES says so.
 */
#ifndef HV_ARM_PSCI_H
#define HV_ARM_PSCI_H

#include <hv/types.h>

HV_BEGIN_DECLS

/* Function IDs (SMC Calling Convention; PSCI spec DEN0022). */
#define HV_PSCI_VERSION		  0x84000000u
#define HV_PSCI_CPU_SUSPEND_32	  0x84000001u
#define HV_PSCI_CPU_SUSPEND_64	  0xc4000001u
#define HV_PSCI_CPU_OFF		  0x84000002u
#define HV_PSCI_CPU_ON_32	  0x84000003u
#define HV_PSCI_CPU_ON_64	  0xc4000003u
#define HV_PSCI_AFFINITY_INFO_32  0x84000004u
#define HV_PSCI_AFFINITY_INFO_64  0xc4000004u
#define HV_PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define HV_PSCI_SYSTEM_OFF	  0x84000008u
#define HV_PSCI_SYSTEM_RESET	  0x84000009u
#define HV_PSCI_FEATURES	  0x8400000au
#define HV_SMCCC_VERSION	  0x80000000u

/* Return codes. */
#define HV_PSCI_SUCCESS		   0
#define HV_PSCI_NOT_SUPPORTED	   (-1)
#define HV_PSCI_INVALID_PARAMETERS (-2)
#define HV_PSCI_ALREADY_ON	   (-4)
#define HV_PSCI_INTERNAL_FAILURE   (-6)
#define HV_PSCI_INVALID_ADDRESS	   (-9)
#define HV_PSCI_TOS_NOT_PRESENT	   2 /* MIGRATE_INFO_TYPE: no trusted OS */
#define HV_PSCI_VERSION_1_1	   0x10001 /* what Xen answers, since 4.11 */
#define HV_SMCCC_VERSION_1_2	   0x10002 /* what Xen answers */

/* AFFINITY_INFO's answers. */
#define HV_PSCI_AFFINITY_ON  0
#define HV_PSCI_AFFINITY_OFF 1

/* What the caller does after a call. */
enum hv_psci_action {
	HV_PSCI_ACT_NONE,	  /* just return ret */
	HV_PSCI_ACT_SUSPEND,	  /* idle the vCPU until it has an interrupt */
	HV_PSCI_ACT_CPU_ON,	  /* start vCPU `target` at entry, x0 context */
	HV_PSCI_ACT_CPU_OFF,	  /* stop the calling vCPU */
	HV_PSCI_ACT_SYSTEM_OFF,	  /* shut the domain down: poweroff */
	HV_PSCI_ACT_SYSTEM_RESET, /* shut the domain down: reboot */
};

/* A call: x0 (function ID) and x1-x3 (arguments). */
struct hv_arm_psci_call {
	uint64_t fid;
	uint64_t arg[3];
};

/* A decoded call: the action and its arguments. */
struct hv_arm_psci_result {
	enum hv_psci_action action;
	int64_t ret;		 /* for the caller's x0 (if the call returns) */
	hv_vcpuid_t target;	 /* CPU_ON */
	uint64_t entry, context; /* CPU_ON, SUSPEND: where, and its x0 */
};

/*
 * Decode a call from a domain with `nr_vcpus` vCPUs, vCPU n having MPIDR
 * affinity as Xen numbers them (Aff0 = n % 16, Aff1 = n / 16); `online`
 * is a bitmap of the vCPUs that are on.
 */
void hv_arm_psci(const struct hv_arm_psci_call *call, unsigned int nr_vcpus,
		 const unsigned long *online, struct hv_arm_psci_result *res);

HV_END_DECLS

#endif /* HV_ARM_PSCI_H */
