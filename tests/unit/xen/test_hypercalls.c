/*
 * libhv-xen's hypercalls against a fake domain: every sub-op it answers,
 * with good and bad arguments, and the exact Xen answer for each.
 */
#include "fake_guest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <xen/features.h>
#include <xen/hvm/hvm_op.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xen/xen.h>

static struct fake_guest g;

static int setup(void **state)
{
	(void)state;
	fake_guest_init(&g, "g1");
	return 0;
}

/* Put `len` bytes at guest address `a` (page-local, test helper). */
static void poke(uint64_t a, const void *p, size_t len)
{
	memcpy(&g.mem[a / 4096][a % 4096], p, len);
}

static void peek(uint64_t a, void *p, size_t len)
{
	memcpy(p, &g.mem[a / 4096][a % 4096], len);
}

static void unknown_hypercalls_are_enosys(void **state)
{
	(void)state;
	assert_int_equal(call(&g, 99, 0, 0, 0), -HV_ENOSYS);
	assert_int_equal(call(&g, __HYPERVISOR_grant_table_op, 0, 0, 0),
			 -HV_ENOSYS);
	assert_int_equal(call(&g, UINT64_MAX, 0, 0, 0), -HV_ENOSYS);
}

#define X86 HV_XEN_ARCH_X86_HVM

static void init_rejects_bad_arguments(void **state)
{
	struct hv_xen_domain d;
	struct hv_xen_ops ops = *g.dom.ops;

	(void)state;
	assert_int_equal(hv_xen_domain_init(&d, 2, "", X86, &ops, &g),
			 -HV_EINVAL);
	assert_int_equal(hv_xen_domain_init(&d, 2, NULL, X86, &ops, &g),
			 -HV_EINVAL);
	assert_int_equal(hv_xen_domain_init(&d, 2, "x", X86, NULL, &g),
			 -HV_EINVAL);
	assert_int_equal(
	    hv_xen_domain_init(&d, 2, "x", (enum hv_xen_arch)7, &ops, &g),
	    -HV_EINVAL);
	ops.domain_exists = NULL;
	assert_int_equal(hv_xen_domain_init(&d, 2, "x", X86, &ops, &g),
			 -HV_EINVAL);
}

static void long_names_are_cut(void **state)
{
	struct hv_xen_domain d;

	(void)state;
	assert_int_equal(
	    hv_xen_domain_init(&d, 2,
			       "a-name-much-longer-than-sixty-three-characters-"
			       "which-is-cut-to-fit",
			       X86, g.dom.ops, &g),
	    0);
	assert_int_equal(strlen(d.name), HV_XEN_NAME_MAX);
}

static void console_write(void **state)
{
	(void)state;
	poke(gaddr(1, 10), "hello\n", 6);
	assert_int_equal(
	    call(&g, __HYPERVISOR_console_io, CONSOLEIO_write, 6, gaddr(1, 10)),
	    0);
	assert_int_equal(g.nr_lines, 1);
	assert_string_equal(g.lines[0], "(g1) hello");
}

static void console_write_across_pages(void **state)
{
	(void)state;
	poke(gaddr(2, 4093), "abc", 3);
	poke(gaddr(3, 0), "de\n", 3);
	assert_int_equal(call(&g, __HYPERVISOR_console_io, CONSOLEIO_write, 6,
			      gaddr(2, 4093)),
			 0);
	assert_string_equal(g.lines[0], "(g1) abcde");
}

static void console_write_bad_buffers(void **state)
{
	(void)state;
	/* Into the hole, beyond 32-bit guest memory, and wrapping. */
	assert_int_equal(call(&g, __HYPERVISOR_console_io, CONSOLEIO_write, 4,
			      gaddr(HOLE_PAGE, 0)),
			 -HV_EFAULT);
	assert_int_equal(call(&g, __HYPERVISOR_console_io, CONSOLEIO_write, 4,
			      0x100000000ull + gaddr(1, 10)),
			 -HV_EFAULT);
	assert_int_equal(call(&g, __HYPERVISOR_console_io, CONSOLEIO_write,
			      0xffffffff, UINT64_MAX - 4),
			 -HV_EFAULT);
	assert_int_equal(g.nr_lines, 0);
}

static void console_write_faults_part_way(void **state)
{
	(void)state;
	/* 127-byte chunks from page 5 into the hole at page 6: the first
	 * whole chunks are printed, then -EFAULT, as in Xen. */
	memset(g.mem[RO_PAGE], 'x', 4096);
	assert_int_equal(call(&g, __HYPERVISOR_console_io, CONSOLEIO_write, 300,
			      gaddr(RO_PAGE, 4096 - 200)),
			 -HV_EFAULT);
	hv_xen_console_flush(&g.dom);
	assert_int_equal(g.nr_lines, 1);
	assert_int_equal(strlen(g.lines[0]), strlen("(g1) ") + 127);
}

static void console_count_is_32_bits(void **state)
{
	(void)state;
	poke(gaddr(1, 0), "ok\n", 3);
	/* The high half of count is not part of Xen's unsigned int. */
	assert_int_equal(call(&g, __HYPERVISOR_console_io, CONSOLEIO_write,
			      0x100000003ull, gaddr(1, 0)),
			 0);
	assert_string_equal(g.lines[0], "(g1) ok");
	assert_int_equal(call(&g, __HYPERVISOR_console_io, CONSOLEIO_write, 0,
			      gaddr(HOLE_PAGE, 0)),
			 0);
}

static void console_read_and_unknown_are_eperm(void **state)
{
	(void)state;
	assert_int_equal(
	    call(&g, __HYPERVISOR_console_io, CONSOLEIO_read, 4, gaddr(1, 0)),
	    -HV_EPERM);
	assert_int_equal(call(&g, __HYPERVISOR_console_io, 77, 4, gaddr(1, 0)),
			 -HV_EPERM);
}

static void sched_yield_and_block(void **state)
{
	(void)state;
	assert_int_equal(call(&g, __HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0),
			 0);
	assert_int_equal(call(&g, __HYPERVISOR_sched_op, SCHEDOP_block, 0, 0),
			 0);
	assert_int_equal(g.yields, 1);
	assert_int_equal(g.blocks, 1);
}

static long shutdown_with(unsigned int reason)
{
	struct sched_shutdown s = {.reason = reason};

	poke(gaddr(1, 64), &s, sizeof(s));
	return call(&g, __HYPERVISOR_sched_op, SCHEDOP_shutdown, gaddr(1, 64),
		    0);
}

static void sched_shutdown_poweroff(void **state)
{
	(void)state;
	assert_int_equal(shutdown_with(SHUTDOWN_poweroff), 0);
	assert_int_equal(g.shutdowns, 1);
	assert_int_equal(g.last_reason, SHUTDOWN_poweroff);
	assert_true(g.dom.shut_down);
	assert_string_equal(g.lines[0], "(hvkit) domain g1: shutdown poweroff");
	/* Only the first shutdown counts. */
	assert_int_equal(shutdown_with(SHUTDOWN_crash), 0);
	assert_int_equal(g.shutdowns, 1);
	assert_int_equal(g.dom.shutdown_reason, SHUTDOWN_poweroff);
}

static void sched_shutdown_reason_is_not_validated(void **state)
{
	(void)state;
	/* Xen keeps (u8)reason: 0x101 is a reboot, 77 an unknown reason. */
	assert_int_equal(shutdown_with(0x101), 0);
	assert_int_equal(g.dom.shutdown_reason, SHUTDOWN_reboot);
	fake_guest_init(&g, "g1");
	assert_int_equal(shutdown_with(77), 0);
	assert_int_equal(g.dom.shutdown_reason, 77);
	assert_string_equal(g.lines[0], "(hvkit) domain g1: shutdown unknown");
}

static void sched_shutdown_bad_pointer(void **state)
{
	(void)state;
	assert_int_equal(call(&g, __HYPERVISOR_sched_op, SCHEDOP_shutdown,
			      gaddr(HOLE_PAGE, 0), 0),
			 -HV_EFAULT);
	assert_false(g.dom.shut_down);
	assert_int_equal(g.shutdowns, 0);
}

static void sched_shutdown_code_only_announces(void **state)
{
	struct sched_shutdown s = {.reason = SHUTDOWN_reboot};

	(void)state;
	poke(gaddr(1, 0), &s, sizeof(s));
	assert_int_equal(call(&g, __HYPERVISOR_sched_op, SCHEDOP_shutdown_code,
			      gaddr(1, 0), 0),
			 0);
	assert_false(g.dom.shut_down);
	assert_int_equal(g.dom.shutdown_code, SHUTDOWN_reboot);
	assert_int_equal(call(&g, __HYPERVISOR_sched_op, SCHEDOP_shutdown_code,
			      gaddr(HOLE_PAGE, 0), 0),
			 -HV_EFAULT);
}

static long remote_shutdown(hv_domid_t id)
{
	struct sched_remote_shutdown r = {.domain_id = id, .reason = 0};

	poke(gaddr(1, 0), &r, sizeof(r));
	return call(&g, __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
		    gaddr(1, 0), 0);
}

static void sched_remote_shutdown_is_not_for_domus(void **state)
{
	(void)state;
	assert_int_equal(remote_shutdown(OTHER_DOMID), -HV_EPERM);
	assert_int_equal(remote_shutdown(g.dom.id), -HV_EPERM);
	assert_int_equal(remote_shutdown(42), -HV_ESRCH);
	assert_int_equal(remote_shutdown(DOMID_SELF), -HV_ESRCH);
	assert_int_equal(call(&g, __HYPERVISOR_sched_op,
			      SCHEDOP_remote_shutdown, gaddr(HOLE_PAGE, 0), 0),
			 -HV_EFAULT);
	assert_false(g.dom.shut_down);
}

static void sched_other_commands(void **state)
{
	(void)state;
	assert_int_equal(call(&g, __HYPERVISOR_sched_op, SCHEDOP_pin_override,
			      gaddr(HOLE_PAGE, 0), 0),
			 -HV_EPERM);
	assert_int_equal(call(&g, __HYPERVISOR_sched_op, 99, 0, 0), -HV_ENOSYS);
	assert_int_equal(g.yields + g.blocks + g.shutdowns, 0);
}

static void version_numbers(void **state)
{
	long v;

	(void)state;
	v = call(&g, __HYPERVISOR_xen_version, XENVER_version, 0, 0);
	assert_int_equal(v >> 16, 4);
	assert_int_equal(v & 0xffff,
			 (__XEN_LATEST_INTERFACE_VERSION__ >> 8) & 0xff);
	assert_int_equal(
	    call(&g, __HYPERVISOR_xen_version, XENVER_pagesize, 0, 0), 4096);
	assert_int_equal(
	    call(&g, __HYPERVISOR_xen_version, XENVER_pagesize, gaddr(1, 0), 0),
	    -HV_EINVAL);
}

static void version_strings(void **state)
{
	xen_extraversion_t extra;
	xen_capabilities_info_t caps;
	char cmdline[16];

	(void)state;
	memset(g.mem[1], 0xff, 4096);
	assert_int_equal(call(&g, __HYPERVISOR_xen_version, XENVER_extraversion,
			      gaddr(1, 0), 0),
			 0);
	peek(gaddr(1, 0), extra, sizeof(extra));
	assert_string_equal(extra, "-hvkit");
	assert_int_equal(extra[sizeof(extra) - 1], 0);	 /* zero-padded */
	assert_int_equal(g.mem[1][sizeof(extra)], 0xff); /* and no more */

	assert_int_equal(call(&g, __HYPERVISOR_xen_version, XENVER_capabilities,
			      gaddr(2, 0), 0),
			 0);
	peek(gaddr(2, 0), caps, sizeof(caps));
	assert_non_null(strstr(caps, "hvm-3.0-x86_64"));

	assert_int_equal(call(&g, __HYPERVISOR_xen_version, XENVER_commandline,
			      gaddr(3, 0), 0),
			 0);
	peek(gaddr(3, 0), cmdline, 9);
	assert_string_equal(cmdline, "<denied>");
}

static void version_structs(void **state)
{
	xen_compile_info_t ci;
	xen_platform_parameters_t pp;
	xen_domain_handle_t h;

	(void)state;
	memset(g.mem[1], 0xff, 4096);
	assert_int_equal(call(&g, __HYPERVISOR_xen_version, XENVER_compile_info,
			      gaddr(1, 0), 0),
			 0);
	peek(gaddr(1, 0), &ci, sizeof(ci));
	assert_string_equal(ci.compiler, "clang");
	assert_int_equal(call(&g, __HYPERVISOR_xen_version,
			      XENVER_platform_parameters, gaddr(1, 0), 0),
			 0);
	peek(gaddr(1, 0), &pp, sizeof(pp));
	assert_int_equal(pp.virt_start, 0);
	assert_int_equal(call(&g, __HYPERVISOR_xen_version, XENVER_guest_handle,
			      gaddr(1, 0), 0),
			 0);
	peek(gaddr(1, 0), h, sizeof(h));
	for (size_t i = 0; i < sizeof(h); i++)
		assert_int_equal(h[i], 0);
}

static void version_get_features(void **state)
{
	xen_feature_info_t fi = {.submap_idx = 0, .submap = 0xdead};

	(void)state;
	poke(gaddr(1, 0), &fi, sizeof(fi));
	assert_int_equal(call(&g, __HYPERVISOR_xen_version, XENVER_get_features,
			      gaddr(1, 0), 0),
			 0);
	peek(gaddr(1, 0), &fi, sizeof(fi));
	assert_true(fi.submap & 1u << XENFEAT_auto_translated_physmap);
	assert_false(fi.submap & 1u << XENFEAT_dom0);
	assert_false(fi.submap & 1u << XENFEAT_hvm_callback_vector);

	/* What the image adds. */
	g.dom.features = 1u << XENFEAT_hvm_callback_vector;
	assert_int_equal(call(&g, __HYPERVISOR_xen_version, XENVER_get_features,
			      gaddr(1, 0), 0),
			 0);
	peek(gaddr(1, 0), &fi, sizeof(fi));
	assert_true(fi.submap & 1u << XENFEAT_hvm_callback_vector);
	assert_true(fi.submap & 1u << XENFEAT_auto_translated_physmap);

	fi.submap_idx = 1;
	fi.submap = 0xdead;
	poke(gaddr(1, 0), &fi, sizeof(fi));
	assert_int_equal(call(&g, __HYPERVISOR_xen_version, XENVER_get_features,
			      gaddr(1, 0), 0),
			 -HV_EINVAL);
	peek(gaddr(1, 0), &fi, sizeof(fi));
	assert_int_equal(fi.submap, 0xdead); /* untouched */
}

static void version_bad_pointers_and_denied(void **state)
{
	(void)state;
	assert_int_equal(call(&g, __HYPERVISOR_xen_version, XENVER_extraversion,
			      gaddr(RO_PAGE, 0), 0),
			 -HV_EFAULT);
	assert_int_equal(call(&g, __HYPERVISOR_xen_version, XENVER_get_features,
			      gaddr(HOLE_PAGE, 0), 0),
			 -HV_EFAULT);
	/* The read succeeds, the write-back cannot. */
	assert_int_equal(call(&g, __HYPERVISOR_xen_version, XENVER_get_features,
			      gaddr(RO_PAGE, 0), 0),
			 -HV_EFAULT);
	assert_int_equal(call(&g, __HYPERVISOR_xen_version, XENVER_capabilities,
			      gaddr(4, 4096 - 1024), 0),
			 0); /* 1024 bytes end exactly at the page's end */
	assert_int_equal(call(&g, __HYPERVISOR_xen_version, XENVER_capabilities,
			      gaddr(4, 4096 - 1023), 0),
			 -HV_EFAULT); /* one more reaches the read-only page */
	assert_int_equal(
	    call(&g, __HYPERVISOR_xen_version, XENVER_build_id, gaddr(1, 0), 0),
	    -HV_EPERM);
	assert_int_equal(call(&g, __HYPERVISOR_xen_version, 99, 0, 0),
			 -HV_ENOSYS);
}

static void crash_reports_and_shuts_down_once(void **state)
{
	(void)state;
	hv_xen_domain_crash(&g.dom, "stage-2 fault at 0x1000");
	hv_xen_domain_crash(&g.dom, "again");
	assert_int_equal(g.shutdowns, 1);
	assert_int_equal(g.last_reason, SHUTDOWN_crash);
	assert_int_equal(g.nr_lines, 2);
	assert_string_equal(
	    g.lines[0], "(hvkit) domain g1 crashed: stage-2 fault at 0x1000");
	assert_string_equal(g.lines[1], "(hvkit) domain g1: shutdown crash");
}

static void shutdown_reason_names(void **state)
{
	(void)state;
	assert_string_equal(hv_xen_shutdown_reason_name(SHUTDOWN_poweroff),
			    "poweroff");
	assert_string_equal(hv_xen_shutdown_reason_name(SHUTDOWN_soft_reset),
			    "soft_reset");
	assert_string_equal(hv_xen_shutdown_reason_name(200), "unknown");
}

/* A domain whose guest expects Xen on Arm: hvm_op has get/set_param of
 * any of its own parameters (x86 refuses IDENT_PT, say) and nothing
 * else; the capabilities are arm64's. */
static void arm_domain_answers(void **state)
{
	xen_capabilities_info_t caps;
	struct xen_hvm_param p = {
	    .domid = DOMID_SELF, .index = HVM_PARAM_IDENT_PT, .value = 7};

	(void)state;
	g.dom.arch = HV_XEN_ARCH_ARM;
	g.dom.hvm_params[HVM_PARAM_CONSOLE_EVTCHN] = 3;
	poke(gaddr(1, 0), &p, sizeof(p));
	assert_int_equal(
	    call(&g, __HYPERVISOR_hvm_op, HVMOP_set_param, gaddr(1, 0), 0), 0);
	assert_true(g.dom.hvm_params[HVM_PARAM_IDENT_PT] == 7);
	p.index = HVM_PARAM_CONSOLE_EVTCHN;
	poke(gaddr(1, 0), &p, sizeof(p));
	assert_int_equal(
	    call(&g, __HYPERVISOR_hvm_op, HVMOP_get_param, gaddr(1, 0), 0), 0);
	peek(gaddr(1, 0), &p, sizeof(p));
	assert_true(p.value == 3);
	p.index = HVM_NR_PARAMS;
	poke(gaddr(1, 0), &p, sizeof(p));
	assert_int_equal(
	    call(&g, __HYPERVISOR_hvm_op, HVMOP_get_param, gaddr(1, 0), 0),
	    -HV_EINVAL);
	assert_int_equal(call(&g, __HYPERVISOR_hvm_op, 23, gaddr(1, 0), 0),
			 -HV_ENOSYS);
	assert_int_equal(call(&g, __HYPERVISOR_xen_version, XENVER_capabilities,
			      gaddr(2, 0), 0),
			 0);
	peek(gaddr(2, 0), caps, sizeof(caps));
	assert_string_equal(caps, "xen-3.0-aarch64 ");
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(unknown_hypercalls_are_enosys),
	    T(init_rejects_bad_arguments),
	    T(arm_domain_answers),
	    T(long_names_are_cut),
	    T(console_write),
	    T(console_write_across_pages),
	    T(console_write_bad_buffers),
	    T(console_write_faults_part_way),
	    T(console_count_is_32_bits),
	    T(console_read_and_unknown_are_eperm),
	    T(sched_yield_and_block),
	    T(sched_shutdown_poweroff),
	    T(sched_shutdown_reason_is_not_validated),
	    T(sched_shutdown_bad_pointer),
	    T(sched_shutdown_code_only_announces),
	    T(sched_remote_shutdown_is_not_for_domus),
	    T(sched_other_commands),
	    T(version_numbers),
	    T(version_strings),
	    T(version_structs),
	    T(version_get_features),
	    T(version_bad_pointers_and_denied),
	    T(crash_reports_and_shuts_down_once),
	    T(shutdown_reason_names),
	};
	return cmocka_run_group_tests_name("xen-hypercalls", tests, NULL, NULL);
}
