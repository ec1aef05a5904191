/* Tick <-> ns conversion for the generic timer (portable, unit-tested). */
#include <hv/arm_timer.h>

#define NS_PER_SEC 1000000000ull

hv_time_t hv_arm_ticks_to_ns(const struct hv_arm_timer *t, uint64_t ticks)
{
	/* Split so that no product overflows: remainder * 1e9 < freq * 1e9,
	 * which fits for any freq below 18 GHz. */
	uint64_t secs = ticks / t->freq;
	uint64_t rem = ticks % t->freq;

	return (hv_time_t)(secs * NS_PER_SEC + rem * NS_PER_SEC / t->freq);
}

uint64_t hv_arm_ns_to_ticks(const struct hv_arm_timer *t, hv_time_t ns)
{
	uint64_t n = ns < 0 ? 0 : (uint64_t)ns;
	uint64_t secs = n / NS_PER_SEC;
	uint64_t rem = n % NS_PER_SEC;

	/* Round up, so that a timer set for `ns` never fires before it. */
	return secs * t->freq + (rem * t->freq + NS_PER_SEC - 1) / NS_PER_SEC;
}
