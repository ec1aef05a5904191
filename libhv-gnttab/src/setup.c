/*
 * The ops that describe a grant table: GNTTABOP_setup_table (grow the
 * table and list its frames), _query_size, _get_status_frames and
 * _get_version.  Each names a domain (DOMID_SELF, the caller's own id, or
 * another domain for a privileged caller) and takes count == 1.
 *
 * A translated guest (every HVM and PVH guest, every Arm guest) learns
 * guest frames, not machine frames: where it placed each table frame with
 * XENMEM_add_to_physmap, or Xen's INVALID_GFN (~0) for a frame it has not
 * placed.  Frame lists are written with no lock held.
 */
#include "internal.h"

/* Find the named domain as setup_table and friends do. */
static int16_t target(const struct gnttab_call *c, hv_domid_t dom,
		      struct hv_gnttab_domain **t)
{
	*t = gnttab_find(c->d, dom, true);
	if (!*t)
		return GNTST_bad_domain;
	if (!gnttab_may_target(c->d, *t))
		return GNTST_permission_denied;
	return GNTST_okay;
}

/* Write frame i's guest frame to list[i]; frames never shrink. */
static int16_t list_frames(const struct gnttab_call *c,
			   struct hv_gnttab_domain *t, uint64_t list,
			   uint32_t nr, bool status)
{
	int16_t rc = GNTST_okay;

	for (uint32_t i = 0; i < nr; i++) {
		uint64_t gfn;

		hv_spin_lock(&t->lock);
		gfn =
		    gnttab_frame_gfn(t, status ? &t->status[i] : &t->shared[i]);
		hv_spin_unlock(&t->lock);
		if (hv_gmem_copy_to(c->args, list + (uint64_t)i * sizeof(gfn),
				    &gfn, sizeof(gfn)))
			rc = GNTST_bad_virt_addr;
	}
	return rc;
}

/* Read the one op of a call that must have count == 1. */
static int get_single_op(const struct gnttab_call *c, void *op, size_t size)
{
	if (c->count != 1)
		return -HV_EINVAL;
	if (gnttab_get_op(c, 0, op, size))
		return -HV_EFAULT;
	return 0;
}

/* setup_table: grow t's table to at least nr frames (gnttab_grow). */
static int16_t grow(struct hv_gnttab_domain *t, uint32_t nr)
{
	int rc;

	/* Past the limit (-HV_EINVAL) or out of memory: general_error. */
	hv_spin_lock(&t->lock);
	rc = gnttab_grow(t, nr);
	hv_spin_unlock(&t->lock);
	return rc ? GNTST_general_error : GNTST_okay;
}

/* get_status_frames: t must already have nr status frames. */
static int16_t have_status_frames(struct hv_gnttab_domain *t, uint32_t nr)
{
	bool enough;

	hv_spin_lock(&t->lock);
	enough = nr <= t->nr_status;
	hv_spin_unlock(&t->lock);
	return enough ? GNTST_okay : GNTST_general_error;
}

/*
 * setup_table (status false) and get_status_frames (status true): find
 * the domain, make sure it has nr shared or status frames, and list them
 * at `list`; the op's GNTST_* status.
 */
static int16_t frame_list_op(const struct gnttab_call *c, hv_domid_t dom,
			     uint32_t nr, uint64_t list, bool status)
{
	struct hv_gnttab_domain *t;
	int16_t rc;

	HV_STATIC_ASSERT(sizeof(xen_pfn_t) == sizeof(uint64_t),
			 "frame lists hold 64-bit frames");
	rc = target(c, dom, &t);
	if (!rc)
		rc = status ? have_status_frames(t, nr) : grow(t, nr);
	if (!rc)
		rc = list_frames(c, t, list, nr, status);
	gnttab_put(c->d, t);
	return rc;
}

int gnttab_op_setup_table(const struct gnttab_call *c)
{
	struct gnttab_setup_table op;
	int rc = get_single_op(c, &op, sizeof(op));

	if (rc)
		return rc;
	op.status = frame_list_op(c, op.dom, op.nr_frames,
				  (uint64_t)(uintptr_t)op.frame_list.p, false);
	return gnttab_put_field(c, sizeof(op), 0,
				offsetof(struct gnttab_setup_table, status),
				&op.status, sizeof(op.status));
}

int gnttab_op_query_size(const struct gnttab_call *c)
{
	struct gnttab_query_size op;
	struct hv_gnttab_domain *t;
	int rc = get_single_op(c, &op, sizeof(op));

	if (rc)
		return rc;
	op.status = target(c, op.dom, &t);
	if (!op.status) {
		hv_spin_lock(&t->lock);
		op.nr_frames = t->nr_frames;
		op.max_nr_frames = t->cfg.max_grant_frames;
		hv_spin_unlock(&t->lock);
	}
	gnttab_put(c->d, t);
	return gnttab_put_op(c, 0, &op, sizeof(op));
}

int gnttab_op_get_status_frames(const struct gnttab_call *c)
{
	struct gnttab_get_status_frames op;
	int rc = get_single_op(c, &op, sizeof(op));

	if (rc)
		return rc;
	op.status = frame_list_op(c, op.dom, op.nr_frames,
				  (uint64_t)(uintptr_t)op.frame_list.p, true);
	return gnttab_put_field(
	    c, sizeof(op), 0, offsetof(struct gnttab_get_status_frames, status),
	    &op.status, sizeof(op.status));
}

int gnttab_op_get_version(const struct gnttab_call *c)
{
	struct gnttab_get_version op;
	struct hv_gnttab_domain *t;

	if (gnttab_get_op(c, 0, &op, sizeof(op)))
		return -HV_EFAULT;
	t = gnttab_find(c->d, op.dom, true);
	if (!t)
		return -HV_ESRCH;
	if (!gnttab_may_target(c->d, t)) {
		gnttab_put(c->d, t);
		return -HV_EPERM;
	}
	hv_spin_lock(&t->lock);
	op.version = t->abi->version;
	hv_spin_unlock(&t->lock);
	gnttab_put(c->d, t);
	return gnttab_put_field(c, sizeof(op), 0,
				offsetof(struct gnttab_get_version, version),
				&op.version, sizeof(op.version));
}
