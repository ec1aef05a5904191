/*
 * What libhv-xen asks of the image: console lines to the UART, shutdown,
 * yield and block for the run loop, the shared-info page in the P2M, time.
 * And the guest-memory accessor for hypercall arguments, which on Arm are
 * guest-virtual addresses: translated by the MMU itself (AT S12E1R/W)
 * through the loaded vCPU's stage 1 and its domain's stage 2, so a guest
 * can only ever name its own memory.
 */
#include "hyp.h"

#include <hv/arm_guest_mem.h>

static struct domain *domain_of(struct hv_xen_domain *xd)
{
	return hv_container_of(xd, struct domain, xen);
}

static void console_line(void *opaque, const char *line, size_t len)
{
	struct hyp *h = opaque;

	hv_pl011_write(&h->uart, line, len);
	hv_pl011_putc(&h->uart, '\n');
}

static void shutdown(void *opaque, struct hv_xen_domain *xd,
		     unsigned int reason)
{
	struct hyp *h = opaque;
	struct domain *d = domain_of(xd);

	(void)reason;
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		d->vcpus[i].state = VCPU_DOWN;
	h->live_domains--;
}

static void yield(void *opaque, struct hv_xen_domain *xd, hv_vcpuid_t vcpu)
{
	(void)xd;
	(void)vcpu;
	((struct hyp *)opaque)->resched = true;
}

/* As Xen's vcpu_block: a vCPU with events waiting does not block. */
static void block(void *opaque, struct hv_xen_domain *xd, hv_vcpuid_t vcpu)
{
	struct hyp *h = opaque;
	struct vcpu *v = &domain_of(xd)->vcpus[vcpu];
	const struct hyp_extension *const *e = h->config->extensions;

	for (; e && *e; e++)
		if ((*e)->pending && (*e)->pending(v))
			return;
	v->state = VCPU_BLOCKED;
	h->resched = true;
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

/* As Xen 4.17+ on Arm: the page maps at one gfn at a time (-EBUSY). */
static int map_shared_info(void *opaque, struct hv_xen_domain *xd,
			   hv_gfn_t gfn)
{
	struct hyp *h = opaque;
	struct domain *d = domain_of(xd);
	struct hv_mm_p2m_batch batch;
	struct displaced gone = {.nr = 0};
	int err;

	if (d->shared_info_mapped)
		return -HV_EBUSY;
	if (hv_gfn_x(gfn) >= hv_mm_p2m_gfn_limit(&d->p2m))
		return -HV_EINVAL;
	hv_mm_p2m_batch_begin(&batch, &d->p2m, note_removed, &gone);
	err = hv_mm_p2m_set(&d->p2m, &batch, gfn, d->shared_info, 1,
			    HV_MM_P2M_RAM_RW, HV_MM_P2M_RW);
	hv_mm_p2m_batch_end(&batch);
	for (unsigned int i = 0; i < gone.nr; i++)
		hv_mm_put_pages(&h->heap, gone.mfn[i], 0, 0);
	if (err)
		return err;
	d->shared_info_mapped = true;
	for (const struct hyp_extension *const *e = h->config->extensions;
	     e && *e; e++)
		if ((*e)->shared_info_mapped)
			(*e)->shared_info_mapped(d, hv_gfn_to_gpaddr(gfn));
	return 0;
}

static hv_time_t now(void *opaque)
{
	return hv_arm_timer_now(&((struct hyp *)opaque)->timer);
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

static int translate_va(void *ctx, hv_gfn_t frame, unsigned int access,
			void **page)
{
	hv_paddr_t pa;
	int err;

	(void)ctx;
	err = hv_arm_guest_va_to_pa(hv_gfn_x(frame) << HV_PAGE_SHIFT,
				    access & HV_GMEM_WRITE, &pa);
	if (!err)
		*page = (void *)(uintptr_t)pa; /* EL2's identity map */
	return err;
}

void hyp_gmem_guest_va(struct hv_gmem *gm, struct vcpu *v)
{
	hv_gmem_init(gm, translate_va, v, 64);
}
