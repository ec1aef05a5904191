/*
 * EL2 exception vectors and the guest entry/exit path.
 *
 * hv_arm_vcpu_run(v) saves the host's callee-saved registers and SP in v,
 * loads the guest's registers and ERETs.  A trap from the guest (lower EL,
 * AArch64) lands in one of the lower-EL vectors, which saves the guest's
 * registers and syndrome into the running vCPU and returns from
 * hv_arm_vcpu_run to the host as if it were an ordinary call.
 * Exceptions taken at EL2 itself go to hv_arm_hyp_fault (cpu.c).
 */
#include "vcpu_layout.h"

	.text

/*
 * Guest trap: x0 and x1 are parked on the (host's) EL2 stack while the
 * running vCPU is found; then every guest register goes into it
 * (guest_exit).
 */
	.macro	guest_vector kind
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\kind
	b	guest_exit
	.endm

/* EL2's own exception: build a struct hv_arm_hyp_fault on the stack
 * (hyp_fault). */
	.macro	hyp_vector index
	sub	sp, sp, #FAULT_FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #\index
	b	hyp_fault
	.endm

	.macro	vector_entry target:vararg
	.balign	0x80
	\target
	.endm

	/* The table comes first in the section, which takes its 2 KiB
	 * alignment: code before it would be padded up to the boundary. */
	.balign	0x800
	.globl	hv_arm_vectors
hv_arm_vectors:
	/* Current EL with SP_EL0: hvkit never runs EL2 on SP_EL0. */
	vector_entry hyp_vector 0
	vector_entry hyp_vector 1
	vector_entry hyp_vector 2
	vector_entry hyp_vector 3
	/* Current EL with SP_ELx: a hypervisor bug. */
	vector_entry hyp_vector 4
	vector_entry hyp_vector 5
	vector_entry hyp_vector 6
	vector_entry hyp_vector 7
	/* Lower EL, AArch64: the guest. */
	vector_entry guest_vector 0
	vector_entry guest_vector 1
	vector_entry guest_vector 2
	vector_entry guest_vector 3
	/* Lower EL, AArch32: hvkit runs no AArch32 guests (HCR_EL2.RW = 1). */
	vector_entry hyp_vector 12
	vector_entry hyp_vector 13
	vector_entry hyp_vector 14
	vector_entry hyp_vector 15

/* enum hv_arm_exit_kind hv_arm_vcpu_run(struct hv_arm_vcpu *v) */
	.globl	hv_arm_vcpu_run
	.type	hv_arm_vcpu_run, %function
hv_arm_vcpu_run:
	stp	x19, x20, [x0, #VCPU_HOST + 0]
	stp	x21, x22, [x0, #VCPU_HOST + 16]
	stp	x23, x24, [x0, #VCPU_HOST + 32]
	stp	x25, x26, [x0, #VCPU_HOST + 48]
	stp	x27, x28, [x0, #VCPU_HOST + 64]
	stp	x29, x30, [x0, #VCPU_HOST + 80]
	mov	x1, sp
	str	x1, [x0, #VCPU_HOST_SP]
	mrs	x1, tpidr_el2
	str	x0, [x1, #CPU_RUNNING]

	ldp	x1, x2, [x0, #VCPU_PC]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0, #0]
	eret
	dsb	nsh	/* no speculation past the eret */
	isb
	.size	hv_arm_vcpu_run, . - hv_arm_vcpu_run

/* Guest trap (guest_vector): x1 = exit kind on entry. */
guest_exit:
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #CPU_RUNNING]
	str	x1, [x0, #VCPU_EXIT]		/* exit.kind */
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	str	x30, [x0, #240]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #VCPU_PC]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [x0, #VCPU_EXIT + 8]
	mrs	x2, hpfar_el2
	str	x2, [x0, #VCPU_EXIT + 24]

	ldr	x2, [x0, #VCPU_HOST_SP]
	mov	sp, x2
	ldp	x19, x20, [x0, #VCPU_HOST + 0]
	ldp	x21, x22, [x0, #VCPU_HOST + 16]
	ldp	x23, x24, [x0, #VCPU_HOST + 32]
	ldp	x25, x26, [x0, #VCPU_HOST + 48]
	ldp	x27, x28, [x0, #VCPU_HOST + 64]
	ldp	x29, x30, [x0, #VCPU_HOST + 80]
	mov	x0, x1
	ret

/* EL2's own exception (hyp_vector): x1 = vector index on entry. */
hyp_fault:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	add	x2, sp, #FAULT_FRAME_SIZE
	stp	x30, x2, [sp, #240]		/* x30, sp before the fault */
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [sp, #256]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [sp, #272]
	str	w1, [sp, #FAULT_VECTOR]
	mov	x0, sp
	bl	hv_arm_hyp_fault		/* does not return */
	b	.

