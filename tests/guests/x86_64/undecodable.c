/* Touches guest-physical memory that nothing backs with an instruction
 * hvkit's emulator does not know (BTS): it must crash this domain with a
 * clear message, and the others must carry on. */
#include "guest.h"

#define UNBACKED 0xc0000000ul

int main(void)
{
	guest_print("about to bts on unbacked memory\n");
	__asm__ __volatile__("btsl $0, (%0)" ::"r"(UNBACKED) : "memory");
	guest_print("still alive after the bts!\n");
	return 1;
}
