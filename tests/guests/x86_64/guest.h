/*
 * The x86_64 test guests' runtime: PVH guests, 32-bit (ELF32) or 64-bit
 * (ELF64, switching themselves to long mode), that find Xen through CPUID,
 * install the hypercall page through its MSR, and end in the
 * "Test result: ..." line the harness reads.
 */
#ifndef GUEST_H
#define GUEST_H

#include "../common/guest_common.h"

#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>

extern const struct hvm_start_info *guest_start_info; /* %ebx at entry */
extern uint8_t guest_hypercall_page[4096];

/* guest_hypercall goes through the hypercall page, in the convention of
 * the guest's mode. */

/* Called by the entry code before main: Xen's CPUID leaves and the
 * hypercall page. */
void guest_init(void);

/* The TSC, and its frequency from Xen's CPUID leaf 0x40000003. */
uint64_t guest_ticks(void);
uint64_t guest_ticks_per_sec(void);

void guest_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4]);
uint64_t guest_rdmsr(uint32_t msr);
void guest_wrmsr(uint32_t msr, uint64_t val);
void guest_outb(uint16_t port, uint8_t v);
/* A 32-bit load with a plain MOV, never folded into another instruction
 * (for memory the hypervisor emulates: it decodes the MOV family only). */
uint32_t guest_read32(const volatile void *p);
uint8_t guest_inb(uint16_t port);
void guest_outl(uint16_t port, uint32_t v);
uint32_t guest_inl(uint16_t port);

/* 64-bit guests: make hypercall `nr` (arguments 0) from CPL 3. */
long guest_hypercall_from_user(unsigned long nr);

/*
 * Paging, for testing how the hypervisor reads hypercall pointers (they
 * are linear addresses).  guest_paging_enable() gives a 32-bit guest
 * two-level paging (identity with 4 MiB pages, the first 4 MiB in 4 KiB
 * pages) and a 64-bit guest 4 KiB pages for its first 2 MiB; in both,
 * guest_ro_page is read-only (CR0.WP on) and the low 16 MiB can also be
 * reached through an alias: guest_alias(p) is p's address there (32-bit:
 * p + 2 GiB, 64-bit: p + 0xffff800000000000), an address a hypervisor that
 * took pointers for guest-physical would refuse.  Without paging,
 * guest_alias(p) is p.
 */
void guest_paging_enable(void);
unsigned long guest_alias(const void *p);
extern uint8_t guest_ro_page[4096];

/*
 * Exceptions: the entry code installs an IDT for vectors 0-31.  An
 * expected one is recorded and the faulting instruction, `insn_len` bytes
 * long, skipped; an unexpected one crashes the domain with a message.
 */
void guest_expect_fault(unsigned int insn_len);
extern volatile unsigned int guest_faults, guest_fault_vector;
extern volatile unsigned long guest_fault_error;
/*
 * Interrupts (64-bit guests): the entry code installs a gate for every
 * vector; one from 32 up calls guest_irq_handler with its vector, or
 * without a handler crashes the domain with a message.
 */
extern void (*volatile guest_irq_handler)(unsigned int vector);

/* The C side of the exception stubs: returns where to resume. */
unsigned long guest_exception(unsigned long vector, unsigned long error,
			      unsigned long ip);

#endif
