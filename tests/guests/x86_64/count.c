/* Prints numbered lines, yielding after each, so that the output of
 * several domains interleaves on the console. */
#include "guest.h"

#define LINES 5

int main(void)
{
	for (int i = 1; i <= LINES; i++) {
		guest_printf("count %d of %d\n", i, LINES);
		guest_yield();
	}
	return guest_test_result();
}
