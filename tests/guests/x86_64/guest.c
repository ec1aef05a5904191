/*
 * The x86_64 test guests' runtime in C: discovery of Xen, the hypercall page,
 * the TSC, port and MSR access, and expected exceptions (guest.h); the rest
 * is tests/guests/common.
 */
#include "guest.h"

#include <hv/fmt.h>
#include <hv/string.h>

#include <xen/arch-x86/cpuid.h>
#include <xen/sched.h>

const struct hvm_start_info *guest_start_info;
uint8_t guest_hypercall_page[4096] __attribute__((aligned(4096)));
volatile unsigned int guest_faults, guest_fault_vector;
volatile unsigned long guest_fault_error;
static unsigned int expected_len;
static uint32_t hypercall_msr;

void guest_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	__asm__ __volatile__("cpuid"
			     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			     : "a"(leaf), "c"(subleaf));
}

uint64_t guest_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

void guest_wrmsr(uint32_t msr, uint64_t val)
{
	__asm__ __volatile__("wrmsr" ::"c"(msr), "a"((uint32_t)val),
			     "d"((uint32_t)(val >> 32)));
}

void guest_outb(uint16_t port, uint8_t v)
{
	__asm__ __volatile__("outb %0, %1" ::"a"(v), "Nd"(port));
}

uint8_t guest_inb(uint16_t port)
{
	uint8_t v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void guest_outl(uint16_t port, uint32_t v)
{
	__asm__ __volatile__("outl %0, %1" ::"a"(v), "Nd"(port));
}

uint32_t guest_inl(uint16_t port)
{
	uint32_t v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

uint32_t guest_read32(const volatile void *p)
{
	uint32_t v;

	__asm__ __volatile__("movl (%1), %0" : "=r"(v) : "r"(p) : "memory");
	return v;
}

uint64_t guest_ticks(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

uint64_t guest_ticks_per_sec(void)
{
	uint32_t r[4];

	guest_cpuid(XEN_CPUID_LEAF(3), 0, r);
	return (uint64_t)r[2] * 1000;
}

/* No console yet: say what is wrong on the debug port, then triple-fault
 * by loading an empty IDT, the one end a guest without Xen has. */
static HV_NORETURN void no_xen(const char *why)
{
	while (*why)
		guest_outb(0xe9, (uint8_t)*why++);
	__asm__ __volatile__("lidt %0; int3" ::"m"(*(const uint64_t[2]){0}));
	for (;;)
		;
}

void guest_init(void)
{
	uint32_t r[4];

	guest_cpuid(XEN_CPUID_FIRST_LEAF, 0, r);
	if (r[1] != XEN_CPUID_SIGNATURE_EBX ||
	    r[2] != XEN_CPUID_SIGNATURE_ECX ||
	    r[3] != XEN_CPUID_SIGNATURE_EDX || r[0] < XEN_CPUID_LEAF(2))
		no_xen("no Xen CPUID leaves\n");
	guest_cpuid(XEN_CPUID_LEAF(2), 0, r);
	hypercall_msr = r[1];
	guest_wrmsr(hypercall_msr, (uintptr_t)guest_hypercall_page);
}

void guest_expect_fault(unsigned int insn_len)
{
	expected_len = insn_len;
}

void (*volatile guest_irq_handler)(unsigned int vector);

#define FIRST_IRQ_VECTOR 32

unsigned long guest_exception(unsigned long vector, unsigned long error,
			      unsigned long ip)
{
	if (vector >= FIRST_IRQ_VECTOR) {
		if (!guest_irq_handler) {
			guest_printf("unexpected interrupt %lu at %#lx\n",
				     vector, ip);
			guest_shutdown(SHUTDOWN_crash);
		}
		guest_irq_handler((unsigned int)vector);
		return ip;
	}
	if (!expected_len) {
		guest_printf("unexpected exception %lu (error %#lx) at %#lx\n",
			     vector, error, ip);
		guest_shutdown(SHUTDOWN_crash);
	}
	guest_faults++;
	guest_fault_vector = (unsigned int)vector;
	guest_fault_error = error;
	ip += expected_len;
	expected_len = 0;
	return ip;
}
