/*
 * The AP's way from a STARTUP IPI to the image (hv/x86_smp.h).
 *
 * hv_x86_ap_trampoline .. hv_x86_ap_trampoline_end is copied to the start
 * of a page below 1 MiB; STARTUP enters it in real mode with CS = the
 * page >> 4, IP = 0.  It needs only the page, whose parameters (ap_boot.h)
 * the boot CPU filled: real mode straight to long mode (CR4.PAE, CR3,
 * EFER.LME, then CR0.PE and CR0.PG in one write, legal when both are set
 * together), and a far jump through the page to hv_x86_ap_long, in the
 * image, with %ebx = the page's address.
 */
#include "ap_boot.h"

#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_ET (1 << 4)
#define CR0_NE (1 << 5)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define MSR_EFER 0xc0000080

	.section .rodata
	.code16
	.globl	hv_x86_ap_trampoline, hv_x86_ap_trampoline_end
hv_x86_ap_trampoline:
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	movzwl	%ax, %ebx
	shll	$4, %ebx
	lgdtl	AP_GDTR
	movl	AP_CR4, %eax
	movl	%eax, %cr4
	movl	AP_CR3, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	AP_EFER, %eax
	wrmsr
	movl	$(CR0_PG | CR0_WP | CR0_NE | CR0_ET | CR0_MP | CR0_PE), %eax
	movl	%eax, %cr0
	ljmpl	*AP_JUMP
hv_x86_ap_trampoline_end:

	.text
	.code64
	.globl	hv_x86_ap_long
hv_x86_ap_long:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%ebx, %ebx		/* the page; the upper half is undefined */
	movq	AP_STACK(%rbx), %rsp
	movq	AP_ARG(%rbx), %rdi
	movq	AP_MAIN(%rbx), %rax
	/* Everything is read: the boot CPU may start the next AP. */
	movl	$1, AP_STARTED(%rbx)
	call	*%rax
1:	cli
	hlt
	jmp	1b
