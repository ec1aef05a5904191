/*
 * The library called from several threads at once, as pCPUs of an SMP
 * image: each thread decides for its pCPU, blocks or yields its unit now
 * and then, and between decisions wakes, sleeps, re-pins units or changes
 * parameters, as hypercalls on that pCPU would.  Checked: a
 * unit is never given to a pCPU while another pCPU still holds it (has
 * not started a decision since it was given the unit), and afterwards the
 * state is consistent enough to tear everything down.  Deterministic in
 * what it asserts, whatever the interleaving.
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util.h"

#define CPUS	      2
#define NR_DOMS	      3
#define UNITS_PER_DOM 2
#define NR_UNITS      (NR_DOMS * UNITS_PER_DOM)
#define DECISIONS     4000
#define NO_OWNER      UINT32_MAX

struct smp {
	struct hv_sched s;
	struct hv_sched_pcpu pcpus[CPUS];
	struct hv_sched_pool pool;
	struct hv_sched_dom doms[NR_DOMS];
	struct hv_sched_unit units[NR_UNITS];
	uint64_t clock;		     /* ns, shared by every thread */
	uint32_t owner[NR_UNITS];    /* pCPU holding the unit */
	uint64_t calls[CPUS];	     /* decisions started */
	uint64_t held[CPUS];	     /* decision after which cur was held */
	uint32_t last_cpu[NR_UNITS]; /* who ran it last */
	uint32_t violations;
	uint64_t busy, moves; /* decisions giving a unit; pCPU changes */
	uint32_t ready;	      /* threads at the start line */
};

struct cpu_arg {
	struct smp *m;
	unsigned int cpu;
};

static hv_time_t now_of(struct smp *m)
{
	return (hv_time_t)hv_atomic_fetch_add_u64(&m->clock, HV_USEC(10));
}

static void smp_kick(void *opaque, unsigned int cpu)
{
	/* The pCPU threads decide in a loop anyway. */
	(void)opaque;
	(void)cpu;
}

static int index_of(struct smp *m, struct hv_sched_unit *u)
{
	return u ? (int)(u - m->units) : -1;
}

/*
 * Take unit i for cpu.  A holder that has not started a decision since it
 * got the unit still runs it: that is a violation.  A holder inside a
 * decision may be switching away: wait for it to let go.
 */
static void acquire(struct smp *m, int i, unsigned int cpu)
{
	for (;;) {
		uint32_t b = NO_OWNER;
		uint64_t held, calls;

		if (hv_atomic_cmpxchg_u32(&m->owner[i], &b, cpu)) {
			if (hv_atomic_xchg_u32(&m->last_cpu[i], cpu) != cpu)
				hv_atomic_fetch_add_u64(&m->moves, 1);
			return;
		}
		held = hv_atomic_load_u64(&m->held[b]);
		calls = hv_atomic_load_u64(&m->calls[b]);
		if (held == calls && hv_atomic_load_u32(&m->owner[i]) == b) {
			hv_atomic_fetch_add_u32(&m->violations, 1);
			return;
		}
		/* The holder may be off its core (more threads than
		 * cores): let it run. */
		sched_yield();
	}
}

static void change(struct smp *m, uint64_t *seed)
{
	struct hv_sched_cpumask hard;
	struct hv_sched_params p;
	unsigned int r, i;

	*seed = *seed * UINT64_C(6364136223846793005) + 1;
	r = (unsigned int)(*seed >> 33);
	i = r % NR_UNITS;
	switch ((r / NR_UNITS) % 5) {
	case 0:
	case 1:
		hv_sched_wake(&m->units[i], now_of(m));
		break;
	case 2:
		hv_sched_sleep(&m->units[i], now_of(m));
		break;
	case 3:
		hv_sched_cpumask_zero(&hard);
		hv_sched_cpumask_set(&hard, (r >> 8) % CPUS);
		if (r & 0x10000)
			hv_sched_cpumask_set(&hard, ((r >> 8) + 1) % CPUS);
		hv_sched_unit_set_affinity(&m->units[i], &hard, NULL,
					   now_of(m));
		break;
	default:
		hv_sched_dom_get_params(&m->doms[i % NR_DOMS], &p);
		p.weight = 1 + r % 1000;
		p.cap = r % 3 ? 0 : 50;
		p.budget = HV_MSEC(1) + HV_USEC(r % 2000);
		hv_sched_dom_set_params(&m->doms[i % NR_DOMS], &p);
		break;
	}
}

/* One pCPU: decide, now and then halt or yield the guest, and in between
 * change something, as another pCPU's hypercalls would. */
static void *cpu_thread(void *p)
{
	struct cpu_arg *a = p;
	struct smp *m = a->m;
	uint64_t seed = a->cpu + 1;
	int cur = -1;

	/* Start together, so that the threads really overlap. */
	hv_atomic_fetch_add_u32(&m->ready, 1);
	while (hv_atomic_load_u32(&m->ready) < CPUS)
		sched_yield();
	for (unsigned int n = 0; n < DECISIONS; n++) {
		struct hv_sched_decision d;
		uint64_t k = hv_atomic_fetch_add_u64(&m->calls[a->cpu], 1) + 1;
		int next;

		hv_sched_do_schedule(&m->s, a->cpu, now_of(m), &d);
		next = index_of(m, d.unit);
		if (next != cur) {
			if (cur >= 0)
				hv_atomic_store_u32(&m->owner[cur], NO_OWNER);
			if (next >= 0)
				acquire(m, next, a->cpu);
			cur = next;
		}
		hv_atomic_store_u64(&m->held[a->cpu], k);
		if (cur >= 0)
			hv_atomic_fetch_add_u64(&m->busy, 1);
		if (cur >= 0 && n % 7 == 0)
			hv_sched_block(&m->units[cur], now_of(m));
		else if (cur >= 0 && n % 11 == 0)
			hv_sched_yield(&m->units[cur], now_of(m));
		change(m, &seed);
	}
	return NULL;
}

static void setup(struct smp *m, const struct hv_sched_policy *policy)
{
	struct hv_sched_ops ops = {smp_kick, m, NULL};
	static const struct hv_sched_a653_frame frames[NR_DOMS] = {
	    {1, HV_MSEC(1)}, {2, HV_MSEC(1)}, {3, HV_MSEC(1)}};

	memset(m, 0, sizeof(*m));
	for (int i = 0; i < NR_UNITS; i++)
		m->owner[i] = m->last_cpu[i] = NO_OWNER;
	assert_int_equal(hv_sched_init(&m->s, m->pcpus, CPUS, &ops), 0);
	assert_int_equal(hv_sched_pool_init(&m->s, &m->pool, policy), 0);
	for (unsigned int c = 0; c < CPUS; c++)
		assert_int_equal(hv_sched_pool_add_cpu(&m->pool, c), 0);
	for (int d = 0; d < NR_DOMS; d++) {
		assert_int_equal(hv_sched_dom_init(&m->pool, &m->doms[d],
						   (hv_domid_t)(d + 1)),
				 0);
		for (int u = 0; u < UNITS_PER_DOM; u++)
			assert_int_equal(
			    hv_sched_unit_init(&m->doms[d],
					       &m->units[d * UNITS_PER_DOM + u],
					       (hv_vcpuid_t)u),
			    0);
	}
	if (policy == &hv_sched_arinc653)
		assert_int_equal(hv_sched_arinc653_set_schedule(
				     &m->pool, frames, NR_DOMS, HV_MSEC(3), 0),
				 0);
}

/* Everything asleep, every pCPU idle, everything can be torn down. */
static void teardown_checked(struct smp *m)
{
	struct hv_sched_decision d;
	hv_time_t t = (hv_time_t)m->clock;

	for (int i = 0; i < NR_UNITS; i++)
		assert_int_equal(hv_sched_sleep(&m->units[i], t), 0);
	for (unsigned int c = 0; c < CPUS; c++) {
		assert_int_equal(hv_sched_do_schedule(&m->s, c, t, &d), 0);
		assert_null(d.unit);
	}
	for (int i = 0; i < NR_UNITS; i++) {
		assert_int_equal(hv_sched_unit_state(&m->units[i]),
				 HV_SCHED_UNIT_ASLEEP);
		assert_int_equal(hv_sched_unit_destroy(&m->units[i]), 0);
	}
	for (int d2 = 0; d2 < NR_DOMS; d2++)
		assert_int_equal(hv_sched_dom_destroy(&m->doms[d2]), 0);
	for (unsigned int c = 0; c < CPUS; c++)
		assert_int_equal(hv_sched_pool_remove_cpu(&m->pool, c), 0);
	assert_int_equal(hv_sched_pool_destroy(&m->pool), 0);
}

static void hammer(const struct hv_sched_policy *policy)
{
	static struct smp m;
	pthread_t cpus[CPUS];
	struct cpu_arg args[CPUS];

	setup(&m, policy);
	for (unsigned int c = 0; c < CPUS; c++) {
		args[c].m = &m;
		args[c].cpu = c;
		assert_int_equal(
		    pthread_create(&cpus[c], NULL, cpu_thread, &args[c]), 0);
	}
	for (unsigned int c = 0; c < CPUS; c++)
		assert_int_equal(pthread_join(cpus[c], NULL), 0);
	assert_int_equal(m.violations, 0);
	/* It did run units, and moved them between pCPUs. */
	assert_true(m.busy > DECISIONS / 10);
	assert_true(m.moves > 0);
	teardown_checked(&m);
}

static void test_null(void **state)
{
	(void)state;
	hammer(&hv_sched_null);
}

static void test_credit(void **state)
{
	(void)state;
	hammer(&hv_sched_credit);
}

static void test_credit2(void **state)
{
	(void)state;
	hammer(&hv_sched_credit2);
}

static void test_rtds(void **state)
{
	(void)state;
	hammer(&hv_sched_rtds);
}

static void test_arinc653(void **state)
{
	(void)state;
	hammer(&hv_sched_arinc653);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_null),     cmocka_unit_test(test_credit),
	    cmocka_unit_test(test_credit2),  cmocka_unit_test(test_rtds),
	    cmocka_unit_test(test_arinc653),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
