/*
 * Port I/O.  Byte writes to the HVM debug port 0xe9 go to the domain's
 * console, as on Xen.  Channel 2 of the PIT and port 0x61 are libhv-x86's
 * model (<hv/x86_pit.h>): Linux calibrates against it at boot, and
 * against the all ones Xen gives a PVH guest there it spins 100,000 port
 * reads before giving up (docs/x86.md).  Every other port behaves as on a
 * PC with nothing behind it: reads give all ones, writes are dropped (so
 * a guest can never reach the hypervisor's own UART or QEMU's exit
 * device).  The PCI configuration ports of a machine that has nothing
 * there (QEMU's microvm) never exit at all (svm.c): the guest reaches
 * that same nothing directly.  String I/O (INS/OUTS) is not emulated: it crashes the domain,
 * saying so.
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

static void pit_io(struct hv_hyp_vcpu *v, const struct hv_x86_ioio *io)
{
	struct hv_hyp *h = v->dom->hyp;
	struct hv_x86_pit2 *pit = &domain_arch(v->dom)->pit;
	uint64_t *rax = &vcpu_arch(v)->cpu.gpr[HV_X86_RAX];

	if (io->in)
		*rax = (*rax & ~0xffull) |
		       hv_x86_pit2_in(pit, io->port, h->arch->now(h));
	else
		hv_x86_pit2_out(pit, io->port, (uint8_t)*rax, h->arch->now(h));
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
	if (io.size == 1 && hv_x86_pit2_port(io.port)) {
		pit_io(v, &io);
	} else if (io.in) {
		port_in(&vcpu_arch(v)->cpu.gpr[HV_X86_RAX], io.size);
	} else if (io.port == DEBUG_PORT && io.size == 1) {
		c = (char)vcpu_arch(v)->cpu.gpr[HV_X86_RAX];
		hv_xen_console_write(&v->dom->xen, &c, 1);
	}
	/* Without NRIPS, exitinfo2 still holds the next instruction. */
	hv_x86_vmcb_skip(vmcb, vmcb->control.exitinfo2 - vmcb->save.rip);
}
