/*
 * The SPCR (Microsoft's Serial Port Console Redirection Table, revision
 * 2): the guest's console UART, an MMIO UART on a GIC SPI.  Linux starts
 * its early console from it, and names it the preferred console.
 */
#include "acpi_priv.h"

#define SPCR_LEN	   80
#define SPCR_REVISION	   2
#define SPCR_TYPE	   36
#define SPCR_BASE	   40 /* a Generic Address Structure */
#define SPCR_IRQ_TYPE	   52
#define SPCR_GSIV	   54
#define SPCR_BAUD	   58
#define SPCR_STOP_BITS	   60
#define SPCR_TERMINAL	   62
#define SPCR_PCI_DEVICE_ID 64
#define SPCR_PCI_VENDOR_ID 66

/* Generic Address Structure: system memory, 32-bit registers. */
#define GAS_SYSTEM_MEMORY 0
#define GAS_DWORD_ACCESS  3

#define SPCR_IRQ_GIC	(1u << 3) /* ARMH GIC interrupt */
#define SPCR_BAUD_AS_IS 0	  /* a virtual UART has no line rate */
#define SPCR_TERM_VT100 0
#define SPCR_NOT_PCI	0xffff

size_t acpi_spcr_size(void)
{
	return SPCR_LEN;
}

void acpi_spcr_write(uint8_t *t, const struct hv_acpi_machine *m)
{
	acpi_header(t, "SPCR", SPCR_LEN, SPCR_REVISION);
	acpi_put8(t, SPCR_TYPE, (uint8_t)m->uart.type);
	acpi_put8(t, SPCR_BASE, GAS_SYSTEM_MEMORY);
	acpi_put8(t, SPCR_BASE + 1, 32); /* register width, bits */
	acpi_put8(t, SPCR_BASE + 3, GAS_DWORD_ACCESS);
	acpi_put64(t, SPCR_BASE + 4, m->uart.base);
	acpi_put8(t, SPCR_IRQ_TYPE, SPCR_IRQ_GIC);
	acpi_put32(t, SPCR_GSIV, m->uart.gsiv);
	acpi_put8(t, SPCR_BAUD, SPCR_BAUD_AS_IS);
	acpi_put8(t, SPCR_STOP_BITS, 1);
	acpi_put8(t, SPCR_TERMINAL, SPCR_TERM_VT100);
	acpi_put16(t, SPCR_PCI_DEVICE_ID, SPCR_NOT_PCI);
	acpi_put16(t, SPCR_PCI_VENDOR_ID, SPCR_NOT_PCI);
	acpi_header_seal(t);
}
