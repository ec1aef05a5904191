/*
 * hv/x86_emulate.h - an x86 instruction emulator for the memory-operand
 * instructions guests use on MMIO, as a pure function of a register file
 * and two memory callbacks.
 *
 * Without decode assists (QEMU's TCG has none) a nested page fault says
 * where, not how: the hypervisor runs the faulting instruction here, and
 * its callbacks answer each access (device registers, all ones for
 * memory that nothing backs, guest RAM).  The emulator keeps no state
 * between calls, allocates nothing and touches no global: the same source
 * builds freestanding and on the host.
 *
 * Emulated, in 16-, 32- and 64-bit code (real and virtual-8086 mode
 * decode as 16-bit code), register and memory operands alike:
 *   00-3d (but the segment and BCD opcodes)  add or adc sbb and sub xor cmp
 *   80, 81, 83 (82 outside 64-bit mode)      the same with an immediate
 *   84, 85; f6/f7 /0 and /1                  test
 *   f6/f7 /2, /3                             not, neg
 *   fe/ff /0, /1                             inc, dec
 *   86, 87                                   xchg
 *   88-8b, a0-a3, c6/c7 /0                   mov
 *   0f b6, b7, be, bf; 63 (64-bit mode)      movzx, movsx, movsxd
 *   a4, a5, aa, ab, ac, ad                   movs, stos, lods, with rep
 * with operand- and address-size, segment, REX, LOCK and REP prefixes;
 * CF PF AF ZF SF OF as the CPU computes them (AF cleared by the logical
 * operations, as CPUs do where the manuals call it undefined).
 *
 * Exceptions, as the CPU would raise them:
 *   #UD  any other opcode (or an opcode extension, like f6 /4 mul or
 *        ff /2 call), LOCK
 *        other than on a read-modify-write of memory, 63 outside 64-bit
 *        mode (ARPL): "unsupported" and "undefined" alike;
 *   #GP(0)  an instruction longer than 15 bytes, a non-canonical address
 *        in 64-bit mode; #SS(0) for one through SS;
 *   whatever a callback returns (a page fault, say).
 * Not checked: segment limits and access rights, alignment checks
 * (RFLAGS.AC), breakpoints and single-stepping (RFLAGS.TF): the CPU
 * checked the access that exited, and the callers of this emulator run
 * guest kernels that use neither on MMIO.  LOCK'd read-modify-writes are a
 * read then a write: atomic only against what the caller serialises.
 */
#ifndef HV_X86_EMULATE_H
#define HV_X86_EMULATE_H

#include <hv/x86_svm.h>
#include <hv/x86_vmcb.h>

HV_BEGIN_DECLS

/* The longest x86 instruction, in bytes. */
#define HV_X86_INSN_MAX 15

/* RFLAGS' arithmetic flags (IF and VM: <hv/x86_vmcb.h>). */
#define HV_X86_RFLAGS_CF (1ull << 0)
#define HV_X86_RFLAGS_PF (1ull << 2)
#define HV_X86_RFLAGS_AF (1ull << 4)
#define HV_X86_RFLAGS_ZF (1ull << 6)
#define HV_X86_RFLAGS_SF (1ull << 7)
#define HV_X86_RFLAGS_DF (1ull << 10)
#define HV_X86_RFLAGS_OF (1ull << 11)
#define HV_X86_RFLAGS_ARITH                                                    \
	(HV_X86_RFLAGS_CF | HV_X86_RFLAGS_PF | HV_X86_RFLAGS_AF |              \
	 HV_X86_RFLAGS_ZF | HV_X86_RFLAGS_SF | HV_X86_RFLAGS_OF)

/* Exception vectors the emulator raises itself. */
#define HV_X86_EXC_UD 6
#define HV_X86_EXC_SS 12
#define HV_X86_EXC_GP 13
#define HV_X86_EXC_PF 14

/* Segment registers, in the encoding's order (ES CS SS DS FS GS). */
enum hv_x86_seg {
	HV_X86_SEG_ES,
	HV_X86_SEG_CS,
	HV_X86_SEG_SS,
	HV_X86_SEG_DS,
	HV_X86_SEG_FS,
	HV_X86_SEG_GS,
	HV_X86_SEG_COUNT
};

/* The guest's registers, read and written by hv_x86_emulate. */
struct hv_x86_emu_regs {
	/* RAX..R15, in enum hv_x86_gpr's order (<hv/x86_svm.h>). */
	uint64_t gpr[16];
	/* Of the instruction; moved past it when it completes (wrapping
	 * at 4 GiB in 32-bit code and at 64 KiB in 16-bit code). */
	uint64_t rip;
	/* Only the arithmetic flags are written; DF is read by the string
	 * instructions. */
	uint64_t rflags;
	/* Each segment's base; in 64-bit mode only FS's and GS's count. */
	uint64_t seg_base[HV_X86_SEG_COUNT];
	/* The default operand and address sizes come from it; read only. */
	enum hv_x86_mode mode;
};

/* What hv_x86_emulate and the callbacks return. */
enum hv_x86_emu_status {
	/* The instruction completed: registers and memory hold its effect,
	 * RIP points past it.  From a callback: the access was made. */
	HV_X86_EMU_DONE,
	/* The instruction raised *exc; RIP points at it and registers are
	 * as before it, but for the iterations a REP string instruction
	 * completed (RCX, RSI, RDI count them, as on the CPU).  From a
	 * callback: the access faults, with *exc filled in. */
	HV_X86_EMU_EXCEPTION,
	/* Run the instruction again later (re-enter the guest at RIP): a
	 * callback asked, or a REP string instruction stopped after
	 * HV_X86_EMU_MAX_REPS iterations with RCX, RSI and RDI saying how
	 * far it came (as an interrupt would stop it on the CPU). */
	HV_X86_EMU_RETRY,
};

/* Iterations a REP string instruction makes per call. */
#define HV_X86_EMU_MAX_REPS 4096u

/* An exception for the guest, as the CPU would deliver it. */
struct hv_x86_emu_exception {
	uint8_t vector;	     /* HV_X86_EXC_* or a callback's */
	bool has_error_code; /* whether the vector pushes one */
	uint32_t error_code; /* 0 for the emulator's #GP and #SS */
	uint64_t cr2;	     /* #PF: the linear address (callbacks set it) */
};

/*
 * How the emulator reaches memory.  Addresses are linear (segment base
 * plus offset, 32 bits wide outside 64-bit mode, canonical in it); the
 * callbacks translate them (through the guest's page tables, say) and may
 * see an access cross a page.  Sizes: 1, 2, 4 or 8 bytes for data; up to
 * HV_X86_INSN_MAX for a fetch, never crossing a 4 KiB page (the emulator
 * fetches the rest of an instruction from the next page only if it needs
 * it).  Buffers hold little-endian bytes.  Each returns HV_X86_EMU_DONE,
 * HV_X86_EMU_EXCEPTION with *exc filled in, or HV_X86_EMU_RETRY.
 */
struct hv_x86_emu_ops {
	/* Read `size` bytes at `linear` into `buf`; `fetch` for the
	 * instruction's own bytes. */
	enum hv_x86_emu_status (*read)(void *ctx, uint64_t linear, void *buf,
				       unsigned int size, bool fetch,
				       struct hv_x86_emu_exception *exc);
	/* Write `size` bytes from `buf` at `linear`. */
	enum hv_x86_emu_status (*write)(void *ctx, uint64_t linear,
					const void *buf, unsigned int size,
					struct hv_x86_emu_exception *exc);
};

/*
 * Run the instruction at regs->seg_base[CS] + regs->rip (RIP alone in
 * 64-bit mode) once, reading and writing memory through `ops` with `ctx`.
 * Returns what enum hv_x86_emu_status says, with *exc filled in for
 * HV_X86_EMU_EXCEPTION.  Memory is read before anything is written, and
 * registers are written only once every access succeeded, so an exception
 * leaves no trace but a REP instruction's completed iterations.
 */
enum hv_x86_emu_status hv_x86_emulate(struct hv_x86_emu_regs *regs,
				      const struct hv_x86_emu_ops *ops,
				      void *ctx,
				      struct hv_x86_emu_exception *exc);

HV_END_DECLS

#endif /* HV_X86_EMULATE_H */
