/*
 * The event-channel extension: libhv-evtchn in an image.  Each domain gets
 * its channel state (both delivery ABIs), event_channel_op goes to the
 * library, the shared-info page is handed to it when the guest maps it,
 * and an event for a vCPU is signalled as the architecture does it
 * (hyp_arch_evtchn_upcall) and wakes the vCPU if it was blocked
 * (SCHEDOP_block, or the arch's idle instruction).  A recipe that does not
 * name hyp_evtchn links none of this.
 */
#include "hyp_common.h"

#include <hv/evtchn.h>
#include <xen/xen.h>

static void *alloc(void *opaque, size_t size, size_t align)
{
	(void)align; /* pages are aligned beyond the 64 bytes asked at most */
	return hyp_alloc_bytes(opaque, size);
}

static void release(void *opaque, void *ptr, size_t size)
{
	hyp_free_bytes(opaque, ptr, size);
}

static struct hv_evtchn_domain *get_domain(void *ctx, hv_domid_t domid)
{
	struct hyp *h = ctx;

	return domid < h->nr_domains ? h->domains[domid].evtchn : NULL;
}

static void notify(void *ctx, struct hv_evtchn_domain *ed, hv_vcpuid_t vcpu)
{
	struct hyp *h = ctx;
	struct domain *d = &h->domains[hv_evtchn_domain_id(ed)];
	struct vcpu *v;

	if (vcpu >= d->nr_vcpus)
		return;
	v = &d->vcpus[vcpu];
	hyp_arch_evtchn_upcall(h, v);
	if (v->state == VCPU_BLOCKED)
		hyp_vcpu_set_state(h, v, VCPU_RUNNABLE);
}

static const struct hv_evtchn_ops ops = {
    .get_domain = get_domain,
    .notify = notify,
};

static int domain_build(struct hyp *h, struct domain *d)
{
	struct hv_evtchn_config cfg = {
	    .domid = d->xen.id,
	    .nr_vcpus = d->nr_vcpus,
	    .abi_2l = &hv_evtchn_2l,
	    .abi_fifo = &hv_evtchn_fifo,
	    .gmem = &d->guest_phys, /* what the library keeps mapped */
	    .ops = &ops,
	    .ctx = h,
	    .alloc = {.alloc = alloc, .free = release, .opaque = h},
	    .log = &h->log,
	};

	return hv_evtchn_domain_create(&cfg, &d->evtchn);
}

static bool hypercall(struct vcpu *v, uint64_t nr, const uint64_t args[5],
		      const struct hv_gmem *gm, long *ret)
{
	if (nr != __HYPERVISOR_event_channel_op)
		return false;
	*ret = hv_evtchn_hypercall(v->dom->evtchn, gm, (unsigned int)args[0],
				   args[1]);
	return true;
}

static void shared_info_mapped(struct domain *d, hv_gpaddr_t gpa)
{
	hv_evtchn_map_shared_info(d->evtchn, gpa);
}

static bool pending(const struct vcpu *v)
{
	return hv_evtchn_upcall_pending(v->dom->evtchn, v->id);
}

const struct hyp_extension hyp_evtchn = {
    .name = "event channels (2-level, FIFO)",
    .domain_build = domain_build,
    .hypercall = hypercall,
    .shared_info_mapped = shared_info_mapped,
    .pending = pending,
};
