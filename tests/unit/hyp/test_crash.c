/*
 * Crash isolation: a vCPU that does what the hypervisor cannot allow takes
 * its whole domain down, with the reason on the console, while the other
 * domains run to their end; afterwards every domain is destroyed and
 * every frame is back in the heap.
 */
#include "fake_arch.h"

#include <stdio.h>
#include <xen/sched.h>

#define MIB	 (1ull << 20)
#define LINES	 20
#define CRASH_AT 5

/* Domain "wild" crashes (as an exit handler would crash it) after a few
 * exits; every other vCPU prints LINES lines; the last of a domain's
 * vCPUs to finish powers it off.  vCPU 0 starts vCPU 1 (as PSCI CPU_ON or
 * VCPUOP_up would). */
static void guest(struct fake *f, struct hv_hyp_vcpu *v)
{
	struct fake_vcpu *fv = fake_vcpu(v);
	char line[32];

	(void)f;
	if (fv->exits == 0 && v->id == 0 && v->dom->nr_vcpus > 1)
		hv_hyp_vcpu_set_state(&v->dom->vcpus[1], HV_HYP_VCPU_RUNNABLE);
	if (v->dom->xen.name[0] == 'w' && v->id == 1 && fv->exits == CRASH_AT) {
		hv_hyp_crash(v, "write at IPA %#x, outside its memory",
			     0x20000000);
		return;
	}
	if (fv->exits < LINES) {
		snprintf(line, sizeof(line), "vcpu %u line %u\n", v->id,
			 fv->exits);
		assert_int_equal(fake_print(v, line), 0);
		return;
	}
	hv_hyp_vcpu_set_state(v, HV_HYP_VCPU_DOWN);
	for (unsigned int i = 0; i < v->dom->nr_vcpus; i++)
		if (v->dom->vcpus[i].state != HV_HYP_VCPU_DOWN)
			return;
	assert_int_equal(fake_poweroff(v), 0);
}

static void crash_takes_only_its_domain(void **state)
{
	struct hv_hyp_config rr = {.timeslice = HV_USEC(5)};
	struct fake f;
	struct hv_boot_domain cfg;
	struct hv_hyp_domain *wild, *good1, *good2;

	(void)state;
	fake_init(&f, FAKE_X86, 16384, 1, &rr, guest);
	fake_domain_config(&cfg, "good1", 4 * MIB, 2);
	good1 = fake_domain(&f, &cfg, 0);
	fake_domain_config(&cfg, "wild", 4 * MIB, 2);
	wild = fake_domain(&f, &cfg, 1);
	fake_domain_config(&cfg, "good2", 4 * MIB, 1);
	good2 = fake_domain(&f, &cfg, 2);
	assert_int_equal(fake_run(&f), 1); /* not every domain powered off */

	assert_true(fake_console_has(&f, "domain wild crashed: write at IPA "
					 "0x20000000, outside its memory"));
	assert_int_equal(wild->xen.shutdown_reason, SHUTDOWN_crash);
	/* Both its vCPUs stopped: the crashing one and its sibling. */
	assert_int_equal(wild->vcpus[0].state, HV_HYP_VCPU_DOWN);
	assert_int_equal(wild->vcpus[1].state, HV_HYP_VCPU_DOWN);
	assert_true(fake_vcpu(&wild->vcpus[0])->exits < LINES);
	/* The others did all their work. */
	assert_int_equal(good1->xen.shutdown_reason, SHUTDOWN_poweroff);
	assert_int_equal(good2->xen.shutdown_reason, SHUTDOWN_poweroff);
	assert_true(fake_console_has(&f, "(good1) vcpu 1 line 19\n"));
	assert_true(fake_console_has(&f, "(good2) vcpu 0 line 19\n"));
	fake_fini(&f); /* destroys all three; every frame back */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(crash_takes_only_its_domain),
	};
	return cmocka_run_group_tests_name("hyp-crash", tests, NULL, NULL);
}
