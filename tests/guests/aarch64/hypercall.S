/*
 * long guest_hypercall(unsigned long nr, unsigned long a0, ..., a4)
 * The Xen AArch64 calling convention: number in x16, arguments in x0-x4,
 * hvc #0xEA1, result in x0.
 */
	.text
	.globl	guest_hypercall
guest_hypercall:
	mov	x16, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	mov	x4, x5
	hvc	#0xea1
	ret
