/*
 * Hypercall dispatch, and what libhv-xen asks of the core.  A hypercall
 * goes to the image's extensions first (event channels, grant tables),
 * then memory_op to libhv-mm, then everything else to libhv-xen, which
 * answers -ENOSYS for what nobody handles.
 */
#include <hv/hyp.h>

#include <xen/sched.h>
#include <xen/xen.h>

#include "hyp_priv.h"

/* Whether an extension answers hypercall nr (and *ret). */
static bool extension_answers(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
			      uint64_t nr, const uint64_t args[5], long *ret)
{
	uint64_t bit = nr < 64 ? UINT64_C(1) << nr : 0;
	const struct hv_hyp_extension *e;
	unsigned int i;

	if (!(v->dom->hyp->ext_hypercalls & bit))
		return false;
	hyp_for_each_extension (v->dom->hyp, i, e)
		if ((e->hypercalls & bit) && e->hypercall &&
		    e->hypercall(v, nr, args, gm, ret))
			return true;
	return false;
}

static long dispatch(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
		     uint64_t nr, const uint64_t args[5])
{
	struct hv_hyp_domain *d = v->dom;
	long ret;

	if (extension_answers(v, gm, nr, args, &ret))
		return ret;
	if (nr == __HYPERVISOR_memory_op)
		return hyp_memory_op(v, gm, args[0], args[1]);
	if (nr == __HYPERVISOR_vcpu_op)
		return hyp_vcpu_op(v, gm, args[0], args[1], args[2]);
	/* Blocking is the core's: libhv-xen has no event channels. */
	if (nr == __HYPERVISOR_sched_op && args[0] == SCHEDOP_poll)
		return hyp_sched_poll(v, gm, args[1]);
	/* Reading the console is the initial domain's (libhv-xen refuses
	 * it to the others, as Xen does). */
	if (nr == __HYPERVISOR_console_io && args[0] == CONSOLEIO_read &&
	    d->privileged)
		return hyp_console_read(v, gm, args[1], args[2]);
	return hv_xen_hypercall(&d->xen, v->id, gm, nr, args);
}

long hv_hyp_hypercall(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
		      uint64_t nr, const uint64_t args[5])
{
	long ret = dispatch(v, gm, nr, args);

	hyp_trace(v->dom->hyp, HV_TRACE_HYPERCALL, v->dom->xen.id, v->id,
		  (uint32_t)nr, (uint32_t)ret);
	return ret;
}

static struct hv_hyp_domain *domain_of(struct hv_xen_domain *xd)
{
	return hv_container_of(xd, struct hv_hyp_domain, xen);
}

static void console_line(void *opaque, const char *line, size_t len)
{
	struct hv_hyp *h = opaque;

	h->arch->console_write(h, line, len);
	h->arch->console_write(h, "\n", 1);
}

/* Every vCPU stops; the domain stays until it is destroyed. */
static void shutdown(void *opaque, struct hv_xen_domain *xd,
		     unsigned int reason)
{
	struct hv_hyp *h = opaque;
	struct hv_hyp_domain *d = domain_of(xd);

	hyp_trace(h, HV_TRACE_DOMAIN_SHUTDOWN, d->xen.id, reason, 0, 0);
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		hv_hyp_vcpu_set_state(&d->vcpus[i], HV_HYP_VCPU_DOWN);
	/* The last one: pCPUs idle with no timer set hear of it only so,
	 * and leave their loops. */
	if (--h->live_domains == 0)
		for (unsigned int i = 0; i < h->nr_pcpus; i++)
			hyp_pcpu_resched(h, &h->pcpus[i]);
}

static void yield(void *opaque, struct hv_xen_domain *xd, hv_vcpuid_t vcpu)
{
	(void)opaque;
	hv_hyp_vcpu_yield(&domain_of(xd)->vcpus[vcpu]);
}

static void block(void *opaque, struct hv_xen_domain *xd, hv_vcpuid_t vcpu)
{
	(void)opaque;
	hv_hyp_vcpu_block(&domain_of(xd)->vcpus[vcpu]);
}

static hv_time_t now(void *opaque)
{
	return hyp_now(opaque);
}

static bool domain_exists(void *opaque, hv_domid_t id)
{
	return hv_hyp_domain_get(opaque, id) != NULL;
}

/* HVMOP_set_evtchn_upcall_vector (libhv-xen has checked the vector).  An
 * event already pending is signalled on the new vector at once, else a
 * guest that set its vector late would not hear of it until the next
 * event.  (Xen signals after every change, pending or not; hvkit gives
 * no such spurious upcall.) */
static int set_upcall_vector(void *opaque, struct hv_xen_domain *xd,
			     uint32_t vcpu, uint8_t vector)
{
	struct hv_hyp *h = opaque;
	struct hv_hyp_domain *d = domain_of(xd);
	struct hv_hyp_vcpu *v;

	if (vcpu >= d->nr_vcpus)
		return -HV_ENOENT;
	v = &d->vcpus[vcpu];
	v->upcall_vector = vector;
	if (h->arch->upcall && hyp_vcpu_event_pending(v))
		h->arch->upcall(v);
	return 0;
}

const struct hv_xen_ops hyp_xen_ops = {
    .console_line = console_line,
    .shutdown = shutdown,
    .yield = yield,
    .block = block,
    .now = now,
    .domain_exists = domain_exists,
    .set_upcall_vector = set_upcall_vector,
};
