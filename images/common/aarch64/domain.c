/*
 * Building a domain from its bundle entry: RAM from the heap mapped at the
 * guest's RAM base (2 MiB blocks where they fit, so the P2M can use
 * superpages), the kernel and ramdisk copied in, a device tree at the top
 * of RAM, and the vCPU set to enter the kernel as Xen enters one.
 */
#include "hyp.h"

#include <hv/arm_stage2.h>

#include <libfdt.h>

/* The guest's device tree lives in the last 2 MiB of its RAM
 * (docs/bundle.md); the tool keeps everything else out of there. */
#define DTB_AREA (2ull << 20)
#define ORDER_2M 9

static uint64_t fdt_buf[64 * 1024 / 8]; /* aligned as libfdt wants */

/* Guest-physical access through the domain's own P2M, for building it. */
static int p2m_translate(void *ctx, hv_gfn_t gfn, unsigned int access,
			 void **page)
{
	struct domain *d = ctx;
	struct hv_mm_p2m_info info;

	(void)access;
	if (hv_mm_p2m_lookup(&d->p2m, gfn, &info) != 0 ||
	    info.type != HV_MM_P2M_RAM_RW)
		return -HV_EFAULT;
	*page = (void *)(uintptr_t)hv_mfn_to_paddr(info.mfn);
	return 0;
}

void hyp_gmem_guest_phys(struct hv_gmem *gm, struct domain *d)
{
	hv_gmem_init(gm, p2m_translate, d, 64);
}

static int populate_ram(struct hyp *h, struct domain *d)
{
	uint64_t pages = d->ram_size >> HV_PAGE_SHIFT;
	uint64_t gfn = d->ram_base >> HV_PAGE_SHIFT;
	struct hv_mm_p2m_batch batch;
	int err = 0;

	hv_mm_p2m_batch_begin(&batch, &d->p2m, NULL, NULL);
	for (uint64_t done = 0; done < pages && !err;) {
		unsigned int order =
			pages - done >= (1u << ORDER_2M) &&
					HV_IS_ALIGNED(gfn + done, 1u << ORDER_2M)
				? ORDER_2M
				: 0;
		hv_mfn_t mfn;

		err = hv_mm_alloc_pages(&h->heap, order, HV_MM_NODE_ANY, 0,
					&d->account, &mfn);
		if (!err)
			err = hv_mm_p2m_set(&d->p2m, &batch, hv_gfn(gfn + done),
					    mfn, 1u << order, HV_MM_P2M_RAM_RW,
					    HV_MM_P2M_RWX);
		done += 1u << order;
	}
	hv_mm_p2m_batch_end(&batch);
	return err;
}

static int load(struct domain *d, const struct hv_boot_domain *cfg,
		hv_gpaddr_t dtb)
{
	struct hv_gmem gm;
	int err;

	hyp_gmem_guest_phys(&gm, d);
	for (unsigned int i = 0; i < cfg->nr_segments; i++) {
		const struct hv_boot_segment *s = &cfg->segments[i];

		err = hv_gmem_copy_to(&gm, s->gpa, s->data, s->len);
		if (!err)
			err = hv_gmem_clear(&gm, s->gpa + s->len,
					    s->mem_size - s->len);
		if (err)
			return err;
	}
	if (cfg->has_ramdisk) {
		err = hv_gmem_copy_to(&gm, cfg->ramdisk.gpa, cfg->ramdisk.data,
				      cfg->ramdisk.len);
		if (err)
			return err;
	}
	err = hyp_guest_fdt(fdt_buf, sizeof(fdt_buf), cfg, &hyp_xen_layout,
			    cfg->has_ramdisk ? cfg->ramdisk.gpa : 0,
			    cfg->has_ramdisk ? cfg->ramdisk.len : 0);
	if (err)
		return err;
	return hv_gmem_copy_to(&gm, dtb, fdt_buf, fdt_totalsize(fdt_buf));
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
	hv_gpaddr_t dtb = cfg->ram_base + cfg->memory - DTB_AREA;
	hv_mfn_t si;
	int err;

	if (cfg->memory <= DTB_AREA)
		return -HV_EINVAL;
	if (cfg->vcpus > HYP_MAX_VCPUS)
		return -HV_E2BIG;
	d->hyp = h;
	d->ram_base = cfg->ram_base;
	d->ram_size = cfg->memory;
	d->vmid = (uint16_t)(id + 1); /* VMID 0 is nobody's */
	hv_mm_account_init(&d->account, id, cfg->memory >> HV_PAGE_SHIFT);

	err = hv_xen_domain_init(&d->xen, id, cfg->name, &hyp_xen_ops, h);
	if (!err)
		err = hv_mm_p2m_init(&d->p2m, &hv_arm_stage2_ipa40,
				     &hyp_p2m_ops, d, HV_MM_P2M_ORDER_1G);
	if (!err)
		err = populate_ram(h, d);
	if (!err)
		err = load(d, cfg, dtb);
	if (!err)
		err = hv_mm_alloc_pages(&h->heap, 0, HV_MM_NODE_ANY, 0, NULL,
					&si);
	if (err)
		return err;
	d->shared_info = si;

	hyp_gmem_guest_phys(&d->guest_phys, d);
	d->nr_vcpus = cfg->vcpus;
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		d->vcpus[i].dom = d;
		d->vcpus[i].id = i;
		d->vcpus[i].state = VCPU_DOWN;
	}
	hyp_vcpu_start(&d->vcpus[0], cfg->entry, dtb);
	hv_mm_p2m_activate(&d->p2m);
	return extensions_build(h, d);
}

void hyp_vcpu_start(struct vcpu *v, uint64_t entry, uint64_t x0)
{
	hv_arm_vcpu_reset(&v->arch, entry, x0, hv_mm_p2m_root(&v->dom->p2m),
			  v->dom->vmid, v->id, hv_arm_vcpu_default_hcr());
	v->state = VCPU_RUNNABLE;
}
