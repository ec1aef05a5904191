/*
 * Domains from build to destroy: what a build gives a domain, every error
 * a build can meet (each leaving nothing behind), the run to the end, and
 * every frame back in the heap after destroy.
 */
#include "fake_arch.h"

#include <hv/mm_xenmem.h>

#include <string.h>
#include <xen/sched.h>

#define MIB (1ull << 20)

static const struct hv_hyp_config rr = {.timeslice = HV_MSEC(1)};

/* Each vCPU prints its name and domain, then powers its domain off. */
static void hello_then_poweroff(struct fake *f, struct hv_hyp_vcpu *v)
{
	(void)f;
	if (fake_vcpu(v)->exits == 0)
		assert_int_equal(fake_print(v, "hello\n"), 0);
	else
		assert_int_equal(fake_poweroff(v), 0);
}

static void build_gives_memory_kernel_and_vcpus(void **state)
{
	struct fake f;
	struct hv_boot_domain cfg;
	struct hv_hyp_domain *d;
	char buf[8];

	(void)state;
	fake_init(&f, FAKE_X86, 8192, 1, &rr, hello_then_poweroff);
	fake_domain_config(&cfg, "one", 8 * MIB, 3);
	d = fake_domain(&f, &cfg, 2);
	assert_ptr_equal(hv_hyp_domain_get(&f.hyp, 2), d);
	assert_null(hv_hyp_domain_get(&f.hyp, 1));
	assert_string_equal(d->xen.name, "one");
	assert_int_equal(d->xen.id, 2);
	/* RAM: every page charged to the domain, the kernel copied in. */
	assert_int_equal(hv_mm_account_pages(&f.heap, &d->mm.account),
			 8 * MIB / HV_PAGE_SIZE);
	fake_peek(d, 0x1000, buf, 7);
	assert_string_equal(buf, "KERNEL");
	/* vCPU 0 starts at the entry; the others wait for the guest. */
	assert_int_equal(d->nr_vcpus, 3);
	assert_int_equal(fake_vcpu(&d->vcpus[0])->entry, 0x1000);
	assert_int_equal(d->vcpus[0].state, HV_HYP_VCPU_RUNNABLE);
	assert_int_equal(d->vcpus[1].state, HV_HYP_VCPU_DOWN);
	assert_int_equal(d->vcpus[2].state, HV_HYP_VCPU_DOWN);
	assert_int_equal(hv_hyp_live_domains(&f.hyp), 1);
	fake_fini(&f);
}

static void build_errors_leave_nothing(void **state)
{
	struct fake f;
	struct hv_boot_domain cfg;
	uint64_t before;

	(void)state;
	fake_init(&f, FAKE_ARM, 4096, 1, &rr, hello_then_poweroff);
	before = fake_free_pages(&f);
	fake_domain_config(&cfg, "bad", 4 * MIB, 0);
	assert_int_equal(hv_hyp_domain_create(&f.hyp, &cfg, 0, NULL),
			 -HV_EINVAL);
	cfg.vcpus = HV_HYP_MAX_VCPUS + 1;
	assert_int_equal(hv_hyp_domain_create(&f.hyp, &cfg, 0, NULL),
			 -HV_EINVAL);
	cfg.vcpus = 1;
	assert_int_equal(
	    hv_hyp_domain_create(&f.hyp, &cfg, HV_HYP_MAX_DOMAINS, NULL),
	    -HV_EINVAL);
	cfg.memory = 4 * MIB + 100;
	assert_int_equal(hv_hyp_domain_create(&f.hyp, &cfg, 0, NULL),
			 -HV_EINVAL);
	/* More RAM than the machine has: refused, all of it given back. */
	cfg.memory = 32 * MIB;
	assert_int_equal(hv_hyp_domain_create(&f.hyp, &cfg, 0, NULL),
			 -HV_ENOMEM);
	assert_int_equal(fake_free_pages(&f), before);
	/* A kernel segment outside the domain's RAM. */
	cfg.memory = 4 * MIB;
	cfg.segments[0].gpa = 8 * MIB;
	assert_int_equal(hv_hyp_domain_create(&f.hyp, &cfg, 0, NULL),
			 -HV_EFAULT);
	assert_int_equal(fake_free_pages(&f), before);
	/* The arch refuses it half-way. */
	fake_domain_config(&cfg, "bad", 4 * MIB, 1);
	f.fail_domain_init = -HV_E2BIG;
	assert_int_equal(hv_hyp_domain_create(&f.hyp, &cfg, 0, NULL),
			 -HV_E2BIG);
	assert_int_equal(fake_free_pages(&f), before);
	assert_null(hv_hyp_domain_get(&f.hyp, 0));
	f.fail_domain_init = 0;
	/* An id taken. */
	fake_domain(&f, &cfg, 0);
	assert_int_equal(hv_hyp_domain_create(&f.hyp, &cfg, 0, NULL),
			 -HV_EEXIST);
	fake_fini(&f);
}

static void live_domain_cannot_be_destroyed(void **state)
{
	struct fake f;
	struct hv_boot_domain cfg;
	struct hv_hyp_domain *d;

	(void)state;
	fake_init(&f, FAKE_X86, 4096, 1, &rr, hello_then_poweroff);
	fake_domain_config(&cfg, "live", 4 * MIB, 1);
	d = fake_domain(&f, &cfg, 0);
	assert_int_equal(hv_hyp_domain_destroy(d), -HV_EBUSY);
	assert_int_equal(hv_hyp_fini(&f.hyp), -HV_EBUSY);
	fake_fini(&f);
}

/* Three domains run to the end, are destroyed, and the heap is whole. */
static void run_then_destroy_returns_every_frame(void **state)
{
	static const struct hv_hyp_extension *const ext[] = {&hv_hyp_evtchn,
							     NULL};
	struct hv_hyp_config cfg_core = {.timeslice = HV_MSEC(1),
					 .extensions = ext};
	struct fake f;
	struct hv_boot_domain cfg;
	const char *names[] = {"alpha", "beta", "gamma"};

	(void)state;
	fake_init(&f, FAKE_X86, 16384, 1, &cfg_core, hello_then_poweroff);
	for (unsigned int i = 0; i < 3; i++) {
		fake_domain_config(&cfg, names[i], (4 + 6 * i) * MIB, 1);
		fake_domain(&f, &cfg, (hv_domid_t)i);
	}
	assert_int_equal(fake_run(&f), 0); /* every domain powered off */
	assert_int_equal(hv_hyp_live_domains(&f.hyp), 0);
	assert_true(fake_console_has(&f, "(alpha) hello\n"));
	assert_true(fake_console_has(&f, "(gamma) hello\n"));
	assert_true(fake_console_has(&f, "domain beta: shutdown poweroff"));
	for (unsigned int i = 0; i < 3; i++) {
		struct hv_hyp_domain *d = hv_hyp_domain_get(&f.hyp, i);

		assert_true(d->xen.shut_down);
		assert_int_equal(hv_hyp_domain_destroy(d), 0);
		assert_null(hv_hyp_domain_get(&f.hyp, i));
	}
	fake_fini(&f); /* checks every frame is back */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(build_gives_memory_kernel_and_vcpus),
	    cmocka_unit_test(build_errors_leave_nothing),
	    cmocka_unit_test(live_domain_cannot_be_destroyed),
	    cmocka_unit_test(run_then_destroy_returns_every_frame),
	};
	return cmocka_run_group_tests_name("hyp-lifecycle", tests, NULL, NULL);
}
