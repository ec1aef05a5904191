/*
 * The run loop of each pCPU: fire the vCPU timers that are due and wake
 * the blocked vCPUs whose time has come, ask the scheduler what to run
 * and until when, run it exit by exit until its slice ends or it stops
 * being runnable; with nothing to run, idle until the earliest timer.
 * Everything but running a guest and idling happens under h->lock.
 */
#include <hv/hyp.h>

#include <xen/vcpu.h>
#include <xen/xen.h>

#include "hyp_priv.h"

/* Fire v's due timers (VIRQ_TIMER) and end its poll at its timeout;
 * its next deadline. */
static hv_time_t fire_timers(struct hv_hyp_vcpu *v, hv_time_t now)
{
	hv_time_t next;

	if (v->singleshot <= now) {
		v->singleshot = HV_TIME_NEVER;
		hyp_raise_virq(v, VIRQ_TIMER);
	}
	if (v->periodic && v->periodic_next <= now) {
		hyp_raise_virq(v, VIRQ_TIMER);
		/* Missed periods are not made up for, as in Xen. */
		v->periodic_next +=
		    ((now - v->periodic_next) / v->periodic + 1) * v->periodic;
	}
	if (v->polling && v->poll_deadline <= now)
		hv_hyp_vcpu_wake(v);
	next = v->singleshot;
	if (v->periodic && v->periodic_next < next)
		next = v->periodic_next;
	if (v->polling && v->poll_deadline < next)
		next = v->poll_deadline;
	return next;
}

/* When a blocked v wakes by itself (its guest's own timer). */
static hv_time_t wake_time(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v)
{
	const struct hv_hyp_arch_ops *a = v->dom->hyp->arch;

	if (v->state != HV_HYP_VCPU_BLOCKED || !a->vcpu_wake_time)
		return HV_TIME_NEVER;
	return a->vcpu_wake_time(p, v);
}

/*
 * Fire the due timers and wake every blocked vCPU whose wake time is past;
 * returns the earliest deadline still ahead (HV_TIME_NEVER: none), and in
 * *runnable whether any vCPU is runnable now.
 */
static hv_time_t wake_due(struct hv_hyp *h, struct hv_hyp_pcpu *p,
			  hv_time_t now, bool *runnable)
{
	hv_time_t next = HV_TIME_NEVER;

	*runnable = false;
	for (unsigned int i = 0; i < HV_HYP_MAX_DOMAINS; i++) {
		struct hv_hyp_domain *d = h->domains[i];

		for (unsigned int j = 0; d && j < d->nr_vcpus; j++) {
			struct hv_hyp_vcpu *v = &d->vcpus[j];
			hv_time_t t;

			if (v->state == HV_HYP_VCPU_DOWN)
				continue;
			t = fire_timers(v, now);
			if (t < next)
				next = t;
			t = wake_time(p, v);
			if (t <= now)
				hv_hyp_vcpu_wake(v);
			else if (t < next)
				next = t;
			*runnable |= v->state == HV_HYP_VCPU_RUNNABLE;
		}
	}
	return next;
}

/* Nothing runnable anywhere and nothing will wake: the blocked domains
 * would wait forever (as on Xen).  End them, saying why; unless typed
 * input can still wake the domain that has the console (a shell waiting
 * for a command; hyp_console_can_wake), and it the others. */
static void crash_stuck(struct hv_hyp *h)
{
	for (unsigned int i = 0; i < HV_HYP_MAX_DOMAINS; i++) {
		struct hv_hyp_domain *d = h->domains[i];

		if (d && !d->xen.shut_down)
			hv_xen_domain_crash(
			    &d->xen, "blocked with nothing left to "
				     "wake it (every domain is blocked)");
	}
}

static void unload(struct hv_hyp *h, struct hv_hyp_pcpu *p)
{
	if (p->loaded) {
		h->arch->vcpu_load(p, NULL);
		p->loaded = NULL;
	}
}

/* h->lock, taken and given back by p's loop, which records that it holds
 * it: hyp_pcpu_resched kicks no pCPU but another, and only once the lock
 * is given back. */
void hyp_lock(struct hv_hyp *h, struct hv_hyp_pcpu *p)
{
	hv_spin_lock(&h->lock);
	h->lock_pcpu = p;
}

void hyp_unlock(struct hv_hyp *h)
{
	HV_DECLARE_BITMAP(kicks, HV_HYP_MAX_PCPUS);
	bool any = !hv_bitmap_empty(h->kicks, HV_HYP_MAX_PCPUS);

	if (any) {
		memcpy(kicks, h->kicks, sizeof(kicks));
		hv_bitmap_zero(h->kicks, HV_HYP_MAX_PCPUS);
	}
	h->lock_pcpu = NULL;
	hv_spin_unlock(&h->lock);
	for (unsigned int i = 0; any && i < h->nr_pcpus; i++)
		if (hv_bitmap_test(kicks, i))
			h->arch->kick(&h->pcpus[i]);
}

static hv_time_t earlier(hv_time_t a, hv_time_t b)
{
	return a < b ? a : b;
}

/* An exit handled: why, and what it cost from the exit until now (the
 * lock and the handler; the next entry is near). */
static void trace_exit(struct hv_hyp *h, struct hv_hyp_vcpu *v,
		       hv_time_t exited)
{
	uint32_t reason = h->arch->exit_reason ? h->arch->exit_reason(v) : 0;

	hyp_trace(
	    h, HV_TRACE_VM_EXIT, v->dom->xen.id, v->id, reason,
	    (uint32_t)hv_min_u64((uint64_t)(hyp_now(h) - exited), UINT32_MAX));
}

/* Run v until slice_end (the scheduler's) or until it stops being
 * runnable; the pCPU's timer also fires at the next vCPU timer. */
static void run_slice(struct hv_hyp *h, struct hv_hyp_pcpu *p,
		      struct hv_hyp_vcpu *v, hv_time_t slice_end,
		      hv_time_t next_timer)
{
	p->current = v;
	v->pcpu = p->id;
	hyp_runstate_set(v, RUNSTATE_running, hyp_now(h));
	if (p->loaded != v) {
		h->arch->vcpu_load(p, v);
		p->loaded = v;
	}
	hyp_runstate_area_update(v);
	h->arch->timer_set(p, earlier(slice_end, next_timer));
	p->resched = false;
	p->tick = false;
	hyp_trace(h, HV_TRACE_VCPU_RUN, v->dom->xen.id, v->id, 0, 0);
	while (!p->resched && v->state == HV_HYP_VCPU_RUNNABLE) {
		hv_time_t exited;

		hyp_unlock(h);
		h->arch->vcpu_run(p, v);
		exited = h->trace ? hyp_now(h) : 0;
		hyp_lock(h, p);
		h->arch->vcpu_exit(p, v);
		if (h->trace)
			trace_exit(h, v, exited);
		if (p->tick) {
			hv_time_t now = hyp_now(h);
			bool runnable;

			p->tick = false;
			if (now >= slice_end)
				break;
			next_timer = wake_due(h, p, now, &runnable);
			h->arch->timer_set(p, earlier(slice_end, next_timer));
		}
	}
	p->current = NULL;
	hyp_trace(h, HV_TRACE_VCPU_STOP, v->dom->xen.id, v->id, v->state, 0);
	hyp_runstate_set(v, hyp_vcpu_runstate(v), hyp_now(h));
	/* A vCPU that stopped leaves its state in memory, where its wake
	 * time (its guest timer) can be read; with several pCPUs every vCPU
	 * does, so that any pCPU may take it next. */
	if (v->state != HV_HYP_VCPU_RUNNABLE || h->nr_pcpus > 1)
		unload(h, p);
}

static bool others_running(const struct hv_hyp *h, const struct hv_hyp_pcpu *p)
{
	for (unsigned int i = 0; i < h->nr_pcpus; i++)
		if (&h->pcpus[i] != p && h->pcpus[i].current)
			return true;
	return false;
}

static void idle(struct hv_hyp *h, struct hv_hyp_pcpu *p, hv_time_t next)
{
	unload(h, p);
	p->resched = false;
	hyp_trace(h, HV_TRACE_PCPU_IDLE, 0, 0, 0, 0);
	hyp_unlock(h);
	/* With no deadline only a kick ends this sleep: the pCPU's records
	 * go out first, so that a run hung with its pCPUs asleep has its
	 * trace up to there when hvkit's time-out ends QEMU. */
	if (next == HV_TIME_NEVER)
		hv_trace_flush(h->trace, p->id);
	h->arch->idle(p, next);
	hyp_lock(h, p);
}

void hv_hyp_start(struct hv_hyp *h)
{
	hv_atomic_store_u32(&h->started, 1);
	/* Against wait_start's stores and load, in the other order: either
	 * this sees the pCPU waiting, or the pCPU sees started. */
	hv_mb();
	for (unsigned int i = 0; i < h->nr_pcpus; i++) {
		struct hv_hyp_pcpu *p = &h->pcpus[i];

		/* Kicked now, not as hv_hyp_pcpu_kick may defer it: the loop
		 * holding the lock is another pCPU's that has just started. */
		if (hv_atomic_load_u32(&p->stage) == HYP_PCPU_WAITING &&
		    h->arch->kick) {
			p->resched = true;
			h->arch->kick(p);
		}
	}
}

/* Until hv_hyp_start: the domains may not exist yet.  A kick before it
 * (a domain being built wakes "idle" pCPUs) is seen and waited past. */
static void wait_start(struct hv_hyp *h, struct hv_hyp_pcpu *p)
{
	hv_atomic_store_u32(&p->stage, HYP_PCPU_WAITING);
	for (;;) {
		p->resched = false;
		hv_mb();
		if (hv_atomic_load_u32(&h->started))
			break;
		h->arch->idle(p, HV_TIME_NEVER);
	}
	hv_atomic_store_u32(&p->stage, HYP_PCPU_RUNNING);
}

int hv_hyp_run(struct hv_hyp *h, unsigned int cpu)
{
	struct hv_hyp_pcpu *p = &h->pcpus[cpu];
	bool all_poweroff = true;

	wait_start(h, p);
	hyp_lock(h, p);
	while (h->live_domains) {
		hv_time_t now = hyp_now(h), until = HV_TIME_NEVER, next;
		struct hv_hyp_vcpu *v;
		bool runnable;

		next = wake_due(h, p, now, &runnable);
		/* Asked even with nothing runnable: so the scheduler hears
		 * that this pCPU's vCPU stopped.  Else libhv-sched would take
		 * that vCPU's next wake-up for one of a vCPU still running
		 * here, and ask no pCPU to run it. */
		v = h->sched->pick(p, now, &until);
		if (v)
			run_slice(h, p, v, until, next);
		else if (!runnable && next == HV_TIME_NEVER &&
			 !others_running(h, p) && !hyp_console_can_wake(h))
			crash_stuck(h);
		else
			idle(h, p, earlier(next, until));
	}
	/* The scheduler sees the pCPU go idle (its last vCPU stopped). */
	h->sched->pick(p, hyp_now(h), &(hv_time_t){HV_TIME_NEVER});
	unload(h, p);
	for (unsigned int i = 0; i < HV_HYP_MAX_DOMAINS; i++)
		if (h->domains[i])
			all_poweroff &= h->domains[i]->xen.shutdown_reason == 0;
	hyp_unlock(h);
	hv_atomic_store_u32(&p->stage, HYP_PCPU_LEFT);
	return all_poweroff ? 0 : 1;
}
