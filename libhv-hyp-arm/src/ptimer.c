/*
 * The guest's EL1 physical timer (PPI 30), as Xen gives it: its registers
 * trap and libhv-arm's model answers them; the pCPU's own EL1 physical
 * timer, which the guest cannot reach, fires at the loaded vCPU's compare
 * value so that a running guest is interrupted on time, and a blocked one
 * is woken by the core at its wake time.
 */
#include "priv.h"

#include <hv/arm_gic.h>

/* The hardware timer follows the loaded vCPU's model. */
void hyp_arm_ptimer_load(struct hv_hyp_vcpu *v)
{
	uint64_t deadline = hv_arm_ptimer_deadline(&vcpu_arch(v)->ptimer);

	if (deadline == HV_ARM_PTIMER_NEVER)
		hv_arm_cntp_stop();
	else
		hv_arm_cntp_set(deadline);
}

/* A stopped vCPU's timer must not interrupt whoever runs next; its
 * deadline stays in the model (hyp_arm_ptimer_wake_time). */
void hyp_arm_ptimer_put(void)
{
	hv_arm_cntp_stop();
}

bool hyp_arm_ptimer_sysreg(struct hv_hyp_vcpu *v,
			   const struct hv_arm_sysreg_access *a)
{
	uint64_t *x = vcpu_arch(v)->cpu.x;
	uint64_t val = a->reg < 31 ? x[a->reg] : 0; /* 31: xzr */

	if (!hv_arm_ptimer_access(&vcpu_arch(v)->ptimer, hv_arm_sysreg_id(a),
				  a->read, &val, hv_arm_timer_ticks()))
		return false;
	if (a->read && a->reg < 31)
		x[a->reg] = val;
	else if (!a->read)
		hyp_arm_ptimer_load(v);
	return true;
}

/* PPI 30 at EL2: stop the hardware timer (its level would fire again)
 * and give the guest its interrupt if the model says it is due. */
void hyp_arm_ptimer_fired(struct hv_hyp_vcpu *v)
{
	hv_arm_cntp_stop();
	if (hv_arm_ptimer_expire(&vcpu_arch(v)->ptimer, hv_arm_timer_ticks()))
		hyp_arm_vcpu_inject(v, HV_ARM_PPI_PHYS_TIMER);
	else
		hyp_arm_ptimer_load(v); /* early or stale: as the model says */
}

hv_time_t hyp_arm_ptimer_wake_time(const struct hv_hyp_arm *a,
				   struct hv_hyp_vcpu *v)
{
	uint64_t deadline = hv_arm_ptimer_deadline(&vcpu_arch(v)->ptimer);

	return deadline == HV_ARM_PTIMER_NEVER
		   ? HV_TIME_NEVER
		   : hv_arm_ticks_to_ns(&a->timer, deadline);
}
