/*
 * hv/types.h and hv/compiler.h: frame-number wrappers and conversions
 * (with addresses above 4 GiB, where a 32-bit slip would show), page and
 * time constants, and the integer helpers on 64-bit values.
 */
#include <hv/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

static void frame_constructors_and_accessors(void **state)
{
	hv_gfn_t g = hv_gfn(0x123456789abcdULL);
	hv_mfn_t m = hv_mfn(UINT64_MAX);

	(void)state;
	assert_int_equal(hv_gfn_x(g), 0x123456789abcdULL);
	assert_int_equal(hv_mfn_x(m), UINT64_MAX);
	assert_int_equal(hv_mfn_x(m), HV_INVALID_FRAME);
	assert_true(hv_gfn_eq(g, hv_gfn(0x123456789abcdULL)));
	assert_false(hv_gfn_eq(g, hv_gfn(0x123456789abcdULL | 1ULL << 60)));
	assert_false(hv_gfn_eq(g, hv_gfn(0x123456789abccULL)));
	assert_true(hv_mfn_eq(m, hv_mfn(HV_INVALID_FRAME)));
	assert_false(hv_mfn_eq(m, hv_mfn(0)));
	assert_false(hv_mfn_eq(hv_mfn(1ULL << 40), hv_mfn(0)));
	assert_true(hv_mfn_eq(hv_mfn(1ULL << 40), hv_mfn(1ULL << 40)));
	assert_int_equal(sizeof(hv_gfn_t), sizeof(uint64_t));
	assert_int_equal(sizeof(hv_mfn_t), sizeof(uint64_t));
}

static void gpaddr_gfn_conversions(void **state)
{
	(void)state;
	assert_int_equal(hv_gfn_x(hv_gpaddr_to_gfn(0x12345678)), 0x12345);
	assert_int_equal(hv_gfn_x(hv_gpaddr_to_gfn(0xfff)), 0);
	assert_int_equal(hv_gfn_x(hv_gpaddr_to_gfn(0x1000)), 1);
	assert_int_equal(hv_gfn_x(hv_gpaddr_to_gfn(0xabcd12345678ULL)),
			 0xabcd12345ULL);
	assert_int_equal(hv_gfn_x(hv_gpaddr_to_gfn(UINT64_MAX)),
			 0xfffffffffffffULL);
	assert_int_equal(hv_gfn_to_gpaddr(hv_gfn(0xabcd12345ULL)),
			 0xabcd12345000ULL);
	assert_int_equal(hv_gfn_to_gpaddr(hv_gfn(0xfffffffffffffULL)),
			 0xfffffffffffff000ULL);
	/* Round trip: the page offset goes, every frame bit stays. */
	assert_int_equal(
	    hv_gfn_to_gpaddr(hv_gpaddr_to_gfn(0x8000000123456789ULL)),
	    0x8000000123456000ULL);
}

static void paddr_mfn_conversions(void **state)
{
	(void)state;
	assert_int_equal(hv_mfn_x(hv_paddr_to_mfn(0x1fffff)), 0x1ff);
	assert_int_equal(hv_mfn_x(hv_paddr_to_mfn(0x100000000ULL)),
			 0x100000ULL);
	assert_int_equal(hv_mfn_x(hv_paddr_to_mfn(UINT64_MAX)),
			 0xfffffffffffffULL);
	assert_int_equal(hv_mfn_to_paddr(hv_mfn(0x100000ULL)), 0x100000000ULL);
	assert_int_equal(hv_mfn_to_paddr(hv_mfn(0x8000000000001ULL)),
			 0x8000000000001000ULL);
	assert_int_equal(
	    hv_mfn_to_paddr(hv_paddr_to_mfn(0xfedcba9876543210ULL)),
	    0xfedcba9876543000ULL);
}

static void page_constants(void **state)
{
	(void)state;
	assert_int_equal(HV_PAGE_SHIFT, 12);
	assert_int_equal(HV_PAGE_SIZE, 4096);
	assert_int_equal(HV_PAGE_MASK, 0xfffffffffffff000ULL);
	/* 64 bits wide, so masking a high address keeps its top bits. */
	assert_int_equal(sizeof(HV_PAGE_SIZE), 8);
	assert_int_equal(sizeof(HV_PAGE_MASK), 8);
	assert_int_equal(0xffff800012345678ULL & HV_PAGE_MASK,
			 0xffff800012345000ULL);
	assert_int_equal(0xffff800012345678ULL & ~HV_PAGE_MASK, 0x678);
}

static void scalar_type_widths(void **state)
{
	(void)state;
	assert_int_equal(sizeof(hv_paddr_t), 8);
	assert_int_equal(sizeof(hv_gpaddr_t), 8);
	assert_int_equal(sizeof(hv_vaddr_t), 8);
	assert_int_equal(sizeof(hv_domid_t), 2); /* Xen's domid_t */
	assert_int_equal(sizeof(hv_vcpuid_t), 4);
	assert_int_equal(sizeof(hv_time_t), 8);
	assert_true((hv_time_t)-1 < 0); /* signed: differences are */
}

static void time_macros(void **state)
{
	(void)state;
	assert_int_equal(HV_NSEC(5), 5);
	assert_int_equal(HV_USEC(1), 1000);
	assert_int_equal(HV_MSEC(1), 1000000);
	assert_int_equal(HV_SEC(1), 1000000000);
	/* The cast comes first: no 32-bit overflow for large counts. */
	assert_int_equal(HV_SEC(10), 10000000000LL);
	assert_int_equal(HV_MSEC(5000), HV_SEC(5));
	assert_int_equal(HV_USEC(3000000), HV_SEC(3));
	assert_int_equal(HV_SEC(3600 * 24 * 365), 31536000000000000LL);
	assert_true(HV_SEC(-2) == -2000000000LL);
	assert_int_equal(HV_TIME_NEVER, INT64_MAX);
	assert_true(HV_SEC(3600LL * 24 * 365 * 100) < HV_TIME_NEVER);
}

static void align_on_64bit_values(void **state)
{
	uint64_t x = 0x123456789abcd123ULL;

	(void)state;
	/* An unsigned int alignment must not clear the top 32 bits. */
	assert_int_equal(HV_ALIGN_DOWN(x, 4096u), 0x123456789abcd000ULL);
	assert_int_equal(HV_ALIGN_UP(x, 4096u), 0x123456789abce000ULL);
	assert_int_equal(HV_ALIGN_DOWN(x, 4096), 0x123456789abcd000ULL);
	assert_int_equal(HV_ALIGN_UP(x, HV_PAGE_SIZE), 0x123456789abce000ULL);
	assert_int_equal(HV_ALIGN_UP(x, 1ULL << 32), 0x1234567900000000ULL);
	assert_int_equal(HV_ALIGN_DOWN(x, 1ULL << 32), 0x1234567800000000ULL);
	assert_int_equal(HV_ALIGN_UP(x, 1), x);
	assert_int_equal(HV_ALIGN_DOWN(x, 1), x);
	/* Aligned values stay put; 0 is aligned to anything. */
	assert_int_equal(HV_ALIGN_UP(0x200000000ULL, 4096u), 0x200000000ULL);
	assert_int_equal(HV_ALIGN_DOWN(0x200000000ULL, 4096u), 0x200000000ULL);
	assert_int_equal(HV_ALIGN_UP((uint64_t)0, 4096u), 0);

	assert_true(HV_IS_ALIGNED(0x200000000ULL, 4096u));
	assert_true(HV_IS_ALIGNED(0x8000000000000000ULL, 1ULL << 63));
	assert_false(HV_IS_ALIGNED(0x8000000000000000ULL | 0x800, 4096u));
	assert_false(HV_IS_ALIGNED(0x100000000ULL, 1ULL << 33));
	assert_true(HV_IS_ALIGNED(x, 1));
}

static void align_on_narrower_values(void **state)
{
	uint32_t y = 0xfffff001u;

	(void)state;
	assert_int_equal(HV_ALIGN_DOWN(y, 4096), 0xfffff000u);
	assert_true(HV_IS_ALIGNED(HV_ALIGN_DOWN(y, 16), 16));
	assert_int_equal(HV_ALIGN_UP((uint32_t)0x1001, 0x1000), 0x2000);
}

static void min_max_u64(void **state)
{
	(void)state;
	assert_int_equal(hv_min_u64(1, 2), 1);
	assert_int_equal(hv_min_u64(2, 1), 1);
	assert_int_equal(hv_max_u64(1, 2), 2);
	assert_int_equal(hv_max_u64(2, 1), 2);
	/* Values that differ only above bit 31. */
	assert_int_equal(hv_min_u64(0x100000000ULL, 0x200000000ULL),
			 0x100000000ULL);
	assert_int_equal(hv_max_u64(0x100000000ULL, 0x200000000ULL),
			 0x200000000ULL);
	assert_int_equal(hv_min_u64(UINT64_MAX, 0), 0);
	assert_int_equal(hv_max_u64(UINT64_MAX, 0), UINT64_MAX);
	assert_int_equal(hv_max_u64(7, 7), 7);
}

struct outer {
	uint8_t pad[13];
	uint64_t inner;
	char tail;
};

static void array_size_and_container_of(void **state)
{
	uint64_t words[7];
	char bytes[3];
	struct outer objs[5];
	struct outer o;

	(void)state;
	assert_int_equal(HV_ARRAY_SIZE(words), 7);
	assert_int_equal(HV_ARRAY_SIZE(bytes), 3);
	assert_int_equal(HV_ARRAY_SIZE(objs), 5);
	assert_ptr_equal(hv_container_of(&o.inner, struct outer, inner), &o);
	assert_ptr_equal(hv_container_of(&o.tail, struct outer, tail), &o);
	assert_ptr_equal(hv_container_of(&o.pad[0], struct outer, pad), &o);
}

static void likely_unlikely_keep_truth(void **state)
{
	int three = 3;

	(void)state;
	assert_true(HV_LIKELY(three));
	assert_false(HV_UNLIKELY(three - 3));
	assert_int_equal(HV_LIKELY(three), 1);
}

/* Usable at file scope, where C needs a declaration. */
HV_STATIC_ASSERT(sizeof(hv_gfn_t) == 8, "a frame number is 64 bits");

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(frame_constructors_and_accessors),
	    cmocka_unit_test(gpaddr_gfn_conversions),
	    cmocka_unit_test(paddr_mfn_conversions),
	    cmocka_unit_test(page_constants),
	    cmocka_unit_test(scalar_type_widths),
	    cmocka_unit_test(time_macros),
	    cmocka_unit_test(align_on_64bit_values),
	    cmocka_unit_test(align_on_narrower_values),
	    cmocka_unit_test(min_max_u64),
	    cmocka_unit_test(array_size_and_container_of),
	    cmocka_unit_test(likely_unlikely_keep_truth),
	};

	return cmocka_run_group_tests_name("types", tests, NULL, NULL);
}
