/*
 * The XSDT (ACPI 6.4, 5.2.8): the 64-bit addresses of every table but the
 * DSDT, which the FADT points at.
 */
#include "acpi_priv.h"

#define XSDT_REVISION 1
#define XSDT_ENTRY    8

/* The entries in XSDT order (absent tables have address 0). */
static unsigned int entries(const struct acpi_layout *l, hv_gpaddr_t *e)
{
	const hv_gpaddr_t all[] = {l->fadt, l->madt, l->gtdt, l->spcr};
	unsigned int n = 0;

	for (unsigned int i = 0; i < HV_ARRAY_SIZE(all); i++) {
		if (all[i])
			e[n++] = all[i];
	}
	return n;
}

size_t acpi_xsdt_size(unsigned int nr_tables)
{
	return ACPI_HDR_LEN + XSDT_ENTRY * (size_t)nr_tables;
}

void acpi_xsdt_write(uint8_t *t, const struct acpi_layout *l)
{
	hv_gpaddr_t e[4];
	unsigned int n = entries(l, e);

	acpi_header(t, "XSDT", (uint32_t)(ACPI_HDR_LEN + XSDT_ENTRY * n),
		    XSDT_REVISION);
	for (unsigned int i = 0; i < n; i++)
		acpi_put64(t, ACPI_HDR_LEN + XSDT_ENTRY * i, e[i]);
	acpi_header_seal(t);
}
