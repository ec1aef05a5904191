/*
 * The checks a test fixture makes of itself: cmocka's, or, built with
 * FAKE_NO_CMOCKA (a fixture linked into a fuzz harness, tests/fuzz), an
 * abort, which libFuzzer reports as a crash with the input that made it.
 */
#ifndef FIXTURE_CHECK_H
#define FIXTURE_CHECK_H

#ifdef FAKE_NO_CMOCKA
#include <stdio.h>
#include <stdlib.h>
#define assert_true(c)	       ((c) ? (void)0 : abort())
#define assert_non_null(p)     assert_true((p) != NULL)
#define assert_int_equal(a, b) assert_true((a) == (b))
#define fail()		       abort()
#define fail_msg(...)	       (fprintf(stderr, __VA_ARGS__), abort())
#else
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#endif

#endif /* FIXTURE_CHECK_H */
