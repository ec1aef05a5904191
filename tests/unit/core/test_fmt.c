/*
 * hv/fmt.h: hv_snprintf against the host libc's snprintf over a large
 * table of formats and values, truncation at every buffer size, and what
 * libc leaves undefined (NULL %s, %p of NULL, unknown conversions).
 */
#include <hv/fmt.h>
#include <hv/string.h>

#include <limits.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#define OUT_MAX 512

/* Format with both libc and hv_vsnprintf and fail on any difference in
 * the bytes (a %c may write a NUL) or the return value. */
static void compare_v(int line, const char *fmt, va_list ap)
{
	char want[OUT_MAX], got[OUT_MAX];
	va_list ap2;
	int want_n, got_n;

	va_copy(ap2, ap);
	want_n = vsnprintf(want, sizeof(want), fmt, ap);
	got_n = hv_vsnprintf(got, sizeof(got), fmt, ap2);
	va_end(ap2);
	assert_true(want_n >= 0 && want_n < OUT_MAX);
	if (got_n != want_n || memcmp(got, want, (size_t)want_n + 1) != 0)
		fail_msg("line %d, format \"%s\": got %d \"%s\", want %d "
			 "\"%s\"",
			 line, fmt, got_n, got, want_n, want);
}

/* No format attribute: the table test builds its formats at run time. */
static void compare(int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	compare_v(line, fmt, ap);
	va_end(ap);
}

#define COMPARE(...) compare(__LINE__, __VA_ARGS__)

/* hv_vsnprintf alone, for what libc has no answer to; no format attribute
 * either, so that a deliberately bad format compiles. */
static int hv_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void expect(int line, const char *want, const char *fmt, ...)
{
	char got[OUT_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(got, sizeof(got), fmt, ap);
	va_end(ap);
	if (n != (int)strlen(want) || strcmp(got, want) != 0)
		fail_msg("line %d, format \"%s\": got %d \"%s\", want \"%s\"",
			 line, fmt, n, got, want);
}

#define EXPECT(want, ...) expect(__LINE__, want, __VA_ARGS__)

static const char *const lengths[] = {"", "hh", "h", "l", "ll", "z", "j", "t"};

/* Passes v as the type the length modifier and conversion call for;
 * hh and h take an int, which the conversion narrows. */
static void compare_integer(const char *fmt, size_t length, bool is_signed,
			    intmax_t v)
{
	switch (length) {
	case 0:
		if (is_signed)
			COMPARE(fmt, (int)v);
		else
			COMPARE(fmt, (unsigned int)v);
		break;
	case 1:
	case 2:
		COMPARE(fmt, (int)v);
		break;
	case 3:
		if (is_signed)
			COMPARE(fmt, (long)v);
		else
			COMPARE(fmt, (unsigned long)v);
		break;
	case 4:
		if (is_signed)
			COMPARE(fmt, (long long)v);
		else
			COMPARE(fmt, (unsigned long long)v);
		break;
	case 5:
	case 7:
		if (is_signed)
			COMPARE(fmt, (ptrdiff_t)v);
		else
			COMPARE(fmt, (size_t)v);
		break;
	default:
		if (is_signed)
			COMPARE(fmt, v);
		else
			COMPARE(fmt, (uintmax_t)v);
		break;
	}
}

/*
 * Every combination of the five flags, a few widths and precisions, every
 * length modifier and integer conversion, over values at the edges of each
 * type.  '#' is left out of d, i and u, where C leaves it undefined.
 */
static void integers_match_libc(void **state)
{
	static const char flag_chars[] = "-0+ #";
	static const char *const widths[] = {"", "1", "7", "24"};
	static const char *const precisions[] = {"",   ".",  ".0",
						 ".1", ".4", ".23"};
	static const char conversions[] = "diuoxX";
	static const intmax_t values[] = {
	    0,	       1,	  -1,	      7,
	    8,	       42,	  -42,	      127,
	    -128,      255,	  256,	      32767,
	    -32768,    65535,	  65536,      INT_MAX,
	    INT_MIN,   UINT_MAX,  LONG_MAX,   LONG_MIN,
	    LLONG_MAX, LLONG_MIN, INTMAX_MIN, 0x123456789abcdefLL,
	};
	char fmt[32];

	(void)state;
	for (unsigned int flags = 0; flags < 32; flags++) {
		char f[6];
		size_t nf = 0;

		for (unsigned int i = 0; i < 5; i++)
			if (flags & (1u << i))
				f[nf++] = flag_chars[i];
		f[nf] = '\0';
		for (size_t c = 0; c < sizeof(conversions) - 1; c++) {
			char conv = conversions[c];
			bool is_signed = conv == 'd' || conv == 'i';

			if ((flags & 16) && (is_signed || conv == 'u'))
				continue;
			for (size_t w = 0; w < HV_ARRAY_SIZE(widths); w++)
				for (size_t p = 0;
				     p < HV_ARRAY_SIZE(precisions); p++)
					for (size_t l = 0;
					     l < HV_ARRAY_SIZE(lengths); l++) {
						snprintf(fmt, sizeof(fmt),
							 "<%%%s%s%s%s%c>", f,
							 widths[w],
							 precisions[p],
							 lengths[l], conv);
						for (size_t v = 0;
						     v < HV_ARRAY_SIZE(values);
						     v++)
							compare_integer(
							    fmt, l, is_signed,
							    values[v]);
					}
		}
	}
}

static void integer_edge_cases(void **state)
{
	(void)state;
	COMPARE("%d %i", INT_MIN, INT_MAX);
	COMPARE("%lld %lli", LLONG_MIN, LLONG_MAX);
	COMPARE("%ld %lu", LONG_MIN, ULONG_MAX);
	COMPARE("%jd %ju", INTMAX_MIN, UINTMAX_MAX);
	COMPARE("%zu %zx %td", SIZE_MAX, SIZE_MAX, PTRDIFF_MIN);
	COMPARE("%hhd %hhu %hd %hu", 200, 300, 40000, 70000);
	COMPARE("%llo %llX", ULLONG_MAX, ULLONG_MAX);
	/* Zero with precision 0 has no digits; '#' and octal still print 0. */
	COMPARE("[%.0d] [%.0u] [%.0x] [%.0o]", 0, 0u, 0u, 0u);
	COMPARE("[%5.0d] [%-5.0i] [%+.0d] [% .0d]", 0, 0, 0, 0);
	COMPARE("[%#.0o] [%#o] [%#x] [%#.0x] [%#X]", 0u, 0u, 0u, 0u, 0u);
	COMPARE("[%#o] [%#.3o] [%#5o] [%#-5o] [%#05o]", 8u, 8u, 8u, 8u, 8u);
	COMPARE("[%#x] [%#X] [%#08x] [%#-8x] [%#.4x]", 255u, 255u, 255u, 255u,
		255u);
	/* '0' gives way to '-' and to a precision; ' ' gives way to '+'. */
	COMPARE("[%-05d] [%05.2d] [%+ d] [% 05d] [%+05d]", -3, -3, 3, 3, 3);
	COMPARE("[%0100d]", -1);
	COMPARE("[%.100u]", 12345u);
}

static void star_width_and_precision(void **state)
{
	(void)state;
	COMPARE("[%*d]", 6, 42);
	COMPARE("[%*d]", -6, 42);
	COMPARE("[%-*d]", -6, 42);
	COMPARE("[%0*d]", 6, -42);
	COMPARE("[%.*d]", 4, 7);
	COMPARE("[%.*d]", -1, 7);
	COMPARE("[%.*d]", 0, 0);
	COMPARE("[%*.*x]", 10, 6, 0xabcu);
	COMPARE("[%*.*s]", -8, 2, "hello");
	COMPARE("[%.*s]", -3, "hello");
	COMPARE("[%*c]", 3, 'z');
}

static void chars_and_strings(void **state)
{
	(void)state;
	COMPARE("[%c] [%3c] [%-3c]", 'a', 'b', 'c');
	/* An int is narrowed to unsigned char; a NUL is output as a byte. */
	COMPARE("[%c]", 0x141);
	COMPARE("[%c]", 0);
	COMPARE("[%c]", 0xe9);
	COMPARE("[%s] [%s]", "hello", "");
	COMPARE("[%10s] [%-10s] [%.3s] [%10.3s] [%-10.3s]", "abcdef", "abcdef",
		"abcdef", "abcdef", "abcdef");
	COMPARE("[%.0s] [%.10s] [%1s]", "abc", "abc", "abc");
	COMPARE("%s", "a long string, longer than any width used here, so "
		      "that nothing pads it");
}

/* With a precision the array need not be NUL-terminated: reading past it
 * would show up under ASan. */
static void string_precision_stops_reading(void **state)
{
	static const char unterminated[3] = {'x', 'y', 'z'};

	(void)state;
	EXPECT("[xyz]", "[%.3s]", unterminated);
	EXPECT("[xy]", "[%.*s]", 2, unterminated);
}

static void null_string(void **state)
{
	(void)state;
	EXPECT("(null)", "%s", (const char *)NULL);
	EXPECT("[  (null)]", "[%8s]", (const char *)NULL);
	EXPECT("[(null)  ]", "[%-8s]", (const char *)NULL);
}

static void percent_sign(void **state)
{
	(void)state;
	COMPARE("%%");
	COMPARE("100%% of %d%%", 42);
	COMPARE("%%d%%%d", 1);
}

static void pointers(void **state)
{
	int object;
	void *p = &object;

	(void)state;
	COMPARE("%p", p);
	COMPARE("[%30p] [%-30p] [%030p] [%.20p]", p, p, p, p);
	COMPARE("%p", (void *)(uintptr_t)0xdeadbeef);
	COMPARE("%p", (void *)UINTPTR_MAX);
	/* libc prints "(nil)"; hvkit keeps the 0x form. */
	EXPECT("0x0", "%p", (void *)NULL);
	EXPECT("[     0x0]", "[%8p]", (void *)NULL);
	EXPECT("0xdeadbeef", "%p", (void *)(uintptr_t)0xdeadbeef);
}

/* An unknown conversion comes out as written, flags and all, and does not
 * eat an argument. */
static void unknown_conversion(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(hv_format(buf, sizeof(buf), "%y"), 2);
	assert_string_equal(buf, "%y");
	assert_int_equal(hv_format(buf, sizeof(buf), "[%-5y] %d", 7), 8);
	assert_string_equal(buf, "[%-5y] 7");
	assert_int_equal(hv_format(buf, sizeof(buf), "%ly%hhq%n", 1), 9);
	assert_string_equal(buf, "%ly%hhq%n");
	assert_int_equal(hv_format(buf, sizeof(buf), "%f|%s", "ok"), 5);
	assert_string_equal(buf, "%f|ok");
	/* A format that ends inside a specification. */
	assert_int_equal(hv_format(buf, sizeof(buf), "abc%"), 4);
	assert_string_equal(buf, "abc%");
	assert_int_equal(hv_format(buf, sizeof(buf), "x%-08.3l"), 8);
	assert_string_equal(buf, "x%-08.3l");
}

/*
 * Every buffer size from 0 to past the full length: the return value never
 * changes, exactly size - 1 bytes and a NUL are written, nothing beyond, and
 * libc agrees byte for byte.
 */
static void truncate_every_size_v(const char *fmt, va_list ap)
{
	char full[OUT_MAX], got[OUT_MAX], want[OUT_MAX];
	va_list aq;
	int len;

	va_copy(aq, ap);
	len = hv_vsnprintf(full, sizeof(full), fmt, aq);
	va_end(aq);
	assert_in_range(len, 0, OUT_MAX - 4);

	for (size_t size = 0; size <= (size_t)len + 2; size++) {
		size_t kept =
		    size ? (size - 1 < (size_t)len ? size - 1 : len) : 0;

		memset(got, '#', sizeof(got));
		memset(want, '#', sizeof(want));
		va_copy(aq, ap);
		assert_int_equal(hv_vsnprintf(got, size, fmt, aq), len);
		va_end(aq);
		va_copy(aq, ap);
		assert_int_equal(vsnprintf(want, size, fmt, aq), len);
		va_end(aq);

		assert_memory_equal(got, full, kept);
		if (size)
			assert_int_equal(got[kept], '\0');
		for (size_t i = size; i < (size_t)len + 4; i++)
			assert_int_equal(got[i], '#');
		assert_memory_equal(got, want, (size_t)len + 4);
	}
}

static void truncate_every_size(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	truncate_every_size_v(fmt, ap);
	va_end(ap);
}

static void truncation(void **state)
{
	(void)state;
	truncate_every_size("hello, world");
	truncate_every_size("%d|%-6s|%#x", -12345, "ab", 0xbeefu);
	truncate_every_size("[%20d]", 1);
	truncate_every_size("[%-20d]", 1);
	truncate_every_size("[%.20d]", -1);
	truncate_every_size("[%*s]", 15, "pad");
	truncate_every_size("%lld%%", LLONG_MIN);
	truncate_every_size("%s", "");
}

static void size_zero_writes_nothing(void **state)
{
	char buf[4] = "abc";

	(void)state;
	assert_int_equal(hv_snprintf(NULL, 0, "%d", 12345), 5);
	assert_int_equal(hv_snprintf(buf, 0, "%s", "xyz"), 3);
	assert_string_equal(buf, "abc");
	assert_int_equal(hv_snprintf(buf, 1, "%s", "xyz"), 3);
	assert_string_equal(buf, "");
}

/* Widths up to INT_MAX cost only what is stored; a longer output cannot
 * be counted in an int and gives -1, as in C libraries. */
static void huge_widths(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(hv_snprintf(buf, sizeof(buf), "%*d", INT_MAX, 1),
			 INT_MAX);
	assert_string_equal(buf, "       ");
	assert_int_equal(hv_snprintf(NULL, 0, "%*d%*d", INT_MAX, 1, INT_MAX, 1),
			 -1);
	assert_int_equal(hv_snprintf(NULL, 0, "%*d", INT_MIN, 1), -1);
	assert_int_equal(hv_snprintf(buf, sizeof(buf), "%.*d", INT_MAX, 1),
			 INT_MAX);
	assert_string_equal(buf, "0000000");
	/* Width digits saturate at INT_MAX rather than wrapping. */
	assert_int_equal(hv_format(NULL, 0, "%99999999999999999999d", 1),
			 INT_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(integers_match_libc),
	    cmocka_unit_test(integer_edge_cases),
	    cmocka_unit_test(star_width_and_precision),
	    cmocka_unit_test(chars_and_strings),
	    cmocka_unit_test(string_precision_stops_reading),
	    cmocka_unit_test(null_string),
	    cmocka_unit_test(percent_sign),
	    cmocka_unit_test(pointers),
	    cmocka_unit_test(unknown_conversion),
	    cmocka_unit_test(truncation),
	    cmocka_unit_test(size_zero_writes_nothing),
	    cmocka_unit_test(huge_widths),
	};
	return cmocka_run_group_tests_name("fmt", tests, NULL, NULL);
}
