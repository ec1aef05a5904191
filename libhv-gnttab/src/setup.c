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

static int16_t setup(const struct gnttab_call *c, struct hv_gnttab_domain *t,
		     const struct gnttab_setup_table *op)
{
	int rc;

	HV_STATIC_ASSERT(sizeof(xen_pfn_t) == sizeof(uint64_t),
			 "frame lists hold 64-bit frames");
	/* Past the limit (-HV_EINVAL) or out of memory: general_error. */
	hv_spin_lock(&t->lock);
	rc = gnttab_grow(t, op->nr_frames);
	hv_spin_unlock(&t->lock);
	if (rc)
		return GNTST_general_error;
	return list_frames(c, t, (uint64_t)(uintptr_t)op->frame_list.p,
			   op->nr_frames, false);
}

int gnttab_op_setup_table(const struct gnttab_call *c)
{
	struct gnttab_setup_table op;
	struct hv_gnttab_domain *t;

	if (c->count != 1)
		return -HV_EINVAL;
	if (gnttab_get_op(c, 0, &op, sizeof(op)))
		return -HV_EFAULT;
	op.status = target(c, op.dom, &t);
	if (!op.status)
		op.status = setup(c, t, &op);
	gnttab_put(c->d, t);
	return gnttab_put_field(c, sizeof(op), 0,
				offsetof(struct gnttab_setup_table, status),
				&op.status, sizeof(op.status));
}

int gnttab_op_query_size(const struct gnttab_call *c)
{
	struct gnttab_query_size op;
	struct hv_gnttab_domain *t;

	if (c->count != 1)
		return -HV_EINVAL;
	if (gnttab_get_op(c, 0, &op, sizeof(op)))
		return -HV_EFAULT;
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

static int16_t status_frames(const struct gnttab_call *c,
			     struct hv_gnttab_domain *t,
			     const struct gnttab_get_status_frames *op)
{
	bool enough;

	hv_spin_lock(&t->lock);
	enough = op->nr_frames <= t->nr_status;
	hv_spin_unlock(&t->lock);
	if (!enough)
		return GNTST_general_error;
	return list_frames(c, t, (uint64_t)(uintptr_t)op->frame_list.p,
			   op->nr_frames, true);
}

int gnttab_op_get_status_frames(const struct gnttab_call *c)
{
	struct gnttab_get_status_frames op;
	struct hv_gnttab_domain *t;

	if (c->count != 1)
		return -HV_EINVAL;
	if (gnttab_get_op(c, 0, &op, sizeof(op)))
		return -HV_EFAULT;
	op.status = target(c, op.dom, &t);
	if (!op.status)
		op.status = status_frames(c, t, &op);
	gnttab_put(c->d, t);
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
