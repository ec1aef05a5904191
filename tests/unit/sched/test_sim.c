/*
 * The simulator itself: determinism, workloads, statistics, the report,
 * and its error paths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util.h"

static char report_a[8192], report_b[8192];

/* A small mixed simulation; its report goes to out. */
static void mixed_report(uint64_t seed, char *out, size_t size)
{
	struct hv_sim *sim = sim_new(&hv_sched_credit2, 2, seed);
	struct hv_sim_workload uni = {
	    HV_SIM_IO_BOUND,
	    HV_MSEC(1),
	    {HV_SIM_UNIFORM, HV_USEC(100), HV_USEC(900)},
	    {HV_SIM_EXP, HV_MSEC(2), HV_MSEC(5)},
	    0,
	    0};

	assert_int_equal(sim_dom_unit(sim, 1, 256, 0, sim_cpu_bound()), 0);
	assert_int_equal(sim_dom_unit(sim, 2, 256, 0, uni), 1);
	assert_int_equal(
	    sim_dom_unit(sim, 3, 256, 0, sim_periodic(HV_MSEC(4), HV_MSEC(1))),
	    2);
	assert_int_equal(hv_sim_run(sim, HV_MSEC(500)), 0);
	assert_true(hv_sim_report(sim, out, size) < (int)size);
	hv_sim_destroy(sim);
}

static void test_deterministic(void **state)
{
	(void)state;
	mixed_report(11, report_a, sizeof(report_a));
	mixed_report(11, report_b, sizeof(report_b));
	assert_string_equal(report_a, report_b);
	mixed_report(12, report_b, sizeof(report_b));
	assert_true(strcmp(report_a, report_b) != 0);
	assert_non_null(strstr(report_a, "policy credit2, 2 pCPUs"));
}

static void test_report_truncates(void **state)
{
	struct hv_sim *sim = sim_new(&hv_sched_null, 1, 1);
	char small[16];
	int need;

	(void)state;
	assert_int_equal(sim_dom_unit(sim, 1, 256, 0, sim_cpu_bound()), 0);
	assert_int_equal(hv_sim_run(sim, HV_MSEC(1)), 0);
	need = hv_sim_report(sim, small, sizeof(small));
	assert_true(need > (int)sizeof(small));
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_int_equal(hv_sim_report(sim, NULL, 0), need);
	hv_sim_destroy(sim);
}

static void test_workloads_and_stats(void **state)
{
	struct hv_sim *sim = sim_new(&hv_sched_credit, 2, 3);
	struct hv_sim_unit_stats s;
	struct hv_sim_cpu_stats cs;
	struct hv_sim_stats st;
	struct hv_sim_workload late = sim_cpu_bound();

	(void)state;
	late.start = HV_MSEC(600);
	assert_int_equal(sim_dom_unit(sim, 1, 256, 0,
				      sim_io_bound(HV_USEC(200), HV_MSEC(1))),
			 0);
	assert_int_equal(sim_dom_unit(sim, 2, 256, 0, late), 1);
	assert_int_equal(hv_sim_run(sim, HV_SEC(1)), 0);
	assert_int_equal(hv_sim_now(sim), HV_SEC(1));

	hv_sim_unit_stats(sim, 0, &s);
	assert_true(s.wakeups > 500);
	assert_true(s.lat_p50 <= s.lat_p90 && s.lat_p90 <= s.lat_p99 &&
		    s.lat_p99 <= s.lat_max);
	assert_int_equal(s.jobs, 0);
	/* Started at 600 ms: 400 ms of one pCPU at most. */
	hv_sim_unit_stats(sim, 1, &s);
	assert_true(s.cpu_time > HV_MSEC(390) && s.cpu_time <= HV_MSEC(400));
	assert_int_equal(s.wakeups, 1);

	hv_sim_stats(sim, &st);
	assert_int_equal(st.elapsed, HV_SEC(1));
	assert_true(st.decisions > 0 && st.context_switches > 0);
	assert_true(sim_clean(sim));
	assert_int_equal(hv_sim_cpu_stats(sim, 0, &cs), 0);
	assert_true(cs.busy > 0 && cs.nr_units >= 1);
	hv_sim_destroy(sim);
}

static void test_errors(void **state)
{
	struct hv_sim_config cfg = {&hv_sched_null, 0, 1, 0, NULL, 1};
	struct hv_sim *sim;
	struct hv_sim_workload w = sim_cpu_bound();
	struct hv_sim_unit_stats s;
	struct hv_sim_cpu_stats cs;
	struct hv_sched_params p;
	struct hv_sched_pool_params pp;

	(void)state;
	assert_null(hv_sim_create(NULL));
	assert_null(hv_sim_create(&cfg));
	cfg.nr_cpus = HV_SCHED_MAX_CPUS + 1;
	assert_null(hv_sim_create(&cfg));
	cfg.nr_cpus = 1;
	cfg.policy = NULL;
	assert_null(hv_sim_create(&cfg));
	/* Bad pool parameters fail the creation. */
	hv_sched_pool_params_default(&pp);
	pp.tslice = 0;
	cfg.policy = &hv_sched_credit;
	cfg.pool_params = &pp;
	assert_null(hv_sim_create(&cfg));
	hv_sim_destroy(NULL);

	sim = sim_new(&hv_sched_credit, 1, 1);
	hv_sched_params_default(&p);
	p.weight = 0;
	assert_int_equal(hv_sim_add_domain(sim, 1, &p), -HV_EINVAL);
	assert_int_equal(hv_sim_add_domain(NULL, 1, NULL), -HV_EINVAL);
	assert_int_equal(hv_sim_add_domain(sim, 1, NULL), 0);
	assert_int_equal(hv_sim_add_domain(sim, 1, NULL), -HV_EEXIST);
	assert_int_equal(hv_sim_add_unit(sim, 1, &w), -HV_EINVAL);
	assert_int_equal(hv_sim_add_unit(sim, 0, NULL), -HV_EINVAL);
	w.kind = HV_SIM_IO_BOUND; /* zero-length bursts */
	assert_int_equal(hv_sim_add_unit(sim, 0, &w), -HV_EINVAL);
	w = sim_periodic(0, HV_MSEC(1));
	assert_int_equal(hv_sim_add_unit(sim, 0, &w), -HV_EINVAL);
	w = sim_cpu_bound();
	w.start = -1;
	assert_int_equal(hv_sim_add_unit(sim, 0, &w), -HV_EINVAL);
	w = sim_io_bound(HV_MSEC(1), HV_MSEC(1));
	w.burst.kind = HV_SIM_UNIFORM;
	w.burst.b = 0; /* b < a */
	assert_int_equal(hv_sim_add_unit(sim, 0, &w), -HV_EINVAL);
	assert_null(hv_sim_unit(sim, 0));
	assert_null(hv_sim_dom(sim, 5));
	assert_non_null(hv_sim_dom(sim, 0));
	assert_ptr_equal(hv_sim_pool(sim)->policy, &hv_sched_credit);
	assert_int_equal(hv_sim_run(sim, -1), -HV_EINVAL);
	assert_int_equal(hv_sim_run(NULL, 1), -HV_EINVAL);
	assert_int_equal(hv_sim_unit_stats(sim, 0, &s), -HV_EINVAL);
	assert_int_equal(hv_sim_unit_stats(sim, -1, &s), -HV_EINVAL);
	assert_int_equal(hv_sim_cpu_stats(sim, 1, &cs), -HV_EINVAL);
	assert_int_equal(hv_sim_cpu_stats(sim, 0, NULL), -HV_EINVAL);
	hv_sim_destroy(sim);
}

struct count {
	unsigned int calls, idle;
};

static void count_trace(void *opaque, unsigned int cpu, hv_time_t now, int unit,
			hv_time_t until)
{
	struct count *c = opaque;

	(void)cpu;
	c->calls++;
	c->idle += unit < 0;
	assert_true(until > now);
}

static void test_trace(void **state)
{
	struct hv_sim *sim = sim_new(&hv_sched_rtds, 1, 1);
	struct count c = {0, 0};
	struct hv_sim_stats st;

	(void)state;
	assert_int_equal(
	    sim_dom_unit(sim, 1, 256, 0, sim_periodic(HV_MSEC(10), HV_MSEC(2))),
	    0);
	hv_sim_set_trace(sim, count_trace, &c);
	assert_int_equal(hv_sim_run(sim, HV_MSEC(100)), 0);
	hv_sim_stats(sim, &st);
	assert_int_equal(c.calls, st.decisions);
	/* Each period: run, then idle. */
	assert_true(c.idle >= 10);
	hv_sim_destroy(sim);
}

/* The run in hvkit's trace format (hv/trace.h): each domain created with
 * its weight, each pCPU's runs and stops in pairs, and the time between
 * them what the statistics say each unit ran. */
#define SIM_RECORDS 65536

static struct {
	struct hv_trace t;
	struct hv_trace_ring rings[2];
	struct hv_trace_record recs[2][SIM_RECORDS / 2];
	struct hv_trace_record got[SIM_RECORDS];
	size_t nr;
	struct hv_sim *sim;
} st_trace;

static uint64_t sim_trace_now(struct hv_trace *t)
{
	(void)t;
	return (uint64_t)hv_sim_now(st_trace.sim);
}

static void sim_trace_drain(struct hv_trace *t, struct hv_trace_ring *r)
{
	(void)t;
	st_trace.nr += hv_trace_ring_read(r, st_trace.got + st_trace.nr,
					  SIM_RECORDS - st_trace.nr);
}

static void test_hv_trace(void **state)
{
	struct hv_sim *sim = sim_new(&hv_sched_credit2, 2, 3);
	hv_time_t ran[3] = {0, 0, 0}, since[2] = {0, 0};
	int on[2] = {-1, -1};
	unsigned int created = 0;

	(void)state;
	assert_int_equal(sim_dom_unit(sim, 1, 256, 0, sim_cpu_bound()), 0);
	assert_int_equal(sim_dom_unit(sim, 2, 512, 0, sim_cpu_bound()), 1);
	assert_int_equal(
	    sim_dom_unit(sim, 3, 256, 0, sim_periodic(HV_MSEC(4), HV_MSEC(1))),
	    2);
	st_trace.sim = sim;
	st_trace.nr = 0;
	st_trace.t = (struct hv_trace){.rings = st_trace.rings,
				       .nr_rings = 2,
				       .now = sim_trace_now,
				       .drain = sim_trace_drain};
	for (unsigned int i = 0; i < 2; i++)
		assert_int_equal(
		    hv_trace_ring_init(&st_trace.rings[i], st_trace.recs[i],
				       SIM_RECORDS / 2, (uint16_t)i),
		    0);
	hv_sim_set_hv_trace(sim, &st_trace.t);
	assert_int_equal(hv_sim_run(sim, HV_MSEC(300)), 0);
	for (unsigned int i = 0; i < 2; i++)
		sim_trace_drain(&st_trace.t, &st_trace.rings[i]);
	assert_int_equal(st_trace.rings[0].lost + st_trace.rings[1].lost, 0);
	for (size_t i = 0; i < st_trace.nr; i++) {
		const struct hv_trace_record *r = &st_trace.got[i];
		unsigned int c = r->cpu;

		if (r->event == HV_TRACE_DOMAIN_CREATE) {
			created++;
			assert_int_equal(r->arg[2], r->arg[0] == 2 ? 512 : 256);
		} else if (r->event == HV_TRACE_VCPU_RUN) {
			assert_int_equal(on[c], -1);
			on[c] = (int)r->arg[0] - 1; /* domids 1..3 */
			since[c] = (hv_time_t)r->time;
		} else if (r->event == HV_TRACE_VCPU_STOP) {
			assert_int_equal(on[c], (int)r->arg[0] - 1);
			ran[on[c]] += (hv_time_t)r->time - since[c];
			on[c] = -1;
		}
	}
	assert_int_equal(created, 3);
	for (unsigned int c = 0; c < 2; c++)
		if (on[c] >= 0) /* still running at the end */
			ran[on[c]] += hv_sim_now(sim) - since[c];
	for (int u = 0; u < 3; u++) {
		struct hv_sim_unit_stats us;

		assert_int_equal(hv_sim_unit_stats(sim, u, &us), 0);
		assert_int_equal(ran[u], us.cpu_time);
	}
	hv_sim_destroy(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hv_trace),
	    cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_report_truncates),
	    cmocka_unit_test(test_workloads_and_stats),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_trace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
