/*
 * The core as a whole: setting it up, and memory for its structures from
 * the caller's heap.
 */
#include <hv/hyp.h>

#include "hyp_priv.h"

unsigned int hv_hyp_api_version(void)
{
	return HV_HYP_API_VERSION;
}

static bool arch_complete(const struct hv_hyp_arch_ops *a)
{
	return a && a->name && a->p2m_format && a->xenmem_abi &&
	       a->domain_init && a->vcpu_load && a->vcpu_run && a->vcpu_exit &&
	       a->now && a->timer_set && a->idle && a->p2m_flush &&
	       a->console_write && a->virt_to_phys && a->phys_to_virt;
}

/* Few enough extensions, each hypercall hook with the numbers it takes
 * (one without would silently get none). */
static bool extensions_fit(const struct hv_hyp_config *c)
{
	unsigned int n = 0;

	for (; c->extensions && c->extensions[n]; n++)
		if (c->extensions[n]->hypercall && !c->extensions[n]->hypercalls)
			return false;
	return n <= HV_HYP_MAX_EXTENSIONS;
}

/* The hypercalls any extension takes: hypercall dispatch asks none of
 * them about the others. */
static uint64_t extension_hypercalls(const struct hv_hyp *h)
{
	const struct hv_hyp_extension *e;
	uint64_t all = 0;
	unsigned int i;

	hyp_for_each_extension (h, i, e)
		if (e->hypercall)
			all |= e->hypercalls;
	return all;
}

int hv_hyp_init(struct hv_hyp *h, const struct hv_hyp_config *config,
		const struct hv_hyp_arch_ops *arch, void *arch_ctx,
		struct hv_mm_heap *heap, const struct hv_log *log,
		struct hv_hyp_pcpu *pcpus, unsigned int nr_pcpus)
{
	if (!config || !arch_complete(arch) || !heap || !pcpus ||
	    nr_pcpus == 0 || nr_pcpus > HV_HYP_MAX_PCPUS ||
	    !extensions_fit(config))
		return -HV_EINVAL;
	memset(h, 0, sizeof(*h));
	h->config = config;
	h->arch = arch;
	h->arch_ctx = arch_ctx;
	h->heap = heap;
	if (log)
		h->log = *log;
	h->pcpus = pcpus;
	h->nr_pcpus = nr_pcpus;
	hv_spin_init(&h->lock);
	for (unsigned int i = 0; i < nr_pcpus; i++) {
		pcpus[i].hyp = h;
		pcpus[i].id = i;
		pcpus[i].current = NULL;
		pcpus[i].loaded = NULL;
		pcpus[i].resched = false;
		pcpus[i].stage = HYP_PCPU_OUTSIDE;
	}
	h->ext_hypercalls = extension_hypercalls(h);
	h->sched = config->scheduler ? config->scheduler : &hv_hyp_round_robin;
	return h->sched->init ? h->sched->init(h) : 0;
}

int hv_hyp_fini(struct hv_hyp *h)
{
	for (unsigned int i = 0; i < HV_HYP_MAX_DOMAINS; i++)
		if (h->domains[i])
			return -HV_EBUSY;
	if (h->sched->fini)
		h->sched->fini(h);
	return 0;
}

unsigned int hv_hyp_live_domains(const struct hv_hyp *h)
{
	return h->live_domains;
}

struct hv_hyp_domain *hv_hyp_domain_get(struct hv_hyp *h, hv_domid_t id)
{
	return id < HV_HYP_MAX_DOMAINS ? h->domains[id] : NULL;
}

void *hyp_ext_alloc(void *opaque, size_t size, size_t align)
{
	(void)align; /* pages are aligned beyond what a library asks */
	return hv_hyp_alloc(opaque, size);
}

void hyp_ext_free(void *opaque, void *ptr, size_t size)
{
	hv_hyp_free(opaque, ptr, size);
}

void *hyp_ext_state(struct hv_hyp *h, hv_domid_t id,
		    const struct hv_hyp_extension *e)
{
	struct hv_hyp_domain *d = hv_hyp_domain_get(h, id);

	return d ? hyp_domain_ext(d, e) : NULL;
}

void *hyp_domain_ext(struct hv_hyp_domain *d, const struct hv_hyp_extension *e)
{
	const struct hv_hyp_extension *each;
	unsigned int i;

	hyp_for_each_extension (d->hyp, i, each)
		if (each == e)
			return d->ext[i];
	return NULL;
}

/* Whole pages: the core's allocations are few and live as long as their
 * domain (or the hypervisor). */
static unsigned int order_of(size_t size)
{
	unsigned int order = 0;

	while ((HV_PAGE_SIZE << order) < size)
		order++;
	return order;
}

void *hv_hyp_alloc(struct hv_hyp *h, size_t size)
{
	hv_mfn_t mfn;

	if (hv_mm_alloc_pages(h->heap, order_of(size), HV_MM_NODE_ANY, 0, NULL,
			      &mfn))
		return NULL;
	return h->arch->phys_to_virt(h, hv_mfn_to_paddr(mfn));
}

void hv_hyp_free(struct hv_hyp *h, void *p, size_t size)
{
	if (p)
		hv_mm_put_pages(h->heap,
				hv_paddr_to_mfn(h->arch->virt_to_phys(h, p)),
				order_of(size), 0);
}

void *hv_hyp_identity_phys_to_virt(struct hv_hyp *h, hv_paddr_t pa)
{
	(void)h;
	return (void *)(uintptr_t)pa;
}

hv_paddr_t hv_hyp_identity_virt_to_phys(struct hv_hyp *h, const void *p)
{
	(void)h;
	return (uintptr_t)p;
}
