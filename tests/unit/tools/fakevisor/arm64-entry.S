/*
 * arm64-entry.S - the Linux arm64 Image header QEMU looks for (so that it
 * passes x0 = DTB and loads at RAM + text_offset), then a stack and C.
 */
	.section .head, "ax"
	.globl _start
_start:
	b	entry			/* code0/code1 */
	.long	0
	.quad	0x200000		/* text_offset */
	.quad	_end - _start		/* image_size: covers the stack */
	.quad	0xa			/* flags: LE, 4K pages, anywhere */
	.quad	0, 0, 0
	.ascii	"ARM\x64"		/* magic */
	.long	0

	.text
entry:
	adrp	x1, stack_top
	add	x1, x1, :lo12:stack_top
	mov	sp, x1
	bl	fake_main
1:	wfi
	b	1b

	.bss
	.balign 16
	.skip	8192
stack_top:
