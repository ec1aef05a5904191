/*
 * The null policy (Xen's sched_null): each unit is assigned one pCPU and
 * is the only unit that pCPU ever runs; there is no time sharing.  Units
 * that find no free pCPU in their affinity wait, in FIFO order, until one
 * is freed.  An asleep unit keeps its pCPU, which idles meanwhile.
 *
 * The whole pool shares one runqueue lock: assignments are rare, and a
 * decision is O(1) (run your unit or idle).
 */
#include <hv/error.h>
#include <hv/sched_impl.h>
#include <hv/string.h>

#define NO_CPU HV_SCHED_MAX_CPUS

struct null_unit {
	struct hv_list wait_node; /* on the waitqueue while waiting */
	unsigned int assigned;	  /* pCPU, or NO_CPU */
};

struct null_pcpu {
	struct hv_sched_unit *assigned;
};

struct null_runq {
	struct hv_list waitq; /* units without a pCPU, FIFO */
};

HV_STATIC_ASSERT(sizeof(struct null_unit) <=
		     sizeof(((struct hv_sched_unit *)0)->priv),
		 "null unit data");

static struct null_unit *nu(struct hv_sched_unit *u)
{
	return hv_sched_unit_priv(u);
}

static struct null_pcpu *npc(struct hv_sched_pool *pool, unsigned int cpu)
{
	return hv_sched_pcpu_priv(hv_sched_pcpu_of(pool, cpu));
}

static struct null_runq *nrq(struct hv_sched_pool *pool)
{
	unsigned int first = hv_sched_pool_first_cpu(pool);

	return hv_sched_runq_priv(hv_sched_pcpu_of(pool, first)->rq);
}

static void null_pool_setup(struct hv_sched_pool *pool)
{
	unsigned int first = hv_sched_pool_first_cpu(pool);
	struct hv_sched_runq *rq;

	if (first >= HV_SCHED_MAX_CPUS)
		return;
	rq = &hv_sched_pcpu_of(pool, first)->own_rq;
	for (unsigned int c = first; c < HV_SCHED_MAX_CPUS;
	     c = hv_sched_pool_next_cpu(pool, c)) {
		hv_sched_pcpu_set_rq(hv_sched_pcpu_of(pool, c), rq);
		npc(pool, c)->assigned = NULL;
	}
	hv_list_init(&((struct null_runq *)hv_sched_runq_priv(rq))->waitq);
}

static bool cpu_free(struct hv_sched_pool *pool, unsigned int cpu, void *arg)
{
	(void)arg;
	return npc(pool, cpu)->assigned == NULL;
}

/* A free pCPU for u, soft affinity first; NO_CPU if none. */
static unsigned int free_cpu_for(struct hv_sched_pool *pool,
				 struct hv_sched_unit *u)
{
	unsigned int cpu = NO_CPU;

	if (hv_sched_unit_has_soft(pool, u))
		cpu = hv_sched_find_cpu(pool, u, u->cpu, true, cpu_free, NULL);
	if (cpu == NO_CPU)
		cpu = hv_sched_find_cpu(pool, u, u->cpu, false, cpu_free, NULL);
	return cpu;
}

static void assign(struct hv_sched_pool *pool, struct hv_sched_unit *u,
		   unsigned int cpu)
{
	npc(pool, cpu)->assigned = u;
	nu(u)->assigned = cpu;
	u->cpu = cpu;
	if (u->runnable)
		hv_sched_kick(pool, cpu);
}

/* Assign u a free pCPU, or queue it. */
static void assign_or_wait(struct hv_sched_pool *pool, struct hv_sched_unit *u)
{
	unsigned int cpu = free_cpu_for(pool, u);

	if (cpu != NO_CPU)
		assign(pool, u, cpu);
	else if (!hv_list_is_linked(&nu(u)->wait_node))
		hv_list_add_tail(&nrq(pool)->waitq, &nu(u)->wait_node);
}

/* cpu was freed: the first waiter allowed there gets it. */
static void give_away(struct hv_sched_pool *pool, unsigned int cpu)
{
	struct hv_list *pos;

	npc(pool, cpu)->assigned = NULL;
	hv_list_for_each (pos, &nrq(pool)->waitq) {
		struct null_unit *w =
		    hv_container_of(pos, struct null_unit, wait_node);
		struct hv_sched_unit *u = hv_sched_unit_of_priv(w);

		if (hv_sched_unit_allowed(pool, u, cpu)) {
			hv_list_del(&w->wait_node);
			assign(pool, u, cpu);
			return;
		}
	}
}

static void unassign(struct hv_sched_pool *pool, struct hv_sched_unit *u)
{
	unsigned int cpu = nu(u)->assigned;

	if (cpu == NO_CPU)
		return;
	nu(u)->assigned = NO_CPU;
	give_away(pool, cpu);
}

static void null_unit_insert(struct hv_sched_pool *pool,
			     struct hv_sched_unit *u)
{
	hv_list_init(&nu(u)->wait_node);
	nu(u)->assigned = NO_CPU;
	assign_or_wait(pool, u);
}

static void null_unit_remove(struct hv_sched_pool *pool,
			     struct hv_sched_unit *u)
{
	hv_list_del(&nu(u)->wait_node);
	unassign(pool, u);
}

static unsigned int null_pick_cpu(struct hv_sched_pool *pool,
				  struct hv_sched_unit *u, hv_time_t now)
{
	unsigned int cpu = nu(u)->assigned;

	(void)now;
	if (cpu != NO_CPU && hv_sched_unit_allowed(pool, u, cpu))
		return cpu;
	cpu = free_cpu_for(pool, u);
	if (cpu != NO_CPU)
		return cpu;
	return hv_sched_find_cpu(pool, u, u->cpu, false, NULL, NULL);
}

/* Should u leave its pCPU: no longer allowed, or outside its soft
 * affinity while a free pCPU inside it waits. */
static bool misplaced(struct hv_sched_pool *pool, struct hv_sched_unit *u,
		      unsigned int cpu)
{
	if (!hv_sched_unit_allowed(pool, u, cpu))
		return true;
	return !hv_sched_unit_prefers(pool, u, cpu) &&
	       hv_sched_find_cpu(pool, u, cpu, true, cpu_free, NULL) != NO_CPU;
}

static void null_wake(struct hv_sched_pool *pool, struct hv_sched_unit *u,
		      hv_time_t now, unsigned int flags)
{
	unsigned int cpu = nu(u)->assigned;

	(void)now;
	(void)flags;
	if (u->running)
		return;
	if (cpu != NO_CPU && misplaced(pool, u, cpu)) {
		unassign(pool, u);
		cpu = NO_CPU;
	}
	if (cpu == NO_CPU) {
		hv_list_del(&nu(u)->wait_node);
		assign_or_wait(pool, u);
		return;
	}
	u->cpu = cpu;
	hv_sched_kick(pool, cpu);
}

static void null_do_schedule(struct hv_sched_pool *pool,
			     struct hv_sched_pcpu *pc, hv_time_t now,
			     struct hv_sched_decision *d)
{
	struct hv_sched_unit *u = npc(pool, pc->id)->assigned;

	(void)now;
	d->unit = u && u->runnable ? u : NULL;
	d->until = HV_TIME_NEVER;
}

const struct hv_sched_policy hv_sched_null = {
    .name = "null",
    .unit_priv_size = sizeof(struct null_unit),
    .pcpu_priv_size = sizeof(struct null_pcpu),
    .runq_priv_size = sizeof(struct null_runq),
    .pool_setup = null_pool_setup,
    .unit_insert = null_unit_insert,
    .unit_remove = null_unit_remove,
    .pick_cpu = null_pick_cpu,
    .wake = null_wake,
    .do_schedule = null_do_schedule,
};
