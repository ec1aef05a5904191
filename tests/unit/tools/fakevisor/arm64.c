/*
 * arm64.c - the stand-in image on aarch64: an arm64 Image entered at EL2
 * with the MMU off and x0 = QEMU's device tree, whose /chosen names the
 * initrd (the bundle).  PL011 for the console, semihosting SYS_EXIT to end.
 */
#include <stdint.h>

#include "fake.h"

#define PL011_BASE		     0x09000000ul /* QEMU virt */
#define PL011_DR		     0x00
#define PL011_FR		     0x18
#define PL011_FR_TXFF		     (1u << 5)
#define SEMIHOST_SYS_EXIT	     0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static volatile uint32_t *pl011(unsigned off)
{
	return (volatile uint32_t *)(PL011_BASE + off);
}

void fake_putc(char c)
{
	while (*pl011(PL011_FR) & PL011_FR_TXFF)
		;
	*pl011(PL011_DR) = (uint8_t)c;
}

void fake_exit(unsigned value)
{
	/* SYS_EXIT with the extended block: QEMU exits with @value. */
	uint64_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, value};
	register uint64_t x0 __asm__("x0") = SEMIHOST_SYS_EXIT;
	register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;

	__asm__ volatile("hlt #0xf000" : : "r"(x0), "r"(x1) : "memory");
	for (;;)
		__asm__ volatile("wfi");
}

/* A /chosen address property: one or two cells. */
static uint64_t cells(const uint8_t *p, uint32_t len)
{
	if (len == 4)
		return fake_be32(p);
	return (uint64_t)fake_be32(p) << 32 | fake_be32(p + 4);
}

void fake_main(const void *dtb);

void fake_main(const void *dtb)
{
	uint32_t len;
	const uint8_t *start =
	    fake_fdt_prop(dtb, "/chosen", "linux,initrd-start", &len);

	fake_play(start ? (const void *)(uintptr_t)cells(start, len) : 0);
}
