/*
 * Memory: the EL2 identity map over the RAM the device tree reports, and
 * the page allocator over that RAM minus everything already in use (the
 * image, the device tree, the bundle, reserved regions, the frame table).
 */
#include "hyp.h"

#include <hv/arm_boot.h>
#include <hv/arm_guest_mem.h>

extern char __hv_image_start[], __hv_image_end[];

static uint64_t el2_l1[512] __attribute__((aligned(4096)));

static void *phys_to_virt(void *ctx, hv_paddr_t pa)
{
	(void)ctx;
	return (void *)(uintptr_t)pa; /* EL2 runs on an identity map */
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

/* Give the heap [start, end) minus every reserved region (frames). */
static void add_free(struct hyp *h, uint64_t start, uint64_t end)
{
	for (unsigned int i = 0; i < h->plat.nr_reserved && start < end; i++) {
		const struct hv_arm_mem_range *r = &h->plat.reserved[i];
		uint64_t rs = r->base >> HV_PAGE_SHIFT;
		uint64_t re = HV_ALIGN_UP(r->base + r->size, HV_PAGE_SIZE) >>
			      HV_PAGE_SHIFT;

		if (re <= start || rs >= end)
			continue;
		if (rs > start)
			add_free(h, start, rs);
		start = re;
	}
	if (start < end && hv_mm_heap_add(&h->heap, hv_mfn(start), end - start,
					  0) != 0)
		hyp_panic(h, "cannot give frames %#llx-%#llx to the heap",
			  (unsigned long long)start, (unsigned long long)end);
}

void hyp_memory_init(struct hyp *h, const void *dtb)
{
	uint64_t first, end, table_bytes;
	uintptr_t table;

	(void)dtb;
	if (hv_arm_mmu_enable_identity(el2_l1, h->plat.ram, h->plat.nr_ram))
		hyp_panic(h, "RAM beyond the 512 GiB the EL2 map covers");

	/* The frame table goes right after the image. */
	ram_span(&h->plat, &first, &end);
	table_bytes = hv_mm_frame_table_bytes(end - first);
	table = HV_ALIGN_UP((uintptr_t)__hv_image_end, HV_PAGE_SIZE);
	h->plat.reserved[h->plat.nr_reserved].base =
		(uintptr_t)__hv_image_start;
	h->plat.reserved[h->plat.nr_reserved].size =
		table + table_bytes - (uintptr_t)__hv_image_start;
	h->plat.nr_reserved++;

	if (hv_mm_heap_init(&h->heap, &h->node, 1, phys_to_virt, h) ||
	    hv_mm_heap_node_init(&h->heap, 0, hv_mfn(first), end - first,
				 (void *)table, table_bytes))
		hyp_panic(h, "cannot set up the page allocator");
	for (unsigned int i = 0; i < h->plat.nr_ram; i++)
		add_free(h, h->plat.ram[i].base >> HV_PAGE_SHIFT,
			 (h->plat.ram[i].base + h->plat.ram[i].size) >>
				 HV_PAGE_SHIFT);
}

static int alloc_table(void *ctx, unsigned int order, hv_paddr_t *pa)
{
	struct hyp *h = ctx;
	hv_mfn_t mfn;
	int err = hv_mm_alloc_pages(&h->heap, order, HV_MM_NODE_ANY,
				    HV_MM_ALLOC_NO_SCRUB, NULL, &mfn);

	if (!err)
		*pa = hv_mfn_to_paddr(mfn);
	return err;
}

static void free_table(void *ctx, hv_paddr_t pa, unsigned int order)
{
	struct hyp *h = ctx;

	hv_mm_put_pages(&h->heap, hv_paddr_to_mfn(pa), order,
			HV_MM_PUT_CLEAN);
}

/* Stage-2 TLB entries are tagged by VMID: drop all of the domain's
 * (a range flush by IPA would need one TLBI per page). */
static void flush_tlb(void *ctx, hv_gfn_t first, uint64_t nr)
{
	const struct domain *d = ctx;

	(void)first;
	(void)nr;
	hv_arm_tlb_flush_vmid(d->vcpus[0].arch.vttbr);
}

static int domain_alloc_table(void *ctx, unsigned int order, hv_paddr_t *pa)
{
	return alloc_table(((struct domain *)ctx)->hyp, order, pa);
}

static void domain_free_table(void *ctx, hv_paddr_t pa, unsigned int order)
{
	free_table(((struct domain *)ctx)->hyp, pa, order);
}

static void *domain_phys_to_virt(void *ctx, hv_paddr_t pa)
{
	return phys_to_virt(ctx, pa);
}

/* The P2M's context is its domain. */
const struct hv_mm_p2m_ops hyp_p2m_ops = {
	.alloc_table = domain_alloc_table,
	.free_table = domain_free_table,
	.phys_to_virt = domain_phys_to_virt,
	.flush_tlb = flush_tlb,
};
