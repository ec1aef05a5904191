/*
 * The RTDS policy: deadlines met when feasible, misses reported when not,
 * budget enforcement, EDF order, deferrable budget, parameters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util.h"

/* A periodic unit whose server matches its jobs: budget = work. */
static int rt_unit(struct hv_sim *sim, hv_domid_t domid, hv_time_t period,
		   hv_time_t work)
{
	struct hv_sched_params p;
	struct hv_sim_workload w = sim_periodic(period, work);
	int d;

	hv_sched_params_default(&p);
	p.period = period;
	p.budget = work;
	d = hv_sim_add_domain(sim, domid, &p);
	return d < 0 ? d : hv_sim_add_unit(sim, d, &w);
}

static void test_feasible_set_meets_deadlines(void **state)
{
	struct hv_sim *sim = sim_new(&hv_sched_rtds, 2, 1);
	struct hv_sim_stats st;

	(void)state;
	/*
	 * Utilisation 0.4 + 0.4 + 0.25 + 0.25 + 0.3 = 1.6 on 2 pCPUs, with
	 * at most 0.4 per task: within the global-EDF bound U <= m - (m - 1)
	 * * u_max = 1.6, so EDF finds a schedule.
	 */
	assert_true(rt_unit(sim, 1, HV_MSEC(10), HV_MSEC(4)) >= 0);
	assert_true(rt_unit(sim, 2, HV_MSEC(10), HV_MSEC(4)) >= 0);
	assert_true(rt_unit(sim, 3, HV_MSEC(20), HV_MSEC(5)) >= 0);
	assert_true(rt_unit(sim, 4, HV_MSEC(20), HV_MSEC(5)) >= 0);
	assert_true(rt_unit(sim, 5, HV_MSEC(5), HV_USEC(1500)) >= 0);
	assert_int_equal(hv_sim_run(sim, HV_SEC(10)), 0);
	hv_sim_stats(sim, &st);
	assert_int_equal(st.misses, 0);
	for (int i = 0; i < 5; i++) {
		struct hv_sim_unit_stats s;

		hv_sim_unit_stats(sim, i, &s);
		assert_true(s.jobs >= 500);
		assert_int_equal(s.misses, 0);
	}
	assert_true(sim_clean(sim));
	hv_sim_destroy(sim);
}

static void test_overload_reports_misses(void **state)
{
	struct hv_sim *sim = sim_new(&hv_sched_rtds, 2, 1);
	struct hv_sim_stats st;

	(void)state;
	/* 3 x 0.8 = 2.4 > 2 pCPUs: the run ends, with misses counted. */
	for (int i = 0; i < 3; i++)
		assert_true(rt_unit(sim, (hv_domid_t)(i + 1), HV_MSEC(10),
				    HV_MSEC(8)) >= 0);
	assert_int_equal(hv_sim_run(sim, HV_SEC(10)), 0);
	hv_sim_stats(sim, &st);
	assert_true(st.misses > 100);
	assert_int_equal(st.elapsed, HV_SEC(10));
	assert_true(sim_clean(sim));
	hv_sim_destroy(sim);
}

static void test_budget_enforced(void **state)
{
	struct hv_sim *sim = sim_new(&hv_sched_rtds, 1, 1);
	struct hv_sched_params p;
	int d;

	(void)state;
	/* A CPU hog with 2 ms every 10 ms gets exactly 20%. */
	hv_sched_params_default(&p);
	p.budget = HV_MSEC(2);
	d = hv_sim_add_domain(sim, 1, &p);
	{
		struct hv_sim_workload hog = sim_cpu_bound();

		assert_int_equal(hv_sim_add_unit(sim, d, &hog), 0);
	}
	assert_int_equal(hv_sim_run(sim, HV_SEC(1)), 0);
	assert_true(sim_share(sim, 0, HV_SEC(1)) > 19.99 &&
		    sim_share(sim, 0, HV_SEC(1)) < 20.01);
	hv_sim_destroy(sim);
}

static void test_edf_order_and_deferrable_budget(void **state)
{
	struct machine m;
	struct hv_sched_dom d[2];
	struct hv_sched_unit slow, fast;
	struct hv_sched_params p;
	struct hv_sched_decision dec;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_rtds, 1), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(hv_sched_dom_init(&m.pool, &d[i], i + 1), 0);
	hv_sched_params_default(&p);
	p.period = HV_MSEC(20);
	p.budget = HV_MSEC(4);
	assert_int_equal(hv_sched_dom_set_params(&d[0], &p), 0);
	p.period = HV_MSEC(5);
	p.budget = HV_MSEC(1);
	assert_int_equal(hv_sched_dom_set_params(&d[1], &p), 0);
	assert_int_equal(hv_sched_unit_init(&d[0], &slow, 0), 0);
	assert_int_equal(hv_sched_unit_init(&d[1], &fast, 0), 0);

	/* slow alone: runs until its budget is gone (4 ms). */
	assert_int_equal(hv_sched_wake(&slow, 0), 0);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, 0, &dec), 0);
	assert_ptr_equal(dec.unit, &slow);
	assert_int_equal(dec.until, HV_MSEC(4));
	/* fast wakes at 1 ms with deadline 5 ms < 20 ms: it preempts. */
	assert_int_equal(hv_sched_wake(&fast, HV_MSEC(1)), 0);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, HV_MSEC(1), &dec), 0);
	assert_ptr_equal(dec.unit, &fast);
	assert_int_equal(dec.until, HV_MSEC(2));
	/* fast blocks at 1.5 ms, keeping 0.5 ms of budget. */
	assert_int_equal(hv_sched_block(&fast, HV_USEC(1500)), 0);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, HV_USEC(1500), &dec), 0);
	assert_ptr_equal(dec.unit, &slow);
	/* Woken again in the same period, it uses what is left (deferrable
	 * server) and preempts slow again. */
	assert_int_equal(hv_sched_wake(&fast, HV_MSEC(3)), 0);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, HV_MSEC(3), &dec), 0);
	assert_ptr_equal(dec.unit, &fast);
	assert_int_equal(dec.until, HV_USEC(3500));
	/* Depleted: back to slow, which has 2.5 ms left (ran 1.5 ms). */
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, HV_USEC(3500), &dec), 0);
	assert_ptr_equal(dec.unit, &slow);
	/* The replenishment at 5 ms brings fast back. */
	assert_int_equal(dec.until, HV_MSEC(5));
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, HV_MSEC(5), &dec), 0);
	assert_ptr_equal(dec.unit, &fast);
}

static void test_params(void **state)
{
	struct machine m;
	struct hv_sched_dom d;
	struct hv_sched_unit u[2];
	struct hv_sched_params p, q;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_rtds, 1), 0);
	assert_int_equal(hv_sched_dom_init(&m.pool, &d, 1), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(hv_sched_unit_init(&d, &u[i], i), 0);
	hv_sched_params_default(&p);
	p.period = HV_MSEC(20);
	p.budget = HV_MSEC(5);
	assert_int_equal(hv_sched_dom_set_params(&d, &p), 0);
	assert_int_equal(hv_sched_unit_get_params(&u[1], &q), 0);
	assert_int_equal(q.period, HV_MSEC(20));
	assert_int_equal(q.budget, HV_MSEC(5));

	/* budget > period, too small, too long: refused, nothing changes. */
	q = p;
	q.budget = HV_MSEC(21);
	assert_int_equal(hv_sched_dom_set_params(&d, &q), -HV_EINVAL);
	assert_true(machine_logged(&m, "10 us <= budget <= period"));
	q = p;
	q.budget = HV_USEC(9);
	assert_int_equal(hv_sched_unit_set_params(&u[0], &q), -HV_EINVAL);
	q = p;
	q.period = HV_SEC(3601);
	assert_int_equal(hv_sched_dom_set_params(&d, &q), -HV_EINVAL);
	hv_sched_dom_get_params(&d, &q);
	assert_int_equal(q.budget, HV_MSEC(5));
	assert_int_equal(hv_sched_unit_get_params(&u[0], &q), 0);
	assert_int_equal(q.budget, HV_MSEC(5));

	/* One unit on its own. */
	q = p;
	q.budget = HV_MSEC(1);
	assert_int_equal(hv_sched_unit_set_params(&u[0], &q), 0);
	assert_int_equal(hv_sched_unit_get_params(&u[0], &q), 0);
	assert_int_equal(q.budget, HV_MSEC(1));
	assert_int_equal(hv_sched_unit_get_params(&u[1], &q), 0);
	assert_int_equal(q.budget, HV_MSEC(5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_feasible_set_meets_deadlines),
	    cmocka_unit_test(test_overload_reports_misses),
	    cmocka_unit_test(test_budget_enforced),
	    cmocka_unit_test(test_edf_order_and_deferrable_budget),
	    cmocka_unit_test(test_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
