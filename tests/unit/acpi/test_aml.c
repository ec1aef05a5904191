/*
 * The AML emitter: PkgLength at each of its size boundaries, integers in
 * their smallest encodings, strings, name strings, packages (nested, and
 * with a PkgLength that grows), measuring, running out of space, and
 * sticky errors.
 */
#include <hv/acpi_aml.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

/* Emit with fn into a fresh emitter; the bytes must be `want`. */
#define EXPECT_BYTES(a, buf, ...)                                              \
	do {                                                                   \
		static const uint8_t want_[] = {__VA_ARGS__};                  \
		assert_int_equal(hv_acpi_aml_result(a), 0);                    \
		assert_int_equal((a)->len, sizeof(want_));                     \
		assert_memory_equal(buf, want_, sizeof(want_));                \
	} while (0)

static void pkglen(size_t body, unsigned int n, const uint8_t *want)
{
	uint8_t out[HV_ACPI_AML_PKGLEN_MAX_BYTES];

	assert_int_equal(hv_acpi_aml_pkglength(body, out), n);
	assert_memory_equal(out, want, n);
}

static void pkglength_boundaries(void **state)
{
	uint8_t none[HV_ACPI_AML_PKGLEN_MAX_BYTES];

	(void)state;
	/* One byte: the value (body + 1) up to 63. */
	pkglen(0, 1, (const uint8_t[]){0x01});
	pkglen(62, 1, (const uint8_t[]){0x3f});
	/* Two: 12 bits, the low nibble in the lead byte; 63 + 2 = 0x41. */
	pkglen(63, 2, (const uint8_t[]){0x41, 0x04});
	pkglen(4093, 2, (const uint8_t[]){0x4f, 0xff});
	/* Three: 20 bits. 4094 + 3 = 0x1001. */
	pkglen(4094, 3, (const uint8_t[]){0x81, 0x00, 0x01});
	pkglen(0xfffff - 3, 3, (const uint8_t[]){0x8f, 0xff, 0xff});
	/* Four: 28 bits. */
	pkglen(0xfffff - 2, 4, (const uint8_t[]){0xc1, 0x00, 0x00, 0x01});
	pkglen(0xfffff - 1, 4, (const uint8_t[]){0xc2, 0x00, 0x00, 0x01});
	pkglen(HV_ACPI_AML_PKGLEN_MAX - 4, 4,
	       (const uint8_t[]){0xcf, 0xff, 0xff, 0xff});
	/* Too large for any PkgLength. */
	assert_int_equal(
	    hv_acpi_aml_pkglength(HV_ACPI_AML_PKGLEN_MAX - 3, none), 0);
}

static void integer(uint64_t v, size_t n, const uint8_t *want)
{
	uint8_t buf[16];
	struct hv_acpi_aml a;

	hv_acpi_aml_init(&a, buf, sizeof(buf));
	hv_acpi_aml_integer(&a, v);
	assert_int_equal(hv_acpi_aml_result(&a), 0);
	assert_int_equal(a.len, n);
	assert_memory_equal(buf, want, n);
}

static void integers_smallest_encoding(void **state)
{
	(void)state;
	integer(0, 1, (const uint8_t[]){0x00});
	integer(1, 1, (const uint8_t[]){0x01});
	integer(2, 2, (const uint8_t[]){0x0a, 0x02});
	integer(0xff, 2, (const uint8_t[]){0x0a, 0xff});
	integer(0x100, 3, (const uint8_t[]){0x0b, 0x00, 0x01});
	integer(0xffff, 3, (const uint8_t[]){0x0b, 0xff, 0xff});
	integer(0x10000, 5, (const uint8_t[]){0x0c, 0x00, 0x00, 0x01, 0x00});
	integer(0xffffffff, 5, (const uint8_t[]){0x0c, 0xff, 0xff, 0xff, 0xff});
	integer(UINT64_C(0x100000000), 9,
		(const uint8_t[]){0x0e, 0, 0, 0, 0, 1, 0, 0, 0});
	integer(UINT64_C(0x0123456789abcdef), 9,
		(const uint8_t[]){0x0e, 0xef, 0xcd, 0xab, 0x89, 0x67, 0x45,
				  0x23, 0x01});
	/* Not OnesOp: QWord, whatever the table revision. */
	integer(UINT64_MAX, 9,
		(const uint8_t[]){0x0e, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				  0xff, 0xff});
}

static void strings(void **state)
{
	uint8_t buf[32];
	struct hv_acpi_aml a;

	(void)state;
	hv_acpi_aml_init(&a, buf, sizeof(buf));
	hv_acpi_aml_string(&a, "ACPI0007");
	EXPECT_BYTES(&a, buf, 0x0d, 'A', 'C', 'P', 'I', '0', '0', '0', '7',
		     0x00);
	hv_acpi_aml_init(&a, buf, sizeof(buf));
	hv_acpi_aml_string(&a, "");
	EXPECT_BYTES(&a, buf, 0x0d, 0x00);
	hv_acpi_aml_init(&a, buf, sizeof(buf));
	hv_acpi_aml_string(&a, "caf\xc3\xa9");
	assert_int_equal(hv_acpi_aml_result(&a), -HV_EINVAL);
	assert_int_equal(a.len, 0);
}

static void name(const char *path, size_t n, const uint8_t *want)
{
	uint8_t buf[64];
	struct hv_acpi_aml a;

	hv_acpi_aml_init(&a, buf, sizeof(buf));
	hv_acpi_aml_namestring(&a, path);
	assert_int_equal(hv_acpi_aml_result(&a), 0);
	assert_int_equal(a.len, n);
	assert_memory_equal(buf, want, n);
}

static void bad_name(const char *path)
{
	uint8_t buf[64];
	struct hv_acpi_aml a;

	hv_acpi_aml_init(&a, buf, sizeof(buf));
	hv_acpi_aml_namestring(&a, path);
	assert_int_equal(hv_acpi_aml_result(&a), -HV_EINVAL);
}

static void name_strings(void **state)
{
	(void)state;
	name("\\_SB", 5, (const uint8_t *)"\\_SB_");
	name("_SB_", 4, (const uint8_t *)"_SB_");
	name("C1", 4, (const uint8_t *)"C1__");
	name("^FOO", 5, (const uint8_t *)"^FOO_");
	name("^^A", 6, (const uint8_t *)"^^A___");
	name("_SB.PCI0", 9, (const uint8_t *)"\x2e_SB_PCI0");
	name("\\_SB.PCI0.S00", 15, (const uint8_t *)"\\\x2f\x03_SB_PCI0S00_");
	name("", 1, (const uint8_t[]){0x00});
	name("\\", 2, (const uint8_t[]){'\\', 0x00});
	bad_name("abcd");
	bad_name("TOOLONG");
	bad_name("1ABC");
	bad_name("A..B");
	bad_name("A.");
	bad_name(".A");
	bad_name("A-B");
}

static void device_and_scope(void **state)
{
	uint8_t buf[64];
	struct hv_acpi_aml a;
	size_t scope, dev;

	(void)state;
	/* Device (ABCD) {}: the PkgLength counts itself and the name. */
	hv_acpi_aml_init(&a, buf, sizeof(buf));
	hv_acpi_aml_end(&a, hv_acpi_aml_device_begin(&a, "ABCD"));
	EXPECT_BYTES(&a, buf, 0x5b, 0x82, 0x05, 'A', 'B', 'C', 'D');

	/* Scope (\_SB) { Device (C0) { Name (_UID, 2) } } */
	hv_acpi_aml_init(&a, buf, sizeof(buf));
	scope = hv_acpi_aml_scope_begin(&a, "\\_SB");
	dev = hv_acpi_aml_device_begin(&a, "C0");
	hv_acpi_aml_name(&a, "_UID");
	hv_acpi_aml_integer(&a, 2);
	hv_acpi_aml_end(&a, dev);
	hv_acpi_aml_end(&a, scope);
	EXPECT_BYTES(&a, buf, 0x10, 0x14, '\\', '_', 'S', 'B', '_', 0x5b, 0x82,
		     0x0c, 'C', '0', '_', '_', 0x08, '_', 'U', 'I', 'D', 0x0a,
		     0x02);
}

/* Device (DEV0) { "...57 characters..." }: a body of 63 bytes. */
static void long_device(struct hv_acpi_aml *e)
{
	size_t dev = hv_acpi_aml_device_begin(e, "DEV0");

	/* 4 (name) + 59 (string: prefix, 57 characters, NUL) = 63. */
	hv_acpi_aml_string(
	    e, "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz01234");
	hv_acpi_aml_end(e, dev);
}

/* A package whose body passes 62 bytes takes a 2-byte PkgLength. */
static void package_grows(void **state)
{
	static const uint8_t head[] = {0x5b, 0x82, 0x41, 0x04, 'D',
				       'E',  'V',  '0',	 0x0d, 'a'};
	uint8_t buf[128];
	struct hv_acpi_aml a, m;

	(void)state;
	hv_acpi_aml_init(&a, buf, sizeof(buf));
	long_device(&a);
	assert_int_equal(hv_acpi_aml_result(&a), 0);
	assert_int_equal(a.len, 2 + 2 + 63);
	assert_memory_equal(buf, head, sizeof(head));
	assert_memory_equal(buf + a.len - 3, "34", 3);
	/* Measuring gives the same length, and says there was no space. */
	hv_acpi_aml_init(&m, NULL, 0);
	long_device(&m);
	assert_int_equal(m.len, a.len);
	assert_int_equal(hv_acpi_aml_result(&m), -HV_ENOSPC);
}

/* Out of space: counts on, never writes past the end. */
static void out_of_space(void **state)
{
	uint8_t buf[16];
	struct hv_acpi_aml a;
	size_t dev;

	(void)state;
	memset(buf, 0xaa, sizeof(buf));
	hv_acpi_aml_init(&a, buf, 8);
	dev = hv_acpi_aml_device_begin(&a, "ABCD");
	hv_acpi_aml_name(&a, "_HID");
	hv_acpi_aml_string(&a, "ACPI0007");
	hv_acpi_aml_end(&a, dev);
	assert_int_equal(hv_acpi_aml_result(&a), -HV_ENOSPC);
	assert_int_equal(a.len, 2 + 1 + 4 + 5 + 10);
	for (size_t i = 8; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xaa);
}

/* The first error sticks; nothing more is emitted after EINVAL. */
static void sticky_errors(void **state)
{
	uint8_t buf[16];
	struct hv_acpi_aml a;

	(void)state;
	hv_acpi_aml_init(&a, buf, sizeof(buf));
	hv_acpi_aml_name(&a, "bad");
	hv_acpi_aml_integer(&a, 7);
	assert_int_equal(hv_acpi_aml_result(&a), -HV_EINVAL);
	assert_int_equal(a.len, 1); /* the NameOp before the bad name */

	/* A mark past the end is not an open package. */
	hv_acpi_aml_init(&a, buf, sizeof(buf));
	hv_acpi_aml_integer(&a, 0);
	hv_acpi_aml_end(&a, 5);
	assert_int_equal(hv_acpi_aml_result(&a), -HV_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(pkglength_boundaries),
	    cmocka_unit_test(integers_smallest_encoding),
	    cmocka_unit_test(strings),
	    cmocka_unit_test(name_strings),
	    cmocka_unit_test(device_and_scope),
	    cmocka_unit_test(package_grows),
	    cmocka_unit_test(out_of_space),
	    cmocka_unit_test(sticky_errors),
	};
	return cmocka_run_group_tests_name("acpi-aml", tests, NULL, NULL);
}
