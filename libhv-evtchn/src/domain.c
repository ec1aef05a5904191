/*
 * A domain's event-channel state: creation, destruction, and the locking
 * and lookup helpers every operation shares.
 */
#include "abi.h"

#include <hv/string.h>

static bool config_ok(const struct hv_evtchn_config *cfg)
{
	return cfg->nr_vcpus >= 1 && cfg->nr_vcpus <= HV_EVTCHN_MAX_VCPUS &&
	       cfg->domid < DOMID_FIRST_RESERVED &&
	       (cfg->abi_2l || cfg->abi_fifo) && cfg->gmem && cfg->ops &&
	       cfg->ops->get_domain && cfg->ops->notify && cfg->alloc.alloc &&
	       cfg->alloc.free;
}

static void free_domain(struct hv_evtchn_domain *d)
{
	evtchn_table_destroy(d);
	if (d->pirq_port)
		evtchn_free(d, d->pirq_port,
			    d->cfg.nr_pirqs * sizeof(*d->pirq_port));
	if (d->vcpu)
		evtchn_free(d, d->vcpu, d->cfg.nr_vcpus * sizeof(*d->vcpu));
	evtchn_free(d, d, sizeof(*d));
}

/* Port 0 is never handed out: Xen reserves it, and FIFO uses 0 as "no
 * link". */
static int reserve_port0(struct hv_evtchn_domain *d)
{
	struct chn *chn;

	return evtchn_claim(d, 0, CHN_RESERVED, 0, &chn);
}

int hv_evtchn_domain_create(const struct hv_evtchn_config *cfg,
			    struct hv_evtchn_domain **out)
{
	struct hv_evtchn_domain *d;

	if (!config_ok(cfg))
		return -HV_EINVAL;
	d = cfg->alloc.alloc(cfg->alloc.opaque, sizeof(*d), 8);
	if (!d)
		return -HV_ENOMEM;
	memset(d, 0, sizeof(*d));
	d->cfg = *cfg;
	hv_spin_init(&d->lock);
	d->abi = cfg->abi_2l;
	d->vcpu = evtchn_zalloc(d, cfg->nr_vcpus * sizeof(*d->vcpu));
	if (cfg->nr_pirqs)
		d->pirq_port =
		    evtchn_zalloc(d, cfg->nr_pirqs * sizeof(*d->pirq_port));
	if (!d->vcpu || (cfg->nr_pirqs && !d->pirq_port) ||
	    reserve_port0(d) != 0) {
		free_domain(d);
		return -HV_ENOMEM;
	}
	*out = d;
	return 0;
}

static void close_all(struct hv_evtchn_domain *d)
{
	for (uint32_t port = 1; port < hv_atomic_load_u32(&d->valid_ports);
	     port++)
		(void)evtchn_close(d, port);
}

void hv_evtchn_domain_destroy(struct hv_evtchn_domain *d)
{
	const struct hv_evtchn_abi *abi;

	hv_spin_lock(&d->lock);
	d->dying = true;
	hv_spin_unlock(&d->lock);
	close_all(d);
	/* A peer closing its end may still be on its way to our lock. */
	while (hv_atomic_load_u32(&d->pins) != 0)
		hv_cpu_relax();
	abi = evtchn_abi(d);
	if (abi && abi->teardown)
		abi->teardown(d);
	evtchn_unpin_mappings(d);
	free_domain(d);
}

hv_domid_t hv_evtchn_domain_id(const struct hv_evtchn_domain *d)
{
	return d->cfg.domid;
}

unsigned int hv_evtchn_bound_ports(const struct hv_evtchn_domain *d)
{
	return hv_atomic_load_u32(&d->bound);
}

int evtchn_reset_domain(struct hv_evtchn_domain *d)
{
	const struct hv_evtchn_abi *abi;
	int rc = 0;

	close_all(d);
	hv_spin_lock(&d->lock);
	abi = d->abi;
	if (d->bound != 0) {
		/* Someone bound a port while we were closing (Xen: EAGAIN). */
		rc = -HV_EAGAIN;
	} else if (abi != d->cfg.abi_2l) {
		if (abi && abi->teardown)
			abi->teardown(d);
		evtchn_store_ptr(&d->abi, d->cfg.abi_2l);
		hv_log_info(d->cfg.log, "evtchn: d%u back to the %s ABI",
			    d->cfg.domid,
			    d->cfg.abi_2l ? d->cfg.abi_2l->name : "initial");
	}
	hv_spin_unlock(&d->lock);
	return rc;
}

/* Lock order between domains: by address, as Xen does. */
void evtchn_lock_pair(struct hv_evtchn_domain *a, struct hv_evtchn_domain *b)
{
	if (a == b) {
		hv_spin_lock(&a->lock);
	} else if (a < b) {
		hv_spin_lock(&a->lock);
		hv_spin_lock(&b->lock);
	} else {
		hv_spin_lock(&b->lock);
		hv_spin_lock(&a->lock);
	}
}

void evtchn_unlock_pair(struct hv_evtchn_domain *a, struct hv_evtchn_domain *b)
{
	if (a != b)
		hv_spin_unlock(&b->lock);
	hv_spin_unlock(&a->lock);
}

int evtchn_get_target(struct hv_evtchn_domain *d, hv_domid_t dom,
		      struct hv_evtchn_domain **out)
{
	if (dom == DOMID_SELF || dom == d->cfg.domid) {
		*out = d;
		return 0;
	}
	*out = d->cfg.ops->get_domain(d->cfg.ctx, dom);
	return *out ? 0 : -HV_ESRCH;
}

void evtchn_put_target(struct hv_evtchn_domain *d,
		       struct hv_evtchn_domain *target)
{
	if (target != d && d->cfg.ops->put_domain)
		d->cfg.ops->put_domain(d->cfg.ctx, target);
}
