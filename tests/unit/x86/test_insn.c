/* The MOV-family decoder: every opcode, prefix and addressing form it
 * takes, what it refuses, and how loads and stores apply. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <hv/error.h>
#include <hv/x86_insn.h>
#include <hv/x86_svm.h>

#define BYTES(...) ((const uint8_t[]){__VA_ARGS__})
#define DECODE(mode, out, ...)                                                 \
	hv_x86_decode_mov(BYTES(__VA_ARGS__),                                  \
			  sizeof((const uint8_t[]){__VA_ARGS__}), mode, out)

static const enum hv_x86_mode M64 = HV_X86_MODE_LONG64;
static const enum hv_x86_mode M32 = HV_X86_MODE_PROT32;
static const enum hv_x86_mode M16 = HV_X86_MODE_PROT16;

static void mov_register_to_memory(void **state)
{
	struct hv_x86_mov m;

	(void)state;
	/* mov %ecx, (%rax) */
	assert_int_equal(DECODE(M64, &m, 0x89, 0x08), 0);
	assert_int_equal(m.len, 2);
	assert_int_equal(m.size, 4);
	assert_true(m.write);
	assert_false(m.has_imm);
	assert_int_equal(m.reg, HV_X86_RCX);
	/* mov %r9, 0x10(%rbx): REX.W|REX.R */
	assert_int_equal(DECODE(M64, &m, 0x4c, 0x89, 0x4b, 0x10), 0);
	assert_int_equal(m.len, 4);
	assert_int_equal(m.size, 8);
	assert_int_equal(m.reg, HV_X86_R9);
	/* mov %cx, (%eax) in 32-bit code: operand-size prefix */
	assert_int_equal(DECODE(M32, &m, 0x66, 0x89, 0x08), 0);
	assert_int_equal(m.size, 2);
	assert_int_equal(m.len, 3);
	/* mov %bh, (%eax): a high byte register */
	assert_int_equal(DECODE(M32, &m, 0x88, 0x38), 0);
	assert_int_equal(m.size, 1);
	assert_true(m.high_byte);
	assert_int_equal(m.reg, HV_X86_RBX);
	/* with any REX, register 7 is %dil */
	assert_int_equal(DECODE(M64, &m, 0x40, 0x88, 0x38), 0);
	assert_false(m.high_byte);
	assert_int_equal(m.reg, HV_X86_RDI);
}

static void mov_memory_to_register(void **state)
{
	struct hv_x86_mov m;

	(void)state;
	/* mov (%rsi), %edx */
	assert_int_equal(DECODE(M64, &m, 0x8b, 0x16), 0);
	assert_false(m.write);
	assert_int_equal(m.size, 4);
	assert_int_equal(m.reg_size, 4);
	assert_int_equal(m.reg, HV_X86_RDX);
	/* mov (%rsi), %al */
	assert_int_equal(DECODE(M64, &m, 0x8a, 0x06), 0);
	assert_int_equal(m.size, 1);
	assert_int_equal(m.reg_size, 1);
	/* mov (%si), %ax in 16-bit code */
	assert_int_equal(DECODE(M16, &m, 0x8b, 0x04), 0);
	assert_int_equal(m.size, 2);
	/* 66 in 16-bit code makes it 32 */
	assert_int_equal(DECODE(M16, &m, 0x66, 0x8b, 0x04), 0);
	assert_int_equal(m.size, 4);
	/* real and virtual-8086 mode decode as 16-bit */
	assert_int_equal(DECODE(HV_X86_MODE_REAL, &m, 0x8b, 0x04), 0);
	assert_int_equal(m.size, 2);
	assert_int_equal(DECODE(HV_X86_MODE_VM86, &m, 0x8b, 0x04), 0);
	assert_int_equal(m.size, 2);
}

static void moffs_forms(void **state)
{
	struct hv_x86_mov m;

	(void)state;
	/* movabs 0xc0000000, %eax: a 64-bit address */
	assert_int_equal(DECODE(M64, &m, 0xa1, 0, 0, 0, 0xc0, 0, 0, 0, 0), 0);
	assert_int_equal(m.len, 9);
	assert_int_equal(m.size, 4);
	assert_int_equal(m.reg, HV_X86_RAX);
	assert_false(m.write);
	/* 67: a 32-bit address in 64-bit code */
	assert_int_equal(DECODE(M64, &m, 0x67, 0xa0, 0, 0, 0, 0xc0), 0);
	assert_int_equal(m.len, 6);
	assert_int_equal(m.size, 1);
	/* mov %eax, 0xc0000000 in 32-bit code */
	assert_int_equal(DECODE(M32, &m, 0xa3, 0, 0, 0, 0xc0), 0);
	assert_int_equal(m.len, 5);
	assert_true(m.write);
	/* mov %al, moffs16 in 16-bit code */
	assert_int_equal(DECODE(M16, &m, 0xa2, 0x34, 0x12), 0);
	assert_int_equal(m.len, 3);
	assert_int_equal(m.size, 1);
	/* REX.W: mov %rax, moffs64 */
	assert_int_equal(DECODE(M64, &m, 0x48, 0xa3, 1, 2, 3, 4, 5, 6, 7, 8),
			 0);
	assert_int_equal(m.size, 8);
	assert_int_equal(m.len, 10);
}

static void immediates(void **state)
{
	struct hv_x86_mov m;

	(void)state;
	/* movb $0x7f, (%rax) */
	assert_int_equal(DECODE(M64, &m, 0xc6, 0x00, 0x7f), 0);
	assert_true(m.write);
	assert_true(m.has_imm);
	assert_int_equal(m.size, 1);
	assert_int_equal(m.imm, 0x7f);
	assert_int_equal(m.len, 3);
	/* movl $0x12345678, 8(%rax) */
	assert_int_equal(
	    DECODE(M64, &m, 0xc7, 0x40, 0x08, 0x78, 0x56, 0x34, 0x12), 0);
	assert_int_equal(m.imm, 0x12345678);
	assert_int_equal(m.len, 7);
	/* movq $-2, (%rax): imm32 sign-extended to 64 bits */
	assert_int_equal(
	    DECODE(M64, &m, 0x48, 0xc7, 0x00, 0xfe, 0xff, 0xff, 0xff), 0);
	assert_int_equal(m.size, 8);
	assert_true(m.imm == UINT64_MAX - 1);
	/* movw $0x8000, (%eax): kept to 16 bits */
	assert_int_equal(DECODE(M32, &m, 0x66, 0xc7, 0x00, 0x00, 0x80), 0);
	assert_int_equal(m.size, 2);
	assert_int_equal(m.imm, 0x8000);
	assert_int_equal(m.len, 5);
}

static void extending_loads(void **state)
{
	struct hv_x86_mov m;

	(void)state;
	/* movzbl (%rax), %ecx */
	assert_int_equal(DECODE(M64, &m, 0x0f, 0xb6, 0x08), 0);
	assert_int_equal(m.size, 1);
	assert_int_equal(m.reg_size, 4);
	assert_false(m.sign_extend);
	assert_int_equal(m.len, 3);
	/* movzwl */
	assert_int_equal(DECODE(M64, &m, 0x0f, 0xb7, 0x08), 0);
	assert_int_equal(m.size, 2);
	/* movsbq (%rax), %rcx */
	assert_int_equal(DECODE(M64, &m, 0x48, 0x0f, 0xbe, 0x08), 0);
	assert_int_equal(m.size, 1);
	assert_int_equal(m.reg_size, 8);
	assert_true(m.sign_extend);
	/* movswl */
	assert_int_equal(DECODE(M32, &m, 0x0f, 0xbf, 0x08), 0);
	assert_int_equal(m.size, 2);
	assert_true(m.sign_extend);
	/* movslq (%rax), %rcx */
	assert_int_equal(DECODE(M64, &m, 0x48, 0x63, 0x08), 0);
	assert_int_equal(m.size, 4);
	assert_int_equal(m.reg_size, 8);
	assert_true(m.sign_extend);
	/* 63 without REX.W: a plain 32-bit load */
	assert_int_equal(DECODE(M64, &m, 0x63, 0x08), 0);
	assert_int_equal(m.size, 4);
	assert_false(m.sign_extend);
}

static void addressing_lengths(void **state)
{
	struct hv_x86_mov m;

	(void)state;
	/* 32/64-bit: mod 0 rm 5 is disp32 (RIP-relative in 64-bit) */
	assert_int_equal(DECODE(M64, &m, 0x8b, 0x05, 1, 2, 3, 4), 0);
	assert_int_equal(m.len, 6);
	/* SIB with base 5 and mod 0: disp32 */
	assert_int_equal(DECODE(M32, &m, 0x8b, 0x04, 0x25, 1, 2, 3, 4), 0);
	assert_int_equal(m.len, 7);
	/* SIB, disp8: mov 8(%ebx,%ecx,4), %eax */
	assert_int_equal(DECODE(M32, &m, 0x8b, 0x44, 0x8b, 0x08), 0);
	assert_int_equal(m.len, 4);
	/* mod 2: disp32 */
	assert_int_equal(DECODE(M32, &m, 0x8b, 0x80, 1, 2, 3, 4), 0);
	assert_int_equal(m.len, 6);
	/* 16-bit addressing: mod 0 rm 6 is disp16, mod 1 disp8, mod 2 disp16 */
	assert_int_equal(DECODE(M16, &m, 0x8b, 0x06, 0x34, 0x12), 0);
	assert_int_equal(m.len, 4);
	assert_int_equal(DECODE(M16, &m, 0x8b, 0x47, 0x10), 0);
	assert_int_equal(m.len, 3);
	assert_int_equal(DECODE(M16, &m, 0x8b, 0x87, 0x10, 0x00), 0);
	assert_int_equal(m.len, 4);
	/* 67 in 32-bit code: 16-bit addressing */
	assert_int_equal(DECODE(M32, &m, 0x67, 0x8b, 0x06, 0x34, 0x12), 0);
	assert_int_equal(m.len, 5);
	/* segment overrides are skipped */
	assert_int_equal(DECODE(M32, &m, 0x2e, 0x3e, 0x64, 0x8b, 0x00), 0);
	assert_int_equal(m.len, 5);
}

static void refused_instructions(void **state)
{
	struct hv_x86_mov m;

	(void)state;
	/* add $1, (%rax) */
	assert_int_equal(DECODE(M64, &m, 0x83, 0x00, 0x01), -HV_EINVAL);
	/* a register operand: no memory access */
	assert_int_equal(DECODE(M64, &m, 0x89, 0xc8), -HV_EINVAL);
	/* C7 /1 is not a MOV */
	assert_int_equal(DECODE(M64, &m, 0xc7, 0x08, 0, 0, 0, 0), -HV_EINVAL);
	/* LOCK and REP */
	assert_int_equal(DECODE(M64, &m, 0xf0, 0x89, 0x08), -HV_EINVAL);
	assert_int_equal(DECODE(M64, &m, 0xf3, 0x89, 0x08), -HV_EINVAL);
	/* 0F with anything but movzx/movsx */
	assert_int_equal(DECODE(M64, &m, 0x0f, 0xb8, 0x08), -HV_EINVAL);
	/* 63 is ARPL outside 64-bit mode */
	assert_int_equal(DECODE(M32, &m, 0x63, 0x08), -HV_EINVAL);
	/* 40-4F are INC/DEC outside 64-bit mode */
	assert_int_equal(DECODE(M32, &m, 0x48, 0x89, 0x08), -HV_EINVAL);
	/* more than 15 bytes */
	assert_int_equal(DECODE(M32, &m, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
				0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
				0x66, 0x89, 0x08),
			 -HV_EINVAL);
	assert_int_equal(DECODE(M32, &m, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
				0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0xc7,
				0x00, 0x01, 0x00),
			 -HV_EINVAL);
}

static void truncated_input_asks_for_more(void **state)
{
	struct hv_x86_mov m;

	(void)state;
	assert_int_equal(hv_x86_decode_mov(BYTES(0x8b), 0, M64, &m),
			 -HV_EAGAIN);
	assert_int_equal(DECODE(M64, &m, 0x66), -HV_EAGAIN);
	assert_int_equal(DECODE(M64, &m, 0x48), -HV_EAGAIN);
	assert_int_equal(DECODE(M64, &m, 0x8b), -HV_EAGAIN);
	assert_int_equal(DECODE(M64, &m, 0x8b, 0x04), -HV_EAGAIN); /* SIB */
	assert_int_equal(DECODE(M64, &m, 0x8b, 0x05, 1, 2), -HV_EAGAIN);
	assert_int_equal(DECODE(M64, &m, 0xc7, 0x00, 1, 2), -HV_EAGAIN);
	assert_int_equal(DECODE(M64, &m, 0x0f), -HV_EAGAIN);
	assert_int_equal(DECODE(M64, &m, 0xa1, 0, 0, 0), -HV_EAGAIN);
}

static void loads_write_registers_as_the_cpu(void **state)
{
	uint64_t gpr[16];
	struct hv_x86_mov m;

	(void)state;
	memset(gpr, 0, sizeof(gpr));
	/* 32-bit: zero-extended */
	gpr[HV_X86_RDX] = UINT64_MAX;
	assert_int_equal(DECODE(M64, &m, 0x8b, 0x16), 0);
	hv_x86_mov_load(&m, gpr, 0x1122334455667788ull);
	assert_true(gpr[HV_X86_RDX] == 0x55667788ull);
	/* 8-bit: merged */
	gpr[HV_X86_RAX] = 0x1122334455667788ull;
	assert_int_equal(DECODE(M64, &m, 0x8a, 0x06), 0);
	hv_x86_mov_load(&m, gpr, UINT64_MAX);
	assert_true(gpr[HV_X86_RAX] == 0x11223344556677ffull);
	/* AH */
	gpr[HV_X86_RAX] = 0x11223344;
	assert_int_equal(DECODE(M32, &m, 0x8a, 0x26), 0);
	hv_x86_mov_load(&m, gpr, 0xab);
	assert_true(gpr[HV_X86_RAX] == 0x1122ab44);
	/* 16-bit: merged */
	gpr[HV_X86_RCX] = 0x11223344;
	assert_int_equal(DECODE(M32, &m, 0x66, 0x8b, 0x08), 0);
	hv_x86_mov_load(&m, gpr, 0xffffffff);
	assert_true(gpr[HV_X86_RCX] == 0x1122ffff);
	/* 64-bit */
	assert_int_equal(DECODE(M64, &m, 0x4c, 0x8b, 0x08), 0);
	hv_x86_mov_load(&m, gpr, UINT64_MAX);
	assert_true(gpr[HV_X86_R9] == UINT64_MAX);
	/* movsbl of 0x80 and movzbl of 0xff */
	assert_int_equal(DECODE(M64, &m, 0x0f, 0xbe, 0x08), 0);
	hv_x86_mov_load(&m, gpr, 0x80);
	assert_true(gpr[HV_X86_RCX] == 0xffffff80ull);
	assert_int_equal(DECODE(M64, &m, 0x0f, 0xb6, 0x08), 0);
	hv_x86_mov_load(&m, gpr, UINT64_MAX);
	assert_true(gpr[HV_X86_RCX] == 0xff);
	/* movslq of -1 and movswq */
	assert_int_equal(DECODE(M64, &m, 0x48, 0x63, 0x08), 0);
	hv_x86_mov_load(&m, gpr, 0xffffffff);
	assert_true(gpr[HV_X86_RCX] == UINT64_MAX);
	assert_int_equal(DECODE(M64, &m, 0x48, 0x0f, 0xbf, 0x08), 0);
	hv_x86_mov_load(&m, gpr, 0x7fff);
	assert_true(gpr[HV_X86_RCX] == 0x7fff);
}

static void stores_take_their_value(void **state)
{
	uint64_t gpr[16];
	struct hv_x86_mov m;

	(void)state;
	memset(gpr, 0, sizeof(gpr));
	gpr[HV_X86_RBX] = 0x1122334455667788ull;
	assert_int_equal(DECODE(M64, &m, 0x89, 0x18), 0); /* %ebx */
	assert_true(hv_x86_mov_store_value(&m, gpr) == 0x55667788ull);
	assert_int_equal(DECODE(M64, &m, 0x48, 0x89, 0x18), 0); /* %rbx */
	assert_true(hv_x86_mov_store_value(&m, gpr) == 0x1122334455667788ull);
	assert_int_equal(DECODE(M32, &m, 0x88, 0x38), 0); /* %bh */
	assert_int_equal(hv_x86_mov_store_value(&m, gpr), 0x77);
	assert_int_equal(DECODE(M32, &m, 0x88, 0x18), 0); /* %bl */
	assert_int_equal(hv_x86_mov_store_value(&m, gpr), 0x88);
	assert_int_equal(DECODE(M64, &m, 0xc6, 0x00, 0xfe), 0);
	assert_int_equal(hv_x86_mov_store_value(&m, gpr), 0xfe);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(mov_register_to_memory),
	    cmocka_unit_test(mov_memory_to_register),
	    cmocka_unit_test(moffs_forms),
	    cmocka_unit_test(immediates),
	    cmocka_unit_test(extending_loads),
	    cmocka_unit_test(addressing_lengths),
	    cmocka_unit_test(refused_instructions),
	    cmocka_unit_test(truncated_input_asks_for_more),
	    cmocka_unit_test(loads_write_registers_as_the_cpu),
	    cmocka_unit_test(stores_take_their_value),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
