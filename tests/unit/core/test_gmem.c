/*
 * hv/gmem.h against a fake guest: 16 pages of host memory behind a
 * translation callback that records every call.  Frames may be holes or
 * read-only; in alias mode every frame number maps to page frame % 16, so
 * that an accessor which truncated or wrapped an address would find memory
 * there, and only its bounds checks can make the access fault.
 */
#include <hv/error.h>
#include <hv/gmem.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define PAGE	  ((size_t)HV_PAGE_SIZE)
#define NPAGES	  16
#define MAX_CALLS 64

enum frame_state { FRAME_RW, FRAME_RO, FRAME_HOLE };

struct call {
	uint64_t gfn;
	unsigned int access;
};

static struct {
	_Alignas(4096) uint8_t mem[NPAGES][HV_PAGE_SIZE];
	uint8_t before[NPAGES][HV_PAGE_SIZE];
	enum frame_state state[NPAGES];
	bool alias;
	bool null_page; /* succeed but hand back no page: a buggy callback */
	struct call calls[MAX_CALLS];
	size_t ncalls;
} fake;

static int fake_translate(void *ctx, hv_gfn_t frame, unsigned int access,
			  void **page)
{
	uint64_t gfn = hv_gfn_x(frame);
	size_t idx = (size_t)(gfn % NPAGES);

	assert_ptr_equal(ctx, &fake);
	if (fake.ncalls < MAX_CALLS)
		fake.calls[fake.ncalls] = (struct call){gfn, access};
	fake.ncalls++;
	/* A failing callback may leave *page anything: only the return value
	 * counts.  Different negative values: the accessor must turn each
	 * into -HV_EFAULT. */
	*page = fake.mem[idx];
	if (!fake.alias && gfn >= NPAGES)
		return -HV_EFAULT;
	if (fake.state[idx] == FRAME_HOLE)
		return -1;
	if (fake.state[idx] == FRAME_RO && (access & HV_GMEM_WRITE))
		return -HV_EPERM;
	*page = fake.null_page ? NULL : fake.mem[idx];
	return 0;
}

/* For the checks that the accessor never asks: with no expect_value()
 * queued, cmocka fails the test if this is called at all. */
static int strict_translate(void *ctx, hv_gfn_t frame, unsigned int access,
			    void **page)
{
	uint64_t gfn = hv_gfn_x(frame);

	check_expected(gfn);
	check_expected(access);
	return fake_translate(ctx, frame, access, page);
}

static uint8_t pattern(size_t page, size_t off)
{
	return (uint8_t)(page * 31 + off * 7 + 1);
}

static int setup(void **state)
{
	(void)state;
	for (size_t p = 0; p < NPAGES; p++) {
		for (size_t o = 0; o < PAGE; o++)
			fake.mem[p][o] = pattern(p, o);
		fake.state[p] = FRAME_RW;
	}
	fake.alias = false;
	fake.null_page = false;
	fake.ncalls = 0;
	return 0;
}

static struct hv_gmem guest(unsigned int addr_bits)
{
	struct hv_gmem gm;

	hv_gmem_init(&gm, fake_translate, &fake, addr_bits);
	return gm;
}

static struct hv_gmem strict_guest(unsigned int addr_bits)
{
	struct hv_gmem gm;

	hv_gmem_init(&gm, strict_translate, &fake, addr_bits);
	return gm;
}

static void snapshot(void)
{
	memcpy(fake.before, fake.mem, sizeof(fake.mem));
}

static void assert_guest_unchanged(void)
{
	assert_memory_equal(fake.before, fake.mem, sizeof(fake.mem));
}

static uint8_t *at(uint64_t gaddr)
{
	return &fake.mem[gaddr / PAGE][gaddr % PAGE];
}

static void assert_call(size_t i, uint64_t gfn, unsigned int access)
{
	assert_true(i < fake.ncalls);
	assert_int_equal(fake.calls[i].gfn, gfn);
	assert_int_equal(fake.calls[i].access, access);
}

static void init_stores_fields(void **state)
{
	struct hv_gmem gm;

	(void)state;
	hv_gmem_init(&gm, fake_translate, &fake, 48);
	assert_ptr_equal(gm.translate, fake_translate);
	assert_ptr_equal(gm.ctx, &fake);
	assert_int_equal(gm.addr_bits, 48);
	/* Whatever was there before: no pinning until asked. */
	gm.pin = (hv_gmem_pin_fn)1;
	hv_gmem_init(&gm, fake_translate, &fake, 48);
	assert_null(gm.pin);
	assert_null(gm.unpin);
}

static void copy_from_within_page(void **state)
{
	struct hv_gmem gm = guest(32);
	uint8_t buf[100];

	(void)state;
	assert_int_equal(hv_gmem_copy_from(&gm, buf, 3 * PAGE + 10, 100), 0);
	assert_memory_equal(buf, at(3 * PAGE + 10), 100);
	assert_int_equal(fake.ncalls, 1); /* one page: the copy pass alone */
	assert_call(0, 3, HV_GMEM_READ);
}

static void copy_to_within_page(void **state)
{
	struct hv_gmem gm = guest(32);
	uint8_t src[64];

	(void)state;
	memset(src, 0x5a, sizeof(src));
	snapshot();
	assert_int_equal(hv_gmem_copy_to(&gm, 5 * PAGE + 100, src, 64), 0);
	assert_memory_equal(at(5 * PAGE + 100), src, 64);
	/* Nothing else moved. */
	memcpy(&fake.before[5][100], src, 64);
	assert_guest_unchanged();
	assert_call(0, 5, HV_GMEM_WRITE);
}

static void copy_from_across_pages(void **state)
{
	struct hv_gmem gm = guest(32);
	static uint8_t buf[PAGE + 200];
	uint64_t gaddr = PAGE + PAGE - 100; /* pages 1, 2 and 3 */

	(void)state;
	assert_int_equal(hv_gmem_copy_from(&gm, buf, gaddr, sizeof(buf)), 0);
	assert_memory_equal(buf, at(gaddr), sizeof(buf));
	assert_int_equal(fake.ncalls, 6);
	for (size_t pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < 3; i++)
			assert_call(pass * 3 + i, 1 + i, HV_GMEM_READ);
}

static void copy_to_across_pages(void **state)
{
	struct hv_gmem gm = guest(32);
	static uint8_t src[2 * PAGE];
	uint64_t gaddr = 7 * PAGE + 1;

	(void)state;
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (uint8_t)(i ^ 0xa5);
	assert_int_equal(hv_gmem_copy_to(&gm, gaddr, src, sizeof(src)), 0);
	assert_memory_equal(at(gaddr), src, sizeof(src));
	assert_int_equal(*at(gaddr - 1), pattern(7, 0));
	assert_int_equal(*at(gaddr + sizeof(src)), pattern(9, 1));
}

/* The copy pass, driven by a cmocka mock: one call per page, in order,
 * with the access asked for, twice. */
static void copy_translates_each_page_in_order(void **state)
{
	struct hv_gmem gm = strict_guest(32);
	uint8_t buf[10];

	(void)state;
	for (int pass = 0; pass < 2; pass++) {
		expect_value(strict_translate, gfn, 3);
		expect_value(strict_translate, access, HV_GMEM_READ);
		expect_value(strict_translate, gfn, 4);
		expect_value(strict_translate, access, HV_GMEM_READ);
	}
	assert_int_equal(hv_gmem_copy_from(&gm, buf, 4 * PAGE - 5, 10), 0);
	assert_memory_equal(buf, at(4 * PAGE - 5), 10);
}

/* Within one page, one translation: it comes before any byte moves. */
static void copy_within_page_translates_once(void **state)
{
	struct hv_gmem gm = strict_guest(32);
	uint8_t buf[10] = {0};

	(void)state;
	expect_value(strict_translate, gfn, 3);
	expect_value(strict_translate, access, HV_GMEM_READ);
	assert_int_equal(hv_gmem_copy_from(&gm, buf, 4 * PAGE - 10, 10), 0);
	assert_memory_equal(buf, at(4 * PAGE - 10), 10);
	expect_value(strict_translate, gfn, 3);
	expect_value(strict_translate, access, HV_GMEM_WRITE);
	assert_int_equal(hv_gmem_copy_to(&gm, 3 * PAGE, buf, 10), 0);
	expect_value(strict_translate, gfn, 3);
	expect_value(strict_translate, access, HV_GMEM_WRITE);
	assert_int_equal(hv_gmem_clear(&gm, 3 * PAGE, PAGE), 0);
}

static void copy_from_hole_leaves_dst(void **state)
{
	struct hv_gmem gm = guest(32);
	static uint8_t buf[3 * PAGE];
	static uint8_t sentinel[3 * PAGE];

	(void)state;
	fake.state[4] = FRAME_HOLE;
	memset(buf, 0xee, sizeof(buf));
	memset(sentinel, 0xee, sizeof(sentinel));
	assert_int_equal(hv_gmem_copy_from(&gm, buf, 2 * PAGE, sizeof(buf)),
			 -HV_EFAULT);
	assert_memory_equal(buf, sentinel, sizeof(buf));
	/* Whole-range check first: stopped at the hole, copied nothing. */
	assert_int_equal(fake.ncalls, 3);
}

static void copy_to_hole_leaves_guest(void **state)
{
	struct hv_gmem gm = guest(32);
	static uint8_t src[3 * PAGE];

	(void)state;
	memset(src, 0x11, sizeof(src));
	/* The hole last, in the middle and first: no page is written. */
	for (size_t hole = 5; hole <= 7; hole++) {
		setup(NULL);
		snapshot();
		fake.state[hole] = FRAME_HOLE;
		assert_int_equal(
		    hv_gmem_copy_to(&gm, 5 * PAGE + 8, src, sizeof(src) - 16),
		    -HV_EFAULT);
		assert_guest_unchanged();
	}
}

static void copy_from_beyond_fake_faults(void **state)
{
	struct hv_gmem gm = guest(64);
	uint8_t buf[16];

	(void)state;
	assert_int_equal(hv_gmem_copy_from(&gm, buf, NPAGES * PAGE - 8, 16),
			 -HV_EFAULT);
}

static void read_only_page(void **state)
{
	struct hv_gmem gm = guest(32);
	static uint8_t buf[2 * PAGE];

	(void)state;
	fake.state[9] = FRAME_RO;
	memset(buf, 0x77, sizeof(buf));
	snapshot();
	assert_int_equal(hv_gmem_copy_to(&gm, 8 * PAGE + 16, buf, sizeof(buf)),
			 -HV_EFAULT);
	assert_int_equal(hv_gmem_clear(&gm, 9 * PAGE, 1), -HV_EFAULT);
	assert_int_equal(hv_gmem_clear(&gm, 8 * PAGE, 2 * PAGE), -HV_EFAULT);
	assert_guest_unchanged();
	/* Reading it is allowed. */
	assert_int_equal(hv_gmem_copy_from(&gm, buf, 9 * PAGE, PAGE), 0);
	assert_memory_equal(buf, at(9 * PAGE), PAGE);
}

static void clear_zeroes_exactly_the_range(void **state)
{
	struct hv_gmem gm = guest(32);
	uint64_t gaddr = 10 * PAGE + 4000;
	size_t len = PAGE + 500;

	(void)state;
	snapshot();
	assert_int_equal(hv_gmem_clear(&gm, gaddr, len), 0);
	for (size_t i = 0; i < len; i++)
		assert_int_equal(*at(gaddr + i), 0);
	memset(&fake.before[10][4000], 0, len);
	assert_guest_unchanged();
	assert_call(0, 10, HV_GMEM_WRITE);
	assert_call(1, 11, HV_GMEM_WRITE);
}

static void clear_hole_leaves_guest(void **state)
{
	struct hv_gmem gm = guest(32);

	(void)state;
	fake.state[13] = FRAME_HOLE;
	snapshot();
	assert_int_equal(hv_gmem_clear(&gm, 12 * PAGE, 2 * PAGE), -HV_EFAULT);
	assert_guest_unchanged();
}

static void null_page_from_callback_faults(void **state)
{
	struct hv_gmem gm = guest(32);
	uint8_t buf[4];
	void *p = &gm;

	(void)state;
	fake.null_page = true;
	assert_int_equal(hv_gmem_copy_from(&gm, buf, 0, sizeof(buf)),
			 -HV_EFAULT);
	assert_int_equal(hv_gmem_map(&gm, 0, 4, 4, HV_GMEM_READ, &p),
			 -HV_EFAULT);
	assert_ptr_equal(p, &gm);
}

static void len_zero_asks_nothing(void **state)
{
	struct hv_gmem gm = strict_guest(32);
	struct hv_gmem bad = strict_guest(0);
	uint8_t buf[1] = {0x42};

	(void)state;
	assert_int_equal(hv_gmem_copy_from(&gm, buf, 0, 0), 0);
	assert_int_equal(hv_gmem_copy_from(&gm, buf, UINT64_MAX, 0), 0);
	assert_int_equal(hv_gmem_copy_to(&gm, UINT64_MAX, buf, 0), 0);
	assert_int_equal(hv_gmem_clear(&gm, 1ull << 40, 0), 0);
	assert_int_equal(hv_gmem_copy_from(&bad, buf, 0, 0), 0);
	assert_int_equal(buf[0], 0x42);
	assert_int_equal(fake.ncalls, 0);
}

/* Every frame is mapped (alias mode), so only the bounds checks stand
 * between these ranges and success; strict_translate fails the test if
 * the callback is asked. */
static void wraparound_faults_unasked(void **state)
{
	struct hv_gmem gm = strict_guest(64);
	uint8_t buf[32];

	(void)state;
	fake.alias = true;
	memset(buf, 0xcc, sizeof(buf));
	snapshot();
	assert_int_equal(hv_gmem_copy_from(&gm, buf, UINT64_MAX - 10, 20),
			 -HV_EFAULT);
	assert_int_equal(hv_gmem_copy_to(&gm, UINT64_MAX - 10, buf, 20),
			 -HV_EFAULT);
	assert_int_equal(hv_gmem_clear(&gm, UINT64_MAX - PAGE, 2 * PAGE),
			 -HV_EFAULT);
	assert_int_equal(hv_gmem_copy_from(&gm, buf, 1, SIZE_MAX), -HV_EFAULT);
	assert_int_equal(hv_gmem_copy_from(&gm, buf, UINT64_MAX, 1),
			 -HV_EFAULT);
	assert_int_equal(hv_gmem_copy_from(&gm, buf, UINT64_MAX - 3, 4),
			 -HV_EFAULT);
	assert_guest_unchanged();
	assert_int_equal(buf[0], 0xcc);
}

static void top_of_64bit_space(void **state)
{
	struct hv_gmem gm = guest(64);
	uint8_t buf[16];

	(void)state;
	fake.alias = true;
	/* The range may end at UINT64_MAX: gaddr + len still fits. */
	assert_int_equal(hv_gmem_copy_from(&gm, buf, UINT64_MAX - 16, 16), 0);
	assert_memory_equal(buf, &fake.mem[15][PAGE - 17], 16);
	assert_call(0, UINT64_MAX >> HV_PAGE_SHIFT, HV_GMEM_READ);
	assert_int_equal(hv_gmem_copy_from(&gm, buf, 0xffff000000000000, 16),
			 0);
	assert_memory_equal(buf, fake.mem[0], 16);
}

static void addr_bits_32(void **state)
{
	struct hv_gmem gm = strict_guest(32);
	uint8_t buf[16];

	(void)state;
	fake.alias = true;
	memset(buf, 0xcc, sizeof(buf));
	snapshot();
	/* Truncated to 32 bits these would be valid, at the bottom of page 0.
	 */
	assert_int_equal(hv_gmem_copy_from(&gm, buf, 0x100000000, 8),
			 -HV_EFAULT);
	assert_int_equal(hv_gmem_copy_to(&gm, 0x100000000, buf, 8), -HV_EFAULT);
	assert_int_equal(hv_gmem_clear(&gm, 0x100000000, 8), -HV_EFAULT);
	/* Straddling 2^32, and wrapping far beyond it. */
	assert_int_equal(hv_gmem_copy_from(&gm, buf, 0xfffffff8, 9),
			 -HV_EFAULT);
	assert_int_equal(hv_gmem_copy_to(&gm, 0xfffffffffffffff8, buf, 16),
			 -HV_EFAULT);
	assert_int_equal(buf[0], 0xcc);
	assert_guest_unchanged();

	/* Up to 2^32 exactly is fine. */
	expect_value(strict_translate, gfn, 0xfffff);
	expect_value(strict_translate, access, HV_GMEM_READ);
	assert_int_equal(hv_gmem_copy_from(&gm, buf, 0xfffffff8, 8), 0);
	assert_memory_equal(buf, &fake.mem[15][PAGE - 8], 8);
}

static void addr_bits_1(void **state)
{
	struct hv_gmem gm = guest(1);
	uint8_t buf[3];

	(void)state;
	assert_int_equal(hv_gmem_copy_from(&gm, buf, 0, 2), 0);
	assert_memory_equal(buf, fake.mem[0], 2);
	assert_int_equal(hv_gmem_copy_from(&gm, buf, 1, 2), -HV_EFAULT);
	assert_int_equal(hv_gmem_copy_from(&gm, buf, 0, 3), -HV_EFAULT);
	assert_int_equal(hv_gmem_copy_from(&gm, buf, 2, 1), -HV_EFAULT);
}

/* An addr_bits outside 1..64 (a misconfiguration, not checked by init)
 * makes every access fault, without asking the callback. */
static void bad_addr_bits_fault_everything(void **state)
{
	static const unsigned int bad[] = {0, 65, 128, UINT32_MAX};
	uint8_t buf[8] = {0};
	char str[8];
	void *p = NULL;

	(void)state;
	fake.alias = true;
	snapshot();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct hv_gmem gm = strict_guest(bad[i]);

		assert_int_equal(hv_gmem_copy_from(&gm, buf, 0, 8), -HV_EFAULT);
		assert_int_equal(hv_gmem_copy_to(&gm, PAGE, buf, 8),
				 -HV_EFAULT);
		assert_int_equal(hv_gmem_clear(&gm, 0, 1), -HV_EFAULT);
		assert_int_equal(hv_gmem_map(&gm, 0, 8, 8, HV_GMEM_READ, &p),
				 -HV_EFAULT);
		assert_int_equal(hv_gmem_copy_string(&gm, str, 0, sizeof(str)),
				 -HV_EFAULT);
	}
	assert_null(p);
	assert_guest_unchanged();
}

static void map_returns_page_and_offset(void **state)
{
	struct hv_gmem gm = guest(32);
	void *p = NULL;

	(void)state;
	assert_int_equal(
	    hv_gmem_map(&gm, 6 * PAGE + 64, 64, 64, HV_GMEM_WRITE, &p), 0);
	assert_ptr_equal(p, at(6 * PAGE + 64));
	assert_int_equal(fake.ncalls, 1);
	assert_call(0, 6, HV_GMEM_WRITE);
	/* Ending exactly at the page's end, and a whole page. */
	assert_int_equal(hv_gmem_map(&gm, 2 * PAGE - 8, 8, 8, HV_GMEM_READ, &p),
			 0);
	assert_ptr_equal(p, at(2 * PAGE - 8));
	assert_int_equal(hv_gmem_map(&gm, 3 * PAGE, PAGE, PAGE,
				     HV_GMEM_READ | HV_GMEM_WRITE, &p),
			 0);
	assert_ptr_equal(p, fake.mem[3]);
	/* align 1: any address. */
	assert_int_equal(hv_gmem_map(&gm, 4 * PAGE + 3, 5, 1, HV_GMEM_READ, &p),
			 0);
	assert_ptr_equal(p, at(4 * PAGE + 3));
}

static void map_rejects_bad_arguments(void **state)
{
	struct hv_gmem gm = strict_guest(32);
	void *p = &gm;

	(void)state;
	/* align 0 and non-powers of two. */
	assert_int_equal(hv_gmem_map(&gm, 0, 8, 0, HV_GMEM_READ, &p),
			 -HV_EINVAL);
	assert_int_equal(hv_gmem_map(&gm, 0, 8, 3, HV_GMEM_READ, &p),
			 -HV_EINVAL);
	assert_int_equal(hv_gmem_map(&gm, 0, 8, 12, HV_GMEM_READ, &p),
			 -HV_EINVAL);
	assert_int_equal(hv_gmem_map(&gm, 0, 8, SIZE_MAX, HV_GMEM_READ, &p),
			 -HV_EINVAL);
	/* Misaligned. */
	assert_int_equal(hv_gmem_map(&gm, PAGE + 4, 8, 8, HV_GMEM_READ, &p),
			 -HV_EINVAL);
	assert_int_equal(hv_gmem_map(&gm, 1, 1, 2, HV_GMEM_READ, &p),
			 -HV_EINVAL);
	/* Crossing a page boundary, or longer than a page. */
	assert_int_equal(hv_gmem_map(&gm, PAGE - 4, 8, 4, HV_GMEM_READ, &p),
			 -HV_EINVAL);
	assert_int_equal(hv_gmem_map(&gm, 0, PAGE + 1, 1, HV_GMEM_READ, &p),
			 -HV_EINVAL);
	assert_int_equal(hv_gmem_map(&gm, 0, SIZE_MAX, 1, HV_GMEM_READ, &p),
			 -HV_EINVAL);
	/* Empty. */
	assert_int_equal(hv_gmem_map(&gm, 0, 0, 1, HV_GMEM_READ, &p),
			 -HV_EINVAL);
	assert_ptr_equal(p, &gm);
}

static void map_faults(void **state)
{
	struct hv_gmem gm = guest(32);
	struct hv_gmem strict = strict_guest(32);
	struct hv_gmem strict64 = strict_guest(64);
	void *p = &gm;

	(void)state;
	fake.state[2] = FRAME_HOLE;
	fake.state[3] = FRAME_RO;
	assert_int_equal(hv_gmem_map(&gm, 2 * PAGE, 8, 8, HV_GMEM_READ, &p),
			 -HV_EFAULT);
	assert_int_equal(hv_gmem_map(&gm, 3 * PAGE, 8, 8, HV_GMEM_WRITE, &p),
			 -HV_EFAULT);
	assert_ptr_equal(p, &gm);
	assert_int_equal(hv_gmem_map(&gm, 3 * PAGE, 8, 8, HV_GMEM_READ, &p), 0);
	assert_ptr_equal(p, fake.mem[3]);

	/* Beyond the address width, or ending at 2^64: never asked. */
	fake.alias = true;
	p = &gm;
	assert_int_equal(
	    hv_gmem_map(&strict, 0x100000000, 8, 8, HV_GMEM_READ, &p),
	    -HV_EFAULT);
	assert_int_equal(
	    hv_gmem_map(&strict64, UINT64_MAX - 7, 8, 8, HV_GMEM_READ, &p),
	    -HV_EFAULT);
	assert_ptr_equal(p, &gm);
}

/* Pinning: frame gfn's pin is gfn + 100, and each pin is counted until
 * its unpin, so a test sees every pin given back exactly once. */
static struct {
	unsigned int held[NPAGES];
	bool null_page;
} pins;

static int fake_pin(void *ctx, hv_gfn_t frame, unsigned int access, void **page,
		    uint64_t *pin)
{
	int rc = fake_translate(ctx, frame, access, page);

	if (rc)
		return rc;
	pins.held[hv_gfn_x(frame) % NPAGES]++;
	*pin = hv_gfn_x(frame) + 100;
	if (pins.null_page)
		*page = NULL;
	return 0;
}

static void fake_unpin(void *ctx, uint64_t pin)
{
	assert_ptr_equal(ctx, &fake);
	assert_true(pin >= 100 && pin < 100 + NPAGES);
	assert_true(pins.held[pin - 100] > 0);
	pins.held[pin - 100]--;
}

static struct hv_gmem pinning_guest(void)
{
	struct hv_gmem gm = guest(32);

	memset(&pins, 0, sizeof(pins));
	hv_gmem_set_pinning(&gm, fake_pin, fake_unpin);
	return gm;
}

static void map_pinned_holds_until_unpin(void **state)
{
	struct hv_gmem gm = pinning_guest();
	uint64_t pin = 0;
	void *p = NULL;

	(void)state;
	assert_int_equal(hv_gmem_map_pinned(&gm, 6 * PAGE + 64, 64, 64,
					    HV_GMEM_WRITE, &p, &pin),
			 0);
	assert_ptr_equal(p, at(6 * PAGE + 64));
	assert_int_equal(pin, 106);
	assert_int_equal(pins.held[6], 1);
	assert_int_equal(fake.ncalls, 1);
	assert_call(0, 6, HV_GMEM_WRITE);
	hv_gmem_unpin(&gm, pin);
	assert_int_equal(pins.held[6], 0);
}

/* Every refusal leaves nothing pinned and *ptr, *pin untouched. */
static void map_pinned_refusals_hold_nothing(void **state)
{
	struct hv_gmem gm = pinning_guest();
	uint64_t pin = 7;
	void *p = &gm;

	(void)state;
	fake.state[3] = FRAME_RO;
	assert_int_equal(
	    hv_gmem_map_pinned(&gm, PAGE + 4, 8, 8, HV_GMEM_READ, &p, &pin),
	    -HV_EINVAL);
	assert_int_equal(
	    hv_gmem_map_pinned(&gm, 0x100000000, 8, 8, HV_GMEM_READ, &p, &pin),
	    -HV_EFAULT);
	assert_int_equal(
	    hv_gmem_map_pinned(&gm, 3 * PAGE, 8, 8, HV_GMEM_WRITE, &p, &pin),
	    -HV_EFAULT);
	/* A pin that hands back no page is a fault, and given back. */
	pins.null_page = true;
	assert_int_equal(
	    hv_gmem_map_pinned(&gm, 2 * PAGE, 8, 8, HV_GMEM_READ, &p, &pin),
	    -HV_EFAULT);
	assert_ptr_equal(p, &gm);
	assert_int_equal(pin, 7);
	for (size_t i = 0; i < NPAGES; i++)
		assert_int_equal(pins.held[i], 0);
}

/* An address space without pinning: hv_gmem_map, pin 0, unpin a no-op. */
static void map_pinned_without_pinning_maps(void **state)
{
	struct hv_gmem gm = guest(32);
	uint64_t pin = 7;
	void *p = NULL;

	(void)state;
	assert_int_equal(
	    hv_gmem_map_pinned(&gm, 5 * PAGE + 8, 8, 8, HV_GMEM_READ, &p, &pin),
	    0);
	assert_ptr_equal(p, at(5 * PAGE + 8));
	assert_int_equal(pin, 0);
	hv_gmem_unpin(&gm, pin);
	fake.state[4] = FRAME_HOLE;
	assert_int_equal(
	    hv_gmem_map_pinned(&gm, 4 * PAGE, 8, 8, HV_GMEM_READ, &p, &pin),
	    -HV_EFAULT);
}

/* Puts s (with its NUL) at gaddr, possibly across pages. */
static void put_string(uint64_t gaddr, const char *s)
{
	size_t n = strlen(s) + 1;

	for (size_t i = 0; i < n; i++)
		*at(gaddr + i) = (uint8_t)s[i];
}

static void string_within_page(void **state)
{
	struct hv_gmem gm = guest(32);
	char dst[32];

	(void)state;
	put_string(PAGE + 10, "hello");
	assert_int_equal(hv_gmem_copy_string(&gm, dst, PAGE + 10, sizeof(dst)),
			 5);
	assert_string_equal(dst, "hello");
	assert_int_equal(fake.ncalls, 1);
	assert_call(0, 1, HV_GMEM_READ);

	put_string(PAGE, "");
	assert_int_equal(hv_gmem_copy_string(&gm, dst, PAGE, sizeof(dst)), 0);
	assert_string_equal(dst, "");
}

static void string_across_pages(void **state)
{
	struct hv_gmem gm = guest(32);
	char dst[32];

	(void)state;
	put_string(3 * PAGE - 4, "abcdefgh");
	assert_int_equal(
	    hv_gmem_copy_string(&gm, dst, 3 * PAGE - 4, sizeof(dst)), 8);
	assert_string_equal(dst, "abcdefgh");
	assert_int_equal(fake.ncalls, 2);
	assert_call(0, 2, HV_GMEM_READ);
	assert_call(1, 3, HV_GMEM_READ);
}

static void string_into_hole(void **state)
{
	struct hv_gmem gm = guest(32);
	char dst[32];

	(void)state;
	fake.state[5] = FRAME_HOLE;
	memset(at(5 * PAGE - 4), 'x', 4); /* no NUL before the hole */
	assert_int_equal(
	    hv_gmem_copy_string(&gm, dst, 5 * PAGE - 4, sizeof(dst)),
	    -HV_EFAULT);
	assert_string_equal(dst, "");
	assert_int_equal(hv_gmem_copy_string(&gm, dst, 5 * PAGE, sizeof(dst)),
			 -HV_EFAULT);
	assert_string_equal(dst, "");
}

/* The NUL is the last byte before the hole: the hole is never asked for. */
static void string_reads_no_further_than_nul(void **state)
{
	struct hv_gmem gm = guest(32);
	char dst[32];

	(void)state;
	fake.state[5] = FRAME_HOLE;
	put_string(5 * PAGE - 4, "abc");
	assert_int_equal(
	    hv_gmem_copy_string(&gm, dst, 5 * PAGE - 4, sizeof(dst)), 3);
	assert_string_equal(dst, "abc");
	assert_int_equal(fake.ncalls, 1);
	assert_call(0, 4, HV_GMEM_READ);
}

static void string_too_long(void **state)
{
	struct hv_gmem gm = guest(32);
	char dst[8];

	(void)state;
	put_string(0, "12345678");
	assert_int_equal(hv_gmem_copy_string(&gm, dst, 0, sizeof(dst)),
			 -HV_ENAMETOOLONG);
	assert_string_equal(dst, "");
	/* max bytes read, none a NUL: the page beyond is not asked for even
	 * when it is a hole. */
	fake.state[7] = FRAME_HOLE;
	fake.ncalls = 0;
	memset(at(7 * PAGE - 8), 'y', 8);
	assert_int_equal(
	    hv_gmem_copy_string(&gm, dst, 7 * PAGE - 8, sizeof(dst)),
	    -HV_ENAMETOOLONG);
	assert_int_equal(fake.ncalls, 1);
}

static void string_of_max_minus_one(void **state)
{
	struct hv_gmem gm = guest(32);
	char dst[8];

	(void)state;
	memset(dst, 0x7f, sizeof(dst));
	put_string(2 * PAGE - 3, "1234567");
	assert_int_equal(
	    hv_gmem_copy_string(&gm, dst, 2 * PAGE - 3, sizeof(dst)), 7);
	assert_string_equal(dst, "1234567");
	assert_int_equal(hv_gmem_copy_string(&gm, dst, 2 * PAGE - 3, 7),
			 -HV_ENAMETOOLONG);
}

static void string_max_edge_cases(void **state)
{
	struct hv_gmem gm = guest(32);
	char dst[2] = {'z', 'z'};

	(void)state;
	put_string(0, "a");
	assert_int_equal(hv_gmem_copy_string(&gm, dst, 0, 0), -HV_EINVAL);
	assert_int_equal(dst[0], 'z');
	assert_int_equal(hv_gmem_copy_string(&gm, dst, 0, 1), -HV_ENAMETOOLONG);
	assert_int_equal(dst[0], '\0');
	put_string(0, "");
	assert_int_equal(hv_gmem_copy_string(&gm, dst, 0, 1), 0);
	assert_int_equal(dst[0], '\0');
}

static void string_at_top_of_address_space(void **state)
{
	struct hv_gmem gm = guest(32);
	struct hv_gmem gm64 = guest(64);
	char dst[32];

	(void)state;
	fake.alias = true;
	/* Ends right below 2^32: fine. */
	put_string(NPAGES * PAGE - 4, "abc");
	assert_int_equal(hv_gmem_copy_string(&gm, dst, 0xfffffffc, sizeof(dst)),
			 3);
	assert_string_equal(dst, "abc");
	/* Runs into 2^32: faults, and frame 0x100000 is never asked for. */
	memset(at(NPAGES * PAGE - 4), 'q', 4);
	fake.ncalls = 0;
	assert_int_equal(hv_gmem_copy_string(&gm, dst, 0xfffffffc, sizeof(dst)),
			 -HV_EFAULT);
	assert_int_equal(fake.ncalls, 1);
	assert_call(0, 0xfffff, HV_GMEM_READ);
	assert_int_equal(
	    hv_gmem_copy_string(&gm, dst, 0x100000000, sizeof(dst)),
	    -HV_EFAULT);
	/* 64-bit: the NUL may be the byte before UINT64_MAX; the byte at
	 * UINT64_MAX is out of reach, and the string never wraps to address
	 * 0 (which holds a valid string). */
	put_string(0, "wrapped");
	put_string(NPAGES * PAGE - 3, "a");
	assert_int_equal(
	    hv_gmem_copy_string(&gm64, dst, UINT64_MAX - 2, sizeof(dst)), 1);
	assert_string_equal(dst, "a");
	put_string(NPAGES * PAGE - 3, "ab");
	assert_int_equal(
	    hv_gmem_copy_string(&gm64, dst, UINT64_MAX - 2, sizeof(dst)),
	    -HV_EFAULT);
	assert_string_equal(dst, "");
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(init_stores_fields),
	    T(copy_from_within_page),
	    T(copy_to_within_page),
	    T(copy_from_across_pages),
	    T(copy_to_across_pages),
	    T(copy_translates_each_page_in_order),
	    T(copy_within_page_translates_once),
	    T(copy_from_hole_leaves_dst),
	    T(copy_to_hole_leaves_guest),
	    T(copy_from_beyond_fake_faults),
	    T(read_only_page),
	    T(clear_zeroes_exactly_the_range),
	    T(clear_hole_leaves_guest),
	    T(null_page_from_callback_faults),
	    T(len_zero_asks_nothing),
	    T(wraparound_faults_unasked),
	    T(top_of_64bit_space),
	    T(addr_bits_32),
	    T(addr_bits_1),
	    T(bad_addr_bits_fault_everything),
	    T(map_returns_page_and_offset),
	    T(map_rejects_bad_arguments),
	    T(map_faults),
	    T(map_pinned_holds_until_unpin),
	    T(map_pinned_refusals_hold_nothing),
	    T(map_pinned_without_pinning_maps),
	    T(string_within_page),
	    T(string_across_pages),
	    T(string_into_hole),
	    T(string_reads_no_further_than_nul),
	    T(string_too_long),
	    T(string_of_max_minus_one),
	    T(string_max_edge_cases),
	    T(string_at_top_of_address_space),
	};

	return cmocka_run_group_tests_name("gmem", tests, NULL, NULL);
}
