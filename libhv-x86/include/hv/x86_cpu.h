/*
 * hv/x86_cpu.h - the physical CPU in long mode: GDT, TSS, IDT, and the
 * per-CPU state the trap handlers find through the GS base.
 *
 * Every vector goes to one assembly stub that saves the general registers
 * and calls C: exceptions (vectors 0-31 but NMI) taken by the hypervisor
 * itself go to the fault callback, which must not return; interrupts
 * (32-255) and NMIs (vector 2) go to the irq callback, which acknowledges
 * them.  NMI, double fault and machine
 * check run on a stack of their own (IST 1), so that a stack overflow is
 * still reported.
 *
 * FS_BASE points at cpu->tls, whose word at byte 40 is a stack-protector
 * guard: Debian's x86_64 libfdt.a reads its guard from %fs:40.
 */
#ifndef HV_X86_CPU_H
#define HV_X86_CPU_H

#include <hv/types.h>

HV_BEGIN_DECLS

/* GDT selectors (the same as the boot GDT's). */
#define HV_X86_SEL_CODE 0x08
#define HV_X86_SEL_DATA 0x10
#define HV_X86_SEL_TSS	0x18

/* What the trap stub saved, lowest address first. */
struct hv_x86_trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code; /* error_code 0 if the CPU pushed none */
	uint64_t rip, cs, rflags, rsp, ss;
};

/* An exception taken by the hypervisor itself (a bug): cr2 is CR2. */
typedef void (*hv_x86_fault_fn)(void *opaque,
				const struct hv_x86_trap_frame *frame,
				uint64_t cr2);
/* An interrupt arrived on `vector` (32..255, or 2 for an NMI). */
typedef void (*hv_x86_irq_fn)(void *opaque, unsigned int vector);

/* Words of the per-CPU block FS_BASE points at; bytes of the stack a
 * fault (double fault, NMI) switches to. */
#define HV_X86_TLS_WORDS	8
#define HV_X86_FAULT_STACK_SIZE 4096

/* The first field is read by the trap path as %gs:0. */
struct hv_x86_cpu {
	struct hv_x86_cpu *self;
	hv_x86_fault_fn fault;
	hv_x86_irq_fn irq;
	void *opaque;
	uint64_t tls[HV_X86_TLS_WORDS]; /* FS_BASE; tls[5] is the guard */
	uint64_t gdt[5];		/* null, code, data, TSS (2 slots) */
	uint32_t tss[26];		/* the 104-byte 64-bit TSS */
	uint64_t idt[512];		/* 256 gates of 16 bytes */
	uint8_t fault_stack[HV_X86_FAULT_STACK_SIZE];
};

/*
 * Make `cpu` this CPU's state: load its GDT, TSS and IDT, and point GS_BASE
 * at it and FS_BASE at cpu->tls.  `fault` must not return: if it does, or
 * is NULL, the CPU leaves QEMU with status 2 (hv_x86_debug_exit).  `irq`
 * may be NULL (interrupts are then ignored, unacknowledged).  Interrupts
 * stay disabled.  `cpu` must be 16-byte aligned.
 */
void hv_x86_cpu_init(struct hv_x86_cpu *cpu, hv_x86_fault_fn fault,
		     hv_x86_irq_fn irq, void *opaque);

/* Let pending interrupts in, then disable them again. */
void hv_x86_take_interrupts(void);

/* Wait for an interrupt, take it, and return with interrupts disabled. */
void hv_x86_wait_for_interrupt(void);

/* The CPU's time-stamp counter. */
uint64_t hv_x86_rdtsc(void);

/* What CPUID returns. */
struct hv_x86_cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

/* Execute CPUID for `leaf` and `subleaf` on this CPU. */
void hv_x86_cpuid(uint32_t leaf, uint32_t subleaf,
		  struct hv_x86_cpuid_regs *out);

HV_END_DECLS

#endif /* HV_X86_CPU_H */
