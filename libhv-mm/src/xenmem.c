/*
 * HYPERVISOR_memory_op: the dispatcher, the reservation operations
 * (populate_physmap, decrease_reservation) and the statistics ones.
 *
 * As in Xen, the reservation operations answer with the number of extents
 * done, and anything wrong (an unreadable argument, an unknown domain, a
 * refused permission, a bad extent order, a fault on the extent list, no
 * memory, the domain's limit) just stops them where they are.  A call
 * resumes at the extent encoded above the sub-op (Xen's continuation
 * format), so a guest re-issuing a continuation gets what Xen would do.
 * hvkit never preempts a call, so it never creates one.
 */
#include <hv/error.h>
#include <hv/types.h>

#include <limits.h>
#include <xen/memory.h>

#include "domain_priv.h"
#include "heap_priv.h"

/* Xen keeps a preempted call's progress in the bits of cmd above the
 * sub-op (xen/hypercall.h): the guest sees it in continuations. */
#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK	   ((1ul << MEMOP_EXTENT_SHIFT) - 1)

/* No NUMA node named (XENMEMF_get_node of flags without one). */
#define XENMEM_NO_NODE 0xffu

struct hv_mm_domain *memop_domain(const struct memop *m, hv_domid_t domid)
{
	if (domid == DOMID_SELF || domid == m->curr->domid)
		return m->curr;
	if (!m->xm->find_domain)
		return NULL;
	return m->xm->find_domain(m->xm->ctx, domid);
}

bool memop_may_target(const struct memop *m, const struct hv_mm_domain *d)
{
	return d == m->curr || m->curr->privileged;
}

/* Address bits the machine's frames need (Xen: order of max_page). */
static unsigned int heap_address_bits(struct hv_mm_heap *heap)
{
	uint64_t end = heap_frame_end(heap);
	unsigned int order =
	    end > 1 ? 64u - (unsigned int)__builtin_clzll(end - 1) : 0;

	return order + HV_PAGE_SHIFT;
}

/* Allocation node and flags from mem_flags; false if they are invalid. */
static bool reservation_alloc(const struct xen_memory_reservation *r,
			      struct hv_mm_domain *d, unsigned int *node,
			      unsigned int *flags)
{
	unsigned int bits = XENMEMF_get_address_bits(r->mem_flags);
	unsigned int want = XENMEMF_get_node(r->mem_flags);

	*flags = 0;
	*node = d->node;
	if (bits && bits < heap_address_bits(d->heap)) {
		if (bits <= HV_PAGE_SHIFT)
			return false;
		*flags |= HV_MM_ALLOC_ADDR_BITS(bits);
	}
	/* A virtual node needs vNUMA, which hvkit has not: no node. */
	if ((r->mem_flags & XENMEMF_vnode) || want == XENMEM_NO_NODE)
		return true;
	*node = want < d->heap->nr_nodes ? want : HV_MM_NODE_ANY;
	if (r->mem_flags & XENMEMF_exact_node_request) {
		if (*node == HV_MM_NODE_ANY)
			return false;
		*flags |= HV_MM_ALLOC_EXACT_NODE;
	}
	return true;
}

static int read_extent(const struct memop *m, uint64_t list, uint64_t i,
		       uint64_t *frame)
{
	xen_pfn_t pfn;
	int rc =
	    hv_gmem_copy_from(m->gm, &pfn, list + i * sizeof(pfn), sizeof(pfn));

	*frame = pfn;
	return rc;
}

static bool extent_in_p2m(struct hv_mm_domain *d, uint64_t gfn,
			  unsigned int order)
{
	uint64_t limit = hv_mm_p2m_gfn_limit(d->p2m);
	uint64_t nr = UINT64_C(1) << order;

	return nr <= limit && gfn <= limit - nr;
}

/*
 * Whether the caller may use extents of 2^order frames: Xen's max_order(),
 * the caller's limit capped at the heap's largest block.  Checked before
 * anything shifts by the order, which the guest chose (up to 2^32 - 1).
 */
static bool order_allowed(const struct memop *m, unsigned int order)
{
	return order <= m->curr->memop_max_order && order <= HV_MM_MAX_ORDER;
}

static uint64_t populate(const struct memop *m, struct hv_mm_domain *d,
			 const struct xen_memory_reservation *r, uint64_t list,
			 unsigned int node, unsigned int flags)
{
	struct hv_mm_domain_batch b;
	uint64_t nr, i;

	/* Populate-on-demand is not supported: Xen stops at once too when
	 * it cannot mark the entries. */
	if (!order_allowed(m, r->extent_order) ||
	    (r->mem_flags & XENMEMF_populate_on_demand))
		return m->start;
	nr = UINT64_C(1) << r->extent_order;
	hv_mm_domain_batch_begin(&b, d);
	for (i = m->start; i < r->nr_extents; i++) {
		uint64_t gfn;

		if (read_extent(m, list, i, &gfn) ||
		    !extent_in_p2m(d, gfn, r->extent_order) ||
		    domain_range_has_grant(d, gfn, nr) ||
		    domain_map_new_extent(d, &b, gfn, r->extent_order, node,
					  flags))
			break;
	}
	hv_mm_domain_batch_end(&b);
	return i;
}

/* Whether decrease_reservation may remove gfn's mapping (Xen's
 * guest_remove_page succeeds): the domain's own RAM, MMIO, paged-out. */
static bool removable(struct hv_mm_domain *d, uint64_t gfn)
{
	struct hv_mm_p2m_info info;

	if (hv_mm_p2m_lookup(d->p2m, hv_gfn(gfn), &info))
		return false;
	switch (info.type) {
	case HV_MM_P2M_MMIO:
	case HV_MM_P2M_PAGED_OUT:
		return true;
	case HV_MM_P2M_RAM_RW:
	case HV_MM_P2M_RAM_RO:
		return domain_owns_frame(d, info.mfn);
	default:
		return false;
	}
}

static uint64_t decrease(const struct memop *m, struct hv_mm_domain *d,
			 const struct xen_memory_reservation *r, uint64_t list)
{
	struct hv_mm_domain_batch b;
	uint64_t nr, i;

	if (!order_allowed(m, r->extent_order))
		return m->start;
	nr = UINT64_C(1) << r->extent_order;
	hv_mm_domain_batch_begin(&b, d);
	for (i = m->start; i < r->nr_extents; i++) {
		uint64_t gfn, good = 0;

		if (read_extent(m, list, i, &gfn))
			break;
		/* Xen removes page by page and stops at the first it cannot:
		 * the pages before it stay removed. */
		while (good < nr && gfn + good >= gfn &&
		       removable(d, gfn + good))
			good++;
		if (good)
			hv_mm_p2m_remove(d->p2m, &b.p2m, hv_gfn(gfn), good);
		if (good < nr)
			break;
	}
	hv_mm_domain_batch_end(&b);
	return i;
}

static long reservation_op(const struct memop *m, unsigned int op)
{
	struct xen_memory_reservation r;
	struct hv_mm_domain *d;
	unsigned int node, flags;
	uint64_t list;

	if (hv_gmem_copy_from(m->gm, &r, m->arg, sizeof(r)) ||
	    r.nr_extents > (UINT_MAX >> MEMOP_EXTENT_SHIFT) ||
	    m->start >= r.nr_extents)
		return (long)m->start;
	d = memop_domain(m, r.domid);
	if (!d || !reservation_alloc(&r, d, &node, &flags) ||
	    !memop_may_target(m, d))
		return (long)m->start;
	list = (uint64_t)(uintptr_t)r.extent_start.p;
	if (op == XENMEM_populate_physmap)
		return (long)populate(m, d, &r, list, node, flags);
	return (long)decrease(m, d, &r, list);
}

static long clamp_long(uint64_t v)
{
	return v > LONG_MAX ? LONG_MAX : (long)v;
}

static long stat_op(const struct memop *m, unsigned int op)
{
	struct hv_mm_domain *d;
	domid_t domid;

	if (m->start)
		return -HV_EINVAL;
	if (hv_gmem_copy_from(m->gm, &domid, m->arg, sizeof(domid)))
		return -HV_EFAULT;
	d = memop_domain(m, domid);
	if (!d)
		return -HV_ESRCH;
	if (!memop_may_target(m, d))
		return -HV_EPERM;
	if (op == XENMEM_current_reservation)
		return clamp_long(hv_mm_account_pages(d->heap, &d->account));
	if (op == XENMEM_maximum_reservation)
		return clamp_long(d->account.max_pages);
	return clamp_long(hv_mm_p2m_max_mapped_gfn(d->p2m));
}

long hv_mm_memory_op(const struct hv_mm_xenmem *xm, struct hv_mm_domain *curr,
		     const struct hv_gmem *gm, unsigned long cmd, uint64_t arg)
{
	struct memop m = {xm, curr, gm, cmd >> MEMOP_EXTENT_SHIFT, arg};
	unsigned int op = (unsigned int)(cmd & MEMOP_CMD_MASK);

	switch (op) {
	case XENMEM_populate_physmap:
	case XENMEM_decrease_reservation:
		return reservation_op(&m, op);
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
	case XENMEM_maximum_gpfn:
		return stat_op(&m, op);
	case XENMEM_add_to_physmap:
		return xenmem_add_to_physmap(&m);
	default:
		return -HV_ENOSYS;
	}
}
