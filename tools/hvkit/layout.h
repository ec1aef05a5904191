/*
 * layout.h - where a domain's pieces go in its guest RAM (docs/bundle.md).
 *
 * aarch64: RAM at GUEST_RAM0_BASE; the image keeps the last 2 MiB for the
 * guest's device tree; the ramdisk goes just below that, 2 MiB-aligned.
 * x86_64: RAM at 0; the image keeps page 1 for hvm_start_info, the command
 * line, the module list and the memory map, and page 2 for the ACPI
 * tables; the ramdisk goes at the top of RAM below 4 GiB, page-aligned.
 * Every kernel segment and the ramdisk must lie inside RAM and overlap
 * neither each other nor the reserved region.
 */
#ifndef HVKIT_LAYOUT_H
#define HVKIT_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "config.h"
#include "kernel.h"
#include "util.h"

/* The guest's device tree area at the top of aarch64 guest RAM. */
#define HVKIT_ARM_DT_AREA (2 * HVKIT_MIB)
/* The pages the x86_64 image fills with hvm_start_info and friends and
 * with the ACPI tables. */
#define HVKIT_X86_START_INFO_PAGE UINT64_C(0x1000)
#define HVKIT_X86_PAGE_SIZE	  UINT64_C(0x1000)
#define HVKIT_X86_RESERVED_PAGES  2

/* [start, end): guest-physical byte addresses. */
struct hvkit_range {
	uint64_t start, end;
};

struct hvkit_domain_layout {
	uint64_t ram_base;	     /* guest-physical */
	uint64_t ram_size;	     /* bytes */
	struct hvkit_range reserved; /* what the image keeps for itself */
	uint64_t ramdisk_gpa;	     /* valid when the domain has a ramdisk */
};

/*
 * Places the domain described by @cfg, whose kernel is @k and whose
 * ramdisk is @ramdisk_size bytes (0: none), and checks every rule above.
 * On failure @err names the config file, line and key at fault.
 */
int hvkit_layout_domain(struct hvkit_domain_layout *out,
			const struct hvkit_domain_cfg *cfg,
			enum hvkit_arch arch, const struct hvkit_kernel *k,
			uint64_t ramdisk_size, struct hvkit_err *err);

#endif /* HVKIT_LAYOUT_H */
