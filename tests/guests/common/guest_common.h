/*
 * What every test guest's runtime offers, whatever its architecture:
 * console output and shutdown through the Xen ABI, and checks that end in
 * the "Test result: ..." line tests/guests/run-guest-test.py reads.  Each
 * architecture's guest.h includes this and adds its own entry, hypercall
 * mechanism and timers.
 */
#ifndef GUEST_COMMON_H
#define GUEST_COMMON_H

#include <hv/compiler.h>
#include <stdbool.h>
#include <stdint.h>

/* Defined by the architecture: number in the ABI's register, arguments in
 * the others, the result as the guest gets it. */
long guest_hypercall(unsigned long nr, unsigned long a0, unsigned long a1,
		     unsigned long a2, unsigned long a3, unsigned long a4);

void guest_print(const char *s);
/* The domain's shared-info page placed at `page` (a page of the guest's
 * own, page-aligned): a failed check if it cannot be. */
void guest_map_shared_info(void *page);
/* HYPERVISOR_event_channel_op(cmd, arg). */
long guest_evtchn_op(unsigned int cmd, void *arg);
/* The first port a domain allocates itself in the -xen images: port 1 is
 * its console ring's (hv_hyp_xencons), as under Xen's toolstack. */
#define GUEST_FIRST_FREE_PORT 2u
/* Bind to port `port` of domain `domid`, yielding until that domain has
 * offered it (binding is -EINVAL until then): the local port, or 0 with a
 * failed check. */
uint32_t guest_bind_offered_port(uint16_t domid, uint32_t port);
void guest_printf(const char *fmt, ...) HV_PRINTF(1, 2);
void guest_yield(void);
HV_NORETURN void guest_shutdown(unsigned int reason);
/* Called by the entry code with main's result: poweroff if 0, else
 * crash. */
HV_NORETURN void guest_exit(int status);

/* Checks: a failed one is printed; guest_test_result() prints the line
 * the harness reads and returns main's status. */
#define CHECK(cond) guest_check((cond), #cond, __LINE__)
#define CHECK_EQ(got, want)                                                    \
	guest_check_eq((long long)(got), (long long)(want), #got, __LINE__)
void guest_check(bool ok, const char *what, int line);
void guest_check_eq(long long got, long long want, const char *what, int line);
int guest_test_result(void);

#endif
