/*
 * Input typed at the hypervisor's console: it goes to the lowest-numbered
 * domain still running, through the arch, whether it arrives while a
 * pCPU's loop handles an exit (its lock held) or while it idles; an arch
 * that takes no input drops it.
 */
#include "fake_arch.h"

#include <string.h>
#include <xen/sched.h>

#define MIB (1ull << 20)

static const struct hv_hyp_config rr = {.timeslice = HV_MSEC(1)};

/* At its first exit, domain 1 types "hi" as if it came from the UART
 * then; then it powers off. */
static void typed_during_an_exit(struct fake *f, struct hv_hyp_vcpu *v)
{
	if (fake_vcpu(v)->exits == 0 && v->dom->xen.id == 1)
		hv_hyp_console_input(&f->pcpus[0], "hi", 2);
	else
		assert_int_equal(fake_poweroff(v), 0);
}

static void two_domains(struct fake *f, fake_guest_fn guest)
{
	struct hv_boot_domain cfg;

	fake_init(f, FAKE_ARM, 4096, 1, &rr, guest);
	f->ops.console_input = fake_console_input;
	fake_domain_config(&cfg, "first", 4 * MIB, 1);
	fake_domain(f, &cfg, 0);
	fake_domain_config(&cfg, "second", 4 * MIB, 1);
	fake_domain(f, &cfg, 1);
}

static void goes_to_the_first_domain_running(void **state)
{
	struct fake f;

	(void)state;
	two_domains(&f, typed_during_an_exit);
	hv_hyp_console_input(&f.pcpus[0], "ls\n", 3); /* no lock held */
	assert_int_equal(f.input_domain, 0);
	/* Domain 0 powers off at its first exit; then domain 1 types. */
	assert_int_equal(fake_run(&f), 0);
	assert_int_equal(f.input_domain, 1);
	assert_int_equal(f.input_len, 5);
	assert_memory_equal(f.input, "ls\nhi", 5);
	fake_fini(&f);
}

static void dropped_without_an_arch_to_take_it(void **state)
{
	struct fake f;

	(void)state;
	two_domains(&f, typed_during_an_exit);
	f.ops.console_input = NULL;
	hv_hyp_console_input(&f.pcpus[0], "ls\n", 3);
	assert_int_equal(f.input_len, 0);
	fake_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(goes_to_the_first_domain_running),
	    cmocka_unit_test(dropped_without_an_arch_to_take_it),
	};

	return cmocka_run_group_tests_name("hyp-console", tests, NULL, NULL);
}
