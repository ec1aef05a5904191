/*
 * Simulator internals (host code: libc is fine here).
 */
#ifndef HV_SCHED_SIM_INTERNAL_H
#define HV_SCHED_SIM_INTERNAL_H

#include <hv/sched_sim.h>
#include <hv/timerq.h>

#define SIM_NO_CPU (-1)
/* A unit's state in the trace, as the core's enum hv_hyp_vcpu_state. */
#define SIM_STATE_RUNNABLE 1
#define SIM_STATE_BLOCKED  2
/* Decisions one pCPU may take at one instant before the simulator stops
 * honouring kicks there (a policy kicking itself for ever). */
#define SIM_MAX_DECISIONS_PER_INSTANT 1000

struct hv_sim;

struct sim_unit {
	struct hv_sched_unit su;
	struct hv_sim *sim;
	int index, dom;
	struct hv_sim_workload w;
	uint64_t rng;		    /* this unit's random stream */
	struct hv_timer wake_timer; /* next wakeup or job release */
	hv_time_t remaining;	    /* CPU left before it blocks, or NEVER */
	bool asleep;		    /* blocked, as the simulator sees it */
	bool waiting;		    /* woken, not yet run */
	hv_time_t wake_time;
	int cpu; /* pCPU running it, or SIM_NO_CPU */
	int last_cpu;
	struct hv_sched_cpumask ran_on;
	/* statistics */
	hv_time_t cpu_time, soft_time;
	uint64_t wakeups, jobs, misses, migrations;
	hv_time_t *lat; /* wakeup latency samples */
	size_t nr_lat, lat_cap;
};

struct sim_cpu {
	struct hv_sim *sim;
	unsigned int id;
	struct hv_timer sched_timer; /* the decision's `until` */
	struct hv_timer kick_timer;  /* a kick: decide now */
	struct hv_timer done_timer;  /* the running unit's burst ends */
	int cur;		     /* unit index, or SIM_NO_CPU */
	hv_time_t since;	     /* accounted up to here */
	hv_time_t busy;
	hv_time_t instant;	 /* time of the last decision ... */
	unsigned int at_instant; /* ... and how many were taken then */
};

struct sim_dom {
	struct hv_sched_dom sd;
	unsigned int nr_units;
	uint32_t weight, cap; /* as given, for the trace (0: defaults) */
};

struct hv_sim {
	struct hv_sched sched;
	struct hv_sched_pcpu *pcpus;
	struct hv_sched_pool pool;
	struct sim_cpu *cpus;
	unsigned int nr_cpus;
	struct hv_timerq q;
	hv_time_t now;
	uint64_t seed;
	struct sim_dom **doms;
	int nr_doms, doms_cap;
	struct sim_unit **units;
	int nr_units, units_cap;
	struct hv_sim_stats st;
	hv_sim_trace_fn trace;
	void *trace_opaque;
	struct hv_trace *hv_trace; /* hv_sim_set_hv_trace's, or NULL */
};

/* An event for hv_sim_set_hv_trace's trace, on pCPU cpu's ring. */
static inline void sim_hv_trace(struct hv_sim *sim, unsigned int cpu,
				uint16_t event, const struct sim_unit *u,
				uint32_t a2)
{
	hv_trace(sim->hv_trace, cpu, event, u ? u->su.dom->domid : 0,
		 u ? u->su.id : 0, a2, 0);
}

/* rand.c */
uint64_t sim_rand(uint64_t *state);
uint64_t sim_seed(uint64_t seed, uint64_t stream);
hv_time_t sim_draw(uint64_t *state, const struct hv_sim_dist *d);
bool sim_dist_valid(const struct hv_sim_dist *d);

/* run.c */
void sim_kick(void *opaque, unsigned int cpu);
void sim_cpu_timers_init(struct sim_cpu *c);
void sim_unit_timer_init(struct sim_unit *u);
void sim_unit_start(struct sim_unit *u);

#endif /* HV_SCHED_SIM_INTERNAL_H */
