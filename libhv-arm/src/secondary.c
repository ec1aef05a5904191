/*
 * Starting another CPU: PSCI CPU_ON by SMC, entering at
 * hv_arm_secondary_entry (secondary_entry.S), which lands here with a
 * stack and the MMU off.
 */
#include <hv/arm_boot.h>
#include <hv/arm_psci.h>

#include "sysreg.h"

extern const char hv_arm_secondary_entry[];

/* Entered from head.S on the new CPU. */
HV_NORETURN void hv_arm_secondary_start(const struct hv_arm_secondary *s);

void hv_arm_secondary_start(const struct hv_arm_secondary *s)
{
	hv_arm_mmu_enable(s->l1);
	s->main(s->arg);
	for (;;)
		__asm__ __volatile__("wfi");
}

/* The new CPU reads *s with its MMU (and so its caches) off: write it
 * back to the point of coherency first. */
static void clean_to_poc(const void *p, size_t size)
{
	/* CTR_EL0.DminLine: log2 of the smallest line, in 4-byte words. */
	uintptr_t step = 4u << ((hv_read_sysreg(ctr_el0) >> 16) & 0xf);
	uintptr_t line = (uintptr_t)p & ~(step - 1);

	for (; line < (uintptr_t)p + size; line += step)
		__asm__ __volatile__("dc cvac, %0" ::"r"(line) : "memory");
	hv_dsb_sy();
}

int64_t hv_arm_cpu_start(uint64_t mpidr, const struct hv_arm_secondary *s)
{
	register uint64_t x0 __asm__("x0") = HV_PSCI_CPU_ON_64;
	register uint64_t x1 __asm__("x1") = mpidr;
	register uint64_t x2 __asm__("x2") = (uintptr_t)hv_arm_secondary_entry;
	register uint64_t x3 __asm__("x3") = (uintptr_t)s;

	clean_to_poc(s, sizeof(*s));
	__asm__ __volatile__("smc #0"
			     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			     :
			     /* SMCCC 1.0 lets the callee change x4-x17. */
			     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
			       "x12", "x13", "x14", "x15", "x16", "x17",
			       "memory");
	return (int64_t)x0;
}
