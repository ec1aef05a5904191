/*
 * The machine from a PVH loader's hvm_start_info (hv/x86_pvh.h), as the
 * PVH boot ABI (Xen's docs/misc/pvh.pandoc) defines it.
 */
#include <hv/fmt.h>
#include <hv/string.h>
#include <hv/x86_pvh.h>

#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>

/* Below 1 MiB live the firmware and the loader's tables. */
#define LOW_MEMORY_END (UINT64_C(1) << 20)

/* RAM [base, base + size) from 1 MiB to the map's limit, in whole pages;
 * -HV_ENOSPC when the array is full. */
static int add_ram(struct hv_x86_pvh_platform *p, uint64_t base, uint64_t size,
		   uint64_t map_limit)
{
	uint64_t end = base + size;

	if (end > map_limit) {
		p->ram_clipped = true;
		end = map_limit;
	}
	base = hv_max_u64(HV_ALIGN_UP(base, HV_PAGE_SIZE), LOW_MEMORY_END);
	end = HV_ALIGN_DOWN(end, HV_PAGE_SIZE);
	if (end <= base)
		return 0;
	if (p->nr_ram == HV_X86_PVH_MAX_RAM)
		return -HV_ENOSPC;
	p->ram[p->nr_ram++] = (struct hv_mem_range){base, end - base};
	return 0;
}

static bool overlaps(struct hv_mem_range r, hv_paddr_t base, uint64_t size)
{
	return r.size && base < r.base + r.size && r.base < base + size;
}

static bool taken(const struct hv_x86_pvh_platform *p, hv_paddr_t page)
{
	for (unsigned int i = 0; i < p->nr_reserved; i++)
		if (overlaps(p->reserved[i], page, HV_PAGE_SIZE))
			return true;
	return overlaps(p->module, page, HV_PAGE_SIZE);
}

/* The highest free page of each RAM entry below 1 MiB, the highest of
 * all kept; page 0 never (0 says none). */
static void find_trampoline(const struct hvm_memmap_table_entry *map,
			    uint32_t n, struct hv_x86_pvh_platform *p)
{
	for (uint32_t i = 0; i < n; i++) {
		uint64_t lo = HV_ALIGN_UP(hv_max_u64(map[i].addr, HV_PAGE_SIZE),
					  HV_PAGE_SIZE);
		uint64_t page = HV_ALIGN_DOWN(
		    hv_min_u64(map[i].addr + map[i].size, LOW_MEMORY_END),
		    HV_PAGE_SIZE);

		if (map[i].type != XEN_HVM_MEMMAP_TYPE_RAM)
			continue;
		while (page > lo && page - HV_PAGE_SIZE > p->trampoline) {
			page -= HV_PAGE_SIZE;
			if (!taken(p, page)) {
				p->trampoline = page;
				break;
			}
		}
	}
}

static void reserve(struct hv_x86_pvh_platform *p, hv_paddr_t base,
		    uint64_t size)
{
	p->reserved[p->nr_reserved++] = (struct hv_mem_range){base, size};
}

static int find_ram(const struct hvm_memmap_table_entry *map, uint32_t n,
		    uint64_t map_limit, struct hv_x86_pvh_platform *p,
		    char *msg, size_t len)
{
	for (uint32_t i = 0; i < n; i++)
		if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM &&
		    add_ram(p, map[i].addr, map[i].size, map_limit)) {
			hv_snprintf(msg, len, "more than %d RAM ranges",
				    HV_X86_PVH_MAX_RAM);
			return -HV_EINVAL;
		}
	if (p->nr_ram == 0) {
		hv_snprintf(msg, len, "the memory map has no RAM above 1 MiB");
		return -HV_EINVAL;
	}
	return 0;
}

static int find_module(const struct hvm_start_info *si, hv_x86_acpi_map_fn map,
		       void *ctx, struct hv_x86_pvh_platform *p, char *msg,
		       size_t len)
{
	size_t bytes = si->nr_modules * sizeof(struct hvm_modlist_entry);
	const struct hvm_modlist_entry *mods;

	if (si->nr_modules == 0)
		return 0;
	mods = map(ctx, si->modlist_paddr, bytes);
	if (!mods) {
		hv_snprintf(msg, len, "cannot read the module list at %#llx",
			    (unsigned long long)si->modlist_paddr);
		return -HV_EINVAL;
	}
	reserve(p, si->modlist_paddr, bytes);
	p->module = (struct hv_mem_range){mods[0].paddr, mods[0].size};
	return 0;
}

/* A command line that cannot be read, or runs past the buffer, is cut:
 * it only carries options. */
static void read_cmdline(const struct hvm_start_info *si,
			 hv_x86_acpi_map_fn map, void *ctx,
			 struct hv_x86_pvh_platform *p)
{
	const char *s = si->cmdline_paddr
			    ? map(ctx, si->cmdline_paddr, sizeof(p->cmdline))
			    : NULL;
	size_t i;

	for (i = 0; s && i + 1 < sizeof(p->cmdline) && s[i]; i++)
		p->cmdline[i] = s[i];
	p->cmdline[i] = '\0';
}

int hv_x86_pvh_read(hv_paddr_t start_info, hv_x86_acpi_map_fn map, void *ctx,
		    uint64_t map_limit, struct hv_x86_pvh_platform *p,
		    char *msg, size_t len)
{
	const struct hvm_start_info *si = map(ctx, start_info, sizeof(*si));
	const struct hvm_memmap_table_entry *mm;
	size_t bytes;
	int err;

	memset(p, 0, sizeof(*p));
	if (!si || si->magic != XEN_HVM_START_MAGIC_VALUE) {
		hv_snprintf(msg, len, "no hvm_start_info at %#llx (magic %#x)",
			    (unsigned long long)start_info, si ? si->magic : 0);
		return -HV_EINVAL;
	}
	reserve(p, start_info, sizeof(*si));
	p->rsdp = si->rsdp_paddr;
	if (si->version < 1 || si->memmap_entries == 0) {
		hv_snprintf(msg, len,
			    "the loader passed no memory map "
			    "(hvm_start_info version %u)",
			    si->version);
		return -HV_EINVAL;
	}
	bytes = si->memmap_entries * sizeof(*mm);
	mm = map(ctx, si->memmap_paddr, bytes);
	if (!mm) {
		hv_snprintf(msg, len, "cannot read the memory map at %#llx",
			    (unsigned long long)si->memmap_paddr);
		return -HV_EINVAL;
	}
	reserve(p, si->memmap_paddr, bytes);
	err = find_ram(mm, si->memmap_entries, map_limit, p, msg, len);
	if (!err)
		err = find_module(si, map, ctx, p, msg, len);
	if (!err)
		find_trampoline(mm, si->memmap_entries, p);
	if (!err)
		read_cmdline(si, map, ctx, p);
	return err;
}
