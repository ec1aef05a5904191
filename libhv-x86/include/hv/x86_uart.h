/*
 * hv/x86_uart.h - a 16550 UART on I/O ports (COM1 at 0x3f8): the
 * hypervisor's console.  Polled both ways, no interrupts.
 */
#ifndef HV_X86_UART_H
#define HV_X86_UART_H

#include <hv/log.h>

HV_BEGIN_DECLS

/* COM1's I/O port. */
#define HV_X86_COM1 0x3f8

/* A 16550 UART on I/O ports. */
struct hv_x86_uart {
	uint16_t port; /* base I/O port */
};

/* Program the line for 115200 baud, 8N1, FIFOs on, interrupts off. */
void hv_x86_uart_init(struct hv_x86_uart *uart, uint16_t port);
void hv_x86_uart_putc(const struct hv_x86_uart *uart, char c);
void hv_x86_uart_write(const struct hv_x86_uart *uart, const char *s,
		       size_t len);
/* The bytes received and waiting (the 16-byte FIFO's), at most max, and
 * how many; 0 at once when there are none. */
size_t hv_x86_uart_read(const struct hv_x86_uart *uart, char *buf, size_t max);

/* An hv_log sink (opaque = the UART) writing "(hvkit) msg\n", with the
 * level named for warnings and errors. */
void hv_x86_uart_log_sink(void *uart, enum hv_log_level level, const char *msg,
			  size_t len);

HV_END_DECLS

#endif /* HV_X86_UART_H */
