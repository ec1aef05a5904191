/* Hogs the CPU: spins for 2 s (TSC, at the frequency Xen's CPUID leaf
 * reports) without a single hypercall or yield, then powers off.  A domain
 * beside it must still get to run and finish first (the hypervisor's timer
 * preempts this one). */
#include "guest.h"

int main(void)
{
	uint64_t hz = guest_ticks_per_sec();
	uint64_t end = guest_ticks() + 2 * hz;

	CHECK(hz > 0);
	while (guest_ticks() < end)
		;
	guest_print("spun for 2 s\n");
	return guest_test_result();
}
