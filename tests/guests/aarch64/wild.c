/* Writes outside its own RAM: the hypervisor must crash this domain with
 * a clear message, and the others must carry on. */
#include "guest.h"

int main(void)
{
	volatile uint32_t *outside = (volatile uint32_t *)0x20000000;

	guest_print("about to write outside my RAM\n");
	*outside = 0xdead;
	guest_print("still alive after the wild write!\n");
	return 1;
}
