/*
 * Reading a machine from a PVH loader's hvm_start_info: the start info,
 * its memory map and module list built in a buffer at "physical"
 * addresses below 1 MiB, laid out as QEMU lays them out, then changed one
 * way at a time: RAM to align and clip, the loader's tables where the AP
 * trampoline would go, no module, and each thing the reader cannot do
 * without.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <hv/x86_pvh.h>

#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>

#define MIB	     (UINT64_C(1) << 20)
#define GIB	     (UINT64_C(1) << 30)
#define LIMIT	     (4 * GIB)
#define BASE	     0x90000u /* the buffer's physical address */
#define SPACE	     0x10000u
#define START_INFO   0x90000u
#define MEMMAP	     0x90040u
#define MODLIST	     0x90400u
#define MAX_ENTRIES  24
#define BUNDLE	     (32 * MIB)
#define BUNDLE_SIZE  0x123456u
#define RSDP_ADDRESS 0xf5ad0u
#define QEMU_TRAMPOL 0x9e000u /* the highest whole page of RAM below 1 MiB */
#define RAM	     XEN_HVM_MEMMAP_TYPE_RAM
#define RESERVED     XEN_HVM_MEMMAP_TYPE_RESERVED

static uint8_t low[SPACE] __attribute__((aligned(8)));
static char msg[96];

static const void *map(void *ctx, hv_paddr_t pa, size_t len)
{
	(void)ctx;
	if (pa < BASE || pa - BASE > SPACE || len > SPACE - (pa - BASE))
		return NULL;
	return low + (pa - BASE);
}

static void *at(hv_paddr_t pa)
{
	return low + (pa - BASE);
}

static struct hvm_start_info *info(void)
{
	return at(START_INFO);
}

static struct hvm_memmap_table_entry *memmap(void)
{
	return at(MEMMAP);
}

static struct hvm_modlist_entry *modlist(void)
{
	return at(MODLIST);
}

static void entry(uint64_t addr, uint64_t size, uint32_t type)
{
	struct hvm_start_info *si = info();

	assert_true(si->memmap_entries < MAX_ENTRIES);
	memmap()[si->memmap_entries++] = (struct hvm_memmap_table_entry){
	    .addr = addr, .size = size, .type = type};
}

/* As QEMU's PVH loader for -m 128M -initrd: low RAM up to the EBDA, the
 * BIOS area, RAM from 1 MiB, the bundle at 32 MiB. */
static void qemu_like(void)
{
	struct hvm_start_info *si = info();

	memset(low, 0, sizeof(low));
	*si = (struct hvm_start_info){
	    .magic = XEN_HVM_START_MAGIC_VALUE,
	    .version = 1,
	    .nr_modules = 1,
	    .modlist_paddr = MODLIST,
	    .rsdp_paddr = RSDP_ADDRESS,
	    .memmap_paddr = MEMMAP,
	};
	entry(0, 0x9fc00, RAM);
	entry(0x9fc00, 0x400, RESERVED);
	entry(0xf0000, 0x10000, RESERVED);
	entry(MIB, 127 * MIB, RAM);
	entry(0xfeffc000, 0x4000, RESERVED);
	modlist()[0] =
	    (struct hvm_modlist_entry){.paddr = BUNDLE, .size = BUNDLE_SIZE};
}

static int read_pvh(struct hv_x86_pvh_platform *p)
{
	msg[0] = '\0';
	return hv_x86_pvh_read(START_INFO, map, NULL, LIMIT, p, msg,
			       sizeof(msg));
}

static void reads_qemu_pvh(void **state)
{
	struct hv_x86_pvh_platform p;

	(void)state;
	qemu_like();
	assert_int_equal(read_pvh(&p), 0);
	assert_int_equal(p.nr_ram, 1);
	assert_int_equal(p.ram[0].base, MIB);
	assert_int_equal(p.ram[0].size, 127 * MIB);
	assert_false(p.ram_clipped);
	assert_int_equal(p.module.base, BUNDLE);
	assert_int_equal(p.module.size, BUNDLE_SIZE);
	assert_int_equal(p.rsdp, RSDP_ADDRESS);
	assert_int_equal(p.nr_reserved, 3);
	assert_int_equal(p.reserved[0].base, START_INFO);
	assert_int_equal(p.reserved[0].size, sizeof(struct hvm_start_info));
	assert_int_equal(p.reserved[1].base, MEMMAP);
	assert_int_equal(p.reserved[1].size,
			 5 * sizeof(struct hvm_memmap_table_entry));
	assert_int_equal(p.reserved[2].base, MODLIST);
	assert_int_equal(p.reserved[2].size, sizeof(struct hvm_modlist_entry));
	assert_int_equal(p.trampoline, QEMU_TRAMPOL);
}

/* QEMU's -append: the image's options; none is "", one too long is cut,
 * one nothing maps is "". */
static void reads_the_command_line(void **state)
{
	struct hv_x86_pvh_platform p;
	char *line = at(BASE + 0x8000);

	(void)state;
	qemu_like();
	assert_int_equal(read_pvh(&p), 0);
	assert_string_equal(p.cmdline, "");
	strcpy(line, "trace=/tmp/t.bin quiet");
	info()->cmdline_paddr = BASE + 0x8000;
	assert_int_equal(read_pvh(&p), 0);
	assert_string_equal(p.cmdline, "trace=/tmp/t.bin quiet");
	memset(line, 'x', 400);
	line[400] = '\0';
	assert_int_equal(read_pvh(&p), 0);
	assert_int_equal(strlen(p.cmdline), HV_X86_PVH_CMDLINE_MAX - 1);
	info()->cmdline_paddr = 0x10;
	assert_int_equal(read_pvh(&p), 0);
	assert_string_equal(p.cmdline, "");
}

static void ram_is_aligned_and_clipped(void **state)
{
	struct hv_x86_pvh_platform p;

	(void)state;
	qemu_like();
	info()->memmap_entries = 0;
	entry(0, 0x9fc00, RAM);
	entry(0xc0000, MIB - 0xc0000 + 0x3010, RAM); /* across 1 MiB */
	entry(2 * MIB + 0x800, MIB, RAM);	     /* unaligned */
	entry(3 * GIB, 2 * GIB, RAM);		     /* across 4 GiB */
	entry(5 * GIB, GIB, RAM);		     /* beyond it */
	assert_int_equal(read_pvh(&p), 0);
	assert_int_equal(p.nr_ram, 3);
	assert_int_equal(p.ram[0].base, MIB);
	assert_int_equal(p.ram[0].size, 0x3000);
	assert_int_equal(p.ram[1].base, 2 * MIB + 0x1000);
	assert_int_equal(p.ram[1].size, MIB - 0x1000);
	assert_int_equal(p.ram[2].base, 3 * GIB);
	assert_int_equal(p.ram[2].size, GIB);
	assert_true(p.ram_clipped);
}

static void the_trampoline_avoids_what_is_in_use(void **state)
{
	struct hv_x86_pvh_platform p;

	(void)state;
	/* The start info and its tables in the page QEMU's would take. */
	qemu_like();
	memcpy(at(QEMU_TRAMPOL), info(), sizeof(struct hvm_start_info));
	assert_int_equal(hv_x86_pvh_read(QEMU_TRAMPOL, map, NULL, LIMIT, &p,
					 msg, sizeof(msg)),
			 0);
	assert_int_equal(p.trampoline, QEMU_TRAMPOL - 0x1000);

	/* The module over the next two pages down. */
	modlist()[0] =
	    (struct hvm_modlist_entry){.paddr = 0x9c800, .size = 0x1000};
	assert_int_equal(hv_x86_pvh_read(QEMU_TRAMPOL, map, NULL, LIMIT, &p,
					 msg, sizeof(msg)),
			 0);
	assert_int_equal(p.trampoline, 0x9b000);

	/* Low RAM only in page 0, which a STARTUP cannot name: none. */
	qemu_like();
	memmap()[0].size = 0x1800;
	assert_int_equal(read_pvh(&p), 0);
	assert_int_equal(p.trampoline, 0);
}

static void a_module_is_optional(void **state)
{
	struct hv_x86_pvh_platform p;

	(void)state;
	qemu_like();
	info()->nr_modules = 0;
	assert_int_equal(read_pvh(&p), 0);
	assert_int_equal(p.module.size, 0);
	assert_int_equal(p.nr_reserved, 2);

	qemu_like();
	modlist()[0].size = 0;
	assert_int_equal(read_pvh(&p), 0);
	assert_int_equal(p.module.size, 0);
}

static void expect_error(const char *why)
{
	struct hv_x86_pvh_platform p;

	assert_int_equal(read_pvh(&p), -HV_EINVAL);
	assert_string_equal(msg, why);
}

static void what_it_cannot_do_without(void **state)
{
	struct hv_x86_pvh_platform p;

	(void)state;
	qemu_like();
	info()->magic = 0x12345678;
	expect_error("no hvm_start_info at 0x90000 (magic 0x12345678)");
	assert_int_equal(
	    hv_x86_pvh_read(0x1000, map, NULL, LIMIT, &p, msg, sizeof(msg)),
	    -HV_EINVAL);
	assert_string_equal(msg, "no hvm_start_info at 0x1000 (magic 0)");

	qemu_like();
	info()->version = 0;
	expect_error("the loader passed no memory map (hvm_start_info "
		     "version 0)");
	qemu_like();
	info()->memmap_entries = 0;
	expect_error("the loader passed no memory map (hvm_start_info "
		     "version 1)");
	qemu_like();
	info()->memmap_paddr = 0x1000;
	expect_error("cannot read the memory map at 0x1000");

	qemu_like();
	memmap()[3].type = RESERVED;
	expect_error("the memory map has no RAM above 1 MiB");
	qemu_like();
	memmap()[3].size = 0xfff; /* not one whole page */
	expect_error("the memory map has no RAM above 1 MiB");

	qemu_like();
	info()->memmap_entries = 0;
	for (unsigned int i = 0; i <= HV_X86_PVH_MAX_RAM; i++)
		entry(MIB + i * 2 * MIB, MIB, RAM);
	expect_error("more than 16 RAM ranges");

	qemu_like();
	info()->modlist_paddr = 0x2000;
	expect_error("cannot read the module list at 0x2000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reads_qemu_pvh),
	    cmocka_unit_test(reads_the_command_line),
	    cmocka_unit_test(ram_is_aligned_and_clipped),
	    cmocka_unit_test(the_trampoline_avoids_what_is_in_use),
	    cmocka_unit_test(a_module_is_optional),
	    cmocka_unit_test(what_it_cannot_do_without),
	};
	return cmocka_run_group_tests_name("x86-pvh", tests, NULL, NULL);
}
