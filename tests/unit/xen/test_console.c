/* Domain console lines: assembly, cleaning, cutting, and the rate limit. */
#include "fake_guest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static struct fake_guest g;

static int setup(void **state)
{
	(void)state;
	fake_guest_init(&g, "web");
	return 0;
}

static void write_str(const char *s)
{
	hv_xen_console_write(&g.dom, s, strlen(s));
}

static void partial_writes_make_one_line(void **state)
{
	(void)state;
	write_str("hel");
	assert_int_equal(g.nr_lines, 0);
	write_str("lo\nwor");
	write_str("ld\n");
	assert_int_equal(g.nr_lines, 2);
	assert_string_equal(g.lines[0], "(web) hello");
	assert_string_equal(g.lines[1], "(web) world");
}

static void empty_lines_are_kept(void **state)
{
	(void)state;
	write_str("\n\n");
	assert_int_equal(g.nr_lines, 2);
	assert_string_equal(g.lines[1], "(web) ");
}

static void control_characters_are_dropped(void **state)
{
	(void)state;
	/* An escape sequence, a carriage return, a NUL and a high byte go;
	 * the tab stays. */
	hv_xen_console_write(&g.dom, "a\x1b[2Jb\r\tc\0d\xff\n", 13);
	assert_string_equal(g.lines[0], "(web) a[2Jb\tcd");
}

static void a_guest_cannot_start_a_line_as_someone_else(void **state)
{
	(void)state;
	write_str("x\n(hvkit) domain web: shutdown poweroff\n");
	assert_string_equal(g.lines[1],
			    "(web) (hvkit) domain web: shutdown poweroff");
}

static void long_lines_are_cut_and_continued(void **state)
{
	char s[HV_XEN_CONSOLE_LINE_MAX + 11];

	(void)state;
	memset(s, 'y', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	write_str(s);
	write_str("\n");
	assert_int_equal(g.nr_lines, 2);
	assert_int_equal(strlen(g.lines[0]),
			 strlen("(web) ") + HV_XEN_CONSOLE_LINE_MAX);
	assert_int_equal(strlen(g.lines[1]), strlen("(web) ") + 10);
}

static void flush_prints_the_partial_line_once(void **state)
{
	(void)state;
	write_str("no newline");
	hv_xen_console_flush(&g.dom);
	hv_xen_console_flush(&g.dom);
	assert_int_equal(g.nr_lines, 1);
	assert_string_equal(g.lines[0], "(web) no newline");
}

static void shutdown_flushes_first(void **state)
{
	(void)state;
	write_str("last words");
	hv_xen_domain_crash(&g.dom, "test");
	assert_string_equal(g.lines[0], "(web) last words");
}

/* Fill the bucket's worth in lines of 63 characters + newline. */
static void flood(size_t bytes)
{
	char line[65];

	memset(line, 'z', 63);
	line[63] = '\n';
	line[64] = '\0';
	for (size_t i = 0; i < bytes / 64; i++)
		write_str(line);
}

static void rate_limit_drops_and_reports(void **state)
{
	unsigned int printed;

	(void)state;
	/* 60 lines would fit in the 64-line array; flood far more. */
	g.nr_lines = 0;
	flood(HV_XEN_CONSOLE_BURST + 64 * 100);
	printed = g.nr_lines;
	assert_true(printed > 0);
	assert_int_equal(g.dom.console_dropped, 64 * 100);

	/* A second later the bucket is full again: the drop is reported
	 * before the next output. */
	g.nr_lines = 0;
	g.now += HV_SEC(1);
	write_str("back\n");
	assert_int_equal(g.nr_lines, 2);
	assert_string_equal(g.lines[0], "(hvkit) domain web: 6400 bytes of "
					"console output dropped (rate limit)");
	assert_string_equal(g.lines[1], "(web) back");
	assert_int_equal(g.dom.console_dropped, 0);
}

static void rate_limit_refills_with_time(void **state)
{
	(void)state;
	flood(HV_XEN_CONSOLE_BURST);
	assert_int_equal(g.dom.console_tokens, 0);
	g.now += HV_MSEC(500);
	write_str("");
	assert_int_equal(g.dom.console_tokens, HV_XEN_CONSOLE_RATE / 2);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(partial_writes_make_one_line),
	    T(empty_lines_are_kept),
	    T(control_characters_are_dropped),
	    T(a_guest_cannot_start_a_line_as_someone_else),
	    T(long_lines_are_cut_and_continued),
	    T(flush_prints_the_partial_line_once),
	    T(shutdown_flushes_first),
	    T(rate_limit_drops_and_reports),
	    T(rate_limit_refills_with_time),
	};
	return cmocka_run_group_tests_name("xen-console", tests, NULL, NULL);
}
