/*
 * The FADT (ACPI 6.4, 5.2.9), revision 6.4, hardware-reduced: hvkit
 * guests have no PM1 blocks, PM timer, GPEs or SCI to describe, so every
 * fixed-hardware field stays zero and OSPM uses none of it.  No FACS
 * either: it exists for the waking vector and the global lock, which
 * hardware-reduced ACPI without S3 does not use.
 */
#include "acpi_priv.h"

#include <hv/string.h>

#define FADT_LEN	   276
#define FADT_REVISION	   6
#define FADT_MINOR	   4 /* ACPI 6.4 */
#define FADT_PM_PROFILE	   45
#define FADT_IAPC_BOOT	   109
#define FADT_FLAGS	   112
#define FADT_ARM_BOOT	   129
#define FADT_MINOR_VERSION 131
#define FADT_X_DSDT	   140
#define FADT_HYPERVISOR_ID 268

/* Flags (5.2.9, Table 5.10). */
#define FADT_HW_REDUCED_ACPI (1u << 20)

/* IAPC_BOOT_ARCH (5.2.9.3): what a PVH guest does not have. */
#define IAPC_VGA_NOT_PRESENT	  (1u << 2)
#define IAPC_CMOS_RTC_NOT_PRESENT (1u << 5)

/* ARM_BOOT_ARCH (5.2.9.4): CPUs start through PSCI, called by HVC. */
#define ARM_PSCI_COMPLIANT (1u << 0)
#define ARM_PSCI_USE_HVC   (1u << 1)

/* Preferred_PM_Profile: a virtual machine is none of the listed kinds. */
#define PM_PROFILE_UNSPECIFIED 0

size_t acpi_fadt_size(void)
{
	return FADT_LEN;
}

void acpi_fadt_write(uint8_t *t, const struct hv_acpi_machine *m,
		     const struct acpi_layout *l)
{
	acpi_header(t, "FACP", FADT_LEN, FADT_REVISION);
	acpi_put8(t, FADT_PM_PROFILE, PM_PROFILE_UNSPECIFIED);
	acpi_put32(t, FADT_FLAGS, FADT_HW_REDUCED_ACPI);
	/*
	 * No legacy devices or i8042 (bits 0 and 1 clear), and neither VGA
	 * nor an RTC: Linux then leaves both alone.
	 */
	if (m->arch == HV_ACPI_ARCH_X86)
		acpi_put16(t, FADT_IAPC_BOOT,
			   IAPC_VGA_NOT_PRESENT | IAPC_CMOS_RTC_NOT_PRESENT);
	else
		acpi_put16(t, FADT_ARM_BOOT,
			   ARM_PSCI_COMPLIANT | ARM_PSCI_USE_HVC);
	acpi_put8(t, FADT_MINOR_VERSION, FADT_MINOR);
	/* Only the 64-bit pointer: the DSDT may sit above 4 GiB. */
	acpi_put64(t, FADT_X_DSDT, l->dsdt);
	/* Says who the hypervisor is; any 8 bytes the vendor chooses. */
	memcpy(t + FADT_HYPERVISOR_ID, "HVKIT   ", 8);
	acpi_header_seal(t);
}
