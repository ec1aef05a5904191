/*
 * The virtual GICv3 as a guest kernel uses it: the distributor and each
 * vCPU's redistributor at Xen's guest addresses, the CPU interface through
 * the ICC system registers, and interrupts taken at the IRQ vector.
 * vCPU 0 reads the GIC's identity, takes five virtual-timer interrupts
 * (PPI 27, re-armed 1 ms apart), starts vCPU 1 and sends it SGI 1; vCPU 1
 * answers with SGI 2.  A lost interrupt leaves a vCPU waiting forever.
 */
#include "guest.h"

#include <xen/sched.h>

#define GICD_TYPER 0x0004
#define GICD_PIDR2 0xffe8
#define GICR_TYPER 0x0008

#define PPI_VTIMER 27
#define SGI_PING   1
#define SGI_PONG   2
#define TIMER_IRQS 5

#define PSCI_CPU_OFF 0x84000002ul
#define PSCI_CPU_ON  0xc4000003ul

void guest_irq_exception(void);

static volatile unsigned int timer_irqs, pings, pongs, secondary_ready;
static uint64_t period; /* ticks */

static void arm_timer(uint64_t when)
{
	__asm__ __volatile__("msr cntv_cval_el0, %0\n"
			     "msr cntv_ctl_el0, %1\n"
			     "isb" ::"r"(when),
			     "r"(1ul));
}

static void send_sgi(unsigned int sgi, unsigned int to_vcpu)
{
	uint64_t v = (uint64_t)sgi << 24 | 1u << to_vcpu; /* Aff1..3 0 */

	__asm__ __volatile__("msr icc_sgi1r_el1, %0; isb" ::"r"(v));
}

void guest_irq_exception(void)
{
	unsigned int intid = guest_gic_ack();

	switch (intid) {
	case PPI_VTIMER:
		if (++timer_irqs < TIMER_IRQS)
			arm_timer(guest_ticks() + period);
		else /* off: the line goes low */
			__asm__ __volatile__("msr cntv_ctl_el0, xzr; isb");
		break;
	case SGI_PING:
		pings++;
		break;
	case SGI_PONG:
		pongs++;
		break;
	default:
		guest_printf("unexpected interrupt %u\n", intid);
		guest_shutdown(SHUTDOWN_crash);
	}
	guest_gic_eoi(intid);
}

static uint8_t secondary_stack[4096] __attribute__((aligned(16)));

void guest_secondary_main(void)
{
	guest_gic_cpu_init(1, 1u << SGI_PING);
	secondary_ready = 1;
	guest_wait_for(&pings, 1);
	guest_print("vCPU 1 took SGI 1; answering with SGI 2\n");
	send_sgi(SGI_PONG, 0);
	guest_psci(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		;
}

int main(void)
{
	uint64_t start;

	guest_gic_init();
	guest_gic_cpu_init(0, 1u << PPI_VTIMER | 1u << SGI_PONG);
	guest_printf(
	    "GICv3: ArchRev %u, %u SPIs, redistributor 0 affinity %u\n",
	    (unsigned int)(*guest_reg(GUEST_GICD + GICD_PIDR2) >> 4 & 0xf),
	    (unsigned int)(*guest_reg(GUEST_GICD + GICD_TYPER) & 0x1f) * 32,
	    (unsigned int)*guest_reg(guest_gicr(0) + GICR_TYPER + 4));

	period = guest_ticks_per_sec() / 1000;
	start = guest_ticks();
	arm_timer(start + period);
	guest_wait_for(&timer_irqs, TIMER_IRQS);
	guest_printf("%u virtual-timer interrupts, the last after %llu ms\n",
		     timer_irqs,
		     (unsigned long long)((guest_ticks() - start) /
					  (guest_ticks_per_sec() / 1000)));

	CHECK_EQ(
	    guest_psci(
		PSCI_CPU_ON, 1, (unsigned long)guest_secondary_entry,
		(unsigned long)(secondary_stack + sizeof(secondary_stack))),
	    0);
	while (!secondary_ready)
		guest_yield();
	send_sgi(SGI_PING, 1);
	guest_wait_for(&pongs, 1);
	guest_print("vCPU 0 took SGI 2 from vCPU 1\n");
	return guest_test_result();
}
