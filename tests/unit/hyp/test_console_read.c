/*
 * CONSOLEIO_read, as Xen answers it: the initial domain reads what was
 * typed while it had the console (at most `count` bytes, in order, 0 when
 * nothing waits), told each time by VIRQ_CONSOLE; what is typed beyond
 * the 128 bytes kept is dropped; a count of 2^31 or more is -E2BIG, a
 * bad buffer -EFAULT; any other domain gets -EPERM.  A domain blocked
 * with no timer is not ended while typed input may yet wake it (it has
 * read the console before), and is if it never read it.
 */
#include "fake_arch.h"

#include <string.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <xen/xen.h>

#define MIB		(1ull << 20)
#define SHARED_INFO_GFN (FAKE_RAM_BASE + 16)

static const struct hv_hyp_extension *const exts[] = {&hv_hyp_evtchn, NULL};
static const struct hv_hyp_config rr = {.timeslice = HV_MSEC(1),
					.extensions = exts};

/* Two domains on the x86 fake, the first the initial domain, each with
 * its shared info mapped; the arch receives typed input. */
static void build(struct fake *f, fake_guest_fn guest)
{
	struct hv_boot_domain cfg;
	struct hv_hyp_domain *d;

	fake_init(f, FAKE_X86, 8192, 1, &rr, guest);
	f->ops.console_rx = true;
	fake_domain_config(&cfg, "dom0", 4 * MIB, 1);
	cfg.initdomain = true;
	d = fake_domain(f, &cfg, 0);
	fake_map_shared_info(&d->vcpus[0], SHARED_INFO_GFN);
	fake_domain_config(&cfg, "domu", 4 * MIB, 1);
	d = fake_domain(f, &cfg, 1);
	fake_map_shared_info(&d->vcpus[0], SHARED_INFO_GFN);
}

static struct hv_hyp_vcpu *vcpu(struct fake *f, hv_domid_t id)
{
	return &hv_hyp_domain_get(&f->hyp, id)->vcpus[0];
}

/* CONSOLEIO_read of `count` bytes into v's scratch page; what came back
 * in buf (NUL-terminated). */
static long read_console(struct hv_hyp_vcpu *v, uint64_t count, char *buf,
			 size_t size)
{
	hv_gpaddr_t gpa = fake_scratch_gpa(v);
	long n;

	memset(buf, 0, size);
	n = fake_hypercall(v, __HYPERVISOR_console_io, CONSOLEIO_read, count,
			   gpa);
	if (n > 0)
		fake_peek(v->dom, gpa, buf, (size_t)n);
	return n;
}

static evtchn_port_t bind_console_virq(struct hv_hyp_vcpu *v)
{
	struct evtchn_bind_virq b = {.virq = VIRQ_CONSOLE, .vcpu = 0};

	assert_int_equal(fake_op(v, __HYPERVISOR_event_channel_op,
				 EVTCHNOP_bind_virq, &b, sizeof(b)),
			 0);
	return b.port;
}

static void initial_domain_reads_what_was_typed(void **state)
{
	struct fake f;
	char buf[256];
	unsigned int upcalls;

	(void)state;
	build(&f, NULL);
	bind_console_virq(vcpu(&f, 0));
	/* Nobody has read yet: an arch need not poll for input. */
	assert_false(hv_hyp_console_wanted(&f.hyp));
	upcalls = fake_vcpu(vcpu(&f, 0))->upcalls;
	hv_hyp_console_input(&f.pcpus[0], "ls\n", 3);
	assert_int_equal(fake_vcpu(vcpu(&f, 0))->upcalls, upcalls + 1);
	assert_int_equal(read_console(vcpu(&f, 0), 2, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "ls");
	assert_true(hv_hyp_console_wanted(&f.hyp));
	assert_int_equal(read_console(vcpu(&f, 0), 8, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "\n");
	assert_int_equal(read_console(vcpu(&f, 0), 8, buf, sizeof(buf)), 0);
	/* The other domain may not read it, as on Xen. */
	hv_hyp_console_input(&f.pcpus[0], "x", 1);
	assert_int_equal(read_console(vcpu(&f, 1), 8, buf, sizeof(buf)),
			 -HV_EPERM);
	assert_int_equal(read_console(vcpu(&f, 0), 8, buf, sizeof(buf)), 1);
	fake_fini(&f);
}

static void what_does_not_fit_is_dropped(void **state)
{
	struct fake f;
	char typed[200], buf[256];

	(void)state;
	build(&f, NULL);
	for (size_t i = 0; i < sizeof(typed); i++)
		typed[i] = (char)('a' + i % 26);
	hv_hyp_console_input(&f.pcpus[0], typed, 100);
	assert_int_equal(read_console(vcpu(&f, 0), 60, buf, sizeof(buf)), 60);
	/* 40 wait; 88 more fit, the rest is dropped. */
	hv_hyp_console_input(&f.pcpus[0], typed + 100, 100);
	assert_int_equal(read_console(vcpu(&f, 0), 256, buf, sizeof(buf)),
			 HV_HYP_CONSOLE_RX);
	/* In order, across the ring's end. */
	assert_memory_equal(buf, typed + 60, HV_HYP_CONSOLE_RX);
	assert_int_equal(read_console(vcpu(&f, 0), 256, buf, sizeof(buf)), 0);
	fake_fini(&f);
}

static void bad_counts_and_buffers(void **state)
{
	struct fake f;
	char buf[8];
	struct hv_hyp_vcpu *v;

	(void)state;
	build(&f, NULL);
	v = vcpu(&f, 0);
	hv_hyp_console_input(&f.pcpus[0], "abc", 3);
	assert_int_equal(read_console(v, 0x80000000u, buf, sizeof(buf)),
			 -HV_E2BIG);
	/* count is an unsigned int: the upper half is not looked at. */
	assert_int_equal(
	    read_console(v, UINT64_C(1) << 32 | 1, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "a");
	assert_int_equal(fake_hypercall(v, __HYPERVISOR_console_io,
					CONSOLEIO_read, 8, UINT64_C(1) << 40),
			 -HV_EFAULT);
	fake_fini(&f);
}

/* dom0's vCPU: binds VIRQ_CONSOLE, finds nothing to read and blocks at
 * its first exit, with no timer set and nothing else to run; once woken,
 * reads and powers off.  domu powers off at once. */
static void waits_for_input(struct fake *f, struct hv_hyp_vcpu *v)
{
	char buf[16];

	(void)f;
	if (v->dom->xen.id == 1 || fake_vcpu(v)->exits > 1) {
		assert_int_equal(fake_poweroff(v), 0);
		return;
	}
	if (fake_vcpu(v)->exits == 0) {
		bind_console_virq(v);
		assert_int_equal(read_console(v, sizeof(buf), buf, sizeof(buf)),
				 0);
		assert_int_equal(fake_block(v), 0);
		return;
	}
	assert_int_equal(read_console(v, sizeof(buf), buf, sizeof(buf)), 3);
	assert_string_equal(buf, "ls\n");
}

static void a_blocked_initial_domain_waits_for_input(void **state)
{
	struct fake f;

	(void)state;
	build(&f, waits_for_input);
	assert_int_equal(fake_run_typing(&f, "ls\n"), 0);
	fake_fini(&f);
}

/* dom0 blocks without ever reading the console: typed input would not
 * be read, so it is ended as stuck, as before input existed. */
static void blocks_without_reading(struct fake *f, struct hv_hyp_vcpu *v)
{
	(void)f;
	if (v->dom->xen.id == 1)
		assert_int_equal(fake_poweroff(v), 0);
	else if (fake_vcpu(v)->exits == 0)
		assert_int_equal(fake_block(v), 0);
}

static void a_domain_that_never_read_is_ended(void **state)
{
	struct fake f;

	(void)state;
	build(&f, blocks_without_reading);
	assert_int_equal(fake_run(&f), 1);
	assert_true(fake_console_has(&f, "domain dom0 crashed: blocked with "
					 "nothing left to wake it"));
	fake_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(initial_domain_reads_what_was_typed),
	    cmocka_unit_test(what_does_not_fit_is_dropped),
	    cmocka_unit_test(bad_counts_and_buffers),
	    cmocka_unit_test(a_blocked_initial_domain_waits_for_input),
	    cmocka_unit_test(a_domain_that_never_read_is_ended),
	};

	return cmocka_run_group_tests_name("hyp-console-read", tests, NULL,
					   NULL);
}
