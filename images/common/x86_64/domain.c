/*
 * Building a domain from its bundle entry: RAM from the heap mapped at
 * guest-physical 0 (2 MiB pages where they fit, so nested paging can use
 * superpages), the kernel and ramdisk copied in, the start info in page 1,
 * and the vCPU set to enter the kernel as Xen enters a PVH guest, with
 * its own nested page table and ASID.
 */
#include "hyp.h"

#include <hv/x86_npt.h>

#define ORDER_2M 9

static int populate_ram(struct hyp *h, struct domain *d)
{
	uint64_t pages = d->ram_size >> HV_PAGE_SHIFT;
	struct hv_mm_p2m_batch batch;
	int err = 0;

	hv_mm_p2m_batch_begin(&batch, &d->p2m, NULL, NULL);
	for (uint64_t gfn = 0; gfn < pages && !err;) {
		unsigned int order = pages - gfn >= (1u << ORDER_2M) &&
					     HV_IS_ALIGNED(gfn, 1u << ORDER_2M)
					 ? ORDER_2M
					 : 0;
		hv_mfn_t mfn;

		err = hv_mm_alloc_pages(&h->heap, order, HV_MM_NODE_ANY, 0,
					&d->account, &mfn);
		if (!err)
			err = hv_mm_p2m_set(&d->p2m, &batch, hv_gfn(gfn), mfn,
					    1u << order, HV_MM_P2M_RAM_RW,
					    HV_MM_P2M_RWX);
		gfn += 1u << order;
	}
	hv_mm_p2m_batch_end(&batch);
	return err;
}

static int load(struct domain *d, const struct hv_boot_domain *cfg)
{
	const struct hv_gmem *gm = &d->guest_phys;
	int err;

	for (unsigned int i = 0; i < cfg->nr_segments; i++) {
		const struct hv_boot_segment *s = &cfg->segments[i];

		err = hv_gmem_copy_to(gm, s->gpa, s->data, s->len);
		if (!err)
			err = hv_gmem_clear(gm, s->gpa + s->len,
					    s->mem_size - s->len);
		if (err)
			return err;
	}
	if (cfg->has_ramdisk) {
		err = hv_gmem_copy_to(gm, cfg->ramdisk.gpa, cfg->ramdisk.data,
				      cfg->ramdisk.len);
		if (err)
			return err;
	}
	return hyp_start_info(gm, cfg);
}

static int vcpu_create(struct hyp *h, struct domain *d,
		       const struct hv_boot_domain *cfg)
{
	struct vcpu *v = &d->vcpu;
	struct hv_x86_vmcb_setup setup = {
	    .entry = cfg->entry,
	    .start_info = HYP_START_INFO_GPA,
	    .ncr3 = hv_mm_p2m_root(&d->p2m),
	    .asid = d->asid,
	    .iopm_pa = h->iopm,
	    .msrpm_pa = h->msrpm,
	};
	hv_paddr_t vmcb;
	int err = hyp_alloc_page(h, 0, &vmcb);

	if (err)
		return err;
	hv_x86_vcpu_init(&v->arch, (struct hv_x86_vmcb *)(uintptr_t)vmcb, vmcb);
	hv_x86_vmcb_init_pvh(v->arch.vmcb, v->arch.gpr, &setup);
	v->dom = d;
	v->id = 0;
	v->state = VCPU_RUNNABLE;
	v->pat = v->arch.vmcb->save.g_pat;
	return 0;
}

static int extensions_build(struct hyp *h, struct domain *d)
{
	const struct hyp_extension *const *e = h->config->extensions;

	for (; e && *e; e++) {
		int err = (*e)->domain_build ? (*e)->domain_build(h, d) : 0;

		if (err)
			return err;
	}
	return 0;
}

int hyp_domain_build(struct hyp *h, struct domain *d,
		     const struct hv_boot_domain *cfg, hv_domid_t id)
{
	unsigned int max_order =
	    h->svm.npt_1g ? HV_MM_P2M_ORDER_1G : HV_MM_P2M_ORDER_2M;
	int err;

	/* One ASID per domain; ASID 0 is the host's. */
	if (cfg->ram_base != 0 || id + 1u >= h->svm.nr_asids)
		return -HV_EINVAL;
	d->hyp = h;
	d->ram_size = cfg->memory;
	d->asid = id + 1u;
	hyp_gmem_phys(&d->guest_phys, d);
	hv_mm_account_init(&d->account, id, cfg->memory >> HV_PAGE_SHIFT);

	err = hv_xen_domain_init(&d->xen, id, cfg->name, &hyp_xen_ops, h);
	if (!err)
		err = hv_mm_p2m_init(&d->p2m, &hv_x86_npt, &hyp_p2m_ops, d,
				     max_order);
	if (!err)
		err = populate_ram(h, d);
	if (!err)
		err = load(d, cfg);
	if (!err)
		err = hv_mm_alloc_pages(&h->heap, 0, HV_MM_NODE_ANY, 0, NULL,
					&d->shared_info);
	if (!err)
		err = vcpu_create(h, d, cfg);
	if (!err)
		err = extensions_build(h, d);
	if (err)
		return err;
	hv_mm_p2m_activate(&d->p2m);
	return 0;
}
