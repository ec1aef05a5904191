/*
 * The operations that change how a bound port is delivered: bind_vcpu,
 * unmask, set_priority, and reset.
 */
#include "abi.h"

/* Whether a channel in this state may move to another vCPU (Xen: IPIs and
 * per-vCPU VIRQs stay where they were bound). */
static bool may_move(const struct chn *chn)
{
	switch (chn->state) {
	case CHN_VIRQ:
		return evtchn_virq_is_global(chn->u.virq);
	case CHN_UNBOUND:
	case CHN_INTERDOMAIN:
	case CHN_PIRQ:
		return true;
	default:
		return false;
	}
}

int evtchn_bind_vcpu(struct hv_evtchn_domain *d,
		     const struct evtchn_bind_vcpu *op)
{
	struct chn *chn;
	int rc = -HV_EINVAL;

	if (op->vcpu >= d->cfg.nr_vcpus)
		return -HV_ENOENT;
	hv_spin_lock(&d->lock);
	if (evtchn_port_valid(d, op->port)) {
		chn = evtchn_chn(d, op->port);
		if (may_move(chn)) {
			/* Events already queued stay where they are. */
			hv_atomic_store_u32(&chn->notify_vcpu, op->vcpu);
			rc = 0;
		}
	}
	hv_spin_unlock(&d->lock);
	return rc;
}

int evtchn_unmask(struct hv_evtchn_domain *d, uint32_t port)
{
	const struct hv_evtchn_abi *abi;
	struct chn *chn;

	hv_spin_lock(&d->lock);
	if (!evtchn_port_valid(d, port)) {
		hv_spin_unlock(&d->lock);
		return -HV_EINVAL;
	}
	chn = evtchn_chn(d, port);
	abi = d->abi;
	/* Closed ports are left alone, but that is no error (Xen). */
	if (chn_is_bound(chn) && abi)
		abi->unmask(d, chn, port);
	hv_spin_unlock(&d->lock);
	return 0;
}

int evtchn_set_priority(struct hv_evtchn_domain *d,
			const struct evtchn_set_priority *op)
{
	const struct hv_evtchn_abi *abi;
	struct chn *chn;
	int rc;

	hv_spin_lock(&d->lock);
	abi = d->abi;
	if (!evtchn_port_valid(d, op->port)) {
		rc = -HV_EINVAL;
	} else if (!abi || !abi->set_priority) {
		rc = -HV_ENOSYS;
	} else {
		chn = evtchn_chn(d, op->port);
		rc = chn_is_bound(chn) ? abi->set_priority(d, chn, op->priority)
				       : -HV_EACCES;
	}
	hv_spin_unlock(&d->lock);
	return rc;
}

int evtchn_init_control(struct hv_evtchn_domain *d,
			struct evtchn_init_control *op)
{
	const struct hv_evtchn_abi *fifo = d->cfg.abi_fifo;
	int rc;

	if (!fifo)
		return -HV_EOPNOTSUPP;
	hv_spin_lock(&d->lock);
	rc = fifo->init_control(d, op);
	hv_spin_unlock(&d->lock);
	return rc;
}

int evtchn_expand_array(struct hv_evtchn_domain *d,
			const struct evtchn_expand_array *op)
{
	const struct hv_evtchn_abi *fifo = d->cfg.abi_fifo;
	int rc;

	if (!fifo)
		return -HV_EOPNOTSUPP;
	hv_spin_lock(&d->lock);
	rc = d->abi == fifo ? fifo->expand_array(d, op->array_gfn)
			    : -HV_EOPNOTSUPP;
	hv_spin_unlock(&d->lock);
	return rc;
}

int evtchn_reset(struct hv_evtchn_domain *d, const struct evtchn_reset *op)
{
	struct hv_evtchn_domain *t;
	int rc = evtchn_get_target(d, op->dom, &t);

	if (rc)
		return rc;
	rc = evtchn_may_target(d, t) ? evtchn_reset_domain(t) : -HV_EPERM;
	evtchn_put_target(d, t);
	return rc;
}
