/*
 * The AArch64 test guests' runtime: the entry (start.S), hypercalls, PSCI
 * and the virtual counter; console output and checks are
 * tests/guests/common.
 */
#ifndef GUEST_H
#define GUEST_H

#include "../common/guest_common.h"

extern uint64_t guest_dtb; /* x0 at entry */

/* guest_hypercall is hvc #0xEA1 (hypercall.S). */

/* A PSCI call: hvc #0 with the function ID in x0 and arguments in x1-x3. */
long guest_psci(unsigned long fid, unsigned long a1, unsigned long a2,
		unsigned long a3);

/* Where a vCPU started with PSCI CPU_ON enters (start.S), given its stack
 * top as the context, to run guest_secondary_main(), which a guest with
 * several vCPUs defines. */
extern char guest_secondary_entry[];
HV_NORETURN void guest_secondary_main(void);

/* An exception the guest did not expect, from its vector table
 * (exceptions.S): say so and crash the domain. */
HV_NORETURN void guest_unexpected_exception(uint64_t esr, uint64_t elr);

/*
 * The virtual GICv3 at Xen's guest addresses (gic_guest.c): a register;
 * vCPU n's redistributor; the distributor on (group 1, affinity routing);
 * an SPI enabled (routed to vCPU 0); this vCPU's vectors, redistributor
 * awake with the SGIs and PPIs in `enable` on, CPU interface on and IRQs
 * unmasked; acknowledge and end an interrupt; wait (WFI) until *count
 * reaches n.
 */
#define GUEST_GICD 0x03001000ul /* GUEST_GICV3_GICD_BASE */
#define GUEST_GICR 0x03020000ul /* GUEST_GICV3_GICR0_BASE */
volatile uint32_t *guest_reg(unsigned long addr);
unsigned long guest_gicr(unsigned int vcpu);
void guest_gic_init(void);
void guest_gic_spi_enable(unsigned int intid);
void guest_gic_cpu_init(unsigned int vcpu, uint32_t enable);
unsigned int guest_gic_ack(void);
void guest_gic_eoi(unsigned int intid);
void guest_wait_for(volatile unsigned int *count, unsigned int n);

/* The virtual counter, in ticks, and its frequency. */
uint64_t guest_ticks(void);
uint64_t guest_ticks_per_sec(void);

#endif
