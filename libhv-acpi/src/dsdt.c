/*
 * The DSDT (ACPI 6.4, 5.2.11.1), revision 2 (64-bit integers): one
 * processor device per vCPU (8.4 "Declaring Processors"), as ACPI 6.x
 * wants them (the Processor op is deprecated):
 *
 *	Scope (\_SB) {
 *		Device (C000) { Name (_HID, "ACPI0007") Name (_UID, Zero) }
 *		...
 *	}
 *
 * The _UID is the vCPU's index, the processor UID of its MADT entry.
 */
#include "acpi_priv.h"

#define DSDT_REVISION 2

/* "Cxxx": the index in hex, unique up to 4096 vCPUs. */
static void cpu_name(char name[5], unsigned int i)
{
	static const char hex[] = "0123456789ABCDEF";

	name[0] = 'C';
	name[1] = hex[(i >> 8) & 0xf];
	name[2] = hex[(i >> 4) & 0xf];
	name[3] = hex[i & 0xf];
	name[4] = '\0';
}

static void processors(struct hv_acpi_aml *a, const struct hv_acpi_machine *m)
{
	size_t scope = hv_acpi_aml_scope_begin(a, "\\_SB");

	for (unsigned int i = 0; i < m->nr_vcpus; i++) {
		char name[5];
		size_t dev;

		cpu_name(name, i);
		dev = hv_acpi_aml_device_begin(a, name);
		hv_acpi_aml_name(a, "_HID");
		hv_acpi_aml_string(a, "ACPI0007");
		hv_acpi_aml_name(a, "_UID");
		hv_acpi_aml_integer(a, i);
		hv_acpi_aml_end(a, dev);
	}
	hv_acpi_aml_end(a, scope);
}

size_t acpi_dsdt_size(const struct hv_acpi_machine *m)
{
	struct hv_acpi_aml a;

	hv_acpi_aml_init(&a, NULL, 0);
	processors(&a, m);
	return ACPI_HDR_LEN + a.len;
}

void acpi_dsdt_write(uint8_t *t, size_t len, const struct hv_acpi_machine *m)
{
	struct hv_acpi_aml a;

	/* len is acpi_dsdt_size()'s, so the emitter cannot run out. */
	hv_acpi_aml_init(&a, t + ACPI_HDR_LEN, len - ACPI_HDR_LEN);
	processors(&a, m);
	acpi_header(t, "DSDT", (uint32_t)len, DSDT_REVISION);
	acpi_header_seal(t);
}
