/*
 * The emulator's entry and the execution of everything but string
 * instructions (x86_emulate.h).  Runs on a copy of the registers, written
 * back only when the instruction completed, so an exception leaves them
 * as they were; memory is read before it is written.
 */
#include "emu.h"

enum hv_x86_emu_status hv_x86_emu_raise(struct hv_x86_emu_exception *exc,
					unsigned int vector)
{
	exc->vector = (uint8_t)vector;
	exc->has_error_code = vector != HV_X86_EXC_UD;
	exc->error_code = 0;
	exc->cr2 = 0;
	return HV_X86_EMU_EXCEPTION;
}

enum hv_x86_emu_status hv_x86_emu_linear(const struct hv_x86_emu_regs *r,
					 enum hv_x86_seg seg, uint64_t offset,
					 uint64_t *linear,
					 struct hv_x86_emu_exception *exc)
{
	uint64_t l;

	if (r->mode != HV_X86_MODE_LONG64) {
		*linear = (uint32_t)(r->seg_base[seg] + offset);
		return HV_X86_EMU_DONE;
	}
	/* 64-bit mode: only FS and GS have a base. */
	l = offset;
	if (seg == HV_X86_SEG_FS || seg == HV_X86_SEG_GS)
		l += r->seg_base[seg];
	if ((uint64_t)((int64_t)(l << 16) >> 16) != l)
		return hv_x86_emu_raise(
		    exc, seg == HV_X86_SEG_SS ? HV_X86_EXC_SS : HV_X86_EXC_GP);
	*linear = l;
	return HV_X86_EMU_DONE;
}

/* Without REX, byte registers 4-7 are bits 15:8 of registers 0-3. */
static bool high_byte(const struct emu_insn *in, unsigned int reg,
		      unsigned int size)
{
	return size == 1 && !in->rex && reg >= 4 && reg < 8;
}

uint64_t hv_x86_emu_get_reg(const struct emu_insn *in,
			    const struct hv_x86_emu_regs *r, unsigned int reg,
			    unsigned int size)
{
	if (high_byte(in, reg, size))
		return (r->gpr[reg - 4] >> 8) & 0xff;
	return emu_trunc(r->gpr[reg], size);
}

void hv_x86_emu_set_reg(const struct emu_insn *in, struct hv_x86_emu_regs *r,
			unsigned int reg, unsigned int size, uint64_t v)
{
	uint64_t *g = &r->gpr[reg];

	if (high_byte(in, reg, size)) {
		g = &r->gpr[reg - 4];
		*g = (*g & ~0xff00ull) | (v & 0xff) << 8;
	} else if (size < 4) {
		*g = (*g & ~emu_trunc(UINT64_MAX, size)) | emu_trunc(v, size);
	} else {
		/* A 32-bit result zero-extends (the upper half is undefined
		 * outside 64-bit mode; zero is what CPUs leave). */
		*g = emu_trunc(v, size);
	}
}

/* What one execution needs. */
struct exec {
	const struct emu_insn *in;
	struct hv_x86_emu_regs *r; /* the working copy */
	const struct hv_x86_emu_ops *ops;
	void *ctx;
	uint64_t linear; /* of the memory operand */
	struct hv_x86_emu_exception *exc;
};

static bool rm_is_memory(const struct emu_insn *in)
{
	return !in->has_modrm || in->mod != 3;
}

/* The r/m operand (or a0-a3's moffs), `size` bytes. */
static enum hv_x86_emu_status read_rm(struct exec *x, unsigned int size,
				      uint64_t *v)
{
	uint8_t b[8];
	enum hv_x86_emu_status st;

	if (!rm_is_memory(x->in)) {
		*v = hv_x86_emu_get_reg(x->in, x->r, x->in->rm, size);
		return HV_X86_EMU_DONE;
	}
	st = x->ops->read(x->ctx, x->linear, b, size, false, x->exc);
	*v = 0;
	for (unsigned int i = 0; i < size; i++)
		*v |= (uint64_t)b[i] << (8 * i);
	return st;
}

static enum hv_x86_emu_status write_rm(struct exec *x, unsigned int size,
				       uint64_t v)
{
	uint8_t b[8];

	if (!rm_is_memory(x->in)) {
		hv_x86_emu_set_reg(x->in, x->r, x->in->rm, size, v);
		return HV_X86_EMU_DONE;
	}
	for (unsigned int i = 0; i < size; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	return x->ops->write(x->ctx, x->linear, b, size, x->exc);
}

/* dst = dst op src, into r/m or a register; CMP and TEST write nothing. */
static enum hv_x86_emu_status alu_rm(struct exec *x, enum emu_alu_op op,
				     uint64_t src)
{
	unsigned int size = x->in->size;
	enum hv_x86_emu_status st;
	uint64_t dst;

	st = read_rm(x, size, &dst);
	if (st != HV_X86_EMU_DONE)
		return st;
	dst = hv_x86_emu_alu(op, size, dst, src, &x->r->rflags);
	if (op == EMU_CMP || op == EMU_TEST)
		return HV_X86_EMU_DONE;
	return write_rm(x, size, dst);
}

static enum hv_x86_emu_status alu_reg(struct exec *x, enum emu_alu_op op,
				      unsigned int reg, uint64_t src)
{
	unsigned int size = x->in->size;
	uint64_t dst = hv_x86_emu_get_reg(x->in, x->r, reg, size);

	dst = hv_x86_emu_alu(op, size, dst, src, &x->r->rflags);
	if (op != EMU_CMP)
		hv_x86_emu_set_reg(x->in, x->r, reg, size, dst);
	return HV_X86_EMU_DONE;
}

/* 00-3f: forms 0-1 op r/m, reg; 2-3 op reg, r/m; 4-5 op acc, imm. */
static enum hv_x86_emu_status alu_block(struct exec *x)
{
	const struct emu_insn *in = x->in;
	enum emu_alu_op op = (enum emu_alu_op)(in->opcode >> 3);
	enum hv_x86_emu_status st;
	uint64_t src;

	switch (in->opcode & 7) {
	case 0:
	case 1:
		return alu_rm(x, op,
			      hv_x86_emu_get_reg(in, x->r, in->reg, in->size));
	case 2:
	case 3:
		st = read_rm(x, in->size, &src);
		if (st != HV_X86_EMU_DONE)
			return st;
		return alu_reg(x, op, in->reg, src);
	default:
		return alu_reg(x, op, HV_X86_RAX, in->imm);
	}
}

static enum hv_x86_emu_status xchg(struct exec *x)
{
	unsigned int size = x->in->size;
	uint64_t old, reg = hv_x86_emu_get_reg(x->in, x->r, x->in->reg, size);
	enum hv_x86_emu_status st = read_rm(x, size, &old);

	if (st == HV_X86_EMU_DONE)
		st = write_rm(x, size, reg);
	if (st == HV_X86_EMU_DONE)
		hv_x86_emu_set_reg(x->in, x->r, x->in->reg, size, old);
	return st;
}

/* A load into register `reg` of `dst_size` bytes from `src_size` bytes of
 * r/m, sign- or zero-extended. */
static enum hv_x86_emu_status load(struct exec *x, unsigned int reg,
				   unsigned int src_size, unsigned int dst_size,
				   bool sign)
{
	uint64_t v;
	enum hv_x86_emu_status st = read_rm(x, src_size, &v);

	if (st != HV_X86_EMU_DONE)
		return st;
	if (sign)
		v = emu_sext(v, src_size);
	hv_x86_emu_set_reg(x->in, x->r, reg, dst_size, v);
	return HV_X86_EMU_DONE;
}

/* f6/f7: test, not, neg (mul and div were refused by the decoder). */
static enum hv_x86_emu_status group3(struct exec *x)
{
	unsigned int size = x->in->size;
	enum hv_x86_emu_status st;
	uint64_t v;

	switch (x->in->reg & 7) {
	case 0:
	case 1:
		return alu_rm(x, EMU_TEST, x->in->imm);
	case 2:
		st = read_rm(x, size, &v);
		return st == HV_X86_EMU_DONE ? write_rm(x, size, ~v) : st;
	default:
		return alu_rm(x, EMU_NEG, 0);
	}
}

static enum hv_x86_emu_status execute(struct exec *x)
{
	const struct emu_insn *in = x->in;
	unsigned int op = in->opcode, size = in->size;

	if (op < 0x40)
		return alu_block(x);
	if (op >= 0x80 && op <= 0x83)
		return alu_rm(x, (enum emu_alu_op)(in->reg & 7), in->imm);
	switch (op) {
	case 0x84:
	case 0x85:
		return alu_rm(x, EMU_TEST,
			      hv_x86_emu_get_reg(in, x->r, in->reg, size));
	case 0x86:
	case 0x87:
		return xchg(x);
	case 0x88:
	case 0x89:
		return write_rm(x, size,
				hv_x86_emu_get_reg(in, x->r, in->reg, size));
	case 0x8a:
	case 0x8b:
		return load(x, in->reg, size, size, false);
	case 0xa0:
	case 0xa1:
		return load(x, HV_X86_RAX, size, size, false);
	case 0xa2:
	case 0xa3:
		return write_rm(x, size,
				hv_x86_emu_get_reg(in, x->r, HV_X86_RAX, size));
	case 0xc6:
	case 0xc7:
		return write_rm(x, size, in->imm);
	case 0xf6:
	case 0xf7:
		return group3(x);
	case 0xfe:
	case 0xff:
		return alu_rm(x, (in->reg & 7) ? EMU_DEC : EMU_INC, 0);
	case 0x63: /* movsxd: without REX.W a plain load */
		return load(x, in->reg, size == 8 ? 4 : size, size, size == 8);
	default: /* 0f b6 b7 be bf: movzx, movsx */
		return load(x, in->reg, (op & 1) ? 2 : 1, size, op & 8);
	}
}

static bool is_string(unsigned int opcode)
{
	return opcode == 0xa4 || opcode == 0xa5 || opcode == 0xaa ||
	       opcode == 0xab || opcode == 0xac || opcode == 0xad;
}

/* The instruction pointer is as wide as the code: IP wraps at 64 KiB. */
static uint64_t next_rip(const struct hv_x86_emu_regs *r, unsigned int len)
{
	switch (r->mode) {
	case HV_X86_MODE_LONG64:
		return r->rip + len;
	case HV_X86_MODE_PROT32:
		return (uint32_t)(r->rip + len);
	default:
		return (uint16_t)(r->rip + len);
	}
}

enum hv_x86_emu_status hv_x86_emulate(struct hv_x86_emu_regs *regs,
				      const struct hv_x86_emu_ops *ops,
				      void *ctx,
				      struct hv_x86_emu_exception *exc)
{
	struct emu_fetch f = {.ops = ops, .ctx = ctx};
	struct hv_x86_emu_regs w;
	enum hv_x86_emu_status st;
	struct emu_insn in;
	struct exec x = {&in, &w, ops, ctx, 0, exc};

	st = hv_x86_emu_linear(regs, HV_X86_SEG_CS, regs->rip, &f.linear, exc);
	if (st == HV_X86_EMU_DONE)
		st = hv_x86_emu_decode(&f, regs, &in, exc);
	if (st != HV_X86_EMU_DONE)
		return st;
	if (is_string(in.opcode)) {
		/* Registers move per iteration: run on the real ones. */
		st = hv_x86_emu_string(&in, regs, ops, ctx, exc);
		if (st == HV_X86_EMU_DONE)
			regs->rip = next_rip(regs, in.len);
		return st;
	}
	if (rm_is_memory(&in)) {
		st = hv_x86_emu_linear(regs, in.seg, in.offset, &x.linear, exc);
		if (st != HV_X86_EMU_DONE)
			return st;
	}
	w = *regs;
	st = execute(&x);
	if (st == HV_X86_EMU_DONE) {
		w.rip = next_rip(regs, in.len);
		*regs = w;
	}
	return st;
}
