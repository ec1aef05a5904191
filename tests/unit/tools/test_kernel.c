/*
 * test_kernel.c - kernel format detection and the ELF, arm64 Image and
 * raw loaders, on files made in the test.
 */
#include <elf.h>
#include <string.h>

#include <xen/elfnote.h>

#include "kernel.h"
#include "testutil.h"

#define ARM_RAM UINT64_C(0x40000000) /* GUEST_RAM0_BASE */

static uint8_t buf[16384];
static struct hvkit_kernel k;
static struct hvkit_err err;

static int load(enum hvkit_arch arch, size_t size)
{
	memset(&err, 0, sizeof(err));
	return hvkit_kernel_load(&k, arch, buf, size, &err);
}

static void fails(enum hvkit_arch arch, size_t size, const char *msg)
{
	assert_int_equal(load(arch, size), -1);
	assert_string_equal(err.msg, msg);
	assert_null(k.segments);
	assert_int_equal(k.nr_segments, 0);
}

static void check_segment(size_t i, uint64_t gpa, uint64_t file_size,
			  uint64_t mem_size, uint8_t fill)
{
	const struct hvkit_segment *s = &k.segments[i];
	uint64_t j;

	assert_int_equal(s->gpa, gpa);
	assert_int_equal(s->file_size, file_size);
	assert_int_equal(s->mem_size, mem_size);
	assert_true(s->data >= buf && s->data + file_size <= buf + sizeof(buf));
	for (j = 0; j < file_size; j++)
		assert_int_equal(s->data[j], fill);
}

/* An aarch64 ELF64 with two segments, a bss and an empty one. */
static void test_elf64_aarch64(void **state)
{
	const struct tu_phdr ph[] = {
	    TU_PH(PT_LOAD, 0x40080000, 0x40080000, 0x100, 0x100, 0x1000),
	    TU_PH(PT_NOTE, 0, 0, 0x10, 0x10, 4),
	    TU_PH(PT_LOAD, 0x40090000, 0x40090000, 0x80, 0x2000, 0x1000),
	    TU_PH(PT_LOAD, 0x400a0000, 0x400a0000, 0, 0, 0x1000),
	};
	const struct tu_elf e = {ELFCLASS64, 0,	 0, EM_AARCH64,
				 0x40080040, ph, 4};
	size_t size = tu_elf(buf, sizeof(buf), &e);

	(void)state;
	assert_int_equal(load(HVKIT_ARCH_AARCH64, size), 0);
	assert_int_equal(k.format, HVKIT_KERNEL_ELF);
	assert_int_equal(k.entry, 0x40080040);
	assert_int_equal(k.nr_segments, 2); /* the empty one is dropped */
	check_segment(0, 0x40080000, 0x100, 0x100, 1);
	check_segment(1, 0x40090000, 0x80, 0x2000, 3);
	hvkit_kernel_free(&k);
	assert_null(k.segments);
}

/* e_entry is virtual: it lands where its segment's p_paddr says. */
static void test_elf_entry_translated(void **state)
{
	const struct tu_phdr ph[] = {
	    TU_PH(PT_LOAD, 0xffff000000000000, 0x40200000, 0x40, 0x1000, 8),
	    TU_PH(PT_LOAD, 0xffff000000100000, 0x40400000, 0x40, 0x40, 8),
	};
	struct tu_elf e = {ELFCLASS64,	       0,  0, EM_AARCH64,
			   0xffff000000100010, ph, 2};
	size_t size = tu_elf(buf, sizeof(buf), &e);

	(void)state;
	assert_int_equal(load(HVKIT_ARCH_AARCH64, size), 0);
	assert_int_equal(k.entry, 0x40400010);
	hvkit_kernel_free(&k);

	e.entry = 0xffff000000000fff; /* in the bss of segment 0 */
	size = tu_elf(buf, sizeof(buf), &e);
	assert_int_equal(load(HVKIT_ARCH_AARCH64, size), 0);
	assert_int_equal(k.entry, 0x40200fff);
	hvkit_kernel_free(&k);

	e.entry = 0xffff000000001000;
	size = tu_elf(buf, sizeof(buf), &e);
	fails(HVKIT_ARCH_AARCH64, size,
	      "has its entry point 0xffff000000001000 "
	      "outside every loadable segment");
}

/* A PVH ELF with its entry in a note of @desc_len bytes, @pad-aligned. */
static size_t pvh_elf(int cls, uint16_t machine, uint64_t entry,
		      uint32_t desc_len, uint32_t pad, const char *name,
		      uint32_t type)
{
	uint8_t notes[128];
	size_t nlen = tu_note(notes, "GNU", 3, "abcd", 4, pad);

	nlen += tu_note(notes + nlen, name, type, &entry, desc_len, pad);
	{
		const struct tu_phdr ph[] = {
		    TU_PH(PT_LOAD, 0x100000, 0x100000, 0x200, 0x300, 0x1000),
		    {.type = PT_NOTE,
		     .filesz = nlen,
		     .memsz = nlen,
		     .align = pad,
		     .data = notes},
		};
		const struct tu_elf e = {cls, 0, 0, machine, 0xdead, ph, 2};

		return tu_elf(buf, sizeof(buf), &e);
	}
}

static void test_pvh_elf64(void **state)
{
	(void)state;
	/* Linux writes the note as 8 bytes in an 8-aligned segment... */
	assert_int_equal(load(HVKIT_ARCH_X86_64,
			      pvh_elf(ELFCLASS64, EM_X86_64, 0x100010, 8, 8,
				      "Xen", XEN_ELFNOTE_PHYS32_ENTRY)),
			 0);
	assert_int_equal(k.entry, 0x100010);
	assert_int_equal(k.nr_segments, 1);
	check_segment(0, 0x100000, 0x200, 0x300, 1);
	hvkit_kernel_free(&k);
	/* ... others as 4 bytes in a 4-aligned one; bss counts. */
	assert_int_equal(load(HVKIT_ARCH_X86_64,
			      pvh_elf(ELFCLASS64, EM_X86_64, 0x1002ff, 4, 4,
				      "Xen", XEN_ELFNOTE_PHYS32_ENTRY)),
			 0);
	assert_int_equal(k.entry, 0x1002ff);
	hvkit_kernel_free(&k);
}

/* ELF32 for i386, and marked x86_64 (some Xen test kernels), as Xen
 * loads both. */
static void test_pvh_elf32(void **state)
{
	static const uint16_t machines[] = {EM_386, EM_X86_64};

	(void)state;
	for (size_t i = 0; i < sizeof(machines) / sizeof(machines[0]); i++) {
		assert_int_equal(
		    load(HVKIT_ARCH_X86_64,
			 pvh_elf(ELFCLASS32, machines[i], 0x100004, 4, 4, "Xen",
				 XEN_ELFNOTE_PHYS32_ENTRY)),
		    0);
		assert_int_equal(k.format, HVKIT_KERNEL_ELF);
		assert_int_equal(k.entry, 0x100004);
		check_segment(0, 0x100000, 0x200, 0x300, 1);
		hvkit_kernel_free(&k);
	}
}

static void test_pvh_note_errors(void **state)
{
	(void)state;
	fails(
	    HVKIT_ARCH_X86_64,
	    pvh_elf(ELFCLASS64, EM_X86_64, 0x100000, 4, 4, "Xen",
		    XEN_ELFNOTE_ENTRY),
	    "has no XEN_ELFNOTE_PHYS32_ENTRY note in a PT_NOTE segment: it is "
	    "not a PVH kernel");
	fails(
	    HVKIT_ARCH_X86_64,
	    pvh_elf(ELFCLASS64, EM_X86_64, 0x100000, 4, 4, "Xe",
		    XEN_ELFNOTE_PHYS32_ENTRY),
	    "has no XEN_ELFNOTE_PHYS32_ENTRY note in a PT_NOTE segment: it is "
	    "not a PVH kernel");
	fails(
	    HVKIT_ARCH_X86_64,
	    pvh_elf(ELFCLASS64, EM_X86_64, 0x100000, 2, 4, "Xen",
		    XEN_ELFNOTE_PHYS32_ENTRY),
	    "has a XEN_ELFNOTE_PHYS32_ENTRY note of 2 bytes (expected 4 or 8)");
	fails(HVKIT_ARCH_X86_64,
	      pvh_elf(ELFCLASS64, EM_X86_64, UINT64_C(0x100000000), 8, 8, "Xen",
		      XEN_ELFNOTE_PHYS32_ENTRY),
	      "has a XEN_ELFNOTE_PHYS32_ENTRY of 0x100000000, above 4 GiB");
	fails(
	    HVKIT_ARCH_X86_64,
	    pvh_elf(ELFCLASS64, EM_X86_64, 0x100300, 4, 4, "Xen",
		    XEN_ELFNOTE_PHYS32_ENTRY),
	    "has its XEN_ELFNOTE_PHYS32_ENTRY 0x100300 outside every loadable "
	    "segment");
	fails(HVKIT_ARCH_X86_64,
	      pvh_elf(ELFCLASS64, EM_X86_64, 0xfffff, 4, 4, "Xen",
		      XEN_ELFNOTE_PHYS32_ENTRY),
	      "has its XEN_ELFNOTE_PHYS32_ENTRY 0xfffff outside every loadable "
	      "segment");
}

/* The note must be in a PT_NOTE segment: section-only notes don't count. */
static void test_pvh_note_outside_pt_note(void **state)
{
	uint32_t entry = 0x100000;
	uint8_t note[64];
	size_t nlen =
	    tu_note(note, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, &entry, 4, 4);
	const struct tu_phdr ph[] = {
	    {.type = PT_LOAD,
	     .vaddr = 0x100000,
	     .paddr = 0x100000,
	     .filesz = nlen,
	     .memsz = nlen,
	     .align = 0x1000,
	     .data = note},
	};
	const struct tu_elf e = {ELFCLASS64, 0, 0, EM_X86_64, 0, ph, 1};

	(void)state;
	fails(
	    HVKIT_ARCH_X86_64, tu_elf(buf, sizeof(buf), &e),
	    "has no XEN_ELFNOTE_PHYS32_ENTRY note in a PT_NOTE segment: it is "
	    "not a PVH kernel");
}

static void test_bad_notes(void **state)
{
	const struct tu_phdr ph[] = {
	    TU_PH(PT_LOAD, 0x100000, 0x100000, 0x10, 0x10, 0x1000),
	    {.type = PT_NOTE,
	     .filesz = 0x10,
	     .memsz = 0x10,
	     .align = 4,
	     .offset = 0x100000},
	};
	const struct tu_elf e = {ELFCLASS64, 0, 0, EM_X86_64, 0, ph, 2};

	(void)state;
	fails(HVKIT_ARCH_X86_64, tu_elf(buf, sizeof(buf), &e),
	      "program header 1 reaches past the end of the file");
}

static void test_wrong_machine(void **state)
{
	static const struct {
		int cls;
		uint16_t machine;
		enum hvkit_arch arch; /* loaded for */
		const char *msg;
	} cases[] = {
	    {ELFCLASS64, EM_X86_64, HVKIT_ARCH_AARCH64,
	     "is an ELF64 file for x86_64 (e_machine 62), which cannot boot "
	     "on aarch64"},
	    {ELFCLASS64, EM_AARCH64, HVKIT_ARCH_X86_64,
	     "is an ELF64 file for aarch64 (e_machine 183), which cannot boot "
	     "on x86_64"},
	    {ELFCLASS32, EM_386, HVKIT_ARCH_AARCH64,
	     "is an ELF32 file for i386 (e_machine 3), which cannot boot on "
	     "aarch64"},
	    {ELFCLASS32, EM_ARM, HVKIT_ARCH_AARCH64,
	     "is an ELF32 file for 32-bit Arm (e_machine 40), which cannot "
	     "boot on aarch64"},
	    {ELFCLASS64, EM_RISCV, HVKIT_ARCH_X86_64,
	     "is an ELF64 file for another machine (e_machine 243), which "
	     "cannot boot on x86_64"},
	    {ELFCLASS32, EM_X86_64, HVKIT_ARCH_AARCH64,
	     "is an ELF32 file for x86_64 (e_machine 62), which cannot boot "
	     "on aarch64"},
	};
	const struct tu_phdr ph[] = {
	    TU_PH(PT_LOAD, 0x100000, 0x100000, 0x10, 0x10, 0x1000),
	};
	struct tu_elf e = {ELFCLASS64, 0, 0, EM_X86_64, 0x100000, ph, 1};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		e.cls = cases[i].cls;
		e.machine = cases[i].machine;
		fails(cases[i].arch, tu_elf(buf, sizeof(buf), &e),
		      cases[i].msg);
	}
}

static void test_bad_elf(void **state)
{
	struct tu_phdr ph[] = {
	    TU_PH(PT_LOAD, 0x40000000, 0x40000000, 0x20, 0x10, 0x1000),
	};
	struct tu_elf e = {ELFCLASS64, 0,  ET_DYN, EM_AARCH64,
			   0x40000000, ph, 1};

	(void)state;
	fails(HVKIT_ARCH_AARCH64, tu_elf(buf, sizeof(buf), &e),
	      "is not an ELF executable (e_type 3, expected ET_EXEC)");
	e.type = ET_EXEC;
	fails(HVKIT_ARCH_AARCH64, tu_elf(buf, sizeof(buf), &e),
	      "program header 0 has p_filesz 0x20 > p_memsz 0x10");
	ph[0].memsz = 0x20;
	ph[0].offset = 0x3ff0;
	fails(HVKIT_ARCH_AARCH64, tu_elf(buf, 0x4000, &e) + 0x3000,
	      "program header 0 reaches past the end of the file");
	ph[0].offset = 0;
	ph[0].paddr = UINT64_MAX - 0x10;
	fails(HVKIT_ARCH_AARCH64, tu_elf(buf, sizeof(buf), &e),
	      "program header 0 wraps around the address space");
	e.nr = 0;
	fails(HVKIT_ARCH_AARCH64, tu_elf(buf, sizeof(buf), &e),
	      "has no loadable (PT_LOAD) segments");
	e.data = ELFDATA2MSB;
	e.nr = 1;
	fails(HVKIT_ARCH_AARCH64, tu_elf(buf, sizeof(buf), &e),
	      "is not a little-endian ELF file");
	memcpy(buf, "\177ELF\002\001", 6); /* a header cut short */
	fails(HVKIT_ARCH_AARCH64, 5, "is not a little-endian ELF file");
	fails(HVKIT_ARCH_AARCH64, 6, "is a truncated or damaged ELF file");
	fails(HVKIT_ARCH_AARCH64, 63, "is a truncated or damaged ELF file");
}

static void test_truncated_elf(void **state)
{
	const struct tu_phdr ph[] = {
	    TU_PH(PT_LOAD, 0x40000000, 0x40000000, 0x20, 0x20, 0x1000),
	};
	const struct tu_elf e = {ELFCLASS64, 0,	 0, EM_AARCH64,
				 0x40000000, ph, 1};

	(void)state;
	tu_elf(buf, sizeof(buf), &e);
	/* The program header table itself is cut off. */
	fails(HVKIT_ARCH_AARCH64, sizeof(Elf64_Ehdr) + 8,
	      "is truncated: its program headers reach past the end of the "
	      "file");
}

/* An arm64 Image header: text_offset, image_size, flags, magic. */
static size_t arm64_image(uint64_t text_offset, uint64_t image_size,
			  uint64_t flags, size_t size)
{
	memset(buf, 0xaa, size);
	memcpy(buf + 8, &text_offset, 8);
	memcpy(buf + 16, &image_size, 8);
	memcpy(buf + 24, &flags, 8);
	memcpy(buf + 56, "ARM\x64", 4);
	return size;
}

static void test_arm64_image(void **state)
{
	(void)state;
	assert_int_equal(
	    load(HVKIT_ARCH_AARCH64, arm64_image(0x80000, 0x10000, 0xa, 4096)),
	    0);
	assert_int_equal(k.format, HVKIT_KERNEL_ARM64_IMAGE);
	assert_int_equal(k.nr_segments, 1);
	assert_int_equal(k.entry, ARM_RAM + 0x80000);
	assert_int_equal(k.segments[0].gpa, ARM_RAM + 0x80000);
	assert_ptr_equal(k.segments[0].data, buf);
	assert_int_equal(k.segments[0].file_size, 4096);
	assert_int_equal(k.segments[0].mem_size, 0x10000); /* image_size */
	hvkit_kernel_free(&k);

	/* image_size 0 (old kernels) or smaller than the file: the file. */
	assert_int_equal(load(HVKIT_ARCH_AARCH64, arm64_image(0, 0, 0, 4096)),
			 0);
	assert_int_equal(k.entry, ARM_RAM);
	assert_int_equal(k.segments[0].mem_size, 4096);
	hvkit_kernel_free(&k);
}

static void test_arm64_image_errors(void **state)
{
	(void)state;
	fails(HVKIT_ARCH_AARCH64, arm64_image(0x80000, 0, 1, 64),
	      "is a big-endian arm64 Image; guests are entered little-endian");
	fails(HVKIT_ARCH_X86_64, arm64_image(0x80000, 0, 0, 64),
	      "is an arm64 Image, which cannot boot on x86_64");
	fails(HVKIT_ARCH_AARCH64, arm64_image(UINT64_MAX - 0x1000, 0, 0, 64),
	      "has an impossible text_offset 0xffffffffffffefff");
	/* Segments whose end wrapped past 2^64 passed the layout's checks
	 * (found by tests/fuzz's kernel harness). */
	fails(HVKIT_ARCH_AARCH64,
	      arm64_image(0x80000, UINT64_MAX - ARM_RAM - 0x80000 + 0x1001, 0,
			  64),
	      "ends past the top of the address space (text_offset 0x80000, "
	      "image_size 0xffffffffbff81000)");
	fails(HVKIT_ARCH_AARCH64,
	      arm64_image(UINT64_MAX - ARM_RAM - 63, 0, 0, 64),
	      "ends past the top of the address space (text_offset "
	      "0xffffffffbfffffc0, image_size 0x0)");
	assert_int_equal(load(HVKIT_ARCH_AARCH64,
			      arm64_image(UINT64_MAX - ARM_RAM - 64, 0, 0, 64)),
			 0);
	hvkit_kernel_free(&k);
}

static void test_raw(void **state)
{
	(void)state;
	memset(buf, 0x5a, 100);
	assert_int_equal(load(HVKIT_ARCH_AARCH64, 100), 0);
	assert_int_equal(k.format, HVKIT_KERNEL_RAW);
	assert_int_equal(k.entry, ARM_RAM);
	assert_int_equal(k.nr_segments, 1);
	check_segment(0, ARM_RAM, 100, 100, 0x5a);
	hvkit_kernel_free(&k);
	/* 63 bytes cannot hold an Image header even with the magic at 56. */
	arm64_image(0, 0, 0, 64);
	assert_int_equal(load(HVKIT_ARCH_AARCH64, 63), 0);
	assert_int_equal(k.format, HVKIT_KERNEL_RAW);
	hvkit_kernel_free(&k);

	memset(buf, 0x5a, 100);
	fails(
	    HVKIT_ARCH_X86_64, 100,
	    "is not an ELF file: x86_64 kernels must be PVH ELF files (with a "
	    "XEN_ELFNOTE_PHYS32_ENTRY note)");
	fails(HVKIT_ARCH_AARCH64, 0, "is empty");
}

/* The architecture hvkit_kernel_arch sees in the ELF file e. */
static enum hvkit_arch elf_arch(const struct tu_elf *e)
{
	return hvkit_kernel_arch(buf, tu_elf(buf, sizeof(buf), e));
}

static void test_detect_arch(void **state)
{
	const struct tu_phdr ph[] = {
	    TU_PH(PT_LOAD, 0, 0, 0x10, 0x10, 0x1000),
	};
	struct tu_elf e = {ELFCLASS64, 0, 0, EM_AARCH64, 0, ph, 1};

	(void)state;
	assert_int_equal(elf_arch(&e), HVKIT_ARCH_AARCH64);
	e.machine = EM_X86_64;
	assert_int_equal(elf_arch(&e), HVKIT_ARCH_X86_64);
	e.cls = ELFCLASS32;
	e.machine = EM_386;
	assert_int_equal(elf_arch(&e), HVKIT_ARCH_X86_64);
	e.machine = EM_ARM;
	assert_int_equal(elf_arch(&e), HVKIT_ARCH_NONE);
	/* A 64-bit AArch64 file, refused for being big-endian alone. */
	e.cls = ELFCLASS64;
	e.machine = EM_AARCH64;
	e.data = ELFDATA2MSB;
	assert_int_equal(elf_arch(&e), HVKIT_ARCH_NONE);
	assert_int_equal(hvkit_kernel_arch(buf, 10), HVKIT_ARCH_NONE);
	assert_int_equal(hvkit_kernel_arch(buf, arm64_image(0, 0, 0, 64)),
			 HVKIT_ARCH_AARCH64);
	memset(buf, 0, 64);
	assert_int_equal(hvkit_kernel_arch(buf, 64), HVKIT_ARCH_NONE);
	assert_int_equal(hvkit_kernel_arch(buf, 0), HVKIT_ARCH_NONE);
}

static void test_format_names(void **state)
{
	(void)state;
	assert_string_equal(hvkit_kernel_format_name(HVKIT_KERNEL_ELF), "elf");
	assert_string_equal(hvkit_kernel_format_name(HVKIT_KERNEL_ARM64_IMAGE),
			    "arm64-image");
	assert_string_equal(hvkit_kernel_format_name(HVKIT_KERNEL_RAW), "raw");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_elf64_aarch64),
	    cmocka_unit_test(test_elf_entry_translated),
	    cmocka_unit_test(test_pvh_elf64),
	    cmocka_unit_test(test_pvh_elf32),
	    cmocka_unit_test(test_pvh_note_errors),
	    cmocka_unit_test(test_pvh_note_outside_pt_note),
	    cmocka_unit_test(test_bad_notes),
	    cmocka_unit_test(test_wrong_machine),
	    cmocka_unit_test(test_bad_elf),
	    cmocka_unit_test(test_truncated_elf),
	    cmocka_unit_test(test_arm64_image),
	    cmocka_unit_test(test_arm64_image_errors),
	    cmocka_unit_test(test_raw),
	    cmocka_unit_test(test_detect_arch),
	    cmocka_unit_test(test_format_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
