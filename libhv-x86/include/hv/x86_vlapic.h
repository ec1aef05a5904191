/*
 * hv/x86_vlapic.h - a virtual local APIC for one vCPU, as a guest sees it
 * through the xAPIC page (Intel SDM vol. 3, 11 "Advanced Programmable
 * Interrupt Controller"; AMD APM vol. 2, 16): ID, version, TPR/PPR, EOI,
 * LDR/DFR, SVR, ISR/TMR/IRR, ESR, six LVT entries, ICR, and the timer in
 * one-shot, periodic and TSC-deadline modes; and the same registers as
 * MSRs in x2APIC mode (SDM 11.12), with 32-bit IDs.
 *
 * Portable state and logic only, unit-tested on the host: the caller
 * traps the accesses (nested page faults on the page, the x2APIC and
 * TSC-deadline MSRs), gives the time in ns, delivers what hv_x86_vlapic_pending says and
 * routes the IPIs a write asks for (hv_x86_vlapic_ipi_targets).
 *
 * Concurrency: every call but hv_x86_vlapic_accept belongs to the vCPU's
 * own pCPU (or to whoever holds the vCPU still, as a blocked one);
 * hv_x86_vlapic_accept sets IRR bits atomically, so any pCPU may raise an
 * interrupt on any vCPU meanwhile.
 *
 * The timer counts at 1 GHz (a 1 ns bus cycle, as Xen's vlapic) divided
 * by the divide configuration.  What an INIT or STARTUP does to the
 * target is the caller's (it owns the vCPU's registers); NMI and SMI are
 * not modelled, and lowest-priority delivery goes to every destination,
 * as fixed does (a guest may not tell).
 */
#ifndef HV_X86_VLAPIC_H
#define HV_X86_VLAPIC_H

#include <hv/types.h>

HV_BEGIN_DECLS

/* Where the xAPIC's registers are (guest-physical, the reset value of
 * the APIC base MSR) and the page they take. */
#define HV_X86_VLAPIC_BASE 0xfee00000ull
#define HV_X86_VLAPIC_SIZE 0x1000u

/* The APIC base MSR (IA32_APIC_BASE, 0x1b). */
#define HV_X86_MSR_APIC_BASE	0x1bu
#define HV_X86_APIC_BASE_BSP	(1ull << 8)
#define HV_X86_APIC_BASE_EXTD	(1ull << 10) /* x2APIC mode */
#define HV_X86_APIC_BASE_ENABLE (1ull << 11)
#define HV_X86_MSR_TSC_DEADLINE 0x6e0u

/* Register offsets in the page. */
enum {
	HV_X86_LAPIC_ID = 0x20,
	HV_X86_LAPIC_VERSION = 0x30,
	HV_X86_LAPIC_TPR = 0x80,
	HV_X86_LAPIC_APR = 0x90,
	HV_X86_LAPIC_PPR = 0xa0,
	HV_X86_LAPIC_EOI = 0xb0,
	HV_X86_LAPIC_LDR = 0xd0,
	HV_X86_LAPIC_DFR = 0xe0,
	HV_X86_LAPIC_SVR = 0xf0,
	HV_X86_LAPIC_ISR = 0x100, /* 8 registers, 16 bytes apart */
	HV_X86_LAPIC_TMR = 0x180,
	HV_X86_LAPIC_IRR = 0x200,
	HV_X86_LAPIC_ESR = 0x280,
	HV_X86_LAPIC_ICR_LO = 0x300,
	HV_X86_LAPIC_ICR_HI = 0x310,
	HV_X86_LAPIC_LVT_TIMER = 0x320,
	HV_X86_LAPIC_LVT_THERMAL = 0x330,
	HV_X86_LAPIC_LVT_PERF = 0x340,
	HV_X86_LAPIC_LVT_LINT0 = 0x350,
	HV_X86_LAPIC_LVT_LINT1 = 0x360,
	HV_X86_LAPIC_LVT_ERROR = 0x370,
	HV_X86_LAPIC_TIMER_INITIAL = 0x380,
	HV_X86_LAPIC_TIMER_CURRENT = 0x390,
	HV_X86_LAPIC_TIMER_DIVIDE = 0x3e0,
	HV_X86_LAPIC_SELF_IPI = 0x3f0, /* x2APIC mode only */
};

/* In x2APIC mode the register at offset o is MSR 0x800 + o / 16. */
#define HV_X86_MSR_X2APIC_FIRST 0x800u
#define HV_X86_MSR_X2APIC_LAST	0x8ffu

/* Version 0x14 (an integrated APIC), six LVT entries (max LVT 5). */
#define HV_X86_VLAPIC_VERSION 0x50014u
#define HV_X86_VLAPIC_NR_LVT  6u

/* LVT bits: masked, the timer's periodic and TSC-deadline modes; the
 * spurious-vector register's APIC software enable. */
#define HV_X86_LVT_MASKED	    (1u << 16)
#define HV_X86_LVT_TIMER_PERIODIC   (1u << 17)
#define HV_X86_LVT_TIMER_TSC_DEADLN (2u << 17)
#define HV_X86_SVR_ENABLE	    (1u << 8)

/* One vCPU's local APIC.  Callers read, never write, these fields. */
struct hv_x86_vlapic {
	uint32_t id; /* the APIC ID: the vCPU's id */
	uint32_t tpr, ldr, dfr, svr, esr, esr_latched, icr_lo, icr_hi;
	uint32_t lvt[HV_X86_VLAPIC_NR_LVT]; /* timer, thermal, perf, LINT0,
					       LINT1, error */
	uint32_t isr[8], tmr[8];
	uint32_t irr[8]; /* atomic: hv_x86_vlapic_accept from any pCPU */
	/* The timer: the count loaded, the divide register, and in ns when
	 * it was loaded and when it next expires (HV_TIME_NEVER: idle);
	 * in TSC-deadline mode the guest's deadline in its TSC ticks. */
	uint32_t timer_initial, timer_divide;
	hv_time_t timer_start, timer_deadline;
	uint64_t tsc_deadline;
	/* x2APIC mode: registers as MSRs, the ID whole, the LDR fixed by
	 * it, ICR high the whole 32-bit destination. */
	bool x2apic;
};

/* What an ICR write sends, to each vCPU whose APIC matches
 * (hv_x86_vlapic_ipi_targets): a fixed interrupt (accept `vector` there),
 * an INIT or a STARTUP (page vector << 12), as `mode` says. */
enum hv_x86_ipi_mode {
	HV_X86_IPI_FIXED,
	HV_X86_IPI_INIT,
	HV_X86_IPI_STARTUP,
};

/* An IPI a write to the ICR asked for. */
struct hv_x86_vlapic_ipi {
	enum hv_x86_ipi_mode mode;
	uint8_t vector;
	uint32_t icr_lo, dest; /* ICR low, and ICR high's bits 31:24 (x2APIC
				  mode: all 32, an x2APIC ID or cluster) */
	uint32_t source;       /* the sender's APIC ID */
	bool x2apic;	       /* sent in x2APIC mode */
};

/* The APIC of vCPU `id` at reset (SDM 11.4.7.1): ID id << 24 as read,
 * LVTs masked, DFR all ones, SVR 0xff (software-disabled), the rest 0,
 * the timer idle. */
void hv_x86_vlapic_reset(struct hv_x86_vlapic *l, uint32_t id);

/* The value of the 32-bit register at `offset` (16-byte aligned; any other
 * offset reads as the register it lies in) at time `now`; 0 for the
 * reserved and write-only ones. */
uint32_t hv_x86_vlapic_read(const struct hv_x86_vlapic *l, unsigned int offset,
			    hv_time_t now);

/*
 * Write `val` to the register at `offset` (16-byte aligned) at `now`.
 * Read-only and reserved registers ignore it.  Returns true when the
 * write is to ICR low and sends an IPI: *ipi says what and to whom.  NMI,
 * SMI and an INIT level de-assert send nothing; nor does a fixed IPI of a
 * vector below 16 (ESR "send illegal vector" is set instead).
 */
bool hv_x86_vlapic_write(struct hv_x86_vlapic *l, unsigned int offset,
			 uint32_t val, hv_time_t now,
			 struct hv_x86_vlapic_ipi *ipi);

/* Whether the APIC `target` (of APIC ID target->id) is a destination of
 * `ipi`: the shorthand (self, all, all but self) or else the destination
 * in physical mode (its ID, or 0xff for all) or logical mode (flat or
 * cluster, by the target's LDR and DFR); from an x2APIC, physical is the
 * 32-bit ID (all ones for all) and logical the cluster and bits of the
 * LDR the target's ID makes (hv_x86_vlapic_x2apic_ldr). */
bool hv_x86_vlapic_ipi_targets(const struct hv_x86_vlapic *target,
			       const struct hv_x86_vlapic_ipi *ipi);

/* Raise `vector` (edge-triggered) at the APIC: IRR set, atomically.  A
 * vector below 16 is illegal and refused (ESR "receive illegal vector"
 * is the owner's to latch: dropped here).  True if it was not already
 * pending. */
bool hv_x86_vlapic_accept(struct hv_x86_vlapic *l, uint8_t vector);

/* The processor priority (PPR): the TPR, or the highest in-service
 * vector's class if that is higher. */
uint32_t hv_x86_vlapic_ppr(const struct hv_x86_vlapic *l);

/* The vector to deliver now: the highest in IRR whose priority class is
 * above the PPR's, with the APIC software-enabled; or -1. */
int hv_x86_vlapic_pending(const struct hv_x86_vlapic *l);

/* The CPU took `vector` (from hv_x86_vlapic_pending): IRR to ISR. */
void hv_x86_vlapic_ack(struct hv_x86_vlapic *l, uint8_t vector);

/* When the timer next expires in ns, or HV_TIME_NEVER: the caller wakes
 * or interrupts the vCPU then and calls hv_x86_vlapic_timer_fire. */
hv_time_t hv_x86_vlapic_timer_deadline(const struct hv_x86_vlapic *l);

/* At `now`: if the timer has expired, raise its LVT's vector (unless
 * masked) and re-arm a periodic timer at its next period after now
 * (missed periods are not made up for).  True if a vector was raised. */
bool hv_x86_vlapic_timer_fire(struct hv_x86_vlapic *l, hv_time_t now);

/* IA32_TSC_DEADLINE: the guest wrote `tsc` (its TSC ticks), which is
 * `deadline` in ns; ignored unless the LVT timer is in TSC-deadline mode.
 * 0 disarms.  hv_x86_vlapic_tsc_deadline reads it back (0 once fired). */
void hv_x86_vlapic_set_tsc_deadline(struct hv_x86_vlapic *l, uint64_t tsc,
				    hv_time_t deadline);
uint64_t hv_x86_vlapic_tsc_deadline(const struct hv_x86_vlapic *l);

/* The x2APIC LDR of APIC ID id (SDM 11.12.10.2): the cluster, id >> 4,
 * in bits 31:16 and bit id & 15 below. */
static inline uint32_t hv_x86_vlapic_x2apic_ldr(uint32_t id)
{
	return (id >> 4) << 16 | 1u << (id & 15);
}

/*
 * Switch an xAPIC to x2APIC mode, as a write of the APIC base MSR setting
 * EXTD does (SDM 11.12.5): the state stays; the LDR becomes
 * hv_x86_vlapic_x2apic_ldr(id); the page's registers are no longer the
 * caller's to decode.  Leaving x2APIC mode is by disabling the APIC, a
 * reset (hv_x86_vlapic_reset).
 */
void hv_x86_vlapic_enter_x2apic(struct hv_x86_vlapic *l);

/*
 * RDMSR of x2APIC register `msr` (HV_X86_MSR_X2APIC_FIRST..LAST) at
 * `now`: 0 and *val, or -HV_EINVAL where the CPU raises #GP(0): not in
 * x2APIC mode, a register x2APIC mode lacks (APR, DFR, ICR high, CMCI) or
 * a write-only one (EOI, SELF IPI).  ID reads whole, ICR as 64 bits.
 */
int hv_x86_vlapic_msr_read(const struct hv_x86_vlapic *l, uint32_t msr,
			   hv_time_t now, uint64_t *val);

/*
 * WRMSR of `val` to x2APIC register `msr` at `now`: 1 when it sends an
 * IPI (*ipi says what, as hv_x86_vlapic_write: an ICR write, or SELF IPI
 * with the vector alone), 0 when done, -HV_EINVAL (#GP(0), nothing
 * changed) not in x2APIC mode, for a read-only or missing register, or a
 * reserved bit set: above bit 31 (but in the ICR), in TPR, SVR, an LVT,
 * the ICR's low half, the divide configuration or SELF IPI, or anything
 * but 0 to EOI or ESR.
 */
int hv_x86_vlapic_msr_write(struct hv_x86_vlapic *l, uint32_t msr,
			    uint64_t val, hv_time_t now,
			    struct hv_x86_vlapic_ipi *ipi);

HV_END_DECLS

#endif /* HV_X86_VLAPIC_H */
