/*
 * The smallest test: say hello through console_io, check that the RAM
 * the hypervisor gave above the guest's image reads as zero (whether it
 * zeroed it or was told it is: "ram-zeroed"), and power off.
 */
#include "guest.h"

#include <xen/version.h>

#define RAM_END (16u << 20) /* every hello*.cfg: memory = 16 */

extern char __bss_end[];

/* The first word not zero in [from, RAM_END), or NULL. */
static const volatile uint64_t *first_not_zero(uintptr_t from)
{
	const volatile uint64_t *w = (const volatile uint64_t *)from;

	for (; (uintptr_t)w < RAM_END; w++)
		if (*w)
			return w;
	return NULL;
}

int main(void)
{
	const volatile uint64_t *dirty;
	long v = guest_hypercall(__HYPERVISOR_xen_version, XENVER_version, 0, 0,
				 0, 0);

	guest_printf("Hello from a guest of Xen %ld.%ld\n", v >> 16,
		     v & 0xffff);
	CHECK(v >> 16 == 4);
	dirty =
	    first_not_zero(((uintptr_t)__bss_end + 4095) & ~(uintptr_t)4095);
	if (dirty)
		guest_printf("RAM not zero at %#lx\n",
			     (unsigned long)(uintptr_t)dirty);
	CHECK(dirty == NULL);
	return guest_test_result();
}
