/*
 * A minimal EL1 vector table for guests that expect exceptions (the
 * hypercall test provokes an undefined-instruction exception, the GIC
 * test takes interrupts).  The synchronous EL1h vector calls
 *     uint64_t guest_sync_exception(uint64_t esr, uint64_t elr);
 * which returns where to resume; the IRQ EL1h vector calls
 *     void guest_irq_exception(void);
 * (a guest defines those it expects; by default they are unexpected);
 * every other vector calls guest_unexpected_exception (guest.c).
 */

/* The registers a C call may change, around one (x29 too: the handler
 * may not keep a frame pointer valid for the code it interrupted). */
	.macro	save_caller_saved
	sub	sp, sp, #176
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	str	x30, [sp, #160]
	.endm

	.macro	restore_caller_saved
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x29, [sp, #144]
	ldr	x30, [sp, #160]
	add	sp, sp, #176
	.endm

	.text
	.balign	0x800
	.globl	guest_vectors
guest_vectors:
	.rept	4			/* EL1 with SP_EL0 */
	.balign	0x80
	b	unexpected
	.endr
	.balign	0x80			/* EL1 with SP_EL1: synchronous */
	b	sync_el1h
	.balign	0x80			/* EL1 with SP_EL1: IRQ */
	b	irq_el1h
	.rept	10			/* everything else */
	.balign	0x80
	b	unexpected
	.endr

irq_el1h:
	save_caller_saved
	bl	guest_irq_exception
	restore_caller_saved
	eret

	.weak	guest_irq_exception
guest_irq_exception:
	b	unexpected

	.weak	guest_sync_exception
guest_sync_exception:
	b	unexpected

sync_el1h:
	save_caller_saved
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	bl	guest_sync_exception
	msr	elr_el1, x0
	restore_caller_saved
	eret

unexpected:
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	bl	guest_unexpected_exception
	b	.
