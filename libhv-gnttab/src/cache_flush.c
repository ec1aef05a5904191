/*
 * GNTTABOP_cache_flush: data-cache maintenance on a frame, by machine
 * address, for guests that share memory with non-coherent devices.  The
 * frame must be the caller's own RAM, or a frame of another domain that
 * the caller holds pinned through a grant; the cache operation itself is
 * the image's (struct hv_gnttab_ops.cache_maint).
 *
 * Errors end the whole call, as in Xen: -HV_EINVAL for a bad range or op
 * or a frame the caller may not touch that is not RAM, -HV_EPERM for a
 * frame no domain owns, -HV_EILSEQ for an empty op carrying a
 * continuation's progress.  The progress Xen encodes in cmd (the grant
 * reference its search reached) is honoured as the search's start.
 */
#include "internal.h"

/* Xen's grant_map_exists: a grant of rd pinned by d for frame mfn. */
static bool pinned_by(struct hv_gnttab_domain *rd, struct hv_gnttab_domain *d,
		      hv_mfn_t mfn, grant_ref_t from)
{
	unsigned int n = gnttab_nr_entries(rd);

	for (grant_ref_t ref = from; ref < n; ref++) {
		const struct gnttab_act *act = gnttab_act(rd, ref);

		if (act->pin && act->domid == d->domid &&
		    hv_mfn_eq(act->mfn, mfn))
			return true;
	}
	return false;
}

static int maintain(struct hv_gnttab_domain *d, hv_mfn_t mfn,
		    const struct gnttab_cache_flush *op)
{
	char *va = (char *)gnttab_virt(d, mfn) + op->offset;

	if (!d->cfg.ops->cache_maint)
		return 0;
	return d->cfg.ops->cache_maint(d->cfg.ctx, va, op->length, op->op);
}

/* With the frame referenced: flush if d may, under od's lock if foreign. */
static int flush_owned(struct hv_gnttab_domain *d, struct hv_gnttab_domain *od,
		       hv_mfn_t mfn, const struct gnttab_cache_flush *op,
		       grant_ref_t from)
{
	int rc = -HV_EINVAL;

	if (od == d)
		return maintain(d, mfn, op);
	hv_spin_lock(&od->lock);
	if (pinned_by(od, d, mfn, from))
		rc = maintain(d, mfn, op);
	hv_spin_unlock(&od->lock);
	return rc;
}

static int flush_one(struct hv_gnttab_domain *d,
		     const struct gnttab_cache_flush *op, grant_ref_t from)
{
	hv_mfn_t mfn = hv_paddr_to_mfn(op->a.dev_bus_addr);
	struct hv_gnttab_domain *od;
	struct hv_mm_page_info page;
	int rc;

	if (op->offset >= PAGE_BYTES || op->length > PAGE_BYTES ||
	    (uint32_t)op->offset + op->length > PAGE_BYTES ||
	    (op->op & ~(uint32_t)(GNTTAB_CACHE_INVAL | GNTTAB_CACHE_CLEAN)))
		return -HV_EINVAL;
	if (!op->length || !op->op)
		return from ? -HV_EILSEQ : 0;
	if (hv_mm_page_query(d->mm->heap, mfn, &page))
		return -HV_EINVAL;
	if (!page.allocated || !page.owner)
		return -HV_EPERM;
	od = page.owner == &d->mm->account
		 ? d
		 : gnttab_find(d, page.owner->domid, false);
	if (!od)
		return -HV_EPERM;
	rc = hv_mm_get_page(d->mm->heap, mfn, page.owner) ? -HV_EPERM : 0;
	if (!rc) {
		rc = flush_owned(d, od, mfn, op, from);
		gnttab_put_frame(d, mfn);
	}
	gnttab_put(d, od);
	return rc;
}

int gnttab_op_cache_flush(const struct gnttab_call *c)
{
	grant_ref_t from = c->opaque;

	for (unsigned int i = 0; i < c->count; i++) {
		struct gnttab_cache_flush op;
		int rc;

		if (gnttab_get_op(c, i, &op, sizeof(op)))
			return -HV_EFAULT;
		rc = flush_one(c->d, &op, from);
		if (rc < 0)
			return rc;
		from = 0;
	}
	return 0;
}
