/* Triple-faults: an exception with an empty IDT cannot be delivered, nor
 * the #GP that raises, nor the double fault.  The hypervisor must crash
 * this domain with a clear message, and the others must carry on. */
#include "guest.h"

int main(void)
{
	static const uint16_t empty_idt[5];

	guest_print("about to triple-fault\n");
	__asm__ __volatile__("lidt %0; ud2" ::"m"(empty_idt));
	guest_print("still alive after a triple fault!\n");
	return 1;
}
