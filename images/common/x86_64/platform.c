/*
 * What the machine is: RAM (the memory map in hvm_start_info, version 1),
 * where the domain bundle was loaded (the first PVH module), the ACPI
 * tables (rsdp_paddr), and a page of low RAM where the other CPUs start.
 * The start info, its tables and the bundle are reserved from the heap.
 */
#include "hyp.h"

#include <hv/x86_boot.h>

#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>

/* Below 1 MiB live the firmware and the loader's tables: left alone. */
#define LOW_MEMORY_END (1ull << 20)

/* RAM from the memory map, within what the identity map covers. */
static void add_ram(struct hyp *h, uint64_t base, uint64_t size)
{
	uint64_t end = base + size;

	if (end > HV_X86_BOOT_MAP_LIMIT) {
		hv_log_warn(&h->log, "RAM above 4 GiB is not used");
		end = HV_X86_BOOT_MAP_LIMIT;
	}
	base = hv_max_u64(HV_ALIGN_UP(base, HV_PAGE_SIZE), LOW_MEMORY_END);
	end = HV_ALIGN_DOWN(end, HV_PAGE_SIZE);
	if (end <= base)
		return;
	if (h->plat.nr_ram == HYP_MAX_RAM_RANGES)
		hyp_panic(h, "more than %d RAM ranges", HYP_MAX_RAM_RANGES);
	h->plat.ram[h->plat.nr_ram].base = base;
	h->plat.ram[h->plat.nr_ram].size = end - base;
	h->plat.nr_ram++;
}

static void find_ram(struct hyp *h, const struct hvm_start_info *si)
{
	const struct hvm_memmap_table_entry *map =
	    (const void *)(uintptr_t)si->memmap_paddr;

	if (si->version < 1 || si->memmap_entries == 0)
		hyp_panic(h,
			  "the loader passed no memory map "
			  "(hvm_start_info version %u)",
			  si->version);
	for (uint32_t i = 0; i < si->memmap_entries; i++)
		if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM)
			add_ram(h, map[i].addr, map[i].size);
	if (h->plat.nr_ram == 0)
		hyp_panic(h, "the memory map has no RAM above 1 MiB");
	hyp_reserve(h, si->memmap_paddr, si->memmap_entries * sizeof(*map));
}

static bool reserved(struct hyp *h, hv_paddr_t base, uint64_t size)
{
	for (unsigned int i = 0; i < h->plat.nr_reserved; i++) {
		const struct hv_mem_range *r = &h->plat.reserved[i];

		if (base < r->base + r->size && r->base < base + size)
			return true;
	}
	return false;
}

/*
 * The AP trampoline's page (a STARTUP IPI can name only a page below
 * 1 MiB): the highest page of RAM there that the loader's tables do not
 * use.  The heap never takes RAM below 1 MiB, so nothing else will; on
 * QEMU (microvm and pc) it is 0x9e000.  0: none (the boot CPU runs
 * alone).
 */
static void find_trampoline(struct hyp *h, const struct hvm_start_info *si)
{
	const struct hvm_memmap_table_entry *map =
	    (const void *)(uintptr_t)si->memmap_paddr;

	for (uint32_t i = 0; i < si->memmap_entries; i++) {
		uint64_t lo = HV_ALIGN_UP(hv_max_u64(map[i].addr, HV_PAGE_SIZE),
					  HV_PAGE_SIZE);
		uint64_t page = HV_ALIGN_DOWN(
		    hv_min_u64(map[i].addr + map[i].size, LOW_MEMORY_END),
		    HV_PAGE_SIZE);

		if (map[i].type != XEN_HVM_MEMMAP_TYPE_RAM)
			continue;
		while (page > lo && page - HV_PAGE_SIZE > h->arch.trampoline) {
			page -= HV_PAGE_SIZE;
			if (!reserved(h, page, HV_PAGE_SIZE)) {
				h->arch.trampoline = page;
				break;
			}
		}
	}
}

static void find_bundle(struct hyp *h, const struct hvm_start_info *si)
{
	const struct hvm_modlist_entry *mods =
	    (const void *)(uintptr_t)si->modlist_paddr;

	if (si->nr_modules == 0 || mods[0].size == 0)
		hyp_panic(h, "no domain bundle: boot with -initrd BUNDLE "
			     "(hvkit run does)");
	h->plat.bundle = mods[0].paddr;
	h->plat.bundle_size = mods[0].size;
	hyp_reserve(h, mods[0].paddr, mods[0].size);
	hyp_reserve(h, si->modlist_paddr, si->nr_modules * sizeof(*mods));
}

void hyp_platform_probe(struct hyp *h, hv_paddr_t start_info)
{
	const struct hvm_start_info *si = (const void *)(uintptr_t)start_info;

	if (si->magic != XEN_HVM_START_MAGIC_VALUE)
		hyp_panic(h, "no hvm_start_info at %#llx (magic %#x)",
			  (unsigned long long)start_info, si->magic);
	hyp_reserve(h, start_info, sizeof(*si));
	find_ram(h, si);
	find_bundle(h, si);
	find_trampoline(h, si);
	h->arch.rsdp = si->rsdp_paddr;
}
