/*
 * GNTTABOP_transfer: give a page to another domain.  Xen refuses it for a
 * translated guest (every HVM, PVH and Arm guest): steal_page() fails with
 * -EOPNOTSUPP, which the op reports as GNTST_general_error, after a frame
 * that is not valid RAM has already been reported as GNTST_bad_page.
 * hvkit's guests are all translated, so the op is exactly that: each
 * transfer fails, with the status Xen gives, and nothing changes.
 */
#include "internal.h"

/* Whether gfn maps a frame the heap knows (Xen's mfn_valid). */
static bool valid_frame(struct hv_gnttab_domain *d, uint64_t gfn)
{
	struct hv_mm_p2m_info info;
	struct hv_mm_page_info page;

	return hv_mm_p2m_lookup(d->mm->p2m, hv_gfn(gfn), &info) == 0 &&
	       hv_mm_p2m_type_has_frame(info.type) &&
	       hv_mm_page_query(d->mm->heap, info.mfn, &page) == 0;
}

int gnttab_op_transfer(const struct gnttab_call *c)
{
	for (unsigned int i = 0; i < c->count; i++) {
		struct gnttab_transfer op;

		if (gnttab_get_op(c, i, &op, sizeof(op)))
			return -HV_EFAULT;
		op.status = valid_frame(c->d, op.mfn) ? GNTST_general_error
						      : GNTST_bad_page;
		if (gnttab_put_field(c, sizeof(op), i,
				     offsetof(struct gnttab_transfer, status),
				     &op.status, sizeof(op.status)))
			return -HV_EFAULT;
	}
	return 0;
}
