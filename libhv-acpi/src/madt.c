/*
 * The MADT (ACPI 6.4, 5.2.12), revision 5: the interrupt controllers and
 * one enabled entry per vCPU, whose processor UID is the vCPU's index and
 * matches the _UID of its DSDT processor device.
 */
#include "acpi_priv.h"

#define MADT_REVISION	5
#define MADT_LOCAL_ADDR 36
#define MADT_FLAGS	40
#define MADT_ENTRIES	44

static size_t entries(uint8_t *p, const struct hv_acpi_machine *m)
{
	if (m->arch == HV_ACPI_ARCH_X86)
		return acpi_madt_x86_entries(p, m);
	return acpi_madt_arm_entries(p, m);
}

size_t acpi_madt_size(const struct hv_acpi_machine *m)
{
	return MADT_ENTRIES + entries(NULL, m);
}

void acpi_madt_write(uint8_t *t, const struct hv_acpi_machine *m)
{
	size_t len = MADT_ENTRIES + entries(t + MADT_ENTRIES, m);

	acpi_header(t, "APIC", (uint32_t)len, MADT_REVISION);
	/*
	 * The Local APIC's address on x86; Arm has none (GICC entries carry
	 * theirs).  Flags stay 0: no PC-AT dual 8259s (PCAT_COMPAT).
	 */
	if (m->arch == HV_ACPI_ARCH_X86)
		acpi_put32(t, MADT_LOCAL_ADDR, m->x86.lapic_base);
	acpi_put32(t, MADT_FLAGS, 0);
	acpi_header_seal(t);
}
