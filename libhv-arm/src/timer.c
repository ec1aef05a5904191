/* The generic timer at EL2 (Arm ARM D11). */
#include <hv/arm_timer.h>

#include "sysreg.h"

#define CNTHCTL_EL1PCTEN (1u << 0)
#define CNTHP_CTL_ENABLE (1u << 0)

void hv_arm_timer_init(struct hv_arm_timer *t)
{
	t->freq = hv_read_sysreg(cntfrq_el0);
	/* EL1PCEN clear: the guest's physical timer traps (ptimer.c). */
	hv_write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN);
	hv_write_sysreg(cntvoff_el2, 0);
	hv_write_sysreg(cnthp_ctl_el2, 0);
	hv_write_sysreg(cntp_ctl_el0, 0);
	hv_isb();
}

uint64_t hv_arm_timer_ticks(void)
{
	hv_isb(); /* do not read the counter early */
	return hv_read_sysreg(cntpct_el0);
}

void hv_arm_cntp_set(uint64_t cval)
{
	hv_write_sysreg(cntp_cval_el0, cval);
	hv_write_sysreg(cntp_ctl_el0, HV_ARM_CNT_CTL_ENABLE);
	hv_isb();
}

void hv_arm_cntp_stop(void)
{
	hv_write_sysreg(cntp_ctl_el0, 0);
	hv_isb();
}

hv_time_t hv_arm_timer_now(const struct hv_arm_timer *t)
{
	return hv_arm_ticks_to_ns(t, hv_arm_timer_ticks());
}

void hv_arm_timer_set(const struct hv_arm_timer *t, hv_time_t deadline)
{
	if (deadline == HV_TIME_NEVER) {
		hv_write_sysreg(cnthp_ctl_el2, 0);
	} else {
		hv_write_sysreg(cnthp_cval_el2,
				hv_arm_ns_to_ticks(t, deadline));
		hv_write_sysreg(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
	}
	hv_isb();
}
