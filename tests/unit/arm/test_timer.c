/* Generic-timer tick <-> ns conversion: exact, no overflow, rounding up;
 * and the emulated EL1 physical timer's registers and interrupt. */
#include <hv/arm_timer.h>
#include <hv/arm_trap.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

static const struct hv_arm_timer qemu = {.freq = 62500000}; /* 16 ns tick */
static const struct hv_arm_timer odd = {.freq = 19200000};  /* 52.08 ns */

static void whole_ticks(void **state)
{
	(void)state;
	assert_int_equal(hv_arm_ticks_to_ns(&qemu, 0), 0);
	assert_int_equal(hv_arm_ticks_to_ns(&qemu, 1), 16);
	assert_int_equal(hv_arm_ticks_to_ns(&qemu, 62500000), 1000000000);
	assert_int_equal(hv_arm_ns_to_ticks(&qemu, HV_SEC(1)), 62500000);
	assert_int_equal(hv_arm_ns_to_ticks(&qemu, HV_USEC(1)), 63 /* 62.5 */);
}

static void large_counts_do_not_overflow(void **state)
{
	/* 100 years of ticks: a naive ticks * 1e9 overflows 64 bits. */
	const uint64_t years100 = 62500000ull * 3600 * 24 * 365 * 100;

	(void)state;
	assert_int_equal(hv_arm_ticks_to_ns(&qemu, years100),
			 (hv_time_t)years100 * 16);
	assert_int_equal(hv_arm_ns_to_ticks(&qemu, (hv_time_t)years100 * 16),
			 years100);
}

static void conversions_round_trip_without_firing_early(void **state)
{
	(void)state;
	for (hv_time_t ns = 0; ns < 100000; ns += 7) {
		uint64_t t = hv_arm_ns_to_ticks(&odd, ns);

		/* The tick count reaches ns, and one tick less would not. */
		assert_true(hv_arm_ticks_to_ns(&odd, t) >= ns - 1);
		if (t > 0)
			assert_true(hv_arm_ticks_to_ns(&odd, t - 1) < ns);
	}
}

static void negative_times_are_tick_zero(void **state)
{
	(void)state;
	assert_int_equal(hv_arm_ns_to_ticks(&qemu, -5), 0);
}

#define CNTP_TVAL HV_ARM_SYSREG(3, 3, 14, 2, 0)
#define CNTP_CTL  HV_ARM_SYSREG(3, 3, 14, 2, 1)
#define CNTP_CVAL HV_ARM_SYSREG(3, 3, 14, 2, 2)
#define CNTV_CTL  HV_ARM_SYSREG(3, 3, 14, 3, 1)
#define ENABLE	  HV_ARM_CNT_CTL_ENABLE
#define IMASK	  HV_ARM_CNT_CTL_IMASK
#define ISTATUS	  HV_ARM_CNT_CTL_ISTATUS

static uint64_t rd(struct hv_arm_ptimer *t, unsigned int reg, uint64_t now)
{
	uint64_t v = 0xdeadbeef;

	assert_true(hv_arm_ptimer_access(t, reg, true, &v, now));
	return v;
}

static void wr(struct hv_arm_ptimer *t, unsigned int reg, uint64_t v,
	       uint64_t now)
{
	assert_true(hv_arm_ptimer_access(t, reg, false, &v, now));
}

static void ptimer_resets_disabled(void **state)
{
	struct hv_arm_ptimer t = {0};

	(void)state;
	assert_int_equal(rd(&t, CNTP_CTL, 1000), 0);
	assert_int_equal(rd(&t, CNTP_CVAL, 1000), 0);
	assert_int_equal(hv_arm_ptimer_deadline(&t), HV_ARM_PTIMER_NEVER);
	assert_false(hv_arm_ptimer_expire(&t, 1000));
}

static void ptimer_other_registers_are_not_its(void **state)
{
	struct hv_arm_ptimer t = {0};
	uint64_t v = 1;

	(void)state;
	assert_false(hv_arm_ptimer_access(&t, CNTV_CTL, false, &v, 0));
	assert_false(hv_arm_ptimer_access(&t, HV_ARM_SYSREG(3, 0, 1, 0, 0),
					  true, &v, 0));
	assert_int_equal(v, 1);
	assert_int_equal(t.ctl, 0);
}

/* CVAL then ENABLE: the interrupt is due once the counter reaches CVAL,
 * ISTATUS reads the condition, and it is given once. */
static void ptimer_cval_fires_once(void **state)
{
	struct hv_arm_ptimer t = {0};

	(void)state;
	wr(&t, CNTP_CVAL, 5000, 100);
	wr(&t, CNTP_CTL, ENABLE, 100);
	assert_int_equal(rd(&t, CNTP_CTL, 4999), ENABLE);
	assert_int_equal(rd(&t, CNTP_CTL, 5000), ENABLE | ISTATUS);
	assert_int_equal(hv_arm_ptimer_deadline(&t), 5000);
	assert_false(hv_arm_ptimer_expire(&t, 4999));
	assert_true(hv_arm_ptimer_expire(&t, 5000));
	assert_false(hv_arm_ptimer_expire(&t, 6000));
	assert_int_equal(hv_arm_ptimer_deadline(&t), HV_ARM_PTIMER_NEVER);
	/* The condition still holds: ISTATUS stays until the guest acts. */
	assert_int_equal(rd(&t, CNTP_CTL, 6000), ENABLE | ISTATUS);
	/* Re-armed: due again. */
	wr(&t, CNTP_CVAL, 7000, 6000);
	assert_int_equal(rd(&t, CNTP_CTL, 6000), ENABLE);
	assert_int_equal(hv_arm_ptimer_deadline(&t), 7000);
}

/* TVAL: writes a signed 32-bit offset from now, reads what is left. */
static void ptimer_tval(void **state)
{
	struct hv_arm_ptimer t = {.ctl = ENABLE};

	(void)state;
	wr(&t, CNTP_TVAL, 625, 1000000);
	assert_int_equal(rd(&t, CNTP_CVAL, 1000000), 1000625);
	assert_int_equal(rd(&t, CNTP_TVAL, 1000000), 625);
	assert_int_equal(rd(&t, CNTP_TVAL, 1000600), 25);
	/* Past the compare value it reads negative, as 32 bits. */
	assert_int_equal(rd(&t, CNTP_TVAL, 1000635), 0xfffffff6);
	/* A negative TVAL is in the past: due now. */
	wr(&t, CNTP_TVAL, 0xffffff00, 1000000); /* -256 */
	assert_int_equal(rd(&t, CNTP_CVAL, 1000000), 1000000 - 256);
	assert_true(hv_arm_ptimer_expire(&t, 1000000));
	/* Only the low 32 bits of a TVAL write count. */
	wr(&t, CNTP_TVAL, 0xabcd00000010ull, 50);
	assert_int_equal(rd(&t, CNTP_CVAL, 50), 66);
}

/* Masked: no interrupt; unmasked while the condition holds: due at once.
 * Disabled: nothing, and ISTATUS reads 0. */
static void ptimer_mask_and_disable(void **state)
{
	struct hv_arm_ptimer t = {0};

	(void)state;
	wr(&t, CNTP_CVAL, 100, 0);
	wr(&t, CNTP_CTL, ENABLE | IMASK | ISTATUS, 0); /* ISTATUS is RO */
	assert_int_equal(rd(&t, CNTP_CTL, 50), ENABLE | IMASK);
	assert_int_equal(hv_arm_ptimer_deadline(&t), HV_ARM_PTIMER_NEVER);
	assert_false(hv_arm_ptimer_expire(&t, 200));
	assert_int_equal(rd(&t, CNTP_CTL, 200), ENABLE | IMASK | ISTATUS);
	wr(&t, CNTP_CTL, ENABLE, 200);
	assert_true(hv_arm_ptimer_expire(&t, 200));
	/* Masking and unmasking again does not give it twice... */
	wr(&t, CNTP_CTL, ENABLE | IMASK, 200);
	wr(&t, CNTP_CTL, ENABLE, 200);
	assert_false(hv_arm_ptimer_expire(&t, 300));
	/* ...but disabling and enabling arms it afresh. */
	wr(&t, CNTP_CTL, 0, 300);
	assert_int_equal(rd(&t, CNTP_CTL, 300), 0);
	assert_false(hv_arm_ptimer_expire(&t, 300));
	wr(&t, CNTP_CTL, ENABLE, 300);
	assert_true(hv_arm_ptimer_expire(&t, 300));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(whole_ticks),
	    cmocka_unit_test(large_counts_do_not_overflow),
	    cmocka_unit_test(conversions_round_trip_without_firing_early),
	    cmocka_unit_test(negative_times_are_tick_zero),
	    cmocka_unit_test(ptimer_resets_disabled),
	    cmocka_unit_test(ptimer_other_registers_are_not_its),
	    cmocka_unit_test(ptimer_cval_fires_once),
	    cmocka_unit_test(ptimer_tval),
	    cmocka_unit_test(ptimer_mask_and_disable),
	};
	return cmocka_run_group_tests_name("arm-timer", tests, NULL, NULL);
}
