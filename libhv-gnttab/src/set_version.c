/*
 * GNTTABOP_set_version: switch the caller's grant table between v1 and v2,
 * with Xen's rules:
 *  - only versions 1 and 2 (-HV_EINVAL); 2 only if the domain's
 *    configuration names hv_gnttab_v2 (-HV_ENOSYS); the same version is
 *    a no-op;
 *  - no grant beyond the GNTTAB_NR_RESERVED_ENTRIES (8) toolstack ones may
 *    be in use (-HV_EBUSY); those 8 may (xenstore and the console keep
 *    them mapped) and are carried over, with their reading and writing
 *    flags, as v1 entries: switching to v1 fails with -HV_ERANGE if one
 *    cannot be represented (a frame above 2^32, a transitive grant);
 *  - to v2 the status frames are allocated (-HV_ENOMEM), to v1 they are
 *    removed from the guest's P2M and freed; every other entry is cleared.
 * The version in force is written back whatever the result.
 */
#include "internal.h"

static bool in_use_beyond_reserved(struct hv_gnttab_domain *d)
{
	unsigned int n = gnttab_nr_entries(d);

	for (grant_ref_t ref = GNTTAB_NR_RESERVED_ENTRIES; ref < n; ref++)
		if (gnttab_act(d, ref)->pin)
			return true;
	return false;
}

static void clear_entries(struct hv_gnttab_domain *d)
{
	for (unsigned int i = 0; i < d->nr_frames; i++)
		memset(d->shared[i].virt, 0, PAGE_BYTES);
}

/* Under d's lock: switch to `to`, or a negative errno and no change. */
static int switch_to(struct hv_gnttab_domain *d, const struct hv_gnttab_abi *to)
{
	grant_entry_v1_t saved[GNTTAB_NR_RESERVED_ENTRIES];
	int rc;

	if (in_use_beyond_reserved(d))
		return -HV_EBUSY;
	if (to->version == 2) {
		rc = gnttab_populate_status(d, to->status_frames(d->nr_frames));
		if (rc)
			return rc;
	}
	rc = d->abi->save_reserved(d, saved);
	if (rc)
		return rc;
	if (to->version == 1)
		gnttab_unpopulate_status(d);
	clear_entries(d);
	d->abi = to;
	to->restore_reserved(d, saved);
	hv_log_info(d->cfg.log, "gnttab: d%u switched to grant table v%u",
		    d->domid, to->version);
	return 0;
}

int gnttab_op_set_version(const struct gnttab_call *c)
{
	struct hv_gnttab_domain *d = c->d;
	const struct hv_gnttab_abi *to;
	struct gnttab_set_version op;
	int rc = 0;

	if (gnttab_get_op(c, 0, &op, sizeof(op)))
		return -HV_EFAULT;
	to = op.version == 1 ? &gnttab_v1 : op.version == 2 ? d->cfg.v2 : NULL;
	if (op.version != 1 && op.version != 2)
		rc = -HV_EINVAL;
	else if (!to)
		rc = -HV_ENOSYS;
	hv_spin_lock(&d->lock);
	if (!rc && d->abi != to)
		rc = switch_to(d, to);
	op.version = d->abi->version;
	hv_spin_unlock(&d->lock);
	if (gnttab_put_op(c, 0, &op, sizeof(op)))
		return -HV_EFAULT;
	return rc;
}
