/* Jumps to guest-physical memory that nothing backs: there is no
 * instruction there to emulate, so the hypervisor must crash this domain
 * with a clear message, and the others must carry on. */
#include "guest.h"

#define UNBACKED 0xc0000000ul

int main(void)
{
	guest_print("about to jump into unbacked memory\n");
	__asm__ __volatile__("jmp *%0" ::"r"(UNBACKED));
	return 1;
}
