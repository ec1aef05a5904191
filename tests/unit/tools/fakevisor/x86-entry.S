/*
 * x86-entry.S - PVH entry (32-bit, paging off, %ebx = hvm_start_info) and
 * the XEN_ELFNOTE_PHYS32_ENTRY note that makes QEMU boot this as PVH.
 */
	.section .note.Xen, "a", @note
	.p2align 2
	.long 4			/* namesz: "Xen\0" */
	.long 4			/* descsz */
	.long 18		/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.long fake_entry

	.text
	.code32
	.globl fake_entry
fake_entry:
	movl $stack_top, %esp
	pushl %ebx
	call fake_main
1:	hlt
	jmp 1b

	.bss
	.p2align 4
	.skip 8192
stack_top:
