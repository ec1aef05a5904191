/*
 * The performance monitors and the debug registers belong to the
 * hypervisor: a guest's accesses trap (MDCR_EL2.TPM, TPMCR, TDA, TDOSA,
 * TDRA) and, as on Xen, read as zero and ignore writes.  Without the
 * traps the guest would count on the cycle counter every domain shares,
 * and its breakpoint would stay armed in the CPU for whoever runs next.
 * The PMU part needs a CPU with one (QEMU's cortex-a57,pmu=on).
 */
#include "guest.h"

#define PMCR_E	       (1ul << 0)
#define PMCR_C	       (1ul << 2) /* reset the cycle counter */
#define PMCNTEN_CYCLES (1ul << 31)

#define BCR_E	      (1ul << 0)
#define BCR_PMC_EL1_0 (3ul << 1) /* match at EL1 and EL0 */
#define BCR_BAS_A64   (0xful << 5)
#define MDSCR_KDE     (1ul << 13) /* debug exceptions at EL1 too */
#define MDSCR_MDE     (1ul << 15)
#define OSLSR_OSLM    (1ul << 3) /* the OS lock is implemented */

#define READ(reg)                                                              \
	__extension__({                                                        \
		uint64_t v_;                                                   \
		__asm__ __volatile__("isb; mrs %0, " #reg : "=r"(v_));         \
		v_;                                                            \
	})
#define WRITE(reg, v) __asm__ __volatile__("msr " #reg ", %0; isb" ::"r"(v))

extern const char guest_vectors[];
uint64_t guest_sync_exception(uint64_t esr, uint64_t elr);

static volatile unsigned int debug_exceptions;

/* A breakpoint the traps failed to keep from the CPU: count it, disarm it
 * and go on, so that the check below reports it. */
uint64_t guest_sync_exception(uint64_t esr, uint64_t elr)
{
	(void)esr;
	debug_exceptions++;
	WRITE(dbgbcr0_el1, 0ul);
	return elr;
}

__attribute__((noinline)) static void breakpoint_here(void)
{
	__asm__ __volatile__("nop");
}

static void pmu(void)
{
	unsigned int version = (READ(id_aa64dfr0_el1) >> 8) & 0xf;
	volatile unsigned long spins = 0;

	if (version == 0) {
		guest_print("no PMU on this CPU\n");
		return;
	}
	WRITE(pmcr_el0, PMCR_E | PMCR_C);
	WRITE(pmcntenset_el0, PMCNTEN_CYCLES);
	WRITE(pmuserenr_el0, 1ul);
	WRITE(pmintenset_el1, PMCNTEN_CYCLES);
	while (spins < 100000)
		spins++;
	CHECK_EQ(READ(pmccntr_el0), 0);
	CHECK_EQ(READ(pmcr_el0), 0);
	CHECK_EQ(READ(pmcntenset_el0), 0);
	CHECK_EQ(READ(pmuserenr_el0), 0);
	CHECK_EQ(READ(pmintenset_el1), 0);
	CHECK_EQ(READ(pmevcntr0_el0), 0);
	CHECK_EQ(READ(pmccfiltr_el0), 0);
	guest_printf("PMU version %u: its registers read as zero and ignore "
		     "writes\n",
		     version);
}

static void debug(void)
{
	WRITE(oslar_el1, 0ul); /* unlock the OS lock */
	WRITE(dbgbvr0_el1, (uint64_t)(uintptr_t)breakpoint_here);
	WRITE(dbgbcr0_el1, BCR_E | BCR_PMC_EL1_0 | BCR_BAS_A64);
	WRITE(mdscr_el1, MDSCR_KDE | MDSCR_MDE);
	__asm__ __volatile__("msr daifclr, #8; isb" ::: "memory");
	breakpoint_here();
	__asm__ __volatile__("msr daifset, #8; isb" ::: "memory");
	CHECK_EQ(debug_exceptions, 0);
	CHECK_EQ(READ(dbgbvr0_el1), 0);
	CHECK_EQ(READ(dbgbcr0_el1), 0);
	CHECK_EQ(READ(mdscr_el1), 0);
	CHECK_EQ(READ(oslsr_el1), OSLSR_OSLM);
	guest_print("a breakpoint set through the debug registers never "
		    "fires\n");
}

int main(void)
{
	__asm__ __volatile__("msr vbar_el1, %0; isb" ::"r"(guest_vectors));
	pmu();
	debug();
	return guest_test_result();
}
