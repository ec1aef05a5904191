/*
 * The one compiler-runtime function the 32-bit guests need (64-bit
 * division, for libhv-core's number formatting): i386 has no 64-bit
 * divide instruction and the guests link no libgcc.
 */
#include <stdint.h>

uint64_t __udivdi3(uint64_t n, uint64_t d);

/* Shift-and-subtract long division; d != 0. */
uint64_t __udivdi3(uint64_t n, uint64_t d)
{
	uint64_t q = 0, r = 0;

	for (int i = 63; i >= 0; i--) {
		r = r << 1 | ((n >> i) & 1);
		if (r >= d) {
			r -= d;
			q |= 1ull << i;
		}
	}
	return q;
}
