/*
 * The emulator's parts (x86_emulate.h): decoding (emu_decode.c), the
 * arithmetic and its flags (emu_alu.c), string instructions
 * (emu_string.c) and the rest of execution (emulate.c).
 */
#ifndef HV_X86_EMU_H
#define HV_X86_EMU_H

#include <hv/x86_emulate.h>

/* Instruction fetch: what the emulator has read of the instruction. */
struct emu_fetch {
	const struct hv_x86_emu_ops *ops;
	void *ctx;
	uint64_t linear; /* of the first byte */
	uint8_t bytes[HV_X86_INSN_MAX];
	unsigned int have; /* bytes fetched */
	unsigned int pos;  /* bytes decoded */
};

/* A decoded instruction. */
struct emu_insn {
	unsigned int len;
	unsigned int opcode;   /* one-byte, or 0x0f00 | second byte */
	unsigned int size;     /* of the operation: 1, 2, 4 or 8 bytes */
	unsigned int addrsize; /* 2, 4 or 8 */
	unsigned int rex;      /* the REX byte, 0 without one */
	bool lock;
	uint8_t rep;	  /* 0, 0xf2 or 0xf3 */
	int seg_override; /* enum hv_x86_seg, or -1 */
	/* ModRM: reg (with REX.R), and for a register operand rm (with
	 * REX.B); a memory operand's segment and offset (masked to the
	 * address size; RIP-relative resolved). */
	bool has_modrm;
	unsigned int mod, reg, rm;
	enum hv_x86_seg seg;
	uint64_t offset;
	uint64_t imm; /* sign-extended to 64 bits */
};

/* Decode the instruction at f->linear, fetching as needed.
 * HV_X86_EMU_DONE, or the exception (#UD, #GP, a fetch's). */
enum hv_x86_emu_status hv_x86_emu_decode(struct emu_fetch *f,
					 const struct hv_x86_emu_regs *r,
					 struct emu_insn *in,
					 struct hv_x86_emu_exception *exc);

/* The operations of the 00-3f block, numbered as there (ModRM reg of
 * group 1), then the others with flags. */
enum emu_alu_op {
	EMU_ADD,
	EMU_OR,
	EMU_ADC,
	EMU_SBB,
	EMU_AND,
	EMU_SUB,
	EMU_XOR,
	EMU_CMP,
	EMU_TEST,
	EMU_NEG,
	EMU_INC, /* dst + 1, CF kept */
	EMU_DEC, /* dst - 1, CF kept */
};

/* dst op src on `size` bytes: the result (masked to size) and the new
 * RFLAGS (*rflags' arithmetic flags replaced; CF read by ADC and SBB). */
uint64_t hv_x86_emu_alu(enum emu_alu_op op, unsigned int size, uint64_t dst,
			uint64_t src, uint64_t *rflags);

/* The low `size` bytes of v. */
static inline uint64_t emu_trunc(uint64_t v, unsigned int size)
{
	return size >= 8 ? v : v & ((1ull << (8 * size)) - 1);
}

/* v's low `size` bytes, sign-extended. */
static inline uint64_t emu_sext(uint64_t v, unsigned int size)
{
	unsigned int shift = 64 - 8 * size;

	return size >= 8 ? v : (uint64_t)((int64_t)(v << shift) >> shift);
}

/* Exceptions the emulator raises itself. */
enum hv_x86_emu_status hv_x86_emu_raise(struct hv_x86_emu_exception *exc,
					unsigned int vector);

/* Linear address of seg:offset for an access of `size` bytes:
 * HV_X86_EMU_DONE and *linear, or #GP(0)/#SS(0) if non-canonical. */
enum hv_x86_emu_status hv_x86_emu_linear(const struct hv_x86_emu_regs *r,
					 enum hv_x86_seg seg, uint64_t offset,
					 uint64_t *linear,
					 struct hv_x86_emu_exception *exc);

/* A general register of `size` bytes, as the instruction names it (with
 * no REX, byte registers 4-7 are AH, CH, DH, BH). */
uint64_t hv_x86_emu_get_reg(const struct emu_insn *in,
			    const struct hv_x86_emu_regs *r, unsigned int reg,
			    unsigned int size);
void hv_x86_emu_set_reg(const struct emu_insn *in, struct hv_x86_emu_regs *r,
			unsigned int reg, unsigned int size, uint64_t v);

/* movs, stos and lods (a4 a5 aa ab ac ad), with or without REP. */
enum hv_x86_emu_status hv_x86_emu_string(const struct emu_insn *in,
					 struct hv_x86_emu_regs *r,
					 const struct hv_x86_emu_ops *ops,
					 void *ctx,
					 struct hv_x86_emu_exception *exc);

#endif
