/*
 * kernel.c - kernel format detection, arm64 Image and raw loaders.
 *
 * The arm64 Image header is the one Linux defines in
 * Documentation/arch/arm64/booting.rst: 64 bytes, little-endian,
 * text_offset at byte 8, image_size at 16, flags at 24 (bit 0 set means a
 * big-endian kernel), the magic "ARM\x64" at 56.
 */
#include "kernel.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#define ARM64_HDR_SIZE	      64
#define ARM64_HDR_TEXT_OFFSET 8
#define ARM64_HDR_IMAGE_SIZE  16
#define ARM64_HDR_FLAGS	      24
#define ARM64_HDR_MAGIC	      56
#define ARM64_MAGIC	      0x644d5241u /* "ARM\x64", little-endian */
#define ARM64_FLAG_BE	      1u

const char *hvkit_kernel_format_name(enum hvkit_kernel_format format)
{
	switch (format) {
	case HVKIT_KERNEL_ELF:
		return "elf";
	case HVKIT_KERNEL_ARM64_IMAGE:
		return "arm64-image";
	case HVKIT_KERNEL_RAW:
		break;
	}
	return "raw";
}

static bool is_elf(const uint8_t *data, size_t size)
{
	return size >= SELFMAG && !memcmp(data, ELFMAG, SELFMAG);
}

static bool is_arm64_image(const uint8_t *data, size_t size)
{
	return size >= ARM64_HDR_SIZE &&
	       hvkit_le32(data + ARM64_HDR_MAGIC) == ARM64_MAGIC;
}

/* e_machine sits at the same offset in ELF32 and ELF64 headers. */
static enum hvkit_arch elf_arch(const uint8_t *data, size_t size)
{
	unsigned machine;

	if (size < sizeof(Elf32_Ehdr) || data[EI_DATA] != ELFDATA2LSB)
		return HVKIT_ARCH_NONE;
	machine = (unsigned)data[18] | (unsigned)data[19] << 8;
	if (machine == EM_AARCH64)
		return HVKIT_ARCH_AARCH64;
	if (machine == EM_X86_64 || machine == EM_386)
		return HVKIT_ARCH_X86_64;
	return HVKIT_ARCH_NONE;
}

enum hvkit_arch hvkit_kernel_arch(const uint8_t *data, size_t size)
{
	if (is_elf(data, size))
		return elf_arch(data, size);
	if (is_arm64_image(data, size))
		return HVKIT_ARCH_AARCH64;
	return HVKIT_ARCH_NONE;
}

/* The single segment of an Image or raw kernel. */
static int one_segment(struct hvkit_kernel *k, enum hvkit_kernel_format fmt,
		       uint64_t gpa, const uint8_t *data, size_t size,
		       uint64_t mem_size)
{
	k->format = fmt;
	k->entry = gpa;
	k->nr_segments = 1;
	k->segments = hvkit_xcalloc(1, sizeof(*k->segments));
	k->segments[0] = (struct hvkit_segment){
	    .gpa = gpa,
	    .data = data,
	    .file_size = size,
	    .mem_size = mem_size > size ? mem_size : size,
	};
	return 0;
}

static int load_arm64_image(struct hvkit_kernel *k, enum hvkit_arch arch,
			    const uint8_t *data, size_t size,
			    struct hvkit_err *err)
{
	uint64_t text_offset = hvkit_le64(data + ARM64_HDR_TEXT_OFFSET);
	uint64_t image_size = hvkit_le64(data + ARM64_HDR_IMAGE_SIZE);
	uint64_t flags = hvkit_le64(data + ARM64_HDR_FLAGS);
	uint64_t base = hvkit_arch_ram_base(arch);

	if (arch != HVKIT_ARCH_AARCH64)
		return hvkit_errf(err,
				  "is an arm64 Image, which cannot boot "
				  "on %s",
				  hvkit_arch_name(arch));
	if (flags & ARM64_FLAG_BE)
		return hvkit_errf(err, "is a big-endian arm64 Image; guests "
				       "are entered little-endian");
	if (text_offset > UINT64_MAX - base)
		return hvkit_errf(err, "has an impossible text_offset 0x%llx",
				  (unsigned long long)text_offset);
	/* The segment must end below 2^64: layout.c compares ends. */
	if ((image_size > size ? image_size : size) >
	    UINT64_MAX - (base + text_offset))
		return hvkit_errf(err,
				  "ends past the top of the address space "
				  "(text_offset 0x%llx, image_size 0x%llx)",
				  (unsigned long long)text_offset,
				  (unsigned long long)image_size);
	return one_segment(k, HVKIT_KERNEL_ARM64_IMAGE, base + text_offset,
			   data, size, image_size);
}

static int load_raw(struct hvkit_kernel *k, enum hvkit_arch arch,
		    const uint8_t *data, size_t size, struct hvkit_err *err)
{
	if (arch != HVKIT_ARCH_AARCH64)
		return hvkit_errf(err,
				  "is not an ELF file: %s kernels must be PVH "
				  "ELF files (with a XEN_ELFNOTE_PHYS32_ENTRY "
				  "note)",
				  hvkit_arch_name(arch));
	return one_segment(k, HVKIT_KERNEL_RAW, hvkit_arch_ram_base(arch), data,
			   size, size);
}

int hvkit_kernel_load(struct hvkit_kernel *k, enum hvkit_arch arch,
		      const uint8_t *data, size_t size, struct hvkit_err *err)
{
	memset(k, 0, sizeof(*k));
	if (size == 0)
		return hvkit_errf(err, "is empty");
	if (is_elf(data, size))
		return hvkit_kernel_load_elf(k, arch, data, size, err);
	if (is_arm64_image(data, size))
		return load_arm64_image(k, arch, data, size, err);
	return load_raw(k, arch, data, size, err);
}

void hvkit_kernel_free(struct hvkit_kernel *k)
{
	free(k->segments);
	memset(k, 0, sizeof(*k));
}
