/*
 * SCHEDOP_poll, as Xen's do_poll: the vCPU blocks until one of the ports
 * it names is raised (masked or not: this is how a guest waits on a port
 * it keeps masked, as Linux's paravirtual spinlocks do), an event upcall
 * is due, or the timeout passes.  It returns at once when one is already
 * pending.  The event-channel extension answers which ports are pending
 * and reports every raised port (hv_hyp_port_raised).
 */
#include <hv/hyp.h>

#include <xen/event_channel.h>
#include <xen/sched.h>

#include "hyp_priv.h"

/* Xen's limit on the ports one poll may name. */
#define MAX_POLL_PORTS 128

static const struct hv_hyp_extension *port_extension(struct hv_hyp *h,
						     unsigned int *i)
{
	const struct hv_hyp_extension *e;

	hyp_for_each_extension (h, *i, e)
		if (e->port_pending)
			return e;
	return NULL;
}

/* Whether one of the ports is pending (1), none (0), or a fault or a bad
 * port (-HV_E*); *last is the last port read. */
static int any_pending(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
		       const struct sched_poll *sp,
		       const struct hv_hyp_extension *e, void *state,
		       evtchn_port_t *last)
{
	uint64_t ports = (uint64_t)(uintptr_t)sp->ports.p;

	for (unsigned int i = 0; i < sp->nr_ports; i++) {
		int r;

		if (hv_gmem_copy_from(gm, last, ports + i * sizeof(*last),
				      sizeof(*last)))
			return -HV_EFAULT;
		r = e->port_pending(v, state, *last);
		if (r)
			return r;
	}
	return 0;
}

long hyp_sched_poll(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
		    uint64_t arg)
{
	struct hv_hyp *h = v->dom->hyp;
	const struct hv_hyp_extension *e;
	struct sched_poll sp;
	evtchn_port_t port = 0;
	unsigned int i;
	int r;

	if (hv_gmem_copy_from(gm, &sp, arg, sizeof(sp)))
		return -HV_EFAULT;
	if (sp.nr_ports > MAX_POLL_PORTS)
		return -HV_EINVAL;
	e = port_extension(h, &i);
	if (!e)
		return -HV_ENOSYS; /* no event channels to poll */
	/* An upcall due, or a port pending: no wait. */
	if (hyp_vcpu_event_pending(v))
		return 0;
	r = any_pending(v, gm, &sp, e, v->dom->ext[i], &port);
	if (r)
		return r < 0 ? r : 0;
	v->poll_port = sp.nr_ports == 1 ? (int64_t)port : -1;
	v->poll_deadline = HV_TIME_NEVER;
	if (sp.timeout)
		v->poll_deadline = sp.timeout > (uint64_t)INT64_MAX
				       ? INT64_MAX
				       : (hv_time_t)sp.timeout;
	hv_hyp_vcpu_set_state(v, HV_HYP_VCPU_BLOCKED);
	v->polling = true;
	hyp_timers_changed(v);
	return 0;
}

void hv_hyp_port_raised(struct hv_hyp_domain *d, uint32_t port)
{
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		struct hv_hyp_vcpu *v = &d->vcpus[i];

		if (v->polling && (v->poll_port < 0 || v->poll_port == port))
			hv_hyp_vcpu_wake(v);
	}
}
