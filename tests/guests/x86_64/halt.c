/*
 * HLT, as Xen answers it.  With interrupts off (the default), a HLT is
 * "a pretty sure sign that we want to shut down" (Xen's hvm_hlt): the vCPU
 * goes down, and with it the domain, powered off.  With interrupts on
 * (built with HALT_STI), the vCPU blocks until it has an event; in an
 * image where nothing can send one, the hypervisor ends it once every
 * other domain is done.
 */
#include "guest.h"

int main(void)
{
#if defined(HALT_STI)
	guest_print("halting with interrupts on\n");
	__asm__ __volatile__("sti; hlt; cli");
#else
	guest_print("halting with interrupts off\n");
	__asm__ __volatile__("cli; hlt");
#endif
	guest_print("woke up from hlt!\n");
	return 1;
}
