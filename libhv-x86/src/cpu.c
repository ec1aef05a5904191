/*
 * The physical CPU's descriptor tables and the C side of the trap path
 * (AMD APM vol. 2, 4.8 "Long-mode segment descriptors", 8.9 "Long-mode
 * interrupt control transfers", 12.2.5 "64-bit TSS").
 */
#include <hv/string.h>
#include <hv/x86_boot.h>
#include <hv/x86_cpu.h>
#include <hv/x86_smp.h>

#include "x86_asm.h"

#define DESC_TSS_AVAILABLE 0x9ull
#define DESC_PRESENT	   (1ull << 47)
#define GATE_INTERRUPT	   0x8eull /* present, DPL 0, 64-bit interrupt gate */
#define TSS_IST1_WORD	   9	   /* bytes 36..43 */
#define TSS_IOMAP_WORD	   25	   /* bytes 100..103: I/O map base in 102 */
#define TSS_SIZE	   104u
#define IST_FAULT	   1u

#define VEC_NMI 2
#define VEC_DF	8
#define VEC_MC	18

/* Not a plausible pointer or string: catches overflows by string copies. */
#define STACK_GUARD    0x5a3ce71d90f4b800ull
#define TLS_GUARD_WORD 5 /* %fs:40 */

extern const char hv_x86_trap_stubs[];
void hv_x86_trap_dispatch(struct hv_x86_trap_frame *frame);

HV_STATIC_ASSERT(sizeof(struct hv_x86_trap_frame) == 22 * 8, "traps.S");
HV_STATIC_ASSERT(offsetof(struct hv_x86_cpu, self) == 0, "%gs:0");
HV_STATIC_ASSERT(sizeof(((struct hv_x86_cpu *)0)->tss) == TSS_SIZE, "TSS");

static void set_tss_descriptor(uint64_t *slot, uintptr_t base)
{
	uint64_t limit = TSS_SIZE - 1;

	slot[0] = (limit & 0xffff) | (base & 0xffffff) << 16 |
		  DESC_TSS_AVAILABLE << 40 | DESC_PRESENT |
		  (limit >> 16 & 0xf) << 48 | (base >> 24 & 0xff) << 56;
	slot[1] = base >> 32;
}

static void set_gate(uint64_t *gate, uintptr_t handler, unsigned int ist)
{
	gate[0] = (handler & 0xffff) | (uint64_t)HV_X86_SEL_CODE << 16 |
		  (uint64_t)ist << 32 | GATE_INTERRUPT << 40 |
		  (handler >> 16 & 0xffff) << 48;
	gate[1] = handler >> 32;
}

static void load_tables(struct hv_x86_cpu *cpu)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} gdtr = {sizeof(cpu->gdt) - 1, (uintptr_t)cpu->gdt},
	  idtr = {sizeof(cpu->idt) - 1, (uintptr_t)cpu->idt};

	__asm__ __volatile__("lgdt %0\n"
			     "pushq %1\n"
			     "leaq 1f(%%rip), %%rax\n"
			     "pushq %%rax\n"
			     "lretq\n"
			     "1: movl %2, %%eax\n"
			     "movl %%eax, %%ds\n"
			     "movl %%eax, %%es\n"
			     "movl %%eax, %%ss\n"
			     "ltr %w3\n"
			     "lidt %4"
			     :
			     : "m"(gdtr), "i"(HV_X86_SEL_CODE),
			       "i"(HV_X86_SEL_DATA), "r"(HV_X86_SEL_TSS),
			       "m"(idtr)
			     : "rax", "memory");
}

void hv_x86_cpu_init(struct hv_x86_cpu *cpu, hv_x86_fault_fn fault,
		     hv_x86_irq_fn irq, void *opaque)
{
	uintptr_t stubs = (uintptr_t)hv_x86_trap_stubs;
	uintptr_t ist =
	    (uintptr_t)(cpu->fault_stack + sizeof(cpu->fault_stack));

	memset(cpu, 0, sizeof(*cpu));
	cpu->self = cpu;
	cpu->fault = fault;
	cpu->irq = irq;
	cpu->opaque = opaque;
	cpu->tls[TLS_GUARD_WORD] = STACK_GUARD;

	cpu->gdt[1] = GDT_CODE64;
	cpu->gdt[2] = GDT_DATA;
	set_tss_descriptor(&cpu->gdt[3], (uintptr_t)cpu->tss);
	cpu->tss[TSS_IST1_WORD] = (uint32_t)ist;
	cpu->tss[TSS_IST1_WORD + 1] = (uint32_t)(ist >> 32);
	cpu->tss[TSS_IOMAP_WORD] = TSS_SIZE << 16; /* no I/O bitmap */

	for (unsigned int v = 0; v < 256; v++) {
		bool own_stack = v == VEC_NMI || v == VEC_DF || v == VEC_MC;

		set_gate(&cpu->idt[2 * v], stubs + 16 * v,
			 own_stack ? IST_FAULT : 0);
	}
	load_tables(cpu);
	hv_wrmsr(MSR_GS_BASE, (uintptr_t)cpu);
	hv_wrmsr(MSR_FS_BASE, (uintptr_t)cpu->tls);
}

struct hv_x86_cpu *hv_x86_cpu_this(void)
{
	struct hv_x86_cpu *cpu;

	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(cpu));
	return cpu;
}

void hv_x86_trap_dispatch(struct hv_x86_trap_frame *frame)
{
	struct hv_x86_cpu *cpu = hv_x86_cpu_this();
	uint64_t cr2;

	/* An NMI is an interrupt, not a fault of the hypervisor's. */
	if (frame->vector >= 32 || frame->vector == VEC_NMI) {
		if (cpu->irq)
			cpu->irq(cpu->opaque, (unsigned int)frame->vector);
		return;
	}
	__asm__ __volatile__("movq %%cr2, %0" : "=r"(cr2));
	if (cpu->fault)
		cpu->fault(cpu->opaque, frame, cr2);
	hv_x86_debug_exit(2);
}

void hv_x86_take_interrupts(void)
{
	/* sti takes effect after the next instruction: the nop is the
	 * window in which a pending interrupt is taken. */
	__asm__ __volatile__("sti; nop; cli" ::: "memory");
}

void hv_x86_wait_for_interrupt(void)
{
	/* sti's one-instruction delay covers hlt: an interrupt that is
	 * already pending wakes the hlt rather than slipping in before. */
	__asm__ __volatile__("sti; hlt; cli" ::: "memory");
}

uint64_t hv_x86_rdtsc(void)
{
	return hv_rdtsc();
}

void hv_x86_cpuid(uint32_t leaf, uint32_t subleaf,
		  struct hv_x86_cpuid_regs *out)
{
	uint32_t r[4];

	hv_cpuid(leaf, subleaf, r);
	out->eax = r[0];
	out->ebx = r[1];
	out->ecx = r[2];
	out->edx = r[3];
}
