/*
 * The breakpoint address registers DR0-DR3 are each vCPU's own: neither
 * VMRUN nor #VMEXIT switches them (the VMCB holds DR6 and DR7 only), the
 * hypervisor must.  Two domains on one pCPU, built with different
 * DR_BASE, each find zeros at first, set all four, and yield, checking
 * after each switch that the registers still hold its own values:
 * without the switch each would read what the other wrote.
 */
#include "guest.h"

#define SWITCHES 20

#define READ_DR(n)                                                             \
	__extension__({                                                        \
		unsigned long v_;                                              \
		__asm__ __volatile__("mov %%db" #n ", %0" : "=r"(v_));         \
		v_;                                                            \
	})
#define WRITE_DR(n, v)                                                         \
	__asm__ __volatile__("mov %0, %%db" #n ::"r"((unsigned long)(v)))

/* Register n holds base + 0x10 * n. */
static void check_drs(unsigned long base)
{
	CHECK_EQ(READ_DR(0), base);
	CHECK_EQ(READ_DR(1), base ? base + 0x10 : 0);
	CHECK_EQ(READ_DR(2), base ? base + 0x20 : 0);
	CHECK_EQ(READ_DR(3), base ? base + 0x30 : 0);
}

int main(void)
{
	check_drs(0);
	WRITE_DR(0, DR_BASE);
	WRITE_DR(1, DR_BASE + 0x10);
	WRITE_DR(2, DR_BASE + 0x20);
	WRITE_DR(3, DR_BASE + 0x30);
	for (int i = 0; i < SWITCHES; i++) {
		guest_yield();
		check_drs(DR_BASE);
	}
	guest_printf("DR0-DR3 kept across %d switches\n", SWITCHES);
	return guest_test_result();
}
