/*
 * The device tree libhv-hyp-arm gives a guest, built natively and read
 * back with libfdt: memory, one CPU node per vCPU, /chosen, the emulated
 * UART and the hypervisor node.  dtc must also accept it (a separate meson
 * test decompiles the blob this writes).
 */
#include <hv/hyp_arm.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>

/* Xen's Arm guest memory map (xen/arch-arm.h), which an x86 host's
 * <xen/xen.h> does not describe: what hv_hyp_arm_xen_layout must say. */
#define GUEST_RAM0_BASE 0x40000000ull
static const struct hv_hyp_arm_layout layout = {
    .uart = 0x22000000,
    .uart_size = 0x1000,
    .gnttab = 0x38000000,
    .gnttab_size = 0x01000000,
    .gicd = 0x03001000,
    .gicr = 0x03020000,
};

static uint64_t blob[8192];

static struct hv_boot_domain domain(unsigned int vcpus, bool ramdisk)
{
	struct hv_boot_domain d = {
	    .name = "web",
	    .cmdline = "console=hvc0 quiet",
	    .memory = 64ull << 20,
	    .ram_base = GUEST_RAM0_BASE,
	    .vcpus = vcpus,
	    .has_ramdisk = ramdisk,
	};

	return d;
}

static uint64_t u64_at(const void *p, int i)
{
	fdt64_t v;

	memcpy(&v, (const char *)p + 8 * i, 8);
	return fdt64_to_cpu(v);
}

static void memory_and_chosen(void **state)
{
	struct hv_boot_domain d = domain(1, true);
	const void *reg, *start;
	int node, len;

	(void)state;
	assert_int_equal(hv_hyp_arm_guest_fdt(blob, sizeof(blob), &d, &layout,
					      0x43000000, 0x1000),
			 0);
	assert_int_equal(fdt_check_header(blob), 0);

	node = fdt_path_offset(blob, "/memory@40000000");
	assert_true(node >= 0);
	assert_string_equal(fdt_getprop(blob, node, "device_type", NULL),
			    "memory");
	reg = fdt_getprop(blob, node, "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(u64_at(reg, 0), GUEST_RAM0_BASE);
	assert_int_equal(u64_at(reg, 1), 64ull << 20);

	node = fdt_path_offset(blob, "/chosen");
	assert_string_equal(fdt_getprop(blob, node, "bootargs", NULL),
			    "console=hvc0 quiet");
	assert_string_equal(fdt_getprop(blob, node, "stdout-path", NULL),
			    "/sbsa-uart@22000000");
	start = fdt_getprop(blob, node, "linux,initrd-start", &len);
	assert_int_equal(len, 8);
	assert_int_equal(u64_at(start, 0), 0x43000000);
	assert_int_equal(
	    u64_at(fdt_getprop(blob, node, "linux,initrd-end", NULL), 0),
	    0x43001000);
}

static void one_cpu_node_per_vcpu(void **state)
{
	struct hv_boot_domain d = domain(3, false);
	int cpus, node, n = 0;

	(void)state;
	assert_int_equal(
	    hv_hyp_arm_guest_fdt(blob, sizeof(blob), &d, &layout, 0, 0), 0);
	cpus = fdt_path_offset(blob, "/cpus");
	fdt_for_each_subnode (node, blob, cpus) {
		const fdt32_t *reg = fdt_getprop(blob, node, "reg", NULL);

		assert_int_equal(fdt32_to_cpu(*reg), n);
		assert_string_equal(
		    fdt_getprop(blob, node, "enable-method", NULL), "psci");
		n++;
	}
	assert_int_equal(n, 3);
	assert_string_equal(
	    fdt_getprop(blob, fdt_path_offset(blob, "/psci"), "method", NULL),
	    "hvc");
	/* No ramdisk, no initrd properties. */
	assert_null(fdt_getprop(blob, fdt_path_offset(blob, "/chosen"),
				"linux,initrd-start", NULL));
}

static void hypervisor_and_uart_nodes(void **state)
{
	struct hv_boot_domain d = domain(1, false);
	int node;

	(void)state;
	assert_int_equal(
	    hv_hyp_arm_guest_fdt(blob, sizeof(blob), &d, &layout, 0, 0), 0);
	node = fdt_path_offset(blob, "/hypervisor");
	assert_int_equal(fdt_node_check_compatible(blob, node, "xen,xen"), 0);
	assert_int_equal(u64_at(fdt_getprop(blob, node, "reg", NULL), 0),
			 layout.gnttab);
	node = fdt_path_offset(blob, "/sbsa-uart@22000000");
	assert_int_equal(fdt_node_check_compatible(blob, node, "arm,sbsa-uart"),
			 0);
	assert_int_equal(u64_at(fdt_getprop(blob, node, "reg", NULL), 0),
			 layout.uart);
}

/* The "interrupts" cells of the node at `path`, n specifiers of 3. */
static void interrupts_are(const char *path, const uint32_t *want,
			   unsigned int n)
{
	int len;
	const fdt32_t *got =
	    fdt_getprop(blob, fdt_path_offset(blob, path), "interrupts", &len);

	assert_non_null(got);
	assert_int_equal(len, (int)(n * 3 * sizeof(*got)));
	for (unsigned int i = 0; i < n * 3; i++)
		assert_int_equal(fdt32_to_cpu(got[i]), want[i]);
}

static void gic_timer_and_interrupts(void **state)
{
	struct hv_boot_domain d = domain(4, false);
	const fdt32_t *phandle;
	int gic;

	(void)state;
	assert_int_equal(
	    hv_hyp_arm_guest_fdt(blob, sizeof(blob), &d, &layout, 0, 0), 0);
	/* The GICv3: its distributor and four redistributors of 128 KiB,
	 * every interrupt's parent. */
	gic = fdt_path_offset(blob, "/interrupt-controller@3001000");
	assert_int_equal(fdt_node_check_compatible(blob, gic, "arm,gic-v3"), 0);
	assert_non_null(fdt_getprop(blob, gic, "interrupt-controller", NULL));
	assert_int_equal(u64_at(fdt_getprop(blob, gic, "reg", NULL), 0),
			 0x03001000);
	assert_int_equal(u64_at(fdt_getprop(blob, gic, "reg", NULL), 2),
			 0x03020000);
	assert_int_equal(u64_at(fdt_getprop(blob, gic, "reg", NULL), 3),
			 4 * 0x20000);
	phandle = fdt_getprop(blob, 0, "interrupt-parent", NULL);
	assert_non_null(phandle);
	assert_int_equal(
	    fdt_node_offset_by_phandle(blob, fdt32_to_cpu(*phandle)), gic);
	/* The timer's PPIs 29, 30, 27, 26; Xen's event PPI 31; the UART's
	 * SPI 32. */
	interrupts_are("/timer",
		       (const uint32_t[]){1, 13, 0xf08, 1, 14, 0xf08, 1, 11,
					  0xf08, 1, 10, 0xf08},
		       4);
	interrupts_are("/hypervisor", (const uint32_t[]){1, 15, 0xf08}, 1);
	interrupts_are("/sbsa-uart@22000000", (const uint32_t[]){0, 0, 4}, 1);
}

static void too_small_a_buffer_is_enospc(void **state)
{
	struct hv_boot_domain d = domain(1, false);

	(void)state;
	assert_int_equal(hv_hyp_arm_guest_fdt(blob, 128, &d, &layout, 0, 0),
			 -HV_ENOSPC);
}

static void xen_layout_is_xens(void **state)
{
	(void)state;
	assert_memory_equal(&hv_hyp_arm_xen_layout, &layout, sizeof(layout));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(memory_and_chosen),
	    cmocka_unit_test(one_cpu_node_per_vcpu),
	    cmocka_unit_test(hypervisor_and_uart_nodes),
	    cmocka_unit_test(gic_timer_and_interrupts),
	    cmocka_unit_test(too_small_a_buffer_is_enospc),
	    cmocka_unit_test(xen_layout_is_xens),
	};
	int failed =
	    cmocka_run_group_tests_name("guest-fdt", tests, NULL, NULL);

	/* With a path: write a sample device tree for dtc to check. */
	if (argc > 1 && !failed) {
		struct hv_boot_domain d = domain(2, true);
		FILE *f = fopen(argv[1], "wb");

		if (!f ||
		    hv_hyp_arm_guest_fdt(blob, sizeof(blob), &d, &layout,
					 0x43000000, 0x1000) != 0 ||
		    fwrite(blob, 1, fdt_totalsize(blob), f) !=
			fdt_totalsize(blob) ||
		    fclose(f) != 0)
			return 1;
	}
	return failed;
}
