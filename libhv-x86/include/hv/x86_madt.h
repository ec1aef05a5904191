/*
 * hv/x86_madt.h - the CPUs the firmware lists in ACPI's MADT, from the
 * RSDP (which a PVH loader gives in hvm_start_info's rsdp_paddr) through
 * the XSDT (ACPI 2.0+) or RSDT to the MADT ("APIC") and its processor
 * local APIC (type 0) and local x2APIC (type 9) entries.
 *
 * Pure: the tables are read through the caller's `map`, so the parser is
 * tested on the host with tables in a buffer.  Every table's signature,
 * length and checksum is checked before it is believed.
 */
#ifndef HV_X86_MADT_H
#define HV_X86_MADT_H

#include <hv/types.h>

HV_BEGIN_DECLS

/* The `len` bytes at physical address `pa` to read, or NULL if they
 * cannot be. */
typedef const void *(*hv_x86_acpi_map_fn)(void *ctx, hv_paddr_t pa, size_t len);

/*
 * The APIC IDs of the enabled CPUs, in the MADT's order, into
 * apic_ids[0 .. max - 1].  Returns how many the MADT lists (more than
 * `max` when they do not all fit), or -HV_EINVAL if a table is missing,
 * short, or fails its checksum, -HV_ENOENT if there is no MADT.
 */
int hv_x86_acpi_cpus(hv_paddr_t rsdp, hv_x86_acpi_map_fn map, void *ctx,
		     uint32_t *apic_ids, unsigned int max);

/*
 * The CPUs an image runs: `boot` (this CPU's APIC ID) first, then the
 * MADT's other enabled CPUs in its order (of its first 64), into
 * apic_ids[0 .. max - 1] (max >= 1), *nr of them.  Returns how many the
 * MADT lists (more than *nr when they do not all fit), or, with the boot
 * CPU alone kept, hv_x86_acpi_cpus()'s error (-HV_ENOENT for rsdp 0).
 */
int hv_x86_acpi_cpus_boot_first(hv_paddr_t rsdp, hv_x86_acpi_map_fn map,
				void *ctx, uint32_t boot, uint32_t *apic_ids,
				unsigned int max, unsigned int *nr);

HV_END_DECLS

#endif /* HV_X86_MADT_H */
