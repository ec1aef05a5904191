/* Writes outside its own RAM with no vector table: the data abort it is
 * given (as Xen gives it) sends it to VBAR_EL1 = 0, where nothing backs
 * the instruction fetch either: the instruction abort for that would
 * enter the same vector, so the hypervisor must crash this domain with a
 * clear message (Xen lets it spin), and the others must carry on. */
#include "guest.h"

int main(void)
{
	volatile uint32_t *outside = (volatile uint32_t *)0x20000000;

	guest_print("about to write outside my RAM, with no vectors\n");
	*outside = 0xdead;
	guest_print("still alive after the wild write!\n");
	return 1;
}
