/*
 * Where a CPU started by hv_arm_cpu_start() (PSCI CPU_ON) enters, at EL2
 * with the MMU off: x0 is its struct hv_arm_secondary, whose first field
 * is its stack top.  secondary.c turns the MMU on before anything else.
 */
#define CPTR_EL2_RES1 0x33ff /* bits 13:12 and 9:0; TFP (bit 10) clear */

	.text
	.globl	hv_arm_secondary_entry
hv_arm_secondary_entry:
	msr	daifset, #0xf
	ldr	x1, [x0]
	mov	sp, x1
	mov	x1, #CPTR_EL2_RES1
	msr	cptr_el2, x1
	isb
	bl	hv_arm_secondary_start
1:	wfi
	b	1b
