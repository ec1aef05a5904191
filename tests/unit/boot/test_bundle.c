/*
 * Reading bundles: a good one field by field, and each way a bundle can be
 * wrong, with the message an image would print.  Bundles are written here
 * with libfdt, one defect at a time.
 */
#include <hv/boot.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libfdt.h>

enum defect {
	NONE,
	NO_NAME,
	BAD_NAME,
	TYPE_HVM,
	MEMORY_ZERO,
	MEMORY_UNALIGNED,
	VCPUS_ZERO,
	ENTRY_OUTSIDE,
	SEGMENT_OUTSIDE,
	MEM_SIZE_SHORT,
	SEGMENTS_OVERLAP,
	RAMDISK_OVERLAPS,
	NO_SEGMENTS,
	TOO_MANY_SEGMENTS,
	CMDLINE_UNTERMINATED,
	GPA_WRONG_SIZE,
};

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (64ull << 20)

static char blob[1 << 16];
static const char kernel[] = "KERNEL-BYTES";

static void u64_prop(void *fdt, const char *name, uint64_t v)
{
	assert_int_equal(fdt_property_u64(fdt, name, v), 0);
}

static void segment(void *fdt, unsigned int i, uint64_t gpa, uint64_t mem)
{
	char name[32];

	snprintf(name, sizeof(name), "segment@%u", i);
	fdt_begin_node(fdt, name);
	u64_prop(fdt, "gpa", gpa);
	fdt_property(fdt, "data", kernel, sizeof(kernel));
	u64_prop(fdt, "mem-size", mem);
	fdt_end_node(fdt);
}

static void segments(void *fdt, enum defect d)
{
	unsigned int n = d == TOO_MANY_SEGMENTS ? HV_BOOT_MAX_SEGMENTS + 1 : 2;

	if (d == NO_SEGMENTS)
		return;
	for (unsigned int i = 0; i < n; i++) {
		uint64_t gpa = RAM_BASE + 0x200000 + i * 0x10000;
		uint64_t mem = 0x1000;

		if (d == SEGMENT_OUTSIDE && i == 1)
			gpa = RAM_BASE + RAM_SIZE - 0x800;
		if (d == MEM_SIZE_SHORT && i == 0)
			mem = 4;
		if (d == SEGMENTS_OVERLAP && i == 1)
			gpa = RAM_BASE + 0x200800;
		if (d == GPA_WRONG_SIZE && i == 0) {
			fdt_begin_node(fdt, "segment@0");
			fdt_property_u32(fdt, "gpa", 0x1000);
			fdt_property(fdt, "data", kernel, sizeof(kernel));
			u64_prop(fdt, "mem-size", mem);
			fdt_end_node(fdt);
			continue;
		}
		segment(fdt, i, gpa, mem);
	}
}

static void domain(void *fdt, unsigned int i, const char *name, enum defect d)
{
	char node[32];

	snprintf(node, sizeof(node), "domain@%u", i);
	fdt_begin_node(fdt, node);
	if (d != NO_NAME)
		fdt_property_string(fdt, "name", d == BAD_NAME ? "a b" : name);
	fdt_property_string(fdt, "type", d == TYPE_HVM ? "hvm" : "pvh");
	u64_prop(fdt, "memory",
		 d == MEMORY_ZERO ? 0 : RAM_SIZE + (d == MEMORY_UNALIGNED));
	u64_prop(fdt, "ram-base", RAM_BASE);
	fdt_property_u32(fdt, "vcpus", d == VCPUS_ZERO ? 0 : 2);
	if (d == CMDLINE_UNTERMINATED)
		fdt_property(fdt, "cmdline", "abc", 3);
	else
		fdt_property_string(fdt, "cmdline", "console=hvc0");
	u64_prop(fdt, "entry",
		 d == ENTRY_OUTSIDE ? RAM_BASE + RAM_SIZE
				    : RAM_BASE + 0x200000);
	fdt_property_string(fdt, "kernel-format", "arm64-image");
	fdt_property_u32(fdt, "weight", 512);
	if (i == 0)
		fdt_property(fdt, "initdomain", NULL, 0);
	segments(fdt, d);
	fdt_begin_node(fdt, "ramdisk");
	u64_prop(fdt, "gpa",
		 d == RAMDISK_OVERLAPS ? RAM_BASE + 0x200000
				       : RAM_BASE + 0x1000000);
	fdt_property(fdt, "data", "RD", 2);
	fdt_end_node(fdt);
	fdt_end_node(fdt);
}

/* A bundle of two domains; `bad` (0 or 1) gets the defect. */
static void *make_bundle(const char *arch, enum defect d, int bad)
{
	void *fdt = blob;

	assert_int_equal(fdt_create(fdt, sizeof(blob)), 0);
	fdt_finish_reservemap(fdt);
	fdt_begin_node(fdt, "");
	fdt_property_string(fdt, "compatible", HV_BOOT_COMPATIBLE);
	fdt_property_string(fdt, "arch", arch);
	domain(fdt, 0, "first", bad == 0 ? d : NONE);
	domain(fdt, 1, "second", bad == 1 ? d : NONE);
	fdt_end_node(fdt);
	assert_int_equal(fdt_finish(fdt), 0);
	return fdt;
}

static void reads_a_good_bundle(void **state)
{
	struct hv_boot_error err;
	struct hv_boot_domain d;
	void *b = make_bundle("aarch64", NONE, 0);

	(void)state;
	assert_int_equal(hv_boot_bundle_open(b, sizeof(blob), "aarch64", &err),
			 2);
	assert_int_equal(hv_boot_bundle_domain(b, 0, &d, &err), 0);
	assert_string_equal(d.name, "first");
	assert_string_equal(d.type, "pvh");
	assert_string_equal(d.cmdline, "console=hvc0");
	assert_string_equal(d.kernel_format, "arm64-image");
	assert_null(d.cpus);
	assert_int_equal(d.memory, RAM_SIZE);
	assert_int_equal(d.ram_base, RAM_BASE);
	assert_int_equal(d.vcpus, 2);
	assert_int_equal(d.weight, 512);
	assert_int_equal(d.cap, 0);
	assert_int_equal(d.entry, RAM_BASE + 0x200000);
	assert_true(d.initdomain);
	assert_int_equal(d.nr_segments, 2);
	assert_int_equal(d.segments[1].gpa, RAM_BASE + 0x210000);
	assert_int_equal(d.segments[1].len, sizeof(kernel));
	assert_int_equal(d.segments[1].mem_size, 0x1000);
	assert_memory_equal(d.segments[0].data, kernel, sizeof(kernel));
	assert_true(d.has_ramdisk);
	assert_int_equal(d.ramdisk.len, 2);

	assert_int_equal(hv_boot_bundle_domain(b, 1, &d, &err), 0);
	assert_string_equal(d.name, "second");
	assert_false(d.initdomain);
	assert_int_equal(hv_boot_bundle_domain(b, 2, &d, &err), -HV_ENOENT);
	assert_string_equal(err.msg, "bundle: no domain 2");
}

static void expect_open_error(const void *b, size_t size, const char *arch,
			      const char *msg)
{
	struct hv_boot_error err;

	assert_int_equal(hv_boot_bundle_open(b, size, arch, &err), -HV_EINVAL);
	if (msg)
		assert_string_equal(err.msg, msg);
}

static void rejects_what_is_not_a_bundle(void **state)
{
	static const char junk[64] = "not a device tree";
	void *b;

	(void)state;
	expect_open_error(junk, sizeof(junk), "aarch64",
			  "bundle: not a flattened device tree");
	expect_open_error(junk, 4, "aarch64",
			  "bundle: not a flattened device tree");
	b = make_bundle("x86_64", NONE, 0);
	expect_open_error(b, sizeof(blob), "aarch64",
			  "bundle: made for x86_64, this image is aarch64");
}

static void rejects_truncated_bundles(void **state)
{
	struct hv_boot_error err;
	void *b = make_bundle("aarch64", NONE, 0);
	size_t size = fdt_totalsize(b);

	(void)state;
	assert_int_equal(hv_boot_bundle_open(b, size - 1, "aarch64", &err),
			 -HV_EINVAL);
	assert_non_null(strstr(err.msg, "were loaded"));
	assert_int_equal(hv_boot_bundle_open(b, size, "aarch64", &err), 2);
}

static void rejects_other_device_trees(void **state)
{
	void *fdt = blob;

	(void)state;
	fdt_create(fdt, sizeof(blob));
	fdt_finish_reservemap(fdt);
	fdt_begin_node(fdt, "");
	fdt_property_string(fdt, "compatible", "linux,dummy-virt");
	fdt_end_node(fdt);
	fdt_finish(fdt);
	expect_open_error(fdt, sizeof(blob), "aarch64",
			  "bundle: not compatible with \"hvkit,bundle-v1\"");

	fdt_create(fdt, sizeof(blob));
	fdt_finish_reservemap(fdt);
	fdt_begin_node(fdt, "");
	fdt_property_string(fdt, "compatible", HV_BOOT_COMPATIBLE);
	fdt_property_string(fdt, "arch", "aarch64");
	fdt_end_node(fdt);
	fdt_finish(fdt);
	expect_open_error(fdt, sizeof(blob), "aarch64", "bundle: no domains");
}

struct defect_case {
	enum defect defect;
	const char *msg;
};

static const struct defect_case cases[] = {
    {NO_NAME, "domain@1 (?): name (1-63 of A-Z a-z 0-9 _ . -): missing "
	      "or malformed"},
    {BAD_NAME, "domain@1 (?): name (1-63 of A-Z a-z 0-9 _ . -): missing "
	       "or malformed"},
    {TYPE_HVM, "domain@1 (second): type: \"hvm\" is not supported (only "
	       "\"pvh\")"},
    {MEMORY_ZERO, "domain@1 (second): memory (non-zero, whole pages): "
		  "missing or malformed"},
    {MEMORY_UNALIGNED, "domain@1 (second): memory (non-zero, whole pages): "
		       "missing or malformed"},
    {VCPUS_ZERO, "domain@1 (second): vcpus (at least 1): missing or malformed"},
    {ENTRY_OUTSIDE, "domain@1 (second): entry (inside guest RAM): missing "
		    "or malformed"},
    {SEGMENT_OUTSIDE, "domain@1 (second): segment@1: [0x43fff800, "
		      "+0x1000) is outside guest RAM [0x40000000, "
		      "+0x4000000)"},
    {MEM_SIZE_SHORT, "domain@1 (second): segment@0: mem-size is below the "
		     "data's 13 bytes"},
    {SEGMENTS_OVERLAP, "domain@1 (second): segments 0 and 1 overlap"},
    {RAMDISK_OVERLAPS, "domain@1 (second): segment 0 overlaps the ramdisk"},
    {NO_SEGMENTS, "domain@1 (second): no kernel segments"},
    {TOO_MANY_SEGMENTS, "domain@1 (second): more than 16 kernel segments"},
    {CMDLINE_UNTERMINATED, "domain@1 (second): cmdline: missing or malformed"},
    {GPA_WRONG_SIZE, "domain@1 (second): segment@0: gpa: missing or malformed"},
};

static void each_defect_names_domain_and_property(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hv_boot_error err = {{0}};
		struct hv_boot_domain d;
		void *b = make_bundle("aarch64", cases[i].defect, 1);

		assert_int_equal(
		    hv_boot_bundle_open(b, sizeof(blob), "aarch64", &err), 2);
		/* The good domain still reads; the bad one does not. */
		assert_int_equal(hv_boot_bundle_domain(b, 0, &d, &err), 0);
		assert_int_equal(hv_boot_bundle_domain(b, 1, &d, &err),
				 -HV_EINVAL);
		assert_string_equal(err.msg, cases[i].msg);
	}
}

/*
 * Crafted structure blocks.  libfdt 1.6.1 trusts every length once the
 * header checks out (a property length of 0xfffffff4 hung the reader in
 * fdt_next_tag), so the library checks the structure block first.  Each
 * blob is a copy of exactly fdt_totalsize() bytes, so that under ASan a
 * read past its end fails the test; an alarm turns a hang into a failure.
 */
struct craft {
	void *fdt;
	uint8_t *st; /* its structure block */
};

static struct craft craft_good(void)
{
	void *b = make_bundle("aarch64", NONE, 0);
	struct craft c = {malloc(fdt_totalsize(b)), NULL};

	assert_non_null(c.fdt);
	memcpy(c.fdt, b, fdt_totalsize(b));
	c.st = (uint8_t *)c.fdt + fdt_off_dt_struct(c.fdt);
	return c;
}

static void put_be32(void *p, uint32_t v)
{
	fdt32_t be = cpu_to_fdt32(v);

	memcpy(p, &be, sizeof(be));
}

static void put_header(struct craft *c, size_t field, uint32_t v)
{
	put_be32((uint8_t *)c->fdt + field, v);
}

/* Open the crafted blob: -HV_EINVAL and msg; then free it. */
static void expect_craft_error(struct craft *c, const char *msg)
{
	expect_open_error(c->fdt, fdt_totalsize(c->fdt), "aarch64", msg);
	free(c->fdt);
}

static int first_prop(struct craft *c, int node)
{
	int off = fdt_first_property_offset(c->fdt, node);

	assert_true(off > 0);
	return off;
}

static void rejects_malformed_structure(void **state)
{
	struct craft c;
	char msg[HV_BOOT_ERR_MAX];
	int prop, dom;
	uint32_t size;

	(void)state;
	alarm(10);
	/* The fuzzed case: domain@0's first property (name, at 0x48); a
	 * walk over the root's subnodes wrapped back onto it. */
	c = craft_good();
	dom = fdt_subnode_offset(c.fdt, 0, "domain@0");
	prop = first_prop(&c, dom);
	assert_int_equal(prop, 0x48);
	put_be32(c.st + prop + 4, 0xfffffff4);
	expect_craft_error(&c, "bundle: structure block offset 0x48: a "
			       "property value runs past the structure block");
	/* One byte too long: inside the blob, past the structure block. */
	c = craft_good();
	size = fdt_size_dt_struct(c.fdt);
	put_be32(c.st + prop + 4, size - (uint32_t)prop - 12 + 1);
	expect_craft_error(&c, "bundle: structure block offset 0x48: a "
			       "property value runs past the structure block");
	/* Names outside the strings block, or not ending inside it; the
	 * root's first property, at 8. */
	c = craft_good();
	prop = first_prop(&c, 0);
	put_be32(c.st + prop + 8, fdt_size_dt_strings(c.fdt));
	expect_craft_error(&c, "bundle: structure block offset 0x8: a property "
			       "name is not a string of the strings block");
	c = craft_good();
	put_header(&c, offsetof(struct fdt_header, size_dt_strings),
		   fdt_size_dt_strings(c.fdt) - 1);
	expect_open_error(c.fdt, fdt_totalsize(c.fdt), "aarch64", NULL);
	free(c.fdt);
	/* A tag that is none. */
	c = craft_good();
	put_be32(c.st + prop, 7);
	expect_craft_error(
	    &c, "bundle: structure block offset 0x8: an unknown tag");
	/* Truncated: before FDT_END, and inside a node's name. */
	c = craft_good();
	put_header(&c, offsetof(struct fdt_header, size_dt_struct), size - 4);
	snprintf(msg, sizeof(msg),
		 "bundle: structure block offset %#x: the structure block "
		 "ends without FDT_END",
		 size - 4);
	expect_craft_error(&c, msg);
	c = craft_good();
	put_header(&c, offsetof(struct fdt_header, size_dt_struct),
		   (uint32_t)dom + 8);
	snprintf(msg, sizeof(msg),
		 "bundle: structure block offset %#x: a node name runs past "
		 "the structure block",
		 dom);
	expect_craft_error(&c, msg);
	/* FDT_END before the root closes. */
	c = craft_good();
	put_be32(c.st + size - 8, FDT_END);
	snprintf(msg, sizeof(msg),
		 "bundle: structure block offset %#x: FDT_END inside a node",
		 size - 8);
	expect_craft_error(&c, msg);
	/* Tags are read as words: the block must be aligned for them. */
	c = craft_good();
	put_header(&c, offsetof(struct fdt_header, off_dt_struct),
		   fdt_off_dt_struct(c.fdt) + 2);
	expect_craft_error(&c,
			   "bundle: the structure block is not 4-byte aligned");
	/* Before version 17 the structure block's size is not known. */
	c = craft_good();
	put_header(&c, offsetof(struct fdt_header, version), 16);
	put_header(&c, offsetof(struct fdt_header, last_comp_version), 16);
	expect_craft_error(&c, "bundle: a device tree version before 17");
	alarm(0);
}

/* FDT_NOP tags (a property overwritten in place) are skipped. */
static void skips_nops(void **state)
{
	struct craft c = craft_good();
	struct hv_boot_error err;
	struct hv_boot_domain d;
	int dom = fdt_subnode_offset(c.fdt, 0, "domain@1");

	(void)state;
	assert_int_equal(fdt_nop_property(c.fdt, dom, "weight"), 0);
	assert_int_equal(
	    hv_boot_bundle_open(c.fdt, fdt_totalsize(c.fdt), "aarch64", &err),
	    2);
	assert_int_equal(hv_boot_bundle_domain(c.fdt, 1, &d, &err), 0);
	assert_int_equal(d.weight, 0);
	free(c.fdt);
}

/* A domain with more properties than libhv-boot gathers in one pass:
 * those beyond are read all the same. */
static void reads_a_domain_with_many_properties(void **state)
{
	struct craft c = craft_good();
	struct hv_boot_error err;
	struct hv_boot_domain d, before;
	size_t size = fdt_totalsize(c.fdt) + 4096;
	int dom;

	(void)state;
	c.fdt = realloc(c.fdt, size);
	assert_non_null(c.fdt);
	assert_int_equal(fdt_open_into(c.fdt, c.fdt, (int)size), 0);
	assert_int_equal(hv_boot_bundle_domain(c.fdt, 1, &before, &err), 0);
	/* 40 unknown properties, then entry again: the node's last. */
	dom = fdt_subnode_offset(c.fdt, 0, "domain@1");
	assert_int_equal(fdt_delprop(c.fdt, dom, "entry"), 0);
	for (int i = 0; i < 40; i++) {
		char name[8];

		snprintf(name, sizeof(name), "x%d", i);
		assert_int_equal(fdt_setprop_u32(c.fdt, dom, name, 0), 0);
	}
	assert_int_equal(fdt_setprop_u64(c.fdt, dom, "entry", before.entry), 0);
	assert_int_equal(
	    hv_boot_bundle_open(c.fdt, fdt_totalsize(c.fdt), "aarch64", &err),
	    2);
	assert_int_equal(hv_boot_bundle_domain(c.fdt, 1, &d, &err), 0);
	assert_int_equal(d.entry, before.entry);
	assert_string_equal(d.name, before.name);
	free(c.fdt);
}

/*
 * Every word of the structure block, in turn, set to values that confuse
 * a walk: opening and reading still ends, within the blob.
 */
static void survives_any_bad_word(void **state)
{
	static const uint32_t words[] = {
	    0, 1, 2, 3, 9, 0x7fffffff, 0xfffffff4, 0xffffffff, 0x80000000};
	struct craft good = craft_good();
	uint32_t size = fdt_size_dt_struct(good.fdt);

	(void)state;
	alarm(30);
	for (uint32_t off = 0; off < size; off += 4) {
		for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
			struct craft c = craft_good();
			struct hv_boot_error err;
			struct hv_boot_domain d;
			int n;

			put_be32(c.st + off, words[w]);
			n = hv_boot_bundle_open(c.fdt, fdt_totalsize(c.fdt),
						"aarch64", &err);
			for (int i = 0; i < n; i++)
				hv_boot_bundle_domain(c.fdt, (unsigned int)i,
						      &d, &err);
			free(c.fdt);
		}
	}
	free(good.fdt);
	alarm(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reads_a_good_bundle),
	    cmocka_unit_test(rejects_what_is_not_a_bundle),
	    cmocka_unit_test(rejects_truncated_bundles),
	    cmocka_unit_test(rejects_other_device_trees),
	    cmocka_unit_test(each_defect_names_domain_and_property),
	    cmocka_unit_test(rejects_malformed_structure),
	    cmocka_unit_test(skips_nops),
	    cmocka_unit_test(reads_a_domain_with_many_properties),
	    cmocka_unit_test(survives_any_bad_word),
	};
	return cmocka_run_group_tests_name("boot-bundle", tests, NULL, NULL);
}
