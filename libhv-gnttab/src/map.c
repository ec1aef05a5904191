/*
 * GNTTABOP_map_grant_ref: map another domain's granted frame into the
 * caller's P2M as a grant mapping, as Xen does for an HVM or PVH guest.
 *
 * Steps, each under one domain's lock at most: reserve a maptrack handle
 * (the mapping domain's lock), pin the grant (the granting domain's lock:
 * GTF flags set, frame referenced), insert the P2M entry (libhv-mm's own
 * lock), record the mapping in the handle.  A failure undoes the steps
 * before it.  The statuses and their order are Xen's: flags are checked
 * before the domain is looked up, the handle is reserved before the grant
 * reference is checked, and the host mapping's own checks come after the
 * pin.
 */
#include "internal.h"

static int16_t reserve_handle(struct hv_gnttab_domain *ld, uint32_t *handle)
{
	int16_t rc = GNTST_okay;

	hv_spin_lock(&ld->lock);
	if (ld->dying)
		rc = GNTST_general_error;
	else if (gnttab_mt_get(ld, handle))
		rc = GNTST_no_space;
	hv_spin_unlock(&ld->lock);
	return rc;
}

static void drop_handle(struct hv_gnttab_domain *ld, uint32_t handle)
{
	hv_spin_lock(&ld->lock);
	gnttab_mt_put(ld, handle);
	hv_spin_unlock(&ld->lock);
}

/* Xen's create_grant_p2m_mapping: plain host mappings only. */
static int16_t host_map(struct hv_gnttab_domain *ld,
			struct hv_mm_domain_batch *b,
			const struct gnttab_map_grant_ref *op, hv_mfn_t mfn)
{
	bool readonly = op->flags & GNTMAP_readonly;

	if ((op->flags & ~(uint32_t)GNTMAP_readonly) != GNTMAP_host_map)
		return GNTST_general_error;
	if (hv_mm_p2m_grant_map(ld->mm->p2m, &b->p2m,
				hv_gpaddr_to_gfn(op->host_addr), mfn, readonly))
		return GNTST_general_error;
	return GNTST_okay;
}

/* With a handle reserved: pin, map, record. */
static int16_t map_with_handle(struct hv_gnttab_domain *ld,
			       struct hv_gnttab_domain *rd,
			       struct hv_mm_domain_batch *b,
			       struct gnttab_map_grant_ref *op, uint32_t handle)
{
	bool readonly = op->flags & GNTMAP_readonly;
	struct gnttab_use use;
	struct gnttab_mt *mt;
	int16_t rc;

	hv_spin_lock(&rd->lock);
	rc = gnttab_pin(rd, op->ref, ld->domid, readonly, true, &use);
	hv_spin_unlock(&rd->lock);
	if (rc)
		return rc;
	rc = host_map(ld, b, op, use.mfn);
	if (rc) {
		hv_spin_lock(&rd->lock);
		gnttab_unpin(rd, op->ref, readonly);
		hv_spin_unlock(&rd->lock);
		gnttab_put_frame(rd, use.mfn);
		return rc;
	}
	hv_spin_lock(&ld->lock);
	mt = gnttab_mt_entry(ld, handle);
	mt->rd = rd;
	mt->gfn = hv_gfn_x(hv_gpaddr_to_gfn(op->host_addr));
	mt->ref = op->ref;
	mt->flags = (uint16_t)op->flags;
	mt->state = MT_MAPPED;
	hv_spin_unlock(&ld->lock);
	/* Xen reports the machine address even to a translated guest. */
	op->dev_bus_addr = hv_mfn_to_paddr(use.mfn);
	op->handle = handle;
	return GNTST_okay;
}

static void map_one(struct hv_gnttab_domain *ld, struct hv_mm_domain_batch *b,
		    struct gnttab_map_grant_ref *op)
{
	struct hv_gnttab_domain *rd;
	uint32_t handle;
	int16_t rc;

	if (!(op->flags & (GNTMAP_device_map | GNTMAP_host_map))) {
		op->status = GNTST_bad_gntref;
		return;
	}
	/* No device or PV page-table mappings in a translated guest. */
	if (op->flags & (GNTMAP_device_map | GNTMAP_application_map |
			 GNTMAP_contains_pte)) {
		op->status = GNTST_general_error;
		return;
	}
	rd = gnttab_find(ld, op->dom, false);
	if (!rd) {
		op->status = GNTST_bad_domain;
		return;
	}
	rc = reserve_handle(ld, &handle);
	if (!rc) {
		rc = map_with_handle(ld, rd, b, op, handle);
		if (rc)
			drop_handle(ld, handle);
	}
	op->status = rc;
	gnttab_put(ld, rd);
}

int gnttab_op_map(const struct gnttab_call *c)
{
	struct hv_mm_domain_batch b;
	int rc = 0;

	hv_mm_domain_batch_begin(&b, c->d->mm);
	for (unsigned int i = 0; i < c->count; i++) {
		struct gnttab_map_grant_ref op;

		rc = gnttab_get_op(c, i, &op, sizeof(op));
		if (rc)
			break;
		map_one(c->d, &b, &op);
		rc = gnttab_put_op(c, i, &op, sizeof(op));
		if (rc)
			break;
	}
	hv_mm_domain_batch_end(&b);
	return rc;
}
