/*
 * libhv-sched benchmarks: the cost of a scheduling decision and of a wake
 * for each policy at 16 .. 16384 runnable units, and the simulator's
 * speed.  Host code; wall-clock time from CLOCK_MONOTONIC.
 *
 * Decisions are taken as a machine would take them: each pCPU decides
 * again at the `until` of its last decision (or 1 ms later when it has
 * none), the earliest first, so the mix of short and long paths (ticks,
 * slice ends, resets, replenishments) is the policy's own.  All units are
 * CPU hogs; RTDS units get budgets that fill 90% of the pool, as an
 * admission-controlled RTDS system would (an overloaded one replenishes
 * every unit every period, however many there are).
 *
 * `bench-sched goal` measures only the goal figure, in a few seconds.
 */
/* clock_gettime is POSIX, not C11. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hv/sched_impl.h>
#include <hv/sched_sim.h>

#include "../bench_goal.h"

#define CPUS	   4
#define MAX_UNITS  16384
#define DECISIONS  200000
#define WAKE_BATCH 512
#define WAKES	   200000

static const struct hv_sched_policy *const policies[] = {
    &hv_sched_null, &hv_sched_credit,	&hv_sched_credit2,
    &hv_sched_rtds, &hv_sched_arinc653,
};
static const unsigned int sizes[] = {16, 256, 4096, 16384};

struct bench {
	struct hv_sched s;
	struct hv_sched_pcpu pcpus[CPUS];
	struct hv_sched_pool pool;
	struct hv_sched_dom doms[MAX_UNITS];
	struct hv_sched_unit units[MAX_UNITS];
	unsigned int nr;
	hv_time_t next[CPUS]; /* when each pCPU decides next */
	hv_time_t now;
};

static double wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void no_kick(void *opaque, unsigned int cpu)
{
	(void)opaque;
	(void)cpu;
}

static void die(const char *what, int rc)
{
	fprintf(stderr, "bench-sched: %s failed: %d\n", what, rc);
	exit(1);
}

static void check(const char *what, int rc)
{
	if (rc < 0)
		die(what, rc);
}

/* RTDS budgets: 90% of the pool shared out, period 100 ms. */
static void rtds_params(struct hv_sched_dom *d, unsigned int n)
{
	struct hv_sched_params p;

	hv_sched_params_default(&p);
	p.period = HV_MSEC(100);
	p.budget = p.period * 9 * CPUS / 10 / n;
	if (p.budget < HV_USEC(10))
		p.budget = HV_USEC(10);
	check("rtds params", hv_sched_dom_set_params(d, &p));
}

static void a653_schedule(struct bench *b)
{
	struct hv_sched_a653_frame f[HV_SCHED_A653_MAX_FRAMES];
	unsigned int nr =
	    b->nr < HV_SCHED_A653_MAX_FRAMES ? b->nr : HV_SCHED_A653_MAX_FRAMES;

	for (unsigned int i = 0; i < nr; i++) {
		f[i].domid = (hv_domid_t)(i + 1);
		f[i].runtime = HV_MSEC(1);
	}
	check("arinc653 schedule",
	      hv_sched_arinc653_set_schedule(&b->pool, f, nr,
					     (hv_time_t)nr * HV_MSEC(1), 0));
}

/* n runnable units, one per domain, on CPUS pCPUs. */
static void setup(struct bench *b, const struct hv_sched_policy *policy,
		  unsigned int n)
{
	struct hv_sched_ops ops = {no_kick, NULL, NULL};

	memset(b, 0, sizeof(*b));
	b->nr = n;
	check("init", hv_sched_init(&b->s, b->pcpus, CPUS, &ops));
	check("pool", hv_sched_pool_init(&b->s, &b->pool, policy));
	for (unsigned int c = 0; c < CPUS; c++)
		check("add cpu", hv_sched_pool_add_cpu(&b->pool, c));
	for (unsigned int i = 0; i < n; i++) {
		check("dom", hv_sched_dom_init(&b->pool, &b->doms[i],
					       (hv_domid_t)(i + 1)));
		if (policy == &hv_sched_rtds)
			rtds_params(&b->doms[i], n);
		check("unit", hv_sched_unit_init(&b->doms[i], &b->units[i], 0));
	}
	if (policy == &hv_sched_arinc653)
		a653_schedule(b);
	for (unsigned int i = 0; i < n; i++)
		check("wake", hv_sched_wake(&b->units[i], 0));
}

/* The pCPU due first decides; returns it. */
static unsigned int decide_next(struct bench *b)
{
	struct hv_sched_decision d;
	unsigned int cpu = 0;

	for (unsigned int c = 1; c < CPUS; c++)
		if (b->next[c] < b->next[cpu])
			cpu = c;
	b->now = b->next[cpu];
	hv_sched_do_schedule(&b->s, cpu, b->now, &d);
	b->next[cpu] = d.until == HV_TIME_NEVER ? b->now + HV_MSEC(1) : d.until;
	return cpu;
}

static double bench_decisions(struct bench *b)
{
	double t0;

	for (unsigned int i = 0; i < 1000; i++) /* warm up */
		decide_next(b);
	t0 = wall_ns();
	for (unsigned int i = 0; i < DECISIONS; i++)
		decide_next(b);
	return (wall_ns() - t0) / DECISIONS;
}

/* Put up to WAKE_BATCH queued (not running) units to sleep, then time
 * waking them.  Returns the ns spent; *n gets how many were woken. */
static double wake_batch(struct bench *b, unsigned int *first, unsigned int *n)
{
	struct hv_sched_unit *batch[WAKE_BATCH];
	unsigned int k = 0;
	double t0;

	for (unsigned int i = 0; i < b->nr && k < WAKE_BATCH && k < b->nr / 2;
	     i++) {
		struct hv_sched_unit *u = &b->units[(*first + i) % b->nr];

		if (hv_sched_unit_state(u) == HV_SCHED_UNIT_RUNNABLE)
			batch[k++] = u;
	}
	*first = (*first + WAKE_BATCH) % b->nr;
	for (unsigned int i = 0; i < k; i++)
		hv_sched_sleep(batch[i], b->now);
	t0 = wall_ns();
	for (unsigned int i = 0; i < k; i++)
		hv_sched_wake(batch[i], b->now);
	*n = k;
	return wall_ns() - t0;
}

static double bench_wakes(struct bench *b)
{
	unsigned int first = 0, woken = 0;
	double spent = 0;

	while (woken < WAKES) {
		unsigned int n;

		spent += wake_batch(b, &first, &n);
		woken += n;
		/* Let the pCPUs move on between batches. */
		for (unsigned int i = 0; i < CPUS; i++)
			decide_next(b);
	}
	return spent / woken;
}

static void decision_table(void)
{
	static struct bench b;

	printf("libhv-sched: cost of one decision and one wake "
	       "(%u pCPUs, all units runnable CPU hogs)\n",
	       CPUS);
	printf("%-10s %8s %14s %14s\n", "policy", "units", "decision ns",
	       "wake ns");
	for (size_t p = 0; p < HV_ARRAY_SIZE(policies); p++) {
		for (size_t s = 0; s < HV_ARRAY_SIZE(sizes); s++) {
			double dec, wake;

			setup(&b, policies[p], sizes[s]);
			dec = bench_decisions(&b);
			wake = bench_wakes(&b);
			printf("%-10s %8u %14.1f %14.1f\n", policies[p]->name,
			       sizes[s], dec, wake);
		}
	}
	printf("\n");
}

/* A mixed workload for the simulator: hogs, sleepers, periodic jobs. */
static struct hv_sim *mixed_sim(const struct hv_sched_policy *policy)
{
	struct hv_sim_config cfg = {policy, CPUS, 1, 2, NULL, 1};
	struct hv_sim *sim = hv_sim_create(&cfg);
	struct hv_sched_a653_frame f[12];

	if (!sim)
		die("hv_sim_create", -1);
	for (int i = 0; i < 12; i++) {
		struct hv_sim_workload w = {HV_SIM_CPU_BOUND,
					    0,
					    {HV_SIM_EXP, HV_USEC(500), 0},
					    {HV_SIM_EXP, HV_MSEC(5), 0},
					    HV_MSEC(10),
					    HV_MSEC(1)};
		int d = hv_sim_add_domain(sim, (hv_domid_t)(i + 1), NULL);

		w.kind = (enum hv_sim_workload_kind)(i % 3);
		check("sim unit", hv_sim_add_unit(sim, d, &w));
		f[i].domid = (hv_domid_t)(i + 1);
		f[i].runtime = HV_MSEC(1);
	}
	if (policy == &hv_sched_arinc653)
		check("sim schedule",
		      hv_sched_arinc653_set_schedule(hv_sim_pool(sim), f, 12,
						     HV_MSEC(15), 0));
	return sim;
}

static void sim_table(void)
{
	printf("libhv-sched: simulator speed (%u pCPUs, 12 units: hogs, "
	       "sleepers, periodic; 20 simulated seconds)\n",
	       CPUS);
	printf("%-10s %12s %14s %16s\n", "policy", "wall ms", "sim s / wall s",
	       "decisions / s");
	for (size_t p = 0; p < HV_ARRAY_SIZE(policies); p++) {
		struct hv_sim *sim = mixed_sim(policies[p]);
		struct hv_sim_stats st;
		double t0 = wall_ns(), ns;

		check("sim run", hv_sim_run(sim, HV_SEC(20)));
		ns = wall_ns() - t0;
		hv_sim_stats(sim, &st);
		printf("%-10s %12.1f %14.0f %16.0f\n", policies[p]->name,
		       ns / 1e6, 20e9 / ns, (double)st.decisions * 1e9 / ns);
		hv_sim_destroy(sim);
	}
}

static double decision_ns(void *b)
{
	return bench_decisions(b);
}

/* Issue 15's figure: one credit2 decision among 16,384 runnable units. */
static void goals(void)
{
	static struct bench b;

	setup(&b, &hv_sched_credit2, MAX_UNITS);
	bench_goal("credit2 decision, 16,384 runnable units",
		   bench_repeat(decision_ns, &b), "ns", 1, 250);
	printf("\n");
}

/* `bench-sched goal`: only issue 15's figure, for quick iteration. */
int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "goal") == 0) {
		goals();
		return 0;
	}
	decision_table();
	sim_table();
	goals();
	return 0;
}
