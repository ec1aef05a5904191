/*
 * Entry of the 64-bit test guests: entered as a PVH kernel (32-bit
 * protected mode, paging off, %ebx = hvm_start_info), they switch
 * themselves to long mode on an identity map of the first 4 GiB in 2 MiB
 * pages, load an IDT for the exceptions and interrupts, find Xen (guest_init), run main()
 * and shut down with its result.  Also the hypercall and exception glue of
 * the 64-bit ABI.
 */
#include "pvh_note.inc"

#define SEL_CODE32 0x08
#define SEL_DATA 0x10
#define SEL_CODE64 0x18
#define SEL_USER_DATA 0x23	/* GDT entry 4, RPL 3 */
#define SEL_USER_CODE64 0x2b	/* GDT entry 5, RPL 3 */
#define MSR_EFER 0xc0000080
#define EFER_LME 0x100
#define CR4_PAE 0x20
#define CR0_PG 0x80000000

	.section .text.start, "ax"
	.code32
	.globl	_start
_start:
	cli
	cld
	lgdt	gdt_desc
	ljmp	$SEL_CODE32, $1f
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

	/* PML4[0] -> PDPT, PDPT[0..3] -> 4 page directories of 2 MiB pages,
	 * all present, writable and open to user mode (for
	 * guest_hypercall_from_user). */
	movl	$pdpt + 7, guest_pml4
	movl	$guest_pd + 7, %eax
	xorl	%ecx, %ecx
2:	movl	%eax, pdpt(, %ecx, 8)
	addl	$4096, %eax
	incl	%ecx
	cmpl	$4, %ecx
	jne	2b
	xorl	%ecx, %ecx
3:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$0x87, %eax		/* P, RW, US, 2 MiB */
	movl	%eax, guest_pd(, %ecx, 8)
	incl	%ecx
	cmpl	$2048, %ecx
	jne	3b

	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$guest_pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$CR0_PG, %eax
	movl	%eax, %cr0
	ljmp	$SEL_CODE64, $long_mode

	.code64
long_mode:
	movl	%esi, %esi
	movq	%rsi, guest_start_info(%rip)
	leaq	stack_top(%rip), %rsp
	call	idt_init
	call	guest_init
	call	main
	movl	%eax, %edi
	call	guest_exit

/* 256 interrupt gates, one per stub (16 bytes apart): the exceptions and
 * the vectors Xen's event upcall may be given. */
idt_init:
	leaq	stubs(%rip), %rax
	leaq	idt(%rip), %rdi
	xorl	%ecx, %ecx
4:	movq	%rax, %rdx
	andq	$0xffff, %rdx
	orq	$(SEL_CODE64 << 16), %rdx
	movl	%eax, %esi
	andl	$0xffff0000, %esi
	shlq	$32, %rsi
	orq	%rsi, %rdx
	movq	$0x8e00, %rsi
	shlq	$32, %rsi
	orq	%rsi, %rdx
	movq	%rdx, (%rdi)
	movq	%rax, %rdx
	shrq	$32, %rdx
	movq	%rdx, 8(%rdi)
	addq	$16, %rax
	addq	$16, %rdi
	incl	%ecx
	cmpl	$256, %ecx
	jne	4b
	lidt	idt_desc(%rip)
	ret

	.p2align 4
stubs:
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
	jmp	stub_common
	.set	vec, vec + 1
	.endr

/* guest_exception(vector, error, rip) returns where to resume.  Nothing
 * below the interrupted stack pointer is touched (the guests are built
 * without a red zone). */
stub_common:
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	movq	72(%rsp), %rdi
	movq	80(%rsp), %rsi
	movq	88(%rsp), %rdx
	call	guest_exception
	movq	%rax, 88(%rsp)
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rax
	addq	$16, %rsp
	iretq

/* long guest_hypercall(nr, a0, a1, a2, a3, a4): rdi, rsi, rdx, r10, r8. */
	.globl	guest_hypercall
guest_hypercall:
	movq	%rdi, %rax
	movq	%rsi, %rdi
	movq	%rdx, %rsi
	movq	%rcx, %rdx
	movq	%r8, %r10
	movq	%r9, %r8
	shlq	$5, %rax
	leaq	guest_hypercall_page(%rip), %r11
	addq	%r11, %rax
	call	*%rax
	ret

/*
 * long guest_hypercall_from_user(unsigned long nr): make hypercall `nr`
 * (arguments 0) from CPL 3, through the hypercall page, and come back
 * with SYSCALL (the caller has set EFER.SCE, STAR and LSTAR to
 * guest_syscall_entry).  Returns what the hypercall returned.
 */
	.globl	guest_hypercall_from_user, guest_syscall_entry
guest_hypercall_from_user:
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, kernel_rsp(%rip)
	leaq	user_stack_top(%rip), %rax
	pushq	$SEL_USER_DATA
	pushq	%rax
	pushq	$0x2			/* RFLAGS: interrupts off */
	pushq	$SEL_USER_CODE64
	leaq	5f(%rip), %rax
	pushq	%rax
	iretq
5:	movq	%rdi, %rax		/* CPL 3 from here */
	shlq	$5, %rax
	leaq	guest_hypercall_page(%rip), %r11
	addq	%r11, %rax
	xorl	%edi, %edi
	xorl	%esi, %esi
	xorl	%edx, %edx
	xorl	%r10d, %r10d
	xorl	%r8d, %r8d
	call	*%rax
	syscall
guest_syscall_entry:
	/* CPL 0 again, on the user stack, with SYSCALL's SS: back to ours. */
	movl	$SEL_DATA, %ecx
	movl	%ecx, %ss
	movl	%ecx, %ds
	movl	%ecx, %es
	movq	kernel_rsp(%rip), %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret

	.section .rodata
	.p2align 3
gdt:
	.quad	0
	.quad	0x00cf9b000000ffff	/* 0x08: flat 32-bit code */
	.quad	0x00cf93000000ffff	/* 0x10: flat data */
	.quad	0x00af9b000000ffff	/* 0x18: 64-bit code */
	.quad	0x00cff3000000ffff	/* 0x20: data, DPL 3 */
	.quad	0x00affb000000ffff	/* 0x28: 64-bit code, DPL 3 */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.quad	gdt
idt_desc:
	.word	256 * 16 - 1
	.quad	idt

	.bss
	.p2align 12
	.globl	guest_pml4, guest_pd
guest_pml4:
	.skip	4096
pdpt:
	.skip	4096
guest_pd:
	.skip	4 * 4096
idt:
	.skip	256 * 16
	.p2align 3
kernel_rsp:
	.skip	8
	.p2align 4
	.skip	16384
stack_top:
	.skip	4096
user_stack_top:
