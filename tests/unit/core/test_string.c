/*
 * hv/string.h: every hv_* function against the host libc, over all
 * alignments and lengths around word boundaries, where word-at-a-time code
 * goes wrong.
 */
#include <hv/string.h>

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Offsets 0..MAX_OFFSET-1 cover every misalignment of a 64-bit word
 * twice; lengths 0..MAX_LEN cover two 64-byte blocks plus every tail. */
#define MAX_OFFSET 16
#define MAX_LEN	   160
#define BUF_SIZE   (MAX_OFFSET + MAX_LEN + MAX_OFFSET)

/* Word-aligned buffers, so offset 0 really is aligned. */
struct buffer {
	_Alignas(16) unsigned char b[BUF_SIZE];
};

static void fill_pattern(struct buffer *buf, unsigned int seed)
{
	for (size_t i = 0; i < BUF_SIZE; i++)
		buf->b[i] = (unsigned char)(i * 7 + seed * 31 + 1);
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void memcpy_all_alignments(void **state)
{
	struct buffer src, got, want;

	(void)state;
	fill_pattern(&src, 1);
	for (size_t so = 0; so < MAX_OFFSET; so++) {
		for (size_t d = 0; d < MAX_OFFSET; d++) {
			for (size_t n = 0; n <= MAX_LEN; n++) {
				fill_pattern(&got, 2);
				fill_pattern(&want, 2);
				memcpy(want.b + d, src.b + so, n);
				assert_ptr_equal(
				    hv_memcpy(got.b + d, src.b + so, n),
				    got.b + d);
				assert_memory_equal(got.b, want.b, BUF_SIZE);
			}
		}
	}
}

/* One buffer, source and destination overlapping in both directions. */
static void memmove_overlap_both_directions(void **state)
{
	struct buffer got, want;

	(void)state;
	for (size_t so = 0; so < 2 * MAX_OFFSET; so++) {
		for (size_t d = 0; d < 2 * MAX_OFFSET; d++) {
			for (size_t n = 0; n <= MAX_LEN; n++) {
				fill_pattern(&got, 3);
				fill_pattern(&want, 3);
				memmove(want.b + d, want.b + so, n);
				assert_ptr_equal(
				    hv_memmove(got.b + d, got.b + so, n),
				    got.b + d);
				assert_memory_equal(got.b, want.b, BUF_SIZE);
			}
		}
	}
}

static void memmove_disjoint(void **state)
{
	struct buffer src, got, want;

	(void)state;
	fill_pattern(&src, 4);
	for (size_t so = 0; so < MAX_OFFSET; so++) {
		for (size_t n = 0; n <= MAX_LEN; n++) {
			fill_pattern(&got, 5);
			fill_pattern(&want, 5);
			memmove(want.b + 3, src.b + so, n);
			hv_memmove(got.b + 3, src.b + so, n);
			assert_memory_equal(got.b, want.b, BUF_SIZE);
		}
	}
}

static void memset_all_alignments(void **state)
{
	/* Only the low byte counts: 0x1ab sets 0xab, -1 sets 0xff. */
	static const int values[] = {0, 0x5a, 0xff, 0x1ab, -1, 0x80};
	struct buffer got, want;

	(void)state;
	for (size_t v = 0; v < HV_ARRAY_SIZE(values); v++) {
		for (size_t d = 0; d < MAX_OFFSET; d++) {
			for (size_t n = 0; n <= MAX_LEN; n++) {
				fill_pattern(&got, 6);
				fill_pattern(&want, 6);
				memset(want.b + d, values[v], n);
				assert_ptr_equal(
				    hv_memset(got.b + d, values[v], n),
				    got.b + d);
				assert_memory_equal(got.b, want.b, BUF_SIZE);
			}
		}
	}
}

/* One byte differs at each position in turn, upwards and downwards, with
 * bytes on both sides of 0x80 so that a signed-char compare would fail. */
static void memcmp_sign_every_position(void **state)
{
	static const unsigned char pairs[][2] = {
	    {0x00, 0x01}, {0x7f, 0x80}, {0x01, 0xff}, {0xfe, 0xff}};
	struct buffer a, b;

	(void)state;
	for (size_t ao = 0; ao < MAX_OFFSET; ao++) {
		for (size_t bo = 0; bo < MAX_OFFSET; bo += 3) {
			for (size_t n = 0; n <= MAX_LEN; n++) {
				fill_pattern(&a, 7);
				hv_memcpy(b.b + bo, a.b + ao, n);
				assert_int_equal(
				    hv_memcmp(a.b + ao, b.b + bo, n), 0);
				for (size_t at = 0; at < n; at++) {
					for (size_t p = 0;
					     p < HV_ARRAY_SIZE(pairs); p++) {
						unsigned char *x = a.b + ao;
						unsigned char *y = b.b + bo;
						unsigned char keep = y[at];

						x[at] = pairs[p][0];
						y[at] = pairs[p][1];
						assert_int_equal(
						    sign(hv_memcmp(x, y, n)),
						    sign(memcmp(x, y, n)));
						assert_int_equal(
						    sign(hv_memcmp(y, x, n)),
						    sign(memcmp(y, x, n)));
						assert_true(hv_memcmp(x, y, n) <
							    0);
						x[at] = keep;
						y[at] = keep;
					}
				}
			}
		}
	}
}

/* A difference beyond n does not count. */
static void memcmp_ignores_bytes_past_n(void **state)
{
	unsigned char a[16] = "abcdefgh12345678";
	unsigned char b[16] = "abcdefgh1234567X";

	(void)state;
	assert_int_equal(hv_memcmp(a, b, 15), 0);
	assert_true(hv_memcmp(a, b, 16) < 0);
}

static void memchr_every_position(void **state)
{
	struct buffer buf;

	(void)state;
	for (size_t o = 0; o < MAX_OFFSET; o++) {
		for (size_t n = 0; n <= MAX_LEN; n++) {
			for (size_t at = 0; at < n + 2; at++) {
				unsigned char *s = buf.b + o;

				hv_memset(buf.b, 'a', BUF_SIZE);
				s[at] = 0xe9;
				/* An int beyond a char matches its low byte. */
				assert_ptr_equal(hv_memchr(s, 0xe9, n),
						 memchr(s, 0xe9, n));
				assert_ptr_equal(hv_memchr(s, 0x1e9, n),
						 memchr(s, 0x1e9, n));
				assert_ptr_equal(hv_memchr(s, 'b', n), NULL);
			}
		}
	}
}

static void strlen_and_strnlen(void **state)
{
	struct buffer buf;

	(void)state;
	for (size_t o = 0; o < MAX_OFFSET; o++) {
		for (size_t len = 0; len < MAX_LEN; len++) {
			char *s = (char *)buf.b + o;

			hv_memset(buf.b, 'x', BUF_SIZE);
			s[len] = '\0';
			assert_int_equal(hv_strlen(s), strlen(s));
			assert_int_equal(hv_strlen(s), len);
			for (size_t max = 0; max <= len + 2; max++)
				assert_int_equal(hv_strnlen(s, max),
						 strnlen(s, max));
		}
	}
}

/* strnlen must not read past max: the array here has no NUL at all. */
static void strnlen_stops_at_max(void **state)
{
	const char unterminated[4] = {'a', 'b', 'c', 'd'};

	(void)state;
	assert_int_equal(hv_strnlen(unterminated, 4), 4);
	assert_int_equal(hv_strnlen(unterminated, 2), 2);
	assert_int_equal(hv_strnlen(unterminated, 0), 0);
}

static const char *const compare_strings[] = {
    "",	     "a",	   "b",	      "ab",	     "abc",   "abd",
    "abcd",  "ABC",	   "\x7f",    "\x80",	     "\xff",  "a\xff",
    "a\x01", "abc\200def", "abc\x7f", "hello world", "hello",
};

static void strcmp_and_strncmp_signs(void **state)
{
	(void)state;
	for (size_t i = 0; i < HV_ARRAY_SIZE(compare_strings); i++) {
		for (size_t j = 0; j < HV_ARRAY_SIZE(compare_strings); j++) {
			const char *a = compare_strings[i];
			const char *b = compare_strings[j];

			assert_int_equal(sign(hv_strcmp(a, b)),
					 sign(strcmp(a, b)));
			for (size_t n = 0; n < 14; n++)
				assert_int_equal(sign(hv_strncmp(a, b, n)),
						 sign(strncmp(a, b, n)));
		}
	}
}

/* Bytes from 0x80 up sort after ASCII, as unsigned char. */
static void strcmp_is_unsigned(void **state)
{
	(void)state;
	assert_true(hv_strcmp("\x80", "\x7f") > 0);
	assert_true(hv_strcmp("a", "a\xff") < 0);
	assert_true(hv_strncmp("ab\xe9", "ab\x01", 3) > 0);
	assert_int_equal(hv_strncmp("abcX", "abcY", 3), 0);
}

/* Equal strings are equal whatever follows their NULs. */
static void strncmp_stops_at_nul(void **state)
{
	static const char a[] = "abc\0X";
	static const char b[] = "abc\0Y";

	(void)state;
	assert_int_equal(hv_strncmp(a, b, sizeof(a)), 0);
	assert_int_equal(hv_strcmp(a, b), 0);
	assert_true(hv_memcmp(a, b, sizeof(a)) < 0);
}

static void strchr_and_strrchr(void **state)
{
	static const char s[] = "a.b.c\xe9.d";
	static const int chars[] = {'a', '.',  'd',	   'z',
				    0,	 0xe9, (char)0xe9, 0x100 + '.'};

	(void)state;
	for (size_t i = 0; i < HV_ARRAY_SIZE(chars); i++) {
		assert_ptr_equal(hv_strchr(s, chars[i]), strchr(s, chars[i]));
		assert_ptr_equal(hv_strrchr(s, chars[i]), strrchr(s, chars[i]));
	}
	/* The terminator is part of the string. */
	assert_ptr_equal(hv_strchr(s, 0), s + sizeof(s) - 1);
	assert_ptr_equal(hv_strrchr(s, 0), s + sizeof(s) - 1);
	assert_ptr_equal(hv_strchr(s, '.'), s + 1);
	assert_ptr_equal(hv_strrchr(s, '.'), s + 6);
	assert_null(hv_strchr("", 'a'));
	assert_null(hv_strrchr("", 'a'));
}

static const char *const strtoul_inputs[] = {
    "0",
    "1",
    "42",
    "  \t\n\v\f\r42xyz",
    "+42",
    "-42",
    "-1",
    "+-1",
    "- 1",
    "",
    "   ",
    "+",
    "-",
    "x",
    "0x",
    "0X",
    "0xg",
    "0x1f",
    "0X1F",
    "-0x10",
    "0x0x1",
    "010",
    "08",
    "0789",
    "00",
    "777",
    "1010",
    "zz",
    "ZZ",
    "Zz9",
    "123abc",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999",
    "-18446744073709551615",
    "-18446744073709551616",
    "0xffffffffffffffff",
    "0x10000000000000000",
    "01777777777777777777777",
    "02000000000000000000000",
    "3w5e11264sgsf",
    "3w5e11264sgsg",
    "zzzzzzzzzzzzzzzzzzzz",
    "1111111111111111111111111111111111111111111111111111111111111111",
    "11111111111111111111111111111111111111111111111111111111111111111",
    "\xe9",
    "9\xe9",
};

static const int strtoul_bases[] = {0, 2, 8, 10, 16, 36};

static void strtoul_matches_libc(void **state)
{
	(void)state;
	for (size_t i = 0; i < HV_ARRAY_SIZE(strtoul_inputs); i++) {
		for (size_t b = 0; b < HV_ARRAY_SIZE(strtoul_bases); b++) {
			const char *s = strtoul_inputs[i];
			int base = strtoul_bases[b];
			char *want_end, *got_end;
			unsigned long want = strtoul(s, &want_end, base);
			unsigned long got = hv_strtoul(s, &got_end, base);

			if (got != want || got_end != want_end)
				fail_msg("\"%s\" base %d: got %lu end +%td, "
					 "want %lu end +%td",
					 s, base, got, got_end - s, want,
					 want_end - s);
		}
	}
}

static void strtoul_cases(void **state)
{
	char *end;
	const char *s;

	(void)state;
	s = "  -0x1fg";
	assert_int_equal(hv_strtoul(s, &end, 0), 0UL - 0x1f);
	assert_ptr_equal(end, s + 7);
	/* "0x" with no hex digit after it is the number 0 and ends at x. */
	s = "0xg";
	assert_int_equal(hv_strtoul(s, &end, 16), 0);
	assert_ptr_equal(end, s + 1);
	/* No digits: end is s itself, not past the white space and sign. */
	s = "  -z";
	assert_int_equal(hv_strtoul(s, &end, 10), 0);
	assert_ptr_equal(end, s);
	s = "18446744073709551616";
	assert_int_equal(hv_strtoul(s, &end, 10), ULONG_MAX);
	assert_ptr_equal(end, s + 20);
	s = "-99999999999999999999";
	assert_int_equal(hv_strtoul(s, &end, 10), ULONG_MAX);
	assert_int_equal(hv_strtoul("0755", NULL, 0), 0755);
	assert_int_equal(hv_strtoul("Zz", NULL, 36), 35 * 36 + 35);
}

static void strtoul_rejects_bad_base(void **state)
{
	static const int bad[] = {1, 37, -1, -16, INT_MAX};
	const char *s = "101";
	char *end = NULL;

	(void)state;
	for (size_t i = 0; i < HV_ARRAY_SIZE(bad); i++) {
		assert_int_equal(hv_strtoul(s, &end, bad[i]), 0);
		assert_ptr_equal(end, s);
	}
}

static void strlcpy_every_size(void **state)
{
	static const char src[] = "hello, world";
	const size_t len = sizeof(src) - 1;
	char dst[sizeof(src) + 4];

	(void)state;
	for (size_t size = 0; size < sizeof(dst); size++) {
		size_t copied = size ? (size - 1 < len ? size - 1 : len) : 0;

		hv_memset(dst, '#', sizeof(dst));
		assert_int_equal(hv_strlcpy(dst, src, size), len);
		assert_memory_equal(dst, src, copied);
		if (size)
			assert_int_equal(dst[copied], '\0');
		/* Nothing at or past size is written. */
		for (size_t i = size; i < sizeof(dst); i++)
			assert_int_equal(dst[i], '#');
	}
	assert_int_equal(hv_strlcpy(dst, "", sizeof(dst)), 0);
	assert_string_equal(dst, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(memcpy_all_alignments),
	    cmocka_unit_test(memmove_overlap_both_directions),
	    cmocka_unit_test(memmove_disjoint),
	    cmocka_unit_test(memset_all_alignments),
	    cmocka_unit_test(memcmp_sign_every_position),
	    cmocka_unit_test(memcmp_ignores_bytes_past_n),
	    cmocka_unit_test(memchr_every_position),
	    cmocka_unit_test(strlen_and_strnlen),
	    cmocka_unit_test(strnlen_stops_at_max),
	    cmocka_unit_test(strcmp_and_strncmp_signs),
	    cmocka_unit_test(strcmp_is_unsigned),
	    cmocka_unit_test(strncmp_stops_at_nul),
	    cmocka_unit_test(strchr_and_strrchr),
	    cmocka_unit_test(strtoul_matches_libc),
	    cmocka_unit_test(strtoul_cases),
	    cmocka_unit_test(strtoul_rejects_bad_base),
	    cmocka_unit_test(strlcpy_every_size),
	};
	return cmocka_run_group_tests_name("string", tests, NULL, NULL);
}
