/*
 * Bad parameters are rejected with a clear error and change nothing: a
 * simulation that was handed a bad parameter half way runs exactly like
 * one that was not (same report, byte for byte).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util.h"

static char with_bad[8192], without[8192];

typedef void (*spoil_fn)(struct hv_sim *sim);

/* Two domains of two mixed units on two pCPUs; `spoil` (if any) is
 * called after 200 ms; the report after 600 ms goes to out. */
static void run(const struct hv_sched_policy *policy, spoil_fn spoil, char *out)
{
	struct hv_sim *sim = sim_new(policy, 2, 4);
	struct hv_sched_a653_frame frames[2] = {{1, HV_MSEC(4)},
						{2, HV_MSEC(4)}};

	assert_non_null(sim);
	for (int d = 0; d < 2; d++) {
		struct hv_sim_workload io =
		    sim_io_bound(HV_MSEC(1), HV_MSEC(3));
		struct hv_sim_workload hog = sim_cpu_bound();
		int dom = hv_sim_add_domain(sim, (hv_domid_t)(d + 1), NULL);

		assert_int_equal(hv_sim_add_unit(sim, dom, &hog), 2 * d);
		assert_int_equal(hv_sim_add_unit(sim, dom, &io), 2 * d + 1);
	}
	if (policy == &hv_sched_arinc653)
		assert_int_equal(
		    hv_sched_arinc653_set_schedule(hv_sim_pool(sim), frames, 2,
						   HV_MSEC(10), 0),
		    0);
	assert_int_equal(hv_sim_run(sim, HV_MSEC(200)), 0);
	if (spoil)
		spoil(sim);
	assert_int_equal(hv_sim_run(sim, HV_MSEC(400)), 0);
	hv_sim_report(sim, out, sizeof(with_bad));
	hv_sim_destroy(sim);
}

static void check_unchanged(const struct hv_sched_policy *policy,
			    spoil_fn spoil)
{
	run(policy, spoil, with_bad);
	run(policy, NULL, without);
	assert_string_equal(with_bad, without);
}

static void zero_weight(struct hv_sim *sim)
{
	struct hv_sched_params p;

	hv_sched_dom_get_params(hv_sim_dom(sim, 0), &p);
	p.weight = 0;
	assert_int_equal(hv_sched_dom_set_params(hv_sim_dom(sim, 0), &p),
			 -HV_EINVAL);
}

static void budget_over_period(struct hv_sim *sim)
{
	struct hv_sched_params p;

	hv_sched_dom_get_params(hv_sim_dom(sim, 0), &p);
	p.budget = p.period + 1;
	assert_int_equal(hv_sched_dom_set_params(hv_sim_dom(sim, 0), &p),
			 -HV_EINVAL);
	assert_int_equal(hv_sched_unit_set_params(hv_sim_unit(sim, 1), &p),
			 -HV_EINVAL);
}

static void frame_too_long(struct hv_sim *sim)
{
	struct hv_sched_a653_frame f[2] = {{1, HV_MSEC(4)}, {2, HV_MSEC(7)}};

	assert_int_equal(hv_sched_arinc653_set_schedule(hv_sim_pool(sim), f, 2,
							HV_MSEC(10),
							hv_sim_now(sim)),
			 -HV_EINVAL);
	f[1].runtime = HV_MSEC(11);
	assert_int_equal(hv_sched_arinc653_set_schedule(hv_sim_pool(sim), f + 1,
							1, HV_MSEC(10),
							hv_sim_now(sim)),
			 -HV_EINVAL);
}

static void empty_affinity(struct hv_sim *sim)
{
	struct hv_sched_cpumask none;

	hv_sched_cpumask_zero(&none);
	for (int u = 0; u < 4; u++) {
		assert_int_equal(hv_sched_unit_set_affinity(hv_sim_unit(sim, u),
							    &none, NULL,
							    hv_sim_now(sim)),
				 -HV_EINVAL);
		assert_int_equal(hv_sched_unit_set_affinity(hv_sim_unit(sim, u),
							    NULL, &none,
							    hv_sim_now(sim)),
				 -HV_EINVAL);
	}
}

static void test_zero_weight(void **state)
{
	(void)state;
	check_unchanged(&hv_sched_credit, zero_weight);
	check_unchanged(&hv_sched_credit2, zero_weight);
}

static void test_budget_over_period(void **state)
{
	(void)state;
	check_unchanged(&hv_sched_rtds, budget_over_period);
}

static void test_frame_longer_than_major(void **state)
{
	(void)state;
	check_unchanged(&hv_sched_arinc653, frame_too_long);
}

static void test_empty_affinity(void **state)
{
	(void)state;
	check_unchanged(&hv_sched_null, empty_affinity);
	check_unchanged(&hv_sched_credit, empty_affinity);
	check_unchanged(&hv_sched_credit2, empty_affinity);
	check_unchanged(&hv_sched_rtds, empty_affinity);
	check_unchanged(&hv_sched_arinc653, empty_affinity);
}

static void test_errors_are_logged(void **state)
{
	struct machine m;
	struct hv_sched_dom d;
	struct hv_sched_params p;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_credit2, 1), 0);
	assert_int_equal(hv_sched_dom_init(&m.pool, &d, 9), 0);
	hv_sched_params_default(&p);
	p.weight = 0;
	assert_int_equal(hv_sched_dom_set_params(&d, &p), -HV_EINVAL);
	/* The message names the policy, the domain and the rule. */
	assert_true(machine_logged(
	    &m, "sched credit2: dom 9: weight 0 out of range 1..65535"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_zero_weight),
	    cmocka_unit_test(test_budget_over_period),
	    cmocka_unit_test(test_frame_longer_than_major),
	    cmocka_unit_test(test_empty_affinity),
	    cmocka_unit_test(test_errors_are_logged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
