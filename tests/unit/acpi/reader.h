/*
 * Reading a built table set back in the tests, as a guest would: from the
 * RSDP through the XSDT.  Tables are found by guest-physical address in
 * the buffer that would sit at `base`.
 */
#ifndef ACPI_TEST_READER_H
#define ACPI_TEST_READER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct acpi_set {
	const uint8_t *buf;
	size_t size;
	uint64_t base;
	uint64_t rsdp;
};

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static inline uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* The bytes at gpa, or NULL if [gpa, gpa + len) is not in the set. */
static inline const uint8_t *set_at(const struct acpi_set *s, uint64_t gpa,
				    size_t len)
{
	if (gpa < s->base || gpa - s->base > s->size ||
	    len > s->size - (gpa - s->base))
		return NULL;
	return s->buf + (gpa - s->base);
}

static inline const uint8_t *set_rsdp(const struct acpi_set *s)
{
	return set_at(s, s->rsdp, 36);
}

static inline const uint8_t *set_xsdt(const struct acpi_set *s)
{
	const uint8_t *r = set_rsdp(s);

	return r ? set_at(s, get64(r + 24), 36) : NULL;
}

/* The XSDT's entry i (0 when past the end). */
static inline uint64_t xsdt_entry(const struct acpi_set *s, unsigned int i)
{
	const uint8_t *x = set_xsdt(s);

	if (!x || 36 + 8 * (i + 1) > get32(x + 4))
		return 0;
	return get64(x + 36 + 8 * i);
}

static inline unsigned int xsdt_entries(const struct acpi_set *s)
{
	const uint8_t *x = set_xsdt(s);

	return x ? (get32(x + 4) - 36) / 8 : 0;
}

/* The table the XSDT lists with signature sig (the DSDT via the FADT,
 * and the XSDT itself). */
static inline const uint8_t *set_table(const struct acpi_set *s,
				       const char *sig)
{
	if (!strcmp(sig, "XSDT"))
		return set_xsdt(s);
	if (!strcmp(sig, "DSDT")) {
		const uint8_t *f = set_table(s, "FACP");

		return f ? set_at(s, get64(f + 140), 36) : NULL;
	}
	for (unsigned int i = 0; i < xsdt_entries(s); i++) {
		const uint8_t *t = set_at(s, xsdt_entry(s, i), 36);

		if (t && !memcmp(t, sig, 4))
			return t;
	}
	return NULL;
}

static inline uint8_t sum8(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum = (uint8_t)(sum + *p++);
	return sum;
}

#endif /* ACPI_TEST_READER_H */
