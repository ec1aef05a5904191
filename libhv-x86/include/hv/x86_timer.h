/*
 * hv/x86_timer.h - time for the hypervisor: the TSC, calibrated against
 * the local APIC timer, and the local APIC timer (one-shot) as the
 * hypervisor's preemption tick.
 *
 * The local APIC is used in xAPIC mode through its MMIO page (which the
 * boot identity map covers, uncached).  The APIC timer's input clock is
 * not discoverable on every machine; the caller says what it is: under
 * QEMU (TCG or KVM's emulated APIC) it counts nanoseconds, 1 GHz with the
 * divider at 1.  Machines without a PIT (QEMU's microvm) leave no other
 * reference, so the TSC is measured against it.
 */
#ifndef HV_X86_TIMER_H
#define HV_X86_TIMER_H

#include <hv/types.h>

HV_BEGIN_DECLS

/* QEMU's APIC timer input clock with the divider at 1: one tick per ns. */
#define HV_X86_LAPIC_HZ_QEMU UINT64_C(1000000000)

/* The local APIC timer and the TSC, as the hypervisor uses them. */
struct hv_x86_timer {
	volatile uint32_t *lapic; /* the local APIC's register page */
	uint64_t lapic_hz;	  /* APIC timer ticks per second */
	uint64_t tsc_hz;	  /* TSC ticks per second, measured */
	unsigned int vector;	  /* the timer's interrupt vector */
};

/*
 * Set up the local APIC of this CPU as the only interrupt source: software
 * enable with spurious vector 0xff, LINT0/LINT1 and the legacy 8259 PICs
 * masked, the timer one-shot on `vector` (32..254) and stopped; then
 * measure the TSC over 1 ms of APIC timer, both clocks read together at
 * each end (so a delay in between does not count).  0, or -HV_ENODEV if the
 * APIC is off or in x2APIC mode, or its timer does not count.
 */
int hv_x86_timer_init(struct hv_x86_timer *t, uint64_t lapic_hz,
		      unsigned int vector);

/*
 * The same for another CPU, once the boot CPU has set up `boot` (the
 * calibration is the boot CPU's: every CPU's TSC counts alike and, under
 * QEMU, in step): this CPU's own local APIC set up as the boot CPU's, the
 * timer on the same vector, stopped.  `boot` then serves every CPU, each
 * reaching its own APIC at the same address.  0, or -HV_ENODEV if this
 * APIC is off, in x2APIC mode or elsewhere.
 */
int hv_x86_timer_init_secondary(const struct hv_x86_timer *boot);

/* Now, in ns of TSC time. */
hv_time_t hv_x86_timer_now(const struct hv_x86_timer *t);

/* Interrupt this CPU at `deadline` (absolute ns), or a little after; at once if
 * it has passed; HV_TIME_NEVER stops the timer.  Deadlines more than ~4 s away
 * (the 32-bit counter) fire early: re-arm then. */
void hv_x86_timer_set(const struct hv_x86_timer *t, hv_time_t deadline);

/* Acknowledge the interrupt this CPU is handling (EOI). */
void hv_x86_timer_eoi(const struct hv_x86_timer *t);

/* Conversions between ticks of a `hz` clock and ns, exact for every tick
 * count whose ns fit in hv_time_t (no 128-bit arithmetic); ns to ticks
 * rounds up, so a timer never fires before its time. */
hv_time_t hv_x86_ticks_to_ns(uint64_t ticks, uint64_t hz);
uint64_t hv_x86_ns_to_ticks(hv_time_t ns, uint64_t hz);

/* A down-counting timer's count, and the TSC when it was read: the
 * middle of two TSC reads around the count's, `spread` ticks apart (the
 * reader keeps the closest of several; the rate below does not use it). */
struct hv_x86_clock_reading {
	uint64_t tsc;
	uint64_t spread;
	uint32_t count;
};

/*
 * The TSC's rate, from two readings taken while a down-counting timer at
 * `timer_hz` ran: TSC ticks over timer ticks, scaled to a second, with no
 * product that can overflow whatever the delay between the readings.  0
 * if the count did not go down, or ran out (is 0 at the end: a one-shot
 * count stops there, so the time it shows is too short), or the TSC did
 * not go forward.
 * hv_x86_timer_init measures with it.
 */
uint64_t hv_x86_tsc_hz(const struct hv_x86_clock_reading *start,
		       const struct hv_x86_clock_reading *end,
		       uint64_t timer_hz);

HV_END_DECLS

#endif /* HV_X86_TIMER_H */
