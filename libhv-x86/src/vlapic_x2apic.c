/* The virtual local APIC's x2APIC mode (portable, unit-tested): its
 * registers as MSRs, as <hv/x86_vlapic.h> says (SDM vol. 3, table 11-6). */
#include <hv/error.h>
#include <hv/x86_vlapic.h>

#include "vlapic_priv.h"

void hv_x86_vlapic_enter_x2apic(struct hv_x86_vlapic *l)
{
	l->x2apic = true;
	l->ldr = hv_x86_vlapic_x2apic_ldr(l->id);
}

/* The register offset of an x2APIC MSR. */
static unsigned int reg_of(uint32_t msr)
{
	return (msr - HV_X86_MSR_X2APIC_FIRST) << 4;
}

static bool in_range(uint32_t msr)
{
	return msr >= HV_X86_MSR_X2APIC_FIRST && msr <= HV_X86_MSR_X2APIC_LAST;
}

static bool is_lvt(unsigned int reg)
{
	return reg >= HV_X86_LAPIC_LVT_TIMER && reg <= HV_X86_LAPIC_LVT_ERROR;
}

static bool readable(unsigned int reg)
{
	if (reg >= HV_X86_LAPIC_ISR && reg < HV_X86_LAPIC_ESR)
		return true; /* ISR, TMR, IRR */
	if (is_lvt(reg))
		return true;
	switch (reg) {
	case HV_X86_LAPIC_ID:
	case HV_X86_LAPIC_VERSION:
	case HV_X86_LAPIC_TPR:
	case HV_X86_LAPIC_PPR:
	case HV_X86_LAPIC_LDR:
	case HV_X86_LAPIC_SVR:
	case HV_X86_LAPIC_ESR:
	case HV_X86_LAPIC_ICR_LO:
	case HV_X86_LAPIC_TIMER_INITIAL:
	case HV_X86_LAPIC_TIMER_CURRENT:
	case HV_X86_LAPIC_TIMER_DIVIDE:
		return true;
	default:
		return false;
	}
}

int hv_x86_vlapic_msr_read(const struct hv_x86_vlapic *l, uint32_t msr,
			   hv_time_t now, uint64_t *val)
{
	unsigned int reg = reg_of(msr);

	if (!l->x2apic || !in_range(msr) || !readable(reg))
		return -HV_EINVAL;
	if (reg == HV_X86_LAPIC_ID)
		*val = l->id;
	else if (reg == HV_X86_LAPIC_ICR_LO)
		*val = (uint64_t)l->icr_hi << 32 | l->icr_lo;
	else
		*val = hv_x86_vlapic_read(l, reg, now);
	return 0;
}

/* The bits a write may set (the ICR's low half here, its high half is
 * the destination); 0 for a register no write reaches. */
static uint32_t writable(unsigned int reg)
{
	if (is_lvt(reg))
		return vlapic_lvt_writable[(reg - HV_X86_LAPIC_LVT_TIMER) >> 4];
	switch (reg) {
	case HV_X86_LAPIC_TPR:
		return TPR_WRITABLE;
	case HV_X86_LAPIC_SVR:
		return SVR_WRITABLE;
	case HV_X86_LAPIC_ICR_LO:
		return ICR_WRITABLE;
	case HV_X86_LAPIC_TIMER_INITIAL:
		return UINT32_MAX;
	case HV_X86_LAPIC_TIMER_DIVIDE:
		return DIVIDE_WRITABLE;
	case HV_X86_LAPIC_SELF_IPI:
		return LVT_VECTOR;
	default:
		return 0;
	}
}

/* EOI and ESR take only 0 (and exist): the others, what writable()
 * allows. */
static bool write_allowed(unsigned int reg, uint64_t val)
{
	if (reg == HV_X86_LAPIC_EOI || reg == HV_X86_LAPIC_ESR)
		return val == 0;
	if (reg != HV_X86_LAPIC_ICR_LO && (val >> 32))
		return false;
	return writable(reg) && !((uint32_t)val & ~writable(reg));
}

/* A fixed, edge-triggered IPI to itself, the ICR untouched (SDM
 * 11.12.11); a vector below 16 is an illegal one sent. */
static int self_ipi(struct hv_x86_vlapic *l, uint8_t vector,
		    struct hv_x86_vlapic_ipi *ipi)
{
	if (vector < 16) {
		l->esr |= ESR_SEND_ILL;
		return 0;
	}
	*ipi = (struct hv_x86_vlapic_ipi){
	    .mode = HV_X86_IPI_FIXED,
	    .vector = vector,
	    .icr_lo = vector | ICR_SHORT_SELF,
	    .dest = l->id,
	    .source = l->id,
	    .x2apic = true,
	};
	return 1;
}

int hv_x86_vlapic_msr_write(struct hv_x86_vlapic *l, uint32_t msr,
			    uint64_t val, hv_time_t now,
			    struct hv_x86_vlapic_ipi *ipi)
{
	unsigned int reg = reg_of(msr);

	if (!l->x2apic || !in_range(msr) || !write_allowed(reg, val))
		return -HV_EINVAL;
	if (reg == HV_X86_LAPIC_SELF_IPI)
		return self_ipi(l, (uint8_t)val, ipi);
	if (reg == HV_X86_LAPIC_ICR_LO)
		l->icr_hi = (uint32_t)(val >> 32);
	return hv_x86_vlapic_write(l, reg, (uint32_t)val, now, ipi) ? 1 : 0;
}
