/*
 * Reading a machine from its device tree: QEMU's own for `virt` (dumped
 * by the build with -M virt,dumpdtb=, gic-version=3, 4 CPUs, 256 MiB),
 * read as it is and edited with libfdt one way at a time: an initrd and
 * reserved regions added, the boot CPU not the first, more CPUs than the
 * reader keeps, and each thing it cannot do without taken away.
 */
#include <hv/arm_platform.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>

static const char *dtb_path;
static char qemu_dtb[1 << 20];
static char dtb[sizeof(qemu_dtb) + 4096];
static char msg[80];

/* A fresh copy of QEMU's device tree, with room to edit it. */
static void *fresh(void)
{
	assert_int_equal(fdt_open_into(qemu_dtb, dtb, sizeof(dtb)), 0);
	return dtb;
}

static int read_platform(void *fdt, uint64_t boot, struct hv_arm_platform *p)
{
	msg[0] = '\0';
	return hv_arm_platform_read(fdt, boot, p, msg, sizeof(msg));
}

static void reads_qemu_virt(void **state)
{
	struct hv_arm_platform p;

	(void)state;
	assert_int_equal(read_platform(fresh(), 0, &p), 0);
	assert_int_equal(p.nr_ram, 1);
	assert_int_equal(p.ram[0].base, 0x40000000);
	assert_int_equal(p.ram[0].size, 256 << 20);
	assert_int_equal(p.uart, 0x09000000);
	assert_int_equal(p.uart_intid, 33); /* SPI 1 */
	assert_int_equal(p.gicd, 0x08000000);
	assert_int_equal(p.gicr, 0x080a0000);
	assert_int_equal(p.nr_cpus, 4);
	assert_int_equal(p.cpus_listed, 4);
	for (unsigned int i = 0; i < 4; i++)
		assert_int_equal(p.cpus[i], i);
	assert_int_equal(p.initrd.size, 0);
	assert_int_equal(p.nr_reserved, 0);
}

static void reads_initrd_and_reserved_regions(void **state)
{
	void *fdt = fresh();
	int chosen = fdt_path_offset(fdt, "/chosen"), rsv, n;
	struct hv_arm_platform p;

	(void)state;
	assert_int_equal(
	    fdt_setprop_u64(fdt, chosen, "linux,initrd-start", 0x48000000), 0);
	/* 32-bit cells, as some boot loaders write them. */
	assert_int_equal(
	    fdt_setprop_u32(fdt, chosen, "linux,initrd-end", 0x48100000), 0);
	assert_int_equal(fdt_add_mem_rsv(fdt, 0x40000000, 0x10000), 0);
	rsv = fdt_add_subnode(fdt, 0, "reserved-memory");
	fdt_setprop_u32(fdt, rsv, "#address-cells", 2);
	fdt_setprop_u32(fdt, rsv, "#size-cells", 2);
	n = fdt_add_subnode(fdt, rsv, "fw@4f000000");
	fdt64_t reg[2] = {cpu_to_fdt64(0x4f000000), cpu_to_fdt64(0x200000)};
	assert_int_equal(fdt_setprop(fdt, n, "reg", reg, sizeof(reg)), 0);

	assert_int_equal(read_platform(fdt, 0, &p), 0);
	assert_int_equal(p.initrd.base, 0x48000000);
	assert_int_equal(p.initrd.size, 0x100000);
	assert_int_equal(p.nr_reserved, 2);
	assert_int_equal(p.reserved[0].base, 0x40000000);
	assert_int_equal(p.reserved[0].size, 0x10000);
	assert_int_equal(p.reserved[1].base, 0x4f000000);
	assert_int_equal(p.reserved[1].size, 0x200000);
}

/* QEMU's -append, as /chosen/bootargs: the image's options. */
static void reads_the_command_line(void **state)
{
	void *fdt = fresh();
	int chosen = fdt_path_offset(fdt, "/chosen");
	struct hv_arm_platform p;
	char longer[400];

	(void)state;
	assert_int_equal(read_platform(fdt, 0, &p), 0);
	assert_string_equal(p.cmdline, "");
	assert_int_equal(
	    fdt_setprop_string(fdt, chosen, "bootargs", "trace=t.bin quiet"),
	    0);
	assert_int_equal(read_platform(fdt, 0, &p), 0);
	assert_string_equal(p.cmdline, "trace=t.bin quiet");
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	assert_int_equal(fdt_setprop_string(fdt, chosen, "bootargs", longer),
			 0);
	assert_int_equal(read_platform(fdt, 0, &p), 0);
	assert_int_equal(strlen(p.cmdline), HV_ARM_PLATFORM_CMDLINE_MAX - 1);
}

static void the_boot_cpu_comes_first(void **state)
{
	struct hv_arm_platform p;

	(void)state;
	assert_int_equal(read_platform(fresh(), 2, &p), 0);
	assert_int_equal(p.nr_cpus, 4);
	assert_int_equal(p.cpus[0], 2);
	assert_int_equal(p.cpus[1], 0);
	assert_int_equal(p.cpus[2], 1);
	assert_int_equal(p.cpus[3], 3);
}

static void cpus_beyond_the_array_are_counted(void **state)
{
	void *fdt = fresh();
	int cpus = fdt_path_offset(fdt, "/cpus");
	struct hv_arm_platform p;

	(void)state;
	for (unsigned int i = 4; i < HV_ARM_PLATFORM_MAX_CPUS + 3; i++) {
		char name[16];
		int n;

		snprintf(name, sizeof(name), "cpu@%u", i);
		n = fdt_add_subnode(fdt, cpus, name);
		fdt_setprop_string(fdt, n, "device_type", "cpu");
		fdt_setprop_u32(fdt, n, "reg", i);
	}
	assert_int_equal(read_platform(fdt, 0, &p), 0);
	assert_int_equal(p.nr_cpus, HV_ARM_PLATFORM_MAX_CPUS);
	assert_int_equal(p.cpus_listed, HV_ARM_PLATFORM_MAX_CPUS + 3);
}

static void what_it_cannot_do_without(void **state)
{
	struct hv_arm_platform p;
	void *fdt;
	char garbage[64] = {0};

	(void)state;
	assert_int_equal(read_platform(garbage, 0, &p), -HV_EINVAL);
	assert_non_null(strstr(msg, "no valid device tree"));

	fdt = fresh();
	fdt_del_node(fdt, fdt_path_offset(fdt, "/memory@40000000"));
	assert_int_equal(read_platform(fdt, 0, &p), -HV_EINVAL);
	assert_string_equal(msg, "the device tree describes no memory");
	assert_int_equal(p.uart, 0x09000000); /* found: the caller says it */

	fdt = fresh();
	fdt_nop_node(fdt, fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3"));
	assert_int_equal(read_platform(fdt, 0, &p), -HV_EINVAL);
	assert_string_equal(msg, "no arm,gic-v3 with its redistributors");

	fdt = fresh();
	{
		fdt64_t reg[2 * (HV_ARM_PLATFORM_MAX_RAM + 1)];

		for (unsigned int i = 0; i < HV_ARM_PLATFORM_MAX_RAM + 1; i++) {
			reg[2 * i] =
			    cpu_to_fdt64(0x40000000ull + i * 0x1000000);
			reg[2 * i + 1] = cpu_to_fdt64(0x100000);
		}
		assert_int_equal(
		    fdt_setprop(fdt, fdt_path_offset(fdt, "/memory@40000000"),
				"reg", reg, sizeof(reg)),
		    0);
	}
	assert_int_equal(read_platform(fdt, 0, &p), -HV_EINVAL);
	assert_non_null(strstr(msg, "more than 4 RAM ranges"));
}

/* Build a property of two 64-bit cells. */
static void reg64(void *fdt, const char *name, uint64_t base, uint64_t size)
{
	fdt64_t v[2] = {cpu_to_fdt64(base), cpu_to_fdt64(size)};

	assert_int_equal(fdt_property(fdt, name, v, sizeof(v)), 0);
}

/* As libfdt's lookups: the first of duplicate properties counts, and a
 * node's properties after its first child are none of its own. */
static void first_of_duplicates_and_none_after_children(void **state)
{
	static char small[4096];
	fdt64_t gic[4] = {cpu_to_fdt64(0x08000000), cpu_to_fdt64(0x10000),
			  cpu_to_fdt64(0x080a0000), cpu_to_fdt64(0xf60000)};
	struct hv_arm_platform p;

	(void)state;
	assert_int_equal(fdt_create(small, sizeof(small)), 0);
	assert_int_equal(fdt_finish_reservemap(small), 0);
	assert_int_equal(fdt_begin_node(small, ""), 0);
	assert_int_equal(fdt_property_u32(small, "#address-cells", 2), 0);
	assert_int_equal(fdt_property_u32(small, "#size-cells", 2), 0);
	assert_int_equal(fdt_begin_node(small, "memory@40000000"), 0);
	assert_int_equal(fdt_property_string(small, "device_type", "memory"),
			 0);
	reg64(small, "reg", 0x40000000, 0x1000000);
	reg64(small, "reg", 0x50000000, 0x1000000); /* a second: not read */
	assert_int_equal(fdt_end_node(small), 0);
	assert_int_equal(fdt_begin_node(small, "intc@8000000"), 0);
	assert_int_equal(fdt_property_string(small, "compatible", "arm,gic-v3"),
			 0);
	assert_int_equal(fdt_property(small, "reg", gic, sizeof(gic)), 0);
	assert_int_equal(fdt_end_node(small), 0);
	/* A property after a child node: not /chosen's. */
	assert_int_equal(fdt_begin_node(small, "chosen"), 0);
	assert_int_equal(fdt_begin_node(small, "child"), 0);
	assert_int_equal(fdt_end_node(small), 0);
	assert_int_equal(fdt_property_string(small, "bootargs", "late"), 0);
	assert_int_equal(fdt_end_node(small), 0);
	assert_int_equal(fdt_end_node(small), 0);
	assert_int_equal(fdt_finish(small), 0);

	assert_int_equal(read_platform(small, 0, &p), 0);
	assert_int_equal(p.nr_ram, 1);
	assert_int_equal(p.ram[0].base, 0x40000000);
	assert_int_equal(p.gicd, 0x08000000);
	assert_int_equal(p.gicr, 0x080a0000);
	assert_string_equal(p.cmdline, "");
}

/* A structure libfdt would trust (and loop on): said, with where. */
static void refuses_a_malformed_tree(void **state)
{
	struct hv_arm_platform p;
	void *fdt = fresh();
	int node = fdt_path_offset(fdt, "/memory@40000000");
	int prop = fdt_first_property_offset(fdt, node);
	fdt32_t huge = cpu_to_fdt32(0xfffffff4);
	char want[80];

	(void)state;
	memcpy((char *)fdt + fdt_off_dt_struct(fdt) + prop + 4, &huge,
	       sizeof(huge));
	assert_int_equal(read_platform(fdt, 0, &p), -HV_EINVAL);
	snprintf(want, sizeof(want),
		 "device tree, offset %#x: a property value runs past the "
		 "structure block",
		 prop);
	assert_string_equal(msg, want);
}

static void load_qemu_dtb(void)
{
	FILE *f = fopen(dtb_path, "rb");
	size_t n;

	if (!f) {
		perror(dtb_path);
		exit(1);
	}
	n = fread(qemu_dtb, 1, sizeof(qemu_dtb), f);
	fclose(f);
	if (n == 0 || fdt_check_header(qemu_dtb) != 0) {
		fprintf(stderr, "%s: not a device tree\n", dtb_path);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reads_qemu_virt),
	    cmocka_unit_test(reads_initrd_and_reserved_regions),
	    cmocka_unit_test(reads_the_command_line),
	    cmocka_unit_test(the_boot_cpu_comes_first),
	    cmocka_unit_test(cpus_beyond_the_array_are_counted),
	    cmocka_unit_test(what_it_cannot_do_without),
	    cmocka_unit_test(refuses_a_malformed_tree),
	    cmocka_unit_test(first_of_duplicates_and_none_after_children),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s QEMU-VIRT.dtb\n", argv[0]);
		return 2;
	}
	dtb_path = argv[1];
	load_qemu_dtb();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
