/*
 * The emulator's decoder (AMD APM vol. 3, 1.2 "Instruction Prefixes", 1.4
 * "ModRM and SIB Bytes", appendix A "Opcode and Operand Encodings"):
 * prefixes, opcode, ModRM/SIB/displacement with the effective address,
 * immediate.  Fetches through the read callback as it goes, so only the
 * bytes the instruction has are ever read.
 */
#include <hv/string.h>

#include "emu.h"

/* What an opcode takes, beyond the prefixes. */
#define A_OK	0x01u /* emulated */
#define A_MODRM 0x02u
#define A_BYTE	0x04u /* 8-bit operation */
#define A_IMM8	0x08u /* 8-bit immediate, sign-extended */
#define A_IMMZ	0x10u /* 16-bit with a 16-bit operand size, else 32 */
#define A_MOFFS 0x20u /* an offset of the address size (a0-a3) */
#define A_LOCK	0x40u /* LOCK allowed with a memory operand */

#define REX_W 0x8u
#define REX_R 0x4u
#define REX_X 0x2u
#define REX_B 0x1u

static bool mode16(enum hv_x86_mode mode)
{
	return mode == HV_X86_MODE_REAL || mode == HV_X86_MODE_VM86 ||
	       mode == HV_X86_MODE_PROT16;
}

/* The 00-3f block: forms 0-5 of each of eight operations (6 and 7 are
 * segment pushes/pops and BCD adjustments: not emulated). */
static unsigned int alu_block(unsigned int op)
{
	static const uint8_t form[6] = {
	    A_MODRM | A_BYTE | A_LOCK, /* op r/m8, r8 */
	    A_MODRM | A_LOCK,	       /* op r/m, r */
	    A_MODRM | A_BYTE,	       /* op r8, r/m8 */
	    A_MODRM,		       /* op r, r/m */
	    A_BYTE | A_IMM8,	       /* op al, imm8 */
	    A_IMMZ,		       /* op eax, imm */
	};
	unsigned int a;

	if ((op & 7) >= 6)
		return 0;
	a = A_OK | form[op & 7];
	if (op >> 3 == EMU_CMP)
		a &= ~A_LOCK; /* CMP writes nothing */
	return a;
}

/* Opcode ranges, not a 256-entry table: most of the opcode space is not
 * emulated. */
static unsigned int attributes(unsigned int op, enum hv_x86_mode mode)
{
	if (op < 0x40)
		return alu_block(op);
	switch (op) {
	case 0x82: /* an alias of 80, invalid in 64-bit mode */
		return mode == HV_X86_MODE_LONG64 ? 0 : attributes(0x80, mode);
	case 0x80:
		return A_OK | A_MODRM | A_BYTE | A_IMM8 | A_LOCK;
	case 0x81:
		return A_OK | A_MODRM | A_IMMZ | A_LOCK;
	case 0x83:
		return A_OK | A_MODRM | A_IMM8 | A_LOCK;
	case 0x84: /* test */
	case 0x88: /* mov r/m8, r8 */
	case 0x8a: /* mov r8, r/m8 */
		return A_OK | A_MODRM | A_BYTE;
	case 0x85:
	case 0x89:
	case 0x8b:
		return A_OK | A_MODRM;
	case 0x86: /* xchg */
		return A_OK | A_MODRM | A_BYTE | A_LOCK;
	case 0x87:
		return A_OK | A_MODRM | A_LOCK;
	case 0x63: /* movsxd; ARPL outside 64-bit mode */
		return mode == HV_X86_MODE_LONG64 ? A_OK | A_MODRM : 0;
	case 0xa0:
	case 0xa2:
		return A_OK | A_MOFFS | A_BYTE;
	case 0xa1:
	case 0xa3:
		return A_OK | A_MOFFS;
	case 0xa4: /* movs, stos, lods */
	case 0xaa:
	case 0xac:
		return A_OK | A_BYTE;
	case 0xa5:
	case 0xab:
	case 0xad:
		return A_OK;
	case 0xc6:
		return A_OK | A_MODRM | A_BYTE | A_IMM8;
	case 0xc7:
		return A_OK | A_MODRM | A_IMMZ;
	case 0xf6: /* group 3: the immediate only for test (/0, /1) */
		return A_OK | A_MODRM | A_BYTE | A_LOCK;
	case 0xf7:
		return A_OK | A_MODRM | A_LOCK;
	case 0xfe: /* groups 4 and 5: inc, dec (/0, /1) */
		return A_OK | A_MODRM | A_BYTE | A_LOCK;
	case 0xff:
		return A_OK | A_MODRM | A_LOCK;
	case 0x0fb6: /* movzx, movsx */
	case 0x0fb7:
	case 0x0fbe:
	case 0x0fbf:
		return A_OK | A_MODRM;
	default:
		return 0;
	}
}

static enum hv_x86_emu_status next(struct emu_fetch *f, uint8_t *b,
				   struct hv_x86_emu_exception *exc)
{
	enum hv_x86_emu_status st;
	uint64_t at;
	unsigned int n;

	if (f->pos >= HV_X86_INSN_MAX)
		return hv_x86_emu_raise(exc, HV_X86_EXC_GP);
	if (f->pos >= f->have) {
		/* Up to the end of the page, or of the longest
		 * instruction: a fetch never crosses a page. */
		at = f->linear + f->have;
		n = HV_X86_INSN_MAX - f->have;
		if (n > HV_PAGE_SIZE - (at & (HV_PAGE_SIZE - 1)))
			n = HV_PAGE_SIZE - (at & (HV_PAGE_SIZE - 1));
		st = f->ops->read(f->ctx, at, f->bytes + f->have, n, true, exc);
		if (st != HV_X86_EMU_DONE)
			return st;
		f->have += n;
	}
	*b = f->bytes[f->pos++];
	return HV_X86_EMU_DONE;
}

/* A little-endian value of n bytes, sign-extended. */
static enum hv_x86_emu_status immediate(struct emu_fetch *f, unsigned int n,
					uint64_t *v,
					struct hv_x86_emu_exception *exc)
{
	enum hv_x86_emu_status st;
	uint64_t x = 0;
	uint8_t b;

	for (unsigned int i = 0; i < n; i++) {
		st = next(f, &b, exc);
		if (st != HV_X86_EMU_DONE)
			return st;
		x |= (uint64_t)b << (8 * i);
	}
	*v = emu_sext(x, n);
	return HV_X86_EMU_DONE;
}

/* Prefixes and the opcode byte(s); sizes from the mode and prefixes. */
static enum hv_x86_emu_status prefixes(struct emu_fetch *f, enum hv_x86_mode m,
				       struct emu_insn *in,
				       struct hv_x86_emu_exception *exc)
{
	bool opsize = false, addrsize = false, m64 = m == HV_X86_MODE_LONG64;
	enum hv_x86_emu_status st;
	uint8_t b;

	for (;;) {
		st = next(f, &b, exc);
		if (st != HV_X86_EMU_DONE)
			return st;
		if (m64 && (b & 0xf0) == 0x40) {
			in->rex = b;
			continue; /* counts only right before the opcode */
		}
		if (b == 0x66)
			opsize = true;
		else if (b == 0x67)
			addrsize = true;
		else if (b == 0xf0)
			in->lock = true;
		else if (b == 0xf2 || b == 0xf3)
			in->rep = b;
		else if ((b & 0xe7) == 0x26) /* ES CS SS DS */
			in->seg_override = (b >> 3) & 3;
		else if (b == 0x64 || b == 0x65)
			in->seg_override = HV_X86_SEG_FS + (b & 1);
		else
			break;
		in->rex = 0;
	}
	in->opcode = b;
	if (b == 0x0f) {
		st = next(f, &b, exc);
		in->opcode = 0x0f00u | b;
		if (st != HV_X86_EMU_DONE)
			return st;
	}
	if (m64) {
		in->size = (in->rex & REX_W) ? 8 : opsize ? 2 : 4;
		in->addrsize = addrsize ? 4 : 8;
	} else if (mode16(m)) {
		in->size = opsize ? 4 : 2;
		in->addrsize = addrsize ? 4 : 2;
	} else {
		in->size = opsize ? 2 : 4;
		in->addrsize = addrsize ? 2 : 4;
	}
	return HV_X86_EMU_DONE;
}

/* 16-bit addressing: bx+si, bx+di, bp+si, bp+di, si, di, bp (or disp16
 * alone), bx; through BP the default segment is SS. */
static enum hv_x86_emu_status address16(struct emu_fetch *f,
					const struct hv_x86_emu_regs *r,
					struct emu_insn *in,
					struct hv_x86_emu_exception *exc)
{
	static const uint8_t base[8] = {HV_X86_RBX, HV_X86_RBX, HV_X86_RBP,
					HV_X86_RBP, HV_X86_RSI, HV_X86_RDI,
					HV_X86_RBP, HV_X86_RBX};
	static const uint8_t index[4] = {HV_X86_RSI, HV_X86_RDI, HV_X86_RSI,
					 HV_X86_RDI};
	enum hv_x86_emu_status st;
	uint64_t disp = 0, off = 0;

	if (in->mod == 0 && in->rm == 6) {
		st = immediate(f, 2, &disp, exc);
	} else {
		off = r->gpr[base[in->rm]];
		if (in->rm < 4)
			off += r->gpr[index[in->rm]];
		if (base[in->rm] == HV_X86_RBP)
			in->seg = HV_X86_SEG_SS;
		st = in->mod ? immediate(f, in->mod == 1 ? 1 : 2, &disp, exc)
			     : HV_X86_EMU_DONE;
	}
	in->offset = emu_trunc(off + disp, 2);
	return st;
}

/* 32- and 64-bit addressing, SIB and RIP-relative (resolved by the
 * caller once the length is known: *rip_relative). */
static enum hv_x86_emu_status address32(struct emu_fetch *f,
					const struct hv_x86_emu_regs *r,
					struct emu_insn *in, bool *rip_relative,
					struct hv_x86_emu_exception *exc)
{
	enum hv_x86_emu_status st = HV_X86_EMU_DONE;
	unsigned int base = in->rm, disp_bytes;
	uint64_t disp = 0, off = 0;
	uint8_t sib;

	disp_bytes = in->mod == 1 ? 1 : in->mod == 2 ? 4 : 0;
	if (in->rm == 4) {
		st = next(f, &sib, exc);
		if (st != HV_X86_EMU_DONE)
			return st;
		unsigned int index =
		    ((sib >> 3) & 7) | ((in->rex & REX_X) << 2);

		if (index != 4) /* RSP cannot be an index; R12 can */
			off = r->gpr[index] << (sib >> 6);
		base = sib & 7;
		if (base == 5 && in->mod == 0) {
			disp_bytes = 4; /* no base */
			base = 16;
		}
	} else if (in->rm == 5 && in->mod == 0) {
		disp_bytes = 4;
		base = 16;
		*rip_relative = r->mode == HV_X86_MODE_LONG64;
	}
	if (base < 16) {
		base |= (in->rex & REX_B) << 3;
		off += r->gpr[base];
		/* RSP and RBP (not R12, R13) address the stack. */
		if (base == HV_X86_RSP || base == HV_X86_RBP)
			in->seg = HV_X86_SEG_SS;
	}
	if (disp_bytes)
		st = immediate(f, disp_bytes, &disp, exc);
	in->offset = emu_trunc(off + disp, in->addrsize);
	return st;
}

static enum hv_x86_emu_status modrm(struct emu_fetch *f,
				    const struct hv_x86_emu_regs *r,
				    struct emu_insn *in, bool *rip_relative,
				    struct hv_x86_emu_exception *exc)
{
	enum hv_x86_emu_status st;
	uint8_t b;

	st = next(f, &b, exc);
	if (st != HV_X86_EMU_DONE)
		return st;
	in->has_modrm = true;
	in->mod = b >> 6;
	in->reg = ((b >> 3) & 7) | ((in->rex & REX_R) << 1);
	in->rm = b & 7;
	if (in->mod == 3) {
		in->rm |= (in->rex & REX_B) << 3;
		return HV_X86_EMU_DONE;
	}
	if (in->addrsize == 2)
		return address16(f, r, in, exc);
	return address32(f, r, in, rip_relative, exc);
}

/* Which forms take LOCK: a memory destination, and in the groups only
 * the operations that write it. */
static bool lock_ok(const struct emu_insn *in, unsigned int attr)
{
	unsigned int ext = in->reg & 7;

	if (!(attr & A_LOCK) || !in->has_modrm || in->mod == 3)
		return false;
	if (in->opcode >= 0x80 && in->opcode <= 0x83)
		return ext != EMU_CMP;
	if (in->opcode == 0xf6 || in->opcode == 0xf7)
		return ext == 2 || ext == 3;
	return true;
}

/* What follows the ModRM byte, by opcode. */
static enum hv_x86_emu_status operands(struct emu_fetch *f, unsigned int attr,
				       struct emu_insn *in,
				       struct hv_x86_emu_exception *exc)
{
	unsigned int ext = in->reg & 7;

	if (in->opcode == 0xf6 || in->opcode == 0xf7) {
		if (ext >= 4) /* mul, imul, div, idiv */
			return hv_x86_emu_raise(exc, HV_X86_EXC_UD);
		if (ext >= 2)
			attr &= ~(A_IMM8 | A_IMMZ);
		else
			attr |= in->opcode == 0xf6 ? A_IMM8 : A_IMMZ;
	}
	if ((in->opcode == 0xc6 || in->opcode == 0xc7) && ext != 0)
		return hv_x86_emu_raise(exc, HV_X86_EXC_UD);
	if ((in->opcode == 0xfe || in->opcode == 0xff) && ext >= 2)
		return hv_x86_emu_raise(exc,
					HV_X86_EXC_UD); /* call, jmp, push */
	if (in->lock && !lock_ok(in, attr))
		return hv_x86_emu_raise(exc, HV_X86_EXC_UD);
	if (attr & A_IMM8)
		return immediate(f, 1, &in->imm, exc);
	if (attr & A_IMMZ)
		return immediate(f, in->size == 2 ? 2 : 4, &in->imm, exc);
	if (attr & A_MOFFS) {
		/* An unsigned offset of the address size. */
		enum hv_x86_emu_status st =
		    immediate(f, in->addrsize, &in->offset, exc);

		in->offset = emu_trunc(in->offset, in->addrsize);
		return st;
	}
	return HV_X86_EMU_DONE;
}

enum hv_x86_emu_status hv_x86_emu_decode(struct emu_fetch *f,
					 const struct hv_x86_emu_regs *r,
					 struct emu_insn *in,
					 struct hv_x86_emu_exception *exc)
{
	enum hv_x86_emu_status st;
	bool rip_relative = false;
	unsigned int attr;

	memset(in, 0, sizeof(*in));
	in->seg_override = -1;
	in->seg = HV_X86_SEG_DS;
	st = prefixes(f, r->mode, in, exc);
	if (st != HV_X86_EMU_DONE)
		return st;
	attr = attributes(in->opcode, r->mode);
	if (!attr)
		return hv_x86_emu_raise(exc, HV_X86_EXC_UD);
	if (attr & A_BYTE)
		in->size = 1;
	if (attr & A_MODRM) {
		st = modrm(f, r, in, &rip_relative, exc);
		if (st != HV_X86_EMU_DONE)
			return st;
	} else if (in->lock) {
		return hv_x86_emu_raise(exc, HV_X86_EXC_UD);
	}
	st = operands(f, attr, in, exc);
	if (st != HV_X86_EMU_DONE)
		return st;
	in->len = f->pos;
	if (rip_relative)
		in->offset =
		    emu_trunc(r->rip + in->len + in->offset, in->addrsize);
	if (in->seg_override >= 0)
		in->seg = (enum hv_x86_seg)in->seg_override;
	return HV_X86_EMU_DONE;
}
