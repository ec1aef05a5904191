/*
 * hv/arm_timer.h - the generic timer: system time for the hypervisor, the
 * EL2 physical timer (CNTHP, PPI 26) that is its preemption tick, and a
 * guest's EL1 physical timer (CNTP, PPI 30), emulated.
 */
#ifndef HV_ARM_TIMER_H
#define HV_ARM_TIMER_H

#include <hv/types.h>

HV_BEGIN_DECLS

/* The generic timer as the hypervisor uses it. */
struct hv_arm_timer {
	uint64_t freq; /* CNTFRQ_EL0, Hz */
};

/* Read the counter frequency, give EL1 the physical counter (not the
 * physical timer: its registers trap, see hv_arm_ptimer), zero the
 * virtual offset and stop the EL2 timer. */
void hv_arm_timer_init(struct hv_arm_timer *t);

/* The physical counter (CNTPCT_EL0), in ticks. */
uint64_t hv_arm_timer_ticks(void);

/* Conversions between counter ticks and ns, exact for every 64-bit tick
 * count that fits in hv_time_t (no 128-bit arithmetic). */
hv_time_t hv_arm_ticks_to_ns(const struct hv_arm_timer *t, uint64_t ticks);
uint64_t hv_arm_ns_to_ticks(const struct hv_arm_timer *t, hv_time_t ns);

/* Now, in ns since the counter started. */
hv_time_t hv_arm_timer_now(const struct hv_arm_timer *t);

/* Make CNTHP fire at `deadline` (absolute ns; HV_TIME_NEVER stops it). */
void hv_arm_timer_set(const struct hv_arm_timer *t, hv_time_t deadline);

/* CNTx_CTL bits. */
#define HV_ARM_CNT_CTL_ENABLE  0x1u
#define HV_ARM_CNT_CTL_IMASK   0x2u
#define HV_ARM_CNT_CTL_ISTATUS 0x4u

/*
 * A guest's EL1 physical timer, as Xen emulates it (xen/arch/arm/vtimer.c):
 * CNTHCTL_EL2.EL1PCEN is clear, so CNTP_CTL/CVAL/TVAL_EL0 trap and are
 * answered from here, against the physical counter the guest reads
 * unoffset (CNTPCT_EL0, which EL1 may read).  Its interrupt (PPI 30) is
 * given once each time the timer is armed and its compare value passes
 * unmasked, as Xen gives it; the guest re-arms or masks it in its handler.
 * Unlike Xen, CTL.ISTATUS reads the condition live.  All zero is the reset
 * state (disabled).  Counter values are in ticks.
 */
struct hv_arm_ptimer {
	uint32_t ctl;  /* ENABLE and IMASK, as the guest wrote them */
	uint64_t cval; /* compare value */
	bool fired;    /* the interrupt was given for this arming */
};

/* hv_arm_ptimer_deadline's answer for a timer that will not fire. */
#define HV_ARM_PTIMER_NEVER UINT64_MAX

/*
 * A trapped MSR/MRS of the system register `sysreg` (HV_ARM_SYSREG
 * encoding, hv/arm_trap.h) at counter value `now`: false if it is not a
 * CNTP register; else reads into or writes from *val and returns true.
 */
bool hv_arm_ptimer_access(struct hv_arm_ptimer *t, unsigned int sysreg,
			  bool is_read, uint64_t *val, uint64_t now);

/* The counter value at which the guest is to be interrupted, or
 * HV_ARM_PTIMER_NEVER (disabled, masked, or given already). */
uint64_t hv_arm_ptimer_deadline(const struct hv_arm_ptimer *t);

/* At counter value `now`: whether the interrupt is due, and if so mark it
 * given (the caller injects PPI 30). */
bool hv_arm_ptimer_expire(struct hv_arm_ptimer *t, uint64_t now);

/*
 * The pCPU's own EL1 physical timer backs the loaded vCPU's emulated one:
 * fire PPI 30 (at EL2: HCR_EL2.IMO) when the counter reaches `cval`, or
 * stop it.  The guest cannot reach it while its registers trap.
 */
void hv_arm_cntp_set(uint64_t cval);
void hv_arm_cntp_stop(void);

HV_END_DECLS

#endif /* HV_ARM_TIMER_H */
