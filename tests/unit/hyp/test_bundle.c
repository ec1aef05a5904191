/*
 * Domains from a boot bundle to their end: hv_hyp_build_bundle() builds
 * each domain the bundle describes (or says which one it could not), and
 * hv_hyp_destroy_all() ends them with every frame back in the heap.
 * Bundles are written here with libfdt, as hvkit's tool writes them.
 */
#include "fake_arch.h"

#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#define MIB (1ull << 20)

static const struct hv_hyp_config rr = {.timeslice = HV_MSEC(1)};
static char blob[1 << 14];

static void hello_then_poweroff(struct fake *f, struct hv_hyp_vcpu *v)
{
	(void)f;
	if (fake_vcpu(v)->exits == 0)
		assert_int_equal(fake_print(v, "hello\n"), 0);
	else
		assert_int_equal(fake_poweroff(v), 0);
}

static void domain(void *fdt, unsigned int i, const char *name, uint64_t memory)
{
	static const char kernel[] = "KERNEL";
	char node[32];

	snprintf(node, sizeof(node), "domain@%u", i);
	fdt_begin_node(fdt, node);
	fdt_property_string(fdt, "name", name);
	fdt_property_string(fdt, "type", "pvh");
	fdt_property_u64(fdt, "memory", memory);
	fdt_property_u64(fdt, "ram-base", 0);
	fdt_property_u32(fdt, "vcpus", 1);
	fdt_property_string(fdt, "cmdline", "");
	fdt_property_u64(fdt, "entry", 0x1000);
	fdt_property_string(fdt, "kernel-format", "elf");
	fdt_begin_node(fdt, "segment@0");
	fdt_property_u64(fdt, "gpa", 0x1000);
	fdt_property(fdt, "data", kernel, sizeof(kernel));
	fdt_property_u64(fdt, "mem-size", sizeof(kernel));
	fdt_end_node(fdt);
	fdt_end_node(fdt);
}

/* A bundle for `arch` of two domains, the second of `second_memory`. */
static const void *bundle(const char *arch, uint64_t second_memory)
{
	assert_int_equal(fdt_create(blob, sizeof(blob)), 0);
	fdt_finish_reservemap(blob);
	fdt_begin_node(blob, "");
	fdt_property_string(blob, "compatible", HV_BOOT_COMPATIBLE);
	fdt_property_string(blob, "arch", arch);
	domain(blob, 0, "first", 4 * MIB);
	domain(blob, 1, "second", second_memory);
	fdt_end_node(blob);
	assert_int_equal(fdt_finish(blob), 0);
	return blob;
}

static void builds_runs_and_destroys_every_domain(void **state)
{
	struct fake f;
	struct hv_boot_error err;

	(void)state;
	fake_init(&f, FAKE_X86, 8192, 1, &rr, hello_then_poweroff);
	f.ops.name = "x86_64";
	assert_int_equal(hv_hyp_build_bundle(&f.hyp, bundle("x86_64", 8 * MIB),
					     sizeof(blob), &err),
			 2);
	assert_string_equal(hv_hyp_domain_get(&f.hyp, 0)->xen.name, "first");
	assert_string_equal(hv_hyp_domain_get(&f.hyp, 1)->xen.name, "second");
	assert_int_equal(hv_hyp_domain_get(&f.hyp, 1)->ram_size, 8 * MIB);
	assert_int_equal(fake_run(&f), 0);
	assert_true(fake_console_has(&f, "(second) hello"));
	assert_int_equal(hv_hyp_destroy_all(&f.hyp), 0);
	assert_null(hv_hyp_domain_get(&f.hyp, 0));
	assert_null(hv_hyp_domain_get(&f.hyp, 1));
	fake_fini(&f); /* every frame back */
}

static void a_domain_that_cannot_be_built_is_named(void **state)
{
	struct fake f;
	struct hv_boot_error err;

	(void)state;
	fake_init(&f, FAKE_X86, 4096, 1, &rr, hello_then_poweroff);
	f.ops.name = "x86_64";
	/* 64 MiB is more than the 16 MiB machine has. */
	assert_int_equal(hv_hyp_build_bundle(&f.hyp, bundle("x86_64", 64 * MIB),
					     sizeof(blob), &err),
			 -HV_ENOMEM);
	assert_non_null(strstr(err.msg, "cannot build domain second"));
	/* The first stays, running, until it is shut down. */
	assert_non_null(hv_hyp_domain_get(&f.hyp, 0));
	assert_null(hv_hyp_domain_get(&f.hyp, 1));
	assert_int_equal(hv_hyp_destroy_all(&f.hyp), -HV_EBUSY);
	assert_non_null(hv_hyp_domain_get(&f.hyp, 0));
	fake_fini(&f);
}

static void a_bundle_for_another_architecture_builds_nothing(void **state)
{
	struct fake f;
	struct hv_boot_error err;

	(void)state;
	fake_init(&f, FAKE_X86, 4096, 1, &rr, hello_then_poweroff);
	f.ops.name = "x86_64";
	assert_int_equal(hv_hyp_build_bundle(&f.hyp, bundle("aarch64", 4 * MIB),
					     sizeof(blob), &err),
			 -HV_EINVAL);
	assert_non_null(strstr(err.msg, "aarch64"));
	assert_null(hv_hyp_domain_get(&f.hyp, 0));
	fake_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(builds_runs_and_destroys_every_domain),
	    cmocka_unit_test(a_domain_that_cannot_be_built_is_named),
	    cmocka_unit_test(a_bundle_for_another_architecture_builds_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
