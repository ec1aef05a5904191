/*
 * The MOV-family decoder (AMD APM vol. 3, 1.2 "Instruction Prefixes", 1.4
 * "ModRM and SIB Bytes").  Portable, unit-tested.
 */
#include <hv/error.h>
#include <hv/string.h>
#include <hv/x86_insn.h>

#define PREFIX_OPSIZE	0x66
#define PREFIX_ADDRSIZE 0x67
#define REX_W		0x8
#define REX_R		0x4

/* The reader: bytes consumed so far, and what is left. */
struct cursor {
	const uint8_t *bytes;
	size_t avail;
	unsigned int pos;
};

static int next(struct cursor *c, uint8_t *b)
{
	if (c->pos >= HV_X86_INSN_MAX)
		return -HV_EINVAL;
	if (c->pos >= c->avail)
		return -HV_EAGAIN;
	*b = c->bytes[c->pos++];
	return 0;
}

static int skip(struct cursor *c, unsigned int n)
{
	if (c->pos + n > HV_X86_INSN_MAX)
		return -HV_EINVAL;
	if (c->pos + n > c->avail)
		return -HV_EAGAIN;
	c->pos += n;
	return 0;
}

/* Little-endian immediate of n bytes, sign-extended to 64 bits. */
static int immediate(struct cursor *c, unsigned int n, uint64_t *v)
{
	int err = skip(c, n);
	uint64_t x = 0;

	if (err)
		return err;
	for (unsigned int i = 0; i < n; i++)
		x |= (uint64_t)c->bytes[c->pos - n + i] << (8 * i);
	if (n < 8 && (x >> (8 * n - 1)) & 1)
		x |= UINT64_MAX << (8 * n);
	*v = x;
	return 0;
}

/* ES, CS, SS, DS (26, 2e, 36, 3e), FS, GS (64, 65): as arithmetic, which
 * compiles to a few instructions where a switch became a jump table per
 * unrolled loop iteration. */
static bool is_segment_prefix(uint8_t b)
{
	return (b & 0xe7) == 0x26 || (b & 0xfe) == 0x64;
}

static bool code16(enum hv_x86_mode mode)
{
	return mode == HV_X86_MODE_REAL || mode == HV_X86_MODE_VM86 ||
	       mode == HV_X86_MODE_PROT16;
}

/* What the prefixes say. */
struct prefixes {
	unsigned int opsize;   /* operand size of a non-byte operation */
	unsigned int addrsize; /* address size */
	unsigned int rex;
};

static int read_prefixes(struct cursor *c, enum hv_x86_mode mode,
			 struct prefixes *p, uint8_t *opcode)
{
	bool op_override = false, addr_override = false;
	bool long64 = mode == HV_X86_MODE_LONG64;
	int err;

	p->rex = 0;
	for (;;) {
		err = next(c, opcode);
		if (err)
			return err;
		if (*opcode == PREFIX_OPSIZE)
			op_override = true;
		else if (*opcode == PREFIX_ADDRSIZE)
			addr_override = true;
		else if (!is_segment_prefix(*opcode))
			break;
	}
	/* REX comes last, right before the opcode. */
	if (long64 && (*opcode & 0xf0) == 0x40) {
		p->rex = *opcode;
		err = next(c, opcode);
		if (err)
			return err;
	}
	if (long64) {
		p->opsize = (p->rex & REX_W) ? 8 : op_override ? 2 : 4;
		p->addrsize = addr_override ? 4 : 8;
	} else if (code16(mode)) {
		p->opsize = op_override ? 4 : 2;
		p->addrsize = addr_override ? 4 : 2;
	} else {
		p->opsize = op_override ? 2 : 4;
		p->addrsize = addr_override ? 2 : 4;
	}
	return 0;
}

/* Bytes of displacement (and SIB) after a ModRM byte with a memory
 * operand. */
static int skip_address(struct cursor *c, unsigned int addrsize, uint8_t modrm)
{
	unsigned int mod = modrm >> 6, rm = modrm & 7;
	uint8_t sib;
	int err;

	if (addrsize == 2) {
		if (mod == 0)
			return skip(c, rm == 6 ? 2 : 0);
		return skip(c, mod == 1 ? 1 : 2);
	}
	if (rm == 4) {
		err = next(c, &sib);
		if (err)
			return err;
		if (mod == 0)
			return skip(c, (sib & 7) == 5 ? 4 : 0);
	} else if (mod == 0) {
		return skip(c, rm == 5 ? 4 : 0); /* disp32 or RIP+disp32 */
	}
	return skip(c, mod == 1 ? 1 : 4);
}

/* A ModRM memory operand; the reg field into out->reg. */
static int modrm_memory(struct cursor *c, const struct prefixes *p,
			struct hv_x86_mov *out, unsigned int *reg_field)
{
	uint8_t modrm;
	int err = next(c, &modrm);

	if (err)
		return err;
	if (modrm >> 6 == 3)
		return -HV_EINVAL; /* a register: no memory access */
	*reg_field = (modrm >> 3) & 7;
	out->reg = *reg_field | ((p->rex & REX_R) ? 8 : 0);
	return skip_address(c, p->addrsize, modrm);
}

/* A byte register without REX: 4-7 are AH, CH, DH, BH. */
static void byte_register(struct hv_x86_mov *out, const struct prefixes *p)
{
	if (!p->rex && out->reg >= 4 && out->reg < 8) {
		out->high_byte = true;
		out->reg -= 4;
	}
}

static int mov_modrm(struct cursor *c, const struct prefixes *p, uint8_t opcode,
		     struct hv_x86_mov *out)
{
	unsigned int reg_field;
	int err = modrm_memory(c, p, out, &reg_field);

	if (err)
		return err;
	out->write = opcode == 0x88 || opcode == 0x89;
	out->size = (opcode & 1) ? p->opsize : 1;
	out->reg_size = out->size;
	if (out->size == 1)
		byte_register(out, p);
	return 0;
}

static int mov_moffs(struct cursor *c, const struct prefixes *p, uint8_t opcode,
		     struct hv_x86_mov *out)
{
	out->write = opcode >= 0xa2;
	out->size = (opcode & 1) ? p->opsize : 1;
	out->reg_size = out->size;
	out->reg = 0; /* the accumulator */
	return skip(c, p->addrsize);
}

static int mov_imm(struct cursor *c, const struct prefixes *p, uint8_t opcode,
		   struct hv_x86_mov *out)
{
	unsigned int reg_field;
	int err = modrm_memory(c, p, out, &reg_field);

	if (err)
		return err;
	if (reg_field != 0)
		return -HV_EINVAL; /* C6/C7 /0 only */
	out->write = true;
	out->has_imm = true;
	out->size = opcode == 0xc6 ? 1 : p->opsize;
	/* An 8-byte store takes a 4-byte immediate, sign-extended. */
	err = immediate(c, out->size == 8 ? 4 : out->size, &out->imm);
	if (out->size < 8)
		out->imm &= UINT64_MAX >> (64 - 8 * out->size);
	return err;
}

static int mov_extend(struct cursor *c, const struct prefixes *p,
		      struct hv_x86_mov *out)
{
	unsigned int reg_field;
	uint8_t op;
	int err = next(c, &op);

	if (err)
		return err;
	if (op != 0xb6 && op != 0xb7 && op != 0xbe && op != 0xbf)
		return -HV_EINVAL;
	err = modrm_memory(c, p, out, &reg_field);
	out->size = (op & 1) ? 2 : 1;
	out->reg_size = p->opsize;
	out->sign_extend = op >= 0xbe;
	return err;
}

static int movsxd(struct cursor *c, const struct prefixes *p,
		  struct hv_x86_mov *out)
{
	unsigned int reg_field;
	int err = modrm_memory(c, p, out, &reg_field);

	/* Without REX.W it is a plain 16- or 32-bit load. */
	out->size = p->opsize == 8 ? 4 : p->opsize;
	out->reg_size = p->opsize;
	out->sign_extend = p->opsize == 8;
	return err;
}

int hv_x86_decode_mov(const uint8_t *bytes, size_t avail, enum hv_x86_mode mode,
		      struct hv_x86_mov *out)
{
	struct cursor c = {bytes, avail, 0};
	struct prefixes p;
	uint8_t opcode;
	int err;

	memset(out, 0, sizeof(*out));
	err = read_prefixes(&c, mode, &p, &opcode);
	if (err)
		return err;
	/* Ranges, not a switch: a jump table over the opcode space would
	 * outweigh the decoder. */
	if (opcode >= 0x88 && opcode <= 0x8b)
		err = mov_modrm(&c, &p, opcode, out);
	else if (opcode >= 0xa0 && opcode <= 0xa3)
		err = mov_moffs(&c, &p, opcode, out);
	else if (opcode == 0xc6 || opcode == 0xc7)
		err = mov_imm(&c, &p, opcode, out);
	else if (opcode == 0x0f)
		err = mov_extend(&c, &p, out);
	else if (opcode == 0x63 && mode == HV_X86_MODE_LONG64)
		err = movsxd(&c, &p, out); /* ARPL outside 64-bit mode */
	else
		err = -HV_EINVAL; /* LOCK, REP and every other opcode */
	if (err)
		return err;
	out->len = c.pos;
	return 0;
}

static uint64_t low_bytes(uint64_t v, unsigned int size)
{
	return size >= 8 ? v : v & ((1ull << (8 * size)) - 1);
}

void hv_x86_mov_load(const struct hv_x86_mov *m, uint64_t gpr[16],
		     uint64_t value)
{
	uint64_t *r = &gpr[m->reg & 15];
	uint64_t v = low_bytes(value, m->size);

	if (m->sign_extend && m->size < 8 && (v >> (8 * m->size - 1)) & 1)
		v |= UINT64_MAX << (8 * m->size);
	if (m->high_byte) {
		*r = (*r & ~0xff00ull) | (v & 0xff) << 8;
		return;
	}
	switch (m->reg_size) {
	case 1:
	case 2:
		*r = (*r & ~low_bytes(UINT64_MAX, m->reg_size)) |
		     low_bytes(v, m->reg_size);
		break;
	case 4:
		/* Zero-extended in 64-bit mode; the upper half is undefined
		 * outside it, and zero is what AMD CPUs leave. */
		*r = low_bytes(v, 4);
		break;
	default:
		*r = v;
		break;
	}
}

uint64_t hv_x86_mov_store_value(const struct hv_x86_mov *m,
				const uint64_t gpr[16])
{
	if (m->has_imm)
		return low_bytes(m->imm, m->size);
	if (m->high_byte)
		return (gpr[m->reg & 3] >> 8) & 0xff;
	return low_bytes(gpr[m->reg & 15], m->size);
}
