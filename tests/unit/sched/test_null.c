/*
 * The null policy: one unit per pCPU, waiting when pCPUs are short.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util.h"

static void test_never_shares(void **state)
{
	struct hv_sim *sim = sim_new(&hv_sched_null, 3, 1);

	(void)state;
	/* Five units (hogs and sleepers) for three pCPUs. */
	for (int i = 0; i < 5; i++)
		assert_int_equal(
		    sim_dom_unit(sim, (hv_domid_t)(i + 1), 256, 0,
				 i % 2 ? sim_cpu_bound()
				       : sim_io_bound(HV_MSEC(1), HV_MSEC(2))),
		    i);
	assert_int_equal(hv_sim_run(sim, HV_SEC(10)), 0);
	for (unsigned int c = 0; c < 3; c++) {
		struct hv_sim_cpu_stats cs;

		assert_int_equal(hv_sim_cpu_stats(sim, c, &cs), 0);
		assert_int_equal(cs.nr_units, 1);
	}
	/* The first three got a pCPU each; the other two wait. */
	assert_true(sim_share(sim, 1, HV_SEC(10)) > 99.99);
	assert_true(sim_share(sim, 0, HV_SEC(10)) > 10.0);
	assert_true(sim_share(sim, 3, HV_SEC(10)) == 0.0);
	assert_true(sim_share(sim, 4, HV_SEC(10)) == 0.0);
	assert_true(sim_clean(sim));
	hv_sim_destroy(sim);
}

static void test_freed_pcpu_goes_to_waiter(void **state)
{
	struct machine m;
	struct hv_sched_dom d;
	struct hv_sched_unit u[3];
	struct hv_sched_decision dec;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_null, 2), 0);
	assert_int_equal(hv_sched_dom_init(&m.pool, &d, 1), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(hv_sched_unit_init(&d, &u[i], i), 0);
		assert_int_equal(hv_sched_wake(&u[i], 0), 0);
	}
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, 0, &dec), 0);
	assert_ptr_equal(dec.unit, &u[0]);
	assert_int_equal(dec.until, HV_TIME_NEVER);
	/* An asleep unit keeps its pCPU: u[2] still waits. */
	assert_int_equal(hv_sched_sleep(&u[0], 1), 0);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, 1, &dec), 0);
	assert_null(dec.unit);
	/* Once u[0] is gone, u[2] gets pCPU 0. */
	m.kicks[0] = 0;
	assert_int_equal(hv_sched_unit_destroy(&u[0]), 0);
	assert_int_equal(m.kicks[0], 1);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, 2, &dec), 0);
	assert_ptr_equal(dec.unit, &u[2]);
	assert_int_equal(hv_sched_unit_cpu(&u[2]), 0);
}

static void test_affinity_moves_assignment(void **state)
{
	struct machine m;
	struct hv_sched_dom d;
	struct hv_sched_unit u[2];
	struct hv_sched_cpumask hard;
	struct hv_sched_decision dec;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_null, 3), 0);
	assert_int_equal(hv_sched_dom_init(&m.pool, &d, 1), 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(hv_sched_unit_init(&d, &u[i], i), 0);
		assert_int_equal(hv_sched_wake(&u[i], 0), 0);
	}
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, 0, &dec), 0);
	assert_ptr_equal(dec.unit, &u[0]);
	/* Pinned to pCPU 2 while running on 0: it moves there. */
	hv_sched_cpumask_zero(&hard);
	hv_sched_cpumask_set(&hard, 2);
	assert_int_equal(hv_sched_unit_set_affinity(&u[0], &hard, NULL, 1), 0);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, 1, &dec), 0);
	assert_null(dec.unit);
	assert_int_equal(hv_sched_unit_cpu(&u[0]), 2);
	assert_int_equal(hv_sched_do_schedule(&m.s, 2, 1, &dec), 0);
	assert_ptr_equal(dec.unit, &u[0]);
	/* Pinned to pCPU 1, which u[1] holds: it waits. */
	hv_sched_cpumask_zero(&hard);
	hv_sched_cpumask_set(&hard, 1);
	assert_int_equal(hv_sched_unit_set_affinity(&u[0], &hard, NULL, 2), 0);
	assert_int_equal(hv_sched_do_schedule(&m.s, 2, 2, &dec), 0);
	assert_null(dec.unit);
	assert_int_equal(hv_sched_do_schedule(&m.s, 1, 2, &dec), 0);
	assert_ptr_equal(dec.unit, &u[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_never_shares),
	    cmocka_unit_test(test_freed_pcpu_goes_to_waiter),
	    cmocka_unit_test(test_affinity_moves_assignment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
