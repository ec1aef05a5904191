/*
 * The local APIC: its timer, TSC calibration and IPIs (AMD APM vol. 2,
 * 16.4 "Local APIC", 16.5 "Interprocessor Interrupts"; the register
 * offsets are the xAPIC MMIO ones).
 */
#include <hv/error.h>
#include <hv/x86_lapic.h>
#include <hv/x86_timer.h>

#include "x86_asm.h"

#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ADDR	 0xfffff000ull

/* Register offsets, in 32-bit words. */
#define ID	      (0x020 / 4)
#define TPR	      (0x080 / 4)
#define EOI	      (0x0b0 / 4)
#define SVR	      (0x0f0 / 4)
#define LVT_TIMER     (0x320 / 4)
#define LVT_LINT0     (0x350 / 4)
#define LVT_LINT1     (0x360 / 4)
#define LVT_ERROR     (0x370 / 4)
#define TIMER_INITIAL (0x380 / 4)
#define TIMER_CURRENT (0x390 / 4)
#define TIMER_DIVIDE  (0x3e0 / 4)
#define ICR_LOW	      (0x300 / 4)
#define ICR_HIGH      (0x310 / 4)

#define SVR_ENABLE	(1u << 8)
#define SPURIOUS_VECTOR 0xffu
#define LVT_MASKED	(1u << 16)
#define DIVIDE_BY_1	0xbu
#define ICR_PENDING	(1u << 12) /* delivery status: not yet sent */
#define ID_SHIFT	24

#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1

#define CALIBRATE_NS 1000000 /* 1 ms */
#define READINGS     3
#define CALIBRATIONS 3 /* tries before the timer is taken for broken */
/* TSC ticks (~30 s at 2 GHz) after which a count that will not go down is
 * given up on. */
#define GIVE_UP_TSC (UINT64_C(1) << 36)

static void mask_legacy_pics(void)
{
	/* Firmware (SeaBIOS on -M pc) leaves the PIT's IRQ 0 unmasked; its
	 * vector would land on an exception's.  Nothing here uses them. */
	hv_outb(PIC1_DATA, 0xff);
	hv_outb(PIC2_DATA, 0xff);
}

/* The closest of a few readings: a delay (a host descheduling QEMU's
 * thread for a few ms) widens the one it hits. */
static struct hv_x86_clock_reading read_count(const struct hv_x86_timer *t)
{
	struct hv_x86_clock_reading best = {.spread = UINT64_MAX};

	for (unsigned int i = 0; i < READINGS; i++) {
		uint64_t before = hv_rdtsc();
		uint32_t count = t->lapic[TIMER_CURRENT];
		uint64_t after = hv_rdtsc();

		if (after - before < best.spread)
			best = (struct hv_x86_clock_reading){
			    before + (after - before) / 2, after - before,
			    count};
	}
	return best;
}

/*
 * TSC ticks in `ticks` of APIC timer, scaled to a second.  The two
 * clocks are read together at both ends, so what delays the CPU between
 * the readings (the counting loop, a descheduled host thread: measured,
 * waiting for the count to reach zero made 1 boot in 60 under load see a
 * TSC 8 times too fast, and the loop's own exits made it 1% fast) lengthens
 * both alike.  0 if the timer does not count, or ran out (a delay of
 * more than 2^32 ticks stops the one-shot count at zero).
 */
static uint64_t tsc_hz(const struct hv_x86_timer *t, uint32_t ticks)
{
	struct hv_x86_clock_reading start, end;

	t->lapic[TIMER_INITIAL] = UINT32_MAX;
	start = read_count(t);
	if (start.count < ticks)
		return 0;
	/* One-shot: the count stops at zero at the latest. */
	while (t->lapic[TIMER_CURRENT] > start.count - ticks)
		if (hv_rdtsc() - start.tsc > GIVE_UP_TSC)
			return 0;
	end = read_count(t);
	t->lapic[TIMER_INITIAL] = 0;
	return hv_x86_tsc_hz(&start, &end, t->lapic_hz);
}

/* This CPU's APIC: on, in xAPIC mode, at the address every CPU shares
 * (each sees its own there); 0 or -HV_ENODEV. */
static int lapic_find(volatile uint32_t **lapic)
{
	uint64_t base = hv_rdmsr(MSR_APIC_BASE);

	if (!(base & APIC_BASE_ENABLE) || (base & APIC_BASE_X2APIC))
		return -HV_ENODEV;
	*lapic = (volatile uint32_t *)(uintptr_t)(base & APIC_BASE_ADDR);
	return 0;
}

/* Only the timer interrupts, one-shot and stopped (masked if `masked`). */
static void lapic_setup(const struct hv_x86_timer *t, bool masked)
{
	t->lapic[SVR] = SVR_ENABLE | SPURIOUS_VECTOR;
	t->lapic[TPR] = 0;
	t->lapic[LVT_LINT0] = LVT_MASKED;
	t->lapic[LVT_LINT1] = LVT_MASKED;
	t->lapic[LVT_ERROR] = LVT_MASKED;
	t->lapic[TIMER_DIVIDE] = DIVIDE_BY_1;
	t->lapic[TIMER_INITIAL] = 0;
	t->lapic[LVT_TIMER] = (masked ? LVT_MASKED : 0) | t->vector;
}

int hv_x86_timer_init(struct hv_x86_timer *t, uint64_t lapic_hz,
		      unsigned int vector)
{
	uint64_t ticks = hv_x86_ns_to_ticks(CALIBRATE_NS, lapic_hz);

	if (lapic_find(&t->lapic) || vector < 32 || vector >= SPURIOUS_VECTOR ||
	    ticks == 0 || ticks > UINT32_MAX)
		return -HV_ENODEV;
	t->lapic_hz = lapic_hz;
	t->vector = vector;

	mask_legacy_pics();
	/* Masked while measuring: one-shot, no interrupt. */
	lapic_setup(t, true);
	t->tsc_hz = 0;
	for (unsigned int i = 0; i < CALIBRATIONS && !t->tsc_hz; i++)
		t->tsc_hz = tsc_hz(t, (uint32_t)ticks);
	if (t->tsc_hz == 0)
		return -HV_ENODEV;
	t->lapic[LVT_TIMER] = vector;
	return 0;
}

int hv_x86_timer_init_secondary(const struct hv_x86_timer *boot)
{
	volatile uint32_t *lapic;

	if (lapic_find(&lapic) || lapic != boot->lapic)
		return -HV_ENODEV;
	lapic_setup(boot, false);
	return 0;
}

hv_time_t hv_x86_timer_now(const struct hv_x86_timer *t)
{
	return hv_x86_ticks_to_ns(hv_rdtsc(), t->tsc_hz);
}

void hv_x86_timer_set(const struct hv_x86_timer *t, hv_time_t deadline)
{
	hv_time_t delta;
	uint64_t ticks;

	if (deadline == HV_TIME_NEVER) {
		t->lapic[TIMER_INITIAL] = 0; /* stops it */
		return;
	}
	delta = deadline - hv_x86_timer_now(t);
	ticks = hv_x86_ns_to_ticks(delta, t->lapic_hz);
	t->lapic[TIMER_INITIAL] = (uint32_t)(ticks == 0		  ? 1
					     : ticks > UINT32_MAX ? UINT32_MAX
								  : ticks);
}

void hv_x86_timer_eoi(const struct hv_x86_timer *t)
{
	t->lapic[EOI] = 0;
}

uint32_t hv_x86_lapic_id(volatile uint32_t *lapic)
{
	return lapic[ID] >> ID_SHIFT;
}

void hv_x86_lapic_send(volatile uint32_t *lapic, uint32_t apic_id,
		       uint32_t icr_low)
{
	lapic[ICR_HIGH] = hv_x86_icr_dest(apic_id);
	lapic[ICR_LOW] = icr_low;
	while (lapic[ICR_LOW] & ICR_PENDING)
		__asm__ __volatile__("pause");
}
