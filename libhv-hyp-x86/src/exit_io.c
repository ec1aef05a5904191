/*
 * Port I/O.  Byte writes to the HVM debug port 0xe9 go to the domain's
 * console, as on Xen.  Every other port behaves as on a PC with nothing
 * behind it: reads give all ones, writes are dropped (so a guest can never
 * reach the hypervisor's own UART or QEMU's exit device).  String I/O
 * (INS/OUTS) is not emulated: it crashes the domain, saying so.
 */
#include "priv.h"

#include <hv/x86_exit.h>

#define DEBUG_PORT 0xe9

static void port_in(uint64_t *rax, unsigned int size)
{
	/* IN writes AL, AX or EAX; a 32-bit result zero-extends. */
	if (size == 4)
		*rax = UINT32_MAX;
	else
		*rax |= size == 2 ? 0xffffu : 0xffu;
}

void hyp_x86_exit_ioio(struct hv_hyp_vcpu *v)
{
	struct hv_x86_vmcb *vmcb = vcpu_arch(v)->cpu.vmcb;
	struct hv_x86_ioio io;
	char c;

	if (hv_x86_decode_ioio(vmcb->control.exitinfo1, &io) || io.string) {
		hv_hyp_crash(v, "%s on port %#x at rip %#llx is not emulated",
			     io.string ? "string I/O (INS/OUTS)"
				       : "malformed I/O",
			     io.port, (unsigned long long)vmcb->save.rip);
		return;
	}
	if (io.in) {
		port_in(&vcpu_arch(v)->cpu.gpr[HV_X86_RAX], io.size);
	} else if (io.port == DEBUG_PORT && io.size == 1) {
		c = (char)vcpu_arch(v)->cpu.gpr[HV_X86_RAX];
		hv_xen_console_write(&v->dom->xen, &c, 1);
	}
	/* Without NRIPS, exitinfo2 still holds the next instruction. */
	hv_x86_vmcb_skip(vmcb, vmcb->control.exitinfo2 - vmcb->save.rip);
}
