/*
 * hv/x86_insn.h - decoding the MOV-family instructions a guest uses to
 * reach memory, for emulating accesses to guest-physical addresses that
 * nothing backs (reads give all ones, writes are dropped, as on a PC).
 *
 * Without decode assists (QEMU's TCG has none) a nested page fault says
 * where, not how: the hypervisor fetches the instruction and decodes it
 * here to learn its length, the access size and the register involved.
 * The full instruction emulator is for later; this covers
 *   88, 89, 8a, 8b           mov between a register and memory
 *   a0, a1, a2, a3           mov between the accumulator and moffs
 *   c6 /0, c7 /0             mov of an immediate to memory
 *   0f b6, 0f b7, 0f be, 0f bf   movzx, movsx
 *   63 (REX.W)               movsxd
 * with operand- and address-size, segment and REX prefixes, in 16-, 32-
 * and 64-bit code.  Anything else (other opcodes, LOCK or REP prefixes, a
 * register operand where memory is needed) is refused.
 */
#ifndef HV_X86_INSN_H
#define HV_X86_INSN_H

#include <hv/x86_vmcb.h>

HV_BEGIN_DECLS

/* The longest x86 instruction. */
#define HV_X86_INSN_MAX 15

/* One decoded memory move. */
struct hv_x86_mov {
	unsigned int len;      /* instruction bytes */
	unsigned int size;     /* memory operand bytes: 1, 2, 4 or 8 */
	bool write;	       /* stores to memory (else loads from it) */
	bool has_imm;	       /* a store of `imm` (else of register `reg`) */
	uint64_t imm;	       /* sign-extended to `size` bytes */
	unsigned int reg;      /* register number 0-15 */
	bool high_byte;	       /* reg 4-7 mean AH, CH, DH, BH */
	unsigned int reg_size; /* loads: bytes of the register written */
	bool sign_extend;      /* loads: movsx/movsxd (else zero-extend) */
};

/*
 * Decode the instruction at `bytes` (`avail` of them readable) in `mode`.
 * 0 and *out; -HV_EAGAIN if more bytes than `avail` are needed (retry with
 * more, up to HV_X86_INSN_MAX); -HV_EINVAL for anything not listed above.
 * Real and virtual-8086 mode decode as 16-bit code.
 */
int hv_x86_decode_mov(const uint8_t *bytes, size_t avail, enum hv_x86_mode mode,
		      struct hv_x86_mov *out);

/*
 * Complete a decoded load: put `value` (the `size` bytes read) into the
 * destination register in `gpr` as the CPU would: extended to reg_size,
 * a 32-bit result zero-extended to 64 bits in 64-bit mode, 8- and 16-bit
 * results merged into the register's other bits, AH..BH in bits 15:8.
 */
void hv_x86_mov_load(const struct hv_x86_mov *m, uint64_t gpr[16],
		     uint64_t value);

/* The value a decoded store writes (size bytes, zero-extended). */
uint64_t hv_x86_mov_store_value(const struct hv_x86_mov *m,
				const uint64_t gpr[16]);

HV_END_DECLS

#endif /* HV_X86_INSN_H */
