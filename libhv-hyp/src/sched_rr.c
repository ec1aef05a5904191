/*
 * The smallest scheduler: every runnable vCPU of every domain in turn,
 * each for the configured time slice or until it blocks, yields or goes
 * down.  On several pCPUs each takes the next runnable vCPU that no other
 * pCPU is running.
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
			   !hyp_vcpu_running_on(&d->vcpus[i])) {
			h->rr_next = (n + 1) % SLOTS;
			*until = now + h->config->timeslice;
			return &d->vcpus[i];
		}
		seen += skip;
		n = (n + skip) % SLOTS;
	}
	return NULL;
}

const struct hv_hyp_scheduler hv_hyp_round_robin = {
    .name = "round-robin",
    .pick = round_robin_pick,
};
