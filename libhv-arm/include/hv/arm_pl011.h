/*
 * hv/arm_pl011.h - the PL011 UART: the hypervisor's console.
 *
 * Transmit is polled; receive is by interrupt.  No line or FIFO
 * configuration: firmware (or QEMU) has set the line up.
 */
#ifndef HV_ARM_PL011_H
#define HV_ARM_PL011_H

#include <hv/log.h>

HV_BEGIN_DECLS

/* A PL011 UART (the console of QEMU's virt machine). */
struct hv_pl011 {
	volatile uint32_t *regs; /* the UART's MMIO registers */
};

/* The UART whose registers are at `base` (mapped); write one byte, and
 * len bytes, as they are, waiting for room in its FIFO. */
void hv_pl011_init(struct hv_pl011 *uart, uintptr_t base);
void hv_pl011_putc(const struct hv_pl011 *uart, char c);
void hv_pl011_write(const struct hv_pl011 *uart, const char *s, size_t len);

/* Interrupt when a byte is received (the UART's own interrupt must reach
 * the CPU too: hv_arm_gic_spi_enable); then take up to `max` received
 * bytes, and end the interrupt: the number taken. */
void hv_pl011_rx_enable(const struct hv_pl011 *uart);
size_t hv_pl011_read(const struct hv_pl011 *uart, char *buf, size_t max);

/* An hv_log sink (opaque = the UART) writing "(hvkit) msg\n", with the
 * level named for warnings and errors. */
void hv_pl011_log_sink(void *uart, enum hv_log_level level, const char *msg,
		       size_t len);

HV_END_DECLS

#endif /* HV_ARM_PL011_H */
