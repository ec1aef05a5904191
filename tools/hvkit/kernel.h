/*
 * kernel.h - guest kernel formats: what goes where, and where to start.
 *
 * The tool does all format work so the hypervisor only copies bytes:
 *   ELF (ELF64 for aarch64; ELF32 or ELF64 for x86_64): PT_LOAD segments at
 *     p_paddr, p_filesz bytes of data and p_memsz of memory.  The entry is
 *     e_entry on aarch64 (translated to the physical address of the segment
 *     it lies in) and the XEN_ELFNOTE_PHYS32_ENTRY note on x86_64 (PVH).
 *   arm64 Image (aarch64): the whole file at ram-base + text_offset,
 *     image_size bytes of memory; the entry is its first byte.
 *   raw binary (aarch64): the whole file at ram-base, entered there.
 */
#ifndef HVKIT_KERNEL_H
#define HVKIT_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "util.h"

enum hvkit_kernel_format {
	HVKIT_KERNEL_ELF,
	HVKIT_KERNEL_ARM64_IMAGE,
	HVKIT_KERNEL_RAW,
};

/* "elf", "arm64-image" or "raw": the bundle's kernel-format. */
const char *hvkit_kernel_format_name(enum hvkit_kernel_format format);

/* One loadable piece of a kernel. */
struct hvkit_segment {
	uint64_t gpa;	     /* guest-physical address of the first byte */
	const uint8_t *data; /* the bytes, inside the caller's file buffer */
	uint64_t file_size;  /* bytes of data */
	uint64_t mem_size;   /* bytes of guest memory, >= file_size; the
				rest is zeroed */
};

struct hvkit_kernel {
	enum hvkit_kernel_format format;
	uint64_t entry; /* guest-physical */
	size_t nr_segments;
	struct hvkit_segment *segments; /* malloc'd, in file order */
};

/*
 * The architecture a kernel or image file says it is for: an ELF's
 * e_machine (EM_AARCH64; EM_X86_64 or EM_386) or the arm64 Image magic.
 * HVKIT_ARCH_NONE for raw files and ELF files for other machines.
 */
enum hvkit_arch hvkit_kernel_arch(const uint8_t *data, size_t size);

/*
 * Works out the segments and entry of the kernel in @data for a guest of
 * @arch (whose RAM starts at hvkit_arch_ram_base(arch)).  The segments
 * point into @data, which must outlive @k.  On failure @err says what is
 * wrong with the file (without naming it) and @k holds nothing.
 */
int hvkit_kernel_load(struct hvkit_kernel *k, enum hvkit_arch arch,
		      const uint8_t *data, size_t size, struct hvkit_err *err);

/* The ELF part of hvkit_kernel_load(), for a file with the ELF magic. */
int hvkit_kernel_load_elf(struct hvkit_kernel *k, enum hvkit_arch arch,
			  const uint8_t *data, size_t size,
			  struct hvkit_err *err);

void hvkit_kernel_free(struct hvkit_kernel *k);

#endif /* HVKIT_KERNEL_H */
