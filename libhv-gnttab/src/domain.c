/*
 * A domain's grant table: creation, release and destruction, the queries,
 * and the helpers every operation shares (memory, finding other domains).
 */
#include "internal.h"

void *gnttab_zalloc(struct hv_gnttab_domain *d, size_t size)
{
	void *p = d->cfg.alloc.alloc(d->cfg.alloc.opaque, size, 8);

	if (p)
		memset(p, 0, size);
	return p;
}

void gnttab_free(struct hv_gnttab_domain *d, void *ptr, size_t size)
{
	if (ptr)
		d->cfg.alloc.free(d->cfg.alloc.opaque, ptr, size);
}

void *gnttab_virt(struct hv_gnttab_domain *d, hv_mfn_t mfn)
{
	return d->cfg.ops->phys_to_virt(d->cfg.ctx, hv_mfn_to_paddr(mfn));
}

struct hv_gnttab_domain *gnttab_find(struct hv_gnttab_domain *d,
				     hv_domid_t domid, bool self_ok)
{
	if (domid == DOMID_SELF)
		return self_ok ? d : NULL;
	if (domid == d->domid)
		return d;
	return d->cfg.ops->get_domain(d->cfg.ctx, domid);
}

void gnttab_put(struct hv_gnttab_domain *d, struct hv_gnttab_domain *other)
{
	if (other && other != d && d->cfg.ops->put_domain)
		d->cfg.ops->put_domain(d->cfg.ctx, other);
}

bool gnttab_may_target(struct hv_gnttab_domain *d,
		       struct hv_gnttab_domain *target)
{
	return target == d || d->cfg.privileged;
}

static bool config_ok(const struct hv_gnttab_config *cfg)
{
	const struct hv_mm_domain *mm = cfg->mm;

	return mm && mm->p2m && mm->heap && mm->domid < DOMID_FIRST_RESERVED &&
	       cfg->max_grant_frames >= 1 &&
	       cfg->max_grant_frames <= HV_GNTTAB_MAX_GRANT_FRAMES &&
	       cfg->max_maptrack_frames <= HV_GNTTAB_MAX_MAPTRACK_FRAMES &&
	       (!cfg->v2 || cfg->v2->version == 2) && cfg->ops &&
	       cfg->ops->get_domain && cfg->ops->phys_to_virt &&
	       cfg->alloc.alloc && cfg->alloc.free;
}

static void free_domain(struct hv_gnttab_domain *d)
{
	unsigned int max = d->cfg.max_grant_frames;

	gnttab_mt_destroy(d);
	if (d->shared)
		gnttab_free_frames(d, d->shared, d->nr_frames);
	if (d->status)
		gnttab_free_frames(d, d->status, d->nr_status);
	for (unsigned int i = 0; d->active && i < d->nr_frames; i++)
		gnttab_free(d, d->active[i],
			    ACT_PER_FRAME * sizeof(struct gnttab_act));
	gnttab_free(d, d->active, max * sizeof(*d->active));
	gnttab_free(d, d->shared, max * sizeof(*d->shared));
	gnttab_free(d, d->status, d->max_status * sizeof(*d->status));
	gnttab_free(d, d->mt, d->cfg.max_maptrack_frames * sizeof(*d->mt));
	gnttab_free(d, d, sizeof(*d));
}

/* Memory sized by the limits, taken once: grown tables only fill it in. */
static int alloc_arrays(struct hv_gnttab_domain *d)
{
	unsigned int max = d->cfg.max_grant_frames;

	d->shared = gnttab_zalloc(d, max * sizeof(*d->shared));
	d->active = gnttab_zalloc(d, max * sizeof(*d->active));
	if (d->max_status)
		d->status =
		    gnttab_zalloc(d, d->max_status * sizeof(*d->status));
	if (d->cfg.max_maptrack_frames)
		d->mt = gnttab_zalloc(d, d->cfg.max_maptrack_frames *
					     sizeof(*d->mt));
	if (!d->shared || !d->active || (d->max_status && !d->status) ||
	    (d->cfg.max_maptrack_frames && !d->mt))
		return -HV_ENOMEM;
	return 0;
}

int hv_gnttab_domain_create(const struct hv_gnttab_config *cfg,
			    struct hv_gnttab_domain **out)
{
	struct hv_gnttab_domain *d;
	int rc;

	if (!config_ok(cfg))
		return -HV_EINVAL;
	d = cfg->alloc.alloc(cfg->alloc.opaque, sizeof(*d), 8);
	if (!d)
		return -HV_ENOMEM;
	memset(d, 0, sizeof(*d));
	d->cfg = *cfg;
	d->mm = cfg->mm;
	d->domid = cfg->mm->domid;
	hv_spin_init(&d->lock);
	d->abi = &gnttab_v1;
	d->mt_head = d->mt_tail = MT_NONE;
	if (cfg->v2)
		d->max_status = cfg->v2->status_frames(cfg->max_grant_frames);
	rc = alloc_arrays(d);
	if (!rc)
		rc = gnttab_grow(d, 1);
	if (rc) {
		free_domain(d);
		return -HV_ENOMEM;
	}
	*out = d;
	return 0;
}

void hv_gnttab_domain_release(struct hv_gnttab_domain *d)
{
	hv_spin_lock(&d->lock);
	d->dying = true;
	hv_spin_unlock(&d->lock);
	gnttab_unmap_all(d);
}

int hv_gnttab_domain_destroy(struct hv_gnttab_domain *d)
{
	unsigned int pinned;

	if (!d->dying)
		hv_gnttab_domain_release(d);
	hv_spin_lock(&d->lock);
	pinned = d->pinned;
	hv_spin_unlock(&d->lock);
	if (pinned) {
		hv_log_debug(d->cfg.log,
			     "gnttab: d%u has %u grants in use, kept for now",
			     d->domid, pinned);
		return -HV_EBUSY;
	}
	free_domain(d);
	return 0;
}

hv_domid_t hv_gnttab_domain_id(const struct hv_gnttab_domain *d)
{
	return d->domid;
}

void hv_gnttab_get_info(struct hv_gnttab_domain *d, struct hv_gnttab_info *out)
{
	hv_spin_lock(&d->lock);
	out->version = d->abi->version;
	out->nr_grant_frames = d->nr_frames;
	out->max_grant_frames = d->cfg.max_grant_frames;
	out->nr_status_frames = d->nr_status;
	out->nr_maptrack_frames = d->mt_frames;
	out->max_maptrack_frames = d->cfg.max_maptrack_frames;
	out->maptrack_used = d->mt_used;
	out->active_grants = d->pinned;
	out->dying = d->dying;
	hv_spin_unlock(&d->lock);
}

int hv_gnttab_query_grant(struct hv_gnttab_domain *d, grant_ref_t ref,
			  struct hv_gnttab_grant_info *out)
{
	const struct gnttab_act *act;
	int rc = -HV_EINVAL;

	hv_spin_lock(&d->lock);
	if (ref < gnttab_nr_entries(d)) {
		act = gnttab_act(d, ref);
		out->domid = act->domid;
		out->pins_rw = act->pin & PIN_W_MASK;
		out->pins_ro = (act->pin & PIN_R_MASK) / PIN_R;
		out->mfn = act->pin ? act->mfn : hv_mfn(HV_INVALID_FRAME);
		rc = 0;
	}
	hv_spin_unlock(&d->lock);
	return rc;
}
