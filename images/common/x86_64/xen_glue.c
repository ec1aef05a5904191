/*
 * What libhv-xen asks of the image: console lines to COM1, shutdown, yield
 * and block for the run loop, the shared-info page in the P2M, time.  And
 * the guest-memory accessors: guest-physical through the domain's P2M,
 * and guest-linear (hypercall pointers) through the vCPU's own page
 * tables first when its paging is on, so a guest can only ever name its
 * own RAM.
 */
#include "hyp.h"

#include <hv/x86_paging.h>

static struct domain *domain_of(struct hv_xen_domain *xd)
{
	return hv_container_of(xd, struct domain, xen);
}

static void console_line(void *opaque, const char *line, size_t len)
{
	struct hyp *h = opaque;

	hv_x86_uart_write(&h->uart, line, len);
	hv_x86_uart_putc(&h->uart, '\n');
}

static void shutdown(void *opaque, struct hv_xen_domain *xd,
		     unsigned int reason)
{
	struct hyp *h = opaque;

	(void)reason;
	domain_of(xd)->vcpu.state = VCPU_DOWN;
	h->live_domains--;
	h->resched = true;
}

static void yield(void *opaque, struct hv_xen_domain *xd, hv_vcpuid_t vcpu)
{
	(void)xd;
	(void)vcpu;
	((struct hyp *)opaque)->resched = true;
}

static void block(void *opaque, struct hv_xen_domain *xd, hv_vcpuid_t vcpu)
{
	(void)vcpu;
	hyp_vcpu_block(opaque, &domain_of(xd)->vcpu);
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
 * As Xen on x86: mapping the page again moves it (the old gfn is left
 * empty), and the RAM page it displaces at the new gfn is freed.
 */
static int map_shared_info(void *opaque, struct hv_xen_domain *xd, hv_gfn_t gfn)
{
	struct hyp *h = opaque;
	struct domain *d = domain_of(xd);
	struct hv_mm_p2m_batch batch;
	struct displaced gone = {.nr = 0};
	int err = 0;

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
	return hv_x86_timer_now(&((struct hyp *)opaque)->timer);
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

/* The host page of a guest frame, if it is RAM with the rights asked. */
static int p2m_page(struct domain *d, hv_gfn_t gfn, unsigned int access,
		    void **page)
{
	struct hv_mm_p2m_info info;
	unsigned int need =
	    (access & HV_GMEM_WRITE) ? HV_MM_P2M_RW : HV_MM_P2M_R;

	if (hv_mm_p2m_lookup(&d->p2m, gfn, &info) != 0 ||
	    (info.type != HV_MM_P2M_RAM_RW && info.type != HV_MM_P2M_RAM_RO) ||
	    (info.access & need) != need)
		return -HV_EFAULT;
	*page = (void *)(uintptr_t)hv_mfn_to_paddr(info.mfn);
	return 0;
}

static int translate_phys(void *ctx, hv_gfn_t gfn, unsigned int access,
			  void **page)
{
	return p2m_page(ctx, gfn, access, page);
}

void hyp_gmem_phys(struct hv_gmem *gm, struct domain *d)
{
	hv_gmem_init(gm, translate_phys, d, 64);
}

static int read_pte(void *ctx, hv_gpaddr_t gpa, unsigned int size,
		    uint64_t *val)
{
	void *page;

	if (p2m_page(ctx, hv_gpaddr_to_gfn(gpa), HV_GMEM_READ, &page))
		return -HV_EFAULT;
	*val = 0;
	memcpy(val, (char *)page + (gpa & (HV_PAGE_SIZE - 1)), size);
	return 0;
}

static int translate_linear(void *ctx, hv_gfn_t frame, unsigned int access,
			    void **page)
{
	struct vcpu *v = ctx;
	const struct hv_x86_vmcb_save *s = &v->arch.vmcb->save;
	struct hv_x86_paging paging = {s->cr0, s->cr3, s->cr4, s->efer};
	hv_gpaddr_t gpa;
	int err = hv_x86_guest_linear_to_phys(
	    &paging, hv_gfn_x(frame) << HV_PAGE_SHIFT,
	    (access & HV_GMEM_WRITE) ? HV_X86_ACCESS_WRITE : 0, read_pte,
	    v->dom, &gpa);

	return err ? err
		   : p2m_page(v->dom, hv_gpaddr_to_gfn(gpa), access, page);
}

void hyp_gmem_linear(struct hv_gmem *gm, struct vcpu *v)
{
	/* Outside long mode a linear address has 32 bits: a wider pointer
	 * faults rather than wrapping. */
	bool long_mode = v->arch.vmcb->save.efer & HV_X86_EFER_LMA;

	hv_gmem_init(gm, translate_linear, v, long_mode ? 64 : 32);
}
