/*
 * Simulations: one pool, its domains and units.
 */
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"

static void set_topology(struct hv_sim *sim, const struct hv_sim_config *cfg)
{
	unsigned int per_core = cfg->cpus_per_core ? cfg->cpus_per_core : 1;
	unsigned int per_socket = cfg->cores_per_socket
				      ? cfg->cores_per_socket * per_core
				      : cfg->nr_cpus;

	for (unsigned int i = 0; i < cfg->nr_cpus; i++)
		hv_sched_cpu_set_topology(&sim->sched, i, i / per_socket,
					  i / per_core);
}

static int setup(struct hv_sim *sim, const struct hv_sim_config *cfg)
{
	struct hv_sched_ops ops = {sim_kick, sim, NULL};
	int rc;

	rc = hv_sched_init(&sim->sched, sim->pcpus, cfg->nr_cpus, &ops);
	if (rc)
		return rc;
	set_topology(sim, cfg);
	rc = hv_sched_pool_init(&sim->sched, &sim->pool, cfg->policy);
	if (rc)
		return rc;
	if (cfg->pool_params) {
		rc = hv_sched_pool_set_params(&sim->pool, cfg->pool_params);
		if (rc)
			return rc;
	}
	for (unsigned int i = 0; i < cfg->nr_cpus; i++) {
		struct sim_cpu *c = &sim->cpus[i];

		c->sim = sim;
		c->id = i;
		c->cur = SIM_NO_CPU;
		c->instant = -1;
		sim_cpu_timers_init(c);
		rc = hv_sched_pool_add_cpu(&sim->pool, i);
		if (rc)
			return rc;
	}
	return 0;
}

struct hv_sim *hv_sim_create(const struct hv_sim_config *cfg)
{
	struct hv_sim *sim;

	if (!cfg || !cfg->policy || cfg->nr_cpus == 0 ||
	    cfg->nr_cpus > HV_SCHED_MAX_CPUS)
		return NULL;
	sim = calloc(1, sizeof(*sim));
	if (!sim)
		return NULL;
	sim->pcpus = calloc(cfg->nr_cpus, sizeof(*sim->pcpus));
	sim->cpus = calloc(cfg->nr_cpus, sizeof(*sim->cpus));
	sim->nr_cpus = cfg->nr_cpus;
	sim->seed = cfg->seed;
	hv_timerq_init(&sim->q);
	if (!sim->pcpus || !sim->cpus || setup(sim, cfg)) {
		hv_sim_destroy(sim);
		return NULL;
	}
	return sim;
}

void hv_sim_destroy(struct hv_sim *sim)
{
	if (!sim)
		return;
	for (int i = 0; i < sim->nr_units; i++) {
		free(sim->units[i]->lat);
		free(sim->units[i]);
	}
	for (int i = 0; i < sim->nr_doms; i++)
		free(sim->doms[i]);
	free(sim->units);
	free(sim->doms);
	free(sim->cpus);
	free(sim->pcpus);
	free(sim);
}

/* Make room for one more pointer in *arr. */
static int grow(void ***arr, int n, int *cap)
{
	void **p;

	if (n < *cap)
		return 0;
	p = realloc(*arr, (size_t)(*cap ? 2 * *cap : 16) * sizeof(*p));
	if (!p)
		return -HV_ENOMEM;
	*arr = p;
	*cap = *cap ? 2 * *cap : 16;
	return 0;
}

int hv_sim_add_domain(struct hv_sim *sim, hv_domid_t domid,
		      const struct hv_sched_params *params)
{
	struct sim_dom *d;
	int rc;

	if (!sim)
		return -HV_EINVAL;
	rc = grow((void ***)&sim->doms, sim->nr_doms, &sim->doms_cap);
	if (rc)
		return rc;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -HV_ENOMEM;
	rc = hv_sched_dom_init(&sim->pool, &d->sd, domid);
	if (!rc && params) {
		rc = hv_sched_dom_set_params(&d->sd, params);
		if (rc)
			hv_sched_dom_destroy(&d->sd);
		d->weight = params->weight;
		d->cap = params->cap;
	}
	if (rc) {
		free(d);
		return rc;
	}
	sim->doms[sim->nr_doms] = d;
	return sim->nr_doms++;
}

static bool workload_valid(const struct hv_sim_workload *w)
{
	if (w->start < 0)
		return false;
	switch (w->kind) {
	case HV_SIM_CPU_BOUND:
		return true;
	case HV_SIM_IO_BOUND:
		return sim_dist_valid(&w->burst) && sim_dist_valid(&w->sleep);
	case HV_SIM_PERIODIC:
		return w->period > 0 && w->work > 0;
	}
	return false;
}

int hv_sim_add_unit(struct hv_sim *sim, int dom,
		    const struct hv_sim_workload *w)
{
	struct sim_unit *u;
	struct sim_dom *d;
	int rc;

	if (!sim || dom < 0 || dom >= sim->nr_doms || !w || !workload_valid(w))
		return -HV_EINVAL;
	rc = grow((void ***)&sim->units, sim->nr_units, &sim->units_cap);
	if (rc)
		return rc;
	u = calloc(1, sizeof(*u));
	if (!u)
		return -HV_ENOMEM;
	d = sim->doms[dom];
	rc = hv_sched_unit_init(&d->sd, &u->su, d->nr_units);
	if (rc) {
		free(u);
		return rc;
	}
	d->nr_units++;
	u->sim = sim;
	u->index = sim->nr_units;
	u->dom = dom;
	u->w = *w;
	u->rng = sim_seed(sim->seed, (uint64_t)u->index);
	u->cpu = u->last_cpu = SIM_NO_CPU;
	sim_unit_timer_init(u);
	sim->units[sim->nr_units++] = u;
	sim_unit_start(u);
	return u->index;
}

struct hv_sched_pool *hv_sim_pool(struct hv_sim *sim)
{
	return &sim->pool;
}

struct hv_sched_dom *hv_sim_dom(struct hv_sim *sim, int dom)
{
	return dom >= 0 && dom < sim->nr_doms ? &sim->doms[dom]->sd : NULL;
}

struct hv_sched_unit *hv_sim_unit(struct hv_sim *sim, int unit)
{
	return unit >= 0 && unit < sim->nr_units ? &sim->units[unit]->su : NULL;
}

hv_time_t hv_sim_now(const struct hv_sim *sim)
{
	return sim->now;
}

void hv_sim_set_hv_trace(struct hv_sim *sim, struct hv_trace *t)
{
	sim->hv_trace = t;
	for (int i = 0; t && i < sim->nr_doms; i++) {
		const struct sim_dom *d = sim->doms[i];

		hv_trace(t, 0, HV_TRACE_DOMAIN_CREATE, d->sd.domid, d->nr_units,
			 d->weight, d->cap);
	}
}

void hv_sim_set_trace(struct hv_sim *sim, hv_sim_trace_fn fn, void *opaque)
{
	sim->trace = fn;
	sim->trace_opaque = opaque;
}
