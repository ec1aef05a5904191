/*
 * The RSDP (ACPI 6.4, 5.2.5.3), revision 2: the XSDT's address.  The
 * 32-bit RSDT is not built: every OS that reads a revision 2 RSDP uses
 * the XSDT, and Arm requires it.
 */
#include "acpi_priv.h"

#include <hv/string.h>

#define RSDP_CHECKSUM	  8
#define RSDP_OEM_ID	  9
#define RSDP_REVISION	  15
#define RSDP_LENGTH	  20
#define RSDP_XSDT	  24
#define RSDP_EXT_CHECKSUM 32
#define RSDP_V1_LEN	  20 /* what the first checksum covers */
#define RSDP_LEN	  36

size_t acpi_rsdp_size(void)
{
	return RSDP_LEN;
}

void acpi_rsdp_write(uint8_t *t, const struct acpi_layout *l)
{
	memcpy(t, "RSD PTR ", 8);
	memcpy(t + RSDP_OEM_ID, HV_ACPI_OEM_ID, 6);
	acpi_put8(t, RSDP_REVISION, 2);
	acpi_put32(t, RSDP_LENGTH, RSDP_LEN);
	acpi_put64(t, RSDP_XSDT, l->xsdt);
	/* The first checksum is part of what the extended one covers. */
	t[RSDP_CHECKSUM] = acpi_checksum(t, RSDP_V1_LEN);
	t[RSDP_EXT_CHECKSUM] = acpi_checksum(t, RSDP_LEN);
}
