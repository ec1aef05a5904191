/*
 * Shared helpers for the libhv-sched tests: a small machine whose kicks
 * are recorded, simulator shorthands, and the weight and cap checks that
 * credit and credit2 share.
 */
#ifndef SCHED_TEST_UTIL_H
#define SCHED_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <hv/sched_impl.h>
#include <hv/sched_sim.h>

#define MACHINE_CPUS 8

struct machine {
	struct hv_sched s;
	struct hv_sched_pcpu pcpus[MACHINE_CPUS];
	struct hv_sched_pool pool;
	struct hv_log log;
	struct hv_log_ring ring;
	char ring_buf[4096];
	unsigned int kicks[MACHINE_CPUS];
};

static inline void machine_kick(void *opaque, unsigned int cpu)
{
	((struct machine *)opaque)->kicks[cpu]++;
}

/* A machine with `cpus` pCPUs, all in one pool running `policy`. */
static inline int machine_init(struct machine *m,
			       const struct hv_sched_policy *policy,
			       unsigned int cpus)
{
	struct hv_sched_ops ops = {machine_kick, m, &m->log};
	int rc;

	memset(m, 0, sizeof(*m));
	hv_log_ring_init(&m->ring, m->ring_buf, sizeof(m->ring_buf));
	hv_log_init(&m->log, hv_log_ring_sink, &m->ring, HV_LOG_DEBUG);
	rc = hv_sched_init(&m->s, m->pcpus, MACHINE_CPUS, &ops);
	if (rc)
		return rc;
	rc = hv_sched_pool_init(&m->s, &m->pool, policy);
	for (unsigned int c = 0; !rc && c < cpus; c++)
		rc = hv_sched_pool_add_cpu(&m->pool, c);
	return rc;
}

/* Does the log hold `text`. */
static inline bool machine_logged(struct machine *m, const char *text)
{
	char out[4096];

	hv_log_ring_read(&m->ring, out, sizeof(out));
	return strstr(out, text) != NULL;
}

static inline struct hv_sim_workload sim_cpu_bound(void)
{
	struct hv_sim_workload w = {
	    HV_SIM_CPU_BOUND,	  0, {HV_SIM_CONST, 0, 0},
	    {HV_SIM_CONST, 0, 0}, 0, 0};

	return w;
}

/* Exponential bursts and sleeps with the given means. */
static inline struct hv_sim_workload sim_io_bound(hv_time_t burst,
						  hv_time_t sleep)
{
	struct hv_sim_workload w = {
	    HV_SIM_IO_BOUND,	    0, {HV_SIM_EXP, burst, 0},
	    {HV_SIM_EXP, sleep, 0}, 0, 0};

	return w;
}

static inline struct hv_sim_workload sim_periodic(hv_time_t period,
						  hv_time_t work)
{
	struct hv_sim_workload w = {
	    HV_SIM_PERIODIC,	  0,	  {HV_SIM_CONST, 0, 0},
	    {HV_SIM_CONST, 0, 0}, period, work};

	return w;
}

static inline struct hv_sim *sim_new(const struct hv_sched_policy *policy,
				     unsigned int cpus, uint64_t seed)
{
	struct hv_sim_config cfg = {policy, cpus, 1, 0, NULL, seed};

	return hv_sim_create(&cfg);
}

/* A new domain with weight (and cap) and one unit; returns the unit. */
static inline int sim_dom_unit(struct hv_sim *sim, hv_domid_t domid,
			       uint32_t weight, uint32_t cap,
			       struct hv_sim_workload w)
{
	struct hv_sched_params p;
	int d;

	hv_sched_params_default(&p);
	p.weight = weight;
	p.cap = cap;
	d = hv_sim_add_domain(sim, domid, &p);
	return d < 0 ? d : hv_sim_add_unit(sim, d, &w);
}

static inline double sim_share(struct hv_sim *sim, int unit, hv_time_t total)
{
	struct hv_sim_unit_stats s;

	hv_sim_unit_stats(sim, unit, &s);
	return 100.0 * (double)s.cpu_time / (double)total;
}

/* Every invariant the simulator checks held. */
static inline bool sim_clean(struct hv_sim *sim)
{
	struct hv_sim_stats st;

	hv_sim_stats(sim, &st);
	return st.hard_violations == 0 && st.double_runs == 0 &&
	       st.bad_decisions == 0;
}

/*
 * Three domains of weights 1:2:4 with `units` CPU hogs each, simulated
 * for 10 s on cfg's pCPUs: each gets its share of the pool.
 */
static inline void sim_check_weights(const struct hv_sim_config *cfg,
				     unsigned int units)
{
	static const uint32_t weights[3] = {256, 512, 1024};
	struct hv_sim *sim = hv_sim_create(cfg);
	struct hv_sim_workload hog = sim_cpu_bound();
	double share[3] = {0, 0, 0};

	assert_non_null(sim);
	for (int d = 0; d < 3; d++) {
		struct hv_sched_params p;
		int dom;

		hv_sched_params_default(&p);
		p.weight = weights[d];
		dom = hv_sim_add_domain(sim, (hv_domid_t)(d + 1), &p);
		assert_true(dom >= 0);
		for (unsigned int k = 0; k < units; k++)
			assert_true(hv_sim_add_unit(sim, dom, &hog) >= 0);
	}
	assert_int_equal(hv_sim_run(sim, HV_SEC(10)), 0);
	for (unsigned int i = 0; i < 3 * units; i++)
		share[i / units] +=
		    sim_share(sim, (int)i, HV_SEC(10) * cfg->nr_cpus);
	/* 1/7, 2/7, 4/7 of the pool, within 2 percentage points. */
	assert_true(share[0] > 100.0 / 7 - 2 && share[0] < 100.0 / 7 + 2);
	assert_true(share[1] > 200.0 / 7 - 2 && share[1] < 200.0 / 7 + 2);
	assert_true(share[2] > 400.0 / 7 - 2 && share[2] < 400.0 / 7 + 2);
	assert_true(sim_clean(sim));
	hv_sim_destroy(sim);
}

/* A domain capped at 25% of one pCPU, with `others` uncapped hogs, gets
 * 24-26% of 10 s under `policy`. */
static inline void sim_check_cap(const struct hv_sched_policy *policy,
				 unsigned int others)
{
	struct hv_sim *sim = sim_new(policy, 1, 1);
	double share;

	assert_int_equal(sim_dom_unit(sim, 1, 256, 25, sim_cpu_bound()), 0);
	for (unsigned int i = 0; i < others; i++)
		assert_true(sim_dom_unit(sim, (hv_domid_t)(2 + i), 256, 0,
					 sim_cpu_bound()) > 0);
	assert_int_equal(hv_sim_run(sim, HV_SEC(10)), 0);
	share = sim_share(sim, 0, HV_SEC(10));
	assert_true(share > 24.0 && share < 26.0);
	assert_true(sim_clean(sim));
	hv_sim_destroy(sim);
}

#endif /* SCHED_TEST_UTIL_H */
