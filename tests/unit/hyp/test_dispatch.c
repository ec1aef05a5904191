/*
 * Hypercall dispatch: every hypercall number reaches the subsystem that
 * owns it (the image's extensions, libhv-mm's memory_op, libhv-xen), and
 * every other number is -ENOSYS, as from Xen; a bad guest pointer is
 * -EFAULT and changes nothing.
 */
#include "fake_arch.h"

#include <xen/event_channel.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xen/xen.h>

#define MIB (1ull << 20)

static const struct hv_hyp_extension *const with_evtchn[] = {&hv_hyp_evtchn,
							     NULL};

static void never_runs(struct fake *f, struct hv_hyp_vcpu *v)
{
	(void)f;
	(void)v;
	fail();
}

/* The numbers something answers in a core with (or without) event
 * channels (an x86 guest's: hvm_op is libhv-xen's). */
static bool handled(uint64_t nr, bool evtchn)
{
	switch (nr) {
	case __HYPERVISOR_memory_op:
	case __HYPERVISOR_xen_version:
	case __HYPERVISOR_console_io:
	case __HYPERVISOR_sched_op:
	case __HYPERVISOR_hvm_op:
	case __HYPERVISOR_vcpu_op:
		return true;
	case __HYPERVISOR_event_channel_op:
		return evtchn;
	default:
		return false;
	}
}

static void check_every_number(bool evtchn)
{
	struct hv_hyp_config core = {.timeslice = HV_MSEC(1),
				     .extensions = evtchn ? with_evtchn : NULL};
	static const uint64_t beyond[] = {64, 1000, 1ull << 32, UINT64_MAX};
	struct fake f;
	struct hv_boot_domain cfg;
	struct hv_hyp_vcpu *v;
	hv_gpaddr_t domid_self;

	fake_init(&f, FAKE_X86, 4096, 1, &core, never_runs);
	fake_domain_config(&cfg, "caller", 4 * MIB, 1);
	v = &fake_domain(&f, &cfg, 0)->vcpus[0];
	/* Every argument 0 (memory_op: a sub-op every guest may make, as
	 * libhv-mm has no XENMEM 0): some handler answers each of its
	 * numbers (0, a version, -EINVAL...), but never -ENOSYS. */
	domid_self = fake_scratch_gpa(v);
	fake_poke(v->dom, domid_self, &(domid_t){DOMID_SELF}, sizeof(domid_t));
	for (uint64_t nr = 0; nr < 64; nr++) {
		long ret =
		    nr == __HYPERVISOR_memory_op
			? fake_hypercall(v, nr, XENMEM_maximum_reservation,
					 domid_self, 0)
			: fake_hypercall(v, nr, 0, 0, 0);

		if (handled(nr, evtchn))
			assert_int_not_equal(ret, -HV_ENOSYS);
		else
			assert_int_equal(ret, -HV_ENOSYS);
	}
	for (size_t i = 0; i < HV_ARRAY_SIZE(beyond); i++)
		assert_int_equal(fake_hypercall(v, beyond[i], 0, 0, 0),
				 -HV_ENOSYS);
	assert_int_equal(hv_hyp_live_domains(&f.hyp), 1); /* unharmed */
	fake_fini(&f);
}

static void every_number_with_event_channels(void **state)
{
	(void)state;
	check_every_number(true);
}

/* Without the extension, event_channel_op is nobody's: -ENOSYS. */
static void every_number_without_event_channels(void **state)
{
	(void)state;
	check_every_number(false);
}

static void answers_come_from_their_owners(void **state)
{
	struct hv_hyp_config core = {.timeslice = HV_MSEC(1),
				     .extensions = with_evtchn};
	struct fake f;
	struct hv_boot_domain cfg;
	struct hv_hyp_vcpu *v;
	evtchn_alloc_unbound_t a = {.dom = DOMID_SELF, .remote_dom = 0};
	hv_gpaddr_t gpa;

	(void)state;
	fake_init(&f, FAKE_X86, 4096, 1, &core, never_runs);
	fake_domain_config(&cfg, "caller", 4 * MIB, 1);
	v = &fake_domain(&f, &cfg, 0)->vcpus[0];
	gpa = fake_scratch_gpa(v);
	/* libhv-xen: the version; console output with the domain's name. */
	assert_true(fake_hypercall(v, __HYPERVISOR_xen_version, XENVER_version,
				   0, 0) > 0);
	assert_int_equal(fake_print(v, "from the guest\n"), 0);
	assert_true(fake_console_has(&f, "(caller) from the guest\n"));
	/* The extension: a port, written back into guest memory. */
	fake_poke(v->dom, gpa, &a, sizeof(a));
	assert_int_equal(fake_hypercall(v, __HYPERVISOR_event_channel_op,
					EVTCHNOP_alloc_unbound, gpa, 0),
			 0);
	fake_peek(v->dom, gpa, &a, sizeof(a));
	assert_int_equal(a.port, 1);
	/* libhv-mm: the domain's pages. */
	fake_poke(v->dom, gpa, &(domid_t){DOMID_SELF}, sizeof(domid_t));
	assert_int_equal(fake_hypercall(v, __HYPERVISOR_memory_op,
					XENMEM_current_reservation, gpa, 0),
			 4 * MIB / HV_PAGE_SIZE);
	fake_fini(&f);
}

/* Pointers outside the guest's RAM: -EFAULT, nothing changes, and the
 * domain and the hypervisor go on. */
static void bad_pointers_fault(void **state)
{
	struct hv_hyp_config core = {.timeslice = HV_MSEC(1),
				     .extensions = with_evtchn};
	struct fake f;
	struct hv_boot_domain cfg;
	struct hv_hyp_vcpu *v;
	const uint64_t bad[] = {4 * MIB, 4 * MIB - 2, 1ull << 40, UINT64_MAX};

	(void)state;
	fake_init(&f, FAKE_ARM, 4096, 1, &core, never_runs);
	fake_domain_config(&cfg, "caller", 4 * MIB, 1);
	v = &fake_domain(&f, &cfg, 0)->vcpus[0];
	for (size_t i = 0; i < HV_ARRAY_SIZE(bad); i++) {
		assert_int_equal(fake_hypercall(v, __HYPERVISOR_console_io,
						CONSOLEIO_write, 8, bad[i]),
				 -HV_EFAULT);
		assert_int_equal(fake_hypercall(v, __HYPERVISOR_sched_op,
						SCHEDOP_shutdown, bad[i], 0),
				 -HV_EFAULT);
		assert_int_equal(fake_hypercall(v,
						__HYPERVISOR_event_channel_op,
						EVTCHNOP_send, bad[i], 0),
				 -HV_EFAULT);
		assert_int_equal(fake_hypercall(v, __HYPERVISOR_memory_op,
						XENMEM_add_to_physmap, bad[i],
						0),
				 -HV_EFAULT);
	}
	assert_false(v->dom->xen.shut_down);
	assert_int_equal(f.console_len, 0);
	assert_int_equal(fake_print(v, "still here\n"), 0);
	fake_fini(&f);
}

/* An extension offered xen_version and hvm_op: it answers hvm_op with
 * 42 and lets xen_version go on to libhv-xen; it records every number it
 * was offered. */
static uint64_t offered;

static bool picky_hypercall(struct hv_hyp_vcpu *v, uint64_t nr,
			    const uint64_t args[5], const struct hv_gmem *gm,
			    long *ret)
{
	(void)v;
	(void)args;
	(void)gm;
	offered |= UINT64_C(1) << nr;
	*ret = 42;
	return nr == __HYPERVISOR_hvm_op;
}

static const struct hv_hyp_extension picky = {
    .name = "picky",
    .hypercalls = UINT64_C(1) << __HYPERVISOR_xen_version |
		  UINT64_C(1) << __HYPERVISOR_hvm_op,
    .hypercall = picky_hypercall,
};

/* Before event channels: not offered event_channel_op all the same. */
static const struct hv_hyp_extension *const with_picky[] = {
    &picky, &hv_hyp_evtchn, NULL};

static void extensions_see_only_their_hypercalls(void **state)
{
	struct hv_hyp_config core = {.timeslice = HV_MSEC(1),
				     .extensions = with_picky};
	struct fake f;
	struct hv_boot_domain cfg;
	struct hv_hyp_vcpu *v;

	(void)state;
	fake_init(&f, FAKE_X86, 4096, 1, &core, never_runs);
	fake_domain_config(&cfg, "caller", 4 * MIB, 1);
	v = &fake_domain(&f, &cfg, 0)->vcpus[0];
	offered = 0;
	for (uint64_t nr = 0; nr < 64; nr++)
		if (nr != __HYPERVISOR_memory_op)
			(void)fake_hypercall(v, nr, 0, 0, 0);
	(void)fake_hypercall(v, 64, 0, 0, 0);
	assert_int_equal(offered, picky.hypercalls);
	/* Declined: libhv-xen's answer; taken: the extension's. */
	assert_int_equal(fake_hypercall(v, __HYPERVISOR_xen_version,
					XENVER_version, 0, 0) >> 16,
			 4); /* Xen 4.x */
	assert_int_equal(fake_hypercall(v, __HYPERVISOR_hvm_op, 0, 0, 0), 42);
	fake_fini(&f);
}

/* A hypercall hook without the numbers it takes would silently get none:
 * the core refuses it. */
static void an_extension_must_name_its_hypercalls(void **state)
{
	static const struct hv_hyp_extension unnamed = {
	    .name = "unnamed",
	    .hypercall = picky_hypercall,
	};
	static const struct hv_hyp_extension *const with_unnamed[] = {
	    &unnamed, NULL};
	struct hv_hyp_config core = {.timeslice = HV_MSEC(1)};
	struct hv_hyp_config bad = {.timeslice = HV_MSEC(1),
				    .extensions = with_unnamed};
	struct hv_hyp other;
	struct fake f;

	(void)state;
	fake_init(&f, FAKE_X86, 4096, 1, &core, never_runs);
	assert_int_equal(hv_hyp_init(&other, &bad, &f.ops, NULL, &f.heap,
				     NULL, f.pcpus, 1),
			 -HV_EINVAL);
	fake_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_number_with_event_channels),
	    cmocka_unit_test(every_number_without_event_channels),
	    cmocka_unit_test(answers_come_from_their_owners),
	    cmocka_unit_test(bad_pointers_fault),
	    cmocka_unit_test(extensions_see_only_their_hypercalls),
	    cmocka_unit_test(an_extension_must_name_its_hypercalls),
	};
	return cmocka_run_group_tests_name("hyp-dispatch", tests, NULL, NULL);
}
