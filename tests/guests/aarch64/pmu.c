/*
 * The performance monitors belong to the hypervisor: a guest's accesses
 * trap (MDCR_EL2.TPM, TPMCR) and, as on Xen, read as zero and ignore
 * writes.  The guest enables the cycle counter, spins, and must read
 * nothing back: without the trap it would count, and the counter would be
 * the one every domain shares.  Run on a CPU with a PMU (QEMU's
 * cortex-a57,pmu=on); without one the registers do not exist.
 */
#include "guest.h"

#define PMCR_E	       (1ul << 0)
#define PMCR_C	       (1ul << 2) /* reset the cycle counter */
#define PMCNTEN_CYCLES (1ul << 31)

#define READ(reg)                                                              \
	__extension__({                                                        \
		uint64_t v_;                                                   \
		__asm__ __volatile__("isb; mrs %0, " #reg : "=r"(v_));         \
		v_;                                                            \
	})
#define WRITE(reg, v) __asm__ __volatile__("msr " #reg ", %0; isb" ::"r"(v))

int main(void)
{
	unsigned int version = (READ(id_aa64dfr0_el1) >> 8) & 0xf;
	volatile unsigned long spins = 0;

	if (version == 0) {
		guest_print("no PMU on this CPU\n");
		return guest_test_result();
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
	return guest_test_result();
}
