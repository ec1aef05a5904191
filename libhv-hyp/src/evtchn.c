/*
 * The event-channel extension: libhv-evtchn in the core.  Each domain gets
 * its channel state (both delivery ABIs), event_channel_op goes to the
 * library, the shared-info page is handed to it when the guest maps it,
 * and an event for a vCPU becomes the arch's upcall and wakes the vCPU if
 * it was blocked.  An image that does not name hv_hyp_evtchn links none
 * of this.
 */
#include <hv/evtchn.h>
#include <hv/hyp.h>

#include <xen/xen.h>

#include "hyp_priv.h"

static struct hv_evtchn_domain *get_domain(void *ctx, hv_domid_t domid)
{
	return hyp_ext_state(ctx, domid, &hv_hyp_evtchn);
}

static void notify(void *ctx, struct hv_evtchn_domain *ed, hv_vcpuid_t vcpu)
{
	struct hv_hyp_domain *d =
	    hv_hyp_domain_get(ctx, hv_evtchn_domain_id(ed));

	if (d && vcpu < d->nr_vcpus) {
		hyp_trace(d->hyp, HV_TRACE_EVTCHN_UPCALL, d->xen.id, vcpu, 0,
			  0);
		hv_hyp_vcpu_notify(&d->vcpus[vcpu]);
	}
}

/* A port raised, masked or not: a vCPU polling it wakes. */
static void raised(void *ctx, struct hv_evtchn_domain *ed, hv_vcpuid_t vcpu,
		   evtchn_port_t port)
{
	struct hv_hyp_domain *d =
	    hv_hyp_domain_get(ctx, hv_evtchn_domain_id(ed));

	if (!d)
		return;
	hyp_trace(d->hyp, HV_TRACE_EVTCHN_RAISED, d->xen.id, vcpu, port, 0);
	hv_hyp_port_raised(d, port);
}

/* The guest sent on a port the core holds: whichever extension owns it
 * (the console ring's) answers. */
static void hypervisor_send(void *ctx, struct hv_evtchn_domain *ed,
			    evtchn_port_t port)
{
	struct hv_hyp_domain *d =
	    hv_hyp_domain_get(ctx, hv_evtchn_domain_id(ed));
	const struct hv_hyp_extension *e;
	unsigned int i;

	if (!d)
		return;
	hyp_for_each_extension (d->hyp, i, e)
		if (e->port_sent)
			e->port_sent(d, d->ext[i], port);
}

static const struct hv_evtchn_ops ops = {
    .get_domain = get_domain,
    .notify = notify,
    .raised = raised,
    .hypervisor_send = hypervisor_send,
};

static int domain_create(struct hv_hyp_domain *d, void **state)
{
	struct hv_hyp *h = d->hyp;
	struct hv_evtchn_config cfg = {
	    .domid = d->xen.id,
	    .nr_vcpus = d->nr_vcpus,
	    .abi_2l = &hv_evtchn_2l,
	    .abi_fifo = &hv_evtchn_fifo,
	    .gmem = &d->guest_phys, /* what the library keeps mapped */
	    .ops = &ops,
	    .ctx = h,
	    .alloc = {.alloc = hyp_ext_alloc,
		      .free = hyp_ext_free,
		      .opaque = h},
	    .log = &h->log,
	};

	return hv_evtchn_domain_create(&cfg, (struct hv_evtchn_domain **)state);
}

static void domain_destroy(struct hv_hyp_domain *d, void *state)
{
	(void)d;
	hv_evtchn_domain_destroy(state);
}

static bool hypercall(struct hv_hyp_vcpu *v, uint64_t nr,
		      const uint64_t args[5], const struct hv_gmem *gm,
		      long *ret)
{
	(void)nr; /* event_channel_op, the only one offered */
	*ret = hv_evtchn_hypercall(
	    hyp_ext_state(v->dom->hyp, v->dom->xen.id, &hv_hyp_evtchn), gm,
	    (unsigned int)args[0], args[1]);
	return true;
}

static void shared_info_mapped(struct hv_hyp_domain *d, void *state,
			       hv_gpaddr_t gpa)
{
	(void)d;
	hv_evtchn_map_shared_info(state, gpa);
}

static int vcpu_info_mapped(struct hv_hyp_vcpu *v, void *state, hv_gpaddr_t gpa)
{
	return hv_evtchn_map_vcpu_info(state, v->id, gpa);
}

static void raise_virq(struct hv_hyp_vcpu *v, void *state, uint32_t virq)
{
	hv_evtchn_raise_virq(state, virq, v->id);
}

static int port_pending(struct hv_hyp_vcpu *v, void *state, uint32_t port)
{
	(void)v;
	return hv_evtchn_port_pending(state, port);
}

static bool pending(struct hv_hyp_vcpu *v, void *state)
{
	return hv_evtchn_upcall_pending(state, v->id);
}

const struct hv_hyp_extension hv_hyp_evtchn = {
    .name = "event channels (2-level, FIFO)",
    .domain_create = domain_create,
    .domain_destroy = domain_destroy,
    .hypercalls = UINT64_C(1) << __HYPERVISOR_event_channel_op,
    .hypercall = hypercall,
    .shared_info_mapped = shared_info_mapped,
    .vcpu_info_mapped = vcpu_info_mapped,
    .raise_virq = raise_virq,
    .pending = pending,
    .port_pending = port_pending,
};
