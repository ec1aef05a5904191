/*
 * A guest's memory_op, through libhv-mm: the core gives it the domains by
 * id and the frames of the two map spaces that are not RAM, the
 * shared-info page (its own) and grant-table frames (the grant-table
 * extension's).
 */
#include <hv/hyp.h>

#include <xen/memory.h>

#include "hyp_priv.h"

static struct hv_hyp_domain *of_mm(struct hv_mm_domain *mm)
{
	return hv_container_of(mm, struct hv_hyp_domain, mm);
}

static struct hv_mm_domain *find_domain(void *ctx, hv_domid_t id)
{
	struct hv_hyp_domain *d = hv_hyp_domain_get(ctx, id);

	return d ? &d->mm : NULL;
}

/* The extension that serves grant-table frames, or NULL; *i its index. */
static const struct hv_hyp_extension *grant_extension(struct hv_hyp *h,
						      unsigned int *i)
{
	const struct hv_hyp_extension *e;

	hyp_for_each_extension (h, *i, e)
		if (e->grant_frame)
			return e;
	return NULL;
}

static int shared_info_frame(struct hv_hyp_domain *d, uint64_t idx,
			     hv_mfn_t *mfn, hv_gfn_t *where)
{
	bool mapped = hv_gfn_x(d->shared_info_gfn) != HV_INVALID_FRAME;

	if (idx != 0)
		return -HV_EINVAL;
	/* Xen 4.17+ on Arm maps it once; x86 moves it. */
	if (mapped && !d->hyp->arch->shared_info_moves)
		return -HV_EBUSY;
	*mfn = d->shared_info;
	*where = d->shared_info_gfn;
	return 0;
}

static int space_frame(void *ctx, struct hv_mm_domain *mm, unsigned int space,
		       uint64_t idx, hv_mfn_t *mfn, hv_gfn_t *where)
{
	struct hv_hyp_domain *d = of_mm(mm);
	const struct hv_hyp_extension *e;
	unsigned int i;

	(void)ctx;
	if (space == XENMAPSPACE_shared_info)
		return shared_info_frame(d, idx, mfn, where);
	e = grant_extension(d->hyp, &i);
	if (!e)
		return -HV_EINVAL; /* as a Xen without grant tables */
	return e->grant_frame(d, d->ext[i], idx, mfn, where);
}

static void space_placed(void *ctx, struct hv_mm_domain *mm, unsigned int space,
			 uint64_t idx, hv_gfn_t gfn)
{
	struct hv_hyp_domain *d = of_mm(mm);
	const struct hv_hyp_extension *e;
	unsigned int i;

	(void)ctx;
	if (space == XENMAPSPACE_shared_info) {
		d->shared_info_gfn = gfn;
		hyp_for_each_extension (d->hyp, i, e)
			if (e->shared_info_mapped)
				e->shared_info_mapped(d, d->ext[i],
						      hv_gfn_to_gpaddr(gfn));
		return;
	}
	e = grant_extension(d->hyp, &i);
	if (e && e->grant_frame_placed)
		e->grant_frame_placed(d, d->ext[i], idx, gfn);
}

long hyp_memory_op(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
		   uint64_t cmd, uint64_t arg)
{
	struct hv_hyp *h = v->dom->hyp;
	const struct hv_mm_xenmem xm = {
	    .abi = h->arch->xenmem_abi,
	    .find_domain = find_domain,
	    .space_frame = space_frame,
	    .space_placed = space_placed,
	    .ctx = h,
	};

	return hv_mm_memory_op(&xm, &v->dom->mm, gm, (unsigned long)cmd, arg);
}
