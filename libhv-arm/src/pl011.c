/* PL011 UART transmit (ARM DDI 0183: UARTDR at 0x000, UARTFR at 0x018). */
#include <hv/arm_pl011.h>

#define UARTDR	    (0x000 / 4)
#define UARTFR	    (0x018 / 4)
#define UARTFR_TXFF (1u << 5) /* transmit FIFO full */

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
