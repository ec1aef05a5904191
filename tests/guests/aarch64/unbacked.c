/*
 * Faults as Xen answers them.  Touches guest-physical addresses nothing
 * backs, in a loop, with loads and stores of every size and pairs (which
 * trap without a syndrome), and takes each as a data abort at the access
 * (ESR_EL1 0x96000000: EC 0x25, IL, ISS 0; FAR_EL1 the address), steps
 * over it and goes on; branches to the same addresses and takes each
 * fetch as an instruction abort (0x86000000, ELR_EL1 = FAR_EL1 = the
 * address) and returns to its caller.  Then SMC and HVC as Xen's vsmc.c answers them: an
 * unknown SMCCC function returns -1, an SMC with a nonzero immediate is
 * an undefined instruction at the smc.
 */
#include "guest.h"

#include <hv/string.h>

#define ROUNDS	      3
#define ESR_DABT_EL1  0x96000000ull
#define ESR_IABT_EL1  0x86000000ull
#define ESR_UNDEF     0x02000000ull /* EC 0, IL */
#define SMCCC_VERSION 0x80000000ul
#define PSCI_FEATURES 0x8400000aul
#define UNKNOWN_SMCCC 0x82000000ul /* a SiP call */
#define RAM_END	      0x41000000ul /* 16 MiB at GUEST_RAM0_BASE */
#define ONE_REDIST    0x20000ul

extern const char guest_vectors[];
uint64_t guest_sync_exception(uint64_t esr, uint64_t elr);

static unsigned int taken;
static uint64_t last_esr, last_elr, last_far;
/* Where a branch to nothing returns to (its ELR_EL1 is the target). */
static uint64_t fetch_return;

/* Every synchronous exception here is one this guest provoked: note it
 * and resume after the instruction that took it, or after the branch
 * whose target could not be fetched. */
uint64_t guest_sync_exception(uint64_t esr, uint64_t elr)
{
	__asm__ __volatile__("mrs %0, far_el1" : "=r"(last_far));
	last_esr = esr;
	last_elr = elr;
	taken++;
	return esr == ESR_IABT_EL1 ? fetch_return : elr + 4;
}

/* Each access: its instruction's address, for ELR_EL1. */
typedef uint64_t (*access_fn)(unsigned long addr);

static uint64_t load_word(unsigned long addr)
{
	uint64_t at;
	uint32_t v;

	__asm__ __volatile__("adr %0, 1f\n1: ldr %w1, [%2]"
			     : "=&r"(at), "=r"(v)
			     : "r"(addr)
			     : "memory");
	return at;
}

static uint64_t store_byte(unsigned long addr)
{
	uint64_t at;

	__asm__ __volatile__("adr %0, 1f\n1: strb wzr, [%1]"
			     : "=&r"(at)
			     : "r"(addr)
			     : "memory");
	return at;
}

static uint64_t store_dword(unsigned long addr)
{
	uint64_t at;

	__asm__ __volatile__("adr %0, 1f\n1: str %0, [%1]"
			     : "=&r"(at)
			     : "r"(addr)
			     : "memory");
	return at;
}

/* A pair: no instruction syndrome (ISV 0) for the hypervisor. */
static uint64_t load_pair(unsigned long addr)
{
	uint64_t at, a, b;

	__asm__ __volatile__("adr %0, 1f\n1: ldp %1, %2, [%3]"
			     : "=&r"(at), "=r"(a), "=r"(b)
			     : "r"(addr)
			     : "memory");
	return at;
}

static uint64_t store_pair(unsigned long addr)
{
	uint64_t at;

	__asm__ __volatile__("adr %0, 1f\n1: stp xzr, xzr, [%1]"
			     : "=&r"(at)
			     : "r"(addr)
			     : "memory");
	return at;
}

static const unsigned long unbacked[] = {
    0x0,		     /* the bottom of the map */
    0x20000000,		     /* between the UART and RAM */
    GUEST_GICD + 0x10000,    /* past the distributor */
    GUEST_GICR + ONE_REDIST, /* a second vCPU's redistributor */
    RAM_END,		     /* right after RAM */
    0xff00000000,	     /* high, in the 40-bit IPA space */
};

static const access_fn accesses[] = {load_word, store_byte, store_dword,
				     load_pair, store_pair};

static void touch(unsigned long addr, access_fn access)
{
	unsigned int before = taken;
	uint64_t at = access(addr);

	CHECK_EQ(taken, before + 1);
	CHECK_EQ(last_esr, ESR_DABT_EL1);
	CHECK_EQ(last_far, addr);
	CHECK_EQ(last_elr, at);
}

static void unbacked_ipas(void)
{
	unsigned int want = 0;

	for (unsigned int r = 0; r < ROUNDS; r++)
		for (size_t i = 0; i < HV_ARRAY_SIZE(unbacked); i++)
			for (size_t j = 0; j < HV_ARRAY_SIZE(accesses); j++) {
				touch(unbacked[i], accesses[j]);
				want++;
			}
	/* A register pair on the distributor: the vGIC refuses an access
	 * without a syndrome, and Xen makes that an abort too. */
	touch(GUEST_GICD, load_pair);
	want++;
	CHECK_EQ(taken, want);
	guest_printf("%u data aborts taken and handled\n", taken);
}

/* Branch to `addr` as to a function; the abort handler returns here. */
static void branch_to(unsigned long addr)
{
	uint64_t back;

	__asm__ __volatile__("adr %0, 1f\n"
			     "str %0, [%2]\n"
			     "blr %1\n"
			     "1:"
			     : "=&r"(back)
			     : "r"(addr), "r"(&fetch_return)
			     : "memory", "x30");
}

static void unbacked_fetches(void)
{
	unsigned int before = taken;

	for (unsigned int r = 0; r < ROUNDS; r++)
		for (size_t i = 0; i < HV_ARRAY_SIZE(unbacked); i++) {
			unsigned int was = taken;

			branch_to(unbacked[i]);
			CHECK_EQ(taken, was + 1);
			CHECK_EQ(last_esr, ESR_IABT_EL1);
			CHECK_EQ(last_far, unbacked[i]);
			CHECK_EQ(last_elr, unbacked[i]);
		}
	guest_printf("%u instruction aborts taken and handled\n",
		     taken - before);
}

static long smc(unsigned long fid)
{
	register unsigned long x0 __asm__("x0") = fid;

	__asm__ __volatile__("smc #0"
			     : "+r"(x0)
			     :
			     : "memory", "x1", "x2", "x3");
	return (long)x0;
}

static void smc_and_hvc(void)
{
	unsigned int before = taken;
	uint64_t at;

	CHECK_EQ(smc(UNKNOWN_SMCCC), -1);
	CHECK_EQ(guest_psci(UNKNOWN_SMCCC, 0, 0, 0), -1);
	CHECK_EQ(smc(SMCCC_VERSION), 0x10002);
	CHECK_EQ(guest_psci(PSCI_FEATURES, SMCCC_VERSION, 0, 0), 0);
	CHECK_EQ(taken, before);
	__asm__ __volatile__("adr %0, 1f\n1: smc #1" : "=r"(at) : : "memory");
	CHECK_EQ(taken, before + 1);
	CHECK_EQ(last_esr, ESR_UNDEF);
	CHECK_EQ(last_elr, at);
	guest_print("SMC #0 answers -1 for an unknown function, SMC #1 is "
		    "undefined\n");
}

int main(void)
{
	__asm__ __volatile__("msr vbar_el1, %0; isb" ::"r"(guest_vectors));
	unbacked_ipas();
	unbacked_fetches();
	smc_and_hvc();
	return guest_test_result();
}
