/*
 * Fuzzing the kernel loader of tools/hvkit (kernel.c, kernel_elf.c over
 * libelf) and the layout that places what it returns (layout.c).  The
 * kernel file is read from a buffer of exactly its size, so that
 * AddressSanitizer sees any read past its end.
 *
 * A kernel that loads must be what kernel.h promises: at least one
 * segment, each with its bytes inside the file, no more file than memory
 * and an end that does not wrap (layout.c relies on it), and the entry
 * inside a segment.  One that does not must say why on one line and leave
 * nothing.  A layout that succeeds must have every segment and the
 * ramdisk inside guest RAM, apart from each other and the reserved area.
 *
 * Input: byte 0 bit 0 the architecture (x86_64, else aarch64) and bits 1-4
 * the guest's memory (1 << n MiB); byte 1 the ramdisk's size (n * 64 KiB,
 * 0: none); the kernel file from byte 2.
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "layout.h"

#define HEADER 2

static bool one_line(const char *msg)
{
	return msg[0] && !strchr(msg, '\n');
}

static struct hvkit_range range(uint64_t start, uint64_t len)
{
	return (struct hvkit_range){start, start + len};
}

static bool inside(struct hvkit_range in, struct hvkit_range out)
{
	return in.start <= in.end && in.start >= out.start && in.end <= out.end;
}

static bool apart(struct hvkit_range a, struct hvkit_range b)
{
	return a.end <= b.start || b.end <= a.start;
}

static void check_kernel(const struct hvkit_kernel *k, const uint8_t *file,
			 size_t size)
{
	bool entry_inside = false;

	fuzz_check(k->nr_segments >= 1 && k->segments);
	for (size_t i = 0; i < k->nr_segments; i++) {
		const struct hvkit_segment *s = &k->segments[i];

		fuzz_check(s->data >= file && s->file_size <= size &&
			   (size_t)(s->data - file) <= size - s->file_size);
		fuzz_check(s->file_size <= s->mem_size && s->mem_size > 0);
		fuzz_check(s->gpa <= UINT64_MAX - s->mem_size);
		entry_inside |=
		    k->entry >= s->gpa && k->entry - s->gpa < s->mem_size;
	}
	fuzz_check(entry_inside);
}

static void check_layout(const struct hvkit_domain_layout *l,
			 const struct hvkit_kernel *k, uint64_t ramdisk)
{
	struct hvkit_range ram = range(l->ram_base, l->ram_size);
	struct hvkit_range rd = range(l->ramdisk_gpa, ramdisk);

	fuzz_check(inside(l->reserved, ram));
	for (size_t i = 0; i < k->nr_segments; i++) {
		struct hvkit_range s =
		    range(k->segments[i].gpa, k->segments[i].mem_size);

		fuzz_check(inside(s, ram) && apart(s, l->reserved));
		for (size_t j = 0; j < i; j++)
			fuzz_check(apart(s, range(k->segments[j].gpa,
						  k->segments[j].mem_size)));
		fuzz_check(!ramdisk || apart(s, rd));
	}
	fuzz_check(!ramdisk || (inside(rd, ram) && apart(rd, l->reserved)));
}

static void layout(const struct hvkit_kernel *k, enum hvkit_arch arch,
		   const uint8_t *data)
{
	struct hvkit_domain_cfg cfg = {
	    .path = "fuzz.cfg",
	    .kernel = "vmlinuz",
	    .ramdisk = "initrd",
	    .cmdline = "",
	    .memory_mib = UINT64_C(1) << ((data[0] >> 1) & 15),
	    .vcpus = 1,
	};
	uint64_t ramdisk = (uint64_t)data[1] << 16;
	struct hvkit_domain_layout l;
	struct hvkit_err err = {{0}};

	for (int key = 0; key < HVKIT_KEY_COUNT; key++)
		cfg.line[key] = 1;
	if (hvkit_layout_domain(&l, &cfg, arch, k, ramdisk, &err) == 0)
		check_layout(&l, k, ramdisk);
	else
		fuzz_check(one_line(err.msg));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct hvkit_kernel none;
	enum hvkit_arch arch;
	struct hvkit_err err = {{0}};
	struct hvkit_kernel k;
	uint8_t *file;
	size_t len;

	if (size < HEADER)
		return 0;
	arch = data[0] & 1 ? HVKIT_ARCH_X86_64 : HVKIT_ARCH_AARCH64;
	len = size - HEADER;
	file = malloc(len ? len : 1);
	memcpy(file, data + HEADER, len);
	hvkit_kernel_arch(file, len);
	if (hvkit_kernel_load(&k, arch, file, len, &err) == 0) {
		check_kernel(&k, file, len);
		layout(&k, arch, data);
		hvkit_kernel_free(&k);
	} else {
		fuzz_check(one_line(err.msg));
		fuzz_check(!memcmp(&k, &none, sizeof(k)));
	}
	free(file);
	return 0;
}
