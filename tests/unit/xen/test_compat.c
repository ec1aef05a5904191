/*
 * Xen's compat ABI (hv_xen_compat_hypercall): the two structures hvkit
 * translates reach the dispatch in their native layout through the bounce
 * page and come back in the 32-bit one; sub-ops whose layout differs and
 * that are not translated are refused; everything else passes unchanged.
 */
#include "fake_guest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>

static struct fake_guest g;
static uint8_t bounce[4096] __attribute__((aligned(4096)));

/* What the dispatch saw, and what it answers. */
static struct {
	unsigned int calls;
	uint64_t nr, args[5];
	struct xen_add_to_physmap xatp; /* read at args[1] */
	long ret;
} seen;

static long dispatch(void *ctx, const struct hv_gmem *gm, uint64_t nr,
		     const uint64_t args[5])
{
	xen_platform_parameters_t p = {.virt_start = 0x12345678f0000000ull};

	(void)ctx;
	seen.calls++;
	seen.nr = nr;
	memcpy(seen.args, args, sizeof(seen.args));
	if (nr == __HYPERVISOR_memory_op)
		assert_int_equal(hv_gmem_copy_from(gm, &seen.xatp, args[1],
						   sizeof(seen.xatp)),
				 0);
	if (nr == __HYPERVISOR_xen_version)
		assert_int_equal(hv_gmem_copy_to(gm, args[1], &p, sizeof(p)),
				 0);
	return seen.ret;
}

static long compat(uint64_t nr, uint64_t a0, uint64_t a1)
{
	const uint64_t args[5] = {a0, a1, 0, 0, 0};

	return hv_xen_compat_hypercall(&g.gm, bounce, nr, args, dispatch, NULL);
}

static int setup(void **state)
{
	(void)state;
	fake_guest_init(&g, "compat");
	memset(&seen, 0, sizeof(seen));
	return 0;
}

static void add_to_physmap_is_widened(void **state)
{
	/* 32-bit layout: domid, size, space, idx, gpfn (all packed). */
	const uint8_t c[16] = {0xf0, 0x7f, 0, 0, 0,    0,    0, 0,
			       1,    0,	   0, 0, 0x34, 0x12, 0, 0};

	(void)state;
	memcpy(g.mem[1], c, sizeof(c));
	assert_int_equal(
	    compat(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, gaddr(1, 0)),
	    0);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.args[1], HV_XEN_COMPAT_BOUNCE_ADDR);
	assert_int_equal(seen.xatp.domid, DOMID_SELF);
	assert_int_equal(seen.xatp.space, XENMAPSPACE_shared_info);
	assert_int_equal(seen.xatp.idx, 1);
	assert_int_equal(seen.xatp.gpfn, 0x1234);
	/* Unreadable: -EFAULT, and the dispatch never sees it. */
	assert_int_equal(compat(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
				gaddr(HOLE_PAGE, 0)),
			 -HV_EFAULT);
	assert_int_equal(seen.calls, 1);
}

static void platform_parameters_is_narrowed(void **state)
{
	uint8_t out[8];

	(void)state;
	memset(g.mem[2], 0xee, 8);
	assert_int_equal(compat(__HYPERVISOR_xen_version,
				XENVER_platform_parameters, gaddr(2, 0)),
			 0);
	memcpy(out, g.mem[2], 8);
	/* Four bytes of virt_start, nothing past them. */
	assert_int_equal(out[0], 0x00);
	assert_int_equal(out[3], 0xf0);
	assert_int_equal(out[4], 0xee);
	/* The dispatch's error comes back, and nothing is written. */
	seen.ret = -HV_EPERM;
	memset(g.mem[2], 0xee, 8);
	assert_int_equal(compat(__HYPERVISOR_xen_version,
				XENVER_platform_parameters, gaddr(2, 0)),
			 -HV_EPERM);
	assert_int_equal(g.mem[2][0], 0xee);
}

static void untranslated_layouts_are_refused(void **state)
{
	static const uint64_t refused[][2] = {
	    {__HYPERVISOR_memory_op, XENMEM_populate_physmap},
	    {__HYPERVISOR_memory_op, XENMEM_decrease_reservation},
	    {__HYPERVISOR_memory_op, XENMEM_memory_map},
	    {__HYPERVISOR_sched_op, SCHEDOP_poll},
	    {__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info},
	    {__HYPERVISOR_grant_table_op, GNTTABOP_setup_table},
	    {__HYPERVISOR_grant_table_op, GNTTABOP_copy},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		assert_int_equal(compat(refused[i][0], refused[i][1], 0),
				 -HV_ENOSYS);
	assert_int_equal(seen.calls, 0);
}

static void same_layouts_pass_unchanged(void **state)
{
	static const uint64_t passed[][2] = {
	    {__HYPERVISOR_memory_op, XENMEM_current_reservation},
	    {__HYPERVISOR_memory_op, XENMEM_maximum_gpfn},
	    {__HYPERVISOR_sched_op, SCHEDOP_shutdown},
	    {__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer},
	    {__HYPERVISOR_event_channel_op, EVTCHNOP_send},
	    {__HYPERVISOR_xen_version, XENVER_version},
	    {__HYPERVISOR_console_io, CONSOLEIO_write},
	};

	(void)state;
	seen.ret = 42;
	for (size_t i = 0; i < sizeof(passed) / sizeof(passed[0]); i++) {
		assert_int_equal(compat(passed[i][0], passed[i][1], 0x1000),
				 42);
		assert_int_equal(seen.nr, passed[i][0]);
		assert_int_equal(seen.args[0], passed[i][1]);
		assert_int_equal(seen.args[1], 0x1000);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(add_to_physmap_is_widened, setup),
	    cmocka_unit_test_setup(platform_parameters_is_narrowed, setup),
	    cmocka_unit_test_setup(untranslated_layouts_are_refused, setup),
	    cmocka_unit_test_setup(same_layouts_pass_unchanged, setup),
	};
	return cmocka_run_group_tests_name("xen-compat", tests, NULL, NULL);
}
