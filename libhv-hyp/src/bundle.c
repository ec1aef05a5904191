/*
 * The domains of a boot bundle, from build to destroy: what every image
 * does around the run loop, for any embedder that boots from a bundle.
 */
#include "hyp_priv.h"

#include <hv/fmt.h>

int hv_hyp_build_bundle(struct hv_hyp *h, const void *bundle, size_t size,
			struct hv_boot_error *err)
{
	struct hv_boot_domain cfg;
	int n = hv_boot_bundle_open(bundle, size, h->arch->name, err);

	if (n < 0)
		return n;
	if (n > HV_HYP_MAX_DOMAINS) {
		hv_snprintf(err->msg, sizeof(err->msg),
			    "bundle: %d domains; the core runs at most %d", n,
			    HV_HYP_MAX_DOMAINS);
		return -HV_EINVAL;
	}
	for (int i = 0; i < n; i++) {
		int e =
		    hv_boot_bundle_domain(bundle, (unsigned int)i, &cfg, err);

		if (e)
			return e;
		e = hv_hyp_domain_create(h, &cfg, (hv_domid_t)i, NULL);
		if (e) {
			hv_snprintf(err->msg, sizeof(err->msg),
				    "cannot build domain %s: %s", cfg.name,
				    hv_core_strerror(e));
			return e;
		}
		hv_log_info(&h->log,
			    "domain %s: %llu MiB at %#llx, entry %#llx%s",
			    cfg.name, (unsigned long long)(cfg.memory >> 20),
			    (unsigned long long)cfg.ram_base,
			    (unsigned long long)cfg.entry,
			    cfg.initdomain ? ", initial domain" : "");
	}
	return n;
}

/* A domain whose grants another maps can go only after that one, so try
 * every domain again while some go and others stay. */
/* Every pCPU started has left its loop (hv_hyp_run). */
static void wait_pcpus(struct hv_hyp *h)
{
	for (unsigned int i = 0; i < h->nr_pcpus; i++)
		while (hv_atomic_load_u32(&h->pcpus[i].stage) != HYP_PCPU_LEFT)
			hv_cpu_relax();
}

int hv_hyp_destroy_all(struct hv_hyp *h)
{
	bool gone_some = true, left = true;

	if (hv_atomic_load_u32(&h->started))
		wait_pcpus(h);

	while (left && gone_some) {
		gone_some = left = false;
		for (hv_domid_t i = 0; i < HV_HYP_MAX_DOMAINS; i++) {
			struct hv_hyp_domain *d = hv_hyp_domain_get(h, i);

			if (!d)
				continue;
			if (hv_hyp_domain_destroy(d))
				left = true;
			else
				gone_some = true;
		}
	}
	return left ? -HV_EBUSY : 0;
}
