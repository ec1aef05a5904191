/*
 * hv/error.h: hv_core_strerror names and describes every errno in Xen's
 * public errno.h, read here through its own X-macro so that a value Xen
 * adds is tested without editing this file.
 */
#include <hv/error.h>
#include <hv/string.h>

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <xen/xen.h>

struct xen_errno {
	const char *name;
	int value;
};

static const struct xen_errno xen_errnos[] = {
#define XEN_ERRNO(name, value) {#name, value},
#include <xen/errno.h>
};

/* Where Xen gives a value two names (EAGAIN, EWOULDBLOCK), the first one
 * listed is the one printed. */
static const char *first_name_for(int value)
{
	for (size_t i = 0; i < HV_ARRAY_SIZE(xen_errnos); i++)
		if (xen_errnos[i].value == value)
			return xen_errnos[i].name;
	return NULL;
}

/* "NAME: description", the description non-empty. */
static void assert_named(const char *text, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(text, name, n) != 0 || strncmp(text + n, ": ", 2) != 0 ||
	    text[n + 2] == '\0' || text[n + 2] == ' ')
		fail_msg("\"%s\" is not \"%s: <description>\"", text, name);
}

static void every_xen_errno_is_named_and_described(void **state)
{
	(void)state;
	assert_true(HV_ARRAY_SIZE(xen_errnos) > 40);
	for (size_t i = 0; i < HV_ARRAY_SIZE(xen_errnos); i++) {
		int value = xen_errnos[i].value;

		assert_named(hv_core_strerror(-value), first_name_for(value));
	}
}

static void either_sign_gives_the_same(void **state)
{
	(void)state;
	for (size_t i = 0; i < HV_ARRAY_SIZE(xen_errnos); i++) {
		int value = xen_errnos[i].value;

		assert_string_equal(hv_core_strerror(value),
				    hv_core_strerror(-value));
	}
}

/* Distinct values get distinct texts: no copy-paste in the table. */
static void distinct_values_distinct_texts(void **state)
{
	(void)state;
	for (size_t i = 0; i < HV_ARRAY_SIZE(xen_errnos); i++)
		for (size_t j = 0; j < HV_ARRAY_SIZE(xen_errnos); j++)
			if (xen_errnos[i].value != xen_errnos[j].value)
				assert_string_not_equal(
				    hv_core_strerror(xen_errnos[i].value),
				    hv_core_strerror(xen_errnos[j].value));
}

static void known_texts(void **state)
{
	(void)state;
	assert_string_equal(hv_core_strerror(-HV_EFAULT),
			    "EFAULT: bad address");
	assert_string_equal(hv_core_strerror(HV_OK), "OK: success");
	assert_named(hv_core_strerror(-HV_EAGAIN), "EAGAIN");
	assert_named(hv_core_strerror(-HV_EWOULDBLOCK), "EAGAIN");
	assert_named(hv_core_strerror(HV_ENOSYS), "ENOSYS");
}

static void unknown_values(void **state)
{
	static const int unknown[] = {15,      -15,	1000,	    -1000,
				      INT_MAX, INT_MIN, INT_MIN + 1};

	(void)state;
	for (size_t i = 0; i < HV_ARRAY_SIZE(unknown); i++)
		assert_string_equal(hv_core_strerror(unknown[i]),
				    "unknown error");
}

/* hvkit's values are Xen's ABI: a guest sees them unchanged. */
static void values_match_xen_abi(void **state)
{
	(void)state;
	assert_int_equal(HV_EPERM, 1);
	assert_int_equal(HV_EFAULT, 14);
	assert_int_equal(HV_EINVAL, 22);
	assert_int_equal(HV_ENOSYS, 38);
	assert_int_equal(HV_EAGAIN, HV_EWOULDBLOCK);
	for (size_t i = 0; i < HV_ARRAY_SIZE(xen_errnos); i++)
		assert_in_range(xen_errnos[i].value, 1, 200);
}

/* The library and this test see Xen's interface at the same version, and
 * it is one the headers accept. */
static void xen_interface_version_agrees(void **state)
{
	(void)state;
	assert_int_equal(hv_core_xen_interface_version(),
			 __XEN_INTERFACE_VERSION__);
	assert_true(hv_core_xen_interface_version() >=
		    HV_XEN_INTERFACE_VERSION);
	/* the number that legacy-interface includers got wrong */
	assert_int_equal(__HYPERVISOR_event_channel_op, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_xen_errno_is_named_and_described),
	    cmocka_unit_test(either_sign_gives_the_same),
	    cmocka_unit_test(distinct_values_distinct_texts),
	    cmocka_unit_test(known_texts),
	    cmocka_unit_test(unknown_values),
	    cmocka_unit_test(values_match_xen_abi),
	    cmocka_unit_test(xen_interface_version_agrees),
	};
	return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
