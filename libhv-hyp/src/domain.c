/*
 * Domains: built from a configuration in one block of heap memory (the
 * domain, its vCPUs, the arch's state for both), their memory through
 * libhv-mm's domain layer, and torn down with every frame given back.
 * Teardown undoes exactly what `built` records, so a build that fails
 * half-way and a destroy share one path.
 */
#include <hv/hyp.h>

#include <xen/vcpu.h>

#include "hyp_priv.h"

enum {
	BUILT_XEN = 1u << 0,
	BUILT_P2M = 1u << 1,
	BUILT_SHARED_INFO = 1u << 2,
	BUILT_ARCH = 1u << 3,
	BUILT_SCHED = 1u << 4,
	BUILT_EXT0 = 1u << 5, /* + extension index */
};

/* Where each part sits in the domain's block; 64-byte aligned parts. */
struct block_layout {
	size_t vcpus, arch_domain, arch_vcpus, vcpu_stride, total;
};

static void block_layout(const struct hv_hyp_arch_ops *a, unsigned int nr,
			 struct block_layout *l)
{
	l->vcpus = HV_ALIGN_UP(sizeof(struct hv_hyp_domain), 64);
	l->arch_domain =
	    l->vcpus + HV_ALIGN_UP(nr * sizeof(struct hv_hyp_vcpu), 64);
	l->arch_vcpus = l->arch_domain + HV_ALIGN_UP(a->domain_size, 64);
	l->vcpu_stride = HV_ALIGN_UP(a->vcpu_size, 64);
	l->total = l->arch_vcpus + nr * l->vcpu_stride;
}

static struct hv_hyp_domain *domain_alloc(struct hv_hyp *h, unsigned int nr)
{
	struct block_layout l;
	struct hv_hyp_domain *d;
	char *base;

	block_layout(h->arch, nr, &l);
	d = hv_hyp_alloc(h, l.total);
	if (!d)
		return NULL;
	base = (char *)d;
	d->hyp = h;
	d->alloc_size = l.total;
	d->nr_vcpus = nr;
	d->vcpus = (void *)(base + l.vcpus); /* 64-byte aligned */
	d->arch = h->arch->domain_size ? base + l.arch_domain : NULL;
	d->shared_info_gfn = hv_gfn(HV_INVALID_FRAME);
	for (unsigned int i = 0; i < nr; i++) {
		struct hv_hyp_vcpu *v = &d->vcpus[i];

		v->dom = d;
		v->id = i;
		v->state = HV_HYP_VCPU_DOWN;
		v->singleshot = HV_TIME_NEVER;
		v->runstate = RUNSTATE_offline;
		v->runstate_entry = hyp_now(h);
		v->arch = h->arch->vcpu_size
			      ? base + l.arch_vcpus + i * l.vcpu_stride
			      : NULL;
	}
	return d;
}

/* The kernel's segments (zero-filled past their data) and the ramdisk. */
static int load(struct hv_hyp_domain *d, const struct hv_boot_domain *cfg)
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

/* Memory: a P2M, RAM populated in the largest mappings that fit, the
 * kernel loaded, the shared-info page. */
static int build_memory(struct hv_hyp_domain *d,
			const struct hv_boot_domain *cfg)
{
	struct hv_hyp *h = d->hyp;
	int err = hv_mm_p2m_init(&d->p2m, h->arch->p2m_format, &hyp_p2m_ops, d,
				 h->config->p2m_max_order);

	if (err)
		return err;
	d->built |= BUILT_P2M;
	hv_mm_domain_init(&d->mm, d->xen.id, h->heap, &d->p2m,
			  cfg->memory >> HV_PAGE_SHIFT);
	hv_gmem_init(&d->guest_phys, hv_mm_gpa_translate, &d->mm, 64);
	hv_gmem_set_pinning(&d->guest_phys, hv_mm_gpa_pin, hv_mm_gpa_unpin);
	err = hv_mm_domain_populate(&d->mm, NULL, hv_gpaddr_to_gfn(d->ram_base),
				    d->ram_size >> HV_PAGE_SHIFT,
				    h->config->p2m_max_order, NULL);
	if (!err)
		err = load(d, cfg);
	if (!err)
		err = hv_mm_alloc_pages(h->heap, 0, HV_MM_NODE_ANY, 0, NULL,
					&d->shared_info);
	if (!err)
		d->built |= BUILT_SHARED_INFO;
	return err;
}

/* The extensions' and the scheduler's parts, once the arch's exist. */
static int build_services(struct hv_hyp_domain *d,
			  const struct hv_boot_domain *cfg)
{
	struct hv_hyp *h = d->hyp;
	const struct hv_hyp_extension *e;
	unsigned int i;
	int err;

	hv_mm_p2m_activate(&d->p2m);
	hyp_for_each_extension (h, i, e) {
		err = e->domain_create ? e->domain_create(d, &d->ext[i]) : 0;
		if (err)
			return err;
		d->built |= BUILT_EXT0 << i;
	}
	err = h->sched->domain_add ? h->sched->domain_add(d, cfg) : 0;
	if (!err)
		d->built |= BUILT_SCHED;
	return err;
}

static void teardown(struct hv_hyp_domain *d)
{
	struct hv_hyp *h = d->hyp;
	const struct hv_hyp_extension *e;
	unsigned int i;

	if ((d->built & BUILT_SCHED) && h->sched->domain_remove)
		h->sched->domain_remove(d);
	hyp_for_each_extension (h, i, e)
		if ((d->built & (BUILT_EXT0 << i)) && e->domain_destroy)
			e->domain_destroy(d, d->ext[i]);
	if (d->built & BUILT_P2M) {
		hv_mm_domain_release(&d->mm);
		hv_mm_p2m_destroy(&d->p2m);
	}
	if ((d->built & BUILT_ARCH) && h->arch->domain_destroy)
		h->arch->domain_destroy(d);
	if (d->built & BUILT_SHARED_INFO)
		hv_mm_put_pages(h->heap, d->shared_info, 0, 0);
	if (d->built & BUILT_XEN)
		h->domains[d->xen.id] = NULL;
	hv_hyp_free(h, d, d->alloc_size);
}

/* The domain for the trace: its numbers, then its name's first bytes. */
static void trace_created(struct hv_hyp_domain *d,
			  const struct hv_boot_domain *cfg)
{
	uint32_t name[3] = {0};

	if (!d->hyp->trace)
		return;
	hyp_trace(d->hyp, HV_TRACE_DOMAIN_CREATE, d->xen.id, d->nr_vcpus,
		  cfg->weight, cfg->cap);
	memcpy(name, cfg->name, hv_min_u64(strlen(cfg->name), sizeof(name)));
	hyp_trace(d->hyp, HV_TRACE_DOMAIN_NAME, d->xen.id, name[0], name[1],
		  name[2]);
}

static bool config_fits(const struct hv_boot_domain *cfg)
{
	return cfg->vcpus >= 1 && cfg->vcpus <= HV_HYP_MAX_VCPUS &&
	       cfg->memory >= HV_PAGE_SIZE &&
	       HV_IS_ALIGNED(cfg->memory, HV_PAGE_SIZE) &&
	       HV_IS_ALIGNED(cfg->ram_base, HV_PAGE_SIZE);
}

int hv_hyp_domain_create(struct hv_hyp *h, const struct hv_boot_domain *cfg,
			 hv_domid_t id, struct hv_hyp_domain **out)
{
	HV_DECLARE_BITMAP(cpus, HV_HYP_MAX_PCPUS);
	struct hv_hyp_domain *d;
	int err;

	if (id >= HV_HYP_MAX_DOMAINS || !config_fits(cfg))
		return -HV_EINVAL;
	if (h->domains[id])
		return -HV_EEXIST;
	err = hyp_affinity_parse(h, cfg, cpus);
	if (err)
		return err;
	d = domain_alloc(h, cfg->vcpus);
	if (!d)
		return -HV_ENOMEM;
	memcpy(d->cpus, cpus, sizeof(d->cpus));
	d->ram_base = cfg->ram_base;
	d->ram_size = cfg->memory;
	d->privileged = cfg->initdomain;
	err = hv_xen_domain_init(&d->xen, id, cfg->name, h->arch->xen_arch,
				 &hyp_xen_ops, h);
	if (!err) {
		d->built |= BUILT_XEN;
		h->domains[id] = d;
		err = build_memory(d, cfg);
	}
	if (!err) {
		/* On failure the arch may have taken part: it undoes it. */
		d->built |= BUILT_ARCH;
		err = h->arch->domain_init(d, cfg);
	}
	if (!err)
		err = build_services(d, cfg);
	if (err) {
		teardown(d);
		return err;
	}
	h->live_domains++;
	trace_created(d, cfg);
	d->vcpus[0].initialised = true; /* the arch set it at the entry */
	hv_hyp_vcpu_set_state(&d->vcpus[0], HV_HYP_VCPU_RUNNABLE);
	if (out)
		*out = d;
	return 0;
}

/* Each extension lets go of what d holds of other domains; -HV_EBUSY if
 * others still hold some of d's. */
static int release_others(struct hv_hyp_domain *d)
{
	const struct hv_hyp_extension *e;
	unsigned int i;
	int busy = 0;

	hyp_for_each_extension (d->hyp, i, e)
		if ((d->built & (BUILT_EXT0 << i)) && e->domain_release &&
		    e->domain_release(d, d->ext[i]))
			busy = -HV_EBUSY;
	return busy;
}

int hv_hyp_domain_destroy(struct hv_hyp_domain *d)
{
	struct hv_hyp *h = d->hyp;

	if (!d->xen.shut_down)
		return -HV_EBUSY;
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		if (hyp_vcpu_running_on(&d->vcpus[i]))
			return -HV_EBUSY;
	if (release_others(d))
		return -HV_EBUSY;
	/* A pCPU may still hold one's state: it holds nobody's now. */
	for (unsigned int i = 0; i < h->nr_pcpus; i++) {
		struct hv_hyp_pcpu *p = &h->pcpus[i];

		if (p->loaded && p->loaded->dom == d) {
			h->arch->vcpu_load(p, NULL);
			p->loaded = NULL;
		}
	}
	teardown(d);
	return 0;
}
