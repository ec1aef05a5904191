/*
 * Two vCPUs: vCPU 0 starts vCPU 1 with PSCI CPU_ON, as Linux brings up
 * secondaries on Xen, and checks the answers PSCI gives about it.
 */
#include "guest.h"

#define PSCI_VERSION	   0x84000000ul
#define PSCI_CPU_OFF	   0x84000002ul
#define PSCI_CPU_ON	   0xc4000003ul
#define PSCI_AFFINITY_INFO 0xc4000004ul
#define PSCI_FEATURES	   0x8400000aul
#define ALREADY_ON	   (-4)
#define INVALID_PARAMETERS (-2)
#define AFFINITY_ON	   0
#define AFFINITY_OFF	   1

static uint8_t secondary_stack[4096] __attribute__((aligned(16)));
static volatile int secondary_up, may_stop;

void guest_secondary_main(void)
{
	uint64_t mpidr;

	__asm__ __volatile__("mrs %0, mpidr_el1" : "=r"(mpidr));
	guest_printf("vCPU with MPIDR affinity %llu is up\n",
		     (unsigned long long)(mpidr & 0xff));
	secondary_up = 1;
	while (!may_stop)
		guest_yield();
	guest_psci(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		guest_print("CPU_OFF returned!\n");
}

static long affinity(unsigned long cpu)
{
	return guest_psci(PSCI_AFFINITY_INFO, cpu, 0, 0);
}

int main(void)
{
	unsigned long entry = (unsigned long)guest_secondary_entry;
	unsigned long stack =
	    (unsigned long)(secondary_stack + sizeof(secondary_stack));

	CHECK_EQ(guest_psci(PSCI_VERSION, 0, 0, 0), 0x10001); /* 1.1, as Xen */
	CHECK_EQ(guest_psci(PSCI_FEATURES, PSCI_CPU_ON, 0, 0), 0);
	CHECK_EQ(affinity(1), AFFINITY_OFF);
	CHECK_EQ(guest_psci(PSCI_CPU_ON, 1, entry, stack), 0);
	CHECK_EQ(guest_psci(PSCI_CPU_ON, 1, entry, stack), ALREADY_ON);
	CHECK_EQ(guest_psci(PSCI_CPU_ON, 2, entry, stack), INVALID_PARAMETERS);
	CHECK_EQ(affinity(1), AFFINITY_ON);
	while (!secondary_up)
		guest_yield();
	may_stop = 1;
	while (affinity(1) != AFFINITY_OFF)
		guest_yield();
	guest_print("vCPU 1 is off again\n");
	return guest_test_result();
}
