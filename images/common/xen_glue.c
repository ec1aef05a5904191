/*
 * What libhv-xen asks of the image: console lines to the hypervisor's
 * UART, shutdown, yield and block for the run loop, the shared-info page
 * in the P2M, time, which domains exist.  And the hypercall dispatch that
 * puts the recipe's extensions in front of libhv-xen.  How a guest's
 * hypercall pointers are read is the arch's (its hyp_gmem_* accessors).
 */
#include "hyp_common.h"

static struct domain *domain_of(struct hv_xen_domain *xd)
{
	return hv_container_of(xd, struct domain, xen);
}

static void console_line(void *opaque, const char *line, size_t len)
{
	hyp_arch_console_write(opaque, line, len);
	hyp_arch_console_write(opaque, "\n", 1);
}

static void shutdown(void *opaque, struct hv_xen_domain *xd,
		     unsigned int reason)
{
	struct hyp *h = opaque;
	struct domain *d = domain_of(xd);

	(void)reason;
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		hyp_vcpu_set_state(h, &d->vcpus[i], VCPU_DOWN);
	h->live_domains--;
}

static void yield(void *opaque, struct hv_xen_domain *xd, hv_vcpuid_t vcpu)
{
	hyp_vcpu_yield(opaque, &domain_of(xd)->vcpus[vcpu]);
}

static void block(void *opaque, struct hv_xen_domain *xd, hv_vcpuid_t vcpu)
{
	hyp_vcpu_block(opaque, &domain_of(xd)->vcpus[vcpu]);
}

/* Frames the new mapping displaced go back to the heap after the flush. */
struct displaced {
	hv_mfn_t mfn[4];
	unsigned int nr;
};

static void note_removed(void *ctx, hv_gfn_t gfn, hv_mfn_t mfn, uint64_t nr,
			 enum hv_mm_p2m_type type)
{
	struct displaced *out = ctx;

	(void)gfn;
	if (type == HV_MM_P2M_RAM_RW && nr == 1 &&
	    out->nr < HV_ARRAY_SIZE(out->mfn))
		out->mfn[out->nr++] = mfn;
}

/*
 * Where the page goes is the guest's choice; the RAM page it displaces
 * there is freed.  Mapping it again moves it, the old gfn left empty (Xen
 * on x86), or fails with -EBUSY (Xen 4.17+ on Arm): HYP_SHARED_INFO_MOVES.
 */
static int map_shared_info(void *opaque, struct hv_xen_domain *xd, hv_gfn_t gfn)
{
	struct hyp *h = opaque;
	struct domain *d = domain_of(xd);
	struct hv_mm_p2m_batch batch;
	struct displaced gone = {.nr = 0};
	int err = 0;

	if (d->shared_info_mapped && !HYP_SHARED_INFO_MOVES)
		return -HV_EBUSY;
	if (hv_gfn_x(gfn) >= hv_mm_p2m_gfn_limit(&d->p2m))
		return -HV_EINVAL;
	hv_mm_p2m_batch_begin(&batch, &d->p2m, note_removed, &gone);
	if (d->shared_info_mapped && !hv_gfn_eq(d->shared_info_gfn, gfn))
		err = hv_mm_p2m_remove(&d->p2m, &batch, d->shared_info_gfn, 1);
	if (!err)
		err = hv_mm_p2m_set(&d->p2m, &batch, gfn, d->shared_info, 1,
				    HV_MM_P2M_RAM_RW, HV_MM_P2M_RW);
	hv_mm_p2m_batch_end(&batch);
	for (unsigned int i = 0; i < gone.nr; i++)
		if (!hv_mfn_eq(gone.mfn[i], d->shared_info))
			hv_mm_put_pages(&h->heap, gone.mfn[i], 0, 0);
	if (err)
		return err;
	d->shared_info_mapped = true;
	d->shared_info_gfn = gfn;
	for (const struct hyp_extension *const *e = h->config->extensions;
	     e && *e; e++)
		if ((*e)->shared_info_mapped)
			(*e)->shared_info_mapped(d, hv_gfn_to_gpaddr(gfn));
	return 0;
}

static hv_time_t now(void *opaque)
{
	return hyp_arch_now(opaque);
}

static bool domain_exists(void *opaque, hv_domid_t id)
{
	return id < ((struct hyp *)opaque)->nr_domains;
}

const struct hv_xen_ops hyp_xen_ops = {
    .console_line = console_line,
    .shutdown = shutdown,
    .yield = yield,
    .block = block,
    .map_shared_info = map_shared_info,
    .now = now,
    .domain_exists = domain_exists,
};

long hyp_hypercall(struct hyp *h, struct vcpu *v, const struct hv_gmem *gm,
		   uint64_t nr, const uint64_t args[5])
{
	const struct hyp_extension *const *e = h->config->extensions;
	long ret;

	for (; e && *e; e++)
		if ((*e)->hypercall && (*e)->hypercall(v, nr, args, gm, &ret))
			return ret;
	return hv_xen_hypercall(&v->dom->xen, v->id, gm, nr, args);
}
