/*
 * A vCPU's pvclock (Xen's struct vcpu_time_info, in its vcpu_info): where
 * it lives and when it is written.  Xen rewrites it when the vCPU is
 * scheduled and when its vcpu_info moves; hvkit does the same, when a
 * pCPU takes the vCPU and after each of its hypercalls (the one that
 * registers a vcpu_info or maps the shared-info page among them).  The
 * TSC runs at a constant rate and is not intercepted, so the record stays
 * right between two writes.
 */
#include "priv.h"

#include <hv/x86_xen.h>

#include <xen/xen.h>

/* Where v's vcpu_info is: the one it registered, else its slot in the
 * shared-info page (only the first XEN_LEGACY_MAX_VCPUS have one), else
 * nowhere. */
static struct vcpu_info *vcpu_info(struct hv_hyp_vcpu *v)
{
	struct hv_hyp_domain *d = v->dom;
	shared_info_t *s;
	void *p;

	if (v->vcpu_info_registered)
		return hv_gmem_map(&d->guest_phys, v->vcpu_info_gpa,
				   sizeof(struct vcpu_info), 8, HV_GMEM_WRITE,
				   &p)
			   ? NULL
			   : p;
	if (v->id >= XEN_LEGACY_MAX_VCPUS)
		return NULL;
	s = d->hyp->arch->phys_to_virt(d->hyp, hv_mfn_to_paddr(d->shared_info));
	return &s->vcpu_info[v->id];
}

void hyp_x86_time_update(struct hv_hyp_vcpu *v)
{
	const struct hv_x86_timer *t = &x86_of(v->dom->hyp)->timer;
	struct vcpu_info *vi = vcpu_info(v);
	uint64_t tsc;

	if (!vi)
		return;
	tsc = hv_x86_rdtsc();
	hv_x86_xen_time_update(&vi->time,
			       tsc + vcpu_arch(v)->cpu.vmcb->control.tsc_offset,
			       hv_x86_ticks_to_ns(tsc, t->tsc_hz), t->tsc_hz);
}
