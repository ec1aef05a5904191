/*
 * hv_acpi_build: every table of x86 and Arm sets with 1, 4, 64 and 128
 * vCPUs, read back as a guest would (checksums, lengths, revisions, OEM
 * IDs, the XSDT's and FADT's pointers, one MADT entry and one processor
 * device per vCPU, x2APIC entries from APIC ID 255, GICC MPIDRs, GTDT
 * and SPCR), libhv-x86's own MADT reader agreeing, the guest-physical
 * alignment, and every refused description and short buffer leaving the
 * buffer alone.
 */
#include "machines.h"
#include "reader.h"

#include <hv/x86_madt.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define BASE 0x000fe000u

struct built {
	uint8_t buf[HV_ACPI_MAX_SIZE];
	struct hv_acpi_tables out;
	struct acpi_set set;
};

static struct built *build_at(const struct hv_acpi_machine *m, uint64_t base)
{
	struct built *b = calloc(1, sizeof(*b));

	assert_non_null(b);
	assert_int_equal(
	    hv_acpi_build(m, b->buf, sizeof(b->buf), base, &b->out), 0);
	assert_true(b->out.size <= sizeof(b->buf));
	b->set = (struct acpi_set){.buf = b->buf,
				   .size = b->out.size,
				   .base = base,
				   .rsdp = b->out.rsdp_gpa};
	return b;
}

static struct built *build(const struct hv_acpi_machine *m)
{
	return build_at(m, BASE);
}

/* A table's header: its length fits, it sums to zero, its IDs. */
static const uint8_t *table(const struct built *b, const char *sig,
			    uint8_t revision)
{
	const uint8_t *t = set_table(&b->set, sig);
	uint32_t len;

	assert_non_null(t);
	len = get32(t + 4);
	assert_non_null(
	    set_at(&b->set, b->set.base + (uint64_t)(t - b->buf), len));
	assert_int_equal(sum8(t, len), 0);
	assert_int_equal(t[8], revision);
	assert_memory_equal(t + 10, "HVKIT ", 6);
	assert_memory_equal(t + 16, "HVKITVM ", 8);
	assert_memory_equal(t + 28, "HVKT", 4);
	/* Tables are 8-byte aligned in the guest. */
	assert_int_equal((b->set.base + (uint64_t)(t - b->buf)) % 8, 0);
	return t;
}

static void check_rsdp(const struct built *b)
{
	const uint8_t *r = set_rsdp(&b->set);

	assert_non_null(r);
	assert_int_equal(b->out.rsdp_gpa % 16, 0);
	assert_memory_equal(r, "RSD PTR ", 8);
	assert_int_equal(sum8(r, 20), 0);
	assert_int_equal(sum8(r, 36), 0);
	assert_memory_equal(r + 9, "HVKIT ", 6);
	assert_int_equal(r[15], 2);
	assert_int_equal(get32(r + 16), 0); /* no RSDT */
	assert_int_equal(get32(r + 20), 36);
}

/* The XSDT lists exactly `sigs`, in that order, and nothing else. */
static void check_xsdt(const struct built *b, const char *const *sigs,
		       unsigned int n)
{
	const uint8_t *x = table(b, "XSDT", 1);

	assert_int_equal(get32(x + 4), 36 + 8 * n);
	assert_int_equal(xsdt_entries(&b->set), n);
	for (unsigned int i = 0; i < n; i++) {
		const uint8_t *t = set_at(&b->set, xsdt_entry(&b->set, i), 36);

		assert_non_null(t);
		assert_memory_equal(t, sigs[i], 4);
	}
}

static const uint8_t *check_fadt(const struct built *b, uint16_t iapc,
				 uint16_t arm)
{
	const uint8_t *f = table(b, "FACP", 6);

	assert_int_equal(get32(f + 4), 276);
	assert_int_equal(f[131], 4);		    /* ACPI 6.4 */
	assert_int_equal(get32(f + 112), 1u << 20); /* HW_REDUCED_ACPI */
	assert_int_equal(get16(f + 109), iapc);
	assert_int_equal(get16(f + 129), arm);
	assert_int_equal(get32(f + 36), 0); /* no FACS */
	assert_int_equal(get32(f + 40), 0); /* only X_DSDT */
	assert_int_equal(get64(f + 132), 0);
	assert_int_equal(get16(f + 46), 0); /* no SCI */
	assert_int_equal(get32(f + 56), 0); /* no PM1a_EVT_BLK */
	assert_non_null(set_table(&b->set, "DSDT"));
	return f;
}

/* Counts "ACPI0007" strings and _UID values in order: 0, 1, 2, ... */
static void check_dsdt(const struct built *b, unsigned int nr)
{
	static const uint8_t hid[] = {0x0d, 'A', 'C', 'P', 'I',
				      '0',  '0', '0', '7', 0x00};
	static const uint8_t uid_name[] = {0x08, '_', 'U', 'I', 'D'};
	const uint8_t *d = table(b, "DSDT", 2);
	uint32_t len = get32(d + 4);
	unsigned int hids = 0, uids = 0;

	/* Scope (\_SB) comes first. */
	assert_int_equal(d[36], 0x10);
	for (uint32_t i = 36; i < len; i++) {
		if (i + sizeof(hid) <= len && !memcmp(d + i, hid, sizeof(hid)))
			hids++;
		if (i + sizeof(uid_name) + 1 <= len &&
		    !memcmp(d + i, uid_name, sizeof(uid_name))) {
			const uint8_t *v = d + i + sizeof(uid_name);
			unsigned int uid = v[0] == 0x0a ? v[1] : v[0];

			assert_true(v[0] <= 1 ||
				    (v[0] == 0x0a && v + 2 <= d + len));
			assert_int_equal(uid, uids);
			uids++;
		}
	}
	assert_int_equal(hids, nr);
	assert_int_equal(uids, nr);
}

/* MADT entries of `type`, and the first one's offset. */
static unsigned int madt_count(const uint8_t *m, uint8_t type)
{
	unsigned int n = 0;

	for (uint32_t off = 44; off < get32(m + 4); off += m[off + 1]) {
		assert_true(m[off + 1] >= 2);
		n += m[off] == type;
	}
	return n;
}

static const uint8_t *madt_entry(const uint8_t *m, uint8_t type, unsigned int i)
{
	for (uint32_t off = 44; off < get32(m + 4); off += m[off + 1]) {
		if (m[off] == type && !i--)
			return m + off;
	}
	return NULL;
}

static const void *map_set(void *ctx, hv_paddr_t pa, size_t len)
{
	return set_at(ctx, pa, len);
}

static void x86_set(unsigned int nr, bool ioapic)
{
	static const char *const sigs[] = {"FACP", "APIC"};
	struct sample s;
	struct built *b;
	const uint8_t *m;
	uint32_t ids[HV_ACPI_MAX_VCPUS];

	sample_x86(&s, nr, ioapic);
	b = build(&s.m);
	check_rsdp(b);
	check_xsdt(b, sigs, 2);
	check_fadt(b, (1u << 2) | (1u << 5), 0);
	check_dsdt(b, nr);
	m = table(b, "APIC", 5);
	assert_int_equal(get32(m + 36), 0xfee00000u);
	assert_int_equal(get32(m + 40), 0);
	assert_int_equal(madt_count(m, 0), nr);
	assert_int_equal(madt_count(m, 9), 0);
	assert_int_equal(madt_count(m, 1), ioapic);
	assert_int_equal(get32(m + 4), 44 + 8 * nr + (ioapic ? 12 : 0));
	for (unsigned int i = 0; i < nr; i++) {
		const uint8_t *e = madt_entry(m, 0, i);

		assert_int_equal(e[1], 8);
		assert_int_equal(e[2], i);     /* processor UID */
		assert_int_equal(e[3], 2 * i); /* APIC ID */
		assert_int_equal(get32(e + 4), 1);
	}
	if (ioapic) {
		const uint8_t *e = madt_entry(m, 1, 0);

		assert_int_equal(e[1], 12);
		assert_int_equal(e[2], 1);
		assert_int_equal(get32(e + 4), 0xfec00000u);
		assert_int_equal(get32(e + 8), 0);
	}
	/* libhv-x86's reader, which the x86 images boot with, agrees. */
	assert_int_equal(hv_x86_acpi_cpus(b->out.rsdp_gpa, map_set, &b->set,
					  ids, HV_ACPI_MAX_VCPUS),
			 (int)nr);
	for (unsigned int i = 0; i < nr; i++)
		assert_int_equal(ids[i], 2 * i);
	free(b);
}

static void x86_sets(void **state)
{
	(void)state;
	x86_set(1, false);
	x86_set(4, true);
	x86_set(64, true);
	x86_set(HV_ACPI_MAX_VCPUS, false);
}

/* APIC IDs from 255 get x2APIC entries; the others stay Local APIC. */
static void x86_x2apic(void **state)
{
	static const uint64_t ids[] = {0, 254, 255, 0x1000, 0xfffffffe, 7};
	static const uint8_t type[] = {0, 0, 9, 9, 9, 0};
	struct sample s;
	struct built *b;
	const uint8_t *m;
	uint32_t got[8];
	unsigned int lapic = 0, x2apic = 0;

	(void)state;
	sample_x86(&s, HV_ARRAY_SIZE(ids), true);
	memcpy(s.ids, ids, sizeof(ids));
	b = build(&s.m);
	m = table(b, "APIC", 5);
	assert_int_equal(madt_count(m, 0), 3);
	assert_int_equal(madt_count(m, 9), 3);
	assert_int_equal(get32(m + 4), 44 + 3 * 8 + 3 * 16 + 12);
	for (unsigned int i = 0; i < HV_ARRAY_SIZE(ids); i++) {
		const uint8_t *e;

		if (type[i] == 0) {
			e = madt_entry(m, 0, lapic++);
			assert_int_equal(e[2], i);
			assert_int_equal(e[3], ids[i]);
		} else {
			e = madt_entry(m, 9, x2apic++);
			assert_int_equal(e[1], 16);
			assert_int_equal(get32(e + 4), ids[i]);
			assert_int_equal(get32(e + 8), 1);
			assert_int_equal(get32(e + 12), i);
		}
	}
	check_dsdt(b, HV_ARRAY_SIZE(ids));
	assert_int_equal(hv_x86_acpi_cpus(b->out.rsdp_gpa, map_set, &b->set,
					  got, HV_ARRAY_SIZE(got)),
			 (int)HV_ARRAY_SIZE(ids));
	free(b);
}

static void arm_set(unsigned int nr, bool uart)
{
	static const char *const with_uart[] = {"FACP", "APIC", "GTDT", "SPCR"};
	struct sample s;
	struct built *b;
	const uint8_t *m, *e, *g;

	sample_arm(&s, nr);
	if (!uart)
		s.m.uart.type = HV_ACPI_UART_NONE;
	b = build(&s.m);
	check_rsdp(b);
	check_xsdt(b, with_uart, uart ? 4 : 3);
	check_fadt(b, 0, 0x3); /* PSCI_COMPLIANT | PSCI_USE_HVC */
	check_dsdt(b, nr);
	m = table(b, "APIC", 5);
	assert_int_equal(get32(m + 36), 0);
	assert_int_equal(madt_count(m, 0x0b), nr);
	assert_int_equal(madt_count(m, 0x0c), 1);
	assert_int_equal(madt_count(m, 0x0e), 1);
	assert_int_equal(get32(m + 4), 44 + 80 * nr + 24 + 16);
	for (unsigned int i = 0; i < nr; i++) {
		e = madt_entry(m, 0x0b, i);
		assert_int_equal(e[1], 80);
		assert_int_equal(get32(e + 4), 0);  /* no GICv2 compatibility */
		assert_int_equal(get32(e + 8), i);  /* processor UID */
		assert_int_equal(get32(e + 12), 1); /* enabled */
		assert_int_equal(get32(e + 20), 0); /* no PMU */
		assert_int_equal(get64(e + 60), 0); /* GICR from the range */
		assert_int_equal(get64(e + 68), s.ids[i]);
	}
	e = madt_entry(m, 0x0c, 0);
	assert_int_equal(e[1], 24);
	assert_int_equal(get64(e + 8), 0x03001000u);
	assert_int_equal(e[20], 3);
	e = madt_entry(m, 0x0e, 0);
	assert_int_equal(e[1], 16);
	assert_int_equal(get64(e + 4), 0x03020000u);
	assert_int_equal(get32(e + 12), 0x01000000u);

	g = table(b, "GTDT", 3);
	assert_int_equal(get32(g + 4), 104);
	assert_int_equal(get32(g + 56), 30); /* non-secure EL1 physical */
	assert_int_equal(get32(g + 60), 2);
	assert_int_equal(get32(g + 64), 27); /* EL1 virtual */
	assert_int_equal(get32(g + 68), 2);
	assert_int_equal(get32(g + 48), 0); /* no secure timer, no EL2 */
	assert_int_equal(get32(g + 72), 0);
	assert_int_equal(get32(g + 88), 0); /* no platform timers */
	assert_int_equal(get64(g + 36), UINT64_MAX);
	if (uart) {
		const uint8_t *u = table(b, "SPCR", 2);

		assert_int_equal(get32(u + 4), 80);
		assert_int_equal(u[36], 0x0e);
		assert_int_equal(u[40], 0); /* system memory */
		assert_int_equal(u[43], 3); /* 32-bit accesses */
		assert_int_equal(get64(u + 44), 0x22000000u);
		assert_int_equal(u[52], 0x08); /* GIC */
		assert_int_equal(get32(u + 54), 32);
		assert_int_equal(get16(u + 64), 0xffff);
	} else {
		assert_null(set_table(&b->set, "SPCR"));
	}
	free(b);
}

static void arm_sets(void **state)
{
	(void)state;
	arm_set(1, true);
	arm_set(4, true);
	arm_set(4, false);
	arm_set(64, true);
	arm_set(HV_ACPI_MAX_VCPUS, true);
}

/* MPIDRs with Aff3 and Aff2 set reach the GICC unchanged. */
static void arm_mpidr_affinity(void **state)
{
	static const uint64_t ids[] = {UINT64_C(0xff00000000), 0xff0000, 0x0100,
				       0x01};
	struct sample s;
	struct built *b;
	const uint8_t *m;

	(void)state;
	sample_arm(&s, HV_ARRAY_SIZE(ids));
	memcpy(s.ids, ids, sizeof(ids));
	b = build(&s.m);
	m = table(b, "APIC", 5);
	for (unsigned int i = 0; i < HV_ARRAY_SIZE(ids); i++)
		assert_int_equal(get64(madt_entry(m, 0x0b, i) + 68), ids[i]);
	free(b);
}

/* Alignment is the guest's: an odd base moves the RSDP to 16 bytes. */
static void guest_alignment(void **state)
{
	struct sample s;
	struct built *b;

	(void)state;
	sample_arm(&s, 3);
	b = build_at(&s.m, 0x40001003u);
	assert_int_equal(b->out.rsdp_gpa, 0x40001010u);
	check_rsdp(b);
	/* Bytes before the RSDP are zero padding. */
	for (unsigned int i = 0; i < 13; i++)
		assert_int_equal(b->buf[i], 0);
	table(b, "XSDT", 1);
	table(b, "DSDT", 2);
	table(b, "GTDT", 3);
	free(b);

	/* Above 4 GiB, the 64-bit pointers carry it. */
	sample_x86(&s, 2, false);
	b = build_at(&s.m, UINT64_C(0x1234560000));
	check_rsdp(b);
	check_fadt(b, (1u << 2) | (1u << 5), 0);
	free(b);
}

/* Worst cases fit HV_ACPI_MAX_SIZE, at the worst alignment. */
static void max_size_holds_all(void **state)
{
	struct sample s;
	struct hv_acpi_tables out;

	(void)state;
	sample_arm(&s, HV_ACPI_MAX_VCPUS);
	assert_int_equal(hv_acpi_build(&s.m, NULL, 0, 0x1001, &out),
			 -HV_ENOSPC);
	assert_true(out.size <= HV_ACPI_MAX_SIZE);
	sample_x86(&s, HV_ACPI_MAX_VCPUS, true);
	for (unsigned int i = 0; i < HV_ACPI_MAX_VCPUS; i++)
		s.ids[i] = 0x10000 + i; /* every entry an x2APIC one */
	assert_int_equal(hv_acpi_build(&s.m, NULL, 0, 0x1001, &out),
			 -HV_ENOSPC);
	assert_true(out.size <= HV_ACPI_MAX_SIZE);
}

/* A short buffer: -HV_ENOSPC, the size needed, not a byte written. */
static void short_buffer(void **state)
{
	struct sample s;
	struct hv_acpi_tables out;
	uint8_t *buf = malloc(HV_ACPI_MAX_SIZE);
	size_t need;

	(void)state;
	sample_x86(&s, 4, true);
	assert_int_equal(hv_acpi_build(&s.m, NULL, 0, BASE, &out), -HV_ENOSPC);
	need = out.size;
	assert_true(need > 36);
	memset(buf, 0xaa, HV_ACPI_MAX_SIZE);
	assert_int_equal(hv_acpi_build(&s.m, buf, need - 1, BASE, &out),
			 -HV_ENOSPC);
	assert_int_equal(out.size, need);
	assert_int_equal(out.rsdp_gpa, 0);
	for (size_t i = 0; i < HV_ACPI_MAX_SIZE; i++)
		assert_int_equal(buf[i], 0xaa);
	/* Exactly enough is enough, and nothing past it is touched. */
	assert_int_equal(hv_acpi_build(&s.m, buf, need, BASE, &out), 0);
	assert_int_equal(out.size, need);
	for (size_t i = need; i < HV_ACPI_MAX_SIZE; i++)
		assert_int_equal(buf[i], 0xaa);
	free(buf);
}

/* Each bad description is -HV_EINVAL and leaves the buffer alone. */
static void refused(const struct hv_acpi_machine *m, uint64_t base)
{
	static uint8_t buf[HV_ACPI_MAX_SIZE];
	struct hv_acpi_tables out;

	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(hv_acpi_build(m, buf, sizeof(buf), base, &out),
			 -HV_EINVAL);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xaa);
}

static void bad_descriptions(void **state)
{
	struct sample s;
	struct hv_acpi_tables out;
	uint8_t buf[16];

	(void)state;
	sample_x86(&s, 2, true);
	assert_int_equal(hv_acpi_build(NULL, buf, sizeof(buf), BASE, &out),
			 -HV_EINVAL);
	assert_int_equal(hv_acpi_build(&s.m, buf, sizeof(buf), BASE, NULL),
			 -HV_EINVAL);
	assert_int_equal(hv_acpi_build(&s.m, NULL, 16, BASE, &out), -HV_EINVAL);
	/* A set that would run past 2^64. */
	refused(&s.m, UINT64_MAX - 64);

#define REFUSED(init, change)                                                  \
	do {                                                                   \
		init;                                                          \
		change;                                                        \
		refused(&s.m, BASE);                                           \
	} while (0)
	/* Either architecture. */
	REFUSED(sample_x86(&s, 2, true), s.m.arch = 0);
	REFUSED(sample_x86(&s, 2, true), s.m.arch = 3);
	REFUSED(sample_x86(&s, 2, true), s.m.nr_vcpus = 0);
	REFUSED(sample_arm(&s, 2), s.m.nr_vcpus = HV_ACPI_MAX_VCPUS + 1);
	REFUSED(sample_arm(&s, 2), s.m.cpu_ids = NULL);
	REFUSED(sample_x86(&s, 3, true), s.ids[2] = s.ids[0]);
	REFUSED(sample_arm(&s, 3), s.ids[1] = s.ids[2]);
	/* x86. */
	REFUSED(sample_x86(&s, 2, true), s.m.x86.lapic_base = 0);
	REFUSED(sample_x86(&s, 2, true), s.m.x86.ioapic_base = 0);
	REFUSED(sample_x86(&s, 2, true), s.ids[1] = 0xffffffffu);
	REFUSED(sample_x86(&s, 2, true), s.ids[1] = UINT64_C(1) << 32);
	REFUSED(sample_x86(&s, 2, true),
		(s.m.uart.type = HV_ACPI_UART_SBSA, s.m.uart.base = 0x3f8,
		 s.m.uart.gsiv = 36));
	/* Arm. */
	REFUSED(sample_arm(&s, 2), s.m.arm.gicd_base = 0);
	REFUSED(sample_arm(&s, 2), s.m.arm.gicr_base = 0);
	REFUSED(sample_arm(&s, 2), s.m.arm.gicr_size = HV_ACPI_GICR_STRIDE);
	REFUSED(sample_arm(&s, 2), s.ids[1] |= 1u << 31); /* MPIDR_EL1 RES1 */
	REFUSED(sample_arm(&s, 2), s.ids[1] |= UINT64_C(1) << 40);
	REFUSED(sample_arm(&s, 2), s.m.arm.vtimer.gsiv = 0);
	REFUSED(sample_arm(&s, 2), s.m.arm.vtimer.gsiv = 32);
	REFUSED(sample_arm(&s, 2), s.m.arm.ptimer.gsiv = 15);
	REFUSED(sample_arm(&s, 2), s.m.arm.ptimer.flags = 0x8);
	REFUSED(sample_arm(&s, 2), s.m.arm.maint_gsiv = 40);
	REFUSED(sample_arm(&s, 2), s.m.arm.pmu_gsiv = 5);
	REFUSED(sample_arm(&s, 2), s.m.uart.type = 7);
	REFUSED(sample_arm(&s, 2), s.m.uart.base = 0);
	REFUSED(sample_arm(&s, 2), s.m.uart.gsiv = 31);
	REFUSED(sample_arm(&s, 2), s.m.uart.gsiv = 1020);
#undef REFUSED

	/* The limits themselves are fine. */
	sample_arm(&s, 2);
	s.m.arm.gicr_size = 2 * HV_ACPI_GICR_STRIDE;
	s.m.arm.maint_gsiv = 25;
	s.m.arm.pmu_gsiv = 23;
	s.m.uart.gsiv = 1019;
	free(build(&s.m));
}

/* The same description gives the same bytes. */
static void deterministic(void **state)
{
	struct sample s;
	struct built *a, *b;

	(void)state;
	sample_arm(&s, 4);
	a = build(&s.m);
	b = build(&s.m);
	assert_int_equal(a->out.size, b->out.size);
	assert_memory_equal(a->buf, b->buf, a->out.size);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(x86_sets),
	    cmocka_unit_test(x86_x2apic),
	    cmocka_unit_test(arm_sets),
	    cmocka_unit_test(arm_mpidr_affinity),
	    cmocka_unit_test(guest_alignment),
	    cmocka_unit_test(max_size_holds_all),
	    cmocka_unit_test(short_buffer),
	    cmocka_unit_test(bad_descriptions),
	    cmocka_unit_test(deterministic),
	};
	return cmocka_run_group_tests_name("acpi-build", tests, NULL, NULL);
}
