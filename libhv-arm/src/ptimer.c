/*
 * A guest's EL1 physical timer (CNTP_*_EL0), emulated as Xen's vtimer.c
 * does: the registers trap, and the state lives here.  Portable, so the
 * whole register model is unit-tested on the host.
 */
#include <hv/arm_timer.h>
#include <hv/arm_trap.h>

#define CNTP_TVAL HV_ARM_SYSREG(3, 3, 14, 2, 0)
#define CNTP_CTL  HV_ARM_SYSREG(3, 3, 14, 2, 1)
#define CNTP_CVAL HV_ARM_SYSREG(3, 3, 14, 2, 2)

/* Whether the guest's compare condition holds (what ISTATUS reads). */
static bool met(const struct hv_arm_ptimer *t, uint64_t now)
{
	return (t->ctl & HV_ARM_CNT_CTL_ENABLE) && now >= t->cval;
}

static uint64_t read(const struct hv_arm_ptimer *t, unsigned int reg,
		     uint64_t now)
{
	switch (reg) {
	case CNTP_CTL:
		return t->ctl | (met(t, now) ? HV_ARM_CNT_CTL_ISTATUS : 0);
	case CNTP_CVAL:
		return t->cval;
	default: /* TVAL: the low 32 bits of what is left, signed */
		return (uint32_t)(t->cval - now);
	}
}

static void write(struct hv_arm_ptimer *t, unsigned int reg, uint64_t val,
		  uint64_t now)
{
	switch (reg) {
	case CNTP_CTL:
		/* Enabling a stopped timer arms it afresh; changing the
		 * mask alone keeps what was given (a masked expiry gave
		 * nothing, so unmasking gives it now). */
		if (!(t->ctl & HV_ARM_CNT_CTL_ENABLE))
			t->fired = false;
		t->ctl = val & (HV_ARM_CNT_CTL_ENABLE | HV_ARM_CNT_CTL_IMASK);
		break;
	case CNTP_CVAL:
		t->cval = val;
		t->fired = false;
		break;
	default: /* TVAL: a signed 32-bit offset from now */
		t->cval = now + (uint64_t)(int64_t)(int32_t)val;
		t->fired = false;
		break;
	}
}

bool hv_arm_ptimer_access(struct hv_arm_ptimer *t, unsigned int sysreg,
			  bool is_read, uint64_t *val, uint64_t now)
{
	if (sysreg != CNTP_CTL && sysreg != CNTP_CVAL && sysreg != CNTP_TVAL)
		return false;
	if (is_read)
		*val = read(t, sysreg, now);
	else
		write(t, sysreg, *val, now);
	return true;
}

uint64_t hv_arm_ptimer_deadline(const struct hv_arm_ptimer *t)
{
	if (t->fired ||
	    (t->ctl & (HV_ARM_CNT_CTL_ENABLE | HV_ARM_CNT_CTL_IMASK)) !=
		HV_ARM_CNT_CTL_ENABLE)
		return HV_ARM_PTIMER_NEVER;
	return t->cval;
}

bool hv_arm_ptimer_expire(struct hv_arm_ptimer *t, uint64_t now)
{
	uint64_t deadline = hv_arm_ptimer_deadline(t);

	if (deadline == HV_ARM_PTIMER_NEVER || now < deadline)
		return false;
	t->fired = true;
	return true;
}
