/*
 * The cost of a null hypercall, measured inside the guest with the TSC (at
 * the frequency Xen's CPUID time leaf reports): 20,000 XENVER_version
 * calls through the hypercall page (the cheapest real hypercall: no guest
 * memory is touched), after 1,000 to warm up.  `make bench` reads the line
 * it prints.  Built 64-bit and 32-bit.
 */
#include "guest.h"

#include <xen/version.h>

#define WARMUP 1000
#define CALLS  20000

int main(void)
{
	uint64_t hz = guest_ticks_per_sec();
	uint64_t start, ticks, secs, ns;

	for (int i = 0; i < WARMUP; i++)
		guest_hypercall(__HYPERVISOR_xen_version, XENVER_version, 0, 0,
				0, 0);
	start = guest_ticks();
	for (int i = 0; i < CALLS; i++)
		guest_hypercall(__HYPERVISOR_xen_version, XENVER_version, 0, 0,
				0, 0);
	ticks = guest_ticks() - start;
	/* ticks * 1e9 / hz, split so that nothing overflows 64 bits. */
	secs = ticks / hz;
	ns = secs * 1000000000 + (ticks - secs * hz) * 1000000000 / hz;
	guest_printf("null hypercall: %llu ns per call over %d calls\n",
		     (unsigned long long)(ns / CALLS), CALLS);
	return guest_test_result();
}
