/*
 * The page allocator over the RAM the platform reports, minus everything
 * already in use: the regions the platform code reserved (the boot
 * loader's tables, the bundle, firmware's regions) and the image with the
 * frame table right after it.  The hypervisor runs on an identity map, so
 * a machine address is its own pointer.
 */
#include "hyp_common.h"

extern char __hv_image_start[], __hv_image_end[];

void hyp_reserve(struct hyp *h, hv_paddr_t base, uint64_t size)
{
	struct hyp_platform *p = &h->plat;

	if (p->nr_reserved == HYP_MAX_RESERVED)
		hyp_panic(h, "more than %d reserved memory regions",
			  HYP_MAX_RESERVED);
	p->reserved[p->nr_reserved].base = base;
	p->reserved[p->nr_reserved].size = size;
	p->nr_reserved++;
}

static void *phys_to_virt(void *ctx, hv_paddr_t pa)
{
	(void)ctx;
	return (void *)(uintptr_t)pa;
}

/* The span of machine frames the RAM ranges cover. */
static void ram_span(const struct hyp_platform *p, uint64_t *first,
		     uint64_t *end)
{
	*first = UINT64_MAX;
	*end = 0;
	for (unsigned int i = 0; i < p->nr_ram; i++) {
		*first = hv_min_u64(*first, p->ram[i].base >> HV_PAGE_SHIFT);
		*end = hv_max_u64(*end, (p->ram[i].base + p->ram[i].size) >>
					    HV_PAGE_SHIFT);
	}
}

static bool in_ram(const struct hyp_platform *p, uint64_t base, uint64_t size)
{
	for (unsigned int i = 0; i < p->nr_ram; i++)
		if (base >= p->ram[i].base &&
		    base + size <= p->ram[i].base + p->ram[i].size)
			return true;
	return false;
}

void hyp_heap_init(struct hyp *h)
{
	uint64_t first, end, table_bytes;
	uintptr_t table;

	/* The frame table goes right after the image. */
	ram_span(&h->plat, &first, &end);
	table_bytes = hv_mm_frame_table_bytes(end - first);
	table = HV_ALIGN_UP((uintptr_t)__hv_image_end, HV_PAGE_SIZE);
	hyp_reserve(h, (uintptr_t)__hv_image_start,
		    table + table_bytes - (uintptr_t)__hv_image_start);
	if (!in_ram(&h->plat, table, table_bytes))
		hyp_panic(h, "no RAM for the frame table at %#llx",
			  (unsigned long long)table);
	/* The boot loader may vouch for it (hvkit run does on QEMU's
	 * microvm, whose firmware writes no RAM the start info does not
	 * reserve: docs/x86.md). */
	if (hyp_option(h, "ram-zeroed", &(size_t){0}))
		h->plat.ram_zeroed = true;
	if (hv_mm_heap_init(&h->heap, &h->node, 1, phys_to_virt, h) ||
	    hv_mm_heap_node_init(&h->heap, 0, hv_mfn(first), end - first,
				 (void *)table, table_bytes))
		hyp_panic(h, "cannot set up the page allocator");
	for (unsigned int i = 0; i < h->plat.nr_ram; i++)
		if (hv_mm_heap_add_range(&h->heap, h->plat.ram[i],
					 h->plat.reserved, h->plat.nr_reserved,
					 h->plat.ram_zeroed ? HV_MM_ADD_CLEAN
							    : 0))
			hyp_panic(h, "cannot give RAM at %#llx to the heap",
				  (unsigned long long)h->plat.ram[i].base);
}
