/*
 * The smallest scheduler: every runnable vCPU of every domain in turn,
 * each for the configured time slice or until it blocks, yields or goes
 * down.  On several pCPUs each takes the next runnable vCPU that no other
 * pCPU is running and that may run there (its domain's `cpus`).
 */
#include <hv/hyp.h>

#include "hyp_priv.h"

#define SLOTS (HV_HYP_MAX_DOMAINS * HV_HYP_MAX_VCPUS)

static struct hv_hyp_vcpu *round_robin_pick(struct hv_hyp_pcpu *p,
					    hv_time_t now, hv_time_t *until)
{
	struct hv_hyp *h = p->hyp;
	unsigned int n = h->rr_next, seen = 0;

	/* Slot n is vCPU n % HV_HYP_MAX_VCPUS of domain n / that. */
	while (seen < SLOTS) {
		struct hv_hyp_domain *d = h->domains[n / HV_HYP_MAX_VCPUS];
		unsigned int i = n % HV_HYP_MAX_VCPUS, skip = 1;

		if (!d || i >= d->nr_vcpus) {
			skip = HV_HYP_MAX_VCPUS - i; /* to the next domain */
		} else if (d->vcpus[i].state == HV_HYP_VCPU_RUNNABLE &&
			   !hyp_vcpu_running_on(&d->vcpus[i]) &&
			   hyp_vcpu_may_run(&d->vcpus[i], p)) {
			h->rr_next = (n + 1) % SLOTS;
			*until = now + h->config->timeslice;
			return &d->vcpus[i];
		}
		seen += skip;
		n = (n + skip) % SLOTS;
	}
	return NULL;
}

/*
 * v became runnable: one idle pCPU where it may run takes it, and one not
 * asked to look already (kicking every idle pCPU for each vCPU makes them
 * all contend for h->lock to find one vCPU).  Not when the pCPU whose
 * loop makes the change is between vCPUs: it picks next anyway.
 */
static void round_robin_state_changed(struct hv_hyp_vcpu *v)
{
	struct hv_hyp *h = v->dom->hyp;
	struct hv_hyp_pcpu *self = h->lock_pcpu;

	if (v->state != HV_HYP_VCPU_RUNNABLE)
		return;
	if (self && !self->current && hyp_vcpu_may_run(v, self))
		return;
	for (unsigned int i = 0; i < h->nr_pcpus; i++) {
		struct hv_hyp_pcpu *p = &h->pcpus[i];

		if (!p->current && !p->resched && hyp_vcpu_may_run(v, p)) {
			hyp_pcpu_resched(h, p);
			return;
		}
	}
}

const struct hv_hyp_scheduler hv_hyp_round_robin = {
    .name = "round-robin",
    .pick = round_robin_pick,
    .state_changed = round_robin_state_changed,
};
