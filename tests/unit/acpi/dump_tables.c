/*
 * Build the sample table sets and write each table to its own file, for
 * iasl_check.py: DIR/<set>-<signature>.dat, the RSDP as <set>-RSDP.dat.
 * Sets: x86-1 (1 vCPU), x86-4 (4 vCPUs, an I/O APIC), arm-4 (4 vCPUs, an
 * SBSA UART).  Tables are found by following the RSDP, as a guest would.
 *
 * usage: dump-acpi-tables DIR
 */
#include "machines.h"
#include "reader.h"

#include <stdio.h>
#include <stdlib.h>

#define BASE_GPA 0x000fe000u

static void put_file(const char *dir, const char *set, const char *sig,
		     const uint8_t *p, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s-%.4s.dat", dir, set, sig);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static void dump(const char *dir, const char *set,
		 const struct hv_acpi_machine *m)
{
	static uint8_t buf[HV_ACPI_MAX_SIZE];
	struct hv_acpi_tables out;
	struct acpi_set s = {.buf = buf, .base = BASE_GPA};
	const uint8_t *t;
	int err = hv_acpi_build(m, buf, sizeof(buf), BASE_GPA, &out);

	if (err) {
		fprintf(stderr, "%s: hv_acpi_build: %d\n", set, err);
		exit(1);
	}
	s.size = out.size;
	s.rsdp = out.rsdp_gpa;
	put_file(dir, set, "RSDP", set_rsdp(&s), 36);
	t = set_xsdt(&s);
	put_file(dir, set, "XSDT", t, get32(t + 4));
	for (unsigned int i = 0; i < xsdt_entries(&s); i++) {
		t = set_at(&s, xsdt_entry(&s, i), 36);
		put_file(dir, set, (const char *)t, t, get32(t + 4));
	}
	t = set_table(&s, "DSDT");
	put_file(dir, set, "DSDT", t, get32(t + 4));
}

int main(int argc, char **argv)
{
	struct sample s;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	sample_x86(&s, 1, false);
	dump(argv[1], "x86-1", &s.m);
	sample_x86(&s, 4, true);
	dump(argv[1], "x86-4", &s.m);
	sample_arm(&s, 4);
	dump(argv[1], "arm-4", &s.m);
	return 0;
}
