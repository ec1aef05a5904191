/*
 * The entry of every AArch64 hvkit image, with the arm64 Linux Image header
 * so that a boot loader (QEMU's -kernel among them) loads the image at
 * RAM + text_offset and passes the physical address of its device tree in
 * x0.  Linked first (section .text.head); see image.ld.
 *
 * Contract with the image: it defines
 *     void hv_image_main(uint64_t dtb_pa);
 * which is entered at EL2 with the MMU off, interrupts masked, a stack,
 * zeroed .bss and FP/SIMD accessible.
 */
#define CURRENTEL_EL2 (2 << 2)
#define CPTR_EL2_RES1 0x33ff /* bits 13:12 and 9:0; TFP (bit 10) clear */
#define SEMIHOST_SYS_EXIT 0x18
#define ADP_STOPPED_APP_EXIT 0x20026

	.section .text.head, "ax"
	.globl _start
_start:
	b	reset			/* code0 */
	.long	0			/* code1 */
	.quad	0x200000		/* text_offset: load at RAM + 2 MiB */
	.quad	__hv_image_size		/* image_size, .bss included */
	.quad	0xa			/* flags: LE, 4K pages, anywhere */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

reset:
	mrs	x19, cntpct_el0		/* for hv_arm_boot_count, below */
	msr	daifset, #0xf
	mrs	x1, CurrentEL
	cmp	x1, #CURRENTEL_EL2
	b.ne	wrong_place
	/* The image is linked (not position-independent) at one address:
	 * running anywhere else would use wrong absolute addresses. */
	adr	x1, _start
	ldr	x2, =_start
	cmp	x1, x2
	b.ne	wrong_place

	ldr	x1, =__hv_stack_top
	mov	sp, x1
	/* Zero .bss, 64 bytes a turn (image.ld aligns both ends): under
	 * TCG each turn of the loop is a translated block to dispatch. */
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1]
	stp	xzr, xzr, [x1, #16]
	stp	xzr, xzr, [x1, #32]
	stp	xzr, xzr, [x1, #48]
	add	x1, x1, #64
	b	1b
2:
	ldr	x1, =hv_arm_boot_count
	str	x19, [x1]
	mov	x1, #CPTR_EL2_RES1
	msr	cptr_el2, x1
	isb
	bl	hv_image_main
3:	wfi
	b	3b

/* Not at EL2, or not at the link address: nothing can be printed yet
 * (the UART address comes from the device tree), so leave QEMU with
 * status 3 through semihosting, or stop here on hardware. */
wrong_place:
	mov	x0, #SEMIHOST_SYS_EXIT
	adr	x1, exit_block
	hlt	#0xf000
	b	.
	.balign	8
exit_block:
	.quad	ADP_STOPPED_APP_EXIT, 3
	.ltorg

	.data
	.balign	8
	.globl	hv_arm_boot_count
hv_arm_boot_count:
	.quad	0
