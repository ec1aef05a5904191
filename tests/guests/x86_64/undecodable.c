/* Touches guest-physical memory that nothing backs with an instruction
 * other than a MOV (an ADD to memory): hvkit emulates only the MOV family
 * there, so it must crash this domain with a clear message, and the others
 * must carry on. */
#include "guest.h"

#define UNBACKED 0xc0000000ul

int main(void)
{
	guest_print("about to add to unbacked memory\n");
	__asm__ __volatile__("addl $1, (%0)" ::"r"(UNBACKED) : "memory");
	guest_print("still alive after the add!\n");
	return 1;
}
