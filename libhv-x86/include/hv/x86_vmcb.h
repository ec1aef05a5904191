/*
 * hv/x86_vmcb.h - the AMD SVM virtual machine control block and the
 * intercept bitmaps it points at (AMD APM vol. 2, chapter 15 and appendix
 * B), with the pure functions that fill and read them.  Nothing here
 * touches the hardware: it is unit-tested on the host.
 */
#ifndef HV_X86_VMCB_H
#define HV_X86_VMCB_H

#include <hv/types.h>

HV_BEGIN_DECLS

/* A segment register in the VMCB: attributes in the packed 12-bit form
 * (descriptor bits 47:40 in 7:0, bits 55:52 in 11:8). */
struct hv_x86_vmcb_seg {
	uint16_t sel;
	uint16_t attrib;
	uint32_t limit;
	uint64_t base;
};

/* Segment attribute bits. */
#define HV_X86_SEG_TYPE_MASK  0x00fu
#define HV_X86_SEG_S	      0x010u /* code or data (not system) */
#define HV_X86_SEG_DPL_SHIFT  5	     /* bits 6:5 */
#define HV_X86_SEG_P	      0x080u /* present */
#define HV_X86_SEG_L	      0x200u /* 64-bit code */
#define HV_X86_SEG_DB	      0x400u /* 32-bit default operand size */
#define HV_X86_SEG_G	      0x800u /* limit in pages */
#define HV_X86_SEG_CODE32     0xc9bu /* flat 32-bit code, accessed */
#define HV_X86_SEG_DATA32     0xc93u /* flat 32-bit data, accessed */
#define HV_X86_SEG_TSS32_BUSY 0x08bu

/* The control area: offsets 0x000-0x3ff. */
struct hv_x86_vmcb_control {
	uint32_t intercept_cr;	       /* 0x000: reads 15:0, writes 31:16 */
	uint32_t intercept_dr;	       /* 0x004 */
	uint32_t intercept_exceptions; /* 0x008: bit n = vector n */
	uint32_t intercept_misc1;      /* 0x00c: HV_X86_INTERCEPT1_* */
	uint32_t intercept_misc2;      /* 0x010: HV_X86_INTERCEPT2_* */
	uint32_t intercept_misc3;      /* 0x014 */
	uint8_t reserved_018[0x03c - 0x018];
	uint16_t pause_filter_threshold; /* 0x03c */
	uint16_t pause_filter_count;	 /* 0x03e */
	uint64_t iopm_base_pa;		 /* 0x040 */
	uint64_t msrpm_base_pa;		 /* 0x048 */
	uint64_t tsc_offset;		 /* 0x050 */
	uint32_t asid;			 /* 0x058 */
	uint8_t tlb_control;		 /* 0x05c: HV_X86_TLB_* */
	uint8_t reserved_05d[3];
	uint64_t vintr;		   /* 0x060: HV_X86_VINTR_* */
	uint64_t interrupt_shadow; /* 0x068 */
	uint64_t exitcode;	   /* 0x070: HV_X86_EXIT_* */
	uint64_t exitinfo1;	   /* 0x078 */
	uint64_t exitinfo2;	   /* 0x080 */
	uint64_t exitintinfo;	   /* 0x088: an event being delivered */
	uint64_t nested_ctl;	   /* 0x090: bit 0 enables nested paging */
	uint64_t avic_apic_bar;	   /* 0x098 */
	uint64_t ghcb_pa;	   /* 0x0a0 */
	uint64_t eventinj;	   /* 0x0a8: the event to inject */
	uint64_t ncr3;		   /* 0x0b0: nested page table root */
	uint64_t virt_ext;	   /* 0x0b8 */
	uint32_t clean;		   /* 0x0c0 */
	uint32_t reserved_0c4;
	uint64_t next_rip;	/* 0x0c8: 0 without NRIPS (QEMU's TCG) */
	uint8_t insn_len;	/* 0x0d0: 0 without decode assists */
	uint8_t insn_bytes[15]; /* 0x0d1 */
	uint8_t reserved_0e0[0x400 - 0x0e0];
};

/* The state-save area: offsets 0x400-0xfff (given here from 0x400). */
struct hv_x86_vmcb_save {
	struct hv_x86_vmcb_seg es, cs, ss, ds, fs, gs; /* 0x000 */
	struct hv_x86_vmcb_seg gdtr, ldtr, idtr, tr;   /* 0x060 */
	uint8_t reserved_0a0[0x0cb - 0x0a0];
	uint8_t cpl; /* 0x0cb */
	uint32_t reserved_0cc;
	uint64_t efer; /* 0x0d0 */
	uint8_t reserved_0d8[0x148 - 0x0d8];
	uint64_t cr4, cr3, cr0, dr7, dr6, rflags, rip; /* 0x148 */
	uint8_t reserved_180[0x1d8 - 0x180];
	uint64_t rsp; /* 0x1d8 */
	uint64_t s_cet, ssp, isst_addr;
	uint64_t rax;					  /* 0x1f8 */
	uint64_t star, lstar, cstar, sfmask;		  /* 0x200 */
	uint64_t kernel_gs_base;			  /* 0x220 */
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip; /* 0x228 */
	uint64_t cr2;					  /* 0x240 */
	uint8_t reserved_248[0x268 - 0x248];
	uint64_t g_pat;	 /* 0x268 */
	uint64_t dbgctl; /* 0x270 */
	uint64_t br_from, br_to, last_excp_from, last_excp_to;
	uint8_t reserved_298[0xc00 - 0x298];
};

/* One page, 4 KiB aligned (the caller places it). */
struct hv_x86_vmcb {
	struct hv_x86_vmcb_control control;
	struct hv_x86_vmcb_save save;
};

HV_STATIC_ASSERT(sizeof(struct hv_x86_vmcb) == 4096, "one page");
HV_STATIC_ASSERT(offsetof(struct hv_x86_vmcb_control, exitcode) == 0x70,
		 "APM appendix B");
HV_STATIC_ASSERT(offsetof(struct hv_x86_vmcb_control, ncr3) == 0xb0,
		 "APM appendix B");
HV_STATIC_ASSERT(offsetof(struct hv_x86_vmcb_control, insn_bytes) == 0xd1,
		 "APM appendix B");
HV_STATIC_ASSERT(offsetof(struct hv_x86_vmcb_save, efer) == 0xd0,
		 "APM appendix B");
HV_STATIC_ASSERT(offsetof(struct hv_x86_vmcb_save, rip) == 0x178,
		 "APM appendix B");
HV_STATIC_ASSERT(offsetof(struct hv_x86_vmcb_save, rax) == 0x1f8,
		 "APM appendix B");
HV_STATIC_ASSERT(offsetof(struct hv_x86_vmcb_save, cr2) == 0x240,
		 "APM appendix B");
HV_STATIC_ASSERT(offsetof(struct hv_x86_vmcb_save, g_pat) == 0x268,
		 "APM appendix B");

/* intercept_cr */
#define HV_X86_INTERCEPT_CR4_WRITE (1u << (16 + 4))

/* intercept_misc1 */
#define HV_X86_INTERCEPT1_INTR	   (1u << 0)
#define HV_X86_INTERCEPT1_NMI	   (1u << 1)
#define HV_X86_INTERCEPT1_SMI	   (1u << 2)
#define HV_X86_INTERCEPT1_INIT	   (1u << 3)
#define HV_X86_INTERCEPT1_VINTR	   (1u << 4)
#define HV_X86_INTERCEPT1_RDPMC	   (1u << 15)
#define HV_X86_INTERCEPT1_CPUID	   (1u << 18)
#define HV_X86_INTERCEPT1_INVD	   (1u << 22)
#define HV_X86_INTERCEPT1_HLT	   (1u << 24)
#define HV_X86_INTERCEPT1_INVLPGA  (1u << 26)
#define HV_X86_INTERCEPT1_IOIO	   (1u << 27)
#define HV_X86_INTERCEPT1_MSR	   (1u << 28)
#define HV_X86_INTERCEPT1_SHUTDOWN (1u << 31)
/* intercept_misc2 */
#define HV_X86_INTERCEPT2_VMRUN	  (1u << 0)
#define HV_X86_INTERCEPT2_VMMCALL (1u << 1)
#define HV_X86_INTERCEPT2_VMLOAD  (1u << 2)
#define HV_X86_INTERCEPT2_VMSAVE  (1u << 3)
#define HV_X86_INTERCEPT2_STGI	  (1u << 4)
#define HV_X86_INTERCEPT2_CLGI	  (1u << 5)
#define HV_X86_INTERCEPT2_SKINIT  (1u << 6)
#define HV_X86_INTERCEPT2_WBINVD  (1u << 9)
#define HV_X86_INTERCEPT2_MONITOR (1u << 10)
#define HV_X86_INTERCEPT2_MWAIT	  (1u << 11)
#define HV_X86_INTERCEPT2_XSETBV  (1u << 13)

/* tlb_control */
#define HV_X86_TLB_NONE	      0u
#define HV_X86_TLB_FLUSH_ALL  1u
#define HV_X86_TLB_FLUSH_ASID 3u

/* vintr */
#define HV_X86_VINTR_V_IRQ	  (1ull << 8)  /* a virtual interrupt waits */
#define HV_X86_VINTR_PRIO_SHIFT	  16	       /* its priority, bits 19:16 */
#define HV_X86_VINTR_IGN_TPR	  (1ull << 20) /* ...taken whatever the TPR */
#define HV_X86_VINTR_MASKING	  (1ull << 24) /* host IF gates real INTR */
#define HV_X86_VINTR_VECTOR_SHIFT 32	       /* its vector, bits 39:32 */

/* interrupt_shadow: the guest is in the one-instruction shadow of STI or
 * MOV SS, when no interrupt may be taken. */
#define HV_X86_INTERRUPT_SHADOW 1ull

/* eventinj and exitintinfo */
#define HV_X86_EVENT_VALID	    (1ull << 31)
#define HV_X86_EVENT_ERROR_VALID    (1ull << 11)
#define HV_X86_EVENT_TYPE_INTR	    (0ull << 8)
#define HV_X86_EVENT_TYPE_NMI	    (2ull << 8)
#define HV_X86_EVENT_TYPE_EXCEPTION (3ull << 8)
#define HV_X86_EVENT_TYPE_SOFT_INT  (4ull << 8)
#define HV_X86_EVENT_TYPE_MASK	    (7ull << 8)

/* Exception vectors the hypervisor raises in a guest. */
#define HV_X86_VEC_UD 6
#define HV_X86_VEC_GP 13

/* EFER bits. */
#define HV_X86_EFER_SCE	  (1ull << 0)
#define HV_X86_EFER_LME	  (1ull << 8)
#define HV_X86_EFER_LMA	  (1ull << 10)
#define HV_X86_EFER_NXE	  (1ull << 11)
#define HV_X86_EFER_SVME  (1ull << 12)
#define HV_X86_EFER_FFXSR (1ull << 14)

/* CR0/CR4 bits the hypervisor reads. */
#define HV_X86_CR0_PE	 (1ull << 0)
#define HV_X86_CR0_ET	 (1ull << 4)
#define HV_X86_CR0_WP	 (1ull << 16)
#define HV_X86_CR0_PG	 (1ull << 31)
#define HV_X86_CR4_PSE	 (1ull << 4)
#define HV_X86_CR4_PAE	 (1ull << 5)
#define HV_X86_RFLAGS_IF (1ull << 9)
#define HV_X86_RFLAGS_VM (1ull << 17)

/* The I/O permission map: 12 KiB, physically contiguous, 4 KiB aligned;
 * one bit per port (set: intercept). */
#define HV_X86_IOPM_SIZE (12u * 1024)
/* The MSR permission map: 8 KiB, two bits (read, write) per MSR for
 * 0-0x1fff, 0xc0000000-0xc0001fff and 0xc0010000-0xc0011fff; every
 * other MSR is always intercepted. */
#define HV_X86_MSRPM_SIZE (8u * 1024)

/* Intercept every port / every MSR access. */
void hv_x86_iopm_init(uint8_t *iopm);
void hv_x86_msrpm_init(uint8_t *msrpm);
/* Stop (or start again) intercepting `port`. */
void hv_x86_iopm_set(uint8_t *iopm, uint16_t port, bool intercept);
/* Whether an access to `port` of `size` bytes (1, 2, 4) is intercepted:
 * the CPU checks the bit of every byte it touches. */
bool hv_x86_iopm_intercepts(const uint8_t *iopm, uint16_t port,
			    unsigned int size);
/* Set whether reads and writes of `msr` are intercepted.  -HV_EINVAL for
 * an MSR outside the map's three ranges (always intercepted). */
int hv_x86_msrpm_set(uint8_t *msrpm, uint32_t msr, bool read, bool write);
/* Whether a read (or write) of `msr` is intercepted. */
bool hv_x86_msrpm_intercepts(const uint8_t *msrpm, uint32_t msr, bool write);

/* Where a new vCPU's VMCB points and what it starts with. */
struct hv_x86_vmcb_setup {
	uint64_t entry;	     /* first instruction, guest-physical */
	uint32_t start_info; /* %ebx: guest-physical hvm_start_info */
	hv_paddr_t ncr3;     /* nested page table root */
	uint32_t asid;	     /* 1 .. nr_asids - 1 */
	hv_paddr_t iopm_pa;  /* HV_X86_IOPM_SIZE bytes */
	hv_paddr_t msrpm_pa; /* HV_X86_MSRPM_SIZE bytes */
};

/*
 * A vCPU after INIT and a STARTUP of `vector` (SDM 9.1.1, table 9-1), as
 * Xen's vlapic starts an HVM vCPU: real mode at CS:IP = vector << 8:0,
 * other segments 0 with 64 KiB limits, CR0 = ET, EFER, CR3, CR4 and the
 * registers 0, EFLAGS 0x2; the control area (intercepts, ASID, nested
 * paging) and the PAT are kept, no event pending, a full TLB flush.
 */
void hv_x86_vmcb_startup(struct hv_x86_vmcb *vmcb, uint64_t gpr[16],
			 uint8_t vector);

/*
 * Fill a VMCB for a vCPU entering a PVH kernel as Xen starts one: 32-bit
 * protected mode, paging off, flat 4 GiB code (0xc9b) and data (0xc93)
 * segments, a busy 32-bit TSS, CR0 = PE|ET, EFLAGS = 0x2, %ebx =
 * start_info (set in `gpr`, the vCPU's register file, whose other
 * registers are zeroed), with nested paging on `ncr3`.  Intercepts:
 * CR4 writes, physical interrupts (with V_INTR_MASKING), NMI, SMI, INIT,
 * CPUID, HLT, I/O and MSR accesses (through the maps), shutdown (triple
 * fault), and every SVM and MONITOR/MWAIT/XSETBV instruction; no
 * exceptions.
 */
void hv_x86_vmcb_init_pvh(struct hv_x86_vmcb *vmcb, uint64_t gpr[16],
			  const struct hv_x86_vmcb_setup *setup);

/* The guest's execution mode, as it decides how instructions and
 * hypercall arguments read. */
enum hv_x86_mode {
	HV_X86_MODE_REAL,   /* CR0.PE clear */
	HV_X86_MODE_VM86,   /* EFLAGS.VM */
	HV_X86_MODE_PROT16, /* protected (or compatibility), 16-bit CS */
	HV_X86_MODE_PROT32, /* protected (or compatibility), 32-bit CS */
	HV_X86_MODE_LONG64, /* EFER.LMA and CS.L */
};

/* The mode the guest's saved state is in. */
enum hv_x86_mode hv_x86_vmcb_mode(const struct hv_x86_vmcb *vmcb);

/* The guest's privilege level: SS.DPL (QEMU ignores the VMCB's CPL
 * field), 0 in real mode, 3 in virtual-8086 mode. */
unsigned int hv_x86_vmcb_cpl(const struct hv_x86_vmcb *vmcb);

/* Raise exception `vector` in the guest at its next entry (with
 * `error_code` if has_error). */
void hv_x86_vmcb_inject_exception(struct hv_x86_vmcb *vmcb, unsigned int vector,
				  bool has_error, uint32_t error_code);

/* If the exit interrupted the delivery of an event (exitintinfo valid),
 * deliver it again at the next entry, as the CPU would have (an
 * "exception" above vector 31, which is how QEMU records an interrupt,
 * as a virtual interrupt). */
void hv_x86_vmcb_reinject(struct hv_x86_vmcb *vmcb);

/*
 * Whether the guest can take an external interrupt at its next entry:
 * RFLAGS.IF set, no interrupt shadow, no event already waiting in
 * EVENTINJ (an exception or re-injection goes first) and no injected
 * virtual interrupt the guest has not taken yet.
 */
bool hv_x86_vmcb_interruptible(const struct hv_x86_vmcb *vmcb);

/*
 * Deliver external interrupt `vector` at the next entry: true if the guest
 * can take it now (it goes in as a virtual interrupt, V_IRQ without the
 * VINTR intercept, which the CPU delivers before the guest's first
 * instruction; any interrupt window is closed); false if not, and the
 * VMCB then asks for an exit as soon as it can (an interrupt window: V_IRQ
 * with the VINTR intercept, which exits before the guest would take it),
 * or, while an injected one waits (an exit overtook it), leaves that one
 * to go first.  Call it again at the next exit.  Not EVENTINJ: QEMU 7.2
 * delivers an EVENTINJ interrupt a second time (docs/x86.md).
 */
bool hv_x86_vmcb_inject_intr(struct hv_x86_vmcb *vmcb, uint8_t vector);

/* Stop asking for an interrupt window. */
void hv_x86_vmcb_close_window(struct hv_x86_vmcb *vmcb);

/*
 * Whether the guest waits in the shadow of an STI (or MOV SS) with
 * interrupts on and nothing in EVENTINJ: an interrupt delivered now is
 * taken after its next instruction.  When that instruction is a HLT
 * (`sti; hlt`, how idle loops halt atomically), the interrupt is the one
 * that wakes it and must return past it: step over the HLT
 * (hv_x86_vmcb_skip) before injecting.  QEMU's TCG would otherwise take
 * the interrupt at the HLT and halt the guest on its return.
 */
bool hv_x86_vmcb_in_sti_shadow(const struct hv_x86_vmcb *vmcb);

/* The linear address of the guest's next instruction, CS:RIP: RIP alone
 * in 64-bit mode, CS base + RIP in 32 bits of address outside it. */
uint64_t hv_x86_vmcb_rip_linear(const struct hv_x86_vmcb *vmcb);

/* The hypervisor moved RIP past an instruction it emulated: the guest is
 * no longer in the shadow of an STI or MOV SS before it (as the CPU
 * clears it after the next instruction). */
void hv_x86_vmcb_skip(struct hv_x86_vmcb *vmcb, uint64_t len);

HV_END_DECLS

#endif /* HV_X86_VMCB_H */
