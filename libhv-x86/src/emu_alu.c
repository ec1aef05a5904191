/*
 * The emulator's arithmetic: the 00-3f operations, TEST, NEG, INC and DEC,
 * with the
 * flags as AMD APM vol. 3 appendix E and the Intel SDM define them.  Carry
 * and overflow come from the operands' and result's top bits (a full
 * adder's carry out), so one formula serves every size and ADC/SBB too.
 */
#include "emu.h"

/* PF: set when the low byte has an even number of ones. */
static bool parity_even(uint64_t v)
{
	uint8_t b = (uint8_t)v;

	b ^= b >> 4;
	b ^= b >> 2;
	b ^= b >> 1;
	return !(b & 1);
}

uint64_t hv_x86_emu_alu(enum emu_alu_op op, unsigned int size, uint64_t dst,
			uint64_t src, uint64_t *rflags)
{
	unsigned int top = 8 * size - 1;
	uint64_t carry_in = *rflags & HV_X86_RFLAGS_CF, res, cf = 0, of = 0;
	uint64_t f = *rflags & ~HV_X86_RFLAGS_ARITH;
	bool af = false;

	if (op == EMU_NEG) { /* 0 - dst */
		src = dst;
		dst = 0;
	} else if (op == EMU_INC || op == EMU_DEC) {
		src = 1;
	}
	switch (op) {
	case EMU_ADD:
	case EMU_ADC:
	case EMU_INC:
		res = dst + src + (op == EMU_ADC ? carry_in : 0);
		cf = (dst & src) | ((dst | src) & ~res);
		of = (dst ^ res) & (src ^ res);
		af = (dst ^ src ^ res) & 0x10;
		break;
	case EMU_NEG:
	case EMU_DEC:
	case EMU_SUB:
	case EMU_SBB:
	case EMU_CMP:
		res = dst - src - (op == EMU_SBB ? carry_in : 0);
		cf = (~dst & src) | ((~dst | src) & res);
		of = (dst ^ src) & (dst ^ res);
		af = (dst ^ src ^ res) & 0x10;
		break;
	case EMU_OR:
		res = dst | src;
		break;
	case EMU_XOR:
		res = dst ^ src;
		break;
	default: /* AND, TEST */
		res = dst & src;
		break;
	}
	res = emu_trunc(res, size);
	if (op == EMU_INC || op == EMU_DEC)
		cf = carry_in << top; /* left as it was */
	if ((cf >> top) & 1)
		f |= HV_X86_RFLAGS_CF;
	if ((of >> top) & 1)
		f |= HV_X86_RFLAGS_OF;
	if (af)
		f |= HV_X86_RFLAGS_AF;
	if (parity_even(res))
		f |= HV_X86_RFLAGS_PF;
	if (res == 0)
		f |= HV_X86_RFLAGS_ZF;
	if ((res >> top) & 1)
		f |= HV_X86_RFLAGS_SF;
	*rflags = f;
	return res;
}
