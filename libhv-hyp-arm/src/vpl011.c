/*
 * The guest's UART: an emulated SBSA UART (the PL011 subset) at Xen's
 * GUEST_PL011_BASE (hv_hyp_arm_xen_layout), as Xen's vpl011 gives a domU,
 * transmit only.  Bytes written to its data register go to the domain's
 * console like console_io output; the flag register says the transmitter
 * is always empty.  Every access is a trapped data abort decoded from its
 * syndrome.
 */
#include "priv.h"

#define UARTDR	    0x000
#define UARTFR	    0x018
#define UARTFR_TXFE (1u << 7) /* transmit FIFO empty */
#define UARTFR_RXFE (1u << 4) /* receive FIFO empty */

bool hyp_arm_vpl011_access(struct hv_hyp_vcpu *v, const struct hv_arm_dabt *a)
{
	const struct hv_hyp_arm_layout *l = &hv_hyp_arm_xen_layout;
	uint64_t offset = a->ipa - l->uart;
	uint64_t *reg =
	    a->reg < 31 ? &vcpu_arch(v)->cpu.x[a->reg] : NULL; /* 31: xzr */

	if (!a->valid || a->ipa < l->uart || offset >= l->uart_size)
		return false;
	if (a->write) {
		char c = reg ? (char)*reg : '\0';

		if (offset == UARTDR)
			hv_xen_console_write(&v->dom->xen, &c, 1);
	} else if (reg) {
		*reg = offset == UARTFR ? UARTFR_TXFE | UARTFR_RXFE : 0;
	}
	vcpu_arch(v)->cpu.pc += 4; /* a data abort's ELR is the access itself */
	return true;
}
