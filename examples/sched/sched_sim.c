/*
 * examples/sched: simulate a pool under one of Xen's policies and print
 * what each unit got.  A starting point for scheduling experiments: change
 * the pool, the domains' parameters or the workloads below and run again;
 * the same inputs always give the same report.
 *
 *   sched-sim [policy [pcpus [seconds [trace]]]]  (default: credit2 4 10)
 *
 * With a fourth argument the run is also written to that file in the
 * format of `hvkit run --trace` (hv/trace.h), for `hvkit trace FILE
 * --plot DIR`: a policy seen in the simulator and in an image alike.
 *
 * The workload: two CPU-hog domains of weights 256 and 512, one hog
 * capped at 50% of a pCPU, two I/O-bound domains (bursts of 1 ms on
 * average, sleeping 10 ms on average), and two periodic real-time jobs
 * (2 ms every 10 ms and 5 ms every 20 ms) whose RTDS servers match them.
 * Under ARINC653 each domain owns a 2 ms minor frame of a 20 ms major
 * frame.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hv/sched_sim.h>

static const struct hv_sched_policy *policy_named(const char *name)
{
	static const struct {
		const char *name;
		const struct hv_sched_policy *policy;
	} all[] = {
	    {"null", &hv_sched_null},	      {"credit", &hv_sched_credit},
	    {"credit2", &hv_sched_credit2},   {"rtds", &hv_sched_rtds},
	    {"arinc653", &hv_sched_arinc653},
	};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (!strcmp(all[i].name, name))
			return all[i].policy;
	return NULL;
}

struct dom_spec {
	const char *what;
	uint32_t weight, cap;
	hv_time_t period, budget; /* RTDS server */
	struct hv_sim_workload w;
};

#define CPU_HOG                                                                \
	{                                                                      \
		HV_SIM_CPU_BOUND, 0, {HV_SIM_CONST, 0, 0},                     \
		    {HV_SIM_CONST, 0, 0}, 0, 0                                 \
	}
#define IO_BOUND                                                               \
	{                                                                      \
		HV_SIM_IO_BOUND, 0, {HV_SIM_EXP, HV_MSEC(1), 0},               \
		    {HV_SIM_EXP, HV_MSEC(10), 0}, 0, 0                         \
	}
#define PERIODIC(p, c)                                                         \
	{                                                                      \
		HV_SIM_PERIODIC, 0, {HV_SIM_CONST, 0, 0},                      \
		    {HV_SIM_CONST, 0, 0}, p, c                                 \
	}

static const struct dom_spec doms[] = {
    {"hog, weight 256", 256, 0, HV_MSEC(10), HV_MSEC(4), CPU_HOG},
    {"hog, weight 512", 512, 0, HV_MSEC(10), HV_MSEC(4), CPU_HOG},
    {"hog, cap 50%", 256, 50, HV_MSEC(10), HV_MSEC(4), CPU_HOG},
    {"i/o", 256, 0, HV_MSEC(10), HV_MSEC(2), IO_BOUND},
    {"i/o", 256, 0, HV_MSEC(10), HV_MSEC(2), IO_BOUND},
    {"rt 2/10 ms", 256, 0, HV_MSEC(10), HV_MSEC(2),
     PERIODIC(HV_MSEC(10), HV_MSEC(2))},
    {"rt 5/20 ms", 256, 0, HV_MSEC(20), HV_MSEC(5),
     PERIODIC(HV_MSEC(20), HV_MSEC(5))},
};

#define NR_DOMS (sizeof(doms) / sizeof(doms[0]))

static int populate(struct hv_sim *sim)
{
	struct hv_sched_a653_frame frames[NR_DOMS];

	for (size_t i = 0; i < NR_DOMS; i++) {
		struct hv_sched_params p;
		int d;

		hv_sched_params_default(&p);
		p.weight = doms[i].weight;
		p.cap = doms[i].cap;
		p.period = doms[i].period;
		p.budget = doms[i].budget;
		d = hv_sim_add_domain(sim, (hv_domid_t)(i + 1), &p);
		if (d < 0 || hv_sim_add_unit(sim, d, &doms[i].w) < 0)
			return -1;
		printf("dom %zu: %s\n", i + 1, doms[i].what);
		frames[i].domid = (hv_domid_t)(i + 1);
		frames[i].runtime = HV_MSEC(2);
	}
	if (hv_sim_pool(sim)->policy == &hv_sched_arinc653)
		return hv_sched_arinc653_set_schedule(hv_sim_pool(sim), frames,
						      NR_DOMS, HV_MSEC(20), 0);
	return 0;
}

/* The trace file: rings of records, written out as they fill. */
#define TRACE_RECORDS 4096

struct trace_out {
	struct hv_trace t;
	struct hv_trace_ring rings[HV_SCHED_MAX_CPUS];
	struct hv_sim *sim;
	FILE *f;
};

static uint64_t trace_now(struct hv_trace *t)
{
	return (uint64_t)hv_sim_now(((struct trace_out *)t->ctx)->sim);
}

static void trace_drain(struct hv_trace *t, struct hv_trace_ring *r)
{
	struct trace_out *o = t->ctx;
	struct hv_trace_record batch[256];
	size_t n;

	while ((n = hv_trace_ring_read(r, batch, 256)))
		fwrite(batch, sizeof(batch[0]), n, o->f);
}

static int trace_open(struct trace_out *o, struct hv_sim *sim,
		      unsigned int nr_cpus, const char *path)
{
	char start[4096];
	size_t n = hv_trace_file_start(start, sizeof(start), "sim", nr_cpus);

	o->sim = sim;
	o->f = fopen(path, "wb");
	if (!o->f || !n || fwrite(start, 1, n, o->f) != n)
		return -1;
	o->t = (struct hv_trace){.rings = o->rings,
				 .nr_rings = nr_cpus,
				 .now = trace_now,
				 .drain = trace_drain,
				 .ctx = o};
	for (unsigned int i = 0; i < nr_cpus; i++)
		if (hv_trace_ring_init(
			&o->rings[i],
			calloc(TRACE_RECORDS, sizeof(struct hv_trace_record)),
			TRACE_RECORDS, (uint16_t)i))
			return -1;
	hv_sim_set_hv_trace(sim, &o->t);
	return 0;
}

static int trace_close(struct trace_out *o)
{
	for (unsigned int i = 0; i < o->t.nr_rings; i++) {
		trace_drain(&o->t, &o->rings[i]);
		free(o->rings[i].records);
	}
	return fclose(o->f);
}

int main(int argc, char **argv)
{
	struct hv_sim_config cfg = {&hv_sched_credit2, 4, 1, 2, NULL, 1};
	long seconds = argc > 3 ? atol(argv[3]) : 10;
	static char report[1 << 16];
	static struct trace_out trace;
	struct hv_sim *sim;

	if (argc > 1)
		cfg.policy = policy_named(argv[1]);
	if (argc > 2)
		cfg.nr_cpus = (unsigned int)atoi(argv[2]);
	if (!cfg.policy || seconds <= 0) {
		fprintf(stderr,
			"usage: %s [null|credit|credit2|rtds|arinc653 "
			"[pcpus [seconds [trace-file]]]]\n",
			argv[0]);
		return 2;
	}
	sim = hv_sim_create(&cfg);
	if (!sim || populate(sim)) {
		fprintf(stderr, "%s: cannot set up the simulation\n", argv[0]);
		return 1;
	}
	if (argc > 4 && trace_open(&trace, sim, cfg.nr_cpus, argv[4])) {
		fprintf(stderr, "%s: cannot write the trace to %s\n", argv[0],
			argv[4]);
		return 1;
	}
	hv_sim_run(sim, HV_SEC(seconds));
	if (argc > 4 && trace_close(&trace)) {
		fprintf(stderr, "%s: cannot write the trace to %s\n", argv[0],
			argv[4]);
		return 1;
	}
	hv_sim_report(sim, report, sizeof(report));
	fputs(report, stdout);
	hv_sim_destroy(sim);
	return 0;
}
