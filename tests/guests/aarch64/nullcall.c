/*
 * The cost of a null hypercall, measured inside the guest with the virtual
 * counter: 20,000 XENVER_version calls (the cheapest real hypercall: no
 * guest memory is touched), after 1,000 to warm up.  `make bench` reads
 * the line it prints.
 */
#include "guest.h"

#include <xen/version.h>
#include <xen/xen.h>

#define WARMUP 1000
#define CALLS  20000

int main(void)
{
	uint64_t start, ticks, ns;

	for (int i = 0; i < WARMUP; i++)
		guest_hypercall(__HYPERVISOR_xen_version, XENVER_version, 0, 0,
				0, 0);
	start = guest_ticks();
	for (int i = 0; i < CALLS; i++)
		guest_hypercall(__HYPERVISOR_xen_version, XENVER_version, 0, 0,
				0, 0);
	ticks = guest_ticks() - start;
	/* ticks * 1e9 / freq, split so that nothing overflows 64 bits. */
	ns = ticks / guest_ticks_per_sec() * 1000000000 +
	     ticks % guest_ticks_per_sec() * 1000000000 / guest_ticks_per_sec();
	guest_printf("null hypercall: %llu ns per call over %d calls\n",
		     (unsigned long long)(ns / CALLS), CALLS);
	return guest_test_result();
}
