/*
 * Typing into a domain: the emulated UART's receive side, as a guest
 * kernel's serial driver uses it.  The guest unmasks the UART's receive
 * interrupts, enables its SPI at the virtual GIC, says it is ready and
 * takes what is typed at the hypervisor's console in its interrupt
 * handler (checking the masked status, as Linux's pl011 driver does)
 * until a whole line has come, which it prints back.
 */
#define __XEN_TOOLS__ /* GUEST_PL011_BASE, GUEST_VPL011_SPI */

#include "guest.h"

#include <xen/sched.h>
#include <xen/xen.h>

#define UARTDR	    0x000
#define UARTFR	    0x018
#define UARTIMSC    0x038
#define UARTMIS	    0x040
#define UARTFR_RXFE (1u << 4)
#define UART_INT_RX (1u << 4 | 1u << 6) /* receive, receive timeout */

static volatile uint32_t *const uart =
    (volatile uint32_t *)(uintptr_t)GUEST_PL011_BASE;
static char line[80];
static volatile unsigned int len, lines;

void guest_irq_exception(void);

void guest_irq_exception(void)
{
	unsigned int intid = guest_gic_ack();

	if (intid != GUEST_VPL011_SPI) {
		guest_printf("unexpected interrupt %u\n", intid);
		guest_shutdown(SHUTDOWN_crash);
	}
	/* A level interrupt may have been made pending before the bytes
	 * that raised it were read by the last one (as on hardware, where
	 * a driver sees an interrupt with nothing to do): then the loop
	 * below finds nothing. */
	while ((uart[UARTMIS / 4] & UART_INT_RX) &&
	       !(uart[UARTFR / 4] & UARTFR_RXFE)) {
		char c = (char)uart[UARTDR / 4];

		if (c == '\n')
			lines++;
		else if (len < sizeof(line) - 1)
			line[len++] = c;
	}
	guest_gic_eoi(intid);
}

int main(void)
{
	guest_gic_init();
	guest_gic_spi_enable(GUEST_VPL011_SPI);
	guest_gic_cpu_init(0, 0);
	CHECK(uart[UARTFR / 4] & UARTFR_RXFE);
	uart[UARTIMSC / 4] = UART_INT_RX;
	guest_print("ready for a line\n");
	guest_wait_for(&lines, 1);
	guest_printf("got \"%s\"\n", line);
	return guest_test_result();
}
