/*
 * Events the hypervisor raises itself: on a port it owns, on a VIRQ, on a
 * PIRQ.  Each takes the domain's lock, like a guest's send on its own port.
 */
#include "abi.h"

int hv_evtchn_raise(struct hv_evtchn_domain *d, evtchn_port_t port)
{
	struct chn *chn;
	int rc = -HV_EINVAL;

	hv_spin_lock(&d->lock);
	if (evtchn_port_valid(d, port)) {
		chn = evtchn_chn(d, port);
		if (chn_is_bound(chn)) {
			evtchn_set_pending(d, chn_notify_vcpu(chn), chn, port);
			rc = 0;
		}
	}
	hv_spin_unlock(&d->lock);
	return rc;
}

/* Raise the channel bound at *slot, if any: 1 if raised, 0 if none. */
static int raise_bound(struct hv_evtchn_domain *d, const uint32_t *slot)
{
	struct chn *chn;
	uint32_t port;

	hv_spin_lock(&d->lock);
	port = *slot;
	if (port != 0) {
		chn = evtchn_chn(d, port);
		evtchn_set_pending(d, chn_notify_vcpu(chn), chn, port);
	}
	hv_spin_unlock(&d->lock);
	return port != 0;
}

int hv_evtchn_raise_virq(struct hv_evtchn_domain *d, uint32_t virq,
			 hv_vcpuid_t vcpu)
{
	if (virq >= NR_VIRQS || (evtchn_virq_is_global(virq) && vcpu != 0))
		return -HV_EINVAL;
	if (vcpu >= d->cfg.nr_vcpus)
		return -HV_ENOENT;
	return raise_bound(d, &d->vcpu[vcpu].virq_port[virq]);
}

int hv_evtchn_raise_pirq(struct hv_evtchn_domain *d, uint32_t pirq)
{
	if (pirq >= d->cfg.nr_pirqs)
		return -HV_EINVAL;
	return raise_bound(d, &d->pirq_port[pirq]);
}
