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

#define GICD	    0x03001000ul /* GUEST_GICV3_GICD_BASE */
#define GICR	    0x03020000ul /* GUEST_GICV3_GICR0_BASE: vCPU n's at + n * */
#define GICR_STRIDE 0x20000ul
#define SGI_FRAME   0x10000ul

#define GICD_CTLR	0x0000
#define GICD_TYPER	0x0004
#define GICD_PIDR2	0xffe8
#define GICR_TYPER	0x0008
#define GICR_WAKER	0x0014
#define GICR_ISENABLER0 0x0100

#define CTLR_ARE_G1A_G1 0x13u /* as Linux writes it */
#define WAKER_ASLEEP	(1u << 2)

#define PPI_VTIMER 27
#define SGI_PING   1
#define SGI_PONG   2
#define TIMER_IRQS 5

#define PSCI_CPU_OFF 0x84000002ul
#define PSCI_CPU_ON  0xc4000003ul

extern const char guest_vectors[];
void guest_irq_exception(void);

static volatile unsigned int timer_irqs, pings, pongs, secondary_ready;
static uint64_t period; /* ticks */

static volatile uint32_t *reg(unsigned long addr)
{
	return (volatile uint32_t *)addr;
}

static unsigned long redist(unsigned int vcpu)
{
	return GICR + vcpu * GICR_STRIDE;
}

/* This vCPU's view of the GIC: vectors, its redistributor awake, the
 * interrupts it takes enabled, its CPU interface on, IRQs unmasked. */
static void gic_cpu_init(unsigned int vcpu, uint32_t enable)
{
	__asm__ __volatile__("msr vbar_el1, %0; isb" ::"r"(guest_vectors));
	*reg(redist(vcpu) + GICR_WAKER) = 0;
	while (*reg(redist(vcpu) + GICR_WAKER) & WAKER_ASLEEP)
		;
	*reg(redist(vcpu) + SGI_FRAME + GICR_ISENABLER0) = enable;
	__asm__ __volatile__("msr icc_sre_el1, %0\n"
			     "msr icc_pmr_el1, %1\n"
			     "msr icc_igrpen1_el1, %2\n"
			     "isb\n"
			     "msr daifclr, #2" ::"r"(1ul),
			     "r"(0xfful), "r"(1ul)
			     : "memory");
}

static void wait_for(volatile unsigned int *count, unsigned int n)
{
	while (*count < n)
		__asm__ __volatile__("wfi" ::: "memory");
}

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
	uint64_t intid;

	__asm__ __volatile__("mrs %0, icc_iar1_el1" : "=r"(intid));
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
		guest_printf("unexpected interrupt %llu\n",
			     (unsigned long long)intid);
		guest_shutdown(SHUTDOWN_crash);
	}
	__asm__ __volatile__("msr icc_eoir1_el1, %0; isb" ::"r"(intid));
}

/* vCPU 1 starts here (PSCI CPU_ON) with its stack top as context (x0). */
__asm__(".text\n"
	".globl guest_secondary_entry\n"
	"guest_secondary_entry:\n"
	"	mov sp, x0\n"
	"	bl guest_secondary_main\n"
	"1:	b 1b\n");

extern char guest_secondary_entry[];
HV_NORETURN void guest_secondary_main(void);

static uint8_t secondary_stack[4096] __attribute__((aligned(16)));

void guest_secondary_main(void)
{
	gic_cpu_init(1, 1u << SGI_PING);
	secondary_ready = 1;
	wait_for(&pings, 1);
	guest_print("vCPU 1 took SGI 1; answering with SGI 2\n");
	send_sgi(SGI_PONG, 0);
	guest_psci(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		;
}

int main(void)
{
	uint64_t start;

	gic_cpu_init(0, 1u << PPI_VTIMER | 1u << SGI_PONG);
	*reg(GICD + GICD_CTLR) = CTLR_ARE_G1A_G1;
	CHECK_EQ(*reg(GICD + GICD_CTLR), CTLR_ARE_G1A_G1);
	guest_printf("GICv3: ArchRev %u, %u SPIs, redistributor 0 affinity "
		     "%u\n",
		     (unsigned int)(*reg(GICD + GICD_PIDR2) >> 4 & 0xf),
		     (unsigned int)((*reg(GICD + GICD_TYPER) & 0x1f) + 1) * 32 -
			 32,
		     (unsigned int)*reg(redist(0) + GICR_TYPER + 4));

	period = guest_ticks_per_sec() / 1000;
	start = guest_ticks();
	arm_timer(start + period);
	wait_for(&timer_irqs, TIMER_IRQS);
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
	wait_for(&pongs, 1);
	guest_print("vCPU 0 took SGI 2 from vCPU 1\n");
	return guest_test_result();
}
