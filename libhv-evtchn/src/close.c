/*
 * EVTCHNOP_close.  Closing one end of an interdomain channel puts the other
 * end back to unbound, which takes both domains' locks in address order.
 * When the peer's lock comes first, ours is dropped and retaken; the peer
 * is pinned meanwhile so that hv_evtchn_domain_destroy cannot free it
 * under us, and the channel is looked at afresh once both are held.
 */
#include "abi.h"

/* Undo what binding in the channel's state recorded elsewhere. */
static void unhook(struct hv_evtchn_domain *d, struct chn *chn)
{
	switch (chn->state) {
	case CHN_VIRQ: {
		hv_vcpuid_t v = evtchn_virq_is_global(chn->u.virq)
				    ? 0
				    : chn_notify_vcpu(chn);

		d->vcpu[v].virq_port[chn->u.virq] = 0;
		break;
	}
	case CHN_PIRQ:
		d->pirq_port[chn->u.pirq] = 0;
		break;
	case CHN_INTERDOMAIN: {
		struct chn *peer = evtchn_chn(chn->remote, chn->u.remote_port);

		/* The peer's end waits for a new binding from us (Xen). */
		peer->state = CHN_UNBOUND;
		peer->remote = NULL;
		peer->u.unbound_domid = d->cfg.domid;
		break;
	}
	default:
		break;
	}
}

/* A channel that is interdomain to another domain, or NULL. */
static struct hv_evtchn_domain *foreign_peer(struct hv_evtchn_domain *d,
					     uint32_t port)
{
	const struct chn *chn = evtchn_chn(d, port);

	if (chn->state != CHN_INTERDOMAIN || chn->remote == d)
		return NULL;
	return chn->remote;
}

/* With d locked and `peer` the channel's remote: lock the peer too.  Returns
 * false if the channel changed while d was unlocked (d is locked again). */
static bool lock_peer(struct hv_evtchn_domain *d, uint32_t port,
		      struct hv_evtchn_domain *peer)
{
	if (d < peer) {
		hv_spin_lock(&peer->lock);
		return true;
	}
	hv_atomic_fetch_add_u32(&peer->pins, 1);
	hv_spin_unlock(&d->lock);
	evtchn_lock_pair(d, peer);
	if (foreign_peer(d, port) == peer) {
		hv_atomic_fetch_sub_u32(&peer->pins, 1);
		return true;
	}
	hv_spin_unlock(&peer->lock);
	hv_atomic_fetch_sub_u32(&peer->pins, 1);
	return false;
}

int evtchn_close(struct hv_evtchn_domain *d, uint32_t port)
{
	struct hv_evtchn_domain *peer;
	struct chn *chn;

	hv_spin_lock(&d->lock);
	for (;;) {
		if (!evtchn_port_valid(d, port) ||
		    !chn_is_bound(evtchn_chn(d, port))) {
			hv_spin_unlock(&d->lock);
			return -HV_EINVAL;
		}
		peer = foreign_peer(d, port);
		if (!peer || lock_peer(d, port, peer))
			break;
	}
	chn = evtchn_chn(d, port);
	unhook(d, chn);
	evtchn_release(d, chn, port);
	if (peer)
		hv_spin_unlock(&peer->lock);
	hv_spin_unlock(&d->lock);
	return 0;
}
