/* A virtual local APIC (portable, unit-tested): <hv/x86_vlapic.h>. */
#include <hv/atomic.h>
#include <hv/string.h>
#include <hv/x86_vlapic.h>

#include "vlapic_priv.h"

/* Which bits of each LVT entry a guest may write (SDM figure 11-8). */
const uint32_t vlapic_lvt_writable[HV_X86_VLAPIC_NR_LVT] = {
    0x000700ffu, /* timer: vector, mask, mode (not bit 12, read-only) */
    0x000107ffu, /* thermal: vector, delivery mode, mask */
    0x000107ffu, /* perf */
    0x0001a7ffu, /* LINT0: + polarity, trigger */
    0x0001a7ffu, /* LINT1 */
    0x000100ffu, /* error: vector, mask */
};

static bool test_bit(const uint32_t *bits, unsigned int n)
{
	return bits[n / 32] >> (n % 32) & 1;
}

/* The highest bit set in a 256-bit register, or -1. */
static int highest(const uint32_t *bits)
{
	for (int i = 7; i >= 0; i--) {
		uint32_t w = hv_atomic_load_u32((uint32_t *)&bits[i]);

		if (w)
			return i * 32 + 31 - __builtin_clz(w);
	}
	return -1;
}

void hv_x86_vlapic_reset(struct hv_x86_vlapic *l, uint32_t id)
{
	memset(l, 0, sizeof(*l));
	l->id = id;
	l->dfr = 0xffffffffu;
	l->svr = 0xff;
	for (unsigned int i = 0; i < HV_X86_VLAPIC_NR_LVT; i++)
		l->lvt[i] = HV_X86_LVT_MASKED;
	l->timer_deadline = HV_TIME_NEVER;
}

/* Divide configuration bits 0, 1 and 3: 0b111 divides by 1, else by
 * 2 << value (SDM figure 11-10). */
static uint32_t timer_divisor(const struct hv_x86_vlapic *l)
{
	uint32_t v = (l->timer_divide & 3) | (l->timer_divide & 8) >> 1;

	return v == 7 ? 1 : 2u << v;
}

static uint32_t timer_mode(const struct hv_x86_vlapic *l)
{
	return l->lvt[LVT_TIMER] & TIMER_MODE;
}

static hv_time_t timer_period(const struct hv_x86_vlapic *l)
{
	return (hv_time_t)l->timer_initial * timer_divisor(l);
}

/* The current count: what is left of this period, in counter ticks. */
static uint32_t timer_current(const struct hv_x86_vlapic *l, hv_time_t now)
{
	hv_time_t period = timer_period(l);
	hv_time_t left;

	if (timer_mode(l) == HV_X86_LVT_TIMER_TSC_DEADLN || !period ||
	    l->timer_deadline == HV_TIME_NEVER)
		return 0;
	if (timer_mode(l) == HV_X86_LVT_TIMER_PERIODIC)
		left = period - (now - l->timer_start) % period;
	else if (now >= l->timer_deadline)
		return 0;
	else
		left = l->timer_deadline - now;
	return (uint32_t)((left + timer_divisor(l) - 1) / timer_divisor(l));
}

uint32_t hv_x86_vlapic_ppr(const struct hv_x86_vlapic *l)
{
	int isrv = highest(l->isr);
	uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;

	return (l->tpr & 0xf0) >= isr_class ? l->tpr & 0xff : isr_class;
}

/* ISR, TMR or IRR word i. */
static uint32_t banked_read(const struct hv_x86_vlapic *l, unsigned int reg,
			    unsigned int i)
{
	if (reg < HV_X86_LAPIC_TMR)
		return l->isr[i];
	if (reg < HV_X86_LAPIC_IRR)
		return l->tmr[i];
	return hv_atomic_load_u32((uint32_t *)&l->irr[i]);
}

uint32_t hv_x86_vlapic_read(const struct hv_x86_vlapic *l, unsigned int offset,
			    hv_time_t now)
{
	unsigned int reg = offset & 0xff0;
	unsigned int i = (reg >> 4) & 7;

	if (reg >= HV_X86_LAPIC_ISR && reg < HV_X86_LAPIC_ESR)
		return banked_read(l, reg, i);
	if (reg >= HV_X86_LAPIC_LVT_TIMER && reg <= HV_X86_LAPIC_LVT_ERROR)
		return l->lvt[(reg - HV_X86_LAPIC_LVT_TIMER) >> 4];
	switch (reg) {
	case HV_X86_LAPIC_ID:
		return l->id << 24;
	case HV_X86_LAPIC_VERSION:
		return HV_X86_VLAPIC_VERSION;
	case HV_X86_LAPIC_TPR:
		return l->tpr;
	case HV_X86_LAPIC_PPR:
		return hv_x86_vlapic_ppr(l);
	case HV_X86_LAPIC_LDR:
		return l->ldr;
	case HV_X86_LAPIC_DFR:
		return l->dfr;
	case HV_X86_LAPIC_SVR:
		return l->svr;
	case HV_X86_LAPIC_ESR:
		return l->esr_latched;
	case HV_X86_LAPIC_ICR_LO:
		return l->icr_lo;
	case HV_X86_LAPIC_ICR_HI:
		return l->icr_hi;
	case HV_X86_LAPIC_TIMER_INITIAL:
		return l->timer_initial;
	case HV_X86_LAPIC_TIMER_CURRENT:
		return timer_current(l, now);
	case HV_X86_LAPIC_TIMER_DIVIDE:
		return l->timer_divide;
	default:
		return 0; /* APR, EOI, reserved */
	}
}

static void eoi(struct hv_x86_vlapic *l)
{
	int v = highest(l->isr);

	if (v < 0)
		return;
	l->isr[v / 32] &= ~(1u << (v % 32));
	l->tmr[v / 32] &= ~(1u << (v % 32));
}

/* Software-disabling the APIC masks every LVT entry (SDM 11.4.7.2). */
static void write_svr(struct hv_x86_vlapic *l, uint32_t val)
{
	l->svr = val & SVR_WRITABLE;
	if (!(val & HV_X86_SVR_ENABLE))
		for (unsigned int i = 0; i < HV_X86_VLAPIC_NR_LVT; i++)
			l->lvt[i] |= HV_X86_LVT_MASKED;
}

static void write_lvt(struct hv_x86_vlapic *l, unsigned int i, uint32_t val)
{
	uint32_t old_mode = timer_mode(l);

	if (!(l->svr & HV_X86_SVR_ENABLE))
		val |= HV_X86_LVT_MASKED;
	l->lvt[i] = val & vlapic_lvt_writable[i];
	/* A mode change stops the timer (SDM 11.5.4.1). */
	if (i == LVT_TIMER && timer_mode(l) != old_mode) {
		l->timer_deadline = HV_TIME_NEVER;
		l->timer_initial = 0;
		l->tsc_deadline = 0;
	}
}

/* Loading the initial count starts a one-shot or periodic count; 0 stops
 * it.  TSC-deadline mode ignores it. */
static void write_initial(struct hv_x86_vlapic *l, uint32_t val, hv_time_t now)
{
	if (timer_mode(l) == HV_X86_LVT_TIMER_TSC_DEADLN)
		return;
	l->timer_initial = val;
	l->timer_start = now;
	l->timer_deadline = val ? now + timer_period(l) : HV_TIME_NEVER;
}

static bool write_icr(struct hv_x86_vlapic *l, uint32_t val,
		      struct hv_x86_vlapic_ipi *ipi)
{
	uint32_t mode = ICR_MODE(val);

	l->icr_lo = val & ICR_WRITABLE;
	*ipi = (struct hv_x86_vlapic_ipi){
	    .vector = (uint8_t)val,
	    .icr_lo = l->icr_lo,
	    .dest = l->x2apic ? l->icr_hi : l->icr_hi >> 24,
	    .source = l->id,
	    .x2apic = l->x2apic,
	};
	switch (mode) {
	case ICR_MODE_FIXED:
	case ICR_MODE_LOWEST:
		if (ipi->vector < 16) {
			l->esr |= ESR_SEND_ILL;
			return false;
		}
		ipi->mode = HV_X86_IPI_FIXED;
		return true;
	case ICR_MODE_INIT:
		/* The de-assert (level 0) of an old 82489DX does nothing. */
		ipi->mode = HV_X86_IPI_INIT;
		return val & ICR_LEVEL;
	case ICR_MODE_STARTUP:
		ipi->mode = HV_X86_IPI_STARTUP;
		return true;
	default:
		return false;
	}
}

bool hv_x86_vlapic_write(struct hv_x86_vlapic *l, unsigned int offset,
			 uint32_t val, hv_time_t now,
			 struct hv_x86_vlapic_ipi *ipi)
{
	unsigned int reg = offset & 0xff0;

	if (reg >= HV_X86_LAPIC_LVT_TIMER && reg <= HV_X86_LAPIC_LVT_ERROR) {
		write_lvt(l, (reg - HV_X86_LAPIC_LVT_TIMER) >> 4, val);
		return false;
	}
	switch (reg) {
	case HV_X86_LAPIC_TPR:
		l->tpr = val & TPR_WRITABLE;
		break;
	case HV_X86_LAPIC_EOI:
		eoi(l);
		break;
	case HV_X86_LAPIC_LDR:
		l->ldr = val & LDR_WRITABLE;
		break;
	case HV_X86_LAPIC_DFR:
		l->dfr = (val & DFR_WRITABLE) | ~DFR_WRITABLE;
		break;
	case HV_X86_LAPIC_SVR:
		write_svr(l, val);
		break;
	case HV_X86_LAPIC_ESR:
		/* A write makes the errors since the last one readable. */
		l->esr_latched = l->esr;
		l->esr = 0;
		break;
	case HV_X86_LAPIC_ICR_LO:
		return write_icr(l, val, ipi);
	case HV_X86_LAPIC_ICR_HI:
		l->icr_hi = val & 0xff000000u;
		break;
	case HV_X86_LAPIC_TIMER_INITIAL:
		write_initial(l, val, now);
		break;
	case HV_X86_LAPIC_TIMER_DIVIDE:
		/* Hardware counts on at the new rate at once; here the new
		 * rate applies from the next load of the initial count (guests
		 * set the divider before the count). */
		l->timer_divide = val & DIVIDE_WRITABLE;
		break;
	default:
		break; /* read-only or reserved */
	}
	return false;
}

/* Logical destination (SDM 11.6.2.2): flat, a bit of the 8-bit LDR in the
 * 8-bit destination; cluster, the same high nibble and a common bit in
 * the low one (0xff: every APIC). */
static bool logical_match(const struct hv_x86_vlapic *t, uint32_t dest)
{
	uint32_t ldr = t->ldr >> 24;

	if (dest == 0xff)
		return true;
	if ((t->dfr & DFR_WRITABLE) == DFR_FLAT)
		return (ldr & dest) != 0;
	return (ldr >> 4) == (dest >> 4) && (ldr & dest & 0xf) != 0;
}

/* x2APIC destinations (SDM 11.12.9-10): all ones is every APIC; else
 * physical, the 32-bit ID; logical, the cluster (bits 31:16) and a
 * common bit of the 16 below, by the LDR the target's ID makes. */
static bool x2apic_match(const struct hv_x86_vlapic *t,
			 const struct hv_x86_vlapic_ipi *ipi)
{
	uint32_t ldr = hv_x86_vlapic_x2apic_ldr(t->id);

	if (ipi->dest == UINT32_MAX)
		return true;
	if (!(ipi->icr_lo & ICR_LOGICAL))
		return ipi->dest == t->id;
	return (ldr >> 16) == (ipi->dest >> 16) && (ldr & ipi->dest & 0xffff);
}

bool hv_x86_vlapic_ipi_targets(const struct hv_x86_vlapic *t,
			       const struct hv_x86_vlapic_ipi *ipi)
{
	switch (ICR_SHORTHAND(ipi->icr_lo)) {
	case SHORT_SELF:
		return t->id == ipi->source;
	case SHORT_ALL:
		return true;
	case SHORT_OTHERS:
		return t->id != ipi->source;
	default:
		break;
	}
	if (ipi->x2apic)
		return x2apic_match(t, ipi);
	if (ipi->icr_lo & ICR_LOGICAL)
		return logical_match(t, ipi->dest);
	return ipi->dest == 0xff || ipi->dest == t->id;
}

bool hv_x86_vlapic_accept(struct hv_x86_vlapic *l, uint8_t vector)
{
	uint32_t bit = 1u << (vector % 32);

	if (vector < 16)
		return false;
	return !(hv_atomic_fetch_or_u32(&l->irr[vector / 32], bit) & bit);
}

int hv_x86_vlapic_pending(const struct hv_x86_vlapic *l)
{
	int v = highest(l->irr);

	if (v < 0 || !(l->svr & HV_X86_SVR_ENABLE))
		return -1;
	return ((uint32_t)v & 0xf0) > (hv_x86_vlapic_ppr(l) & 0xf0) ? v : -1;
}

void hv_x86_vlapic_ack(struct hv_x86_vlapic *l, uint8_t vector)
{
	hv_atomic_fetch_and_u32(&l->irr[vector / 32], ~(1u << (vector % 32)));
	l->isr[vector / 32] |= 1u << (vector % 32);
}

hv_time_t hv_x86_vlapic_timer_deadline(const struct hv_x86_vlapic *l)
{
	return l->timer_deadline;
}

bool hv_x86_vlapic_timer_fire(struct hv_x86_vlapic *l, hv_time_t now)
{
	uint32_t lvt = l->lvt[LVT_TIMER];
	hv_time_t period = timer_period(l);

	if (l->timer_deadline > now)
		return false;
	if (timer_mode(l) == HV_X86_LVT_TIMER_PERIODIC && period)
		l->timer_deadline +=
		    ((now - l->timer_deadline) / period + 1) * period;
	else
		l->timer_deadline = HV_TIME_NEVER;
	if (timer_mode(l) == HV_X86_LVT_TIMER_TSC_DEADLN)
		l->tsc_deadline = 0;
	if (lvt & HV_X86_LVT_MASKED)
		return false;
	return hv_x86_vlapic_accept(l, (uint8_t)(lvt & LVT_VECTOR)) ||
	       test_bit(l->irr, lvt & LVT_VECTOR);
}

void hv_x86_vlapic_set_tsc_deadline(struct hv_x86_vlapic *l, uint64_t tsc,
				    hv_time_t deadline)
{
	if (timer_mode(l) != HV_X86_LVT_TIMER_TSC_DEADLN)
		return;
	l->tsc_deadline = tsc;
	l->timer_deadline = tsc ? deadline : HV_TIME_NEVER;
}

uint64_t hv_x86_vlapic_tsc_deadline(const struct hv_x86_vlapic *l)
{
	return l->tsc_deadline;
}
