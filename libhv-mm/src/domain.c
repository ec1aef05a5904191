/*
 * A domain's memory: building it, changing it, tearing it down, and
 * reaching it for hypercall copies.
 */
#include <hv/error.h>
#include <hv/gmem.h>

#include "domain_priv.h"
#include "heap_priv.h"
#include "p2m_priv.h"

/* Memop extents a domU may use in Xen (CONFIG_DOMU_MAX_ORDER). */
#define DOMU_MAX_ORDER 9u

void hv_mm_domain_init(struct hv_mm_domain *d, hv_domid_t domid,
		       struct hv_mm_heap *heap, struct hv_mm_p2m *p2m,
		       uint64_t max_pages)
{
	d->domid = domid;
	d->heap = heap;
	d->p2m = p2m;
	hv_mm_account_init(&d->account, domid, max_pages);
	d->node = HV_MM_NODE_ANY;
	d->memop_max_order = DOMU_MAX_ORDER;
	d->privileged = false;
}

/* The P2M's `removed` callback: queue the domain's own RAM frames. */
static void domain_removed(void *ctx, hv_gfn_t gfn, hv_mfn_t mfn, uint64_t nr,
			   enum hv_mm_p2m_type type)
{
	struct hv_mm_domain_batch *b = ctx;

	(void)gfn;
	if (type != HV_MM_P2M_RAM_RW && type != HV_MM_P2M_RAM_RO)
		return;
	heap_queue_owned(b->d->heap, &b->d->account, hv_mfn_x(mfn), nr,
			 b->moving, &b->release);
}

void hv_mm_domain_batch_begin(struct hv_mm_domain_batch *batch,
			      struct hv_mm_domain *d)
{
	batch->d = d;
	batch->moving = HV_INVALID_FRAME;
	hv_list_init(&batch->release);
	hv_mm_p2m_batch_begin(&batch->p2m, d->p2m, domain_removed, batch);
}

uint64_t hv_mm_domain_batch_end(struct hv_mm_domain_batch *batch)
{
	hv_mm_p2m_batch_end(&batch->p2m);
	return heap_put_queued(batch->d->heap, &batch->release);
}

struct hv_mm_domain_batch *
domain_batch_or_local(struct hv_mm_domain *d, struct hv_mm_domain_batch *batch,
		      struct hv_mm_domain_batch *local)
{
	if (batch)
		return batch;
	hv_mm_domain_batch_begin(local, d);
	return local;
}

bool domain_owns_frame(struct hv_mm_domain *d, hv_mfn_t mfn)
{
	struct hv_mm_page_info info;

	return hv_mm_page_query(d->heap, mfn, &info) == 0 && info.allocated &&
	       info.owner == &d->account;
}

static int find_grant(void *ctx, hv_gfn_t first, uint64_t nr,
		      const struct hv_mm_p2m_info *info)
{
	(void)ctx;
	(void)first;
	(void)nr;
	return info->type == HV_MM_P2M_GRANT_RW ||
	       info->type == HV_MM_P2M_GRANT_RO;
}

bool domain_range_has_grant(struct hv_mm_domain *d, uint64_t gfn, uint64_t nr)
{
	return hv_mm_p2m_walk(d->p2m, hv_gfn(gfn), nr, find_grant, NULL) > 0;
}

int domain_map_new_extent(struct hv_mm_domain *d, struct hv_mm_domain_batch *b,
			  uint64_t gfn, unsigned int order, unsigned int node,
			  unsigned int flags)
{
	hv_mfn_t mfn;
	int rc =
	    hv_mm_alloc_pages(d->heap, order, node, flags, &d->account, &mfn);

	if (rc)
		return rc;
	rc = hv_mm_p2m_set(d->p2m, &b->p2m, hv_gfn(gfn), mfn,
			   UINT64_C(1) << order, HV_MM_P2M_RAM_RW,
			   HV_MM_P2M_RWX);
	if (rc)
		hv_mm_put_pages(d->heap, mfn, order, 0);
	return rc;
}

/* The largest superpage order (1 GiB, 2 MiB, 4 KiB) that fits at gfn. */
static unsigned int extent_order(uint64_t gfn, uint64_t nr,
				 unsigned int max_order)
{
	static const unsigned int orders[] = {
	    HV_MM_P2M_ORDER_1G, HV_MM_P2M_ORDER_2M, HV_MM_P2M_ORDER_4K};

	for (unsigned int i = 0; i < HV_ARRAY_SIZE(orders); i++) {
		uint64_t size = UINT64_C(1) << orders[i];

		if (orders[i] <= max_order && !(gfn & (size - 1)) && nr >= size)
			return orders[i];
	}
	return HV_MM_P2M_ORDER_4K;
}

/* Map one extent at gfn, as large as fits, smaller if allocation fails. */
static int populate_extent(struct hv_mm_domain *d, struct hv_mm_domain_batch *b,
			   uint64_t gfn, uint64_t nr, unsigned int max_order,
			   uint64_t *mapped)
{
	unsigned int order = extent_order(gfn, nr, max_order);
	int rc;

	for (;;) {
		rc = domain_map_new_extent(d, b, gfn, order, d->node, 0);
		if (!rc) {
			*mapped = UINT64_C(1) << order;
			return 0;
		}
		if ((rc != -HV_ENOMEM && rc != -HV_E2BIG) ||
		    order == HV_MM_P2M_ORDER_4K)
			return rc;
		order = order > HV_MM_P2M_ORDER_2M ? HV_MM_P2M_ORDER_2M
						   : HV_MM_P2M_ORDER_4K;
	}
}

int hv_mm_domain_populate(struct hv_mm_domain *d,
			  struct hv_mm_domain_batch *batch, hv_gfn_t gfn,
			  uint64_t nr, unsigned int max_order, uint64_t *done)
{
	uint64_t first = hv_gfn_x(gfn), mapped = 0;
	struct hv_mm_domain_batch local, *b;
	int rc = 0;

	if (done)
		*done = 0;
	if (nr > hv_mm_p2m_gfn_limit(d->p2m) ||
	    first > hv_mm_p2m_gfn_limit(d->p2m) - nr ||
	    domain_range_has_grant(d, first, nr))
		return -HV_EINVAL;
	b = domain_batch_or_local(d, batch, &local);
	while (mapped < nr && !rc) {
		uint64_t got = 0;

		rc = populate_extent(d, b, first + mapped, nr - mapped,
				     max_order, &got);
		mapped += got;
	}
	if (!batch)
		hv_mm_domain_batch_end(&local);
	if (done)
		*done = mapped;
	return rc;
}

/* Whether the domain owns a frame of [mfn, mfn + nr). */
static bool owns_any(struct hv_mm_domain *d, uint64_t mfn, uint64_t nr)
{
	for (uint64_t i = 0; i < nr && mfn + i >= mfn; i++)
		if (domain_owns_frame(d, hv_mfn(mfn + i)))
			return true;
	return false;
}

int hv_mm_domain_map(struct hv_mm_domain *d, struct hv_mm_domain_batch *batch,
		     hv_gfn_t gfn, hv_mfn_t mfn, uint64_t nr,
		     enum hv_mm_p2m_type type, unsigned int access)
{
	struct hv_mm_domain_batch local, *b;
	int rc;

	/* Its own RAM is mapped once, by populate: a second mapping would
	 * release the frame when either went. */
	if ((type == HV_MM_P2M_RAM_RW || type == HV_MM_P2M_RAM_RO) &&
	    owns_any(d, hv_mfn_x(mfn), nr))
		return -HV_EINVAL;
	/* A grant mapping holds a reference on another domain's frame that
	 * only the grant unmap drops: replaced here, it would leak.  (A
	 * range past the P2M has no grant; hv_mm_p2m_set refuses it.) */
	if (domain_range_has_grant(d, hv_gfn_x(gfn), nr))
		return -HV_EINVAL;
	b = domain_batch_or_local(d, batch, &local);
	rc = hv_mm_p2m_set(d->p2m, &b->p2m, gfn, mfn, nr, type, access);

	if (!batch)
		hv_mm_domain_batch_end(&local);
	return rc;
}

int hv_mm_domain_unmap(struct hv_mm_domain *d, struct hv_mm_domain_batch *batch,
		       hv_gfn_t gfn, uint64_t nr)
{
	return hv_mm_domain_map(d, batch, gfn, hv_mfn(0), nr, HV_MM_P2M_INVALID,
				0);
}

uint64_t hv_mm_domain_release(struct hv_mm_domain *d)
{
	struct hv_mm_domain_batch b;

	hv_mm_domain_batch_begin(&b, d);
	hv_mm_p2m_remove(d->p2m, &b.p2m, hv_gfn(0),
			 hv_mm_p2m_gfn_limit(d->p2m));
	return hv_mm_domain_batch_end(&b);
}

/* Whether a P2M entry is RAM that allows `access`: 0, -HV_EFAULT (not
 * RAM) or -HV_EPERM. */
static int gpa_allows(const struct hv_mm_p2m_info *info, unsigned int access)
{
	unsigned int need = ((access & HV_GMEM_READ) ? HV_MM_P2M_R : 0) |
			    ((access & HV_GMEM_WRITE) ? HV_MM_P2M_W : 0);

	if (info->type != HV_MM_P2M_RAM_RW && info->type != HV_MM_P2M_RAM_RO)
		return -HV_EFAULT;
	if ((hv_mm_p2m_type_rights(info->type) & need) != need)
		return -HV_EPERM;
	return 0;
}

static void *frame_ptr(struct hv_mm_domain *d, hv_mfn_t mfn)
{
	return d->p2m->ops->phys_to_virt(d->p2m->ctx, hv_mfn_to_paddr(mfn));
}

int hv_mm_gpa_translate(void *ctx, hv_gfn_t gfn, unsigned int access,
			void **page)
{
	struct hv_mm_domain *d = ctx;
	struct hv_mm_p2m_info info;
	int rc;

	if (hv_mm_p2m_lookup(d->p2m, gfn, &info))
		return -HV_EFAULT;
	rc = gpa_allows(&info, access);
	if (rc)
		return rc;
	*page = frame_ptr(d, info.mfn);
	return 0;
}

/*
 * The lookup and the reference under the P2M's lock: a frame the guest
 * gives back leaves the P2M under that lock and the heap only after, so a
 * frame still mapped here is still the domain's (or the hypervisor's, a
 * page it shows the guest), and the reference cannot land on a frame that
 * became someone else's.  (The P2M's lock is taken before the heap's
 * everywhere: tables come from the heap under it too.)
 */
int hv_mm_gpa_pin(void *ctx, hv_gfn_t gfn, unsigned int access, void **page,
		  uint64_t *pin)
{
	struct hv_mm_domain *d = ctx;
	struct hv_mm_p2m *p2m = d->p2m;
	struct hv_mm_p2m_info info;
	int rc;

	if (hv_gfn_x(gfn) >= p2m->gfn_limit)
		return -HV_EFAULT;
	hv_spin_lock(&p2m->lock);
	p2m_lookup_locked(p2m, hv_gfn_x(gfn), &info);
	rc = gpa_allows(&info, access);
	if (!rc && hv_mm_get_page(d->heap, info.mfn, NULL))
		rc = -HV_EFAULT;
	hv_spin_unlock(&p2m->lock);
	if (rc)
		return rc;
	*page = frame_ptr(d, info.mfn);
	*pin = hv_mfn_x(info.mfn);
	return 0;
}

void hv_mm_gpa_unpin(void *ctx, uint64_t pin)
{
	struct hv_mm_domain *d = ctx;

	hv_mm_put_pages(d->heap, hv_mfn(pin), 0, 0);
}
