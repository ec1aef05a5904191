/*
 * The credit policy: weights, caps, boost, stealing, yield, parameters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util.h"

/* Three domains of weights 1:2:4, `units` CPU hogs each, on `cpus`. */
static void check_weights(unsigned int cpus, unsigned int units)
{
	struct hv_sim_config cfg = {&hv_sched_credit, cpus, 1, 0, NULL, 1};

	sim_check_weights(&cfg, units);
}

static void test_weights_one_cpu(void **state)
{
	(void)state;
	check_weights(1, 1);
}

static void test_weights_four_cpus(void **state)
{
	(void)state;
	check_weights(4, 4);
}

static void test_cap_alone(void **state)
{
	(void)state;
	sim_check_cap(&hv_sched_credit, 0);
}

static void test_cap_contended(void **state)
{
	(void)state;
	/* Fair share would be 50%: the cap still holds. */
	sim_check_cap(&hv_sched_credit, 1);
}

static void test_boost_preempts(void **state)
{
	struct machine m;
	struct hv_sched_dom d[2];
	struct hv_sched_unit hog, io;
	struct hv_sched_decision dec;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_credit, 1), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(hv_sched_dom_init(&m.pool, &d[i], i + 1), 0);
	assert_int_equal(hv_sched_unit_init(&d[0], &hog, 0), 0);
	assert_int_equal(hv_sched_unit_init(&d[1], &io, 0), 0);
	assert_int_equal(hv_sched_wake(&hog, 0), 0);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, 0, &dec), 0);
	assert_ptr_equal(dec.unit, &hog);
	assert_int_equal(dec.until, HV_MSEC(10)); /* the first tick */
	/* The tick ends the hog's own wake boost; it runs on. */
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, HV_MSEC(10), &dec), 0);
	assert_ptr_equal(dec.unit, &hog);
	assert_int_equal(dec.until, HV_MSEC(20));

	/* A unit waking with credit is boosted and preempts the hog. */
	m.kicks[0] = 0;
	assert_int_equal(hv_sched_wake(&io, HV_MSEC(15)), 0);
	assert_int_equal(m.kicks[0], 1);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, HV_MSEC(15), &dec), 0);
	assert_ptr_equal(dec.unit, &io);
}

/* Drive pCPU 0 at `t`, expecting `u`. */
static void decide(struct machine *m, hv_time_t t, struct hv_sched_unit *u)
{
	struct hv_sched_decision dec;

	assert_int_equal(hv_sched_do_schedule(&m->s, 0, t, &dec), 0);
	assert_ptr_equal(dec.unit, u);
}

static void test_ratelimit_defers_preemption(void **state)
{
	struct machine m;
	struct hv_sched_dom d[3];
	struct hv_sched_unit a, b, io;
	struct hv_sched_decision dec;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_credit, 1), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(hv_sched_dom_init(&m.pool, &d[i], i + 1), 0);
	assert_int_equal(hv_sched_unit_init(&d[0], &a, 0), 0);
	assert_int_equal(hv_sched_unit_init(&d[1], &b, 0), 0);
	assert_int_equal(hv_sched_unit_init(&d[2], &io, 0), 0);
	assert_int_equal(hv_sched_wake(&a, 0), 0);
	assert_int_equal(hv_sched_wake(&b, 0), 0);
	/* Slices of 30 ms; each unit's boost ends at its first tick. */
	decide(&m, 0, &a);
	decide(&m, HV_MSEC(10), &a);
	decide(&m, HV_MSEC(30), &b);
	decide(&m, HV_MSEC(40), &b);
	decide(&m, HV_MSEC(60), &a);
	/* 200 us into a's run, io (boosted) must wait until 1 ms. */
	assert_int_equal(hv_sched_wake(&io, HV_MSEC(60) + HV_USEC(200)), 0);
	assert_int_equal(
	    hv_sched_do_schedule(&m.s, 0, HV_MSEC(60) + HV_USEC(200), &dec), 0);
	assert_ptr_equal(dec.unit, &a);
	assert_int_equal(dec.until, HV_MSEC(61));
	decide(&m, HV_MSEC(61), &io);
}

static void test_idle_pcpu_steals(void **state)
{
	struct machine m;
	struct hv_sched_dom d;
	struct hv_sched_unit u[3];
	struct hv_sched_decision dec;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_credit, 2), 0);
	assert_int_equal(hv_sched_dom_init(&m.pool, &d, 1), 0);
	/* u[0] and u[2] are placed on pCPU 0. */
	for (int i = 0; i < 3; i++)
		assert_int_equal(hv_sched_unit_init(&d, &u[i], i), 0);
	assert_int_equal(hv_sched_wake(&u[0], 0), 0);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, 0, &dec), 0);
	assert_ptr_equal(dec.unit, &u[0]);
	assert_int_equal(hv_sched_do_schedule(&m.s, 1, 0, &dec), 0);
	assert_null(dec.unit);
	/* u[2] queues behind u[0]; the idle pCPU 1 is told, and steals. */
	m.kicks[1] = 0;
	assert_int_equal(hv_sched_wake(&u[2], HV_USEC(100)), 0);
	assert_int_equal(m.kicks[1], 1);
	assert_int_equal(hv_sched_do_schedule(&m.s, 1, HV_USEC(100), &dec), 0);
	assert_ptr_equal(dec.unit, &u[2]);
	assert_int_equal(hv_sched_unit_cpu(&u[2]), 1);
}

static void test_yield(void **state)
{
	struct machine m;
	struct hv_sched_dom d;
	struct hv_sched_unit a, b;
	struct hv_sched_decision dec;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_credit, 1), 0);
	assert_int_equal(hv_sched_dom_init(&m.pool, &d, 1), 0);
	assert_int_equal(hv_sched_unit_init(&d, &a, 0), 0);
	assert_int_equal(hv_sched_unit_init(&d, &b, 1), 0);
	assert_int_equal(hv_sched_wake(&a, 0), 0);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, 0, &dec), 0);
	assert_ptr_equal(dec.unit, &a);
	assert_int_equal(hv_sched_wake(&b, 0), 0);
	/* Within its ratelimit, but yielding: b gets the pCPU. */
	assert_int_equal(hv_sched_yield(&a, HV_USEC(10)), 0);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, HV_USEC(10), &dec), 0);
	assert_ptr_equal(dec.unit, &b);
	/* Alone, a yielding unit runs on. */
	assert_int_equal(hv_sched_sleep(&a, HV_USEC(20)), 0);
	assert_int_equal(hv_sched_yield(&b, HV_USEC(30)), 0);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, HV_USEC(30), &dec), 0);
	assert_ptr_equal(dec.unit, &b);
}

static void test_dom_params(void **state)
{
	struct machine m;
	struct hv_sched_dom d;
	struct hv_sched_unit u;
	struct hv_sched_params p, q;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_credit, 1), 0);
	assert_int_equal(hv_sched_dom_init(&m.pool, &d, 1), 0);
	assert_int_equal(hv_sched_unit_init(&d, &u, 0), 0);
	hv_sched_params_default(&p);
	p.weight = 512;
	p.cap = 50;
	assert_int_equal(hv_sched_dom_set_params(&d, &p), 0);

	/* Each bad value is refused, logged, and changes nothing. */
	q = p;
	q.weight = 0;
	assert_int_equal(hv_sched_dom_set_params(&d, &q), -HV_EINVAL);
	assert_true(machine_logged(&m, "weight 0 out of range"));
	q.weight = 65536;
	assert_int_equal(hv_sched_dom_set_params(&d, &q), -HV_EINVAL);
	q = p;
	q.cap = 101; /* one unit: at most 100% */
	assert_int_equal(hv_sched_dom_set_params(&d, &q), -HV_EINVAL);
	assert_true(machine_logged(&m, "cap 101%"));
	hv_sched_dom_get_params(&d, &q);
	assert_int_equal(q.weight, 512);
	assert_int_equal(q.cap, 50);
}

static void test_pool_params(void **state)
{
	struct machine m;
	struct hv_sched_pool_params p, q;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_credit, 1), 0);
	hv_sched_pool_get_params(&m.pool, &p);
	q = p;
	q.tslice = HV_USEC(999);
	assert_int_equal(hv_sched_pool_set_params(&m.pool, &q), -HV_EINVAL);
	assert_true(machine_logged(&m, "sched credit: tslice"));
	q.tslice = HV_MSEC(1001);
	assert_int_equal(hv_sched_pool_set_params(&m.pool, &q), -HV_EINVAL);
	q = p;
	q.tslice = HV_MSEC(1);
	q.ratelimit = HV_MSEC(2); /* above the slice */
	assert_int_equal(hv_sched_pool_set_params(&m.pool, &q), -HV_EINVAL);
	q = p;
	q.ratelimit = HV_USEC(50);
	assert_int_equal(hv_sched_pool_set_params(&m.pool, &q), -HV_EINVAL);
	assert_true(machine_logged(&m, "ratelimit"));
	hv_sched_pool_get_params(&m.pool, &q);
	assert_int_equal(q.tslice, p.tslice);
	assert_int_equal(q.ratelimit, p.ratelimit);
}

static void test_short_tslice(void **state)
{
	struct hv_sched_pool_params pp;
	struct hv_sim_config cfg = {&hv_sched_credit, 1, 1, 0, &pp, 3};
	struct hv_sim *sim;
	double a, b;

	(void)state;
	/* A 2 ms slice: one tick per slice; two equal hogs share evenly. */
	hv_sched_pool_params_default(&pp);
	pp.tslice = HV_MSEC(2);
	sim = hv_sim_create(&cfg);
	assert_non_null(sim);
	assert_int_equal(sim_dom_unit(sim, 1, 256, 0, sim_cpu_bound()), 0);
	assert_int_equal(sim_dom_unit(sim, 2, 256, 0, sim_cpu_bound()), 1);
	assert_int_equal(hv_sim_run(sim, HV_SEC(1)), 0);
	a = sim_share(sim, 0, HV_SEC(1));
	b = sim_share(sim, 1, HV_SEC(1));
	assert_true(a > 49.0 && b > 49.0);
	hv_sim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_weights_one_cpu),
	    cmocka_unit_test(test_weights_four_cpus),
	    cmocka_unit_test(test_cap_alone),
	    cmocka_unit_test(test_cap_contended),
	    cmocka_unit_test(test_boost_preempts),
	    cmocka_unit_test(test_ratelimit_defers_preemption),
	    cmocka_unit_test(test_idle_pcpu_steals),
	    cmocka_unit_test(test_yield),
	    cmocka_unit_test(test_dom_params),
	    cmocka_unit_test(test_pool_params),
	    cmocka_unit_test(test_short_tslice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
