/*
 * The System Description Table Header every table but the RSDP starts
 * with (ACPI 6.4, 5.2.6).
 */
#include "acpi_priv.h"

#include <hv/string.h>

void acpi_header(uint8_t *t, const char sig[4], uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	acpi_put32(t, ACPI_HDR_LENGTH, len);
	acpi_put8(t, 8, rev);
	memcpy(t + 10, HV_ACPI_OEM_ID, 6);
	memcpy(t + 16, ACPI_OEM_TABLE_ID, 8);
	acpi_put32(t, 24, ACPI_OEM_REVISION);
	memcpy(t + 28, ACPI_CREATOR_ID, 4);
	acpi_put32(t, 32, ACPI_CREATOR_REVISION);
}

void acpi_header_seal(uint8_t *t)
{
	uint32_t len = (uint32_t)t[4] | (uint32_t)t[5] << 8 |
		       (uint32_t)t[6] << 16 | (uint32_t)t[7] << 24;

	t[ACPI_HDR_CHECKSUM] = 0;
	t[ACPI_HDR_CHECKSUM] = acpi_checksum(t, len);
}
