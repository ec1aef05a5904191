/* The virtual local APIC: reset values, ICR routing, priorities, EOI
 * order and the timer's deadlines in each mode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <hv/error.h>
#include <hv/x86_vlapic.h>

#define T0 1000000u /* ns: an arbitrary start time */

static uint32_t rd(const struct hv_x86_vlapic *l, unsigned int reg)
{
	return hv_x86_vlapic_read(l, reg, T0);
}

static void wr(struct hv_x86_vlapic *l, unsigned int reg, uint32_t val)
{
	struct hv_x86_vlapic_ipi ipi;

	assert_false(hv_x86_vlapic_write(l, reg, val, T0, &ipi));
}

static void enabled(struct hv_x86_vlapic *l, uint32_t id)
{
	hv_x86_vlapic_reset(l, id);
	wr(l, HV_X86_LAPIC_SVR, 0x1ff);
}

static void reset_values(void **state)
{
	struct hv_x86_vlapic l;

	(void)state;
	hv_x86_vlapic_reset(&l, 3);
	assert_int_equal(rd(&l, HV_X86_LAPIC_ID), 3u << 24);
	assert_int_equal(rd(&l, HV_X86_LAPIC_VERSION), 0x50014);
	assert_int_equal(rd(&l, HV_X86_LAPIC_TPR), 0);
	assert_int_equal(rd(&l, HV_X86_LAPIC_APR), 0);
	assert_int_equal(rd(&l, HV_X86_LAPIC_PPR), 0);
	assert_int_equal(rd(&l, HV_X86_LAPIC_EOI), 0);
	assert_int_equal(rd(&l, HV_X86_LAPIC_LDR), 0);
	assert_int_equal(rd(&l, HV_X86_LAPIC_DFR), 0xffffffff);
	assert_int_equal(rd(&l, HV_X86_LAPIC_SVR), 0xff);
	for (unsigned int i = 0; i < 8; i++) {
		assert_int_equal(rd(&l, HV_X86_LAPIC_ISR + 16 * i), 0);
		assert_int_equal(rd(&l, HV_X86_LAPIC_TMR + 16 * i), 0);
		assert_int_equal(rd(&l, HV_X86_LAPIC_IRR + 16 * i), 0);
	}
	assert_int_equal(rd(&l, HV_X86_LAPIC_ESR), 0);
	assert_int_equal(rd(&l, HV_X86_LAPIC_ICR_LO), 0);
	assert_int_equal(rd(&l, HV_X86_LAPIC_ICR_HI), 0);
	for (unsigned int r = HV_X86_LAPIC_LVT_TIMER;
	     r <= HV_X86_LAPIC_LVT_ERROR; r += 16)
		assert_int_equal(rd(&l, r), 0x10000);
	assert_int_equal(rd(&l, HV_X86_LAPIC_TIMER_INITIAL), 0);
	assert_int_equal(rd(&l, HV_X86_LAPIC_TIMER_CURRENT), 0);
	assert_int_equal(rd(&l, HV_X86_LAPIC_TIMER_DIVIDE), 0);
	assert_true(hv_x86_vlapic_timer_deadline(&l) == HV_TIME_NEVER);
	/* Sub-register offsets read the register they lie in. */
	assert_int_equal(hv_x86_vlapic_read(&l, HV_X86_LAPIC_ID + 3, T0),
			 3u << 24);
}

static void writes(void **state)
{
	struct hv_x86_vlapic l;

	(void)state;
	hv_x86_vlapic_reset(&l, 1);
	/* Read-only registers ignore writes. */
	wr(&l, HV_X86_LAPIC_ID, 0x7000000);
	wr(&l, HV_X86_LAPIC_VERSION, 0);
	assert_int_equal(rd(&l, HV_X86_LAPIC_ID), 1u << 24);
	assert_int_equal(rd(&l, HV_X86_LAPIC_VERSION), 0x50014);
	/* Disabled in software: LVTs stay masked. */
	wr(&l, HV_X86_LAPIC_LVT_LINT0, 0x700);
	assert_int_equal(rd(&l, HV_X86_LAPIC_LVT_LINT0), 0x10700);
	wr(&l, HV_X86_LAPIC_SVR, 0xfffff1ff);
	assert_int_equal(rd(&l, HV_X86_LAPIC_SVR), 0x1ff);
	wr(&l, HV_X86_LAPIC_LVT_LINT0, 0xffffffff);
	assert_int_equal(rd(&l, HV_X86_LAPIC_LVT_LINT0), 0x1a7ff);
	wr(&l, HV_X86_LAPIC_LVT_TIMER, 0xffffffff);
	assert_int_equal(rd(&l, HV_X86_LAPIC_LVT_TIMER), 0x700ff);
	wr(&l, HV_X86_LAPIC_LVT_ERROR, 0x000000fe);
	assert_int_equal(rd(&l, HV_X86_LAPIC_LVT_ERROR), 0xfe);
	/* Disabling masks them all again. */
	wr(&l, HV_X86_LAPIC_SVR, 0xff);
	assert_int_equal(rd(&l, HV_X86_LAPIC_LVT_ERROR), 0x100fe);
	wr(&l, HV_X86_LAPIC_LDR, 0x12345678);
	assert_int_equal(rd(&l, HV_X86_LAPIC_LDR), 0x12000000);
	wr(&l, HV_X86_LAPIC_DFR, 0x0);
	assert_int_equal(rd(&l, HV_X86_LAPIC_DFR), 0x0fffffff);
	wr(&l, HV_X86_LAPIC_TPR, 0x1ff);
	assert_int_equal(rd(&l, HV_X86_LAPIC_TPR), 0xff);
	wr(&l, HV_X86_LAPIC_ICR_HI, 0x02ffffff);
	assert_int_equal(rd(&l, HV_X86_LAPIC_ICR_HI), 0x02000000);
	wr(&l, HV_X86_LAPIC_TIMER_DIVIDE, 0xff);
	assert_int_equal(rd(&l, HV_X86_LAPIC_TIMER_DIVIDE), 0xb);
}

static struct hv_x86_vlapic_ipi send(struct hv_x86_vlapic *l, uint32_t hi,
				     uint32_t lo, bool sends)
{
	struct hv_x86_vlapic_ipi ipi;

	wr(l, HV_X86_LAPIC_ICR_HI, hi);
	assert_int_equal(
	    hv_x86_vlapic_write(l, HV_X86_LAPIC_ICR_LO, lo, T0, &ipi), sends);
	return ipi;
}

/* Which of four APICs (IDs 0-3) an IPI from APIC 1 reaches, as a mask. */
static unsigned int routed(struct hv_x86_vlapic *apics, uint32_t hi,
			   uint32_t lo)
{
	struct hv_x86_vlapic_ipi ipi = send(&apics[1], hi, lo, true);
	unsigned int mask = 0;

	assert_int_equal(ipi.vector, lo & 0xff);
	assert_int_equal(ipi.source, 1);
	for (unsigned int i = 0; i < 4; i++)
		if (hv_x86_vlapic_ipi_targets(&apics[i], &ipi))
			mask |= 1u << i;
	return mask;
}

static void icr_routing(void **state)
{
	struct hv_x86_vlapic a[4];
	struct hv_x86_vlapic_ipi ipi;

	(void)state;
	for (uint32_t i = 0; i < 4; i++) {
		enabled(&a[i], i);
		wr(&a[i], HV_X86_LAPIC_LDR, (1u << i) << 24); /* flat */
	}
	/* Physical: one APIC, or 0xff for all; none for an absent ID. */
	assert_int_equal(routed(a, 2u << 24, 0x40f0), 0x4);
	assert_int_equal(routed(a, 0xffu << 24, 0x40f0), 0xf);
	assert_int_equal(routed(a, 9u << 24, 0x40f0), 0);
	/* Shorthands ignore the destination: self, all, all but self. */
	assert_int_equal(routed(a, 2u << 24, 0x440f0), 0x2);
	assert_int_equal(routed(a, 2u << 24, 0x840f0), 0xf);
	assert_int_equal(routed(a, 2u << 24, 0xc40f0), 0xd);
	/* Logical flat: a bit per APIC. */
	assert_int_equal(routed(a, 0x09u << 24, 0x48f0), 0x9);
	/* Logical cluster: cluster 1, members 0 and 1. */
	/* APICs 0 and 1 are in cluster 0 (LDR 0x01, 0x02), 2 and 3 in
	 * cluster 1 (0x11, 0x12). */
	for (uint32_t i = 0; i < 4; i++) {
		static const uint32_t ldr[4] = {0x01, 0x02, 0x11, 0x12};

		wr(&a[i], HV_X86_LAPIC_DFR, 0x0fffffff);
		wr(&a[i], HV_X86_LAPIC_LDR, ldr[i] << 24);
	}
	assert_int_equal(routed(a, 0x12u << 24, 0x48f0), 0x8);
	assert_int_equal(routed(a, 0x13u << 24, 0x48f0), 0xc);
	assert_int_equal(routed(a, 0x01u << 24, 0x48f0), 0x1);
	/* The sent ICR reads back, delivery status idle. */
	assert_int_equal(rd(&a[1], HV_X86_LAPIC_ICR_LO), 0x48f0);
	/* INIT (level assert) and STARTUP are the caller's; NMI, SMI and
	 * an INIT de-assert send nothing. */
	ipi = send(&a[1], 0, 0x4500, true);
	assert_int_equal(ipi.mode, HV_X86_IPI_INIT);
	ipi = send(&a[1], 0, 0x469e, true);
	assert_int_equal(ipi.mode, HV_X86_IPI_STARTUP);
	assert_int_equal(ipi.vector, 0x9e);
	send(&a[1], 0, 0x8500, false);
	send(&a[1], 0, 0x4400, false);
	send(&a[1], 0, 0x4200, false);
	/* A fixed vector below 16 is illegal: ESR bit 5 once latched. */
	send(&a[1], 0, 0x400f, false);
	assert_int_equal(rd(&a[1], HV_X86_LAPIC_ESR), 0);
	wr(&a[1], HV_X86_LAPIC_ESR, 0);
	assert_int_equal(rd(&a[1], HV_X86_LAPIC_ESR), 0x20);
	wr(&a[1], HV_X86_LAPIC_ESR, 0);
	assert_int_equal(rd(&a[1], HV_X86_LAPIC_ESR), 0);
}

static void deliver(struct hv_x86_vlapic *l, int expect)
{
	assert_int_equal(hv_x86_vlapic_pending(l), expect);
	if (expect >= 0)
		hv_x86_vlapic_ack(l, (uint8_t)expect);
}

static void priorities(void **state)
{
	struct hv_x86_vlapic l;

	(void)state;
	hv_x86_vlapic_reset(&l, 0);
	/* Refused below 16; pending only once; nothing while disabled. */
	assert_false(hv_x86_vlapic_accept(&l, 15));
	assert_true(hv_x86_vlapic_accept(&l, 0x31));
	assert_false(hv_x86_vlapic_accept(&l, 0x31));
	assert_int_equal(rd(&l, HV_X86_LAPIC_IRR + 0x10), 1u << 17);
	deliver(&l, -1);
	wr(&l, HV_X86_LAPIC_SVR, 0x1ff);
	/* The TPR holds back its class and below. */
	wr(&l, HV_X86_LAPIC_TPR, 0x35);
	assert_int_equal(rd(&l, HV_X86_LAPIC_PPR), 0x35);
	deliver(&l, -1);
	assert_true(hv_x86_vlapic_accept(&l, 0x41));
	assert_true(hv_x86_vlapic_accept(&l, 0x40));
	assert_true(hv_x86_vlapic_accept(&l, 0xe0));
	/* Highest first; the in-service class raises the PPR. */
	deliver(&l, 0xe0);
	assert_int_equal(rd(&l, HV_X86_LAPIC_ISR + 0x70), 1);
	assert_int_equal(rd(&l, HV_X86_LAPIC_IRR + 0x70), 0);
	assert_int_equal(rd(&l, HV_X86_LAPIC_PPR), 0xe0);
	deliver(&l, -1);
	/* EOI ends 0xe0; 0x41 then (same class as 0x40: not nested). */
	wr(&l, HV_X86_LAPIC_EOI, 0);
	assert_int_equal(rd(&l, HV_X86_LAPIC_PPR), 0x35);
	deliver(&l, 0x41);
	assert_int_equal(rd(&l, HV_X86_LAPIC_PPR), 0x40);
	deliver(&l, -1);
	/* A higher class nests. */
	assert_true(hv_x86_vlapic_accept(&l, 0x51));
	deliver(&l, 0x51);
	/* EOI ends the highest in service first: 0x51, then 0x41 (both
	 * in ISR word 2, vectors 0x40-0x5f). */
	assert_int_equal(rd(&l, HV_X86_LAPIC_ISR + 0x20), 0x20002);
	wr(&l, HV_X86_LAPIC_EOI, 0);
	assert_int_equal(rd(&l, HV_X86_LAPIC_ISR + 0x20), 2);
	wr(&l, HV_X86_LAPIC_EOI, 0);
	assert_int_equal(rd(&l, HV_X86_LAPIC_ISR + 0x20), 0);
	deliver(&l, 0x40);
	wr(&l, HV_X86_LAPIC_EOI, 0);
	deliver(&l, -1);
	/* 0x31 is still held back by the TPR; lowering it frees it. */
	wr(&l, HV_X86_LAPIC_TPR, 0);
	deliver(&l, 0x31);
	wr(&l, HV_X86_LAPIC_EOI, 0);
	/* An EOI with nothing in service does nothing. */
	wr(&l, HV_X86_LAPIC_EOI, 0);
	assert_int_equal(rd(&l, HV_X86_LAPIC_PPR), 0);
}

static void timer_one_shot(void **state)
{
	struct hv_x86_vlapic l;

	(void)state;
	enabled(&l, 0);
	wr(&l, HV_X86_LAPIC_LVT_TIMER, 0xec);
	wr(&l, HV_X86_LAPIC_TIMER_DIVIDE, 0x3); /* by 16 */
	wr(&l, HV_X86_LAPIC_TIMER_INITIAL, 1000);
	assert_int_equal(hv_x86_vlapic_timer_deadline(&l), T0 + 16000);
	assert_int_equal(
	    hv_x86_vlapic_read(&l, HV_X86_LAPIC_TIMER_CURRENT, T0 + 8000), 500);
	assert_false(hv_x86_vlapic_timer_fire(&l, T0 + 15999));
	assert_true(hv_x86_vlapic_timer_fire(&l, T0 + 16000));
	assert_true(hv_x86_vlapic_timer_deadline(&l) == HV_TIME_NEVER);
	assert_int_equal(
	    hv_x86_vlapic_read(&l, HV_X86_LAPIC_TIMER_CURRENT, T0 + 20000), 0);
	assert_int_equal(hv_x86_vlapic_pending(&l), 0xec);
	/* Divide by 1 (0b1011); a count of 0 stops the timer. */
	wr(&l, HV_X86_LAPIC_TIMER_DIVIDE, 0xb);
	wr(&l, HV_X86_LAPIC_TIMER_INITIAL, 10);
	assert_int_equal(hv_x86_vlapic_timer_deadline(&l), T0 + 10);
	wr(&l, HV_X86_LAPIC_TIMER_INITIAL, 0);
	assert_true(hv_x86_vlapic_timer_deadline(&l) == HV_TIME_NEVER);
	/* Masked: it expires without an interrupt. */
	wr(&l, HV_X86_LAPIC_LVT_TIMER, 0x100ec);
	wr(&l, HV_X86_LAPIC_TIMER_INITIAL, 10);
	assert_false(hv_x86_vlapic_timer_fire(&l, T0 + 10));
	assert_true(hv_x86_vlapic_timer_deadline(&l) == HV_TIME_NEVER);
}

static void timer_periodic(void **state)
{
	struct hv_x86_vlapic l;

	(void)state;
	enabled(&l, 0);
	wr(&l, HV_X86_LAPIC_LVT_TIMER, 0x200ec);
	wr(&l, HV_X86_LAPIC_TIMER_DIVIDE, 0x0); /* by 2 */
	wr(&l, HV_X86_LAPIC_TIMER_INITIAL, 500);
	assert_int_equal(hv_x86_vlapic_timer_deadline(&l), T0 + 1000);
	assert_int_equal(
	    hv_x86_vlapic_read(&l, HV_X86_LAPIC_TIMER_CURRENT, T0 + 1250), 375);
	assert_true(hv_x86_vlapic_timer_fire(&l, T0 + 1000));
	assert_int_equal(hv_x86_vlapic_timer_deadline(&l), T0 + 2000);
	/* Late by 2.5 periods: the next one after now, none made up. */
	hv_x86_vlapic_ack(&l, 0xec);
	assert_true(hv_x86_vlapic_timer_fire(&l, T0 + 4500));
	assert_int_equal(hv_x86_vlapic_timer_deadline(&l), T0 + 5000);
	/* Changing the mode stops it. */
	wr(&l, HV_X86_LAPIC_LVT_TIMER, 0xec);
	assert_true(hv_x86_vlapic_timer_deadline(&l) == HV_TIME_NEVER);
	assert_int_equal(rd(&l, HV_X86_LAPIC_TIMER_INITIAL), 0);
}

static void timer_tsc_deadline(void **state)
{
	struct hv_x86_vlapic l;

	(void)state;
	enabled(&l, 0);
	/* Not in TSC-deadline mode: the MSR is ignored. */
	hv_x86_vlapic_set_tsc_deadline(&l, 5000, T0 + 100);
	assert_int_equal(hv_x86_vlapic_tsc_deadline(&l), 0);
	wr(&l, HV_X86_LAPIC_LVT_TIMER, 0x400ec);
	/* The initial count is ignored in this mode. */
	wr(&l, HV_X86_LAPIC_TIMER_INITIAL, 10);
	assert_true(hv_x86_vlapic_timer_deadline(&l) == HV_TIME_NEVER);
	hv_x86_vlapic_set_tsc_deadline(&l, 5000, T0 + 100);
	assert_int_equal(hv_x86_vlapic_tsc_deadline(&l), 5000);
	assert_int_equal(hv_x86_vlapic_timer_deadline(&l), T0 + 100);
	assert_int_equal(rd(&l, HV_X86_LAPIC_TIMER_CURRENT), 0);
	assert_false(hv_x86_vlapic_timer_fire(&l, T0 + 99));
	assert_true(hv_x86_vlapic_timer_fire(&l, T0 + 100));
	assert_int_equal(hv_x86_vlapic_tsc_deadline(&l), 0);
	assert_true(hv_x86_vlapic_timer_deadline(&l) == HV_TIME_NEVER);
	/* 0 disarms. */
	hv_x86_vlapic_set_tsc_deadline(&l, 6000, T0 + 200);
	hv_x86_vlapic_set_tsc_deadline(&l, 0, T0);
	assert_true(hv_x86_vlapic_timer_deadline(&l) == HV_TIME_NEVER);
}

/* x2APIC mode (SDM 11.12): the registers as MSRs, refusing what a CPU
 * refuses, and IPIs with 32-bit destinations. */
static uint64_t msr_rd(const struct hv_x86_vlapic *l, uint32_t msr)
{
	uint64_t v = 0xdead;

	assert_int_equal(hv_x86_vlapic_msr_read(l, msr, T0, &v), 0);
	return v;
}

static void msr_wr(struct hv_x86_vlapic *l, uint32_t msr, uint64_t val)
{
	struct hv_x86_vlapic_ipi ipi;

	assert_int_equal(hv_x86_vlapic_msr_write(l, msr, val, T0, &ipi), 0);
}

static void x2apic_registers(void **state)
{
	struct hv_x86_vlapic l;
	struct hv_x86_vlapic_ipi ipi;
	uint64_t v;

	(void)state;
	enabled(&l, 0x23);
	/* Nothing as MSRs in xAPIC mode. */
	assert_int_equal(hv_x86_vlapic_msr_read(&l, 0x803, T0, &v), -HV_EINVAL);
	assert_int_equal(hv_x86_vlapic_msr_write(&l, 0x808, 0, T0, &ipi),
			 -HV_EINVAL);
	wr(&l, HV_X86_LAPIC_TPR, 0x30);
	hv_x86_vlapic_enter_x2apic(&l);
	/* The state stays; the ID reads whole, the LDR follows it. */
	assert_int_equal(msr_rd(&l, 0x808), 0x30);
	assert_int_equal(msr_rd(&l, 0x802), 0x23);
	assert_int_equal(msr_rd(&l, 0x80d), 2u << 16 | 1u << 3);
	assert_int_equal(msr_rd(&l, 0x803), HV_X86_VLAPIC_VERSION);
	assert_int_equal(msr_rd(&l, 0x80f), 0x1ff);
	assert_int_equal(msr_rd(&l, 0x832), HV_X86_LVT_MASKED);
	/* Missing or write-only registers, and the range's edges. */
	for (uint32_t msr = 0x7ff; msr <= 0x900; msr++) {
		unsigned int reg = (msr - 0x800) << 4;
		/* ID, version, TPR, PPR, LDR, SVR; ISR, TMR, IRR, ESR;
		 * ICR; the LVTs and the counts; the divider. */
		bool readable = reg == 0x20 || reg == 0x30 || reg == 0x80 ||
				reg == 0xa0 || reg == 0xd0 || reg == 0xf0 ||
				(reg >= 0x100 && reg <= 0x280) ||
				reg == 0x300 ||
				(reg >= 0x320 && reg <= 0x390) || reg == 0x3e0;
		bool gp = msr < 0x800 || msr > 0x8ff || !readable;

		assert_int_equal(hv_x86_vlapic_msr_read(&l, msr, T0, &v),
				 gp ? -HV_EINVAL : 0);
	}
	/* Read-only, reserved bits, the high half, EOI and ESR but 0. */
	const struct {
		uint32_t msr;
		uint64_t val;
	} refused[] = {
	    {0x802, 0x23},	  {0x80d, 0},	     {0x803, 0},
	    {0x80e, 0},		  {0x831, 0},	     {0x808, 0x100},
	    {0x808, 1ull << 32},  {0x80b, 1},	     {0x828, 1},
	    {0x80f, 0x1000},	  {0x832, 1u << 19}, {0x832, 1u << 12},
	    {0x83e, 0x4},
	    {0x83f, 0x100},	  {0x830, 1u << 20}, {0x839, 0},
	    {0x900, 0},
	};
	for (unsigned int i = 0; i < sizeof(refused) / sizeof(refused[0]);
	     i++) {
		assert_int_equal(hv_x86_vlapic_msr_write(&l, refused[i].msr,
							 refused[i].val, T0,
							 &ipi),
				 -HV_EINVAL);
	}
	assert_int_equal(msr_rd(&l, 0x808), 0x30);
	msr_wr(&l, 0x80b, 0);
	msr_wr(&l, 0x828, 0);
	msr_wr(&l, 0x808, 0);
	assert_int_equal(msr_rd(&l, 0x80a), 0);
	/* The timer, as in xAPIC mode. */
	msr_wr(&l, 0x83e, 0xb);
	msr_wr(&l, 0x832, 0x40);
	msr_wr(&l, 0x838, 1000);
	assert_int_equal(msr_rd(&l, 0x839), 1000);
	assert_true(hv_x86_vlapic_timer_deadline(&l) == T0 + 1000);
}

static void x2apic_ipis(void **state)
{
	struct hv_x86_vlapic a, b, c;
	struct hv_x86_vlapic_ipi ipi;
	uint64_t icr;

	(void)state;
	enabled(&a, 0x2);   /* cluster 0, bit 2 */
	enabled(&b, 0x11);  /* cluster 1, bit 1 */
	enabled(&c, 0x100); /* beyond xAPIC's 8 bits */
	hv_x86_vlapic_enter_x2apic(&a);
	hv_x86_vlapic_enter_x2apic(&b);
	hv_x86_vlapic_enter_x2apic(&c);
	/* Physical: the whole 32-bit ID; all ones for all. */
	assert_int_equal(
	    hv_x86_vlapic_msr_write(&a, 0x830, 0x100ull << 32 | 0x40, T0, &ipi),
	    1);
	assert_true(ipi.x2apic);
	assert_int_equal(ipi.dest, 0x100);
	assert_int_equal(ipi.vector, 0x40);
	assert_true(hv_x86_vlapic_ipi_targets(&c, &ipi));
	assert_false(hv_x86_vlapic_ipi_targets(&a, &ipi));
	icr = msr_rd(&a, 0x830);
	assert_true(icr == (0x100ull << 32 | 0x40));
	assert_int_equal(hv_x86_vlapic_msr_write(&a, 0x830,
						 0xffffffffull << 32 | 0x41,
						 T0, &ipi),
			 1);
	assert_true(hv_x86_vlapic_ipi_targets(&a, &ipi));
	assert_true(hv_x86_vlapic_ipi_targets(&b, &ipi));
	assert_true(hv_x86_vlapic_ipi_targets(&c, &ipi));
	/* Logical: cluster 1, bits 1 and 2: b alone (a has bit 2 in
	 * cluster 0). */
	assert_int_equal(
	    hv_x86_vlapic_msr_write(&a, 0x830,
				    (1ull << 16 | 0x6) << 32 | 1u << 11 | 0x42,
				    T0, &ipi),
	    1);
	assert_false(hv_x86_vlapic_ipi_targets(&a, &ipi));
	assert_true(hv_x86_vlapic_ipi_targets(&b, &ipi));
	assert_false(hv_x86_vlapic_ipi_targets(&c, &ipi));
	/* SELF IPI: to itself, the ICR untouched; an illegal vector is an
	 * error sent. */
	assert_int_equal(hv_x86_vlapic_msr_write(&b, 0x83f, 0x50, T0, &ipi),
			 1);
	assert_int_equal(ipi.mode, HV_X86_IPI_FIXED);
	assert_int_equal(ipi.vector, 0x50);
	assert_true(hv_x86_vlapic_ipi_targets(&b, &ipi));
	assert_false(hv_x86_vlapic_ipi_targets(&a, &ipi));
	assert_int_equal(msr_rd(&b, 0x830), 0);
	assert_int_equal(hv_x86_vlapic_msr_write(&b, 0x83f, 0x5, T0, &ipi),
			 0);
	msr_wr(&b, 0x828, 0);
	assert_int_equal(msr_rd(&b, 0x828), 1u << 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reset_values),
	    cmocka_unit_test(writes),
	    cmocka_unit_test(icr_routing),
	    cmocka_unit_test(priorities),
	    cmocka_unit_test(timer_one_shot),
	    cmocka_unit_test(timer_periodic),
	    cmocka_unit_test(timer_tsc_deadline),
	    cmocka_unit_test(x2apic_registers),
	    cmocka_unit_test(x2apic_ipis),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
