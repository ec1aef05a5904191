/*
 * Affinity under every policy: hard affinity is never violated; soft
 * affinity is honoured when an allowed pCPU is idle.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util.h"

#define CPUS 4

static const struct hv_sched_policy *const policies[] = {
    &hv_sched_null, &hv_sched_credit,	&hv_sched_credit2,
    &hv_sched_rtds, &hv_sched_arinc653,
};

/* A cheap deterministic stream for the masks. */
static unsigned int next_rand(uint64_t *s)
{
	*s = *s * UINT64_C(6364136223846793005) + 1;
	return (unsigned int)(*s >> 33);
}

static void random_hard_mask(struct hv_sched_cpumask *m, uint64_t *s)
{
	hv_sched_cpumask_zero(m);
	while (hv_bitmap_empty(m->bits, CPUS))
		for (unsigned int c = 0; c < CPUS; c++)
			if (next_rand(s) % 2)
				hv_sched_cpumask_set(m, c);
}

/* Twelve domains of one unit (hogs, sleepers, periodic), each with a
 * random hard affinity, some changed half way. */
static void check_hard(const struct hv_sched_policy *policy)
{
	struct hv_sim *sim = sim_new(policy, CPUS, 5);
	struct hv_sched_a653_frame frames[12];
	uint64_t seed = 42;

	assert_non_null(sim);
	for (int i = 0; i < 12; i++) {
		struct hv_sim_workload w =
		    i % 3 == 0	 ? sim_cpu_bound()
		    : i % 3 == 1 ? sim_io_bound(HV_USEC(300), HV_MSEC(2))
				 : sim_periodic(HV_MSEC(10), HV_MSEC(1));
		struct hv_sched_cpumask hard;

		assert_int_equal(
		    sim_dom_unit(sim, (hv_domid_t)(i + 1), 256, 0, w), i);
		random_hard_mask(&hard, &seed);
		assert_int_equal(hv_sched_unit_set_affinity(hv_sim_unit(sim, i),
							    &hard, NULL, 0),
				 0);
		frames[i].domid = (hv_domid_t)(i + 1);
		frames[i].runtime = HV_MSEC(1);
	}
	if (policy == &hv_sched_arinc653)
		assert_int_equal(
		    hv_sched_arinc653_set_schedule(hv_sim_pool(sim), frames, 12,
						   HV_MSEC(15), 0),
		    0);
	assert_int_equal(hv_sim_run(sim, HV_SEC(1)), 0);
	for (int i = 0; i < 12; i += 2) {
		struct hv_sched_cpumask hard;

		random_hard_mask(&hard, &seed);
		assert_int_equal(hv_sched_unit_set_affinity(hv_sim_unit(sim, i),
							    &hard, NULL,
							    hv_sim_now(sim)),
				 0);
	}
	assert_int_equal(hv_sim_run(sim, HV_SEC(1)), 0);
	assert_true(sim_clean(sim));
	hv_sim_destroy(sim);
}

static void test_hard_affinity_never_violated(void **state)
{
	(void)state;
	for (size_t i = 0; i < HV_ARRAY_SIZE(policies); i++)
		check_hard(policies[i]);
}

/*
 * Two hogs pinned to pCPUs 0 and 1; a sleeper that may run anywhere but
 * prefers pCPU 3.  pCPUs 2 and 3 are free, so it always runs on 3.
 */
static void check_soft(const struct hv_sched_policy *policy)
{
	struct hv_sim *sim = sim_new(policy, CPUS, 9);
	struct hv_sched_cpumask m;
	struct hv_sim_unit_stats s;

	assert_non_null(sim);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(sim_dom_unit(sim, (hv_domid_t)(i + 1), 256, 0,
					      sim_cpu_bound()),
				 i);
		hv_sched_cpumask_zero(&m);
		hv_sched_cpumask_set(&m, (unsigned int)i);
		assert_int_equal(hv_sched_unit_set_affinity(hv_sim_unit(sim, i),
							    &m, NULL, 0),
				 0);
	}
	assert_int_equal(sim_dom_unit(sim, 3, 256, 0,
				      sim_io_bound(HV_USEC(500), HV_MSEC(1))),
			 2);
	hv_sched_cpumask_zero(&m);
	hv_sched_cpumask_set(&m, 3);
	assert_int_equal(
	    hv_sched_unit_set_affinity(hv_sim_unit(sim, 2), NULL, &m, 0), 0);
	assert_int_equal(hv_sim_run(sim, HV_SEC(2)), 0);
	hv_sim_unit_stats(sim, 2, &s);
	assert_true(s.cpu_time > HV_MSEC(500));
	assert_int_equal(s.soft_time, s.cpu_time);
	assert_true(sim_clean(sim));
	hv_sim_destroy(sim);
}

static void test_soft_affinity_honoured(void **state)
{
	(void)state;
	/* ARINC653 places units statically: soft affinity has no say. */
	for (size_t i = 0; i < HV_ARRAY_SIZE(policies); i++)
		if (policies[i] != &hv_sched_arinc653)
			check_soft(policies[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hard_affinity_never_violated),
	    cmocka_unit_test(test_soft_affinity_honoured),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
