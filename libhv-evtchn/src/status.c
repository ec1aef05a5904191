/* EVTCHNOP_status: what a port is bound to. */
#include "abi.h"

static void describe(const struct chn *chn, struct evtchn_status *op)
{
	switch (chn->state) {
	case CHN_UNBOUND:
		op->status = EVTCHNSTAT_unbound;
		op->u.unbound.dom = chn->u.unbound_domid;
		break;
	case CHN_INTERDOMAIN:
		op->status = EVTCHNSTAT_interdomain;
		op->u.interdomain.dom = chn->remote->cfg.domid;
		op->u.interdomain.port = chn->u.remote_port;
		break;
	case CHN_PIRQ:
		op->status = EVTCHNSTAT_pirq;
		op->u.pirq = chn->u.pirq;
		break;
	case CHN_VIRQ:
		op->status = EVTCHNSTAT_virq;
		op->u.virq = chn->u.virq;
		break;
	case CHN_IPI:
		op->status = EVTCHNSTAT_ipi;
		break;
	default: /* free, or reserved port 0 */
		op->status = EVTCHNSTAT_closed;
		break;
	}
	op->vcpu = chn_notify_vcpu(chn);
}

int evtchn_status(struct hv_evtchn_domain *d, struct evtchn_status *op)
{
	struct hv_evtchn_domain *t;
	int rc = evtchn_get_target(d, op->dom, &t);

	if (rc)
		return rc;
	hv_spin_lock(&t->lock);
	if (!evtchn_port_valid(t, op->port))
		rc = -HV_EINVAL;
	else if (!evtchn_may_target(d, t))
		rc = -HV_EPERM;
	else
		describe(evtchn_chn(t, op->port), op);
	hv_spin_unlock(&t->lock);
	evtchn_put_target(d, t);
	return rc;
}
