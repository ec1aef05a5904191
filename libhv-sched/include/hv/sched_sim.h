/*
 * hv/sched_sim.h - a deterministic discrete-event simulator for
 * libhv-sched (host only: library libhv-sched-sim, dependency
 * hv_sched_sim_dep).
 *
 * A simulation is one pool of pCPUs running one policy, domains with
 * parameters, and units driven by workload models: CPU-bound, I/O-bound
 * (CPU bursts and sleeps drawn from distributions) and periodic real-time
 * jobs with deadlines.  Simulated time advances from event to event
 * (decisions, kicks, burst ends, wakeups), in insertion order among equal
 * times, and every random draw comes from the simulator's own generator
 * seeded by the configuration: the same configuration gives the same run,
 * bit for bit.  Context switches cost nothing.
 *
 * The pool, domains and units are real libhv-sched objects: a test may
 * set affinities, parameters or an ARINC653 schedule on them directly.
 * Functions returning int return 0 (or an index) on success and a negative
 * -HV_E* value on failure.
 */
#ifndef HV_SCHED_SIM_H
#define HV_SCHED_SIM_H

#include <hv/sched.h>
#include <hv/trace.h>

HV_BEGIN_DECLS

struct hv_sim; /* opaque */

/* A random duration: CONST a; UNIFORM in [a, b]; EXP with mean a, cut at
 * b (b == 0: no cut). */
enum hv_sim_dist_kind {
	HV_SIM_CONST = 0,
	HV_SIM_UNIFORM = 1,
	HV_SIM_EXP = 2,
};

/* A random duration (as above). */
struct hv_sim_dist {
	enum hv_sim_dist_kind kind;
	hv_time_t a, b; /* ns */
};

/* What a unit does when it runs. */
enum hv_sim_workload_kind {
	HV_SIM_CPU_BOUND = 0, /* always runnable */
	HV_SIM_IO_BOUND = 1,  /* a burst of CPU, then a sleep, repeated */
	HV_SIM_PERIODIC = 2,  /* a job of `work` ns every `period` ns */
};

/* A unit's workload: its kind and that kind's figures. */
struct hv_sim_workload {
	enum hv_sim_workload_kind kind;
	hv_time_t start;	  /* first wakeup (PERIODIC: first release) */
	struct hv_sim_dist burst; /* IO_BOUND: CPU time per wakeup */
	struct hv_sim_dist sleep; /* IO_BOUND: time asleep between bursts */
	/*
	 * PERIODIC: jobs are released at start + k * period and must finish
	 * by the next release.  A job still unfinished then is a deadline
	 * miss, and is replaced by the new job.
	 */
	hv_time_t period;
	hv_time_t work;
};

/* The simulated machine and the policy that schedules it. */
struct hv_sim_config {
	const struct hv_sched_policy *policy;
	unsigned int nr_cpus;	       /* 1..HV_SCHED_MAX_CPUS */
	unsigned int cpus_per_core;    /* topology; 0 means 1 */
	unsigned int cores_per_socket; /* 0: one socket */
	/* Pool parameters; NULL: the defaults. */
	const struct hv_sched_pool_params *pool_params;
	uint64_t seed; /* the same seed, the same run */
};

/* A new simulation at time 0, or NULL (bad configuration, no memory). */
struct hv_sim *hv_sim_create(const struct hv_sim_config *cfg);
void hv_sim_destroy(struct hv_sim *sim);

/*
 * Add a domain (params NULL: the policy's defaults); returns its index.
 * Add a unit to domain `dom` (an index) with a workload; returns its
 * index.  Units are created with every pCPU in both affinities.
 */
int hv_sim_add_domain(struct hv_sim *sim, hv_domid_t domid,
		      const struct hv_sched_params *params);
int hv_sim_add_unit(struct hv_sim *sim, int dom,
		    const struct hv_sim_workload *w);

/* The simulation's pool, domain `dom` and unit `unit` (indexes; NULL if
 * none), to set policy parameters on; and its clock (ns). */
struct hv_sched_pool *hv_sim_pool(struct hv_sim *sim);
struct hv_sched_dom *hv_sim_dom(struct hv_sim *sim, int dom);
struct hv_sched_unit *hv_sim_unit(struct hv_sim *sim, int unit);
hv_time_t hv_sim_now(const struct hv_sim *sim);

/* Advance simulated time by `duration` ns.  Returns 0 or -HV_EINVAL. */
int hv_sim_run(struct hv_sim *sim, hv_time_t duration);

/* Called at every decision: pCPU `cpu` runs `unit` (an index; -1: idle)
 * from `now` until at most `until`. */
typedef void (*hv_sim_trace_fn)(void *opaque, unsigned int cpu, hv_time_t now,
				int unit, hv_time_t until);
void hv_sim_set_trace(struct hv_sim *sim, hv_sim_trace_fn fn, void *opaque);

/*
 * Record the run as an image's core does (hv/trace.h), so that `hvkit
 * trace` reads a simulation as it reads an image: DOMAIN_CREATE for each
 * domain (its domid, units, weight, cap) when this is called, then
 * VCPU_RUN/VCPU_STOP for each unit a pCPU takes and leaves (dom = domid,
 * vcpu = the unit's number in its domain), VCPU_STATE 1 and 2 for wakes
 * and blocks, PCPU_IDLE; on ring `cpu` for pCPU cpu (t has nr_cpus
 * rings), at simulated time (t->now should give hv_sim_now()).  Call it
 * after the domains and units are added; NULL stops recording.
 */
void hv_sim_set_hv_trace(struct hv_sim *sim, struct hv_trace *t);

/* What one unit got (hv_sim_unit_stats). */
struct hv_sim_unit_stats {
	hv_time_t cpu_time;  /* ns run */
	hv_time_t soft_time; /* ns run on pCPUs of its soft affinity */
	uint64_t wakeups;
	/* Wakeup latency (wake to first run), ns; 0 without wakeups. */
	hv_time_t lat_p50, lat_p90, lat_p99, lat_max;
	uint64_t jobs, misses; /* PERIODIC: released, missed deadlines */
	uint64_t migrations;   /* runs started on another pCPU than the last */
};

/* The whole run (hv_sim_stats). */
struct hv_sim_stats {
	hv_time_t elapsed;	   /* simulated ns */
	uint64_t decisions;	   /* hv_sched_do_schedule calls */
	uint64_t context_switches; /* a pCPU changed what it runs */
	uint64_t migrations;
	uint64_t kicks;
	uint64_t misses;
	/* Invariant checks, all 0 unless a policy is broken: */
	uint64_t hard_violations; /* ran outside its hard affinity */
	uint64_t double_runs;	  /* ran on two pCPUs at once */
	uint64_t bad_decisions;	  /* an asleep unit, or until <= now */
};

/* What one pCPU did (hv_sim_cpu_stats). */
struct hv_sim_cpu_stats {
	hv_time_t busy;	       /* ns running a unit */
	unsigned int nr_units; /* distinct units it has run */
};

/* The figures so far of unit `unit` or pCPU `cpu` (0, or -HV_EINVAL for
 * one that does not exist), and of the whole run. */
int hv_sim_unit_stats(struct hv_sim *sim, int unit,
		      struct hv_sim_unit_stats *out);
int hv_sim_cpu_stats(struct hv_sim *sim, unsigned int cpu,
		     struct hv_sim_cpu_stats *out);
void hv_sim_stats(struct hv_sim *sim, struct hv_sim_stats *out);

/*
 * A plain-text report (one line per unit: CPU share, wakeup latency,
 * deadline misses, migrations; then the totals) into buf, as snprintf:
 * returns the length the whole report needs.
 */
int hv_sim_report(struct hv_sim *sim, char *buf, size_t size);

HV_END_DECLS

#endif /* HV_SCHED_SIM_H */
