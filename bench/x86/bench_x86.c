/*
 * libhv-x86 on the host: what the exit path computes per exit, timed.  The
 * instruction emulator (per emulated access to MMIO or unbacked memory), the
 * guest page-table walk (per page of every hypercall pointer), the hypercall
 * page fill (per MSR write) and the TSC conversion (per timer read).
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c11 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <hv/x86_emulate.h>
#include <hv/x86_paging.h>
#include <hv/x86_timer.h>
#include <hv/x86_xen.h>

#define ROUNDS 1000000

static volatile uint64_t sink;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

struct form {
	const char *name;
	enum hv_x86_mode mode;
	uint8_t bytes[15];
};

static const struct form forms[] = {
    {"mov (%rsi),%edx", HV_X86_MODE_LONG64, {0x8b, 0x16}},
    {"mov %r9,0x10(%rbx)", HV_X86_MODE_LONG64, {0x4c, 0x89, 0x4b, 0x10}},
    {"movabs 0x800,%eax", HV_X86_MODE_LONG64, {0xa1, 0, 8, 0, 0, 0, 0, 0, 0}},
    {"movl $imm,8(%ebx,%ecx,4)",
     HV_X86_MODE_PROT32,
     {0xc7, 0x44, 0x8b, 0x08, 1, 2, 3, 4}},
    {"movzbl (%eax),%ecx", HV_X86_MODE_PROT32, {0x0f, 0xb6, 0x08}},
    {"es mov 0x800,%ax (16-bit)", HV_X86_MODE_PROT16, {0x26, 0x8b, 0x06, 0, 8}},
    {"lock orl $0x100,(%rsi)",
     HV_X86_MODE_LONG64,
     {0xf0, 0x81, 0x0e, 0, 1, 0, 0}},
    {"testb $1,(%rsi)", HV_X86_MODE_LONG64, {0xf6, 0x06, 0x01}},
    {"rep stosl (8 iterations)", HV_X86_MODE_LONG64, {0xf3, 0xab}},
};

/* The emulator's memory: 8 KiB at linear 0, the instruction at 0. */
static uint8_t emu_mem[8192];

static enum hv_x86_emu_status emu_read(void *ctx, uint64_t linear, void *buf,
				       unsigned int size, bool fetch,
				       struct hv_x86_emu_exception *exc)
{
	(void)ctx, (void)fetch, (void)exc;
	memcpy(buf, &emu_mem[linear & 0x1fff], size);
	return HV_X86_EMU_DONE;
}

static enum hv_x86_emu_status emu_write(void *ctx, uint64_t linear,
					const void *buf, unsigned int size,
					struct hv_x86_emu_exception *exc)
{
	(void)ctx, (void)exc;
	memcpy(&emu_mem[linear & 0x1fff], buf, size);
	return HV_X86_EMU_DONE;
}

static void emulator(void)
{
	static const struct hv_x86_emu_ops ops = {emu_read, emu_write};

	printf("libhv-x86: instruction emulator, per emulated instruction "
	       "(memory callbacks a memcpy)\n");
	printf("  %-28s %10s\n", "instruction", "ns");
	for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
		struct hv_x86_emu_exception exc;
		struct hv_x86_emu_regs r;
		double start;

		memcpy(emu_mem, forms[f].bytes, sizeof(forms[f].bytes));
		start = now_ns();
		for (int i = 0; i < ROUNDS; i++) {
			memset(&r, 0, sizeof(r));
			r.mode = forms[f].mode;
			r.gpr[HV_X86_RSI] = 0x800;
			r.gpr[HV_X86_RBX] = 0x800;
			r.gpr[HV_X86_RAX] = 0x800;
			r.gpr[HV_X86_RDI] = 0x800;
			r.gpr[HV_X86_RCX] = 8;
			sink += hv_x86_emulate(&r, &ops, NULL, &exc) + r.rip;
		}
		printf("  %-28s %10.1f\n", forms[f].name,
		       (now_ns() - start) / ROUNDS);
	}
	printf("\n");
}

/* Guest-physical memory for the page tables: 8 pages. */
static uint8_t mem[8 * 4096];

static int read_pte(void *ctx, hv_gpaddr_t gpa, unsigned int size,
		    uint64_t *val)
{
	(void)ctx;
	if (gpa + size > sizeof(mem))
		return -1;
	*val = 0;
	memcpy(val, &mem[gpa], size);
	return 0;
}

static void put(unsigned int page, unsigned int index, uint64_t e,
		unsigned int size)
{
	memcpy(&mem[page * 4096 + index * size], &e, size);
}

struct walk_case {
	const char *name;
	struct hv_x86_paging p;
	uint64_t linear;
};

static void build_tables(void)
{
	/* 2-level: PD page 1 -> PT page 2 -> frame 7. */
	put(1, 0, 2 * 4096 | 3, 4);
	put(2, 5, 7 * 4096 | 3, 4);
	/* PAE: PDPT in page 3 -> PD page 4 -> PT page 5. */
	put(3, 0, 4 * 4096 | 1, 8);
	put(4, 0, 5 * 4096 | 3, 8);
	put(5, 5, 7 * 4096 | 3, 8);
	/* Long mode: PML4 page 6 -> PDPT page 3 (shared) with a 1 GiB leaf
	 * at [1], -> PD page 4 with a 2 MiB leaf at [1]. */
	put(6, 0, 3 * 4096 | 3, 8);
	put(3, 1, 0x40000000ull | 0x83, 8);
	put(4, 1, 0x200000ull | 0x83, 8);
}

static void walks(void)
{
	const uint64_t pg = HV_X86_CR0_PE | HV_X86_CR0_PG;
	const uint64_t lma = HV_X86_EFER_LME | HV_X86_EFER_LMA;
	const struct walk_case cases[] = {
	    {"paging off", {HV_X86_CR0_PE, 0, 0, 0}, 0x5000},
	    {"32-bit, 4 KiB", {pg, 1 * 4096, 0, 0}, 0x5123},
	    {"PAE, 4 KiB", {pg, 3 * 4096, HV_X86_CR4_PAE, 0}, 0x5123},
	    {"long mode, 4 KiB", {pg, 6 * 4096, HV_X86_CR4_PAE, lma}, 0x5123},
	    {"long mode, 2 MiB", {pg, 6 * 4096, HV_X86_CR4_PAE, lma}, 0x212345},
	    {"long mode, 1 GiB",
	     {pg, 6 * 4096, HV_X86_CR4_PAE, lma},
	     0x40123456},
	};

	build_tables();
	printf("libhv-x86: guest page-table walk, per translated address\n");
	printf("  %-28s %10s\n", "paging mode", "ns");
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		double start = now_ns();

		for (int i = 0; i < ROUNDS; i++) {
			hv_gpaddr_t gpa = 0;

			hv_x86_guest_linear_to_phys(&cases[c].p,
						    cases[c].linear, 0,
						    read_pte, NULL, &gpa);
			sink += gpa;
		}
		printf("  %-28s %10.1f\n", cases[c].name,
		       (now_ns() - start) / ROUNDS);
	}
	printf("\n");
}

static void misc(void)
{
	static uint8_t page[4096];
	const int fills = ROUNDS / 100;
	double start = now_ns();

	printf("libhv-x86: other per-exit work\n");
	printf("  %-28s %10s\n", "operation", "ns");
	for (int i = 0; i < fills; i++) {
		hv_x86_xen_hypercall_page(page);
		sink += page[i % 4096];
	}
	printf("  %-28s %10.1f\n", "hypercall page fill",
	       (now_ns() - start) / fills);
	start = now_ns();
	for (int i = 0; i < ROUNDS; i++)
		sink += (uint64_t)hv_x86_ticks_to_ns(sink + (uint64_t)i * 977,
						     2600000000ull);
	printf("  %-28s %10.1f\n", "TSC ticks to ns",
	       (now_ns() - start) / ROUNDS);
	start = now_ns();
	for (int i = 0; i < ROUNDS; i++) {
		struct hv_x86_cpuid_regs r = {1, 2, 3, (uint32_t)i};

		hv_x86_cpuid_guest(1, 0, &r);
		sink += r.ecx;
	}
	printf("  %-28s %10.1f\n", "CPUID leaf 1 filter",
	       (now_ns() - start) / ROUNDS);
}

int main(void)
{
	emulator();
	walks();
	misc();
	return 0;
}
