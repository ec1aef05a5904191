/* The AArch64 part of the test guests' runtime (guest.h). */
#include "guest.h"

#include <xen/sched.h>

uint64_t guest_dtb;

void guest_unexpected_exception(uint64_t esr, uint64_t elr)
{
	guest_printf("unexpected exception: esr %#llx at %#llx\n",
		     (unsigned long long)esr, (unsigned long long)elr);
	guest_shutdown(SHUTDOWN_crash);
}

long guest_psci(unsigned long fid, unsigned long a1, unsigned long a2,
		unsigned long a3)
{
	register unsigned long x0 __asm__("x0") = fid;
	register unsigned long x1 __asm__("x1") = a1;
	register unsigned long x2 __asm__("x2") = a2;
	register unsigned long x3 __asm__("x3") = a3;

	__asm__ __volatile__("hvc #0"
			     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			     :
			     : "memory");
	return (long)x0;
}

uint64_t guest_ticks(void)
{
	uint64_t v;

	__asm__ __volatile__("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

uint64_t guest_ticks_per_sec(void)
{
	uint64_t v;

	__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}
