/*
 * GNTTABOP_swap_grant_ref: exchange two of the caller's own grant entries
 * (and, in v2, their status), for guests that reorder their free lists.
 * Neither may be in use (GNTST_eagain); swapping an entry with itself does
 * nothing.
 */
#include "internal.h"

static void swap_bytes(void *a, void *b, size_t len)
{
	unsigned char tmp[sizeof(grant_entry_v2_t)];

	memcpy(tmp, a, len);
	memcpy(a, b, len);
	memcpy(b, tmp, len);
}

static int16_t swap_locked(struct hv_gnttab_domain *d, grant_ref_t a,
			   grant_ref_t b)
{
	unsigned int n = gnttab_nr_entries(d);

	if (a >= n || b >= n)
		return GNTST_bad_gntref;
	if (a == b)
		return GNTST_okay;
	if (gnttab_act(d, a)->pin || gnttab_act(d, b)->pin)
		return GNTST_eagain;
	swap_bytes(gnttab_entry(d, a), gnttab_entry(d, b), d->abi->entry_bytes);
	if (d->nr_status)
		swap_bytes(gnttab_status_word(d, a), gnttab_status_word(d, b),
			   sizeof(grant_status_t));
	return GNTST_okay;
}

int gnttab_op_swap(const struct gnttab_call *c)
{
	for (unsigned int i = 0; i < c->count; i++) {
		struct gnttab_swap_grant_ref op;

		if (gnttab_get_op(c, i, &op, sizeof(op)))
			return -HV_EFAULT;
		hv_spin_lock(&c->d->lock);
		op.status = swap_locked(c->d, op.ref_a, op.ref_b);
		hv_spin_unlock(&c->d->lock);
		if (gnttab_put_field(
			c, sizeof(op), i,
			offsetof(struct gnttab_swap_grant_ref, status),
			&op.status, sizeof(op.status)))
			return -HV_EFAULT;
	}
	return 0;
}
