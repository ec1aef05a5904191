/*
 * Fuzzing libhv-x86's virtual local APIC (hv/x86_vlapic.h), the model
 * behind every guest's xAPIC page and x2APIC MSRs: register reads and
 * writes in both modes, the switch to x2APIC mode, interrupts raised,
 * acknowledged and ended, the timer firing, resets.
 *
 * Checked after every operation: an x2APIC MSR access refused (#GP) left
 * the APIC exactly as it was, and none is taken in xAPIC mode; in x2APIC
 * mode the LDR is the one the ID makes; an IPI a write sends is a fixed
 * one with a vector of 16 or more (else INIT or STARTUP) and carries the
 * sender's mode and ID; the vector hv_x86_vlapic_pending offers is pending
 * in IRR, at least 16, and above the processor priority's class; a timer
 * deadline is never in the past of the write that armed it.
 *
 * Input: bytes 0-3 the APIC ID (little-endian), then records of 12
 * bytes: byte 0 bits 0-6 the op (mod 9: xAPIC read, xAPIC write (both
 * skipped in x2APIC mode, where the page decodes nothing), MSR read, MSR
 * write, enter x2APIC mode, raise vector byte 1, acknowledge what is
 * pending and end it, fire the timer, reset); byte 1 the register (offset
 * byte 1 * 16 on the page; MSR 0x7f8 + byte 1, plus 256 when byte 0's bit
 * 7 is set, so past both ends of the range); bytes 2-3 the ns the clock
 * moves (times 64); bytes 4-11 the value.
 */
#include "fuzz.h"

#include <hv/error.h>
#include <hv/x86_vlapic.h>

#include <string.h>

#define HEADER 4
#define RECORD 12

static int highest(const uint32_t *bits)
{
	for (int i = 7; i >= 0; i--)
		if (bits[i])
			return i * 32 + 31 - __builtin_clz(bits[i]);
	return -1;
}

static void check_ipi(const struct hv_x86_vlapic *l,
		      const struct hv_x86_vlapic_ipi *ipi)
{
	fuzz_check(ipi->source == l->id && ipi->x2apic == l->x2apic);
	fuzz_check(ipi->mode != HV_X86_IPI_FIXED || ipi->vector >= 16);
}

static void check_state(const struct hv_x86_vlapic *l)
{
	int v = hv_x86_vlapic_pending(l);

	if (l->x2apic)
		fuzz_check(l->ldr == hv_x86_vlapic_x2apic_ldr(l->id));
	if (v >= 0) {
		fuzz_check(v >= 16 && v < 256);
		fuzz_check(l->irr[v / 32] >> (v % 32) & 1);
		fuzz_check(((uint32_t)v & 0xf0) >
			   (hv_x86_vlapic_ppr(l) & 0xf0));
	}
}

static int msr_write(struct hv_x86_vlapic *l, uint32_t msr, uint64_t val,
		     hv_time_t now)
{
	struct hv_x86_vlapic before;
	struct hv_x86_vlapic_ipi ipi;
	int rc;

	memcpy(&before, l, sizeof(before)); /* padding too, for memcmp */
	rc = hv_x86_vlapic_msr_write(l, msr, val, now, &ipi);

	if (rc < 0) {
		fuzz_check(rc == -HV_EINVAL);
		fuzz_check(memcmp(&before, l, sizeof(before)) == 0);
	} else if (rc > 0) {
		check_ipi(l, &ipi);
	}
	fuzz_check(before.x2apic || rc < 0);
	return rc;
}

static void timer_armed(const struct hv_x86_vlapic *l, hv_time_t now)
{
	hv_time_t d = hv_x86_vlapic_timer_deadline(l);

	fuzz_check(d == HV_TIME_NEVER || d >= now);
}

static void one_op(struct hv_x86_vlapic *l, const uint8_t *r, hv_time_t now,
		   uint32_t id)
{
	unsigned int offset = (unsigned int)r[1] << 4;
	uint32_t msr = 0x7f8u + r[1] + (r[0] & 0x80 ? 0x100u : 0);
	uint64_t val = fuzz_le(r + 4, 8), got;
	struct hv_x86_vlapic_ipi ipi;
	int v;

	switch ((r[0] & 0x7f) % 9) {
	case 0:
		/* The page is the caller's to decode in xAPIC mode only. */
		if (!l->x2apic)
			(void)hv_x86_vlapic_read(l, offset, now);
		break;
	case 1:
		if (l->x2apic)
			break;
		if (hv_x86_vlapic_write(l, offset, (uint32_t)val, now, &ipi))
			check_ipi(l, &ipi);
		if (offset == HV_X86_LAPIC_TIMER_INITIAL)
			timer_armed(l, now);
		break;
	case 2:
		v = hv_x86_vlapic_msr_read(l, msr, now, &got);
		fuzz_check(v == 0 || v == -HV_EINVAL);
		fuzz_check(l->x2apic || v < 0);
		break;
	case 3:
		if (msr_write(l, msr, val, now) >= 0 &&
		    msr == HV_X86_MSR_X2APIC_FIRST +
			       (HV_X86_LAPIC_TIMER_INITIAL >> 4))
			timer_armed(l, now);
		break;
	case 4:
		hv_x86_vlapic_enter_x2apic(l);
		break;
	case 5:
		(void)hv_x86_vlapic_accept(l, r[1]);
		break;
	case 6:
		v = hv_x86_vlapic_pending(l);
		if (v >= 0) {
			hv_x86_vlapic_ack(l, (uint8_t)v);
			fuzz_check(highest(l->isr) >= v);
		}
		if (l->x2apic)
			msr_write(l, HV_X86_MSR_X2APIC_FIRST +
					 (HV_X86_LAPIC_EOI >> 4),
				  0, now);
		else
			(void)hv_x86_vlapic_write(l, HV_X86_LAPIC_EOI, 0, now,
						  &ipi);
		break;
	case 7:
		(void)hv_x86_vlapic_timer_fire(l, now);
		timer_armed(l, now);
		break;
	default:
		hv_x86_vlapic_reset(l, id);
		break;
	}
	check_state(l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hv_x86_vlapic l;
	hv_time_t now = 1000000;
	uint32_t id;

	if (size < HEADER)
		return 0;
	id = (uint32_t)fuzz_le(data, 4);
	hv_x86_vlapic_reset(&l, id);
	for (size_t at = HEADER; at + RECORD <= size; at += RECORD) {
		now += (hv_time_t)fuzz_le(data + at + 2, 2) * 64;
		one_op(&l, data + at, now, id);
	}
	return 0;
}
