/*
 * Entry of the AArch64 test guests: entered as Xen enters an arm64 guest
 * (EL1h, MMU off, x0 = device tree).  Sets up a stack, clears .bss, runs
 * main(), and shuts the domain down: poweroff if main returned 0, crash
 * otherwise.
 */
	.section .text.start, "ax"
	.globl	_start
_start:
	ldr	x1, =guest_stack_top
	mov	sp, x1
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	ldr	x1, =guest_dtb
	str	x0, [x1]
	bl	main
	bl	guest_exit
3:	b	3b
	.ltorg

/* A vCPU that PSCI CPU_ON starts enters here with the top of its stack
 * as the context (x0), and runs the guest's guest_secondary_main()
 * (weak: guests with one vCPU have none, and never come here). */
	.weak	guest_secondary_main
	.text
	.globl	guest_secondary_entry
guest_secondary_entry:
	mov	sp, x0
	bl	guest_secondary_main
4:	b	4b

	.bss
	.balign	16
	.space	16384
guest_stack_top:
