/*
 * Entry of the 32-bit test guests, as Xen starts a PVH kernel: 32-bit
 * protected mode, paging off, %ebx = hvm_start_info.  Loads its own GDT and
 * an IDT for the exceptions, clears .bss, finds Xen (guest_init), runs
 * main() and shuts down with its result.  Also the hypercall and exception
 * glue of the 32-bit ABI.
 */
#include "pvh_note.inc"

#define SEL_CODE 0x08
#define SEL_DATA 0x10

	.section .text.start, "ax"
	.code32
	.globl	_start
_start:
	cli
	cld
	lgdt	gdt_desc
	ljmp	$SEL_CODE, $1f
1:	movl	$SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movl	$stack_top, %esp
	movl	%ebx, %esi
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	shrl	$2, %ecx
	xorl	%eax, %eax
	rep stosl
	movl	%esi, guest_start_info
	call	idt_init
	call	guest_init
	call	main
	pushl	%eax
	call	guest_exit

/* 32 interrupt gates, one per exception stub (16 bytes apart). */
idt_init:
	movl	$stubs, %eax
	xorl	%ecx, %ecx
2:	movl	%eax, %edx
	andl	$0xffff, %edx
	orl	$(SEL_CODE << 16), %edx
	movl	%edx, idt(, %ecx, 8)
	movl	%eax, %edx
	andl	$0xffff0000, %edx
	orl	$0x8e00, %edx
	movl	%edx, idt + 4(, %ecx, 8)
	addl	$16, %eax
	incl	%ecx
	cmpl	$32, %ecx
	jne	2b
	lidt	idt_desc
	ret

	.p2align 4
stubs:
	.set	vec, 0
	.rept	32
	.p2align 4
	/* The vectors with an error code: 8, 10-14, 17, 21, 29, 30. */
	.set	err, (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17)
	.set	err, err || (vec == 21) || (vec == 29) || (vec == 30)
	.if	err
	.else
	pushl	$0
	.endif
	pushl	$vec
	jmp	stub_common
	.set	vec, vec + 1
	.endr

/* guest_exception(vector, error, eip) returns where to resume. */
stub_common:
	pushal
	pushl	40(%esp)		/* eip */
	pushl	40(%esp)		/* error */
	pushl	40(%esp)		/* vector */
	call	guest_exception
	addl	$12, %esp
	movl	%eax, 40(%esp)
	popal
	addl	$8, %esp
	iret

/* long guest_hypercall(nr, a0, a1, a2, a3, a4): ebx, ecx, edx, esi, edi. */
	.globl	guest_hypercall
guest_hypercall:
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	16(%esp), %eax
	movl	20(%esp), %ebx
	movl	24(%esp), %ecx
	movl	28(%esp), %edx
	movl	32(%esp), %esi
	movl	36(%esp), %edi
	shll	$5, %eax
	addl	$guest_hypercall_page, %eax
	call	*%eax
	popl	%edi
	popl	%esi
	popl	%ebx
	ret

	.section .rodata
	.p2align 3
gdt:
	.quad	0
	.quad	0x00cf9b000000ffff	/* 0x08: flat 32-bit code */
	.quad	0x00cf93000000ffff	/* 0x10: flat data */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt
idt_desc:
	.word	32 * 8 - 1
	.long	idt

	.bss
	.p2align 4
idt:
	.skip	32 * 8
	.p2align 4
	.skip	16384
stack_top:
