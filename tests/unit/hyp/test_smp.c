/*
 * The core on several pCPUs, each running its loop on its own thread:
 * eight domains of two vCPUs each make hypercalls, yield and block on
 * timers; all finish with exactly their work done, vCPUs move between
 * pCPUs, and every frame comes back.  Run for both schedulers.  And the
 * start and end of the loops as an image has them: pCPUs in hv_hyp_run
 * before the domains exist, and the domains destroyed only once every
 * pCPU has left it.
 */
#include "fake_arch.h"

#include <hv/sched.h>

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xen/xen.h>

#define MIB	(1ull << 20)
#define DOMAINS 8
#define WORK	300 /* exits per vCPU */
#define PCPUS	4

static void guest(struct fake *f, struct hv_hyp_vcpu *v)
{
	struct fake_vcpu *fv = fake_vcpu(v);
	unsigned int n = fv->exits;

	if (n == 0 && v->id == 0)
		hv_hyp_vcpu_set_state(&v->dom->vcpus[1], HV_HYP_VCPU_RUNNABLE);
	fv->wake_at = HV_TIME_NEVER;
	/* Spin until every pCPU's thread runs, so that they all share the
	 * work however late a thread starts. */
	if (__atomic_load_n(&f->pcpus_active, __ATOMIC_RELAXED) !=
	    (1u << PCPUS) - 1) {
		fv->exits--; /* not work: the exit does not count */
		return;
	}
	if (n < WORK) {
		fv->scratch[0]++; /* work done, under the core's lock */
		if (n % 7 == 3) {
			fv->wake_at = f->now + HV_USEC(50);
			assert_int_equal(fake_hypercall(v,
							__HYPERVISOR_sched_op,
							SCHEDOP_block, 0, 0),
					 0);
		} else if (n % 5 == 0) {
			assert_int_equal(fake_hypercall(v,
							__HYPERVISOR_sched_op,
							SCHEDOP_yield, 0, 0),
					 0);
		} else {
			assert_true(fake_hypercall(v, __HYPERVISOR_xen_version,
						   XENVER_version, 0, 0) > 0);
		}
		return;
	}
	hv_hyp_vcpu_set_state(v, HV_HYP_VCPU_DOWN);
	if (v->dom->vcpus[0].state == HV_HYP_VCPU_DOWN &&
	    v->dom->vcpus[1].state == HV_HYP_VCPU_DOWN)
		assert_int_equal(fake_poweroff(v), 0);
}

/* Some work, then power off: any pCPU may run it alone. */
static void one_pcpu_guest(struct fake *f, struct hv_hyp_vcpu *v)
{
	(void)f;
	if (fake_vcpu(v)->exits == 10)
		assert_int_equal(fake_poweroff(v), 0);
}

static void check_smp(const struct hv_hyp_config *core)
{
	struct fake f;
	struct hv_boot_domain cfg;
	unsigned int migrated = 0;

	fake_init(&f, FAKE_ARM, 32768, PCPUS, core, guest);
	for (hv_domid_t i = 0; i < DOMAINS; i++) {
		char name[8];

		snprintf(name, sizeof(name), "d%u", i);
		fake_domain_config(&cfg, name, 4 * MIB, 2);
		fake_domain(&f, &cfg, i);
	}
	assert_int_equal(fake_run(&f), 0);
	for (hv_domid_t i = 0; i < DOMAINS; i++) {
		struct hv_hyp_domain *d = hv_hyp_domain_get(&f.hyp, i);

		assert_int_equal(d->xen.shutdown_reason, SHUTDOWN_poweroff);
		for (unsigned int j = 0; j < 2; j++) {
			struct fake_vcpu *fv = fake_vcpu(&d->vcpus[j]);

			assert_int_equal(fv->scratch[0], WORK);
			migrated += __builtin_popcount(fv->pcpus_seen) > 1;
		}
	}
	print_message("%u of %u vCPUs ran on more than one pCPU\n", migrated,
		      2 * DOMAINS);
	assert_true(migrated > 0);
	fake_fini(&f);
}

static void round_robin_on_four_pcpus(void **state)
{
	struct hv_hyp_config rr = {.timeslice = HV_USEC(20)};

	(void)state;
	check_smp(&rr);
}

static void credit2_on_four_pcpus(void **state)
{
	static const struct hv_hyp_scheduler credit2 =
	    HV_HYP_LIBHV_SCHEDULER(&hv_sched_credit2);
	struct hv_hyp_config c2 = {.scheduler = &credit2};

	(void)state;
	check_smp(&c2);
}

struct pcpu_thread {
	struct fake *f;
	unsigned int cpu;
	int status;
	pthread_t thread;
};

static void *pcpu_main(void *arg)
{
	struct pcpu_thread *t = arg;

	t->status = hv_hyp_run(&t->f->hyp, t->cpu);
	return NULL;
}

static void pcpu_thread_start(struct pcpu_thread *t, struct fake *f,
			      unsigned int cpu)
{
	*t = (struct pcpu_thread){.f = f, .cpu = cpu, .status = -1};
	assert_int_equal(pthread_create(&t->thread, NULL, pcpu_main, t), 0);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {0, ms * 1000000};

	nanosleep(&ts, NULL);
}

/* As an image: pCPUs 1-3 enter their loops before the domains exist and
 * idle there (running nothing), until pCPU 0 has built them and starts
 * the core; then all share the work. */
static void pcpus_wait_for_the_start(void **state)
{
	struct hv_hyp_config rr = {.timeslice = HV_USEC(20)};
	struct pcpu_thread t[PCPUS];
	struct hv_boot_domain cfg;
	struct fake f;

	(void)state;
	fake_init(&f, FAKE_ARM, 32768, PCPUS, &rr, guest);
	for (unsigned int i = 1; i < PCPUS; i++)
		pcpu_thread_start(&t[i], &f, i);
	for (unsigned int i = 1; i < PCPUS; i++)
		while (!__atomic_load_n(&f.idles[i], __ATOMIC_RELAXED))
			sched_yield();
	sleep_ms(10);
	for (unsigned int i = 1; i < PCPUS; i++)
		assert_int_equal(t[i].status, -1); /* still waiting */
	assert_int_equal(f.pcpus_active, 0);
	for (hv_domid_t i = 0; i < DOMAINS; i++) {
		char name[8];

		snprintf(name, sizeof(name), "d%u", i);
		fake_domain_config(&cfg, name, 4 * MIB, 2);
		fake_domain(&f, &cfg, i);
	}
	hv_hyp_start(&f.hyp);
	for (unsigned int i = 1; i < PCPUS; i++)
		assert_true(f.kicks[i] >= 1); /* the start's */
	assert_int_equal(hv_hyp_run(&f.hyp, 0), 0);
	for (unsigned int i = 1; i < PCPUS; i++) {
		assert_int_equal(pthread_join(t[i].thread, NULL), 0);
		assert_int_equal(t[i].status, 0);
	}
	assert_int_equal(f.pcpus_active, (1u << PCPUS) - 1);
	fake_fini(&f);
}

static void *destroy_all(void *arg)
{
	struct fake *f = arg;

	assert_int_equal(hv_hyp_destroy_all(&f->hyp), 0);
	return NULL;
}

/* pCPU 0 has run every domain to its end while pCPU 1 has not yet left
 * (here: not yet entered) its loop: destroying the domains waits for it. */
static void domains_go_once_every_pcpu_has_left(void **state)
{
	struct hv_hyp_config rr = {.timeslice = HV_USEC(20)};
	struct hv_boot_domain cfg;
	struct pcpu_thread late;
	pthread_t destroyer;
	struct fake f;

	(void)state;
	fake_init(&f, FAKE_ARM, 32768, 2, &rr, one_pcpu_guest);
	fake_domain_config(&cfg, "d0", 4 * MIB, 1);
	fake_domain(&f, &cfg, 0);
	hv_hyp_start(&f.hyp);
	assert_int_equal(hv_hyp_run(&f.hyp, 0), 0);
	assert_int_equal(pthread_create(&destroyer, NULL, destroy_all, &f), 0);
	sleep_ms(20);
	assert_non_null(hv_hyp_domain_get(&f.hyp, 0));
	pcpu_thread_start(&late, &f, 1);
	assert_int_equal(pthread_join(late.thread, NULL), 0);
	assert_int_equal(late.status, 0);
	assert_int_equal(pthread_join(destroyer, NULL), 0);
	assert_null(hv_hyp_domain_get(&f.hyp, 0));
	fake_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_robin_on_four_pcpus),
	    cmocka_unit_test(credit2_on_four_pcpus),
	    cmocka_unit_test(pcpus_wait_for_the_start),
	    cmocka_unit_test(domains_go_once_every_pcpu_has_left),
	};
	return cmocka_run_group_tests_name("hyp-smp", tests, NULL, NULL);
}
