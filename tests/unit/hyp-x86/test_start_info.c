/*
 * The hvm_start_info libhv-hyp-x86 gives a PVH guest, written into a
 * guest of two pages and read back as the kernel reads it: the magic and
 * version, the flags, the command line, the ramdisk as the one module and
 * the memory map; and a command line too long for the page.
 */
#include <hv/hyp_x86.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>

#define PAGE 4096

/* Guest-physical pages 0 and 1; the start info is in page 1. */
static uint8_t guest[2][PAGE];

static int translate(void *ctx, hv_gfn_t gfn, unsigned int access, void **page)
{
	(void)ctx;
	(void)access;
	if (hv_gfn_x(gfn) >= 2)
		return -HV_EFAULT;
	*page = guest[hv_gfn_x(gfn)];
	return 0;
}

static const void *at(hv_gpaddr_t gpa)
{
	return &guest[gpa / PAGE][gpa % PAGE];
}

static struct hv_boot_domain domain(const char *cmdline)
{
	struct hv_boot_domain d = {
	    .name = "web",
	    .cmdline = cmdline,
	    .memory = 64ull << 20,
	    .vcpus = 1,
	};

	return d;
}

static void write_start_info(const struct hv_boot_domain *d, int expect)
{
	struct hv_gmem gm;

	memset(guest, 0, sizeof(guest));
	hv_gmem_init(&gm, translate, NULL, 64);
	assert_int_equal(hv_hyp_x86_start_info(&gm, d), expect);
}

static void with_ramdisk(void **state)
{
	struct hv_boot_domain d = domain("console=hvc0 quiet");
	struct hvm_start_info si;
	struct hvm_modlist_entry mod;
	struct hvm_memmap_table_entry ram;

	(void)state;
	d.initdomain = true;
	d.has_ramdisk = true;
	d.ramdisk.gpa = 0x2000000;
	d.ramdisk.len = 0x123456;
	write_start_info(&d, 0);
	memcpy(&si, at(HV_HYP_X86_START_INFO_GPA), sizeof(si));
	assert_int_equal(si.magic, XEN_HVM_START_MAGIC_VALUE);
	assert_int_equal(si.version, 1);
	assert_int_equal(si.flags, SIF_PRIVILEGED | SIF_INITDOMAIN);
	assert_string_equal(at(si.cmdline_paddr), "console=hvc0 quiet");
	assert_int_equal(si.nr_modules, 1);
	memcpy(&mod, at(si.modlist_paddr), sizeof(mod));
	assert_int_equal(mod.paddr, 0x2000000);
	assert_int_equal(mod.size, 0x123456);
	assert_int_equal(si.memmap_entries, 1);
	memcpy(&ram, at(si.memmap_paddr), sizeof(ram));
	assert_int_equal(ram.addr, 0);
	assert_int_equal(ram.size, 64ull << 20);
	assert_int_equal(ram.type, XEN_HVM_MEMMAP_TYPE_RAM);
	/* Everything in page 1, where the guest may not be confused by
	 * what its kernel or ramdisk overwrite. */
	assert_int_equal(si.cmdline_paddr / PAGE, 1);
	assert_int_equal(si.modlist_paddr / PAGE, 1);
	assert_int_equal(si.memmap_paddr / PAGE, 1);
}

static void without_ramdisk(void **state)
{
	struct hv_boot_domain d = domain("");
	struct hvm_start_info si;

	(void)state;
	write_start_info(&d, 0);
	memcpy(&si, at(HV_HYP_X86_START_INFO_GPA), sizeof(si));
	assert_int_equal(si.flags, 0);
	assert_int_equal(si.nr_modules, 0);
	assert_int_equal(si.modlist_paddr, 0);
	assert_string_equal(at(si.cmdline_paddr), "");
}

/* The command line fills the rest of the page, its NUL included. */
static void command_line_fits_the_page(void **state)
{
	static char line[PAGE];
	struct hv_boot_domain d = domain(line);
	struct hvm_start_info si;
	size_t room;

	(void)state;
	write_start_info(&d, 0);
	memcpy(&si, at(HV_HYP_X86_START_INFO_GPA), sizeof(si));
	room = 2 * PAGE - si.cmdline_paddr;
	memset(line, 'x', room - 1);
	line[room - 1] = '\0';
	write_start_info(&d, 0);
	assert_string_equal(at(si.cmdline_paddr), line);
	line[room - 1] = 'x';
	line[room] = '\0';
	write_start_info(&d, -HV_E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(with_ramdisk),
	    cmocka_unit_test(without_ramdisk),
	    cmocka_unit_test(command_line_fits_the_page),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
