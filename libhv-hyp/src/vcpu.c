/*
 * vCPU states.  Every change goes through hv_hyp_vcpu_set_state, which
 * tells the scheduler and makes the pCPU running a vCPU that stopped
 * being runnable leave it at its next exit.
 */
#include <hv/hyp.h>

#include <xen/vcpu.h>

#include "hyp_priv.h"

struct hv_hyp_pcpu *hyp_vcpu_running_on(struct hv_hyp_vcpu *v)
{
	struct hv_hyp *h = v->dom->hyp;
	struct hv_hyp_pcpu *p = &h->pcpus[v->pcpu];

	return p->current == v ? p : NULL;
}

unsigned int hyp_vcpu_runstate(struct hv_hyp_vcpu *v)
{
	switch (v->state) {
	case HV_HYP_VCPU_RUNNABLE:
		return hyp_vcpu_running_on(v) ? RUNSTATE_running
					      : RUNSTATE_runnable;
	case HV_HYP_VCPU_BLOCKED:
		return RUNSTATE_blocked;
	default:
		return RUNSTATE_offline;
	}
}

/*
 * The pCPU whose loop holds the lock is between exits, so only another is
 * kicked (a kick to itself would only make its guest exit again, or end
 * its next idle at once).  That kick waits until the loop gives the lock
 * back: the kicked pCPU wants the lock at once, and under QEMU's
 * multi-threaded TCG on a busy host its thread may take the host CPU from
 * the holder's and spin there until the holder runs again.
 */
void hv_hyp_pcpu_kick(struct hv_hyp_pcpu *p)
{
	struct hv_hyp *h = p->hyp;

	if (h->nr_pcpus == 1 || p == h->lock_pcpu || !h->arch->kick)
		return;
	if (h->lock_pcpu)
		hv_bitmap_set(h->kicks, p->id);
	else
		h->arch->kick(p);
}

/* Ask pCPU p to look at its run queue: it sees the flag at its next exit,
 * which a kick brings. */
void hyp_pcpu_resched(struct hv_hyp *h, struct hv_hyp_pcpu *p)
{
	(void)h;
	p->resched = true;
	hv_hyp_pcpu_kick(p);
}

void hv_hyp_vcpu_set_state(struct hv_hyp_vcpu *v, enum hv_hyp_vcpu_state s)
{
	struct hv_hyp *h = v->dom->hyp;
	struct hv_hyp_pcpu *p;

	if (s == v->state)
		return;
	v->state = s;
	v->polling = false; /* whatever woke or stopped it ends a poll */
	hyp_trace(h, HV_TRACE_VCPU_STATE, v->dom->xen.id, v->id, s, 0);
	hyp_runstate_set(v, hyp_vcpu_runstate(v), hyp_now(h));
	/* The scheduler also chooses which idle pCPU, if any, takes a vCPU
	 * that became runnable, and kicks that one alone. */
	if (h->sched->state_changed)
		h->sched->state_changed(v);
	p = hyp_vcpu_running_on(v);
	if (p && s != HV_HYP_VCPU_RUNNABLE)
		hyp_pcpu_resched(h, p);
}

bool hyp_vcpu_event_pending(struct hv_hyp_vcpu *v)
{
	const struct hv_hyp_extension *e;
	unsigned int i;

	hyp_for_each_extension (v->dom->hyp, i, e) {
		if (e->pending && e->pending(v, v->dom->ext[i]))
			return true;
	}
	return false;
}

/* As Xen's vcpu_block: a vCPU with an event waiting does not block. */
void hv_hyp_vcpu_block(struct hv_hyp_vcpu *v)
{
	if (!hyp_vcpu_event_pending(v))
		hv_hyp_vcpu_set_state(v, HV_HYP_VCPU_BLOCKED);
}

void hv_hyp_vcpu_wake(struct hv_hyp_vcpu *v)
{
	if (v->state == HV_HYP_VCPU_BLOCKED)
		hv_hyp_vcpu_set_state(v, HV_HYP_VCPU_RUNNABLE);
}

void hv_hyp_vcpu_yield(struct hv_hyp_vcpu *v)
{
	struct hv_hyp *h = v->dom->hyp;
	struct hv_hyp_pcpu *p = hyp_vcpu_running_on(v);

	if (h->sched->yield)
		h->sched->yield(v);
	if (p)
		p->resched = true;
}

void hv_hyp_vcpu_notify(struct hv_hyp_vcpu *v)
{
	struct hv_hyp *h = v->dom->hyp;

	if (h->arch->upcall)
		h->arch->upcall(v);
	hv_hyp_vcpu_wake(v);
}

void hv_hyp_crash(struct hv_hyp_vcpu *v, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	hv_xen_domain_crash(&v->dom->xen, why);
}

void hv_hyp_tick(struct hv_hyp_pcpu *p)
{
	p->tick = true;
}
