/*
 * How an event reaches an AArch64 vCPU (for the hyp_evtchn extension, and
 * linked only with it): Xen's event-channel interrupt, PPI 31, made
 * pending in the vCPU's list registers.
 */
#include "hyp.h"

/* GUEST_EVTCHN_PPI in Xen's arch-arm.h, which only toolstacks see. */
#define EVTCHN_PPI 31

void hyp_arch_evtchn_upcall(struct hyp *h, struct vcpu *v)
{
	hyp_vcpu_inject(h, v, EVTCHN_PPI, false);
}
