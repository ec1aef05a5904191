/*
 * hv_acpi_build: place every table, check that the set fits, then write
 * it.  The layout follows guest-physical alignment (the RSDP on 16 bytes,
 * tables on 8), so it depends on base_gpa, not on where buf is.
 */
#include "acpi_priv.h"

#include <hv/string.h>

#define RSDP_ALIGN  16u
#define TABLE_ALIGN 8u

enum table {
	T_RSDP,
	T_XSDT,
	T_FADT,
	T_DSDT,
	T_MADT,
	T_GTDT,
	T_SPCR,
	T_NR,
};

struct plan {
	size_t off[T_NR]; /* offset in buf */
	size_t len[T_NR]; /* 0: not built */
	size_t end;	  /* bytes of buf used */
};

static void sizes(const struct hv_acpi_machine *m, struct plan *p)
{
	unsigned int in_xsdt = 2; /* FADT and MADT */

	memset(p, 0, sizeof(*p));
	p->len[T_RSDP] = acpi_rsdp_size();
	p->len[T_FADT] = acpi_fadt_size();
	p->len[T_DSDT] = acpi_dsdt_size(m);
	p->len[T_MADT] = acpi_madt_size(m);
	if (m->arch == HV_ACPI_ARCH_ARM) {
		p->len[T_GTDT] = acpi_gtdt_size();
		in_xsdt++;
		if (m->uart.type != HV_ACPI_UART_NONE) {
			p->len[T_SPCR] = acpi_spcr_size();
			in_xsdt++;
		}
	}
	p->len[T_XSDT] = acpi_xsdt_size(in_xsdt);
}

/* Offsets so that base_gpa + offset is aligned; false past 2^64. */
static bool place(struct plan *p, hv_gpaddr_t base)
{
	uint64_t gpa = base;

	for (unsigned int t = 0; t < T_NR; t++) {
		uint64_t align = t == T_RSDP ? RSDP_ALIGN : TABLE_ALIGN;
		uint64_t at = HV_ALIGN_UP(gpa, align);

		if (!p->len[t])
			continue;
		if (at < gpa || at + p->len[t] < at)
			return false;
		p->off[t] = (size_t)(at - base);
		gpa = at + p->len[t];
	}
	p->end = (size_t)(gpa - base);
	return true;
}

static hv_gpaddr_t gpa_of(const struct plan *p, hv_gpaddr_t base, enum table t)
{
	return p->len[t] ? base + p->off[t] : 0;
}

static void write_all(const struct hv_acpi_machine *m, uint8_t *buf,
		      const struct plan *p, hv_gpaddr_t base)
{
	const struct acpi_layout l = {
	    .xsdt = gpa_of(p, base, T_XSDT),
	    .fadt = gpa_of(p, base, T_FADT),
	    .dsdt = gpa_of(p, base, T_DSDT),
	    .madt = gpa_of(p, base, T_MADT),
	    .gtdt = gpa_of(p, base, T_GTDT),
	    .spcr = gpa_of(p, base, T_SPCR),
	};

	/* Padding is zero, and each writer expects a zeroed table. */
	memset(buf, 0, p->end);
	/* The tables a pointer leads to first, the RSDP last. */
	acpi_dsdt_write(buf + p->off[T_DSDT], p->len[T_DSDT], m);
	acpi_fadt_write(buf + p->off[T_FADT], m, &l);
	acpi_madt_write(buf + p->off[T_MADT], m);
	if (p->len[T_GTDT])
		acpi_gtdt_write(buf + p->off[T_GTDT], m);
	if (p->len[T_SPCR])
		acpi_spcr_write(buf + p->off[T_SPCR], m);
	acpi_xsdt_write(buf + p->off[T_XSDT], &l);
	acpi_rsdp_write(buf + p->off[T_RSDP], &l);
}

int hv_acpi_build(const struct hv_acpi_machine *m, void *buf, size_t size,
		  hv_gpaddr_t base_gpa, struct hv_acpi_tables *out)
{
	struct plan p;
	int err;

	if (!m || !out || (!buf && size))
		return -HV_EINVAL;
	err = acpi_validate(m);
	if (err)
		return err;
	sizes(m, &p);
	if (!place(&p, base_gpa))
		return -HV_EINVAL;
	if (p.end > size) {
		out->rsdp_gpa = 0;
		out->size = p.end;
		return -HV_ENOSPC;
	}
	write_all(m, buf, &p, base_gpa);
	out->rsdp_gpa = base_gpa + p.off[T_RSDP];
	out->size = p.end;
	return 0;
}
