/*
 * The emulated UART Xen gives a domU (vpl011) at GUEST_PL011_BASE: text
 * written to its data register reaches the console like console_io output,
 * and its flag register says the transmitter is empty.
 */
#define __XEN_TOOLS__ /* GUEST_PL011_BASE: Xen's guest memory map */

#include "guest.h"

#include <xen/xen.h>

#define UARTDR	    0x000
#define UARTFR	    0x018
#define UARTFR_TXFF (1u << 5)
#define UARTFR_TXFE (1u << 7)
#define FDT_MAGIC   0xd00dfeedu

static volatile uint32_t *const uart =
    (volatile uint32_t *)(uintptr_t)GUEST_PL011_BASE;

static void uart_print(const char *s)
{
	for (; *s; s++) {
		while (uart[UARTFR / 4] & UARTFR_TXFF)
			;
		uart[UARTDR / 4] = (uint8_t)*s;
	}
}

int main(void)
{
	const uint8_t *dtb = (const uint8_t *)(uintptr_t)guest_dtb;
	uint32_t magic =
	    (uint32_t)dtb[0] << 24 | dtb[1] << 16 | dtb[2] << 8 | dtb[3];

	CHECK_EQ(magic, FDT_MAGIC); /* x0 pointed at a device tree */
	CHECK(uart[UARTFR / 4] & UARTFR_TXFE);
	uart_print("hello through the emulated UART\n");
	/* A byte-sized store is a store to the data register too. */
	*(volatile uint8_t *)uart = '!';
	*(volatile uint8_t *)uart = '\n';
	return guest_test_result();
}
