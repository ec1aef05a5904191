/*
 * ACPI checksums (ACPI 6.4, 5.2.5.3 and 5.2.6): the bytes of a structure,
 * checksum included, sum to zero modulo 256.
 */
#include "acpi_priv.h"

uint8_t acpi_checksum(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum = (uint8_t)(sum + *p++);
	return (uint8_t)-sum;
}
