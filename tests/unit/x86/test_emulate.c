/* The instruction emulator with hand-checked expectations: what the host
 * CPU cannot run natively (16- and 32-bit code, segment bases) or what a
 * differential test would not reach (exceptions, REP limits, faults part
 * way, page-crossing fetches).  test_emulate_native.c compares the rest
 * with the CPU itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <hv/x86_emulate.h>
#include <hv/x86_svm.h>

#include "emu_mem.h"

#define CODE 0x1000u
#define DATA 0x8000u

#define CF HV_X86_RFLAGS_CF
#define PF HV_X86_RFLAGS_PF
#define AF HV_X86_RFLAGS_AF
#define ZF HV_X86_RFLAGS_ZF
#define SF HV_X86_RFLAGS_SF
#define OF HV_X86_RFLAGS_OF
#define DF HV_X86_RFLAGS_DF

static struct emu_mem mem;
static struct hv_x86_emu_regs regs;
static struct hv_x86_emu_exception exc;

static void reset(enum hv_x86_mode mode)
{
	memset(&mem, 0, sizeof(mem));
	memset(&regs, 0, sizeof(regs));
	memset(&exc, 0, sizeof(exc));
	regs.mode = mode;
	regs.rip = CODE;
	regs.rflags = 0x2;
}

static enum hv_x86_emu_status run_bytes(const uint8_t *b, size_t n)
{
	uint64_t at = regs.mode == HV_X86_MODE_LONG64
			  ? regs.rip
			  : regs.seg_base[HV_X86_SEG_CS] + regs.rip;

	memcpy(mem.bytes + at, b, n);
	return hv_x86_emulate(&regs, &emu_mem_ops, &mem, &exc);
}

#define BYTES(...) ((const uint8_t[]){__VA_ARGS__})
#define RUN(...)                                                               \
	run_bytes(BYTES(__VA_ARGS__), sizeof((const uint8_t[]){__VA_ARGS__}))
#define OK(len, ...)                                                           \
	do {                                                                   \
		uint64_t rip_ = regs.rip;                                      \
		assert_int_equal(RUN(__VA_ARGS__), HV_X86_EMU_DONE);           \
		assert_true(regs.rip == rip_ + (len));                         \
	} while (0)
#define RAISES(vec, ...)                                                       \
	do {                                                                   \
		assert_int_equal(RUN(__VA_ARGS__), HV_X86_EMU_EXCEPTION);      \
		assert_int_equal(exc.vector, vec);                             \
	} while (0)

static uint64_t peek(uint64_t at, unsigned int size)
{
	uint64_t v = 0;

	memcpy(&v, mem.bytes + at, size);
	return v;
}

static void poke(uint64_t at, uint64_t v, unsigned int size)
{
	memcpy(mem.bytes + at, &v, size);
}

#define ARITH(flags) assert_int_equal(regs.rflags &HV_X86_RFLAGS_ARITH, flags)

static void mov_64(void **state)
{
	(void)state;
	reset(HV_X86_MODE_LONG64);
	poke(DATA, 0x1122334455667788ull, 8);
	/* mov (%rsi),%edx: a 32-bit load zero-extends */
	regs.gpr[HV_X86_RSI] = DATA;
	regs.gpr[HV_X86_RDX] = UINT64_MAX;
	OK(2, 0x8b, 0x16);
	assert_true(regs.gpr[HV_X86_RDX] == 0x55667788);
	/* mov %r9,0x10(%rbx): REX.W|REX.R */
	regs.gpr[HV_X86_R9] = 0x0102030405060708ull;
	regs.gpr[HV_X86_RBX] = DATA;
	OK(4, 0x4c, 0x89, 0x4b, 0x10);
	assert_true(peek(DATA + 0x10, 8) == 0x0102030405060708ull);
	/* mov %bh,(%rax); with any REX, register 7 is %dil */
	regs.gpr[HV_X86_RAX] = DATA + 0x20;
	regs.gpr[HV_X86_RBX] = 0xab00;
	regs.gpr[HV_X86_RDI] = 0xcd;
	OK(2, 0x88, 0x38);
	assert_int_equal(peek(DATA + 0x20, 1), 0xab);
	OK(3, 0x40, 0x88, 0x38);
	assert_int_equal(peek(DATA + 0x20, 1), 0xcd);
	/* movq $-2,(%rax): a 32-bit immediate, sign-extended */
	OK(7, 0x48, 0xc7, 0x00, 0xfe, 0xff, 0xff, 0xff);
	assert_true(peek(DATA + 0x20, 8) == 0xfffffffffffffffeull);
	/* movw $0x1234,(%rax) */
	OK(5, 0x66, 0xc7, 0x00, 0x34, 0x12);
	assert_true(peek(DATA + 0x20, 8) == 0xffffffffffff1234ull);
	/* movabs DATA,%rax */
	OK(10, 0x48, 0xa1, DATA & 0xff, DATA >> 8, 0, 0, 0, 0, 0, 0);
	assert_true(regs.gpr[HV_X86_RAX] == 0x1122334455667788ull);
	/* movabs %al,DATA+0x30 */
	OK(9, 0xa2, 0x30, DATA >> 8, 0, 0, 0, 0, 0, 0);
	assert_int_equal(peek(DATA + 0x30, 1), 0x88);
	/* movzbl, movswq, movslq */
	regs.gpr[HV_X86_RSI] = DATA;
	OK(3, 0x0f, 0xb6, 0x0e);
	assert_true(regs.gpr[HV_X86_RCX] == 0x88);
	poke(DATA + 0x40, 0x8001, 2);
	regs.gpr[HV_X86_RSI] = DATA + 0x40;
	OK(4, 0x48, 0x0f, 0xbf, 0x0e);
	assert_true(regs.gpr[HV_X86_RCX] == 0xffffffffffff8001ull);
	poke(DATA + 0x40, 0x80000000, 4);
	OK(3, 0x48, 0x63, 0x0e);
	assert_true(regs.gpr[HV_X86_RCX] == 0xffffffff80000000ull);
	/* movsxd without REX.W is a plain 32-bit load */
	regs.gpr[HV_X86_RCX] = UINT64_MAX;
	OK(2, 0x63, 0x0e);
	assert_true(regs.gpr[HV_X86_RCX] == 0x80000000ull);
}

static void addressing_64(void **state)
{
	(void)state;
	reset(HV_X86_MODE_LONG64);
	poke(DATA, 0xdeadbeef, 4);
	/* mov DATA(%rip),%eax: relative to the next instruction */
	uint32_t disp = DATA - (CODE + 6);
	OK(6, 0x8b, 0x05, disp & 0xff, (disp >> 8) & 0xff, disp >> 16, 0);
	assert_true(regs.gpr[HV_X86_RAX] == 0xdeadbeef);
	/* mov (%rbx,%r12,4),%eax: R12 is an index (REX.X), RSP is not */
	regs.gpr[HV_X86_RBX] = DATA - 8;
	regs.gpr[HV_X86_R12] = 2;
	regs.gpr[HV_X86_RAX] = 0;
	OK(4, 0x42, 0x8b, 0x04, 0xa3);
	assert_true(regs.gpr[HV_X86_RAX] == 0xdeadbeef);
	regs.gpr[HV_X86_RSP] = 0x1000000;
	regs.gpr[HV_X86_RBX] = DATA;
	regs.gpr[HV_X86_RAX] = 0;
	OK(3, 0x8b, 0x04, 0x23); /* (%rbx,%riz) */
	assert_true(regs.gpr[HV_X86_RAX] == 0xdeadbeef);
	/* mov (%ebx),%eax: a 32-bit address drops the upper half */
	regs.gpr[HV_X86_RBX] = 0xffffffff00000000ull | DATA;
	regs.gpr[HV_X86_RAX] = 0;
	OK(3, 0x67, 0x8b, 0x03);
	assert_true(regs.gpr[HV_X86_RAX] == 0xdeadbeef);
	/* REX before a legacy prefix is ignored: a 16-bit store */
	regs.gpr[HV_X86_RAX] = DATA + 0x10;
	regs.gpr[HV_X86_RCX] = 0x1122334455667788ull;
	OK(4, 0x48, 0x66, 0x89, 0x08);
	assert_true(peek(DATA + 0x10, 8) == 0x7788);
	/* fs: adds FS's base; es: is ignored in 64-bit mode */
	regs.seg_base[HV_X86_SEG_FS] = 0x100;
	regs.seg_base[HV_X86_SEG_ES] = 0x100;
	poke(DATA + 0x100, 0x5a, 1);
	regs.gpr[HV_X86_RAX] = DATA;
	OK(3, 0x64, 0x8a, 0x08);
	assert_int_equal(regs.gpr[HV_X86_RCX] & 0xff, 0x5a);
	OK(3, 0x26, 0x8a, 0x08);
	assert_int_equal(regs.gpr[HV_X86_RCX] & 0xff, 0xef);
}

static void mov_32(void **state)
{
	(void)state;
	reset(HV_X86_MODE_PROT32);
	/* movl $0x04030201,8(%ebx,%ecx,4) */
	regs.gpr[HV_X86_RBX] = DATA;
	regs.gpr[HV_X86_RCX] = 2;
	OK(8, 0xc7, 0x44, 0x8b, 0x08, 1, 2, 3, 4);
	assert_true(peek(DATA + 16, 4) == 0x04030201);
	/* mov %cx,(%eax): the operand-size prefix */
	regs.gpr[HV_X86_RAX] = DATA + 0x20;
	regs.gpr[HV_X86_RCX] = 0xaabbccdd;
	OK(3, 0x66, 0x89, 0x08);
	assert_true(peek(DATA + 0x20, 4) == 0xccdd);
	/* mov (%bx),%eax: the address-size prefix gives 16-bit forms */
	regs.gpr[HV_X86_RBX] = 0x10000 | (DATA + 0x20);
	OK(3, 0x67, 0x8b, 0x07);
	assert_true(regs.gpr[HV_X86_RAX] == 0xccdd);
	/* mov DATA,%eax: moffs of 4 bytes; CS and DS bases apply */
	regs.seg_base[HV_X86_SEG_DS] = 0x20;
	regs.seg_base[HV_X86_SEG_CS] = 0x10000;
	regs.rip = CODE;
	OK(5, 0xa1, DATA & 0xff, DATA >> 8, 0, 0);
	assert_true(regs.gpr[HV_X86_RAX] == 0xccdd);
	/* 82 is 80 outside 64-bit mode: addb $5,(%eax) */
	regs.seg_base[HV_X86_SEG_DS] = 0;
	regs.gpr[HV_X86_RAX] = DATA + 0x20;
	OK(3, 0x82, 0x00, 0x05);
	assert_true(peek(DATA + 0x20, 1) == 0xe2);
	/* 63 is ARPL here: not emulated */
	RAISES(HV_X86_EXC_UD, 0x63, 0x08);
	/* A linear address wraps at 4 GiB */
	regs.seg_base[HV_X86_SEG_DS] = 0xffffff00;
	regs.gpr[HV_X86_RAX] = 0x120 + DATA;
	OK(2, 0x8b, 0x00);
	assert_true(regs.gpr[HV_X86_RAX] == 0xcce2);
}

static void mov_16(void **state)
{
	(void)state;
	reset(HV_X86_MODE_PROT16);
	poke(DATA, 0x44332211, 4);
	/* mov 2(%bp),%ax: through SS */
	regs.seg_base[HV_X86_SEG_SS] = 0x100;
	regs.gpr[HV_X86_RBP] = DATA - 0x102;
	regs.gpr[HV_X86_RAX] = 0xffff0000;
	OK(3, 0x8b, 0x46, 0x02);
	assert_true(regs.gpr[HV_X86_RAX] == 0xffff2211);
	/* es: mov 0x1234,%ax */
	regs.seg_base[HV_X86_SEG_ES] = DATA - 0x1234;
	OK(5, 0x26, 0x8b, 0x06, 0x34, 0x12);
	assert_true(regs.gpr[HV_X86_RAX] == 0xffff2211);
	/* mov (%bx,%si),%eax: operand-size prefix; 16-bit sums wrap */
	regs.gpr[HV_X86_RBX] = 0xfff0;
	regs.gpr[HV_X86_RSI] = DATA + 0x10;
	OK(3, 0x66, 0x8b, 0x00);
	assert_true(regs.gpr[HV_X86_RAX] == 0x44332211);
	/* mov (%ebx),%cx: address-size prefix, 32-bit forms */
	regs.gpr[HV_X86_RBX] = DATA + 1;
	OK(3, 0x67, 0x8b, 0x0b);
	assert_true(regs.gpr[HV_X86_RCX] == 0x3322);
	/* Real mode decodes alike; IP wraps at 64 KiB */
	reset(HV_X86_MODE_REAL);
	poke(DATA, 0x7788, 2);
	regs.seg_base[HV_X86_SEG_CS] = 0x10000;
	regs.seg_base[HV_X86_SEG_DS] = DATA - 0x10;
	regs.gpr[HV_X86_RBX] = 0x10;
	OK(2, 0x8b, 0x07);
	assert_true(regs.gpr[HV_X86_RAX] == 0x7788);
	regs.rip = 0xfffe;
	assert_int_equal(RUN(0x8b, 0x07), HV_X86_EMU_DONE);
	assert_true(regs.rip == 0);
}

static void arithmetic(void **state)
{
	(void)state;
	reset(HV_X86_MODE_LONG64);
	/* add $1,%al: 0x7f + 1 overflows into the sign */
	regs.gpr[HV_X86_RAX] = 0x7f;
	OK(2, 0x04, 0x01);
	assert_true(regs.gpr[HV_X86_RAX] == 0x80);
	ARITH(OF | SF | AF);
	/* sub $1,%al: 0 - 1 borrows */
	regs.gpr[HV_X86_RAX] = 0x100;
	OK(2, 0x2c, 0x01);
	assert_true(regs.gpr[HV_X86_RAX] == 0x1ff);
	ARITH(CF | SF | AF | PF);
	/* adc $0,%al with CF: 0xff + 0 + 1 */
	regs.gpr[HV_X86_RAX] = 0xff;
	regs.rflags |= CF;
	OK(2, 0x14, 0x00);
	assert_true(regs.gpr[HV_X86_RAX] == 0);
	ARITH(CF | ZF | AF | PF);
	/* sbb %ecx,%eax with CF: 0 - 0 - 1 */
	regs.gpr[HV_X86_RCX] = 0;
	OK(2, 0x19, 0xc8);
	assert_true(regs.gpr[HV_X86_RAX] == 0xffffffff);
	ARITH(CF | SF | AF | PF);
	/* cmp $5,%al: flags only */
	regs.gpr[HV_X86_RAX] = 5;
	OK(2, 0x3c, 0x05);
	assert_true(regs.gpr[HV_X86_RAX] == 5);
	ARITH(ZF | PF);
	/* xor clears CF, OF and AF */
	regs.rflags |= HV_X86_RFLAGS_ARITH;
	OK(2, 0x34, 0x05);
	ARITH(ZF | PF);
	/* addl $1,(%rax) on 0xffffffff: a read-modify-write */
	regs.gpr[HV_X86_RAX] = DATA;
	poke(DATA, 0xffffffff, 4);
	OK(3, 0x83, 0x00, 0x01);
	assert_true(peek(DATA, 8) == 0);
	ARITH(CF | ZF | AF | PF);
	assert_int_equal(mem.reads, 1);
	assert_int_equal(mem.writes, 1);
	/* testb $0x80,(%rax); cmp (%rax),%cl: no write */
	poke(DATA, 0x80, 1);
	OK(3, 0xf6, 0x00, 0x80);
	ARITH(SF);
	regs.gpr[HV_X86_RCX] = 0x81;
	OK(2, 0x3a, 0x08);
	ARITH(0);
	assert_int_equal(mem.writes, 1);
	/* negl (%rax) of 1; notl (%rax) leaves the flags */
	poke(DATA, 1, 4);
	OK(2, 0xf7, 0x18);
	assert_true(peek(DATA, 4) == 0xffffffff);
	ARITH(CF | SF | AF | PF);
	OK(2, 0xf7, 0x10);
	assert_true(peek(DATA, 4) == 0);
	ARITH(CF | SF | AF | PF);
	/* incl (%rax) of 0xffffffff keeps CF; decb (%rax) of 0x80 overflows */
	regs.rflags &= ~CF;
	poke(DATA, 0xffffffff, 4);
	OK(2, 0xff, 0x00);
	assert_true(peek(DATA, 4) == 0);
	ARITH(ZF | AF | PF);
	poke(DATA, 0x80, 1);
	OK(3, 0xf0, 0xfe, 0x08);
	assert_true(peek(DATA, 1) == 0x7f);
	ARITH(OF | AF);
	/* xchg %ecx,(%rax) */
	poke(DATA, 0x12345678, 4);
	regs.gpr[HV_X86_RCX] = 0xffffffff87654321ull;
	OK(2, 0x87, 0x08);
	assert_true(peek(DATA, 4) == 0x87654321);
	assert_true(regs.gpr[HV_X86_RCX] == 0x12345678);
}

static void lock_prefix(void **state)
{
	(void)state;
	reset(HV_X86_MODE_LONG64);
	regs.gpr[HV_X86_RAX] = DATA;
	OK(3, 0xf0, 0x01, 0x08);		 /* lock add %ecx,(%rax) */
	OK(3, 0xf0, 0xf6, 0x10);		 /* lock notb (%rax) */
	OK(3, 0xf0, 0x87, 0x08);		 /* lock xchg */
	OK(4, 0xf0, 0x80, 0x30, 0x01);		 /* lock xorb $1,(%rax) */
	RAISES(HV_X86_EXC_UD, 0xf0, 0x01, 0xc8); /* a register */
	RAISES(HV_X86_EXC_UD, 0xf0, 0x39, 0x08); /* cmp */
	RAISES(HV_X86_EXC_UD, 0xf0, 0x80, 0x38, 0x01); /* cmpb $1 */
	RAISES(HV_X86_EXC_UD, 0xf0, 0x8b, 0x08);       /* mov */
	RAISES(HV_X86_EXC_UD, 0xf0, 0xf6, 0x00, 0x01); /* test */
	RAISES(HV_X86_EXC_UD, 0xf0, 0xaa);	       /* stos */
	RAISES(HV_X86_EXC_UD, 0xf0, 0x03, 0x08);       /* add to a reg */
	assert_false(exc.has_error_code);
}

static void exceptions(void **state)
{
	struct hv_x86_emu_regs before;

	(void)state;
	reset(HV_X86_MODE_LONG64);
	RAISES(HV_X86_EXC_UD, 0x0f, 0x0b);	 /* ud2 */
	RAISES(HV_X86_EXC_UD, 0xf6, 0x20);	 /* mulb (%rax) */
	RAISES(HV_X86_EXC_UD, 0xc6, 0x08, 0x00); /* c6 /1 */
	RAISES(HV_X86_EXC_UD, 0x82, 0x00, 0x01); /* 82: invalid here */
	RAISES(HV_X86_EXC_UD, 0x27);		 /* daa */
	RAISES(HV_X86_EXC_UD, 0xff, 0x10);	 /* call *(%rax) */
	RAISES(HV_X86_EXC_UD, 0xfe, 0x10);	 /* fe /2: undefined */
	RAISES(HV_X86_EXC_UD, 0x0f, 0xb8, 0x00); /* 0f b8: not ours */
	/* 16 bytes: too long */
	RAISES(HV_X86_EXC_GP, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	       0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x8b, 0x00);
	assert_true(exc.has_error_code);
	assert_int_equal(exc.error_code, 0);
	/* Non-canonical: #GP, or #SS through RBP; FS's base counts */
	regs.gpr[HV_X86_RAX] = 0x0000800000000000ull;
	RAISES(HV_X86_EXC_GP, 0x8b, 0x00);
	regs.gpr[HV_X86_RBP] = 0xffff7fffffffffffull;
	RAISES(HV_X86_EXC_SS, 0x8b, 0x45, 0x00);
	regs.gpr[HV_X86_RAX] = 0x00007fffffffffffull;
	regs.seg_base[HV_X86_SEG_FS] = 1;
	RAISES(HV_X86_EXC_GP, 0x64, 0x8b, 0x00);
	assert_int_equal(mem.reads + mem.writes, 0);
	/* A page fault from the callback: nothing changes */
	regs.gpr[HV_X86_RAX] = DATA;
	regs.rflags = 0x2;
	mem.fault_page = DATA;
	before = regs;
	RAISES(HV_X86_EXC_PF, 0x83, 0x00, 0x01);
	assert_true(exc.cr2 == DATA);
	assert_memory_equal(&regs, &before, sizeof(regs));
}

static void fetch_across_pages(void **state)
{
	(void)state;
	reset(HV_X86_MODE_LONG64);
	/* mov 4(%rax),%ecx from 0x1ffe: the disp8 is on the next page */
	regs.rip = 0x1ffe;
	regs.gpr[HV_X86_RAX] = DATA;
	poke(DATA + 4, 0x99, 4);
	OK(3, 0x8b, 0x48, 0x04);
	assert_true(regs.gpr[HV_X86_RCX] == 0x99);
	assert_int_equal(mem.fetches, 2);
	/* With that page faulting, only an instruction that ends before it
	 * runs */
	mem.fault_page = 0x2000;
	regs.rip = 0x1ffd;
	OK(3, 0x8b, 0x48, 0x04);
	regs.rip = 0x1ffe;
	RAISES(HV_X86_EXC_PF, 0x8b, 0x48, 0x04);
	assert_true(exc.cr2 == 0x2000);
	assert_true(regs.rip == 0x1ffe);
}

static void strings(void **state)
{
	(void)state;
	reset(HV_X86_MODE_LONG64);
	/* rep stosb */
	regs.gpr[HV_X86_RAX] = 0xaa;
	regs.gpr[HV_X86_RDI] = DATA;
	regs.gpr[HV_X86_RCX] = 5;
	OK(2, 0xf3, 0xaa);
	assert_true(peek(DATA, 8) == 0xaaaaaaaaaaull);
	assert_true(regs.gpr[HV_X86_RCX] == 0);
	assert_true(regs.gpr[HV_X86_RDI] == DATA + 5);
	/* rcx = 0: nothing */
	OK(2, 0xf3, 0xaa);
	assert_int_equal(mem.writes, 5);
	/* std; rep movsl backwards */
	poke(DATA + 0x100, 0x1111111122222222ull, 8);
	regs.rflags |= DF;
	regs.gpr[HV_X86_RSI] = DATA + 0x104;
	regs.gpr[HV_X86_RDI] = DATA + 0x204;
	regs.gpr[HV_X86_RCX] = 2;
	OK(2, 0xf3, 0xa5);
	assert_true(peek(DATA + 0x200, 8) == 0x1111111122222222ull);
	assert_true(regs.gpr[HV_X86_RSI] == DATA + 0xfc);
	assert_true(regs.gpr[HV_X86_RDI] == DATA + 0x1fc);
	/* lodsw, forwards; fs: applies to the source */
	regs.rflags = 0x2;
	regs.seg_base[HV_X86_SEG_FS] = 0x100;
	regs.gpr[HV_X86_RSI] = DATA;
	regs.gpr[HV_X86_RAX] = 0xffffffffffff0000ull;
	OK(3, 0x64, 0x66, 0xad);
	assert_true(regs.gpr[HV_X86_RAX] == 0xffffffffffff2222ull);
	assert_true(regs.gpr[HV_X86_RSI] == DATA + 2);
	/* A 32-bit address size counts in ECX and clears RCX's top */
	regs.gpr[HV_X86_RCX] = 0xffffffff00000002ull;
	regs.gpr[HV_X86_RDI] = 0xffffffff00000000ull | (DATA + 0x300);
	OK(3, 0xf3, 0x67, 0xaa);
	assert_true(regs.gpr[HV_X86_RCX] == 0);
	assert_true(regs.gpr[HV_X86_RDI] == DATA + 0x302);
	assert_true(peek(DATA + 0x300, 2) == 0x2222);
}

static void strings_16(void **state)
{
	(void)state;
	reset(HV_X86_MODE_PROT16);
	/* rep stosb: DI wraps within ES, RDI's upper bits stay */
	regs.seg_base[HV_X86_SEG_ES] = DATA;
	regs.gpr[HV_X86_RDI] = 0x5000ffff;
	regs.gpr[HV_X86_RCX] = 0x70000003;
	regs.gpr[HV_X86_RAX] = 0x11;
	OK(2, 0xf3, 0xaa);
	assert_true(regs.gpr[HV_X86_RDI] == 0x50000002);
	assert_true(regs.gpr[HV_X86_RCX] == 0x70000000);
	assert_true(peek(DATA, 2) == 0x1111);
	assert_true(peek(DATA + 0xffff, 1) == 0x11);
}

static void rep_stops(void **state)
{
	(void)state;
	reset(HV_X86_MODE_LONG64);
	/* Past HV_X86_EMU_MAX_REPS: retry, counting what was done */
	regs.gpr[HV_X86_RDI] = DATA;
	regs.gpr[HV_X86_RCX] = HV_X86_EMU_MAX_REPS + 3;
	assert_int_equal(RUN(0xf3, 0xaa), HV_X86_EMU_RETRY);
	assert_true(regs.gpr[HV_X86_RCX] == 3);
	assert_true(regs.gpr[HV_X86_RDI] == DATA + HV_X86_EMU_MAX_REPS);
	assert_true(regs.rip == CODE);
	OK(2, 0xf3, 0xaa);
	/* A fault part way: the iterations done stay done */
	mem.fault_page = 0xa000;
	regs.rip = CODE;
	regs.gpr[HV_X86_RDI] = 0x9ffe;
	regs.gpr[HV_X86_RCX] = 5;
	RAISES(HV_X86_EXC_PF, 0xf3, 0xaa);
	assert_true(exc.cr2 == 0xa000);
	assert_true(regs.gpr[HV_X86_RCX] == 3);
	assert_true(regs.gpr[HV_X86_RDI] == 0xa000);
	assert_true(regs.rip == CODE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(mov_64),	  cmocka_unit_test(addressing_64),
	    cmocka_unit_test(mov_32),	  cmocka_unit_test(mov_16),
	    cmocka_unit_test(arithmetic), cmocka_unit_test(lock_prefix),
	    cmocka_unit_test(exceptions), cmocka_unit_test(fetch_across_pages),
	    cmocka_unit_test(strings),	  cmocka_unit_test(strings_16),
	    cmocka_unit_test(rep_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
