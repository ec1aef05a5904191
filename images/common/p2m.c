/*
 * A domain's P2M: its page-table pages come from the heap, a change is
 * flushed from the TLB as the architecture tags its entries, and the
 * domain's RAM is reached by guest-physical address through it.
 */
#include "hyp_common.h"

static int alloc_table(void *ctx, unsigned int order, hv_paddr_t *pa)
{
	struct domain *d = ctx;
	hv_mfn_t mfn;
	int err = hv_mm_alloc_pages(&d->hyp->heap, order, HV_MM_NODE_ANY,
				    HV_MM_ALLOC_NO_SCRUB, NULL, &mfn);

	if (!err)
		*pa = hv_mfn_to_paddr(mfn);
	return err;
}

static void free_table(void *ctx, hv_paddr_t pa, unsigned int order)
{
	struct domain *d = ctx;

	hv_mm_put_pages(&d->hyp->heap, hv_paddr_to_mfn(pa), order,
			HV_MM_PUT_CLEAN);
}

static void *phys_to_virt(void *ctx, hv_paddr_t pa)
{
	(void)ctx;
	return (void *)(uintptr_t)pa; /* the hypervisor's identity map */
}

/* Whatever the range, the arch drops all of the domain's entries. */
static void flush_tlb(void *ctx, hv_gfn_t first, uint64_t nr)
{
	(void)first;
	(void)nr;
	hyp_arch_p2m_flush(ctx);
}

/* The P2M's context is its domain. */
const struct hv_mm_p2m_ops hyp_p2m_ops = {
    .alloc_table = alloc_table,
    .free_table = free_table,
    .phys_to_virt = phys_to_virt,
    .flush_tlb = flush_tlb,
};

int hyp_p2m_page(void *domain, hv_gfn_t gfn, unsigned int access, void **page)
{
	struct domain *d = domain;
	struct hv_mm_p2m_info info;
	unsigned int need =
	    (access & HV_GMEM_WRITE) ? HV_MM_P2M_RW : HV_MM_P2M_R;

	if (hv_mm_p2m_lookup(&d->p2m, gfn, &info) != 0 ||
	    (info.type != HV_MM_P2M_RAM_RW && info.type != HV_MM_P2M_RAM_RO) ||
	    (info.access & need) != need)
		return -HV_EFAULT;
	*page = (void *)(uintptr_t)hv_mfn_to_paddr(info.mfn);
	return 0;
}

void hyp_gmem_guest_phys(struct hv_gmem *gm, struct domain *d)
{
	hv_gmem_init(gm, hyp_p2m_page, d, 64);
}
