/*
 * The emulator's string instructions: movs, stos, lods (a4 a5 aa ab ac
 * ad), with REP (f3, and f2, which the CPU takes alike for these).  Each
 * iteration's registers are written once its accesses succeeded, so a
 * fault leaves RCX, RSI and RDI counting the iterations done, as on the
 * CPU, and RIP at the instruction.
 */
#include "emu.h"

/* RSI, RDI and RCX as wide as the address size: a 16-bit address size
 * keeps their upper bits, a 32-bit one clears them. */
static void set_counter(struct hv_x86_emu_regs *r, unsigned int reg,
			unsigned int addrsize, uint64_t v)
{
	if (addrsize == 2)
		r->gpr[reg] = (r->gpr[reg] & ~0xffffull) | (v & 0xffff);
	else
		r->gpr[reg] = emu_trunc(v, addrsize);
}

static void advance(struct hv_x86_emu_regs *r, unsigned int reg,
		    const struct emu_insn *in)
{
	uint64_t step =
	    (r->rflags & HV_X86_RFLAGS_DF) ? -(uint64_t)in->size : in->size;

	set_counter(r, reg, in->addrsize, r->gpr[reg] + step);
}

/* One iteration: read (movs, lods), write (movs, stos), then registers. */
static enum hv_x86_emu_status once(const struct emu_insn *in,
				   struct hv_x86_emu_regs *r,
				   const struct hv_x86_emu_ops *ops, void *ctx,
				   struct hv_x86_emu_exception *exc)
{
	unsigned int op = in->opcode & ~1u, size = in->size;
	uint64_t src, dst, v = r->gpr[HV_X86_RAX];
	uint64_t si = emu_trunc(r->gpr[HV_X86_RSI], in->addrsize);
	uint64_t di = emu_trunc(r->gpr[HV_X86_RDI], in->addrsize);
	enum hv_x86_emu_status st;
	uint8_t b[8];

	if (op != 0xaa) {
		/* The source's segment may be overridden; ES:rDI's not. */
		st = hv_x86_emu_linear(r, in->seg, si, &src, exc);
		if (st == HV_X86_EMU_DONE)
			st = ops->read(ctx, src, b, size, false, exc);
		if (st != HV_X86_EMU_DONE)
			return st;
		v = 0;
		for (unsigned int i = 0; i < size; i++)
			v |= (uint64_t)b[i] << (8 * i);
	}
	if (op != 0xac) {
		for (unsigned int i = 0; i < size; i++)
			b[i] = (uint8_t)(v >> (8 * i));
		st = hv_x86_emu_linear(r, HV_X86_SEG_ES, di, &dst, exc);
		if (st == HV_X86_EMU_DONE)
			st = ops->write(ctx, dst, b, size, exc);
		if (st != HV_X86_EMU_DONE)
			return st;
		advance(r, HV_X86_RDI, in);
	}
	if (op != 0xaa)
		advance(r, HV_X86_RSI, in);
	if (op == 0xac)
		hv_x86_emu_set_reg(in, r, HV_X86_RAX, size, v);
	return HV_X86_EMU_DONE;
}

/* With no iteration to make, a 32-bit address size still writes ECX and
 * the pointers a store uses (EDI; movs also ESI, lods neither), clearing
 * their upper halves: what the differential test's host CPU (Intel)
 * does. */
static void no_iteration(const struct emu_insn *in, struct hv_x86_emu_regs *r)
{
	unsigned int op = in->opcode & ~1u;

	if (in->addrsize != 4)
		return;
	set_counter(r, HV_X86_RCX, 4, r->gpr[HV_X86_RCX]);
	if (op == 0xac)
		return;
	set_counter(r, HV_X86_RDI, 4, r->gpr[HV_X86_RDI]);
	if (op == 0xa4)
		set_counter(r, HV_X86_RSI, 4, r->gpr[HV_X86_RSI]);
}

enum hv_x86_emu_status hv_x86_emu_string(const struct emu_insn *in,
					 struct hv_x86_emu_regs *r,
					 const struct hv_x86_emu_ops *ops,
					 void *ctx,
					 struct hv_x86_emu_exception *exc)
{
	enum hv_x86_emu_status st;
	uint64_t count;

	if (!in->rep)
		return once(in, r, ops, ctx, exc);
	if (emu_trunc(r->gpr[HV_X86_RCX], in->addrsize) == 0)
		no_iteration(in, r);
	for (unsigned int n = 0; n < HV_X86_EMU_MAX_REPS; n++) {
		count = emu_trunc(r->gpr[HV_X86_RCX], in->addrsize);
		if (count == 0)
			return HV_X86_EMU_DONE;
		st = once(in, r, ops, ctx, exc);
		if (st != HV_X86_EMU_DONE)
			return st;
		set_counter(r, HV_X86_RCX, in->addrsize, count - 1);
	}
	return emu_trunc(r->gpr[HV_X86_RCX], in->addrsize) ? HV_X86_EMU_RETRY
							   : HV_X86_EMU_DONE;
}
