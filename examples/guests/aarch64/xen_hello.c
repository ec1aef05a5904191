/*
 * A guest written against the Xen AArch64 ABI alone: no hvkit code, only
 * Xen's public headers.  It runs unchanged on hvkit and on Xen.
 *
 *   - Xen enters an arm64 guest at EL1 with the MMU off and x0 pointing at
 *     its device tree; _start below sets up a stack and calls main().
 *   - A hypercall is `hvc #0xEA1` with its number in x16, arguments in
 *     x0-x4 and the result in x0.
 *
 * It greets, asks Xen which version it is, prints a few lines spaced out
 * by busy-waiting (so that two copies side by side interleave only because
 * the hypervisor preempts them), and powers off.
 */
#include <stddef.h>
#include <stdint.h>

#include <xen/sched.h>
#include <xen/version.h>
#include <xen/xen.h>

__asm__(".section .text.start, \"ax\"\n"
	".globl _start\n"
	"_start:\n"
	"	adrp x1, stack_top\n"
	"	add x1, x1, :lo12:stack_top\n"
	"	mov sp, x1\n"
	"	bl main\n"
	"1:	b 1b\n");

static uint8_t stack[8192] __attribute__((aligned(16), used));
__asm__(".set stack_top, stack + 8192");

static long hypercall(unsigned long nr, unsigned long a0, unsigned long a1,
		      unsigned long a2)
{
	register unsigned long x0 __asm__("x0") = a0;
	register unsigned long x1 __asm__("x1") = a1;
	register unsigned long x2 __asm__("x2") = a2;
	register unsigned long x16 __asm__("x16") = nr;

	__asm__ __volatile__("hvc #0xea1"
			     : "+r"(x0)
			     : "r"(x1), "r"(x2), "r"(x16)
			     : "memory");
	return (long)x0;
}

static size_t length(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static void print(const char *s)
{
	hypercall(__HYPERVISOR_console_io, CONSOLEIO_write, length(s),
		  (unsigned long)s);
}

/* Append s, or decimal v, to buf at *pos. */
static void put_string(char *buf, size_t *pos, const char *s)
{
	while (*s)
		buf[(*pos)++] = *s++;
}

static void put_number(char *buf, size_t *pos, unsigned long v)
{
	char digits[20];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		buf[(*pos)++] = digits[--n];
}

static void print_version(void)
{
	long v = hypercall(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
	xen_extraversion_t extra;
	char line[64];
	size_t pos = 0;

	if (hypercall(__HYPERVISOR_xen_version, XENVER_extraversion,
		      (unsigned long)extra, 0) != 0)
		extra[0] = '\0';
	extra[sizeof(extra) - 1] = '\0';
	put_string(line, &pos, "running on Xen ");
	put_number(line, &pos, (unsigned long)v >> 16);
	put_string(line, &pos, ".");
	put_number(line, &pos, (unsigned long)v & 0xffff);
	put_string(line, &pos, extra);
	put_string(line, &pos, "\n");
	line[pos] = '\0';
	print(line);
}

static uint64_t counter(void)
{
	uint64_t v;

	__asm__ __volatile__("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static uint64_t counter_hz(void)
{
	uint64_t v;

	__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

int main(void);

int main(void)
{
	struct sched_shutdown off;

	print("hello from a guest that knows only the Xen ABI\n");
	print_version();
	for (unsigned long i = 1; i <= 3; i++) {
		uint64_t until = counter() + counter_hz() / 20; /* 50 ms */
		char line[16];
		size_t pos = 0;

		while (counter() < until)
			;
		put_string(line, &pos, "tick ");
		put_number(line, &pos, i);
		put_string(line, &pos, "\n");
		line[pos] = '\0';
		print(line);
	}
	off.reason = SHUTDOWN_poweroff;
	hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (unsigned long)&off,
		  0);
	for (;;)
		;
}
