/*
 * The emulator against the host CPU: every emulated opcode, in each
 * operand size, register and memory forms (base+disp8, SIB, RIP-relative,
 * 32-bit address size), with LOCK where it applies, over operand values
 * and flags chosen for the flags' edge cases.  Each instruction runs
 * natively on a scratch page (a trampoline loads the registers and
 * RFLAGS, runs it and saves them) and in the emulator on copies of the
 * same memory; registers, arithmetic flags and the scratch page must
 * agree.  64-bit code only: the host cannot run the others (test_emulate.c
 * checks them by hand).  Skipped (77) on other hosts.
 */
#if defined(__x86_64__) && defined(__linux__)
#define _GNU_SOURCE /* MAP_32BIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include <hv/x86_emulate.h>

#define PAGE 4096u

/* The trampoline's view of the registers: gpr[16], then RFLAGS. */
struct native {
	uint64_t gpr[16];
	uint64_t rflags;
};

/* The trampoline's own state (it has no free register to hold it). */
extern struct native *emu_native_state;
extern void *emu_native_code;
extern uint64_t emu_native_rsp;
struct native *emu_native_state;
void *emu_native_code;
uint64_t emu_native_rsp;
void emu_native_run(struct native *s, void *code);
extern char emu_native_back[];

/* Load every register but RSP from s and RFLAGS, jump to the code (which
 * jumps back to emu_native_back), save them, clear DF, return. */
__asm__(".text\n"
	".globl emu_native_run\n"
	"emu_native_run:\n"
	"  push %rbx\n  push %rbp\n  push %r12\n"
	"  push %r13\n  push %r14\n  push %r15\n"
	"  mov %rsp, emu_native_rsp(%rip)\n"
	"  mov %rdi, emu_native_state(%rip)\n"
	"  mov %rsi, emu_native_code(%rip)\n"
	"  pushq 128(%rdi)\n  popfq\n"
	"  mov 0(%rdi), %rax\n  mov 8(%rdi), %rcx\n"
	"  mov 16(%rdi), %rdx\n  mov 24(%rdi), %rbx\n"
	"  mov 40(%rdi), %rbp\n  mov 48(%rdi), %rsi\n"
	"  mov 64(%rdi), %r8\n  mov 72(%rdi), %r9\n"
	"  mov 80(%rdi), %r10\n  mov 88(%rdi), %r11\n"
	"  mov 96(%rdi), %r12\n  mov 104(%rdi), %r13\n"
	"  mov 112(%rdi), %r14\n  mov 120(%rdi), %r15\n"
	"  mov 56(%rdi), %rdi\n"
	"  jmp *emu_native_code(%rip)\n"
	".globl emu_native_back\n"
	"emu_native_back:\n"
	"  pushfq\n  push %rdi\n"
	"  mov emu_native_state(%rip), %rdi\n"
	"  mov %rax, 0(%rdi)\n  mov %rcx, 8(%rdi)\n"
	"  mov %rdx, 16(%rdi)\n  mov %rbx, 24(%rdi)\n"
	"  mov %rbp, 40(%rdi)\n  mov %rsi, 48(%rdi)\n"
	"  mov %r8, 64(%rdi)\n  mov %r9, 72(%rdi)\n"
	"  mov %r10, 80(%rdi)\n  mov %r11, 88(%rdi)\n"
	"  mov %r12, 96(%rdi)\n  mov %r13, 104(%rdi)\n"
	"  mov %r14, 112(%rdi)\n  mov %r15, 120(%rdi)\n"
	"  popq 56(%rdi)\n  popq 128(%rdi)\n"
	"  cld\n"
	"  mov emu_native_rsp(%rip), %rsp\n"
	"  pop %r15\n  pop %r14\n  pop %r13\n"
	"  pop %r12\n  pop %rbp\n  pop %rbx\n"
	"  ret\n");

/* Two pages below 4 GiB (so 32-bit addresses reach them): code, data. */
static uint8_t *page;
/* The emulator's copy of both. */
static uint8_t emu_copy[2 * PAGE];

static enum hv_x86_emu_status copy_check(uint64_t linear, unsigned int size,
					 struct hv_x86_emu_exception *e)
{
	if (linear < (uintptr_t)page ||
	    linear + size > (uintptr_t)page + 2 * PAGE) {
		e->vector = HV_X86_EXC_PF;
		e->has_error_code = true;
		e->error_code = 0;
		e->cr2 = linear;
		return HV_X86_EMU_EXCEPTION;
	}
	return HV_X86_EMU_DONE;
}

static enum hv_x86_emu_status copy_read(void *ctx, uint64_t linear, void *buf,
					unsigned int size, bool fetch,
					struct hv_x86_emu_exception *e)
{
	enum hv_x86_emu_status st = copy_check(linear, size, e);

	(void)ctx, (void)fetch;
	if (st == HV_X86_EMU_DONE)
		memcpy(buf, emu_copy + (linear - (uintptr_t)page), size);
	return st;
}

static enum hv_x86_emu_status copy_write(void *ctx, uint64_t linear,
					 const void *buf, unsigned int size,
					 struct hv_x86_emu_exception *e)
{
	enum hv_x86_emu_status st = copy_check(linear, size, e);

	(void)ctx;
	if (st == HV_X86_EMU_DONE)
		memcpy(emu_copy + (linear - (uintptr_t)page), buf, size);
	return st;
}

static const struct hv_x86_emu_ops copy_ops = {copy_read, copy_write};

/* Operand values: zero, ones, each size's sign boundaries, nibble carries,
 * and two mixed patterns. */
static const uint64_t values[] = {
    0,
    1,
    0x0f,
    0x10,
    0x7f,
    0x80,
    0xff,
    0x7fff,
    0x8000,
    0xffff,
    0x7fffffff,
    0x80000000,
    0xffffffff,
    0x7fffffffffffffffull,
    0x8000000000000000ull,
    0xffffffffffffffffull,
    0x123456789abcdef0ull,
    0xfedcba9876543219ull,
};
#define NVALUES (sizeof(values) / sizeof(values[0]))

/* RFLAGS going in: CF matters to ADC/SBB, the rest must be replaced. */
static const uint64_t flags_in[] = {
    0x202,
    0x202 | HV_X86_RFLAGS_CF,
    0x202 | HV_X86_RFLAGS_ARITH,
};

/* An opcode to test. */
struct tmpl {
	uint8_t op[2];
	unsigned int oplen;
	int ext;	  /* ModRM reg field, or -1 for a register operand */
	unsigned int imm; /* 0, 1, or 'z' (2 or 4 by operand size) */
	bool byte;	  /* an 8-bit operation */
	bool lock;	  /* takes LOCK with a memory operand */
	bool no_modrm;	  /* a0-a3 moffs, string instructions */
};

/* ModRM forms: how r/m names its operand. */
enum form {
	F_DISP8,   /* 8(%rbx) */
	F_SIB,	   /* (%rbx,%rdi,2), RDI = 4 */
	F_RIP,	   /* DATA+8(%rip) */
	F_ADDR32,  /* 8(%ebx) */
	F_REG,	   /* %rcx */
	F_REG_REX, /* %r13 */
	F_COUNT
};

#define DATA_OFF 8 /* where a memory operand lies in the data page */

/* The registers every case starts from (RBX the data page, RDI 4). */
static void base_regs(struct native *n)
{
	for (unsigned int i = 0; i < 16; i++)
		n->gpr[i] = 0x0101010101010101ull * (i + 1);
	n->gpr[3] = (uintptr_t)page + PAGE; /* rbx */
	n->gpr[7] = 4;			    /* rdi */
	n->gpr[4] = 0;			    /* rsp: not loaded */
}

struct encoded {
	uint8_t b[16];
	unsigned int len;
	unsigned int reg;     /* the register operand, if any */
	unsigned int rm_reg;  /* F_REG*: the r/m register */
	unsigned int imm_pos; /* offset of the immediate */
};

/* [66] [REX] opcode ModRM [SIB] [disp] [imm]. */
static bool encode(const struct tmpl *t, unsigned int size, enum form form,
		   bool lock, struct encoded *e)
{
	unsigned int rex = 0x40, reg, n = 0, imm_len = 0;
	unsigned int mod_rm[F_COUNT] = {0x43, 0x04, 0x05, 0x43, 0xc1, 0xc5};

	memset(e, 0, sizeof(*e));
	/* reg: DL/DX (2), then DH/SIL (6), then R10 */
	reg = form == F_SIB ? 6 : form == F_RIP || form == F_REG_REX ? 10 : 2;
	if (t->ext >= 0)
		reg = (unsigned int)t->ext;
	e->reg = reg;
	e->rm_reg = form == F_REG_REX ? 13 : 1;
	if (lock)
		e->b[n++] = 0xf0;
	if (form == F_ADDR32)
		e->b[n++] = 0x67;
	if (size == 2)
		e->b[n++] = 0x66;
	if (size == 8)
		rex |= 0x8;
	if (reg & 8)
		rex |= 0x4;
	if (form == F_REG_REX)
		rex |= 0x1;
	/* REX also for byte operations in the REX forms (SIL, R13B) */
	if (rex != 0x40 || (t->byte && form == F_REG_REX))
		e->b[n++] = (uint8_t)rex;
	for (unsigned int i = 0; i < t->oplen; i++)
		e->b[n++] = t->op[i];
	e->b[n++] = (uint8_t)(mod_rm[form] | (reg & 7) << 3);
	if (form == F_SIB)
		e->b[n++] = 0x7b; /* scale 2, index RDI, base RBX */
	if (form == F_DISP8 || form == F_ADDR32)
		e->b[n++] = DATA_OFF;
	if (form == F_RIP)
		n += 4; /* filled in below, once the length is known */
	imm_len = t->imm == 1 ? 1 : t->imm ? (size == 2 ? 2 : 4) : 0;
	e->imm_pos = n;
	n += imm_len;
	if (form == F_RIP) {
		int32_t disp = (int32_t)(PAGE + DATA_OFF - n);

		memcpy(&e->b[e->imm_pos - 4], &disp, 4);
	}
	e->len = n;
	return true;
}

/* Per test: mismatches (reset by each); in all: cases. */
static unsigned int cases, mismatches;

/* Run e's bytes both ways from n, compare. */
static void compare(const char *what, const uint8_t *bytes, unsigned int len,
		    const struct native *start)
{
	static const uint8_t back[6] = {0xff, 0x25, 0, 0, 0, 0};
	uint64_t back_addr = (uintptr_t)emu_native_back;
	struct native cpu = *start;
	struct hv_x86_emu_regs r;
	struct hv_x86_emu_exception exc;
	enum hv_x86_emu_status st;

	memset(page, 0xcc, PAGE);
	memcpy(page, bytes, len);
	memcpy(page + len, back, sizeof(back));
	memcpy(page + len + sizeof(back), &back_addr, 8);
	memcpy(emu_copy, page, 2 * PAGE);

	memset(&r, 0, sizeof(r));
	memcpy(r.gpr, start->gpr, sizeof(r.gpr));
	r.rflags = start->rflags;
	r.rip = (uintptr_t)page;
	r.mode = HV_X86_MODE_LONG64;
	st = hv_x86_emulate(&r, &copy_ops, NULL, &exc);

	emu_native_run(&cpu, page);
	cases++;

	bool same = st == HV_X86_EMU_DONE && r.rip == (uintptr_t)page + len &&
		    ((r.rflags ^ cpu.rflags) &
		     (HV_X86_RFLAGS_ARITH | HV_X86_RFLAGS_DF)) == 0 &&
		    memcmp(emu_copy + PAGE, page + PAGE, PAGE) == 0;

	for (unsigned int i = 0; i < 16; i++)
		same = same && (i == 4 || r.gpr[i] == cpu.gpr[i]);
	if (same)
		return;
	if (mismatches++ < 20) {
		printf("mismatch: %s:", what);
		for (unsigned int i = 0; i < len; i++)
			printf(" %02x", bytes[i]);
		printf("\n  status %d (vector %d) rflags emu %#llx cpu %#llx\n",
		       st, exc.vector, (unsigned long long)r.rflags,
		       (unsigned long long)cpu.rflags);
		for (unsigned int i = 0; i < 16; i++)
			if (r.gpr[i] != cpu.gpr[i] && i != 4)
				printf("  gpr %u emu %#llx cpu %#llx\n", i,
				       (unsigned long long)r.gpr[i],
				       (unsigned long long)cpu.gpr[i]);
		for (unsigned int i = 0; i < PAGE; i++)
			if (emu_copy[PAGE + i] != page[PAGE + i])
				printf("  data[%u] emu %02x cpu %02x\n", i,
				       emu_copy[PAGE + i], page[PAGE + i]);
	}
}

/* Every value pair and flag set for one encoding. */
static void sweep(const char *what, const struct tmpl *t,
		  const struct encoded *e)
{
	uint8_t bytes[16];
	struct native n;

	for (size_t a = 0; a < NVALUES; a++)
		for (size_t b = 0; b < NVALUES; b++)
			for (size_t f = 0; f < 3; f++) {
				base_regs(&n);
				n.rflags = flags_in[f];
				memcpy(bytes, e->b, e->len);
				if (t->imm) /* the immediate is b */
					memcpy(bytes + e->imm_pos, &values[b],
					       e->len - e->imm_pos);
				else if (t->ext < 0)
					n.gpr[e->reg] = values[b];
				/* the r/m operand is a */
				n.gpr[e->rm_reg] = values[a];
				memcpy(page + PAGE + DATA_OFF, &values[a], 8);
				/* compare() rewrites the code page only */
				compare(what, bytes, e->len, &n);
			}
}

static void sizes_of(const struct tmpl *t, unsigned int *sizes,
		     unsigned int *count)
{
	static const unsigned int all[3] = {2, 4, 8};

	if (t->byte) {
		sizes[0] = 1;
		*count = 1;
	} else {
		memcpy(sizes, all, sizeof(all));
		*count = 3;
	}
}

static void run_template(const char *what, const struct tmpl *t)
{
	unsigned int sizes[3], count;
	struct encoded e;

	sizes_of(t, sizes, &count);
	for (unsigned int s = 0; s < count; s++)
		for (int form = 0; form < F_COUNT; form++) {
			encode(t, sizes[s], (enum form)form, false, &e);
			sweep(what, t, &e);
			if (t->lock && form < F_REG) {
				encode(t, sizes[s], (enum form)form, true, &e);
				sweep(what, t, &e);
			}
		}
}

/* op %al/%ax/%eax/%rax, imm: no ModRM. */
static void acc_imm(unsigned int op)
{
	static const unsigned int sizes[4] = {1, 2, 4, 8};

	for (unsigned int s = 0; s < 4; s++) {
		unsigned int size = sizes[s], n = 0,
			     imm = size == 1   ? 1
				   : size == 2 ? 2
					       : 4;
		uint8_t b[8];
		struct native st;

		if (size == 2)
			b[n++] = 0x66;
		if (size == 8)
			b[n++] = 0x48;
		b[n++] = (uint8_t)(op << 3 | (size == 1 ? 4 : 5));
		for (size_t a = 0; a < NVALUES; a++)
			for (size_t v = 0; v < NVALUES; v++)
				for (size_t f = 0; f < 3; f++) {
					memcpy(b + n, &values[v], imm);
					base_regs(&st);
					st.gpr[0] = values[a];
					st.rflags = flags_in[f];
					compare("acc-imm", b, n + imm, &st);
				}
	}
}

static void alu_block(void **state)
{
	static const char *names[8] = {"add", "or",  "adc", "sbb",
				       "and", "sub", "xor", "cmp"};

	(void)state;
	mismatches = 0;
	for (unsigned int op = 0; op < 8; op++)
		for (unsigned int form = 0; form < 4; form++) {
			struct tmpl t = {{(uint8_t)(op << 3 | form)},
					 1,
					 -1,
					 0,
					 !(form & 1),
					 form < 2 && op != 7,
					 false};

			run_template(names[op], &t);
		}
	for (unsigned int op = 0; op < 8; op++)
		acc_imm(op);
	assert_int_equal(mismatches, 0);
}

static void group1(void **state)
{
	(void)state;
	mismatches = 0;
	for (int ext = 0; ext < 8; ext++) {
		struct tmpl t80 = {{0x80}, 1, ext, 1, true, ext != 7, false};
		struct tmpl t81 = {{0x81}, 1, ext, 'z', false, ext != 7, false};
		struct tmpl t83 = {{0x83}, 1, ext, 1, false, ext != 7, false};

		run_template("80", &t80);
		run_template("81", &t81);
		run_template("83", &t83);
	}
	assert_int_equal(mismatches, 0);
}

static void others(void **state)
{
	static const struct tmpl ts[] = {
	    {{0x84}, 1, -1, 0, true, false, false}, /* test */
	    {{0x85}, 1, -1, 0, false, false, false},
	    {{0x86}, 1, -1, 0, true, true, false}, /* xchg */
	    {{0x87}, 1, -1, 0, false, true, false},
	    {{0x88}, 1, -1, 0, true, false, false}, /* mov */
	    {{0x89}, 1, -1, 0, false, false, false},
	    {{0x8a}, 1, -1, 0, true, false, false},
	    {{0x8b}, 1, -1, 0, false, false, false},
	    {{0xc6}, 1, 0, 1, true, false, false},
	    {{0xc7}, 1, 0, 'z', false, false, false},
	    {{0xf6}, 1, 0, 1, true, false, false}, /* test imm */
	    {{0xf7}, 1, 0, 'z', false, false, false},
	    {{0xf6}, 1, 1, 1, true, false, false}, /* test imm (/1) */
	    {{0xf7}, 1, 1, 'z', false, false, false},
	    {{0xf6}, 1, 2, 0, true, true, false}, /* not */
	    {{0xf7}, 1, 2, 0, false, true, false},
	    {{0xf6}, 1, 3, 0, true, true, false}, /* neg */
	    {{0xf7}, 1, 3, 0, false, true, false},
	    {{0xfe}, 1, 0, 0, true, true, false}, /* inc */
	    {{0xff}, 1, 0, 0, false, true, false},
	    {{0xfe}, 1, 1, 0, true, true, false}, /* dec */
	    {{0xff}, 1, 1, 0, false, true, false},
	    {{0x0f, 0xb6}, 2, -1, 0, false, false, false}, /* movzx */
	    {{0x0f, 0xb7}, 2, -1, 0, false, false, false},
	    {{0x0f, 0xbe}, 2, -1, 0, false, false, false}, /* movsx */
	    {{0x0f, 0xbf}, 2, -1, 0, false, false, false},
	    {{0x63}, 1, -1, 0, false, false, false}, /* movsxd */
	};

	(void)state;
	mismatches = 0;
	for (size_t i = 0; i < sizeof(ts) / sizeof(ts[0]); i++)
		run_template("other", &ts[i]);
	assert_int_equal(mismatches, 0);
}

/* a0-a3 with a 64- and a 32-bit moffs. */
static void moffs(void **state)
{
	static const unsigned int sizes[4] = {1, 2, 4, 8};

	(void)state;
	mismatches = 0;
	for (unsigned int op = 0xa0; op <= 0xa3; op++)
		for (unsigned int s = 0; s < 4; s++)
			for (unsigned int a32 = 0; a32 < 2; a32++) {
				unsigned int size = sizes[s], n = 0;
				uint64_t addr =
				    (uintptr_t)page + PAGE + DATA_OFF;
				uint8_t b[16];
				struct native st;

				if ((op & 1) == (size == 1))
					continue;
				if (a32)
					b[n++] = 0x67;
				if (size == 2)
					b[n++] = 0x66;
				if (size == 8)
					b[n++] = 0x48;
				b[n++] = (uint8_t)op;
				memcpy(b + n, &addr, a32 ? 4 : 8);
				n += a32 ? 4 : 8;
				for (size_t v = 0; v < NVALUES; v++) {
					base_regs(&st);
					st.gpr[0] = values[NVALUES - 1 - v];
					st.rflags = 0x202;
					memcpy(page + PAGE + DATA_OFF,
					       &values[v], 8);
					compare("moffs", b, n, &st);
				}
			}
	assert_int_equal(mismatches, 0);
}

/* movs, stos, lods: each size, REP or not, both directions, counts. */
static void strings(void **state)
{
	static const uint8_t ops[3] = {0xa4, 0xaa, 0xac};
	static const unsigned int sizes[4] = {1, 2, 4, 8};
	static const uint64_t counts[4] = {0, 1, 3, 7};

	(void)state;
	mismatches = 0;
	for (unsigned int o = 0; o < 3; o++)
		for (unsigned int s = 0; s < 4; s++)
			for (unsigned int rep = 0; rep < 3; rep++)
				for (unsigned int c = 0; c < 4; c++)
					for (unsigned int df = 0; df < 2;
					     df++) {
						unsigned int size = sizes[s],
							     n = 0;
						uint8_t b[8];
						struct native st;

						if (rep == 1)
							b[n++] = 0xf3;
						if (rep == 2)
							b[n++] =
							    0x67; /* ESI, EDI,
								     ECX */
						if (rep == 2)
							b[n++] = 0xf3;
						if (size == 2)
							b[n++] = 0x66;
						if (size == 8)
							b[n++] = 0x48;
						b[n++] = (uint8_t)(ops[o] |
								   (size > 1));
						base_regs(&st);
						st.rflags =
						    0x202 |
						    (df ? HV_X86_RFLAGS_DF : 0);
						st.gpr[1] =
						    counts[c] |
						    (rep == 2 ? 0xabc00000000ull
							      : 0);
						st.gpr[6] = (uintptr_t)page +
							    PAGE + 0x400;
						st.gpr[7] = (uintptr_t)page +
							    PAGE + 0x800;
						if (rep == 2) {
							st.gpr[6] |=
							    0xdef00000000ull;
							st.gpr[7] |=
							    0x12300000000ull;
						}
						st.gpr[0] =
						    0x8877665544332211ull;
						for (unsigned int i = 0;
						     i < 0x100; i++)
							page[PAGE + 0x3c0 + i] =
							    (uint8_t)(i * 7 +
								      3);
						compare("string", b, n, &st);
					}
	assert_int_equal(mismatches, 0);
}

static int setup(void **state)
{
	(void)state;
	page = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	return page == MAP_FAILED ? -1 : 0;
}

static int report(void **state)
{
	(void)state;
	printf("differential: %u cases\n", cases);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(alu_block), cmocka_unit_test(group1),
	    cmocka_unit_test(others),	 cmocka_unit_test(moffs),
	    cmocka_unit_test(strings),
	};

	return cmocka_run_group_tests(tests, setup, report);
}
#else
int main(void)
{
	return 77; /* not an x86_64 Linux host: nothing to compare with */
}
#endif
