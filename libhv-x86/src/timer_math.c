/* Tick <-> ns conversion (portable, unit-tested). */
#include <hv/x86_timer.h>

#define NS_PER_SEC 1000000000ull

hv_time_t hv_x86_ticks_to_ns(uint64_t ticks, uint64_t hz)
{
	/* Split so that no product overflows: rem * 1e9 < hz * 1e9, which
	 * fits for any clock below 18 GHz. */
	uint64_t secs = ticks / hz;
	uint64_t rem = ticks % hz;

	return (hv_time_t)(secs * NS_PER_SEC + rem * NS_PER_SEC / hz);
}

uint64_t hv_x86_ns_to_ticks(hv_time_t ns, uint64_t hz)
{
	uint64_t n = ns < 0 ? 0 : (uint64_t)ns;
	uint64_t secs = n / NS_PER_SEC;
	uint64_t rem = n % NS_PER_SEC;

	return secs * hz + (rem * hz + NS_PER_SEC - 1) / NS_PER_SEC;
}
