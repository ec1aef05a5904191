/*
 * The entry of every x86_64 hvkit image: a PVH kernel.  The loader finds
 * the XEN_ELFNOTE_PHYS32_ENTRY note below (in a PT_NOTE segment, see
 * image.ld) and enters hv_x86_pvh_start in 32-bit protected mode, paging
 * off, with %ebx = the physical address of struct hvm_start_info.
 *
 * Contract with the image: it defines
 *     void hv_image_main(hv_paddr_t start_info);
 * entered in 64-bit mode as <hv/x86_boot.h> describes.
 */
#define XEN_ELFNOTE_PHYS32_ENTRY 18

#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_ET (1 << 4)
#define CR0_NE (1 << 5)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)
#define CPUID_EXT_NX (1 << 20)	/* CPUID 0x80000001 EDX */

#define PTE_P 0x001
#define PTE_RW 0x002
#define PTE_PWT 0x008
#define PTE_PCD 0x010
#define PTE_PS 0x080
#define PD_ENTRIES 2048		/* 4 GiB of 2 MiB pages */
#define UNCACHED_FIRST 2032	/* 0xfe000000: the top 32 MiB */

	.section .note.Xen, "a", @note
	.p2align 2
	.long	4			/* namesz: "Xen\0" */
	.long	4			/* descsz */
	.long	XEN_ELFNOTE_PHYS32_ENTRY
	.asciz	"Xen"
	.long	hv_x86_pvh_start

	.section .text.head, "ax"
	.code32
	.globl	hv_x86_pvh_start
hv_x86_pvh_start:
	cli
	rdtsc				/* the image's own boot time starts */
	movl	%eax, hv_x86_boot_tsc
	movl	%edx, hv_x86_boot_tsc + 4
	cld
	/* Zero .bss (the page tables below live there), 32 bytes a turn
	 * (image.ld aligns both ends): under TCG each turn of a loop, and
	 * each iteration of a rep stos, is a translated block to dispatch. */
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	xorl	%eax, %eax
1:	cmpl	%ecx, %edi
	jae	2f
	movl	%eax, 0(%edi)
	movl	%eax, 4(%edi)
	movl	%eax, 8(%edi)
	movl	%eax, 12(%edi)
	movl	%eax, 16(%edi)
	movl	%eax, 20(%edi)
	movl	%eax, 24(%edi)
	movl	%eax, 28(%edi)
	addl	$32, %edi
	jmp	1b
2:

	/* PML4[0] -> PDPT; PDPT[0..3] -> four page directories. */
	movl	$boot_pdpt + (PTE_P | PTE_RW), boot_pml4
	movl	$boot_pd + (PTE_P | PTE_RW), %eax
	xorl	%ecx, %ecx
1:	movl	%eax, boot_pdpt(, %ecx, 8)
	addl	$4096, %eax
	incl	%ecx
	cmpl	$4, %ecx
	jne	1b

	/* 2048 entries of 2 MiB: entry i maps i << 21, all below 4 GiB. */
	xorl	%ecx, %ecx
2:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$(PTE_P | PTE_RW | PTE_PS), %eax
	cmpl	$UNCACHED_FIRST, %ecx
	jb	3f
	orl	$(PTE_PCD | PTE_PWT), %eax
3:	movl	%eax, boot_pd(, %ecx, 8)
	incl	%ecx
	cmpl	$PD_ENTRIES, %ecx
	jne	2b

	movl	%cr4, %eax
	orl	$(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	movl	%eax, %cr4
	movl	$boot_pml4, %eax
	movl	%eax, %cr3

	/* Long mode, and no-execute if the CPU has it (EFER.NXE on a CPU
	 * without NX would fault). */
	movl	%ebx, %esi		/* cpuid clobbers %ebx */
	movl	$0x80000001, %eax
	cpuid
	movl	%esi, %ebx
	movl	$EFER_LME, %esi
	testl	$CPUID_EXT_NX, %edx
	jz	4f
	orl	$EFER_NXE, %esi
4:	movl	$MSR_EFER, %ecx
	rdmsr
	orl	%esi, %eax
	wrmsr

	movl	$(CR0_PG | CR0_WP | CR0_NE | CR0_ET | CR0_MP | CR0_PE), %eax
	movl	%eax, %cr0
	lgdt	boot_gdt_desc
	ljmp	$0x08, $long_mode

	.code64
long_mode:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movabsq	$__hv_stack_top, %rsp
	movl	%ebx, %edi		/* start_info, below 4 GiB */
	call	hv_image_main
5:	cli
	hlt
	jmp	5b

	.section .rodata
	.p2align 3
boot_gdt:
	.quad	0			/* null */
	.quad	0x00af9a000000ffff	/* 0x08: 64-bit code, DPL 0 */
	.quad	0x00cf92000000ffff	/* 0x10: data, DPL 0 */
boot_gdt_end:
boot_gdt_desc:
	.word	boot_gdt_end - boot_gdt - 1
	.long	boot_gdt

	.section .bss.boot_tables, "aw", @nobits
	.p2align 12
boot_pml4:
	.skip	4096
boot_pdpt:
	.skip	4096
boot_pd:
	.skip	4 * 4096

	.data
	.balign	8
	.globl	hv_x86_boot_tsc
hv_x86_boot_tsc:
	.quad	0
