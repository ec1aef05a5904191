/* Guest page-table walks in every paging mode, against tables built in a
 * fake guest-physical memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <hv/error.h>
#include <hv/x86_paging.h>
#include <hv/x86_vmcb.h>

#define PAGES	 32
#define P	 0x1ull
#define RW	 0x2ull
#define PS	 0x80ull
#define NX	 (1ull << 63)
#define CR4_LA57 (1ull << 12)

/* Guest-physical memory: PAGES pages from 0; the rest is not RAM. */
static uint8_t mem[PAGES * 4096];
static unsigned int reads;

static int read_pte(void *ctx, hv_gpaddr_t gpa, unsigned int size,
		    uint64_t *val)
{
	(void)ctx;
	reads++;
	if (gpa + size > sizeof(mem))
		return -HV_EFAULT;
	*val = 0;
	memcpy(val, &mem[gpa], size);
	return 0;
}

static void put64(unsigned int page, unsigned int index, uint64_t e)
{
	memcpy(&mem[page * 4096 + index * 8], &e, 8);
}

static void put32(unsigned int page, unsigned int index, uint32_t e)
{
	memcpy(&mem[page * 4096 + index * 4], &e, 4);
}

static int walk(const struct hv_x86_paging *p, uint64_t linear,
		unsigned int access, hv_gpaddr_t *gpa)
{
	return hv_x86_guest_linear_to_phys(p, linear, access, read_pte, NULL,
					   gpa);
}

static int setup(void **state)
{
	(void)state;
	memset(mem, 0, sizeof(mem));
	reads = 0;
	return 0;
}

static void paging_off_is_identity_below_4g(void **state)
{
	struct hv_x86_paging p = {.cr0 = HV_X86_CR0_PE};
	hv_gpaddr_t gpa;

	(void)state;
	assert_int_equal(walk(&p, 0xfffff123, 0, &gpa), 0);
	assert_true(gpa == 0xfffff123);
	assert_int_equal(walk(&p, 0x100000000ull, 0, &gpa), -HV_EFAULT);
	assert_int_equal(reads, 0);
	/* Long mode without paging cannot exist: refused. */
	p.efer = HV_X86_EFER_LMA;
	assert_int_equal(walk(&p, 0x1000, 0, &gpa), -HV_EFAULT);
}

static void two_level_4k_and_4m(void **state)
{
	struct hv_x86_paging p = {.cr0 = HV_X86_CR0_PE | HV_X86_CR0_PG,
				  .cr3 = 1 * 4096};
	hv_gpaddr_t gpa;

	(void)state;
	put32(1, 0x201, 2 * 4096 | P | RW); /* PDE for 0x80400000 */
	put32(2, 0x005, 7 * 4096 | P | RW); /* PTE for 0x80405000 */
	assert_int_equal(walk(&p, 0x80405abc, 0, &gpa), 0);
	assert_true(gpa == 7 * 4096 + 0xabc);
	/* A 4 MiB page with PSE-36 address bits 39:32 = 0x12. */
	put32(1, 0x300, 0xc0000000u | 0x12u << 13 | P | RW | PS);
	p.cr4 = HV_X86_CR4_PSE;
	assert_int_equal(walk(&p, 0xc0123456, 0, &gpa), 0);
	assert_true(gpa == (0x12ull << 32 | 0xc0123456ull));
	/* Without CR4.PSE the PS bit means nothing: a table at 0xc0000000,
	 * which is not RAM. */
	p.cr4 = 0;
	assert_int_equal(walk(&p, 0xc0123456, 0, &gpa), -HV_EFAULT);
	/* Not present, at either level; and above 4 GiB. */
	assert_int_equal(walk(&p, 0x00001000, 0, &gpa), -HV_EFAULT);
	assert_int_equal(walk(&p, 0x80406000, 0, &gpa), -HV_EFAULT);
	assert_int_equal(walk(&p, 0x180405000ull, 0, &gpa), -HV_EFAULT);
}

static void writes_obey_wp(void **state)
{
	struct hv_x86_paging p = {.cr0 = HV_X86_CR0_PE | HV_X86_CR0_PG,
				  .cr3 = 1 * 4096};
	hv_gpaddr_t gpa;

	(void)state;
	put32(1, 0, 2 * 4096 | P | RW);
	put32(2, 3, 5 * 4096 | P); /* read-only page */
	put32(1, 1, 3 * 4096 | P); /* read-only table */
	put32(3, 0, 6 * 4096 | P | RW);
	assert_int_equal(walk(&p, 0x3000, HV_X86_ACCESS_WRITE, &gpa), 0);
	assert_int_equal(walk(&p, 0x400000, HV_X86_ACCESS_WRITE, &gpa), 0);
	p.cr0 |= HV_X86_CR0_WP;
	assert_int_equal(walk(&p, 0x3000, 0, &gpa), 0);
	assert_int_equal(walk(&p, 0x3000, HV_X86_ACCESS_WRITE, &gpa),
			 -HV_EACCES);
	assert_int_equal(walk(&p, 0x400000, HV_X86_ACCESS_WRITE, &gpa),
			 -HV_EACCES);
	/* A read-only table over a missing entry: not present wins. */
	put32(3, 1, 0);
	assert_int_equal(walk(&p, 0x401000, HV_X86_ACCESS_WRITE, &gpa),
			 -HV_EFAULT);
}

static void pae_2m_and_4k(void **state)
{
	struct hv_x86_paging p = {.cr0 = HV_X86_CR0_PE | HV_X86_CR0_PG,
				  .cr4 = HV_X86_CR4_PAE,
				  .cr3 = 1 * 4096 + 0x20};
	hv_gpaddr_t gpa;

	(void)state;
	/* The PDPT is 32-byte aligned at CR3; PDPTE 2 covers 2-3 GiB. */
	put64(1, 4 + 2, 2 * 4096 | P);
	put64(2, 1, 0x40000000ull | P | RW | PS); /* 2 MiB page */
	put64(2, 2, 3 * 4096 | P | RW);
	put64(3, 7, 9 * 4096 | P | RW);
	assert_int_equal(walk(&p, 0x80212345, 0, &gpa), 0);
	assert_true(gpa == 0x40012345);
	assert_int_equal(walk(&p, 0x80407123, 0, &gpa), 0);
	assert_true(gpa == 9 * 4096 + 0x123);
	assert_int_equal(walk(&p, 0x40000000, 0, &gpa), -HV_EFAULT);
	assert_int_equal(walk(&p, 0x80408000, 0, &gpa), -HV_EFAULT);
}

static struct hv_x86_paging long_mode(void)
{
	struct hv_x86_paging p = {
	    .cr0 = HV_X86_CR0_PE | HV_X86_CR0_PG | HV_X86_CR0_WP,
	    .cr4 = HV_X86_CR4_PAE,
	    .efer = HV_X86_EFER_LME | HV_X86_EFER_LMA | HV_X86_EFER_NXE,
	    .cr3 = 1 * 4096};

	return p;
}

static void long_mode_4k_2m_1g(void **state)
{
	struct hv_x86_paging p = long_mode();
	hv_gpaddr_t gpa;

	(void)state;
	put64(1, 0, 2 * 4096 | P | RW);		  /* PML4[0] */
	put64(1, 511, 2 * 4096 | P | RW);	  /* PML4[511]: the top */
	put64(2, 0, 3 * 4096 | P | RW);		  /* PDPT[0] */
	put64(2, 1, 0x80000000ull | P | RW | PS); /* PDPT[1]: 1 GiB */
	put64(2, 511, 3 * 4096 | P | RW);
	put64(3, 0, 4 * 4096 | P | RW);		/* PD[0] */
	put64(3, 1, 0x600000ull | P | RW | PS); /* PD[1]: 2 MiB */
	put64(4, 5, 10 * 4096 | P | RW);	/* PT[5] */
	assert_int_equal(walk(&p, 0x5678, 0, &gpa), 0);
	assert_true(gpa == 10 * 4096 + 0x678);
	assert_int_equal(walk(&p, 0x212345, 0, &gpa), 0);
	assert_true(gpa == 0x612345);
	assert_int_equal(walk(&p, 0x40123456, 0, &gpa), 0);
	assert_true(gpa == 0x80123456ull);
	/* The canonical upper half: PML4[511], PDPT[511], PD[0], PT[5]. */
	assert_int_equal(walk(&p, 0xffffffffc0005000ull, 0, &gpa), 0);
	assert_true(gpa == 10 * 4096);
	/* Non-canonical, and 4 GiB above a good address. */
	assert_int_equal(walk(&p, 0x0000800000005000ull, 0, &gpa), -HV_EFAULT);
	assert_int_equal(walk(&p, 0x100005000ull, 0, &gpa), -HV_EFAULT);
}

static void long_mode_rights(void **state)
{
	struct hv_x86_paging p = long_mode();
	hv_gpaddr_t gpa;

	(void)state;
	put64(1, 0, 2 * 4096 | P | RW);
	put64(2, 0, 3 * 4096 | P | RW);
	put64(3, 0, 4 * 4096 | P | RW);
	put64(4, 1, 10 * 4096 | P | NX); /* read-only, no-execute */
	put64(4, 2, 11 * 4096 | P | RW); /* executable */
	assert_int_equal(walk(&p, 0x1000, 0, &gpa), 0);
	assert_int_equal(walk(&p, 0x1000, HV_X86_ACCESS_WRITE, &gpa),
			 -HV_EACCES);
	assert_int_equal(walk(&p, 0x1000, HV_X86_ACCESS_FETCH, &gpa),
			 -HV_EACCES);
	assert_int_equal(walk(&p, 0x2000, HV_X86_ACCESS_FETCH, &gpa), 0);
	/* Without EFER.NXE the NX bit does not forbid fetches. */
	p.efer &= ~HV_X86_EFER_NXE;
	assert_int_equal(walk(&p, 0x1000, HV_X86_ACCESS_FETCH, &gpa), 0);
	/* A table outside RAM fails through the read callback. */
	put64(4, 3, 0);
	put64(3, 1, 0x7000000ull | P | RW);
	assert_int_equal(walk(&p, 0x200000, 0, &gpa), -HV_EFAULT);
}

static void five_level(void **state)
{
	struct hv_x86_paging p = long_mode();
	hv_gpaddr_t gpa;

	(void)state;
	p.cr4 |= CR4_LA57;
	put64(1, 1, 2 * 4096 | P | RW); /* PML5[1]: from 2^48 */
	put64(2, 0, 3 * 4096 | P | RW);
	put64(3, 0, 4 * 4096 | P | RW);
	put64(4, 0, 0x200000ull | P | RW | PS);
	assert_int_equal(walk(&p, 0x1000000001234ull, 0, &gpa), 0);
	assert_true(gpa == 0x201234);
	/* Bit 56 set and the bits above it clear: not canonical. */
	assert_int_equal(walk(&p, 0x0100000000000000ull, 0, &gpa), -HV_EFAULT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(paging_off_is_identity_below_4g, setup),
	    cmocka_unit_test_setup(two_level_4k_and_4m, setup),
	    cmocka_unit_test_setup(writes_obey_wp, setup),
	    cmocka_unit_test_setup(pae_2m_and_4k, setup),
	    cmocka_unit_test_setup(long_mode_4k_2m_1g, setup),
	    cmocka_unit_test_setup(long_mode_rights, setup),
	    cmocka_unit_test_setup(five_level, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
