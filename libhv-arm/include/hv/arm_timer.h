/*
 * hv/arm_timer.h - the generic timer: system time for the hypervisor, and
 * the EL2 physical timer (CNTHP, PPI 26) that is its preemption tick.
 */
#ifndef HV_ARM_TIMER_H
#define HV_ARM_TIMER_H

#include <hv/types.h>

HV_BEGIN_DECLS

struct hv_arm_timer {
	uint64_t freq; /* CNTFRQ_EL0, Hz */
};

/* Read the counter frequency, give EL1 the physical counter, zero the
 * virtual offset and stop the EL2 timer. */
void hv_arm_timer_init(struct hv_arm_timer *t);

/* Conversions between counter ticks and ns, exact for every 64-bit tick
 * count that fits in hv_time_t (no 128-bit arithmetic). */
hv_time_t hv_arm_ticks_to_ns(const struct hv_arm_timer *t, uint64_t ticks);
uint64_t hv_arm_ns_to_ticks(const struct hv_arm_timer *t, hv_time_t ns);

/* Now, in ns since the counter started. */
hv_time_t hv_arm_timer_now(const struct hv_arm_timer *t);

/* Make CNTHP fire at `deadline` (absolute ns; HV_TIME_NEVER stops it). */
void hv_arm_timer_set(const struct hv_arm_timer *t, hv_time_t deadline);

HV_END_DECLS

#endif /* HV_ARM_TIMER_H */
