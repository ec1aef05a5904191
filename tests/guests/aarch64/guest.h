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

/* An exception the guest did not expect, from its vector table
 * (exceptions.S): say so and crash the domain. */
HV_NORETURN void guest_unexpected_exception(uint64_t esr, uint64_t elr);

/* The virtual counter, in ticks, and its frequency. */
uint64_t guest_ticks(void);
uint64_t guest_ticks_per_sec(void);

#endif
