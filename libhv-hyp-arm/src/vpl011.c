/*
 * The guest's UART: an emulated SBSA UART (the PL011 subset) at Xen's
 * GUEST_PL011_BASE (hv_hyp_arm_xen_layout), as Xen's vpl011 gives a domU.
 * Bytes written to its data register go to the domain's console like
 * console_io output, and the transmitter is always empty.  What is typed
 * at the hypervisor's console waits in a receive FIFO for the domain that
 * has the console; the UART's interrupt (Xen's GUEST_VPL011_SPI) is high
 * while an unmasked condition holds: bytes to read (receive and receive
 * timeout), or room to send.  Every access is a trapped data abort
 * decoded from its syndrome; the core's lock is held for each.
 */
#include "priv.h"

#define UARTDR	     0x000
#define UARTFR	     0x018
#define UARTIMSC     0x038
#define UARTRIS	     0x03c
#define UARTMIS	     0x040
#define UARTFR_TXFE  (1u << 7) /* transmit FIFO empty */
#define UARTFR_RXFE  (1u << 4) /* receive FIFO empty */
#define UART_INT_RX  (1u << 4)
#define UART_INT_TX  (1u << 5)
#define UART_INT_RT  (1u << 6)
#define UART_INT_ALL 0x7ffu
#define VPL011_SPI   32

static uint32_t raw_status(const struct hyp_arm_vpl011 *u)
{
	return UART_INT_TX | (u->rx_len ? UART_INT_RX | UART_INT_RT : 0);
}

/* The interrupt line follows the masked status. */
static void update_line(struct hv_hyp_domain *d)
{
	struct domain_arch *da = domain_arch(d);
	int target = -1;

	hv_spin_lock(&da->vgic_lock);
	if (raw_status(&da->uart) & da->uart.imsc)
		target = hv_vgic_raise(&da->vgic, 0, VPL011_SPI);
	else
		hv_vgic_lower(&da->vgic, 0, VPL011_SPI);
	hv_spin_unlock(&da->vgic_lock);
	if (target >= 0)
		hyp_arm_vgic_kick(d, 1ull << target);
}

void hyp_arm_vpl011_input(struct hv_hyp_domain *d, const char *s, size_t len)
{
	struct hyp_arm_vpl011 *u = &domain_arch(d)->uart;

	for (size_t i = 0; i < len && u->rx_len < sizeof(u->rx); i++)
		u->rx[(u->rx_head + u->rx_len++) % sizeof(u->rx)] = s[i];
	update_line(d);
}

static uint32_t rx_pop(struct hyp_arm_vpl011 *u)
{
	uint8_t c;

	if (!u->rx_len)
		return 0;
	c = (uint8_t)u->rx[u->rx_head];
	u->rx_head = (uint16_t)((u->rx_head + 1) % sizeof(u->rx));
	u->rx_len--;
	return c;
}

static uint32_t reg_read(struct hyp_arm_vpl011 *u, uint64_t offset)
{
	switch (offset) {
	case UARTDR:
		return rx_pop(u);
	case UARTFR:
		return UARTFR_TXFE | (u->rx_len ? 0 : UARTFR_RXFE);
	case UARTIMSC:
		return u->imsc;
	case UARTRIS:
		return raw_status(u);
	case UARTMIS:
		return raw_status(u) & u->imsc;
	default: /* the rest of the SBSA UART, and line control: none */
		return 0;
	}
}

bool hyp_arm_vpl011_access(struct hv_hyp_vcpu *v, const struct hv_arm_dabt *a)
{
	const struct hv_hyp_arm_layout *l = &hv_hyp_arm_xen_layout;
	struct hyp_arm_vpl011 *u = &domain_arch(v->dom)->uart;
	uint64_t offset = a->ipa - l->uart;
	uint64_t *reg =
	    a->reg < 31 ? &vcpu_arch(v)->cpu.x[a->reg] : NULL; /* 31: xzr */
	uint64_t val = reg ? *reg : 0;

	if (!a->valid || a->ipa < l->uart || offset >= l->uart_size)
		return false;
	if (a->write && offset == UARTDR) {
		char c = (char)val;

		hv_xen_console_write(&v->dom->xen, &c, 1);
	} else if (a->write && offset == UARTIMSC) {
		u->imsc = (uint32_t)val & UART_INT_ALL;
	} else if (!a->write && reg) {
		*reg = reg_read(u, offset);
	}
	/* UARTICR and the rest: the conditions are levels, not latches. */
	vcpu_arch(v)->cpu.pc += a->insn_len; /* ELR is the access itself */
	update_line(v->dom);
	return true;
}
