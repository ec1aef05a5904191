/*
 * test_bundle.c - the layout rules of docs/bundle.md, the bundle FDT read
 * back with libfdt, and the whole path from config files to a bundle.
 */
#include <elf.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/elfnote.h>

#include "build.h"
#include "bundle.h"
#include "layout.h"
#include "testutil.h"

#define MIB	(UINT64_C(1) << 20)
#define GIB	(UINT64_C(1) << 30)
#define ARM_RAM UINT64_C(0x40000000)

static struct hvkit_err err;

static void make_cfg(struct hvkit_domain_cfg *cfg, const char *extra)
{
	char text[512];

	snprintf(text, sizeof(text),
		 "name = \"g\"\nkernel = \"vmlinux\"\nmemory = 16\n"
		 "ramdisk = \"initrd\"\n%s",
		 extra);
	assert_int_equal(
	    hvkit_config_parse(cfg, "g.cfg", text, strlen(text), &err), 0);
}

/* A kernel of @n segments given as (gpa, mem_size) pairs. */
static void make_kernel(struct hvkit_kernel *k, size_t n, const uint64_t *seg)
{
	static const uint8_t bytes[64];
	size_t i;

	k->format = HVKIT_KERNEL_ELF;
	k->entry = seg[0];
	k->nr_segments = n;
	k->segments = calloc(n, sizeof(*k->segments));
	assert_non_null(k->segments);
	for (i = 0; i < n; i++)
		k->segments[i] = (struct hvkit_segment){
		    .gpa = seg[2 * i],
		    .data = bytes,
		    .file_size = seg[2 * i + 1] < 64 ? seg[2 * i + 1] : 64,
		    .mem_size = seg[2 * i + 1],
		};
}

/* Lays out a 16 MiB domain (unless @memory says otherwise). */
static int layout(enum hvkit_arch arch, const char *memory, size_t n,
		  const uint64_t *seg, uint64_t ramdisk,
		  struct hvkit_domain_layout *l)
{
	struct hvkit_domain_cfg cfg;
	struct hvkit_kernel k;
	int ret;

	make_cfg(&cfg, "");
	if (memory) {
		hvkit_config_free(&cfg);
		assert_int_equal(hvkit_config_parse(&cfg, "g.cfg", memory,
						    strlen(memory), &err),
				 0);
	}
	make_kernel(&k, n, seg);
	memset(&err, 0, sizeof(err));
	ret = hvkit_layout_domain(l, &cfg, arch, &k, ramdisk, &err);
	hvkit_kernel_free(&k);
	hvkit_config_free(&cfg);
	return ret;
}

static void layout_fails(enum hvkit_arch arch, const char *memory, size_t n,
			 const uint64_t *seg, uint64_t ramdisk, const char *msg)
{
	struct hvkit_domain_layout l;

	assert_int_equal(layout(arch, memory, n, seg, ramdisk, &l), -1);
	assert_string_equal(err.msg, msg);
}

static void test_layout_aarch64(void **state)
{
	const uint64_t seg[] = {ARM_RAM + 0x80000, 0x100000, ARM_RAM + 0x200000,
				0x1000};
	struct hvkit_domain_layout l;

	(void)state;
	assert_int_equal(
	    layout(HVKIT_ARCH_AARCH64, NULL, 2, seg, 3 * MIB + 1, &l), 0);
	assert_int_equal(l.ram_base, ARM_RAM);
	assert_int_equal(l.ram_size, 16 * MIB);
	/* The guest DT: the last 2 MiB; the ramdisk 2 MiB-aligned below. */
	assert_int_equal(l.reserved.start, ARM_RAM + 14 * MIB);
	assert_int_equal(l.reserved.end, ARM_RAM + 16 * MIB);
	assert_int_equal(l.ramdisk_gpa, ARM_RAM + 10 * MIB);
	assert_int_equal(layout(HVKIT_ARCH_AARCH64, NULL, 2, seg, 2 * MIB, &l),
			 0);
	assert_int_equal(l.ramdisk_gpa, ARM_RAM + 12 * MIB);
	/* Kernel segments may fill RAM right up to the reserved area. */
	{
		const uint64_t full[] = {ARM_RAM, 14 * MIB};

		assert_int_equal(
		    layout(HVKIT_ARCH_AARCH64, NULL, 1, full, 0, &l), 0);
	}
}

static void test_layout_aarch64_errors(void **state)
{
	const uint64_t low[] = {ARM_RAM - 0x1000, 0x2000};
	const uint64_t high[] = {ARM_RAM + 16 * MIB - 0x1000, 0x2000};
	const uint64_t dt[] = {ARM_RAM + 14 * MIB - 0x1000, 0x2000};
	const uint64_t pair[] = {ARM_RAM, 0x2000, ARM_RAM + 0x1000, 0x10};
	const uint64_t big[] = {ARM_RAM, 13 * MIB};
	const uint64_t ok[] = {ARM_RAM, 0x1000};

	(void)state;
	layout_fails(
	    HVKIT_ARCH_AARCH64, NULL, 1, low, 0,
	    "g.cfg:2: kernel: vmlinux: segment 0 [0x3ffff000, "
	    "0x40001000) is outside guest RAM [0x40000000, 0x41000000) "
	    "(memory = 16 MiB)");
	layout_fails(
	    HVKIT_ARCH_AARCH64, NULL, 1, high, 0,
	    "g.cfg:2: kernel: vmlinux: segment 0 [0x40fff000, "
	    "0x41001000) is outside guest RAM [0x40000000, 0x41000000) "
	    "(memory = 16 MiB)");
	layout_fails(HVKIT_ARCH_AARCH64, NULL, 1, dt, 0,
		     "g.cfg:2: kernel: vmlinux: segment 0 [0x40dff000, "
		     "0x40e01000) overlaps [0x40e00000, 0x41000000), which the "
		     "image reserves");
	layout_fails(HVKIT_ARCH_AARCH64, NULL, 2, pair, 0,
		     "g.cfg:2: kernel: vmlinux: segment 1 [0x40001000, "
		     "0x40001010) overlaps segment 0 [0x40000000, 0x40002000)");
	layout_fails(HVKIT_ARCH_AARCH64, NULL, 1, big, 1,
		     "g.cfg:4: ramdisk: initrd: placed at [0x40c00000, "
		     "0x40c00001), it overlaps kernel segment 0 [0x40000000, "
		     "0x40d00000): give the domain more memory");
	layout_fails(HVKIT_ARCH_AARCH64, NULL, 1, ok, 14 * MIB + 1,
		     "g.cfg:4: ramdisk: initrd: 14680065 bytes do not fit in "
		     "guest RAM [0x40000000, 0x40e00000) (memory = 16 MiB)");
	layout_fails(HVKIT_ARCH_AARCH64,
		     "name = \"g\"\nkernel = \"k\"\nmemory = 2\n", 1, ok, 0,
		     "g.cfg:3: memory: 2 MiB leaves no room beside the last 2 "
		     "MiB, which the image keeps for the guest's device tree");
	layout_fails(
	    HVKIT_ARCH_AARCH64, "name = \"g\"\nkernel = \"k\"\nmemory = 3073\n",
	    1, ok, 0,
	    "g.cfg:3: memory: 3073 MiB is more than an aarch64 guest's "
	    "RAM bank holds (3072 MiB)");
}

static void test_layout_aarch64_limits(void **state)
{
	const uint64_t ok[] = {ARM_RAM, 0x1000};
	struct hvkit_domain_layout l;

	(void)state;
	assert_int_equal(layout(HVKIT_ARCH_AARCH64,
				"name = \"g\"\nkernel = \"k\"\nmemory = 3\n", 1,
				ok, 0, &l),
			 0);
	assert_int_equal(l.reserved.start, ARM_RAM + MIB);
	assert_int_equal(layout(HVKIT_ARCH_AARCH64,
				"name = \"g\"\nkernel = \"k\"\nmemory = 3072\n",
				1, ok, 0, &l),
			 0);
	assert_int_equal(l.ram_size, 3 * GIB);
}

static void test_layout_x86(void **state)
{
	const uint64_t seg[] = {0x100000, 0x200000};
	const uint64_t page0[] = {0, 0x1000, 0x100000, 0x10};
	struct hvkit_domain_layout l;

	(void)state;
	assert_int_equal(layout(HVKIT_ARCH_X86_64, NULL, 1, seg, 0x1801, &l),
			 0);
	assert_int_equal(l.ram_base, 0);
	assert_int_equal(l.ram_size, 16 * MIB);
	assert_int_equal(l.reserved.start, 0x1000);
	assert_int_equal(l.reserved.end, 0x3000);
	/* At the top of RAM, page-aligned. */
	assert_int_equal(l.ramdisk_gpa, 16 * MIB - 0x2000);
	/* Page 0 is not reserved, only pages 1 (start info) and 2 (ACPI). */
	assert_int_equal(layout(HVKIT_ARCH_X86_64, NULL, 2, page0, 0, &l), 0);
	/* Above 4 GiB of RAM the ramdisk stays below 4 GiB. */
	assert_int_equal(layout(HVKIT_ARCH_X86_64,
				"name = \"g\"\nkernel = \"k\"\nmemory = 8192\n",
				1, seg, 4096, &l),
			 0);
	assert_int_equal(l.ram_size, 8 * GIB);
	assert_int_equal(l.ramdisk_gpa, 4 * GIB - 4096);
}

static void test_layout_x86_errors(void **state)
{
	const uint64_t start_info[] = {0x1800, 0x1000};
	const uint64_t acpi[] = {0x2ff0, 0x100};
	const uint64_t seg[] = {0x100000, 0x200000};
	const uint64_t top[] = {0x100000, 15 * MIB};

	(void)state;
	layout_fails(HVKIT_ARCH_X86_64, NULL, 1, start_info, 0,
		     "g.cfg:2: kernel: vmlinux: segment 0 [0x1800, 0x2800) "
		     "overlaps [0x1000, 0x3000), which the image reserves");
	layout_fails(HVKIT_ARCH_X86_64, NULL, 1, acpi, 0,
		     "g.cfg:2: kernel: vmlinux: segment 0 [0x2ff0, 0x30f0) "
		     "overlaps [0x1000, 0x3000), which the image reserves");
	layout_fails(HVKIT_ARCH_X86_64, NULL, 1, seg, 16 * MIB - 0x3000 + 1,
		     "g.cfg:4: ramdisk: initrd: 16764929 bytes do not fit in "
		     "guest RAM [0x3000, 0x1000000) (memory = 16 MiB)");
	layout_fails(
	    HVKIT_ARCH_X86_64, NULL, 1, top, 2,
	    "g.cfg:4: ramdisk: initrd: placed at [0xfff000, 0xfff002), "
	    "it overlaps kernel segment 0 [0x100000, 0x1000000): give "
	    "the domain more memory");
}

/* Reads a u64 property back. */
static uint64_t get_u64(const void *fdt, int node, const char *name)
{
	int len;
	const void *p = fdt_getprop(fdt, node, name, &len);

	assert_non_null(p);
	assert_int_equal(len, 8);
	return fdt64_ld(p); /* a property is only 4-byte aligned */
}

static uint32_t get_u32(const void *fdt, int node, const char *name)
{
	int len;
	const void *p = fdt_getprop(fdt, node, name, &len);

	assert_non_null(p);
	assert_int_equal(len, 4);
	return fdt32_ld(p);
}

static void check_str(const void *fdt, int node, const char *name,
		      const char *want)
{
	int len;
	const char *p = fdt_getprop(fdt, node, name, &len);

	assert_non_null(p);
	assert_int_equal(len, (int)strlen(want) + 1);
	assert_string_equal(p, want);
}

static void check_bytes(const void *fdt, int node, const char *name,
			const void *want, size_t size)
{
	int len;
	const void *p = fdt_getprop(fdt, node, name, &len);

	assert_non_null(p);
	assert_int_equal(len, (int)size);
	assert_memory_equal(p, want, size);
}

static void check_absent(const void *fdt, int node, const char *name)
{
	int len;

	assert_null(fdt_getprop(fdt, node, name, &len));
	assert_int_equal(len, -FDT_ERR_NOTFOUND);
}

/* Two domains by hand: every property, then read back. */
static void test_bundle_write(void **state)
{
	static const uint8_t k0a[100] = {1, 2, 3}, k0b[7] = {9, 9},
			     rd[33] = {7};
	struct hvkit_domain_cfg cfg[2];
	struct hvkit_segment s0[2] = {
	    {ARM_RAM + 0x80000, k0a, sizeof(k0a), 0x10000},
	    {ARM_RAM + 0x100000, k0b, sizeof(k0b), sizeof(k0b)},
	};
	struct hvkit_segment s1[1] = {{ARM_RAM, k0b, 0, 0x20}};
	struct hvkit_kernel k[2] = {
	    {HVKIT_KERNEL_ELF, ARM_RAM + 0x80000, 2, s0},
	    {HVKIT_KERNEL_RAW, ARM_RAM, 1, s1},
	};
	struct hvkit_bundle_domain d[2] = {
	    {&cfg[0],
	     &k[0],
	     rd,
	     sizeof(rd),
	     {ARM_RAM, 16 * MIB, {0, 0}, ARM_RAM + 12 * MIB}},
	    {&cfg[1], &k[1], NULL, 0, {ARM_RAM, 32 * MIB, {0, 0}, 0}},
	};
	void *fdt;
	size_t size;
	int root, n0, n1, seg, rdn;

	(void)state;
	make_cfg(&cfg[0], "cmdline = \"console=hvc0\"\nvcpus = 2\n"
			  "cpus = \"0-1\"\nweight = 300\ncap = 50\n");
	make_cfg(&cfg[1], "");
	strcpy(cfg[1].name, "second");
	cfg[0].initdomain = true;
	assert_int_equal(
	    hvkit_bundle_write(HVKIT_ARCH_AARCH64, d, 2, &fdt, &size, &err), 0);
	assert_int_equal(fdt_check_header(fdt), 0);
	assert_int_equal(size, fdt_totalsize(fdt));
	assert_true(size <= hvkit_bundle_size_bound(d, 2));
	root = fdt_path_offset(fdt, "/");
	check_str(fdt, root, "compatible", "hvkit,bundle-v1");
	check_str(fdt, root, "arch", "aarch64");

	n0 = fdt_path_offset(fdt, "/domain@0");
	assert_true(n0 > 0);
	check_str(fdt, n0, "name", "g");
	check_str(fdt, n0, "type", "pvh");
	assert_int_equal(get_u64(fdt, n0, "memory"), 16 * MIB);
	assert_int_equal(get_u64(fdt, n0, "ram-base"), ARM_RAM);
	assert_int_equal(get_u32(fdt, n0, "vcpus"), 2);
	check_str(fdt, n0, "cmdline", "console=hvc0");
	assert_int_equal(get_u64(fdt, n0, "entry"), ARM_RAM + 0x80000);
	check_bytes(fdt, n0, "initdomain", "", 0);
	check_str(fdt, n0, "kernel-format", "elf");
	check_str(fdt, n0, "cpus", "0-1");
	assert_int_equal(get_u32(fdt, n0, "weight"), 300);
	assert_int_equal(get_u32(fdt, n0, "cap"), 50);
	seg = fdt_subnode_offset(fdt, n0, "segment@0");
	assert_int_equal(get_u64(fdt, seg, "gpa"), ARM_RAM + 0x80000);
	check_bytes(fdt, seg, "data", k0a, sizeof(k0a));
	assert_int_equal(get_u64(fdt, seg, "mem-size"), 0x10000);
	seg = fdt_subnode_offset(fdt, n0, "segment@1");
	assert_int_equal(get_u64(fdt, seg, "gpa"), ARM_RAM + 0x100000);
	check_bytes(fdt, seg, "data", k0b, sizeof(k0b));
	assert_int_equal(get_u64(fdt, seg, "mem-size"), sizeof(k0b));
	assert_true(fdt_subnode_offset(fdt, n0, "segment@2") < 0);
	rdn = fdt_subnode_offset(fdt, n0, "ramdisk");
	assert_int_equal(get_u64(fdt, rdn, "gpa"), ARM_RAM + 12 * MIB);
	check_bytes(fdt, rdn, "data", rd, sizeof(rd));

	n1 = fdt_path_offset(fdt, "/domain@1");
	check_str(fdt, n1, "name", "second");
	assert_int_equal(get_u64(fdt, n1, "memory"), 32 * MIB);
	assert_int_equal(get_u32(fdt, n1, "vcpus"), 1);
	check_str(fdt, n1, "cmdline", "");
	check_str(fdt, n1, "kernel-format", "raw");
	check_absent(fdt, n1, "initdomain");
	check_absent(fdt, n1, "cpus");
	check_absent(fdt, n1, "weight");
	check_absent(fdt, n1, "cap");
	assert_true(fdt_subnode_offset(fdt, n1, "ramdisk") < 0);
	seg = fdt_subnode_offset(fdt, n1, "segment@0");
	check_bytes(fdt, seg, "data", "", 0); /* all bss */
	assert_int_equal(get_u64(fdt, seg, "mem-size"), 0x20);
	assert_true(fdt_path_offset(fdt, "/domain@2") < 0);
	/* Nodes in config order, nothing else at the top. */
	assert_int_equal(fdt_first_subnode(fdt, root), n0);
	assert_int_equal(fdt_next_subnode(fdt, n0), n1);
	assert_true(fdt_next_subnode(fdt, n1) < 0);
	free(fdt);
	hvkit_config_free(&cfg[0]);
	hvkit_config_free(&cfg[1]);
}

/* The bound grows with the data and holds for many small pieces. */
static void test_bundle_size_bound(void **state)
{
	static uint8_t big[1 << 20];
	enum { NR = 64 };
	struct hvkit_domain_cfg cfg;
	struct hvkit_segment segs[NR];
	struct hvkit_kernel k = {HVKIT_KERNEL_ELF, 0, NR, segs};
	struct hvkit_bundle_domain d[NR];
	void *fdt;
	size_t size, i;
	char cmdline[600];

	(void)state;
	memset(cmdline, 'c', sizeof(cmdline) - 1);
	cmdline[sizeof(cmdline) - 1] = '\0';
	make_cfg(&cfg, "cpus = \"0-1,3,5,7,9,11,13,15,17\"\n");
	free(cfg.cmdline);
	cfg.cmdline = strdup(cmdline);
	memset(big, 0x11, sizeof(big));
	for (i = 0; i < NR; i++) {
		segs[i] =
		    (struct hvkit_segment){i * 0x1000, big, i * 3, 0x1000};
		d[i] = (struct hvkit_bundle_domain){
		    &cfg, &k, big, i + 1, {0, 0, {0, 0}, 0}};
	}
	assert_int_equal(
	    hvkit_bundle_write(HVKIT_ARCH_X86_64, d, NR, &fdt, &size, &err), 0);
	assert_true(size <= hvkit_bundle_size_bound(d, NR));
	free(fdt);
	/* Big data costs what it weighs, not twice (a kernel is ~33 MB). */
	k.nr_segments = 1;
	segs[0].file_size = sizeof(big);
	assert_int_equal(
	    hvkit_bundle_write(HVKIT_ARCH_X86_64, d, 1, &fdt, &size, &err), 0);
	assert_true(size > sizeof(big));
	assert_true(size <= hvkit_bundle_size_bound(d, 1));
	assert_true(hvkit_bundle_size_bound(d, 1) - size < 8192);
	check_str(fdt, 0, "arch", "x86_64");
	free(fdt);
	hvkit_config_free(&cfg);
}

static void test_bundle_too_big(void **state)
{
	struct hvkit_domain_cfg cfg;
	struct hvkit_segment seg = {0, NULL, UINT64_C(0x80000000), 0};
	struct hvkit_kernel k = {HVKIT_KERNEL_ELF, 0, 1, &seg};
	struct hvkit_bundle_domain d = {&cfg, &k, NULL, 0, {0, 0, {0, 0}, 0}};
	void *fdt = NULL;
	size_t size = 0;

	(void)state;
	make_cfg(&cfg, "");
	assert_int_equal(
	    hvkit_bundle_write(HVKIT_ARCH_X86_64, &d, 1, &fdt, &size, &err),
	    -1);
	assert_non_null(strstr(err.msg, "more than a device tree can hold"));
	assert_null(fdt);
	hvkit_config_free(&cfg);
}

/* Files for hvkit_build(): a PVH ELF, an arm64 Image, a raw blob. */
static void write_pvh(const char *name, uint32_t entry)
{
	static uint8_t buf[4096];
	uint8_t note[64];
	size_t nlen =
	    tu_note(note, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, &entry, 4, 4);
	const struct tu_phdr ph[] = {
	    TU_PH(PT_LOAD, 0x100000, 0x100000, 0x40, 0x1000, 0x1000),
	    {.type = PT_NOTE,
	     .filesz = nlen,
	     .memsz = nlen,
	     .align = 4,
	     .data = note},
	};
	const struct tu_elf e = {ELFCLASS64, 0, 0, EM_X86_64, 0, ph, 2};

	free(tu_write(tu_dir, name, buf, tu_elf(buf, sizeof(buf), &e)));
}

static void write_image(const char *name)
{
	uint8_t img[256] = {0};
	uint64_t text_offset = 0x200000, image_size = 0x3000;

	memcpy(img + 8, &text_offset, 8);
	memcpy(img + 16, &image_size, 8);
	memcpy(img + 56, "ARM\x64", 4);
	free(tu_write(tu_dir, name, img, sizeof(img)));
}

static char *cfg_file(const char *name, const char *text)
{
	return tu_write_str(tu_dir, name, text);
}

static int build(struct hvkit_build *b, size_t n, char **paths,
		 enum hvkit_arch arch)
{
	memset(&err, 0, sizeof(err));
	return hvkit_build(b, (const char *const *)paths, n, arch, &err);
}

static void free_paths(char **paths, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(paths[i]);
}

static void test_build_x86(void **state)
{
	char *paths[2];
	struct hvkit_build b;
	int n;

	(void)state;
	write_pvh("pvh.elf", 0x100020);
	free(tu_write_str(tu_dir, "rd.img", "ramdisk!"));
	paths[0] = cfg_file("a.cfg", "name = \"a\"\nkernel = \"pvh.elf\"\n"
				     "memory = 32\nramdisk = \"rd.img\"\n");
	paths[1] = cfg_file("b.cfg", "name = \"b\"\nkernel = \"pvh.elf\"\n"
				     "memory = 16\nextra = \"x\"\n"
				     "cmdline = \"c\"\n");
	assert_int_equal(build(&b, 2, paths, HVKIT_ARCH_NONE), 0);
	assert_int_equal(b.arch, HVKIT_ARCH_X86_64);
	assert_int_equal(b.nr, 2);
	assert_int_equal(hvkit_build_memory_mib(&b), 48);
	assert_int_equal(b.cfgs[1].extra_ignored_line, 4);
	assert_int_equal(fdt_check_header(b.fdt), 0);
	assert_int_equal(b.fdt_size, fdt_totalsize(b.fdt));
	check_str(b.fdt, 0, "arch", "x86_64");
	n = fdt_path_offset(b.fdt, "/domain@0");
	assert_int_equal(get_u64(b.fdt, n, "entry"), 0x100020);
	assert_int_equal(get_u64(b.fdt, n, "ram-base"), 0);
	check_bytes(b.fdt, n, "initdomain", "", 0);
	check_bytes(b.fdt, fdt_subnode_offset(b.fdt, n, "ramdisk"), "data",
		    "ramdisk!", 8);
	assert_int_equal(
	    get_u64(b.fdt, fdt_subnode_offset(b.fdt, n, "ramdisk"), "gpa"),
	    32 * MIB - 0x1000);
	n = fdt_path_offset(b.fdt, "/domain@1");
	check_str(b.fdt, n, "cmdline", "c");
	check_absent(b.fdt, n, "initdomain");
	hvkit_build_free(&b);
	assert_null(b.fdt);
	free_paths(paths, 2);
}

static void test_build_aarch64(void **state)
{
	char *paths[2];
	struct hvkit_build b;
	int n;

	(void)state;
	write_image("Image");
	free(tu_write_str(tu_dir, "raw.bin", "\x01\x02\x03"));
	paths[0] = cfg_file("r.cfg", "name = \"r\"\nkernel = \"raw.bin\"\n"
				     "memory = 8\n");
	paths[1] = cfg_file("i.cfg", "name = \"i\"\nkernel = \"Image\"\n"
				     "memory = 8\ninitdomain = 1\n");
	/* The raw kernel says nothing; the Image decides. */
	assert_int_equal(build(&b, 2, paths, HVKIT_ARCH_NONE), 0);
	assert_int_equal(b.arch, HVKIT_ARCH_AARCH64);
	check_str(b.fdt, 0, "arch", "aarch64");
	n = fdt_path_offset(b.fdt, "/domain@0");
	check_str(b.fdt, n, "kernel-format", "raw");
	check_absent(b.fdt, n, "initdomain");
	assert_int_equal(get_u64(b.fdt, n, "entry"), ARM_RAM);
	n = fdt_path_offset(b.fdt, "/domain@1");
	check_str(b.fdt, n, "kernel-format", "arm64-image");
	check_bytes(b.fdt, n, "initdomain", "", 0);
	assert_int_equal(get_u64(b.fdt, n, "entry"), ARM_RAM + 0x200000);
	assert_int_equal(get_u64(b.fdt,
				 fdt_subnode_offset(b.fdt, n, "segment@0"),
				 "mem-size"),
			 0x3000);
	hvkit_build_free(&b);
	/* Raw kernels alone: the architecture must be given. */
	assert_int_equal(build(&b, 1, paths, HVKIT_ARCH_NONE), -1);
	assert_string_equal(err.msg, "cannot tell the architecture from the "
				     "kernels (none is an ELF file or an arm64 "
				     "Image): give --arch");
	assert_int_equal(build(&b, 1, paths, HVKIT_ARCH_AARCH64), 0);
	hvkit_build_free(&b);
	free_paths(paths, 2);
}

/*
 * Building the one domain of @text (in bad.cfg) fails with @msg, in which
 * each %s (at most two) stands for the test's directory: every error
 * names its file (and line and key).
 */
static void build_fails(const char *text, enum hvkit_arch arch, const char *msg)
{
	char *path = cfg_file("bad.cfg", text);
	struct hvkit_build b;
	char want[1024];

	assert_int_equal(build(&b, 1, &path, arch), -1);
	snprintf(want, sizeof(want), msg, tu_dir, tu_dir);
	assert_string_equal(err.msg, want);
	assert_null(b.cfgs);
	free(path);
}

static void test_build_errors(void **state)
{
	(void)state;
	write_pvh("pvh.elf", 0x100000);
	free(tu_write(tu_dir, "empty", "", 0));
	build_fails("name = \"a\"\nkernel = \"none\"\nmemory = 1\n",
		    HVKIT_ARCH_NONE,
		    "%s/bad.cfg:2: kernel: cannot read "
		    "%s/none: No such file or directory");
	build_fails("name = \"a\"\nkernel = \"empty\"\nmemory = 1\n",
		    HVKIT_ARCH_NONE, "%s/bad.cfg:2: kernel: %s/empty is empty");
	build_fails("name = \"a\"\nkernel = \"pvh.elf\"\nmemory = 2\n"
		    "ramdisk = \"empty\"\n",
		    HVKIT_ARCH_NONE,
		    "%s/bad.cfg:4: ramdisk: %s/empty is empty");
	build_fails("name = \"a\"\nkernel = \"pvh.elf\"\nmemory = 2\n"
		    "ramdisk = \".\"\n",
		    HVKIT_ARCH_NONE,
		    "%s/bad.cfg:4: ramdisk: cannot read "
		    "%s/.: Is a directory");
	build_fails(
	    "name = \"a\"\nkernel = \"pvh.elf\"\nmemory = 2\n",
	    HVKIT_ARCH_AARCH64,
	    "%s/bad.cfg:2: kernel: %s/pvh.elf is an "
	    "ELF64 file for x86_64 (e_machine 62), which cannot boot on "
	    "aarch64");
	{
		static uint8_t big[0x180000];

		free(tu_write(tu_dir, "big", big, sizeof(big)));
	}
	build_fails(
	    "name = \"a\"\nkernel = \"pvh.elf\"\nmemory = 2\n"
	    "ramdisk = \"big\"\n",
	    HVKIT_ARCH_NONE,
	    "%s/bad.cfg:4: ramdisk: %s/big: placed at "
	    "[0x80000, 0x200000), it overlaps kernel segment 0 [0x100000, "
	    "0x101000): give the domain more memory");
	build_fails("name = \"a\"\nkernel = \"pvh.elf\"\nmemory = lots\n",
		    HVKIT_ARCH_NONE,
		    "%s/bad.cfg:3: memory: expected a positive "
		    "integer (MiB), got \"lots\"");
}

static void test_build_set_errors(void **state)
{
	char *paths[3];
	struct hvkit_build b;
	char want[1024];

	(void)state;
	write_pvh("pvh.elf", 0x100000);
	paths[0] = cfg_file("1.cfg", "name = \"same\"\nkernel = \"pvh.elf\"\n"
				     "memory = 4\n");
	paths[1] = cfg_file("2.cfg", "memory = 4\nname = \"same\"\n"
				     "kernel = \"pvh.elf\"\n");
	assert_int_equal(build(&b, 2, paths, HVKIT_ARCH_NONE), -1);
	snprintf(want, sizeof(want),
		 "%s/2.cfg:2: name: domain \"same\" is "
		 "already defined in %s/1.cfg",
		 tu_dir, tu_dir);
	assert_string_equal(err.msg, want);
	paths[2] = cfg_file("3.cfg", "nonsense");
	assert_int_equal(build(&b, 3, paths, HVKIT_ARCH_NONE), -1);
	snprintf(want, sizeof(want),
		 "%s/3.cfg:1: nonsense: expected '=' after "
		 "the key, got end of file",
		 tu_dir);
	assert_string_equal(err.msg, want);
	free_paths(paths, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_layout_aarch64),
	    cmocka_unit_test(test_layout_aarch64_errors),
	    cmocka_unit_test(test_layout_aarch64_limits),
	    cmocka_unit_test(test_layout_x86),
	    cmocka_unit_test(test_layout_x86_errors),
	    cmocka_unit_test(test_bundle_write),
	    cmocka_unit_test(test_bundle_size_bound),
	    cmocka_unit_test(test_bundle_too_big),
	    cmocka_unit_test_setup_teardown(test_build_x86, tu_setup_dir,
					    tu_teardown_dir),
	    cmocka_unit_test_setup_teardown(test_build_aarch64, tu_setup_dir,
					    tu_teardown_dir),
	    cmocka_unit_test_setup_teardown(test_build_errors, tu_setup_dir,
					    tu_teardown_dir),
	    cmocka_unit_test_setup_teardown(test_build_set_errors, tu_setup_dir,
					    tu_teardown_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
