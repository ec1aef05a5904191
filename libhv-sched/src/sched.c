/*
 * The machine: pCPUs, topology, kicks, and the affinity helpers every
 * policy uses.
 */
#include "internal.h"

int hv_sched_init(struct hv_sched *s, struct hv_sched_pcpu *pcpus,
		  unsigned int nr_cpus, const struct hv_sched_ops *ops)
{
	if (!s || !pcpus || !ops || !ops->kick || nr_cpus == 0 ||
	    nr_cpus > HV_SCHED_MAX_CPUS)
		return -HV_EINVAL;

	memset(pcpus, 0, nr_cpus * sizeof(*pcpus));
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
		struct hv_sched_pcpu *pc = &pcpus[cpu];

		pc->sched = s;
		pc->id = cpu;
		pc->core = cpu;
		hv_spin_init(&pc->own_rq.lock);
		pc->own_rq.id = cpu;
		pc->rq = &pc->own_rq;
	}
	s->pcpus = pcpus;
	s->nr_cpus = nr_cpus;
	s->ops = *ops;
	return 0;
}

int hv_sched_cpu_set_topology(struct hv_sched *s, unsigned int cpu,
			      unsigned int socket, unsigned int core)
{
	if (!s || cpu >= s->nr_cpus)
		return -HV_EINVAL;
	if (s->pcpus[cpu].pool)
		return -HV_EBUSY;
	s->pcpus[cpu].socket = socket;
	s->pcpus[cpu].core = core;
	return 0;
}

void hv_sched_kick(struct hv_sched_pool *pool, unsigned int cpu)
{
	pool->sched->ops.kick(pool->sched->ops.opaque, cpu);
}

bool hv_sched_unit_allowed(struct hv_sched_pool *pool,
			   const struct hv_sched_unit *u, unsigned int cpu)
{
	return hv_sched_cpumask_test(&pool->cpus, cpu) &&
	       hv_sched_cpumask_test(&u->hard, cpu);
}

bool hv_sched_unit_has_soft(struct hv_sched_pool *pool,
			    const struct hv_sched_unit *u)
{
	struct hv_sched_cpumask eff, soft;

	hv_bitmap_and(eff.bits, pool->cpus.bits, u->hard.bits,
		      HV_SCHED_MAX_CPUS);
	hv_bitmap_and(soft.bits, eff.bits, u->soft.bits, HV_SCHED_MAX_CPUS);
	return !hv_bitmap_empty(soft.bits, HV_SCHED_MAX_CPUS) &&
	       !hv_bitmap_equal(soft.bits, eff.bits, HV_SCHED_MAX_CPUS);
}

bool hv_sched_unit_prefers(struct hv_sched_pool *pool,
			   const struct hv_sched_unit *u, unsigned int cpu)
{
	if (!hv_sched_unit_allowed(pool, u, cpu))
		return false;
	return !hv_sched_unit_has_soft(pool, u) ||
	       hv_sched_cpumask_test(&u->soft, cpu);
}

unsigned int hv_sched_pool_first_cpu(const struct hv_sched_pool *pool)
{
	return (unsigned int)hv_bitmap_find_first_set(pool->cpus.bits,
						      HV_SCHED_MAX_CPUS);
}

unsigned int hv_sched_pool_next_cpu(const struct hv_sched_pool *pool,
				    unsigned int cpu)
{
	return (unsigned int)hv_bitmap_find_next_set(
	    pool->cpus.bits, HV_SCHED_MAX_CPUS, (size_t)cpu + 1);
}

unsigned int hv_sched_find_cpu(struct hv_sched_pool *pool,
			       const struct hv_sched_unit *u, unsigned int from,
			       bool soft, hv_sched_cpu_ok_fn ok, void *arg)
{
	struct hv_sched_cpumask m;
	size_t cpu;

	hv_bitmap_and(m.bits, pool->cpus.bits, u->hard.bits, HV_SCHED_MAX_CPUS);
	if (soft)
		hv_bitmap_and(m.bits, m.bits, u->soft.bits, HV_SCHED_MAX_CPUS);
	if (from >= HV_SCHED_MAX_CPUS)
		from = 0;
	/* Two passes: [from, end), then [0, from). */
	for (int pass = 0; pass < 2; pass++) {
		size_t end = pass ? from : HV_SCHED_MAX_CPUS;

		cpu = hv_bitmap_find_next_set(m.bits, HV_SCHED_MAX_CPUS,
					      pass ? 0 : from);
		for (; cpu < end; cpu = hv_bitmap_find_next_set(
				      m.bits, HV_SCHED_MAX_CPUS, cpu + 1)) {
			if (!ok || ok(pool, (unsigned int)cpu, arg))
				return (unsigned int)cpu;
		}
	}
	return HV_SCHED_MAX_CPUS;
}

unsigned int sched_first_allowed(struct hv_sched_pool *pool,
				 const struct hv_sched_unit *u)
{
	return hv_sched_find_cpu(pool, u, 0, false, NULL, NULL);
}

uint64_t hv_sched_muldiv(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t prod, q, r, rb;

	if (c == 0)
		return UINT64_MAX;
	if (!__builtin_mul_overflow(a, b, &prod))
		return prod / c;
	/* a * b / c == (a / c) * b + (a % c) * b / c */
	q = a / c;
	r = a % c;
	if (__builtin_mul_overflow(q, b, &prod) ||
	    __builtin_mul_overflow(r, b, &rb))
		return UINT64_MAX;
	if (prod > UINT64_MAX - rb / c)
		return UINT64_MAX;
	return prod + rb / c;
}

int hv_sched_check_weight_cap(struct hv_sched_pool *pool,
			      const struct hv_sched_dom *d,
			      const struct hv_sched_params *p)
{
	unsigned int units = d->nr_units ? d->nr_units : 1;

	if (p->weight < 1 || p->weight > 65535) {
		hv_log_warn(hv_sched_log(pool),
			    "sched %s: dom %u: weight %u out of range 1..65535",
			    pool->policy->name, d->domid, p->weight);
		return -HV_EINVAL;
	}
	if (p->cap > 100u * units) {
		hv_log_warn(hv_sched_log(pool),
			    "sched %s: dom %u: cap %u%% above 100%% x %u units",
			    pool->policy->name, d->domid, p->cap, units);
		return -HV_EINVAL;
	}
	return 0;
}

int hv_sched_check_ratelimit(struct hv_sched_pool *pool, hv_time_t ratelimit)
{
	if (ratelimit == 0 || (ratelimit >= HV_SCHED_RATELIMIT_MIN &&
			       ratelimit <= HV_SCHED_RATELIMIT_MAX))
		return 0;
	hv_log_warn(hv_sched_log(pool),
		    "sched %s: ratelimit %lld ns not 0 or 100 us .. 500 ms",
		    pool->policy->name, (long long)ratelimit);
	return -HV_EINVAL;
}
