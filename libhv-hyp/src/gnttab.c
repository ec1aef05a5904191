/*
 * The grant-table extension: libhv-gnttab in the core.  Each domain gets a
 * grant table (v1, v2 on request) over its libhv-mm domain, its
 * grant_table_op goes to the library, and XENMAPSPACE_grant_table frames
 * come from it.  A domain whose grants others still map cannot be
 * destroyed until they are gone.  An image that does not name
 * hv_hyp_gnttab links none of this (nor libhv-gnttab).
 */
#include <hv/gnttab.h>
#include <hv/hyp.h>

#include <xen/xen.h>

#include "hyp_priv.h"

/* Xen's defaults for a domU (xl: max_grant_frames 32, max_maptrack_frames
 * 1024). */
#define MAX_GRANT_FRAMES    32
#define MAX_MAPTRACK_FRAMES 1024

static struct hv_gnttab_domain *get_domain(void *ctx, hv_domid_t domid)
{
	return hyp_ext_state(ctx, domid, &hv_hyp_gnttab);
}

static void *phys_to_virt(void *ctx, hv_paddr_t pa)
{
	struct hv_hyp *h = ctx;

	return h->arch->phys_to_virt(h, pa);
}

static const struct hv_gnttab_ops ops = {
    .get_domain = get_domain,
    .phys_to_virt = phys_to_virt,
};

static int domain_create(struct hv_hyp_domain *d, void **state)
{
	struct hv_hyp *h = d->hyp;
	struct hv_gnttab_config cfg = {
	    .mm = &d->mm,
	    .max_grant_frames = MAX_GRANT_FRAMES,
	    .max_maptrack_frames = MAX_MAPTRACK_FRAMES,
	    .v2 = &hv_gnttab_v2,
	    .transitive = true,
	    .ops = &ops,
	    .ctx = h,
	    .alloc = {.alloc = hyp_ext_alloc,
		      .free = hyp_ext_free,
		      .opaque = h},
	    .log = &h->log,
	};

	return hv_gnttab_domain_create(&cfg, (struct hv_gnttab_domain **)state);
}

/* Its mappings of other domains' grants go; its own may still be used. */
static int domain_release(struct hv_hyp_domain *d, void *state)
{
	struct hv_gnttab_info info;

	(void)d;
	hv_gnttab_domain_release(state);
	hv_gnttab_get_info(state, &info);
	return info.active_grants ? -HV_EBUSY : 0;
}

static void domain_destroy(struct hv_hyp_domain *d, void *state)
{
	(void)d;
	hv_gnttab_domain_destroy(state); /* domain_release said it can */
}

static bool hypercall(struct hv_hyp_vcpu *v, uint64_t nr,
		      const uint64_t args[5], const struct hv_gmem *gm,
		      long *ret)
{
	(void)nr; /* grant_table_op, the only one offered */
	*ret = hv_gnttab_hypercall(
	    hyp_ext_state(v->dom->hyp, v->dom->xen.id, &hv_hyp_gnttab), gm,
	    (unsigned int)args[0], args[1], (unsigned int)args[2]);
	hyp_trace(v->dom->hyp, HV_TRACE_GNTTAB_OP, v->dom->xen.id,
		  (uint32_t)args[0], (uint32_t)args[2], (uint32_t)*ret);
	return true;
}

static int grant_frame(struct hv_hyp_domain *d, void *state, uint64_t idx,
		       hv_mfn_t *mfn, hv_gfn_t *where)
{
	(void)d;
	return hv_gnttab_space_frame(state, idx, mfn, where);
}

static void grant_frame_placed(struct hv_hyp_domain *d, void *state,
			       uint64_t idx, hv_gfn_t gfn)
{
	(void)d;
	hv_gnttab_space_placed(state, idx, gfn);
}

const struct hv_hyp_extension hv_hyp_gnttab = {
    .name = "grant tables (v1, v2)",
    .domain_create = domain_create,
    .domain_release = domain_release,
    .domain_destroy = domain_destroy,
    .hypercalls = UINT64_C(1) << __HYPERVISOR_grant_table_op,
    .hypercall = hypercall,
    .grant_frame = grant_frame,
    .grant_frame_placed = grant_frame_placed,
};
