/*
 * hv/x86_pvh.h - an x86_64 machine as a PVH loader describes it, in its
 * struct hvm_start_info (<xen/arch-x86/hvm/start_info.h>, version 1):
 * RAM from the memory map, the regions the loader's tables use, the first
 * module, ACPI's RSDP, and a page below 1 MiB where the other CPUs can
 * start (hv/x86_smp.h).  What an image needs to know before it can set up
 * memory and start its other CPUs; the x86 twin of hv/arm_platform.h.
 *
 * Pure: the start info and its tables are read through the caller's
 * `map` (as ACPI's, hv/x86_madt.h), so the reader is tested on the host
 * with tables in a buffer.
 */
#ifndef HV_X86_PVH_H
#define HV_X86_PVH_H

#include <hv/error.h>
#include <hv/types.h>
#include <hv/x86_madt.h>

HV_BEGIN_DECLS

/* What struct hv_x86_pvh_platform holds at most: RAM ranges, reserved
 * ranges, the command line's bytes with its NUL. */
#define HV_X86_PVH_MAX_RAM	16
#define HV_X86_PVH_MAX_RESERVED 3 /* the start info, memory map, modules */
#define HV_X86_PVH_CMDLINE_MAX	256

/* The machine, as the PVH loader's hvm_start_info describes it. */
struct hv_x86_pvh_platform {
	/* The memory map's RAM from 1 MiB (below it live the firmware and
	 * the loader's tables) to `map_limit`, in whole pages, in the map's
	 * order; ram_clipped: some RAM lay beyond map_limit. */
	struct hv_mem_range ram[HV_X86_PVH_MAX_RAM];
	unsigned int nr_ram;
	bool ram_clipped;
	/* What the loader's own tables take: keep it from any allocator. */
	struct hv_mem_range reserved[HV_X86_PVH_MAX_RESERVED];
	unsigned int nr_reserved;
	struct hv_mem_range module; /* the first module; size 0: none */
	hv_paddr_t rsdp;	    /* ACPI's RSDP; 0: none */
	/* The highest page of RAM below 1 MiB that neither the reserved
	 * regions nor the module touch (a STARTUP IPI can name only such a
	 * page), page 0 excepted; 0: none. */
	hv_paddr_t trampoline;
	/* The loader's command line (QEMU's -append), cut to fit; "": none. */
	char cmdline[HV_X86_PVH_CMDLINE_MAX];
};

/*
 * Read the machine from the hvm_start_info at physical address
 * `start_info`, through map(ctx, ...), into *p; RAM is used only below
 * `map_limit` (what the caller can address, HV_X86_BOOT_MAP_LIMIT for an
 * image on libhv-x86's head).  0, or -HV_EINVAL with msg[len] saying why:
 * no start info there (its magic), no memory map (version 0, or no
 * entries), no RAM above 1 MiB, more RAM ranges than the array holds, or
 * a table that cannot be read; *p then holds what was read before.
 */
int hv_x86_pvh_read(hv_paddr_t start_info, hv_x86_acpi_map_fn map, void *ctx,
		    uint64_t map_limit, struct hv_x86_pvh_platform *p,
		    char *msg, size_t len);

HV_END_DECLS

#endif /* HV_X86_PVH_H */
