/*
 * A guest written against the Xen x86 ABI alone: no hvkit code, only Xen's
 * public headers.  It runs unchanged on hvkit and on Xen (as a PVH domU).
 *
 *   - It is a PVH kernel: an ELF whose XEN_ELFNOTE_PHYS32_ENTRY note names
 *     its 32-bit entry point, entered in protected mode with paging off
 *     and flat segments; _start below sets up a stack and calls main().
 *   - It finds Xen by its CPUID signature "XenVMMXenVMM" (on a 0x100
 *     boundary from 0x40000000), asks the leaf after it for the MSR that
 *     installs a hypercall page, and writes that page's address there.
 *   - A hypercall is a call into that page, 32 bytes per hypercall number,
 *     with arguments in ebx, ecx, edx and the result in eax.
 *
 * It greets, asks Xen which version it is, prints a few lines spaced out
 * by busy-waiting on the TSC at the frequency Xen reports (so that two
 * copies side by side interleave only because the hypervisor preempts
 * them), and powers off.
 */
#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/elfnote.h>
#include <xen/sched.h>
#include <xen/version.h>

#define STR(x)	#x
#define XSTR(x) STR(x)

__asm__(".section .note.Xen, \"a\", @note\n"
	"	.p2align 2\n"
	"	.long 4, 4, " XSTR(
	    XEN_ELFNOTE_PHYS32_ENTRY) "\n"
				      "	.asciz \"Xen\"\n"
				      "	.long _start\n"
				      ".text\n"
				      ".globl _start\n"
				      "_start:\n"
				      "	movl $stack + 8192, %esp\n"
				      "	call main\n"
				      "1:	hlt\n"
				      "	jmp 1b\n");

static uint8_t stack[8192] __attribute__((aligned(16), used));
static uint8_t hypercall_page[4096] __attribute__((aligned(4096)));
static uint32_t xen_base; /* Xen's first CPUID leaf */

static void cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	__asm__ __volatile__("cpuid"
			     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			     : "a"(leaf), "c"(subleaf));
}

static int find_xen(void)
{
	uint32_t r[4];

	for (uint32_t base = XEN_CPUID_FIRST_LEAF; base < 0x40010000u;
	     base += 0x100) {
		cpuid(base, 0, r);
		if (r[1] == XEN_CPUID_SIGNATURE_EBX &&
		    r[2] == XEN_CPUID_SIGNATURE_ECX &&
		    r[3] == XEN_CPUID_SIGNATURE_EDX && r[0] >= base + 2) {
			xen_base = base;
			return 1;
		}
	}
	return 0;
}

static void install_hypercall_page(void)
{
	uint32_t r[4];

	cpuid(xen_base + 2, 0, r);
	__asm__ __volatile__("wrmsr" ::"c"(r[1]),
			     "a"((uint32_t)(uintptr_t)hypercall_page), "d"(0)
			     : "memory");
}

static long hypercall(unsigned int nr, unsigned long a0, unsigned long a1,
		      unsigned long a2)
{
	long ret;

	__asm__ __volatile__("call *%[stub]"
			     : "=a"(ret), "+b"(a0), "+c"(a1), "+d"(a2)
			     : [stub] "r"(hypercall_page + nr * 32)
			     : "memory");
	return ret;
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
	char digits[12];
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

static uint64_t tsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* Ticks per millisecond: the TSC frequency in kHz (Xen's time leaf). */
static uint32_t tsc_khz(void)
{
	uint32_t r[4];

	cpuid(xen_base + 3, 0, r);
	return r[2];
}

int main(void);

int main(void)
{
	struct sched_shutdown off;

	if (!find_xen())
		for (;;)
			__asm__ __volatile__("cli; hlt");
	install_hypercall_page();
	print("hello from a guest that knows only the Xen ABI\n");
	print_version();
	for (unsigned long i = 1; i <= 3; i++) {
		uint64_t until = tsc() + 50ull * tsc_khz(); /* 50 ms */
		char line[16];
		size_t pos = 0;

		while (tsc() < until)
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
