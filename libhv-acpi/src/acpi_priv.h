/*
 * libhv-acpi's private interface: byte writers, the common table header,
 * and one size/write pair per table, shared by build.c and the table
 * files.
 */
#ifndef HV_ACPI_PRIV_H
#define HV_ACPI_PRIV_H

#include <hv/acpi.h>

/* The System Description Table Header (ACPI 6.4, 5.2.6). */
#define ACPI_HDR_LEN	  36
#define ACPI_HDR_LENGTH	  4
#define ACPI_HDR_CHECKSUM 9

/* The OEM Table ID of every table: the FADT's must match the XSDT's. */
#define ACPI_OEM_TABLE_ID "HVKITVM "
#define ACPI_OEM_REVISION 1
/* Creator ID and revision: this builder; bump when the tables change. */
#define ACPI_CREATOR_ID	      "HVKT"
#define ACPI_CREATOR_REVISION 1

/* Where each table goes: guest-physical addresses, 0 when absent. */
struct acpi_layout {
	hv_gpaddr_t xsdt, fadt, dsdt, madt, gtdt, spcr;
};

/* Tables are byte arrays: fields are unaligned and little-endian. */
static inline void acpi_put8(uint8_t *p, unsigned int off, uint8_t v)
{
	p[off] = v;
}

static inline void acpi_put16(uint8_t *p, unsigned int off, uint16_t v)
{
	p[off] = (uint8_t)v;
	p[off + 1] = (uint8_t)(v >> 8);
}

static inline void acpi_put32(uint8_t *p, unsigned int off, uint32_t v)
{
	acpi_put16(p, off, (uint16_t)v);
	acpi_put16(p, off + 2, (uint16_t)(v >> 16));
}

static inline void acpi_put64(uint8_t *p, unsigned int off, uint64_t v)
{
	acpi_put32(p, off, (uint32_t)v);
	acpi_put32(p, off + 4, (uint32_t)(v >> 32));
}

/* The value that makes `len` bytes at p (with it) sum to zero. */
uint8_t acpi_checksum(const uint8_t *p, size_t len);

/* The header of a `len`-byte table; its checksum is set last. */
void acpi_header(uint8_t *t, const char sig[4], uint32_t len, uint8_t rev);
/* Set the header's checksum over the whole table: call it last. */
void acpi_header_seal(uint8_t *t);

/* 0 or -HV_EINVAL: is the description one the builder can describe? */
int acpi_validate(const struct hv_acpi_machine *m);

/* Each table: its length for `m`, and writing it at t (zeroed). */
size_t acpi_rsdp_size(void);
void acpi_rsdp_write(uint8_t *t, const struct acpi_layout *l);
size_t acpi_xsdt_size(unsigned int nr_tables);
void acpi_xsdt_write(uint8_t *t, const struct acpi_layout *l);
size_t acpi_fadt_size(void);
void acpi_fadt_write(uint8_t *t, const struct hv_acpi_machine *m,
		     const struct acpi_layout *l);
size_t acpi_madt_size(const struct hv_acpi_machine *m);
void acpi_madt_write(uint8_t *t, const struct hv_acpi_machine *m);
/* The MADT's interrupt controller structures at p (NULL: only measure);
 * returns their bytes. */
size_t acpi_madt_x86_entries(uint8_t *p, const struct hv_acpi_machine *m);
size_t acpi_madt_arm_entries(uint8_t *p, const struct hv_acpi_machine *m);
size_t acpi_dsdt_size(const struct hv_acpi_machine *m);
void acpi_dsdt_write(uint8_t *t, size_t len, const struct hv_acpi_machine *m);
size_t acpi_gtdt_size(void);
void acpi_gtdt_write(uint8_t *t, const struct hv_acpi_machine *m);
size_t acpi_spcr_size(void);
void acpi_spcr_write(uint8_t *t, const struct hv_acpi_machine *m);

#endif /* HV_ACPI_PRIV_H */
