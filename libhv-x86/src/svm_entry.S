/*
 * void hv_x86_svm_enter(struct hv_x86_vcpu *v, hv_paddr_t host_vmcb_pa)
 *
 * Load the guest's general registers (but RAX and RSP, which VMRUN takes
 * from the VMCB), run it, and store them back when it exits.  GIF is clear
 * from before VMLOAD until the host's own state is loaded back, and IF is
 * set across VMRUN, so that a physical interrupt exits the guest (INTR
 * intercept, V_INTR_MASKING) and then waits, pending, for the caller.
 */
#define GPR(n) (8 * (n))
#define VCPU_VMCB_PA 136	/* offsetof(struct hv_x86_vcpu, vmcb_pa) */

	.text
	.globl	hv_x86_svm_enter
hv_x86_svm_enter:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rsi			/* host VMCB: then 8(%rsp) */
	pushq	%rdi			/* the vCPU: 0(%rsp) */

	movq	VCPU_VMCB_PA(%rdi), %rax
	movq	GPR(1)(%rdi), %rcx
	movq	GPR(2)(%rdi), %rdx
	movq	GPR(3)(%rdi), %rbx
	movq	GPR(5)(%rdi), %rbp
	movq	GPR(6)(%rdi), %rsi
	movq	GPR(8)(%rdi), %r8
	movq	GPR(9)(%rdi), %r9
	movq	GPR(10)(%rdi), %r10
	movq	GPR(11)(%rdi), %r11
	movq	GPR(12)(%rdi), %r12
	movq	GPR(13)(%rdi), %r13
	movq	GPR(14)(%rdi), %r14
	movq	GPR(15)(%rdi), %r15
	movq	GPR(7)(%rdi), %rdi

	clgi
	sti
	vmload	%rax
	vmrun	%rax
	vmsave	%rax

	/* The registers are the guest's; RAX is the VMCB address again. */
	pushq	%rdi
	movq	8(%rsp), %rdi
	movq	%rcx, GPR(1)(%rdi)
	movq	%rdx, GPR(2)(%rdi)
	movq	%rbx, GPR(3)(%rdi)
	movq	%rbp, GPR(5)(%rdi)
	movq	%rsi, GPR(6)(%rdi)
	movq	%r8, GPR(8)(%rdi)
	movq	%r9, GPR(9)(%rdi)
	movq	%r10, GPR(10)(%rdi)
	movq	%r11, GPR(11)(%rdi)
	movq	%r12, GPR(12)(%rdi)
	movq	%r13, GPR(13)(%rdi)
	movq	%r14, GPR(14)(%rdi)
	movq	%r15, GPR(15)(%rdi)
	popq	%rax
	movq	%rax, GPR(7)(%rdi)

	movq	8(%rsp), %rax
	vmload	%rax			/* the host's FS, GS, TR */
	cli
	stgi

	addq	$16, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
