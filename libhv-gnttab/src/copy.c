/*
 * GNTTABOP_copy: copy bytes between granted frames and the caller's own
 * memory without mapping anything.  Each end is either a grant reference
 * of the named domain (pinned for the copy: source read-only, destination
 * writable) or, for DOMID_SELF only, a frame of the caller's P2M.  Both
 * ends are held (pinned or referenced) while the bytes move, with no lock
 * held, and released before the next op: unlike Xen, nothing is kept
 * between ops, so every op checks its grants afresh.
 */
#include "internal.h"

static int16_t find_end(struct hv_gnttab_domain *ld, hv_domid_t domid,
			bool is_gref, struct hv_gnttab_domain **out)
{
	/* Only the caller's own memory may be named by frame. */
	if (domid != DOMID_SELF && !is_gref)
		return GNTST_permission_denied;
	*out = gnttab_find(ld, domid, true);
	return *out ? GNTST_okay : GNTST_bad_domain;
}

static int16_t claim_end(struct hv_gnttab_domain *ld,
			 struct hv_gnttab_domain *d,
			 const struct gnttab_copy_ptr *ptr, bool is_gref,
			 bool readonly, struct gnttab_copy_buf *buf)
{
	if (is_gref)
		return gnttab_acquire(d, ptr->u.ref, ld->domid, readonly,
				      d->cfg.transitive, buf);
	return gnttab_claim_frame(d, ptr->u.gmfn, readonly, buf);
}

static bool within(uint16_t offset, uint16_t len, const struct gnttab_use *u)
{
	return offset >= u->start &&
	       (uint32_t)offset + len <= (uint32_t)u->start + u->length;
}

static int16_t copy_bytes(struct hv_gnttab_domain *ld,
			  const struct gnttab_copy *op,
			  const struct gnttab_copy_buf *src,
			  const struct gnttab_copy_buf *dst)
{
	char *from, *to;

	if ((uint32_t)op->source.offset + op->len > PAGE_BYTES ||
	    (uint32_t)op->dest.offset + op->len > PAGE_BYTES)
		return GNTST_bad_copy_arg;
	/* A sub-page grant limits what may be reached of its frame. */
	if (!within(op->source.offset, op->len, &src->use) ||
	    !within(op->dest.offset, op->len, &dst->use))
		return GNTST_general_error;
	from = (char *)gnttab_virt(ld, src->use.mfn) + op->source.offset;
	to = (char *)gnttab_virt(ld, dst->use.mfn) + op->dest.offset;
	memmove(to, from, op->len);
	return GNTST_okay;
}

/* Hold both ends, move the bytes, let go (the source is held first, as
 * in Xen, so its errors come first). */
static int16_t copy_between(struct hv_gnttab_domain *ld,
			    struct hv_gnttab_domain *sd,
			    struct hv_gnttab_domain *dd,
			    const struct gnttab_copy *op)
{
	struct gnttab_copy_buf src, dst;
	int16_t rc;

	rc = claim_end(ld, sd, &op->source, op->flags & GNTCOPY_source_gref,
		       true, &src);
	if (rc)
		return rc;
	rc = claim_end(ld, dd, &op->dest, op->flags & GNTCOPY_dest_gref, false,
		       &dst);
	if (!rc) {
		rc = copy_bytes(ld, op, &src, &dst);
		gnttab_release(&dst);
	}
	gnttab_release(&src);
	return rc;
}

static int16_t copy_one(struct hv_gnttab_domain *ld,
			const struct gnttab_copy *op)
{
	struct hv_gnttab_domain *sd = NULL, *dd = NULL;
	int16_t rc;

	rc = find_end(ld, op->source.domid, op->flags & GNTCOPY_source_gref,
		      &sd);
	if (!rc)
		rc = find_end(ld, op->dest.domid, op->flags & GNTCOPY_dest_gref,
			      &dd);
	if (!rc)
		rc = copy_between(ld, sd, dd, op);
	gnttab_put(ld, dd);
	gnttab_put(ld, sd);
	return rc;
}

int gnttab_op_copy(const struct gnttab_call *c)
{
	for (unsigned int i = 0; i < c->count; i++) {
		struct gnttab_copy op;

		if (gnttab_get_op(c, i, &op, sizeof(op)))
			return -HV_EFAULT;
		op.status = copy_one(c->d, &op);
		if (gnttab_put_field(c, sizeof(op), i,
				     offsetof(struct gnttab_copy, status),
				     &op.status, sizeof(op.status)))
			return -HV_EFAULT;
	}
	return 0;
}
