/*
 * The library and its public header agree on the API version: a stale
 * archive linked against a newer header (or the reverse) fails here.
 * Compiled once per library; tests/meson.build names the header and the
 * version function and macro.
 */
#include HV_LIB_HEADER

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

static void library_matches_header(void **state)
{
	(void)state;
	assert_int_equal(HV_LIB_VERSION_FN(), HV_LIB_VERSION);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(library_matches_header),
	};
	return cmocka_run_group_tests_name("api-version", tests, NULL, NULL);
}
