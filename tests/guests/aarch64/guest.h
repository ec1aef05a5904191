/*
 * The AArch64 test guests' runtime: hypercalls, console output and
 * checks that end in the "Test result: ..." line the harness reads.
 */
#ifndef GUEST_H
#define GUEST_H

#include <hv/compiler.h>
#include <stdbool.h>
#include <stdint.h>

extern uint64_t guest_dtb; /* x0 at entry */

long guest_hypercall(unsigned long nr, unsigned long a0, unsigned long a1,
		     unsigned long a2, unsigned long a3, unsigned long a4);

void guest_print(const char *s);
void guest_printf(const char *fmt, ...) HV_PRINTF(1, 2);
void guest_yield(void);
HV_NORETURN void guest_shutdown(unsigned int reason);
/* Called by start.S with main's result. */
HV_NORETURN void guest_exit(int status);

/* A PSCI call: hvc #0 with the function ID in x0 and arguments in x1-x3. */
long guest_psci(unsigned long fid, unsigned long a1, unsigned long a2,
		unsigned long a3);

/* The virtual counter, in ticks, and its frequency. */
uint64_t guest_ticks(void);
uint64_t guest_ticks_per_sec(void);

/* Checks: a failed one is printed; guest_test_result() prints the line
 * the harness reads and returns main's status. */
#define CHECK(cond) guest_check((cond), #cond, __LINE__)
#define CHECK_EQ(got, want) guest_check_eq((long)(got), (long)(want), #got, \
					   __LINE__)
void guest_check(bool ok, const char *what, int line);
void guest_check_eq(long got, long want, const char *what, int line);
int guest_test_result(void);

#endif
