/*
 * Delivery shared by both ABIs: where an event goes when the ABI has no
 * place for it yet, and how a vCPU learns that it has events.
 */
#include "abi.h"

void evtchn_set_pending(struct hv_evtchn_domain *d, hv_vcpuid_t vcpu,
			struct chn *chn, uint32_t port)
{
	const struct hv_evtchn_abi *abi = evtchn_abi(d);

	if (abi)
		abi->set_pending(d, vcpu, chn, port);
	else
		hv_atomic_store_u8(&chn->stashed, 1);
	if (d->cfg.ops->raised)
		d->cfg.ops->raised(d->cfg.ctx, d, vcpu, port);
}

int hv_evtchn_port_pending(struct hv_evtchn_domain *d, evtchn_port_t port)
{
	const struct hv_evtchn_abi *abi;
	int pending = 0;

	hv_spin_lock(&d->lock);
	abi = evtchn_abi(d);
	if (port >= evtchn_port_limit(d)) {
		pending = -HV_EINVAL;
	} else if (evtchn_port_valid(d, port)) {
		struct chn *chn = evtchn_chn(d, port);

		pending = chn_is_bound(chn) &&
			  (abi ? abi->is_pending(d, chn, port)
			       : hv_atomic_load_u8(&chn->stashed));
	}
	hv_spin_unlock(&d->lock);
	return pending;
}

void evtchn_replay_stashed(struct hv_evtchn_domain *d, uint32_t first,
			   uint32_t last)
{
	uint32_t valid = hv_atomic_load_u32(&d->valid_ports);

	for (uint32_t port = first; port < last && port < valid; port++) {
		struct chn *chn = evtchn_chn(d, port);

		if (chn_is_bound(chn) && hv_atomic_xchg_u8(&chn->stashed, 0))
			evtchn_set_pending(d, chn_notify_vcpu(chn), chn, port);
	}
}

struct vcpu_info *evtchn_vcpu_info(const struct hv_evtchn_domain *d,
				   hv_vcpuid_t vcpu)
{
	struct vcpu_info *info = evtchn_load_ptr(&d->vcpu[vcpu].info);
	struct shared_info *shared;

	if (info)
		return info;
	shared = evtchn_load_ptr(&d->shared);
	if (shared && vcpu < XEN_LEGACY_MAX_VCPUS)
		return &shared->vcpu_info[vcpu];
	return NULL;
}

void evtchn_mark_upcall(struct hv_evtchn_domain *d, hv_vcpuid_t vcpu)
{
	struct vcpu_info *info = evtchn_vcpu_info(d, vcpu);

	/* Without a vcpu_info there is no flag to coalesce on. */
	if (info &&
	    (hv_atomic_fetch_or_u8(&info->evtchn_upcall_pending, 1) & 1))
		return;
	d->cfg.ops->notify(d->cfg.ctx, d, vcpu);
}
