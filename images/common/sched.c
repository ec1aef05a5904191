/*
 * The glue's built-in scheduler: round-robin over every runnable vCPU of
 * every domain, each for the recipe's time slice or until it blocks,
 * yields or goes down; blocking a vCPU until something makes it runnable
 * again.  Entering the guest and handling its exits are the arch's.
 */
#include "hyp_common.h"

/* Every vCPU slot in round-robin order: domain by domain. */
static struct vcpu *slot(struct hyp *h, unsigned int n)
{
	struct domain *d = &h->domains[n / HYP_MAX_VCPUS];
	unsigned int i = n % HYP_MAX_VCPUS;

	return i < d->nr_vcpus ? &d->vcpus[i] : NULL;
}

struct vcpu *hyp_pick(struct hyp *h)
{
	unsigned int slots = h->nr_domains * HYP_MAX_VCPUS;

	for (unsigned int i = 0; i < slots; i++) {
		unsigned int n = (h->next + i) % slots;
		struct vcpu *v = slot(h, n);

		if (v && v->state == VCPU_RUNNABLE) {
			h->next = (n + 1) % slots;
			return v;
		}
	}
	return NULL;
}

/* As Xen's vcpu_block: a vCPU with events waiting does not block. */
void hyp_vcpu_block(struct hyp *h, struct vcpu *v)
{
	for (const struct hyp_extension *const *e = h->config->extensions;
	     e && *e; e++)
		if ((*e)->pending && (*e)->pending(v))
			return;
	v->state = VCPU_BLOCKED;
	h->resched = true;
}

void hyp_run(struct hyp *h)
{
	for (;;) {
		struct vcpu *v;

		if (h->live_domains == 0)
			hyp_finish(h);
		v = hyp_pick(h);
		if (!v) {
			hyp_arch_idle(h);
			continue;
		}
		hyp_arch_vcpu_load(h, v);
		hyp_arch_timer_set(h, hyp_arch_now(h) + h->config->timeslice);
		h->resched = false;
		while (!h->resched && v->state == VCPU_RUNNABLE)
			hyp_arch_vcpu_run(h, v);
	}
}
