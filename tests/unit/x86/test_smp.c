/* What starting APs decides on the host: the local APIC's ICR encodings
 * and the CPUs found in ACPI's MADT. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <hv/error.h>
#include <hv/x86_lapic.h>
#include <hv/x86_madt.h>

static void icr_encodings(void **state)
{
	(void)state;
	/* Fixed: delivery mode 000, level assert, the vector. */
	assert_int_equal(hv_x86_icr_fixed(0xf1), 0x40f1);
	/* INIT: delivery mode 101. */
	assert_int_equal(hv_x86_icr_init(), 0x4500);
	/* STARTUP: delivery mode 110, the page number as the vector. */
	assert_int_equal(hv_x86_icr_startup(0x9e000), 0x469e);
	assert_int_equal(hv_x86_icr_startup(0x1000), 0x4601);
	assert_int_equal(hv_x86_icr_startup(0x9e800), 0);  /* unaligned */
	assert_int_equal(hv_x86_icr_startup(0x100000), 0); /* above 1 MiB */
	assert_int_equal(hv_x86_icr_dest(3), 0x03000000);
	assert_int_equal(hv_x86_icr_dest(0xff), 0xff000000);
	assert_int_equal(hv_x86_icr_dest(0x100), 0);
}

/* Tables in a buffer at "physical" address BASE. */
#define BASE  0xe0000u
#define RSDP  0x000u
#define XSDT  0x040u
#define RSDT  0x080u
#define FACP  0x0c0u
#define MADT  0x100u
#define SPACE 0x400u

struct acpi {
	uint8_t mem[SPACE];
};

static const void *map(void *ctx, hv_paddr_t pa, size_t len)
{
	struct acpi *a = ctx;

	if (pa < BASE || pa - BASE > SPACE || len > SPACE - (pa - BASE))
		return NULL;
	return a->mem + (pa - BASE);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void fix_sum(uint8_t *p, size_t len, uint8_t *sum)
{
	uint8_t s = 0;

	*sum = 0;
	for (size_t i = 0; i < len; i++)
		s += p[i];
	*sum = (uint8_t)-s;
}

static void header(uint8_t *t, const char *sig, uint32_t len)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = 1;
	fix_sum(t, len, &t[9]);
}

static void rsdp(struct acpi *a, unsigned int revision)
{
	uint8_t *r = a->mem + RSDP;

	memcpy(r, "RSD PTR ", 8);
	r[15] = (uint8_t)revision;
	put32(r + 16, BASE + RSDT);
	put32(r + 20, 36);
	put64(r + 24, BASE + XSDT);
	fix_sum(r, 20, &r[8]);
	fix_sum(r, 36, &r[32]);
}

/* Local APIC entries: (id, flags) pairs; then one x2APIC entry. */
static uint32_t madt(struct acpi *a, bool x2apic)
{
	uint8_t *m = a->mem + MADT;
	static const uint8_t cpus[][2] = {{0, 1}, {2, 1}, {4, 0}, {1, 1}};
	uint32_t off = 44;

	for (unsigned int i = 0; i < 4; i++, off += 8) {
		m[off] = 0;
		m[off + 1] = 8;
		m[off + 2] = (uint8_t)i;
		m[off + 3] = cpus[i][0];
		put32(m + off + 4, cpus[i][1]);
	}
	m[off] = 1; /* an I/O APIC entry, skipped */
	m[off + 1] = 12;
	off += 12;
	if (x2apic) {
		m[off] = 9;
		m[off + 1] = 16;
		put32(m + off + 4, 0x300);
		put32(m + off + 8, 1);
		off += 16;
	}
	header(m, "APIC", off);
	return off;
}

static void tables(struct acpi *a, unsigned int revision, bool x2apic)
{
	memset(a, 0, sizeof(*a));
	header(a->mem + FACP, "FACP", 36);
	madt(a, x2apic);
	put64(a->mem + XSDT + 36, BASE + FACP);
	put64(a->mem + XSDT + 44, BASE + MADT);
	header(a->mem + XSDT, "XSDT", 52);
	put32(a->mem + RSDT + 36, BASE + FACP);
	put32(a->mem + RSDT + 40, BASE + MADT);
	header(a->mem + RSDT, "RSDT", 44);
	rsdp(a, revision);
}

static void madt_cpus(void **state)
{
	struct acpi a;
	uint32_t ids[8];

	(void)state;
	for (unsigned int rev = 0; rev <= 2; rev += 2) {
		tables(&a, rev, false);
		memset(ids, 0xff, sizeof(ids));
		assert_int_equal(hv_x86_acpi_cpus(BASE, map, &a, ids, 8), 3);
		assert_int_equal(ids[0], 0);
		assert_int_equal(ids[1], 2);
		assert_int_equal(ids[2], 1); /* the disabled one is skipped */
	}
	tables(&a, 2, true);
	assert_int_equal(hv_x86_acpi_cpus(BASE, map, &a, ids, 8), 4);
	assert_int_equal(ids[3], 0x300);
	/* More than fit: the count, and only `max` written. */
	memset(ids, 0xff, sizeof(ids));
	assert_int_equal(hv_x86_acpi_cpus(BASE, map, &a, ids, 2), 4);
	assert_int_equal(ids[1], 2);
	assert_int_equal(ids[2], 0xffffffffu);
}

/* The boot CPU first, wherever the MADT lists it; no MADT: it alone. */
static void madt_boot_cpu_first(void **state)
{
	struct acpi a;
	uint32_t ids[8];
	unsigned int n;

	(void)state;
	tables(&a, 2, true);
	assert_int_equal(
	    hv_x86_acpi_cpus_boot_first(BASE, map, &a, 1, ids, 8, &n), 4);
	assert_int_equal(n, 4);
	assert_int_equal(ids[0], 1);
	assert_int_equal(ids[1], 0);
	assert_int_equal(ids[2], 2);
	assert_int_equal(ids[3], 0x300);
	assert_int_equal(
	    hv_x86_acpi_cpus_boot_first(BASE, map, &a, 0x300, ids, 2, &n), 4);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], 0x300);
	assert_int_equal(ids[1], 0);
	assert_int_equal(hv_x86_acpi_cpus_boot_first(0, map, &a, 2, ids, 8, &n),
			 -HV_ENOENT);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], 2);
	a.mem[MADT + 50] ^= 1;
	assert_int_equal(
	    hv_x86_acpi_cpus_boot_first(BASE, map, &a, 2, ids, 8, &n),
	    -HV_EINVAL);
	assert_int_equal(n, 1);
}

static void madt_refusals(void **state)
{
	struct acpi a;
	uint32_t ids[8];

	(void)state;
	assert_int_equal(hv_x86_acpi_cpus(0x1000, map, &a, ids, 8),
			 -HV_EINVAL); /* unmapped */
	tables(&a, 2, false);
	a.mem[RSDP + 1] ^= 1; /* signature */
	assert_int_equal(hv_x86_acpi_cpus(BASE, map, &a, ids, 8), -HV_EINVAL);
	tables(&a, 2, false);
	a.mem[RSDP + 30] ^= 1; /* extended checksum */
	assert_int_equal(hv_x86_acpi_cpus(BASE, map, &a, ids, 8), -HV_EINVAL);
	tables(&a, 2, false);
	a.mem[MADT + 50] ^= 1; /* the MADT's checksum */
	assert_int_equal(hv_x86_acpi_cpus(BASE, map, &a, ids, 8), -HV_EINVAL);
	tables(&a, 2, false);
	put32(a.mem + MADT + 4, 0x1000); /* runs past what can be read */
	assert_int_equal(hv_x86_acpi_cpus(BASE, map, &a, ids, 8), -HV_EINVAL);
	tables(&a, 2, false);
	a.mem[MADT + 44 + 1] = 1; /* an entry too short to step over */
	header(a.mem + MADT, "APIC", 44 + 4 * 8 + 12);
	assert_int_equal(hv_x86_acpi_cpus(BASE, map, &a, ids, 8), -HV_EINVAL);
	tables(&a, 2, false);
	header(a.mem + XSDT, "XSDT", 44); /* only the FACP */
	assert_int_equal(hv_x86_acpi_cpus(BASE, map, &a, ids, 8), -HV_ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(icr_encodings),
	    cmocka_unit_test(madt_cpus),
	    cmocka_unit_test(madt_boot_cpu_first),
	    cmocka_unit_test(madt_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
