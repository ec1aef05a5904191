/*
 * credit2 against credit under a mixed load: CPU hogs plus I/O-bound
 * units.  credit2 gives the I/O-bound units lower p99 wakeup latency, the
 * property Xen adopted it for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util.h"

#define HOGS 8
#define IOS  8

/* p99 wakeup latency of each I/O unit, 4 pCPUs in 2 sockets, 10 s. */
static void run_mix(const struct hv_sched_policy *policy, hv_time_t *p99)
{
	struct hv_sim_config cfg = {policy, 4, 1, 2, NULL, 1};
	struct hv_sim *sim = hv_sim_create(&cfg);

	assert_non_null(sim);
	for (int i = 0; i < HOGS; i++)
		assert_int_equal(sim_dom_unit(sim, (hv_domid_t)(i + 1), 256, 0,
					      sim_cpu_bound()),
				 i);
	for (int i = 0; i < IOS; i++)
		assert_int_equal(
		    sim_dom_unit(sim, (hv_domid_t)(100 + i), 256, 0,
				 sim_io_bound(HV_MSEC(1), HV_MSEC(10))),
		    HOGS + i);
	assert_int_equal(hv_sim_run(sim, HV_SEC(10)), 0);
	for (int i = 0; i < IOS; i++) {
		struct hv_sim_unit_stats s;

		hv_sim_unit_stats(sim, HOGS + i, &s);
		assert_true(s.wakeups > 500);
		p99[i] = s.lat_p99;
	}
	assert_true(sim_clean(sim));
	hv_sim_destroy(sim);
}

static void test_credit2_wakes_io_faster(void **state)
{
	hv_time_t c1[IOS], c2[IOS], sum1 = 0, sum2 = 0;

	(void)state;
	run_mix(&hv_sched_credit, c1);
	run_mix(&hv_sched_credit2, c2);
	for (int i = 0; i < IOS; i++) {
		assert_true(c2[i] < c1[i]);
		sum1 += c1[i];
		sum2 += c2[i];
	}
	/* And clearly so: on average under two thirds. */
	assert_true(3 * sum2 < 2 * sum1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_credit2_wakes_io_faster),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
