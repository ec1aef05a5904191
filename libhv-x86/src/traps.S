/*
 * One 16-byte stub per IDT vector: push a zero where the CPU pushes no
 * error code, push the vector, and join the common path, which saves the
 * general registers as a struct hv_x86_trap_frame and calls
 * hv_x86_trap_dispatch(frame).  The stack is 16-byte aligned at the call:
 * the CPU aligns it before pushing its 5 words, and 2 + 15 words follow.
 */
	.text
	.p2align 4
	.globl	hv_x86_trap_stubs
hv_x86_trap_stubs:
	.set	vec, 0
	.rept	256
	.p2align 4
	/* The vectors with an error code: 8, 10-14, 17, 21, 29, 30. */
	.set	err, (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17)
	.set	err, err || (vec == 21) || (vec == 29) || (vec == 30)
	.if	err
	.else
	pushq	$0
	.endif
	pushq	$vec
	jmp	trap_common
	.set	vec, vec + 1
	.endr

trap_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, %rdi
	cld
	call	hv_x86_trap_dispatch
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp
	iretq
