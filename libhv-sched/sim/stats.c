/*
 * What a simulation measured, and a plain-text report of it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

static int time_cmp(const void *a, const void *b)
{
	hv_time_t x = *(const hv_time_t *)a, y = *(const hv_time_t *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile (pct in 1..100) of n sorted samples. */
static hv_time_t percentile(const hv_time_t *sorted, size_t n, unsigned pct)
{
	size_t rank = (n * pct + 99) / 100;

	return n ? sorted[rank ? rank - 1 : 0] : 0;
}

static void latencies(const struct sim_unit *u, struct hv_sim_unit_stats *o)
{
	hv_time_t *s;

	if (!u->nr_lat)
		return;
	s = malloc(u->nr_lat * sizeof(*s));
	if (!s)
		return;
	memcpy(s, u->lat, u->nr_lat * sizeof(*s));
	qsort(s, u->nr_lat, sizeof(*s), time_cmp);
	o->lat_p50 = percentile(s, u->nr_lat, 50);
	o->lat_p90 = percentile(s, u->nr_lat, 90);
	o->lat_p99 = percentile(s, u->nr_lat, 99);
	o->lat_max = s[u->nr_lat - 1];
	free(s);
}

int hv_sim_unit_stats(struct hv_sim *sim, int unit,
		      struct hv_sim_unit_stats *out)
{
	const struct sim_unit *u;

	if (!sim || !out || unit < 0 || unit >= sim->nr_units)
		return -HV_EINVAL;
	u = sim->units[unit];
	memset(out, 0, sizeof(*out));
	out->cpu_time = u->cpu_time;
	out->soft_time = u->soft_time;
	out->wakeups = u->wakeups;
	out->jobs = u->jobs;
	out->misses = u->misses;
	out->migrations = u->migrations;
	latencies(u, out);
	return 0;
}

int hv_sim_cpu_stats(struct hv_sim *sim, unsigned int cpu,
		     struct hv_sim_cpu_stats *out)
{
	if (!sim || !out || cpu >= sim->nr_cpus)
		return -HV_EINVAL;
	out->busy = sim->cpus[cpu].busy;
	out->nr_units = 0;
	for (int i = 0; i < sim->nr_units; i++)
		if (hv_sched_cpumask_test(&sim->units[i]->ran_on, cpu))
			out->nr_units++;
	return 0;
}

void hv_sim_stats(struct hv_sim *sim, struct hv_sim_stats *out)
{
	*out = sim->st;
}

static const char *kind_name(enum hv_sim_workload_kind k)
{
	switch (k) {
	case HV_SIM_CPU_BOUND:
		return "cpu";
	case HV_SIM_IO_BOUND:
		return "io";
	case HV_SIM_PERIODIC:
		return "rt";
	}
	return "?";
}

/* snprintf into what is left of buf; returns the length it needed. */
#define EMIT(...)                                                              \
	do {                                                                   \
		int n_ = snprintf(len < size ? buf + len : NULL,               \
				  len < size ? size - len : 0, __VA_ARGS__);   \
		len += n_ > 0 ? (size_t)n_ : 0;                                \
	} while (0)

int hv_sim_report(struct hv_sim *sim, char *buf, size_t size)
{
	hv_time_t el = sim->st.elapsed ? sim->st.elapsed : 1;
	size_t len = 0;

	EMIT("libhv-sched simulation: policy %s, %u pCPUs, %.3f s simulated\n",
	     hv_sched_pool_policy_name(&sim->pool), sim->nr_cpus,
	     (double)sim->st.elapsed / 1e9);
	EMIT("%6s %5s %4s %8s %9s %10s %10s %10s %7s %7s\n", "unit", "dom",
	     "kind", "cpu %", "wakeups", "p50 us", "p99 us", "max us", "misses",
	     "migr");
	for (int i = 0; i < sim->nr_units; i++) {
		struct hv_sim_unit_stats s;

		hv_sim_unit_stats(sim, i, &s);
		EMIT("%6d %5u %4s %8.2f %9llu %10.1f %10.1f %10.1f %7llu "
		     "%7llu\n",
		     i, sim->doms[sim->units[i]->dom]->sd.domid,
		     kind_name(sim->units[i]->w.kind),
		     100.0 * (double)s.cpu_time / (double)el,
		     (unsigned long long)s.wakeups, (double)s.lat_p50 / 1e3,
		     (double)s.lat_p99 / 1e3, (double)s.lat_max / 1e3,
		     (unsigned long long)s.misses,
		     (unsigned long long)s.migrations);
	}
	EMIT("decisions %llu, context switches %llu, migrations %llu, "
	     "deadline misses %llu, invariant violations %llu\n",
	     (unsigned long long)sim->st.decisions,
	     (unsigned long long)sim->st.context_switches,
	     (unsigned long long)sim->st.migrations,
	     (unsigned long long)sim->st.misses,
	     (unsigned long long)(sim->st.hard_violations +
				  sim->st.double_runs + sim->st.bad_decisions));
	return (int)len;
}
