/*
 * The hvm_start_info libhv-hyp-x86 gives a PVH guest, written into a
 * guest of three pages and read back as the kernel reads it: the magic and
 * version, the flags, the command line, the ramdisk as the one module, the
 * memory map and the ACPI tables its rsdp_paddr names (read by libhv-x86's
 * MADT parser, as the image reads QEMU's); a command line too long for the
 * page, too many vCPUs, too little RAM; XENMEM_memory_map giving the same
 * map in E820 form, cut to the guest's buffer.
 */
#include <hv/hyp_x86.h>
#include <hv/x86_madt.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>
#include <xen/memory.h>

#define PAGE  4096
#define PAGES 4

/* Guest-physical pages 0-3; the start info is in page 1, ACPI in page 2,
 * and the tests' own structures in page 3. */
static uint8_t guest[PAGES][PAGE];

static int translate(void *ctx, hv_gfn_t gfn, unsigned int access, void **page)
{
	(void)ctx;
	(void)access;
	if (hv_gfn_x(gfn) >= PAGES)
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
	struct hvm_memmap_table_entry map[3];

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
	/* RAM around the ACPI page, which the guest must keep. */
	assert_int_equal(si.memmap_entries, 3);
	memcpy(map, at(si.memmap_paddr), sizeof(map));
	assert_int_equal(map[0].addr, 0);
	assert_int_equal(map[0].size, 0x2000);
	assert_int_equal(map[0].type, XEN_HVM_MEMMAP_TYPE_RAM);
	assert_int_equal(map[1].addr, HV_HYP_X86_ACPI_GPA);
	assert_int_equal(map[1].size, PAGE);
	assert_int_equal(map[1].type, XEN_HVM_MEMMAP_TYPE_ACPI);
	assert_int_equal(map[2].addr, 0x3000);
	assert_int_equal(map[2].size, (64ull << 20) - 0x3000);
	assert_int_equal(map[2].type, XEN_HVM_MEMMAP_TYPE_RAM);
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

static const void *map_guest(void *ctx, hv_paddr_t pa, size_t len)
{
	(void)ctx;
	if (pa >= sizeof(guest) || len > sizeof(guest) - pa)
		return NULL;
	return at(pa);
}

/* The RSDP in page 2, and a MADT listing vCPU n at APIC ID n. */
static void acpi_tables(void **state)
{
	struct hv_boot_domain d = domain("");
	struct hvm_start_info si;
	uint32_t ids[HV_HYP_X86_MAX_VCPUS + 1];

	(void)state;
	for (unsigned int n = 1; n <= HV_HYP_X86_MAX_VCPUS; n++) {
		d.vcpus = n;
		write_start_info(&d, 0);
		memcpy(&si, at(HV_HYP_X86_START_INFO_GPA), sizeof(si));
		assert_int_equal(si.rsdp_paddr, HV_HYP_X86_ACPI_GPA);
		assert_memory_equal(at(si.rsdp_paddr), "RSD PTR ", 8);
		assert_int_equal(hv_x86_acpi_cpus(si.rsdp_paddr, map_guest,
						  NULL, ids,
						  HV_HYP_X86_MAX_VCPUS + 1),
				 (int)n);
		for (unsigned int i = 0; i < n; i++)
			assert_int_equal(ids[i], i);
	}
	d.vcpus = HV_HYP_X86_MAX_VCPUS + 1;
	write_start_info(&d, -HV_EINVAL);
	d.vcpus = 0;
	write_start_info(&d, -HV_EINVAL);
}

/* RAM must reach past the ACPI page. */
static void too_little_ram(void **state)
{
	struct hv_boot_domain d = domain("");
	struct hv_hyp_x86_memmap_entry map[HV_HYP_X86_MEMMAP_ENTRIES];

	(void)state;
	d.memory = 0x3000;
	write_start_info(&d, -HV_EINVAL);
	assert_int_equal(hv_hyp_x86_memmap(0x3000, map), -HV_EINVAL);
	assert_int_equal(hv_hyp_x86_memmap(0x4000, map), 0);
	assert_int_equal(map[2].addr, 0x3000);
	assert_int_equal(map[2].size, 0x1000);
}

/* One packed E820 entry as the guest reads it. */
static void e820_at(hv_gpaddr_t gpa, uint64_t addr, uint64_t size,
		    uint32_t type)
{
	uint64_t a, s;
	uint32_t t;

	memcpy(&a, at(gpa), 8);
	memcpy(&s, at(gpa + 8), 8);
	memcpy(&t, at(gpa + 16), 4);
	assert_int_equal(a, addr);
	assert_int_equal(s, size);
	assert_int_equal(t, type);
}

#define ARG_GPA	   0x3000
#define BUFFER_GPA 0x3100

static long memory_map(unsigned int nr_entries, struct xen_memory_map *out)
{
	struct xen_memory_map mm = {.nr_entries = nr_entries};
	struct hv_gmem gm;
	long rc;

	hv_gmem_init(&gm, translate, NULL, 64);
	memset(guest, 0, sizeof(guest));
	set_xen_guest_handle(mm.buffer, (void *)(uintptr_t)BUFFER_GPA);
	memcpy(&guest[3][0], &mm, sizeof(mm));
	rc = hv_hyp_x86_memory_map(&gm, 64ull << 20, ARG_GPA);
	memcpy(out, at(ARG_GPA), sizeof(*out));
	return rc;
}

static void xenmem_memory_map(void **state)
{
	struct xen_memory_map mm;
	struct hv_gmem gm;

	(void)state;
	assert_int_equal(memory_map(8, &mm), 0);
	assert_int_equal(mm.nr_entries, 3);
	e820_at(BUFFER_GPA, 0, 0x2000, XEN_HVM_MEMMAP_TYPE_RAM);
	e820_at(BUFFER_GPA + 20, 0x2000, 0x1000, XEN_HVM_MEMMAP_TYPE_ACPI);
	e820_at(BUFFER_GPA + 40, 0x3000, (64ull << 20) - 0x3000,
		XEN_HVM_MEMMAP_TYPE_RAM);
	/* Cut to the buffer; nothing written past it. */
	assert_int_equal(memory_map(2, &mm), 0);
	assert_int_equal(mm.nr_entries, 2);
	e820_at(BUFFER_GPA + 20, 0x2000, 0x1000, XEN_HVM_MEMMAP_TYPE_ACPI);
	e820_at(BUFFER_GPA + 40, 0, 0, 0);
	assert_int_equal(memory_map(0, &mm), 0);
	assert_int_equal(mm.nr_entries, 0);
	/* The argument or the buffer outside the guest. */
	hv_gmem_init(&gm, translate, NULL, 64);
	assert_int_equal(hv_hyp_x86_memory_map(&gm, 64ull << 20, PAGES * PAGE),
			 -HV_EFAULT);
	mm.nr_entries = 3;
	set_xen_guest_handle(mm.buffer, (void *)(uintptr_t)(PAGES * PAGE));
	memcpy(&guest[3][0], &mm, sizeof(mm));
	assert_int_equal(hv_hyp_x86_memory_map(&gm, 64ull << 20, ARG_GPA),
			 -HV_EFAULT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(with_ramdisk),
	    cmocka_unit_test(without_ramdisk),
	    cmocka_unit_test(command_line_fits_the_page),
	    cmocka_unit_test(acpi_tables),
	    cmocka_unit_test(too_little_ram),
	    cmocka_unit_test(xenmem_memory_map),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
