/*
 * libhv-sched framework: the machine, pools, domains, units, state changes
 * and the decision entry point, with every error path.  The null policy
 * (the simplest) stands in where a policy is needed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util.h"

static void noop_kick(void *opaque, unsigned int cpu)
{
	(void)opaque;
	(void)cpu;
}

static void test_init_errors(void **state)
{
	struct hv_sched s;
	struct hv_sched_pcpu pcpus[2];
	struct hv_sched_ops ops = {noop_kick, NULL, NULL};
	struct hv_sched_ops no_kick = {NULL, NULL, NULL};

	(void)state;
	assert_int_equal(hv_sched_init(NULL, pcpus, 2, &ops), -HV_EINVAL);
	assert_int_equal(hv_sched_init(&s, NULL, 2, &ops), -HV_EINVAL);
	assert_int_equal(hv_sched_init(&s, pcpus, 2, NULL), -HV_EINVAL);
	assert_int_equal(hv_sched_init(&s, pcpus, 2, &no_kick), -HV_EINVAL);
	assert_int_equal(hv_sched_init(&s, pcpus, 0, &ops), -HV_EINVAL);
	assert_int_equal(hv_sched_init(&s, pcpus, HV_SCHED_MAX_CPUS + 1, &ops),
			 -HV_EINVAL);
	assert_int_equal(hv_sched_init(&s, pcpus, 2, &ops), 0);
	assert_int_equal(s.nr_cpus, 2);
	assert_int_equal(pcpus[1].id, 1);
}

static void test_topology(void **state)
{
	struct machine m;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_null, 1), 0);
	assert_int_equal(hv_sched_cpu_set_topology(&m.s, 3, 1, 7), 0);
	assert_int_equal(m.pcpus[3].socket, 1);
	assert_int_equal(m.pcpus[3].core, 7);
	assert_int_equal(hv_sched_cpu_set_topology(&m.s, MACHINE_CPUS, 0, 0),
			 -HV_EINVAL);
	assert_int_equal(hv_sched_cpu_set_topology(NULL, 0, 0, 0), -HV_EINVAL);
	/* cpu 0 is in a pool: its place is fixed. */
	assert_int_equal(hv_sched_cpu_set_topology(&m.s, 0, 1, 1), -HV_EBUSY);
	assert_int_equal(m.pcpus[0].socket, 0);
}

static const struct hv_sched_policy too_big = {
    .name = "too-big",
    .unit_priv_size = sizeof(((struct hv_sched_unit *)0)->priv) + 1,
};

static void test_pool_lifecycle(void **state)
{
	struct machine m;
	struct hv_sched_pool other;
	struct hv_sched_dom d;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_null, 2), 0);
	assert_string_equal(hv_sched_pool_policy_name(&m.pool), "null");
	assert_string_equal(hv_sched_pool_policy_name(NULL), "none");
	assert_int_equal(hv_sched_pool_init(&m.s, &other, &too_big),
			 -HV_EINVAL);
	assert_int_equal(hv_sched_pool_init(NULL, &other, &hv_sched_null),
			 -HV_EINVAL);
	assert_int_equal(hv_sched_pool_init(&m.s, &other, NULL), -HV_EINVAL);
	assert_int_equal(hv_sched_pool_init(&m.s, &other, &hv_sched_credit2),
			 0);

	/* A pCPU is in one pool at a time. */
	assert_int_equal(hv_sched_pool_add_cpu(&other, 0), -HV_EBUSY);
	assert_int_equal(hv_sched_pool_add_cpu(&other, MACHINE_CPUS),
			 -HV_EINVAL);
	assert_int_equal(hv_sched_pool_add_cpu(NULL, 2), -HV_EINVAL);
	assert_int_equal(hv_sched_pool_remove_cpu(&other, 0), -HV_EINVAL);
	assert_int_equal(hv_sched_pool_remove_cpu(&other, MACHINE_CPUS),
			 -HV_EINVAL);
	assert_int_equal(hv_sched_pool_remove_cpu(NULL, 0), -HV_EINVAL);
	assert_int_equal(hv_sched_pool_remove_cpu(&m.pool, 1), 0);
	assert_int_equal(hv_sched_pool_add_cpu(&other, 1), 0);
	assert_int_equal(other.nr_cpus, 1);

	/* Membership is fixed while domains live there. */
	assert_int_equal(hv_sched_dom_init(&other, &d, 5), 0);
	assert_int_equal(hv_sched_pool_add_cpu(&other, 2), -HV_EBUSY);
	assert_int_equal(hv_sched_pool_remove_cpu(&other, 1), -HV_EBUSY);
	assert_int_equal(hv_sched_pool_destroy(&other), -HV_EBUSY);
	assert_int_equal(hv_sched_dom_destroy(&d), 0);
	assert_int_equal(hv_sched_pool_destroy(&other), -HV_EBUSY);
	assert_int_equal(hv_sched_pool_remove_cpu(&other, 1), 0);
	assert_int_equal(hv_sched_pool_destroy(&other), 0);
	assert_int_equal(hv_sched_pool_destroy(NULL), -HV_EINVAL);
	/* A destroyed pool takes nothing more. */
	assert_int_equal(hv_sched_pool_add_cpu(&other, 1), -HV_EINVAL);
}

static void test_pool_params(void **state)
{
	struct machine m;
	struct hv_sched_pool_params p, q;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_credit, 1), 0);
	hv_sched_pool_params_default(&p);
	assert_int_equal(p.tslice, HV_MSEC(30));
	assert_int_equal(p.ratelimit, HV_USEC(1000));
	assert_int_equal(p.runq_layout, HV_SCHED_RUNQ_SOCKET);
	p.tslice = HV_MSEC(5);
	p.ratelimit = 0;
	assert_int_equal(hv_sched_pool_set_params(&m.pool, &p), 0);
	hv_sched_pool_get_params(&m.pool, &q);
	assert_int_equal(q.tslice, HV_MSEC(5));
	assert_int_equal(q.ratelimit, 0);
	assert_int_equal(hv_sched_pool_set_params(NULL, &p), -HV_EINVAL);
	assert_int_equal(hv_sched_pool_set_params(&m.pool, NULL), -HV_EINVAL);
	/* A pool without a policy reports the defaults. */
	hv_sched_pool_get_params(NULL, &q);
	assert_int_equal(q.tslice, HV_MSEC(30));
}

static void test_pool_params_ignored(void **state)
{
	struct machine m;
	struct hv_sched_pool_params p;

	(void)state;
	/* null has no pool parameters: anything goes and nothing sticks. */
	assert_int_equal(machine_init(&m, &hv_sched_null, 1), 0);
	hv_sched_pool_params_default(&p);
	p.tslice = -1;
	assert_int_equal(hv_sched_pool_set_params(&m.pool, &p), 0);
	hv_sched_pool_get_params(&m.pool, &p);
	assert_int_equal(p.tslice, HV_MSEC(30));
}

static void test_dom_lifecycle(void **state)
{
	struct machine m;
	struct hv_sched_dom d, d2;
	struct hv_sched_unit u;
	struct hv_sched_params p;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_credit2, 2), 0);
	assert_int_equal(hv_sched_dom_init(&m.pool, &d, 1), 0);
	assert_int_equal(hv_sched_dom_init(&m.pool, &d2, 1), -HV_EEXIST);
	assert_int_equal(hv_sched_dom_init(NULL, &d2, 2), -HV_EINVAL);
	assert_int_equal(hv_sched_dom_init(&m.pool, NULL, 2), -HV_EINVAL);
	assert_int_equal(hv_sched_unit_init(&d, &u, 0), 0);
	assert_int_equal(d.nr_units, 1);
	assert_int_equal(hv_sched_dom_destroy(&d), -HV_EBUSY);
	assert_int_equal(hv_sched_unit_destroy(&u), 0);
	assert_int_equal(hv_sched_dom_destroy(&d), 0);
	assert_int_equal(hv_sched_dom_destroy(&d), -HV_EINVAL);
	assert_int_equal(hv_sched_dom_destroy(NULL), -HV_EINVAL);
	/* The domid is free again. */
	assert_int_equal(hv_sched_dom_init(&m.pool, &d2, 1), 0);

	hv_sched_params_default(&p);
	assert_int_equal(p.weight, 256);
	assert_int_equal(p.cap, 0);
	assert_int_equal(p.period, HV_MSEC(10));
	assert_int_equal(p.budget, HV_MSEC(4));
	assert_int_equal(hv_sched_dom_set_params(NULL, &p), -HV_EINVAL);
	assert_int_equal(hv_sched_dom_set_params(&d2, NULL), -HV_EINVAL);
	p.weight = 0;
	hv_sched_dom_get_params(NULL, &p);
	assert_int_equal(p.weight, 256);
}

static void test_unit_lifecycle(void **state)
{
	struct machine m;
	struct hv_sched_pool empty;
	struct hv_sched_dom d, e;
	struct hv_sched_unit u[3], v;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_null, 2), 0);
	assert_int_equal(hv_sched_dom_init(&m.pool, &d, 1), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(hv_sched_unit_init(&d, &u[i], i), 0);
	/* Placed round robin, asleep. */
	assert_int_equal(hv_sched_unit_cpu(&u[0]), 0);
	assert_int_equal(hv_sched_unit_cpu(&u[1]), 1);
	assert_int_equal(hv_sched_unit_state(&u[2]), HV_SCHED_UNIT_ASLEEP);
	assert_int_equal(hv_sched_unit_init(NULL, &v, 0), -HV_EINVAL);
	assert_int_equal(hv_sched_unit_init(&d, NULL, 0), -HV_EINVAL);

	/* A pool without pCPUs cannot place a unit. */
	assert_int_equal(hv_sched_pool_init(&m.s, &empty, &hv_sched_null), 0);
	assert_int_equal(hv_sched_dom_init(&empty, &e, 2), 0);
	assert_int_equal(hv_sched_unit_init(&e, &v, 0), -HV_EINVAL);
	assert_int_equal(e.nr_units, 0);

	/* Only an asleep, not running unit can go. */
	assert_int_equal(hv_sched_wake(&u[0], 0), 0);
	assert_int_equal(hv_sched_unit_destroy(&u[0]), -HV_EBUSY);
	assert_int_equal(hv_sched_sleep(&u[0], 1), 0);
	assert_int_equal(hv_sched_unit_destroy(&u[0]), 0);
	assert_int_equal(hv_sched_unit_destroy(&u[0]), -HV_EINVAL);
	assert_int_equal(hv_sched_unit_destroy(NULL), -HV_EINVAL);
	assert_int_equal(d.nr_units, 2);
}

static void test_state_changes(void **state)
{
	struct machine m;
	struct hv_sched_dom d;
	struct hv_sched_unit u;
	struct hv_sched_decision dec;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_null, 1), 0);
	assert_int_equal(hv_sched_dom_init(&m.pool, &d, 1), 0);
	assert_int_equal(hv_sched_unit_init(&d, &u, 0), 0);

	/* Block and yield need a running unit. */
	assert_int_equal(hv_sched_block(&u, 0), -HV_EINVAL);
	assert_int_equal(hv_sched_yield(&u, 0), -HV_EINVAL);
	/* Sleeping an asleep unit is a no-op. */
	assert_int_equal(hv_sched_sleep(&u, 0), 0);

	assert_int_equal(hv_sched_wake(&u, 0), 0);
	assert_true(m.kicks[0] > 0);
	assert_int_equal(hv_sched_unit_state(&u), HV_SCHED_UNIT_RUNNABLE);
	assert_int_equal(hv_sched_wake(&u, 0), 0); /* no-op */
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, 10, &dec), 0);
	assert_ptr_equal(dec.unit, &u);
	assert_int_equal(dec.until, HV_TIME_NEVER);
	assert_int_equal(hv_sched_unit_state(&u), HV_SCHED_UNIT_RUNNING);
	assert_int_equal(hv_sched_yield(&u, 20), 0);

	/* Block: not runnable, still running until the next decision. */
	assert_int_equal(hv_sched_block(&u, 30), 0);
	assert_int_equal(hv_sched_unit_state(&u), HV_SCHED_UNIT_RUNNING);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, 30, &dec), 0);
	assert_null(dec.unit);
	assert_int_equal(hv_sched_unit_state(&u), HV_SCHED_UNIT_ASLEEP);

	/* Woken before its pCPU switched away: it just goes on. */
	assert_int_equal(hv_sched_wake(&u, 40), 0);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, 40, &dec), 0);
	assert_int_equal(hv_sched_block(&u, 50), 0);
	assert_int_equal(hv_sched_wake(&u, 51), 0);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, 52, &dec), 0);
	assert_ptr_equal(dec.unit, &u);

	/* Sleep of a running unit kicks its pCPU. */
	m.kicks[0] = 0;
	assert_int_equal(hv_sched_sleep(&u, 60), 0);
	assert_int_equal(m.kicks[0], 1);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, 60, &dec), 0);
	assert_null(dec.unit);

	assert_int_equal(hv_sched_wake(NULL, 0), -HV_EINVAL);
	assert_int_equal(hv_sched_sleep(NULL, 0), -HV_EINVAL);
	assert_int_equal(hv_sched_block(NULL, 0), -HV_EINVAL);
	assert_int_equal(hv_sched_yield(NULL, 0), -HV_EINVAL);
}

static void test_do_schedule_errors(void **state)
{
	struct machine m;
	struct hv_sched_decision dec;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_null, 1), 0);
	assert_int_equal(hv_sched_do_schedule(NULL, 0, 0, &dec), -HV_EINVAL);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, 0, NULL), -HV_EINVAL);
	assert_int_equal(hv_sched_do_schedule(&m.s, MACHINE_CPUS, 0, &dec),
			 -HV_EINVAL);
	/* A pCPU in no pool idles for ever. */
	dec.unit = (struct hv_sched_unit *)&dec;
	assert_int_equal(hv_sched_do_schedule(&m.s, 5, 0, &dec), 0);
	assert_null(dec.unit);
	assert_int_equal(dec.until, HV_TIME_NEVER);
}

static void test_affinity(void **state)
{
	struct machine m;
	struct hv_sched_dom d;
	struct hv_sched_unit u;
	struct hv_sched_cpumask hard, soft, h2, s2;
	struct hv_sched_decision dec;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_null, 2), 0);
	assert_int_equal(hv_sched_dom_init(&m.pool, &d, 1), 0);
	assert_int_equal(hv_sched_unit_init(&d, &u, 0), 0);

	/* Empty, or outside the pool: rejected, nothing changes. */
	hv_sched_cpumask_zero(&hard);
	assert_int_equal(hv_sched_unit_set_affinity(&u, &hard, NULL, 0),
			 -HV_EINVAL);
	assert_true(machine_logged(&m, "hard affinity has no pCPU"));
	hv_sched_cpumask_set(&hard, 5);
	assert_int_equal(hv_sched_unit_set_affinity(&u, &hard, NULL, 0),
			 -HV_EINVAL);
	hv_sched_cpumask_zero(&soft);
	assert_int_equal(hv_sched_unit_set_affinity(&u, NULL, &soft, 0),
			 -HV_EINVAL);
	assert_true(machine_logged(&m, "empty soft affinity"));
	hv_sched_unit_get_affinity(&u, &h2, &s2);
	assert_true(hv_sched_cpumask_test(&h2, 0));
	assert_true(hv_sched_cpumask_test(&h2, 7));
	assert_true(hv_sched_cpumask_test(&s2, 3));
	assert_int_equal(hv_sched_unit_set_affinity(NULL, &hard, NULL, 0),
			 -HV_EINVAL);
	assert_false(hv_sched_cpumask_test(&h2, HV_SCHED_MAX_CPUS));

	/* Run on 0, then be pinned to 1: moved at the next decision. */
	assert_int_equal(hv_sched_wake(&u, 0), 0);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, 0, &dec), 0);
	assert_ptr_equal(dec.unit, &u);
	hv_sched_cpumask_zero(&hard);
	hv_sched_cpumask_set(&hard, 1);
	m.kicks[0] = 0;
	assert_int_equal(hv_sched_unit_set_affinity(&u, &hard, NULL, 5), 0);
	assert_int_equal(m.kicks[0], 1);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, 6, &dec), 0);
	assert_null(dec.unit);
	assert_int_equal(hv_sched_unit_cpu(&u), 1);
	assert_int_equal(hv_sched_do_schedule(&m.s, 1, 7, &dec), 0);
	assert_ptr_equal(dec.unit, &u);
	hv_sched_unit_get_affinity(&u, &h2, NULL);
	assert_false(hv_sched_cpumask_test(&h2, 0));
}

static void test_affinity_of_queued_unit(void **state)
{
	struct machine m;
	struct hv_sched_dom d;
	struct hv_sched_unit u[3];
	struct hv_sched_cpumask hard;
	struct hv_sched_decision dec;

	(void)state;
	/* credit2 with a runqueue per pCPU: a queued unit changes queue. */
	assert_int_equal(machine_init(&m, &hv_sched_credit2, 1), 0);
	assert_int_equal(hv_sched_pool_add_cpu(&m.pool, 1), 0);
	{
		struct hv_sched_pool_params p;

		hv_sched_pool_get_params(&m.pool, &p);
		p.runq_layout = HV_SCHED_RUNQ_CPU;
		assert_int_equal(hv_sched_pool_set_params(&m.pool, &p), 0);
	}
	assert_int_equal(hv_sched_dom_init(&m.pool, &d, 1), 0);
	hv_sched_cpumask_zero(&hard);
	hv_sched_cpumask_set(&hard, 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(hv_sched_unit_init(&d, &u[i], i), 0);
		assert_int_equal(
		    hv_sched_unit_set_affinity(&u[i], &hard, NULL, 0), 0);
		assert_int_equal(hv_sched_wake(&u[i], 0), 0);
	}
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, 0, &dec), 0);
	assert_non_null(dec.unit);
	/* u[2] waits on pCPU 0's runqueue; let it go to pCPU 1 only. */
	hv_sched_cpumask_zero(&hard);
	hv_sched_cpumask_set(&hard, 1);
	assert_int_equal(hv_sched_unit_state(&u[2]), HV_SCHED_UNIT_RUNNABLE);
	assert_int_equal(hv_sched_unit_set_affinity(&u[2], &hard, NULL, 10), 0);
	assert_int_equal(hv_sched_unit_cpu(&u[2]), 1);
	assert_ptr_equal(u[2].rq, &m.pcpus[1].own_rq);
	assert_int_equal(hv_sched_do_schedule(&m.s, 1, 11, &dec), 0);
	assert_ptr_equal(dec.unit, &u[2]);
}

static void test_unit_params(void **state)
{
	struct machine m;
	struct hv_sched_dom d;
	struct hv_sched_unit u;
	struct hv_sched_params p;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_credit, 1), 0);
	assert_int_equal(hv_sched_dom_init(&m.pool, &d, 1), 0);
	assert_int_equal(hv_sched_unit_init(&d, &u, 0), 0);
	hv_sched_params_default(&p);
	assert_int_equal(hv_sched_unit_set_params(&u, &p), -HV_EOPNOTSUPP);
	assert_int_equal(hv_sched_unit_get_params(&u, &p), -HV_EOPNOTSUPP);
	assert_int_equal(hv_sched_unit_set_params(NULL, &p), -HV_EINVAL);
	assert_int_equal(hv_sched_unit_set_params(&u, NULL), -HV_EINVAL);
	assert_int_equal(hv_sched_unit_get_params(NULL, &p), -HV_EINVAL);
	assert_int_equal(hv_sched_unit_get_params(&u, NULL), -HV_EINVAL);
}

static void test_dom_move(void **state)
{
	struct machine m;
	struct hv_sched_pool rt;
	struct hv_sched_dom d, clash;
	struct hv_sched_unit u;
	struct hv_sched_cpumask hard;
	struct hv_sched_params p;
	struct hv_sched_decision dec;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_credit, 2), 0);
	assert_int_equal(hv_sched_pool_init(&m.s, &rt, &hv_sched_rtds), 0);
	assert_int_equal(hv_sched_dom_init(&m.pool, &d, 7), 0);
	assert_int_equal(hv_sched_unit_init(&d, &u, 0), 0);
	hv_sched_params_default(&p);
	p.weight = 1000;
	assert_int_equal(hv_sched_dom_set_params(&d, &p), 0);

	/* No pCPUs there yet. */
	assert_int_equal(hv_sched_dom_move(&d, &rt), -HV_EBUSY);
	assert_int_equal(hv_sched_pool_add_cpu(&rt, 4), 0);
	/* An awake unit blocks the move. */
	assert_int_equal(hv_sched_wake(&u, 0), 0);
	assert_int_equal(hv_sched_dom_move(&d, &rt), -HV_EBUSY);
	assert_int_equal(hv_sched_sleep(&u, 1), 0);
	/* So does a taken domid. */
	assert_int_equal(hv_sched_dom_init(&rt, &clash, 7), 0);
	assert_int_equal(hv_sched_dom_move(&d, &rt), -HV_EBUSY);
	assert_int_equal(hv_sched_dom_destroy(&clash), 0);
	assert_int_equal(hv_sched_dom_move(NULL, &rt), -HV_EINVAL);
	assert_int_equal(hv_sched_dom_move(&d, NULL), -HV_EINVAL);
	assert_int_equal(hv_sched_dom_move(&d, &m.pool), 0); /* same pool */

	/* Hard affinity only on pCPU 0, which the new pool lacks: reset. */
	hv_sched_cpumask_zero(&hard);
	hv_sched_cpumask_set(&hard, 0);
	assert_int_equal(hv_sched_unit_set_affinity(&u, &hard, NULL, 2), 0);
	assert_int_equal(hv_sched_dom_move(&d, &rt), 0);
	assert_true(machine_logged(&m, "affinity reset to all"));
	assert_ptr_equal(d.pool, &rt);
	assert_int_equal(hv_sched_unit_cpu(&u), 4);
	/* New policy, new defaults. */
	hv_sched_dom_get_params(&d, &p);
	assert_int_equal(p.budget, HV_MSEC(4));
	assert_int_equal(hv_sched_wake(&u, HV_MSEC(1)), 0);
	assert_int_equal(hv_sched_do_schedule(&m.s, 4, HV_MSEC(1), &dec), 0);
	assert_ptr_equal(dec.unit, &u);
}

static void test_helpers(void **state)
{
	struct machine m;
	struct hv_sched_dom d;
	struct hv_sched_unit u;
	struct hv_sched_cpumask soft;

	(void)state;
	assert_int_equal(hv_sched_muldiv(10, 20, 3), 66);
	assert_int_equal(hv_sched_muldiv(UINT64_MAX, 4, 8), UINT64_MAX / 2);
	assert_int_equal(hv_sched_muldiv(UINT64_MAX, UINT64_MAX, 1),
			 UINT64_MAX);
	assert_int_equal(hv_sched_muldiv(1, 1, 0), UINT64_MAX);

	assert_int_equal(machine_init(&m, &hv_sched_null, 4), 0);
	assert_int_equal(hv_sched_pool_first_cpu(&m.pool), 0);
	assert_int_equal(hv_sched_pool_next_cpu(&m.pool, 3), HV_SCHED_MAX_CPUS);
	assert_int_equal(hv_sched_dom_init(&m.pool, &d, 1), 0);
	assert_int_equal(hv_sched_unit_init(&d, &u, 0), 0);
	assert_false(hv_sched_unit_has_soft(&m.pool, &u));
	hv_sched_cpumask_zero(&soft);
	hv_sched_cpumask_set(&soft, 2);
	assert_int_equal(hv_sched_unit_set_affinity(&u, NULL, &soft, 0), 0);
	assert_true(hv_sched_unit_has_soft(&m.pool, &u));
	assert_true(hv_sched_unit_prefers(&m.pool, &u, 2));
	assert_false(hv_sched_unit_prefers(&m.pool, &u, 1));
	assert_false(hv_sched_unit_allowed(&m.pool, &u, 5)); /* not in pool */
	assert_int_equal(hv_sched_find_cpu(&m.pool, &u, 3, true, NULL, NULL),
			 2);
	assert_int_equal(hv_sched_find_cpu(&m.pool, &u, 3, false, NULL, NULL),
			 3);
	assert_int_equal(hv_sched_find_cpu(&m.pool, &u, 300, false, NULL, NULL),
			 0);
	assert_int_equal(hv_sched_check_ratelimit(&m.pool, HV_USEC(99)),
			 -HV_EINVAL);
	assert_int_equal(hv_sched_check_ratelimit(&m.pool, 0), 0);
	hv_sched_kick(&m.pool, 3);
	assert_int_equal(m.kicks[3], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_errors),
	    cmocka_unit_test(test_topology),
	    cmocka_unit_test(test_pool_lifecycle),
	    cmocka_unit_test(test_pool_params),
	    cmocka_unit_test(test_pool_params_ignored),
	    cmocka_unit_test(test_dom_lifecycle),
	    cmocka_unit_test(test_unit_lifecycle),
	    cmocka_unit_test(test_state_changes),
	    cmocka_unit_test(test_do_schedule_errors),
	    cmocka_unit_test(test_affinity),
	    cmocka_unit_test(test_affinity_of_queued_unit),
	    cmocka_unit_test(test_unit_params),
	    cmocka_unit_test(test_dom_move),
	    cmocka_unit_test(test_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
