/* A 16550 UART, polled (register offsets from the base port). */
#include <hv/x86_uart.h>

#include "x86_asm.h"

#define THR 0 /* transmit holding register (DLAB 0) */
#define RBR 0 /* receive buffer register (DLAB 0) */
#define DLL 0 /* divisor latch, low byte (DLAB 1) */
#define IER 1 /* interrupt enable (DLAB 0) */
#define DLM 1 /* divisor latch, high byte (DLAB 1) */
#define FCR 2 /* FIFO control */
#define LCR 3 /* line control */
#define MCR 4 /* modem control */
#define LSR 5 /* line status */

#define LCR_8N1		     0x03
#define LCR_DLAB	     0x80
#define FCR_ENABLE_AND_CLEAR 0x07
#define MCR_DTR_RTS	     0x03
#define LSR_DR		     0x01 /* a received byte is waiting */
#define LSR_THRE	     0x20 /* the transmit holding register is empty */
#define DIVISOR_115200	     1	  /* 1.8432 MHz / 16 / 115200 */

void hv_x86_uart_init(struct hv_x86_uart *uart, uint16_t port)
{
	uart->port = port;
	hv_outb(port + IER, 0);
	hv_outb(port + LCR, LCR_DLAB);
	hv_outb(port + DLL, DIVISOR_115200);
	hv_outb(port + DLM, 0);
	hv_outb(port + LCR, LCR_8N1);
	hv_outb(port + FCR, FCR_ENABLE_AND_CLEAR);
	hv_outb(port + MCR, MCR_DTR_RTS);
}

void hv_x86_uart_putc(const struct hv_x86_uart *uart, char c)
{
	while (!(hv_inb(uart->port + LSR) & LSR_THRE))
		;
	hv_outb(uart->port + THR, (uint8_t)c);
}

void hv_x86_uart_write(const struct hv_x86_uart *uart, const char *s,
		       size_t len)
{
	for (size_t i = 0; i < len; i++)
		hv_x86_uart_putc(uart, s[i]);
}

size_t hv_x86_uart_read(const struct hv_x86_uart *uart, char *buf, size_t max)
{
	size_t n = 0;

	while (n < max && (hv_inb(uart->port + LSR) & LSR_DR))
		buf[n++] = (char)hv_inb(uart->port + RBR);
	return n;
}

static void write_str(const struct hv_x86_uart *uart, const char *s)
{
	while (*s)
		hv_x86_uart_putc(uart, *s++);
}

void hv_x86_uart_log_sink(void *opaque, enum hv_log_level level,
			  const char *msg, size_t len)
{
	const struct hv_x86_uart *uart = opaque;

	write_str(uart, "(hvkit) ");
	if (level <= HV_LOG_WARN) {
		write_str(uart, hv_log_level_name(level));
		write_str(uart, ": ");
	}
	hv_x86_uart_write(uart, msg, len);
	hv_x86_uart_putc(uart, '\n');
}
