#include "guest.h"

#include <hv/fmt.h>
#include <hv/string.h>

#include <xen/sched.h>
#include <xen/xen.h>

uint64_t guest_dtb;
static unsigned int checks, failures;

void guest_print(const char *s)
{
	guest_hypercall(__HYPERVISOR_console_io, CONSOLEIO_write, strlen(s),
			(unsigned long)s, 0, 0);
}

void guest_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	guest_print(buf);
}

void guest_yield(void)
{
	guest_hypercall(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, 0, 0);
}

void guest_shutdown(unsigned int reason)
{
	struct sched_shutdown s = {.reason = reason};

	guest_hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
			(unsigned long)&s, 0, 0, 0);
	for (;;)
		guest_print("shutdown returned!\n");
}

void guest_exit(int status)
{
	guest_shutdown(status == 0 ? SHUTDOWN_poweroff : SHUTDOWN_crash);
}

long guest_psci(unsigned long fid, unsigned long a1, unsigned long a2,
		unsigned long a3)
{
	register unsigned long x0 __asm__("x0") = fid;
	register unsigned long x1 __asm__("x1") = a1;
	register unsigned long x2 __asm__("x2") = a2;
	register unsigned long x3 __asm__("x3") = a3;

	__asm__ __volatile__("hvc #0"
			     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			     :
			     : "memory");
	return (long)x0;
}

uint64_t guest_ticks(void)
{
	uint64_t v;

	__asm__ __volatile__("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

uint64_t guest_ticks_per_sec(void)
{
	uint64_t v;

	__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

void guest_check(bool ok, const char *what, int line)
{
	checks++;
	if (!ok) {
		failures++;
		guest_printf("FAILED line %d: %s\n", line, what);
	}
}

void guest_check_eq(long got, long want, const char *what, int line)
{
	checks++;
	if (got != want) {
		failures++;
		guest_printf("FAILED line %d: %s is %ld, expected %ld\n", line,
			     what, got, want);
	}
}

int guest_test_result(void)
{
	guest_printf("%u checks, %u failed\n", checks, failures);
	guest_print(failures ? "Test result: FAILURE\n"
			     : "Test result: SUCCESS\n");
	return failures ? 1 : 0;
}
