/*
 * Scheduling in the glue: the run loop, over whichever scheduler the
 * recipe names, and the glue's own round-robin (every runnable vCPU of
 * every domain in turn, each for the recipe's time slice or until it
 * blocks, yields or goes down).  Entering the guest and handling its exits
 * are the arch's.
 */
#include "hyp_common.h"

/* Every vCPU slot in round-robin order: domain by domain. */
static struct vcpu *slot(struct hyp *h, unsigned int n)
{
	struct domain *d = &h->domains[n / HYP_MAX_VCPUS];
	unsigned int i = n % HYP_MAX_VCPUS;

	return i < d->nr_vcpus ? &d->vcpus[i] : NULL;
}

static struct vcpu *round_robin_pick(struct hyp *h, hv_time_t now,
				     hv_time_t *until)
{
	unsigned int slots = h->nr_domains * HYP_MAX_VCPUS;

	for (unsigned int i = 0; i < slots; i++) {
		unsigned int n = (h->next + i) % slots;
		struct vcpu *v = slot(h, n);

		if (v && v->state == VCPU_RUNNABLE) {
			h->next = (n + 1) % slots;
			*until = now + h->config->timeslice;
			return v;
		}
	}
	return NULL;
}

const struct hyp_scheduler hyp_round_robin = {
    .name = "round-robin",
    .pick = round_robin_pick,
};

void hyp_vcpu_set_state(struct hyp *h, struct vcpu *v, enum vcpu_state s)
{
	enum vcpu_state was = v->state;

	if (s == was)
		return;
	v->state = s;
	if (h->sched->state_changed)
		h->sched->state_changed(h, v, was);
	if (s != VCPU_RUNNABLE)
		h->resched = true;
}

void hyp_vcpu_yield(struct hyp *h, struct vcpu *v)
{
	if (h->sched->yield)
		h->sched->yield(h, v);
	h->resched = true;
}

/* As Xen's vcpu_block: a vCPU with events waiting does not block. */
void hyp_vcpu_block(struct hyp *h, struct vcpu *v)
{
	for (const struct hyp_extension *const *e = h->config->extensions;
	     e && *e; e++)
		if ((*e)->pending && (*e)->pending(v))
			return;
	hyp_vcpu_set_state(h, v, VCPU_BLOCKED);
}

void hyp_run(struct hyp *h)
{
	for (;;) {
		hv_time_t until = HV_TIME_NEVER;
		struct vcpu *v;

		if (h->live_domains == 0)
			hyp_finish(h);
		v = h->sched->pick(h, hyp_arch_now(h), &until);
		if (!v) {
			hyp_arch_idle(h);
			continue;
		}
		hyp_arch_vcpu_load(h, v);
		hyp_arch_timer_set(h, until);
		h->resched = false;
		while (!h->resched && v->state == VCPU_RUNNABLE)
			hyp_arch_vcpu_run(h, v);
	}
}
