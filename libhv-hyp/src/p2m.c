/*
 * A domain's P2M: its tables come from the heap (not charged to the
 * domain, as Xen's P2M pool is the hypervisor's), and a change is flushed
 * from the TLB as the architecture tags its entries.
 */
#include <hv/hyp.h>

#include "hyp_priv.h"

static int alloc_table(void *ctx, unsigned int order, hv_paddr_t *pa)
{
	struct hv_hyp_domain *d = ctx;
	hv_mfn_t mfn;
	int err = hv_mm_alloc_pages(d->hyp->heap, order, HV_MM_NODE_ANY,
				    HV_MM_ALLOC_NO_SCRUB, NULL, &mfn);

	if (!err)
		*pa = hv_mfn_to_paddr(mfn);
	return err;
}

static void free_table(void *ctx, hv_paddr_t pa, unsigned int order)
{
	struct hv_hyp_domain *d = ctx;

	hv_mm_put_pages(d->hyp->heap, hv_paddr_to_mfn(pa), order,
			HV_MM_PUT_CLEAN);
}

static void *phys_to_virt(void *ctx, hv_paddr_t pa)
{
	struct hv_hyp_domain *d = ctx;

	return d->hyp->arch->phys_to_virt(d->hyp, pa);
}

/* Whatever the range, the arch drops all of the domain's entries (a
 * range flush by address would cost one instruction per page). */
static void flush_tlb(void *ctx, hv_gfn_t first, uint64_t nr)
{
	struct hv_hyp_domain *d = ctx;

	(void)first;
	(void)nr;
	d->hyp->arch->p2m_flush(d);
}

const struct hv_mm_p2m_ops hyp_p2m_ops = {
    .alloc_table = alloc_table,
    .free_table = free_table,
    .phys_to_virt = phys_to_virt,
    .flush_tlb = flush_tlb,
};
