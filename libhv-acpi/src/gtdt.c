/*
 * The GTDT (ACPI 6.4, 5.2.24), revision 3: the generic timer's per-CPU
 * interrupts, and no memory-mapped timers.  A guest has no secure world
 * and no EL2, so the secure EL1 and both EL2 timers have GSIV 0 (none).
 */
#include "acpi_priv.h"

#define GTDT_LEN	     104
#define GTDT_REVISION	     3
#define GTDT_CNT_CTRL_BASE   36
#define GTDT_NS_EL1_GSIV     56
#define GTDT_NS_EL1_FLAGS    60
#define GTDT_VIRT_EL1_GSIV   64
#define GTDT_VIRT_EL1_FLAGS  68
#define GTDT_CNT_READ_BASE   80
#define GTDT_PLATFORM_OFFSET 92

/* "Not provided" for the CNTControlBase and CNTReadBase frames. */
#define GTDT_NO_FRAME UINT64_C(0xffffffffffffffff)

size_t acpi_gtdt_size(void)
{
	return GTDT_LEN;
}

void acpi_gtdt_write(uint8_t *t, const struct hv_acpi_machine *m)
{
	acpi_header(t, "GTDT", GTDT_LEN, GTDT_REVISION);
	acpi_put64(t, GTDT_CNT_CTRL_BASE, GTDT_NO_FRAME);
	acpi_put32(t, GTDT_NS_EL1_GSIV, m->arm.ptimer.gsiv);
	acpi_put32(t, GTDT_NS_EL1_FLAGS, m->arm.ptimer.flags);
	acpi_put32(t, GTDT_VIRT_EL1_GSIV, m->arm.vtimer.gsiv);
	acpi_put32(t, GTDT_VIRT_EL1_FLAGS, m->arm.vtimer.flags);
	acpi_put64(t, GTDT_CNT_READ_BASE, GTDT_NO_FRAME);
	/* No platform timers: the count stays 0, the offset is the end. */
	acpi_put32(t, GTDT_PLATFORM_OFFSET, GTDT_LEN);
	acpi_header_seal(t);
}
