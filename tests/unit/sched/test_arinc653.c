/*
 * The ARINC653 policy: exact, repeated frames; validation of schedules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util.h"

#define NR_DOMS 3
#define MAJOR	HV_MSEC(20)

static const struct hv_sched_a653_frame frames[NR_DOMS] = {
    {1, HV_MSEC(5)},
    {2, HV_MSEC(3)},
    {3, HV_MSEC(2)},
};

struct checker {
	struct hv_sim *sim;
	hv_time_t start;
	unsigned int decisions, wrong, boundaries;
};

/* The owner (index) and end of the frame in force at t; -1: idle. */
static int frame_at(hv_time_t start, hv_time_t t, hv_time_t *end,
		    bool *boundary)
{
	hv_time_t base = start + (t - start) / MAJOR * MAJOR, acc = 0;

	*boundary = t == base;
	if (t < start) {
		*end = start;
		*boundary = false;
		return -1;
	}
	for (int i = 0; i < NR_DOMS; i++) {
		acc += frames[i].runtime;
		if (t - base < acc) {
			*end = base + acc;
			return i;
		}
		*boundary = *boundary || t == base + acc;
	}
	*end = base + MAJOR;
	return -1;
}

static void check(void *opaque, unsigned int cpu, hv_time_t now, int unit,
		  hv_time_t until)
{
	struct checker *c = opaque;
	hv_time_t end;
	bool boundary;
	int owner = frame_at(c->start, now, &end, &boundary);
	/* Unit 2k runs on pCPU 0, unit 2k+1 on pCPU 1, for domain k. */
	int expect = owner < 0 ? -1 : 2 * owner + (int)cpu;

	c->decisions++;
	c->boundaries += boundary;
	if (unit != expect || until != end)
		c->wrong++;
}

static void test_frames_exact(void **state)
{
	struct hv_sim *sim = sim_new(&hv_sched_arinc653, 2, 1);
	struct hv_sim_workload hog = sim_cpu_bound();
	struct checker c = {sim, HV_MSEC(3), 0, 0, 0};

	(void)state;
	for (int d = 0; d < NR_DOMS; d++) {
		int dom = hv_sim_add_domain(sim, (hv_domid_t)(d + 1), NULL);

		assert_int_equal(hv_sim_add_unit(sim, dom, &hog), 2 * d);
		assert_int_equal(hv_sim_add_unit(sim, dom, &hog), 2 * d + 1);
	}
	assert_int_equal(hv_sched_arinc653_set_schedule(
			     hv_sim_pool(sim), frames, NR_DOMS, MAJOR, c.start),
			 0);
	hv_sim_set_trace(sim, check, &c);
	assert_int_equal(hv_sim_run(sim, HV_SEC(1) + c.start), 0);
	assert_int_equal(c.wrong, 0);
	/* 2 pCPUs x 50 major frames x (3 frames + idle tail), plus the
	 * decision at time 0 on each pCPU before the schedule starts. */
	assert_int_equal(c.boundaries, 2 * 50 * 4);
	assert_int_equal(c.decisions, 2 * 50 * 4 + 2);
	for (int u = 0; u < 2 * NR_DOMS; u++) {
		struct hv_sim_unit_stats s;

		hv_sim_unit_stats(sim, u, &s);
		assert_int_equal(s.cpu_time, 50 * frames[u / 2].runtime);
	}
	assert_true(sim_clean(sim));
	hv_sim_destroy(sim);
}

static void test_owner_asleep_idles(void **state)
{
	struct machine m;
	struct hv_sched_dom d[2];
	struct hv_sched_unit u[2];
	struct hv_sched_decision dec;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_arinc653, 1), 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(hv_sched_dom_init(&m.pool, &d[i], i + 1), 0);
		assert_int_equal(hv_sched_unit_init(&d[i], &u[i], 0), 0);
	}
	/* No schedule yet: idle for ever. */
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, 0, &dec), 0);
	assert_null(dec.unit);
	assert_int_equal(dec.until, HV_TIME_NEVER);
	assert_int_equal(
	    hv_sched_arinc653_set_schedule(&m.pool, frames, 2, MAJOR, 0), 0);
	assert_true(m.kicks[0] > 0);
	assert_int_equal(hv_sched_wake(&u[1], 0), 0);
	/* Domain 1 sleeps: its frame idles, domain 2 does not get it. */
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, HV_MSEC(1), &dec), 0);
	assert_null(dec.unit);
	assert_int_equal(dec.until, HV_MSEC(5));
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, HV_MSEC(5), &dec), 0);
	assert_ptr_equal(dec.unit, &u[1]);
	/* Waking in its own frame kicks the pCPU; outside, it does not. */
	m.kicks[0] = 0;
	assert_int_equal(hv_sched_wake(&u[0], HV_MSEC(6)), 0);
	assert_int_equal(m.kicks[0], 0);
	assert_int_equal(hv_sched_sleep(&u[0], HV_MSEC(7)), 0);
	assert_int_equal(hv_sched_wake(&u[0], MAJOR + HV_MSEC(1)), 0);
	assert_int_equal(m.kicks[0], 1);
}

static void test_late_domain_binds(void **state)
{
	struct machine m;
	struct hv_sched_dom d;
	struct hv_sched_unit u;
	struct hv_sched_decision dec;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_arinc653, 1), 0);
	assert_int_equal(hv_sched_arinc653_set_schedule(&m.pool, frames, 1,
							MAJOR, HV_MSEC(100)),
			 0);
	/* Before the first major frame: idle until it. */
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, 0, &dec), 0);
	assert_int_equal(dec.until, HV_MSEC(100));
	/* The frame names domain 1, which arrives only now. */
	assert_int_equal(hv_sched_dom_init(&m.pool, &d, 1), 0);
	assert_int_equal(hv_sched_unit_init(&d, &u, 0), 0);
	assert_int_equal(hv_sched_wake(&u, HV_MSEC(100)), 0);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, HV_MSEC(100), &dec), 0);
	assert_ptr_equal(dec.unit, &u);
	/* Gone again: the frame idles. */
	assert_int_equal(hv_sched_sleep(&u, HV_MSEC(101)), 0);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, HV_MSEC(101), &dec), 0);
	assert_int_equal(hv_sched_unit_destroy(&u), 0);
	assert_int_equal(hv_sched_dom_destroy(&d), 0);
	assert_int_equal(hv_sched_do_schedule(&m.s, 0, HV_MSEC(120), &dec), 0);
	assert_null(dec.unit);
}

static void test_bad_schedules(void **state)
{
	struct machine m;
	struct hv_sched_pool other;
	struct hv_sched_a653_frame many[HV_SCHED_A653_MAX_FRAMES + 1];
	struct hv_sched_a653_frame f[NR_DOMS], got[NR_DOMS];
	unsigned int nr;
	hv_time_t major, start;

	(void)state;
	assert_int_equal(machine_init(&m, &hv_sched_arinc653, 1), 0);
	assert_int_equal(
	    hv_sched_arinc653_set_schedule(&m.pool, frames, NR_DOMS, MAJOR, 0),
	    0);
	memcpy(f, frames, sizeof(f));
	/* A frame longer than the (rest of the) major frame. */
	f[2].runtime = HV_MSEC(13);
	assert_int_equal(
	    hv_sched_arinc653_set_schedule(&m.pool, f, NR_DOMS, MAJOR, 0),
	    -HV_EINVAL);
	assert_true(machine_logged(&m, "does not fit the"));
	f[2].runtime = 0;
	assert_int_equal(
	    hv_sched_arinc653_set_schedule(&m.pool, f, NR_DOMS, MAJOR, 0),
	    -HV_EINVAL);
	assert_int_equal(
	    hv_sched_arinc653_set_schedule(&m.pool, frames, 0, MAJOR, 0),
	    -HV_EINVAL);
	for (unsigned int i = 0; i < HV_SCHED_A653_MAX_FRAMES + 1; i++) {
		many[i].domid = 1;
		many[i].runtime = HV_USEC(1);
	}
	assert_int_equal(
	    hv_sched_arinc653_set_schedule(
		&m.pool, many, HV_SCHED_A653_MAX_FRAMES + 1, MAJOR, 0),
	    -HV_EINVAL);
	assert_int_equal(
	    hv_sched_arinc653_set_schedule(&m.pool, frames, NR_DOMS, 0, 0),
	    -HV_EINVAL);
	assert_int_equal(
	    hv_sched_arinc653_set_schedule(&m.pool, frames, NR_DOMS, MAJOR, -1),
	    -HV_EINVAL);
	assert_int_equal(
	    hv_sched_arinc653_set_schedule(&m.pool, NULL, NR_DOMS, MAJOR, 0),
	    -HV_EINVAL);
	assert_int_equal(
	    hv_sched_arinc653_set_schedule(NULL, frames, NR_DOMS, MAJOR, 0),
	    -HV_EINVAL);
	assert_int_equal(hv_sched_pool_init(&m.s, &other, &hv_sched_credit), 0);
	assert_int_equal(
	    hv_sched_arinc653_set_schedule(&other, frames, NR_DOMS, MAJOR, 0),
	    -HV_EINVAL);
	assert_int_equal(hv_sched_arinc653_get_schedule(&other, got, NR_DOMS,
							&nr, NULL, NULL),
			 -HV_EINVAL);

	/* Nothing changed. */
	assert_int_equal(hv_sched_arinc653_get_schedule(&m.pool, got, NR_DOMS,
							&nr, &major, &start),
			 0);
	assert_int_equal(nr, NR_DOMS);
	assert_int_equal(major, MAJOR);
	assert_int_equal(start, 0);
	for (int i = 0; i < NR_DOMS; i++) {
		assert_int_equal(got[i].domid, frames[i].domid);
		assert_int_equal(got[i].runtime, frames[i].runtime);
	}
	/* A short buffer gets what fits, and the full count. */
	assert_int_equal(
	    hv_sched_arinc653_get_schedule(&m.pool, got, 1, &nr, NULL, NULL),
	    0);
	assert_int_equal(nr, NR_DOMS);
	assert_int_equal(
	    hv_sched_arinc653_get_schedule(&m.pool, NULL, 1, &nr, NULL, NULL),
	    -HV_EINVAL);
	assert_int_equal(
	    hv_sched_arinc653_get_schedule(&m.pool, got, 1, NULL, NULL, NULL),
	    -HV_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_frames_exact),
	    cmocka_unit_test(test_owner_asleep_idles),
	    cmocka_unit_test(test_late_domain_binds),
	    cmocka_unit_test(test_bad_schedules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
