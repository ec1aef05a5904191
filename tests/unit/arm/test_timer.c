/* Generic-timer tick <-> ns conversion: exact, no overflow, rounding up. */
#include <hv/arm_timer.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

static const struct hv_arm_timer qemu = {.freq = 62500000}; /* 16 ns tick */
static const struct hv_arm_timer odd = {.freq = 19200000};  /* 52.08 ns */

static void whole_ticks(void **state)
{
	(void)state;
	assert_int_equal(hv_arm_ticks_to_ns(&qemu, 0), 0);
	assert_int_equal(hv_arm_ticks_to_ns(&qemu, 1), 16);
	assert_int_equal(hv_arm_ticks_to_ns(&qemu, 62500000), 1000000000);
	assert_int_equal(hv_arm_ns_to_ticks(&qemu, HV_SEC(1)), 62500000);
	assert_int_equal(hv_arm_ns_to_ticks(&qemu, HV_USEC(1)), 63 /* 62.5 */);
}

static void large_counts_do_not_overflow(void **state)
{
	/* 100 years of ticks: a naive ticks * 1e9 overflows 64 bits. */
	const uint64_t years100 = 62500000ull * 3600 * 24 * 365 * 100;

	(void)state;
	assert_int_equal(hv_arm_ticks_to_ns(&qemu, years100),
			 (hv_time_t)years100 * 16);
	assert_int_equal(hv_arm_ns_to_ticks(&qemu, (hv_time_t)years100 * 16),
			 years100);
}

static void conversions_round_trip_without_firing_early(void **state)
{
	(void)state;
	for (hv_time_t ns = 0; ns < 100000; ns += 7) {
		uint64_t t = hv_arm_ns_to_ticks(&odd, ns);

		/* The tick count reaches ns, and one tick less would not. */
		assert_true(hv_arm_ticks_to_ns(&odd, t) >= ns - 1);
		if (t > 0)
			assert_true(hv_arm_ticks_to_ns(&odd, t - 1) < ns);
	}
}

static void negative_times_are_tick_zero(void **state)
{
	(void)state;
	assert_int_equal(hv_arm_ns_to_ticks(&qemu, -5), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(whole_ticks),
	    cmocka_unit_test(large_counts_do_not_overflow),
	    cmocka_unit_test(conversions_round_trip_without_firing_early),
	    cmocka_unit_test(negative_times_are_tick_zero),
	};
	return cmocka_run_group_tests_name("arm-timer", tests, NULL, NULL);
}
