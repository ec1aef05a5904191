/*
 * The core on several pCPUs, each running its loop on its own thread:
 * eight domains of two vCPUs each make hypercalls, yield and block on
 * timers; all finish with exactly their work done, vCPUs move between
 * pCPUs, and every frame comes back.  Run for both schedulers.
 */
#include "fake_arch.h"

#include <hv/sched.h>

#include <stdio.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_robin_on_four_pcpus),
	    cmocka_unit_test(credit2_on_four_pcpus),
	};
	return cmocka_run_group_tests_name("hyp-smp", tests, NULL, NULL);
}
