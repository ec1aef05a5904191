/*
 * EVTCHNOP_send: the hot path.  The sender holds only its own domain's
 * lock; for an interdomain channel that is enough to read the peer's end,
 * which cannot change state without this lock too (see internal.h).
 */
#include "abi.h"

int evtchn_send(struct hv_evtchn_domain *d, uint32_t port)
{
	struct chn *chn, *rchn;
	bool to_hypervisor = false;
	int rc = 0;

	hv_spin_lock(&d->lock);
	if (HV_UNLIKELY(!evtchn_port_valid(d, port))) {
		hv_spin_unlock(&d->lock);
		return -HV_EINVAL;
	}
	chn = evtchn_chn(d, port);
	switch (chn->state) {
	case CHN_INTERDOMAIN:
		rchn = evtchn_chn(chn->remote, chn->u.remote_port);
		evtchn_set_pending(chn->remote, chn_notify_vcpu(rchn), rchn,
				   chn->u.remote_port);
		break;
	case CHN_IPI:
		evtchn_set_pending(d, chn_notify_vcpu(chn), chn, port);
		break;
	case CHN_UNBOUND:
		/* Nobody listens yet: dropped; binding will raise the port.
		 * Unless the hypervisor is the other end. */
		to_hypervisor = chn->hypervisor;
		break;
	default:
		rc = -HV_EINVAL;
		break;
	}
	hv_spin_unlock(&d->lock);
	/* Outside the lock: the hypervisor answers through the library. */
	if (to_hypervisor && d->cfg.ops->hypervisor_send)
		d->cfg.ops->hypervisor_send(d->cfg.ctx, d, port);
	return rc;
}
