/* The smallest test: say hello through console_io and power off. */
#include "guest.h"

#include <xen/version.h>
#include <xen/xen.h>

int main(void)
{
	long v = guest_hypercall(__HYPERVISOR_xen_version, XENVER_version, 0, 0,
				 0, 0);

	guest_printf("Hello from a guest of Xen %ld.%ld\n", v >> 16,
		     v & 0xffff);
	CHECK(v >> 16 == 4);
	return guest_test_result();
}
