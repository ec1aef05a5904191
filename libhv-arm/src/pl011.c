/* PL011 UART (ARM DDI 0183): transmit, and receive by interrupt. */
#include <hv/arm_pl011.h>

#define UARTDR	    (0x000 / 4)
#define UARTFR	    (0x018 / 4)
#define UARTIMSC    (0x038 / 4)
#define UARTICR	    (0x044 / 4)
#define UARTFR_TXFF (1u << 5) /* transmit FIFO full */
#define UARTFR_RXFE (1u << 4) /* receive FIFO empty */
/* Receive, and receive timeout (what is left below the FIFO's level). */
#define UART_INT_RX (1u << 4 | 1u << 6)

void hv_pl011_rx_enable(const struct hv_pl011 *uart)
{
	uart->regs[UARTIMSC] |= UART_INT_RX;
}

size_t hv_pl011_read(const struct hv_pl011 *uart, char *buf, size_t max)
{
	size_t n = 0;

	/* Ended first, then drained: a byte that comes after the last look
	 * at the flags raises the interrupt again.  (Ended after, it would
	 * sit in the FIFO with no interrupt to say so, and the UART would
	 * take no more.) */
	uart->regs[UARTICR] = UART_INT_RX;
	while (n < max && !(uart->regs[UARTFR] & UARTFR_RXFE))
		buf[n++] = (char)uart->regs[UARTDR];
	return n;
}

void hv_pl011_init(struct hv_pl011 *uart, uintptr_t base)
{
	uart->regs = (volatile uint32_t *)base;
}

void hv_pl011_putc(const struct hv_pl011 *uart, char c)
{
	while (uart->regs[UARTFR] & UARTFR_TXFF)
		;
	uart->regs[UARTDR] = (uint8_t)c;
}

void hv_pl011_write(const struct hv_pl011 *uart, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		hv_pl011_putc(uart, s[i]);
}

static void write_str(const struct hv_pl011 *uart, const char *s)
{
	while (*s)
		hv_pl011_putc(uart, *s++);
}

void hv_pl011_log_sink(void *opaque, enum hv_log_level level, const char *msg,
		       size_t len)
{
	const struct hv_pl011 *uart = opaque;

	write_str(uart, "(hvkit) ");
	if (level <= HV_LOG_WARN) {
		write_str(uart, hv_log_level_name(level));
		write_str(uart, ": ");
	}
	hv_pl011_write(uart, msg, len);
	hv_pl011_putc(uart, '\n');
}
