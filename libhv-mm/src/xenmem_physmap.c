/*
 * XENMEM_add_to_physmap: make a frame appear at a guest frame (gpfn),
 * removing it from where it appeared before.
 *
 *  - XENMAPSPACE_gmfn (x86): move the domain's own RAM frame from guest
 *    frame idx to gpfn; _gmfn_range: `size` of them, idx and gpfn
 *    counting up.
 *  - XENMAPSPACE_shared_info, _grant_table: a frame the image owns,
 *    through its space_frame callback.
 * What gpfn held is replaced: the domain's own RAM is released (freed once
 * the batch has flushed), a hypervisor frame simply unhooked; a grant
 * mapping or another domain's frame is refused with -ENXIO, as Xen's
 * guest_remove_page() refuses it.
 */
#include <hv/error.h>
#include <hv/types.h>

#include <xen/memory.h>

#include "domain_priv.h"

/* The domain's own RAM frame mapped at gfn, for XENMAPSPACE_gmfn. */
static int own_frame_at(struct hv_mm_domain *d, uint64_t gfn, hv_mfn_t *mfn)
{
	struct hv_mm_p2m_info info;

	if (hv_mm_p2m_lookup(d->p2m, hv_gfn(gfn), &info) ||
	    (info.type != HV_MM_P2M_RAM_RW && info.type != HV_MM_P2M_RAM_RO) ||
	    !domain_owns_frame(d, info.mfn))
		return -HV_EINVAL;
	*mfn = info.mfn;
	return 0;
}

/* The frame to map for (space, idx) and where it is mapped now. */
static int resolve_space(const struct memop *m, struct hv_mm_domain *d,
			 unsigned int space, uint64_t idx, hv_mfn_t *mfn,
			 hv_gfn_t *where)
{
	const struct hv_mm_xenmem *xm = m->xm;

	*where = hv_gfn(HV_INVALID_FRAME);
	switch (space) {
	case XENMAPSPACE_gmfn:
	case XENMAPSPACE_gmfn_range:
		if (!xm->abi->gmfn_spaces)
			return xm->abi->bad_space_error;
		*where = hv_gfn(idx);
		return own_frame_at(d, idx, mfn);
	case XENMAPSPACE_shared_info:
	case XENMAPSPACE_grant_table:
		if (!xm->space_frame)
			return -HV_EINVAL;
		return xm->space_frame(xm->ctx, d, space, idx, mfn, where);
	default:
		return xm->abi->bad_space_error;
	}
}

/* Whether what gfn maps may be replaced (Xen: removed or unhooked). */
static int replaceable(struct hv_mm_domain *d, uint64_t gfn)
{
	struct hv_mm_p2m_info info;
	struct hv_mm_page_info page;

	if (hv_mm_p2m_lookup(d->p2m, hv_gfn(gfn), &info))
		return -HV_EINVAL;
	if (info.type == HV_MM_P2M_GRANT_RW || info.type == HV_MM_P2M_GRANT_RO)
		return -HV_ENXIO;
	if (info.type != HV_MM_P2M_RAM_RW && info.type != HV_MM_P2M_RAM_RO)
		return 0;
	/* Another domain's frame: guest_remove_page() would not take it. */
	if (hv_mm_page_query(d->heap, info.mfn, &page) == 0 && page.allocated &&
	    page.owner && page.owner != &d->account)
		return -HV_ENXIO;
	return 0;
}

static int map_at(struct hv_mm_domain *d, struct hv_mm_domain_batch *b,
		  uint64_t gfn, hv_mfn_t mfn, enum hv_mm_p2m_type type,
		  unsigned int access)
{
	return hv_mm_p2m_set(d->p2m, &b->p2m, hv_gfn(gfn), mfn, 1, type,
			     access);
}

/*
 * Map mfn at gpfn, unmapping it from `where` if it is still there, so that
 * a failure changes nothing: the mapping holds the frame's allocation
 * reference, and a frame left mapped nowhere would be lost to the domain
 * and to the heap alike.  Only a change that needs a new table fails
 * (-HV_ENOMEM), and each step comes where its undo needs none:
 *  - `where` a 4 KiB entry: unmapping it needs no table, so map first;
 *  - `where` inside a superpage: unmapping splits it, so unmap first; on
 *    failure the frame goes back into the table the split made.
 */
static int move_frame(struct hv_mm_domain *d, hv_mfn_t mfn, hv_gfn_t where,
		      uint64_t gpfn)
{
	struct hv_mm_domain_batch b;
	struct hv_mm_p2m_info old;
	bool unmap = hv_gfn_x(where) != gpfn &&
		     hv_mm_p2m_lookup(d->p2m, where, &old) == 0 &&
		     hv_mm_p2m_type_has_frame(old.type) &&
		     hv_mfn_eq(old.mfn, mfn);
	int rc;

	hv_mm_domain_batch_begin(&b, d);
	b.moving = hv_mfn_x(mfn);
	if (!unmap || old.order == HV_MM_P2M_ORDER_4K) {
		rc = map_at(d, &b, gpfn, mfn, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX);
		if (!rc && unmap)
			rc = hv_mm_p2m_remove(d->p2m, &b.p2m, where, 1);
	} else {
		rc = hv_mm_p2m_remove(d->p2m, &b.p2m, where, 1);
		if (!rc) {
			rc = map_at(d, &b, gpfn, mfn, HV_MM_P2M_RAM_RW,
				    HV_MM_P2M_RWX);
			/* Cannot fail: the split left where's table. */
			if (rc)
				(void)map_at(d, &b, hv_gfn_x(where), mfn,
					     old.type, old.access);
		}
	}
	hv_mm_domain_batch_end(&b);
	return rc;
}

static int add_one(const struct memop *m, struct hv_mm_domain *d,
		   unsigned int space, uint64_t idx, uint64_t gpfn)
{
	hv_gfn_t where;
	hv_mfn_t mfn;
	int rc = resolve_space(m, d, space, idx, &mfn, &where);

	if (rc)
		return rc;
	if (gpfn >= hv_mm_p2m_gfn_limit(d->p2m))
		return -HV_EINVAL;
	rc = replaceable(d, gpfn);
	if (!rc)
		rc = move_frame(d, mfn, where, gpfn);
	if (!rc && m->xm->space_placed &&
	    (space == XENMAPSPACE_shared_info ||
	     space == XENMAPSPACE_grant_table))
		m->xm->space_placed(m->xm->ctx, d, space, idx, hv_gfn(gpfn));
	return rc;
}

long xenmem_add_to_physmap(const struct memop *m)
{
	struct xen_add_to_physmap xatp;
	struct hv_mm_domain *d;

	if (m->start != (uint16_t)m->start)
		return -HV_EDOM;
	if (hv_gmem_copy_from(m->gm, &xatp, m->arg, sizeof(xatp)))
		return -HV_EFAULT;
	/* Foreign frames only come through add_to_physmap_batch. */
	if (xatp.space == XENMAPSPACE_gmfn_foreign)
		return -HV_ENOSYS;
	d = memop_domain(m, xatp.domid);
	if (!d)
		return -HV_ESRCH;
	/* Only the hardware domain maps device memory, into itself. */
	if (xatp.space == XENMAPSPACE_dev_mmio &&
	    (!m->curr->privileged || d != m->curr))
		return -HV_EACCES;
	if (!memop_may_target(m, d))
		return -HV_EPERM;
	if (xatp.space != XENMAPSPACE_gmfn_range)
		return add_one(m, d, xatp.space, xatp.idx, xatp.gpfn);
	if (xatp.size < m->start)
		return -HV_EILSEQ;
	for (uint64_t k = m->start; k < xatp.size; k++) {
		int rc = add_one(m, d, xatp.space, xatp.idx + k, xatp.gpfn + k);

		if (rc < 0)
			return rc;
	}
	return 0;
}
