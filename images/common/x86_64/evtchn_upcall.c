/*
 * How an event reaches an x86_64 vCPU (for the hyp_evtchn extension, and
 * linked only with it): no interrupt, since these images give guests no
 * callback vector; the event wakes the vCPU, and the guest looks at its
 * shared-info page then.
 */
#include "hyp.h"

void hyp_arch_evtchn_upcall(struct hyp *h, struct vcpu *v)
{
	(void)h;
	(void)v;
}
