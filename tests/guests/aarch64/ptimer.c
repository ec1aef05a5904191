/*
 * The EL1 physical timer as a guest kernel may use it (PPI 30), which the
 * hypervisor emulates as Xen does: CNTFRQ and the physical counter read
 * directly, CNTP_CTL/CVAL/TVAL trap.  Takes interrupts armed by CVAL and
 * by TVAL, while blocked in WFI (the hypervisor wakes the vCPU) and while
 * spinning (the interrupt must stop the running guest), checks ISTATUS,
 * and that a masked timer stays quiet until unmasked.
 */
#include "guest.h"

#include <xen/sched.h>

#define PPI_PTIMER 30
#define TIMER_IRQS 5
#define ENABLE	   1ul
#define IMASK	   2ul
#define ISTATUS	   4ul

void guest_irq_exception(void);

static volatile unsigned int irqs;
static volatile uint64_t ctl_in_handler;

static uint64_t phys_ticks(void)
{
	uint64_t v;

	__asm__ __volatile__("isb; mrs %0, cntpct_el0" : "=r"(v));
	return v;
}

static uint64_t ctl(void)
{
	uint64_t v;

	__asm__ __volatile__("mrs %0, cntp_ctl_el0" : "=r"(v));
	return v;
}

static void set_ctl(uint64_t v)
{
	__asm__ __volatile__("msr cntp_ctl_el0, %0; isb" ::"r"(v));
}

static void set_cval(uint64_t v)
{
	__asm__ __volatile__("msr cntp_cval_el0, %0; isb" ::"r"(v));
}

static void set_tval(uint64_t v)
{
	__asm__ __volatile__("msr cntp_tval_el0, %0; isb" ::"r"(v));
}

static uint64_t tval(void)
{
	uint64_t v;

	__asm__ __volatile__("mrs %0, cntp_tval_el0" : "=r"(v));
	return v;
}

/* As Linux's arch_timer handler: mask the timer, then count. */
void guest_irq_exception(void)
{
	unsigned int intid = guest_gic_ack();

	if (intid != PPI_PTIMER) {
		guest_printf("unexpected interrupt %u\n", intid);
		guest_shutdown(SHUTDOWN_crash);
	}
	ctl_in_handler = ctl();
	set_ctl(ENABLE | IMASK);
	irqs++;
	guest_gic_eoi(intid);
}

static void spin_until(uint64_t when)
{
	while (phys_ticks() < when)
		;
}

int main(void)
{
	uint64_t freq = guest_ticks_per_sec(), ms = freq / 1000, start;

	guest_gic_init();
	guest_gic_cpu_init(0, 1u << PPI_PTIMER);
	guest_printf("CNTFRQ %llu Hz\n", (unsigned long long)freq);
	CHECK_EQ(ctl(), 0);

	/* Blocked in WFI: woken by the timer, alternately armed by CVAL
	 * and by TVAL. */
	start = phys_ticks();
	for (unsigned int i = 0; i < TIMER_IRQS; i++) {
		if (i % 2) {
			set_tval(ms);
			CHECK(tval() <= ms);
		} else {
			set_cval(phys_ticks() + ms);
		}
		/* With IRQs masked: on a loaded host the timer may fire
		 * before the read, and the handler's IMASK would show. */
		__asm__ __volatile__("msr daifset, #2" ::: "memory");
		set_ctl(ENABLE);
		CHECK_EQ(ctl() & ~ISTATUS, ENABLE);
		__asm__ __volatile__("msr daifclr, #2" ::: "memory");
		guest_wait_for(&irqs, i + 1);
		CHECK_EQ(ctl_in_handler, ENABLE | ISTATUS);
	}
	CHECK(phys_ticks() - start >= TIMER_IRQS * ms);
	guest_printf("%u physical-timer interrupts in WFI\n", irqs);

	/* Running: the interrupt stops a spinning guest. */
	set_tval(ms);
	set_ctl(ENABLE);
	while (irqs < TIMER_IRQS + 1)
		;
	guest_print("a physical-timer interrupt while spinning\n");

	/* Masked past its compare value: quiet, ISTATUS set; unmasked: the
	 * interrupt comes. */
	set_ctl(0);
	set_cval(phys_ticks());
	set_ctl(ENABLE | IMASK);
	spin_until(phys_ticks() + 2 * ms);
	CHECK_EQ(irqs, TIMER_IRQS + 1);
	CHECK_EQ(ctl(), ENABLE | IMASK | ISTATUS);
	set_ctl(ENABLE);
	guest_wait_for(&irqs, TIMER_IRQS + 2);
	set_ctl(0);
	CHECK_EQ(ctl(), 0);
	guest_print("masked: quiet until unmasked\n");
	return guest_test_result();
}
