/* Whether the machine has anything at the PCI configuration ports. */
#include <hv/x86_boot.h>

#include "x86_asm.h"

/* Mechanism #1's enable bit: bus 0, device 0, function 0, register 0. */
#define CONF1_ENABLE 0x80000000u

bool hv_x86_pci_conf_ports_used(void)
{
	uint32_t old = hv_inl(HV_X86_PCI_CONF_PORT);
	uint32_t seen;

	hv_outl(HV_X86_PCI_CONF_PORT, CONF1_ENABLE);
	seen = hv_inl(HV_X86_PCI_CONF_PORT);
	hv_outl(HV_X86_PCI_CONF_PORT, old);
	if (seen == CONF1_ENABLE)
		return true;
	for (uint16_t i = 0; i < HV_X86_PCI_CONF_PORTS; i++)
		if (hv_inb((uint16_t)(HV_X86_PCI_CONF_PORT + i)) != 0xff)
			return true;
	return false;
}
