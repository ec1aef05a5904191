/*
 * HYPERVISOR_vcpu_op, as Xen answers it: bringing vCPUs up and down, their
 * runstate, their singleshot and periodic timers (each raises VIRQ_TIMER
 * through the event-channel extension), and where their vcpu_info lives.
 * Which sub-ops a guest may make is its architecture's (x86 HVM: all
 * these, -ENOSYS for others; Arm: only the two registrations, -EINVAL for
 * others).
 */
#include <hv/hyp.h>

#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/xen.h>

#include "hyp_priv.h"

/* Xen's longest timer interval (STIME_DELTA_MAX: 2^62 ns). */
#define TIMER_DELTA_MAX (INT64_C(1) << 62)

void hyp_runstate_set(struct hv_hyp_vcpu *v, unsigned int state, hv_time_t now)
{
	if (now > v->runstate_entry)
		v->runstate_time[v->runstate] +=
		    (uint64_t)(now - v->runstate_entry);
	v->runstate_entry = now;
	v->runstate = state;
}

static void runstate_get(struct hv_hyp_vcpu *v, struct vcpu_runstate_info *r)
{
	hv_time_t now = hyp_now(v->dom->hyp);

	r->state = (int)v->runstate;
	r->state_entry_time = (uint64_t)v->runstate_entry;
	for (unsigned int i = 0; i < 4; i++)
		r->time[i] = v->runstate_time[i];
	if (now > v->runstate_entry)
		r->time[v->runstate] += (uint64_t)(now - v->runstate_entry);
}

/* The extension that maps vcpu_info pages (event channels), if any. */
static int vcpu_info_mapped(struct hv_hyp_vcpu *v, hv_gpaddr_t gpa)
{
	struct hv_hyp *h = v->dom->hyp;
	const struct hv_hyp_extension *e;
	unsigned int i;

	hyp_for_each_extension (h, i, e)
		if (e->vcpu_info_mapped)
			return e->vcpu_info_mapped(v, v->dom->ext[i], gpa);
	return 0;
}

void hyp_raise_virq(struct hv_hyp_vcpu *v, uint32_t virq)
{
	const struct hv_hyp_extension *e;
	unsigned int i;

	hyp_for_each_extension (v->dom->hyp, i, e)
		if (e->raise_virq)
			e->raise_virq(v, v->dom->ext[i], virq);
}

static long register_vcpu_info(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
			       uint64_t arg)
{
	struct vcpu_register_vcpu_info info;
	hv_gpaddr_t gpa;
	void *page;
	long rc;

	if (hv_gmem_copy_from(gm, &info, arg, sizeof(info)))
		return -HV_EFAULT;
	gpa = (info.mfn << HV_PAGE_SHIFT) + info.offset;
	if (info.mfn >> (64 - HV_PAGE_SHIFT) ||
	    gpa >> HV_PAGE_SHIFT != info.mfn)
		return -HV_EINVAL;
	if (v->vcpu_info_registered)
		return -HV_EBUSY;
	/* One writable page of the guest's RAM holds all of it. */
	if (info.offset + sizeof(struct vcpu_info) > HV_PAGE_SIZE)
		return -HV_ENXIO;
	if (hv_gmem_map(&v->dom->guest_phys, gpa, sizeof(struct vcpu_info), 8,
			HV_GMEM_WRITE, &page))
		return -HV_EINVAL;
	/* An extension that keeps a pointer there pins the frame itself. */
	rc = vcpu_info_mapped(v, gpa);
	if (rc)
		return rc;
	v->vcpu_info_registered = true;
	v->vcpu_info_gpa = gpa;
	return 0;
}

void hyp_runstate_area_update(struct hv_hyp_vcpu *v)
{
	const struct hv_hyp_arch_ops *a = v->dom->hyp->arch;
	struct vcpu_runstate_info r;
	struct hv_gmem gm;

	if (!v->runstate_area || !a->guest_vmem)
		return;
	a->guest_vmem(&gm, v);
	runstate_get(v, &r);
	/* The guest may have unmapped it since: then it keeps the last copy,
	 * as on Xen. */
	(void)hv_gmem_copy_to(&gm, v->runstate_area, &r, sizeof(r));
}

static long register_runstate(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
			      uint64_t arg)
{
	struct vcpu_register_runstate_memory_area area;
	struct vcpu_runstate_info r;

	if (hv_gmem_copy_from(gm, &area, arg, sizeof(area)))
		return -HV_EFAULT;
	/* Xen checks the area is there and writes it now. */
	runstate_get(v, &r);
	if (hv_gmem_copy_to(gm, area.addr.p, &r, sizeof(r)))
		return -HV_EFAULT;
	v->runstate_area = area.addr.p;
	return 0;
}

/* The last vCPU going down powers the domain off, as in Xen. */
static long vcpu_down(struct hv_hyp_vcpu *v)
{
	struct hv_hyp_domain *d = v->dom;

	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		if (i != v->id && d->vcpus[i].state != HV_HYP_VCPU_DOWN) {
			hv_hyp_vcpu_set_state(v, HV_HYP_VCPU_DOWN);
			return 0;
		}
	hv_xen_domain_shutdown(&d->xen, SHUTDOWN_poweroff);
	return 0;
}

static long set_singleshot(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
			   uint64_t arg)
{
	struct vcpu_set_singleshot_timer set;
	hv_time_t now = hyp_now(v->dom->hyp);

	if (hv_gmem_copy_from(gm, &set, arg, sizeof(set)))
		return -HV_EFAULT;
	if ((set.flags & VCPU_SSHOTTMR_future) &&
	    set.timeout_abs_ns < (uint64_t)now)
		return -HV_ETIME;
	/* Past (or beyond the clock's range): it fires at once. */
	v->singleshot = set.timeout_abs_ns > (uint64_t)INT64_MAX
			    ? INT64_MAX
			    : (hv_time_t)set.timeout_abs_ns;
	hyp_timers_changed(v);
	return 0;
}

static long set_periodic(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
			 uint64_t arg)
{
	struct vcpu_set_periodic_timer set;

	if (hv_gmem_copy_from(gm, &set, arg, sizeof(set)))
		return -HV_EFAULT;
	if (set.period_ns < HV_MSEC(1) ||
	    set.period_ns > (uint64_t)TIMER_DELTA_MAX)
		return -HV_EINVAL;
	v->periodic = (hv_time_t)set.period_ns;
	v->periodic_next = hyp_now(v->dom->hyp) + v->periodic;
	hyp_timers_changed(v);
	return 0;
}

/* The sub-ops that act on vCPU t, made by `caller`. */
static long vcpu_op(struct hv_hyp_vcpu *caller, struct hv_hyp_vcpu *t,
		    const struct hv_gmem *gm, unsigned int cmd, uint64_t arg)
{
	const struct hv_hyp_arch_ops *a = t->dom->hyp->arch;
	struct vcpu_runstate_info r;
	long rc;

	switch (cmd) {
	case VCPUOP_initialise:
		if (!a->vcpu_initialise)
			return -HV_EINVAL;
		if (t->state != HV_HYP_VCPU_DOWN)
			return -HV_EEXIST;
		rc = a->vcpu_initialise(t, gm, arg);
		if (!rc)
			t->initialised = true;
		return rc;
	case VCPUOP_up:
		if (!t->initialised)
			return -HV_EINVAL;
		if (t->state == HV_HYP_VCPU_DOWN)
			hv_hyp_vcpu_set_state(t, HV_HYP_VCPU_RUNNABLE);
		return 0;
	case VCPUOP_down:
		return vcpu_down(t);
	case VCPUOP_is_up:
		return t->state != HV_HYP_VCPU_DOWN;
	case VCPUOP_get_runstate_info:
		runstate_get(t, &r);
		return hv_gmem_copy_to(gm, arg, &r, sizeof(r)) ? -HV_EFAULT : 0;
	case VCPUOP_register_runstate_memory_area:
		return register_runstate(t, gm, arg);
	case VCPUOP_set_periodic_timer:
		return set_periodic(t, gm, arg);
	case VCPUOP_stop_periodic_timer:
		t->periodic = 0;
		return 0;
	case VCPUOP_set_singleshot_timer:
		return t == caller ? set_singleshot(t, gm, arg) : -HV_EINVAL;
	case VCPUOP_stop_singleshot_timer:
		if (t != caller)
			return -HV_EINVAL;
		t->singleshot = HV_TIME_NEVER;
		return 0;
	case VCPUOP_register_vcpu_info:
		return register_vcpu_info(t, gm, arg);
	default:
		return -HV_ENOSYS;
	}
}

long hyp_vcpu_op(struct hv_hyp_vcpu *v, const struct hv_gmem *gm, uint64_t cmd,
		 uint64_t vcpuid, uint64_t arg)
{
	const struct hv_hyp_arch_ops *a = v->dom->hyp->arch;

	if (cmd >= 32 || !(a->vcpu_ops & (1u << cmd)))
		return a->vcpu_op_refused;
	if (vcpuid >= v->dom->nr_vcpus)
		return -HV_ENOENT;
	return vcpu_op(v, &v->dom->vcpus[vcpuid], gm, (unsigned int)cmd, arg);
}
