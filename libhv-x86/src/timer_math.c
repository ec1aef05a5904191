/* Tick <-> ns conversion and the TSC's rate (portable, unit-tested). */
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

uint64_t hv_x86_tsc_hz(const struct hv_x86_clock_reading *start,
		       const struct hv_x86_clock_reading *end,
		       uint64_t timer_hz)
{
	uint64_t tsc, count;

	if (end->count == 0 || end->count >= start->count ||
	    end->tsc <= start->tsc)
		return 0;
	/* tsc * timer_hz / count, split: count < 2^32 and a timer below
	 * 4 GHz keep each product below 2^64. */
	tsc = end->tsc - start->tsc;
	count = start->count - end->count;
	return tsc / count * timer_hz + tsc % count * timer_hz / count;
}
