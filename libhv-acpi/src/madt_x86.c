/*
 * The x86 MADT entries (ACPI 6.4, 5.2.12.2, .3 and .12): a Processor Local
 * APIC per vCPU whose APIC ID fits its 8-bit field, a Processor Local
 * x2APIC for the others (255 is the xAPIC broadcast ID, so IDs from 255
 * must use x2APIC entries, and the spec wants the smaller ones in Local
 * APIC entries), and the I/O APIC when there is one.
 */
#include "acpi_priv.h"

#define LAPIC_TYPE    0
#define LAPIC_LEN     8
#define IOAPIC_TYPE   1
#define IOAPIC_LEN    12
#define X2APIC_TYPE   9
#define X2APIC_LEN    16
#define MAX_XAPIC_ID  254
#define LAPIC_ENABLED 1u

static size_t lapic(uint8_t *e, unsigned int uid, uint64_t apic_id)
{
	if (apic_id > MAX_XAPIC_ID) {
		if (e) {
			acpi_put8(e, 0, X2APIC_TYPE);
			acpi_put8(e, 1, X2APIC_LEN);
			acpi_put32(e, 4, (uint32_t)apic_id);
			acpi_put32(e, 8, LAPIC_ENABLED);
			acpi_put32(e, 12, uid);
		}
		return X2APIC_LEN;
	}
	if (e) {
		acpi_put8(e, 0, LAPIC_TYPE);
		acpi_put8(e, 1, LAPIC_LEN);
		acpi_put8(e, 2, (uint8_t)uid);
		acpi_put8(e, 3, (uint8_t)apic_id);
		acpi_put32(e, 4, LAPIC_ENABLED);
	}
	return LAPIC_LEN;
}

static size_t ioapic(uint8_t *e, const struct hv_acpi_x86 *x)
{
	if (e) {
		acpi_put8(e, 0, IOAPIC_TYPE);
		acpi_put8(e, 1, IOAPIC_LEN);
		acpi_put8(e, 2, x->ioapic_id);
		acpi_put32(e, 4, x->ioapic_base);
		acpi_put32(e, 8, x->ioapic_gsi_base);
	}
	return IOAPIC_LEN;
}

size_t acpi_madt_x86_entries(uint8_t *p, const struct hv_acpi_machine *m)
{
	size_t len = 0;

	for (unsigned int i = 0; i < m->nr_vcpus; i++)
		len += lapic(p ? p + len : NULL, i, m->cpu_ids[i]);
	if (m->x86.has_ioapic)
		len += ioapic(p ? p + len : NULL, &m->x86);
	return len;
}
