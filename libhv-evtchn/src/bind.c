/*
 * The EVTCHNOP_bind_* family and alloc_unbound: find the lowest free port,
 * check what Xen checks in the order Xen checks it, and only then claim the
 * port, so that a failed bind changes nothing.
 */
#include "abi.h"

int evtchn_alloc_unbound(struct hv_evtchn_domain *d,
			 struct evtchn_alloc_unbound *op)
{
	struct hv_evtchn_domain *t;
	struct chn *chn;
	int port;
	int rc = evtchn_get_target(d, op->dom, &t);

	if (rc)
		return rc;
	hv_spin_lock(&t->lock);
	port = rc = evtchn_find_free(t);
	if (rc >= 0)
		rc = evtchn_may_target(d, t) ? 0 : -HV_EPERM;
	if (rc == 0)
		rc = evtchn_claim(t, (uint32_t)port, CHN_UNBOUND, 0, &chn);
	if (rc == 0) {
		/* DOMID_SELF names the caller, even when t is another. */
		chn->u.unbound_domid = op->remote_dom == DOMID_SELF
					   ? d->cfg.domid
					   : op->remote_dom;
		op->port = (evtchn_port_t)port;
	}
	hv_spin_unlock(&t->lock);
	evtchn_put_target(d, t);
	return rc;
}

int hv_evtchn_alloc_hypervisor(struct hv_evtchn_domain *d)
{
	struct chn *chn;
	int port;
	int rc;

	hv_spin_lock(&d->lock);
	port = rc = evtchn_find_free(d);
	if (rc >= 0)
		rc = evtchn_claim(d, (uint32_t)port, CHN_UNBOUND, 0, &chn);
	if (rc == 0) {
		/* No domain has this id: nobody can bind the port. */
		chn->u.unbound_domid = DOMID_XEN;
		chn->hypervisor = 1;
		rc = port;
	}
	hv_spin_unlock(&d->lock);
	return rc;
}

/* Whether rd's port rport waits for a binding from ld. */
static bool accepts(struct hv_evtchn_domain *rd, uint32_t rport,
		    const struct hv_evtchn_domain *ld)
{
	const struct chn *rchn;

	if (!evtchn_port_valid(rd, rport))
		return false;
	rchn = evtchn_chn(rd, rport);
	return rchn->state == CHN_UNBOUND &&
	       rchn->u.unbound_domid == ld->cfg.domid;
}

static int connect(struct hv_evtchn_domain *ld, struct hv_evtchn_domain *rd,
		   uint32_t rport)
{
	struct chn *lchn, *rchn;
	int lport = evtchn_find_free(ld);
	int rc;

	if (lport < 0)
		return lport;
	if (!accepts(rd, rport, ld))
		return -HV_EINVAL;
	rc = evtchn_claim(ld, (uint32_t)lport, CHN_INTERDOMAIN, 0, &lchn);
	if (rc)
		return rc;
	rchn = evtchn_chn(rd, rport);
	lchn->remote = rd;
	lchn->u.remote_port = rport;
	rchn->remote = ld;
	rchn->u.remote_port = (uint32_t)lport;
	rchn->state = CHN_INTERDOMAIN;
	/* The peer may have sent while its end was unbound: that was
	 * dropped, so raise the new end unconditionally, as Xen does. */
	evtchn_set_pending(ld, chn_notify_vcpu(lchn), lchn, (uint32_t)lport);
	return lport;
}

int evtchn_bind_interdomain(struct hv_evtchn_domain *d,
			    struct evtchn_bind_interdomain *op)
{
	struct hv_evtchn_domain *rd;
	int rc = evtchn_get_target(d, op->remote_dom, &rd);

	if (rc)
		return rc;
	evtchn_lock_pair(d, rd);
	rc = connect(d, rd, op->remote_port);
	evtchn_unlock_pair(d, rd);
	evtchn_put_target(d, rd);
	if (rc < 0)
		return rc;
	op->local_port = (evtchn_port_t)rc;
	return 0;
}

/* Bind the lowest free port of d in `state` to `vcpu`; under d->lock. */
static int bind_local(struct hv_evtchn_domain *d, enum chn_state state,
		      hv_vcpuid_t vcpu, struct chn **chn)
{
	int port = evtchn_find_free(d);
	int rc;

	if (port < 0)
		return port;
	rc = evtchn_claim(d, (uint32_t)port, state, vcpu, chn);
	return rc ? rc : port;
}

int evtchn_bind_virq(struct hv_evtchn_domain *d, struct evtchn_bind_virq *op)
{
	uint32_t *slot;
	struct chn *chn;
	int rc;

	if (op->virq >= NR_VIRQS)
		return -HV_EINVAL;
	/* Global VIRQs are bound on vCPU 0 and may move later. */
	if (evtchn_virq_is_global(op->virq) && op->vcpu != 0)
		return -HV_EINVAL;
	if (op->vcpu >= d->cfg.nr_vcpus)
		return -HV_ENOENT;
	slot = &d->vcpu[op->vcpu].virq_port[op->virq];
	hv_spin_lock(&d->lock);
	rc = *slot ? -HV_EEXIST : bind_local(d, CHN_VIRQ, op->vcpu, &chn);
	if (rc > 0) {
		chn->u.virq = op->virq;
		*slot = (uint32_t)rc;
		op->port = (evtchn_port_t)rc;
	}
	hv_spin_unlock(&d->lock);
	return rc < 0 ? rc : 0;
}

int evtchn_bind_ipi(struct hv_evtchn_domain *d, struct evtchn_bind_ipi *op)
{
	struct chn *chn;
	int rc;

	if (op->vcpu >= d->cfg.nr_vcpus)
		return -HV_ENOENT;
	hv_spin_lock(&d->lock);
	rc = bind_local(d, CHN_IPI, op->vcpu, &chn);
	hv_spin_unlock(&d->lock);
	if (rc < 0)
		return rc;
	op->port = (evtchn_port_t)rc;
	return 0;
}

/*
 * PIRQs of HVM and PVH guests: Xen checks no access rights for them (the
 * device model or the image decides which PIRQs a guest has) and ignores
 * BIND_PIRQ__WILL_SHARE, which only PV guests' physical IRQs use.
 */
int evtchn_bind_pirq(struct hv_evtchn_domain *d, struct evtchn_bind_pirq *op)
{
	struct chn *chn;
	int rc;

	if (op->pirq >= d->cfg.nr_pirqs)
		return -HV_EINVAL;
	hv_spin_lock(&d->lock);
	rc = d->pirq_port[op->pirq] ? -HV_EEXIST
				    : bind_local(d, CHN_PIRQ, 0, &chn);
	if (rc > 0) {
		chn->u.pirq = op->pirq;
		d->pirq_port[op->pirq] = (uint32_t)rc;
		op->port = (evtchn_port_t)rc;
	}
	hv_spin_unlock(&d->lock);
	return rc < 0 ? rc : 0;
}
