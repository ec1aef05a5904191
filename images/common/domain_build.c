/*
 * Domains from the boot bundle: each entry built by the arch's
 * hyp_domain_build, which starts and ends with the steps every
 * architecture shares: RAM from the heap mapped at the guest's RAM base
 * (2 MiB blocks where they fit, so the P2M can use superpages), the kernel
 * and ramdisk copied in through the P2M; and at the end the P2M made live
 * and the recipe's extensions given the domain.
 */
#include "hyp_common.h"

#define ORDER_2M 9

/* The recipe's scheduler (or the glue's round-robin), before any domain
 * joins it. */
static void scheduler_start(struct hyp *h)
{
	int err;

	h->sched =
	    h->config->scheduler ? h->config->scheduler : &hyp_round_robin;
	err = h->sched->init ? h->sched->init(h->sched, h) : 0;
	if (err)
		hyp_panic(h, "cannot start the %s scheduler: %s",
			  h->sched->name, hv_core_strerror(err));
}

void hyp_domains_build(struct hyp *h)
{
	const void *bundle = (const void *)(uintptr_t)h->plat.bundle;
	struct hv_boot_error err;
	struct hv_boot_domain cfg;
	int n = hv_boot_bundle_open(bundle, h->plat.bundle_size, HYP_ARCH_NAME,
				    &err);

	if (n < 0)
		hyp_panic(h, "%s", err.msg);
	if (n > HYP_MAX_DOMAINS)
		hyp_panic(h, "%d domains; this image runs at most %d", n,
			  HYP_MAX_DOMAINS);
	scheduler_start(h);
	for (int i = 0; i < n; i++) {
		int e;

		if (hv_boot_bundle_domain(bundle, (unsigned int)i, &cfg, &err))
			hyp_panic(h, "%s", err.msg);
		e = hyp_domain_build(h, &h->domains[i], &cfg, (hv_domid_t)i);
		if (e)
			hyp_panic(h, "cannot build domain %s: %s", cfg.name,
				  hv_core_strerror(e));
		h->nr_domains++;
		h->live_domains++;
	}
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

/* The kernel's segments (zero-filled past their data) and the ramdisk. */
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
	if (cfg->has_ramdisk)
		return hv_gmem_copy_to(gm, cfg->ramdisk.gpa, cfg->ramdisk.data,
				       cfg->ramdisk.len);
	return 0;
}

int hyp_domain_create(struct hyp *h, struct domain *d,
		      const struct hv_boot_domain *cfg, hv_domid_t id,
		      const struct hv_mm_p2m_format *fmt,
		      unsigned int max_order)
{
	int err;

	d->hyp = h;
	d->ram_base = cfg->ram_base;
	d->ram_size = cfg->memory;
	hyp_gmem_guest_phys(&d->guest_phys, d);
	hv_mm_account_init(&d->account, id, cfg->memory >> HV_PAGE_SHIFT);

	err = hv_xen_domain_init(&d->xen, id, cfg->name, &hyp_xen_ops, h);
	if (!err)
		err = hv_mm_p2m_init(&d->p2m, fmt, &hyp_p2m_ops, d, max_order);
	if (!err)
		err = populate_ram(h, d);
	if (!err)
		err = load(d, cfg);
	return err;
}

int hyp_domain_start(struct hyp *h, struct domain *d,
		     const struct hv_boot_domain *cfg)
{
	hv_mm_p2m_activate(&d->p2m);
	for (const struct hyp_extension *const *e = h->config->extensions;
	     e && *e; e++) {
		int err = (*e)->domain_build ? (*e)->domain_build(h, d) : 0;

		if (err)
			return err;
	}
	return h->sched->domain_add ? h->sched->domain_add(h, d, cfg) : 0;
}
