/*
 * hv/acpi_aml.h - a small AML emitter (ACPI 6.4, 20.2 "AML Grammar
 * Definition"): enough to write a DSDT's scopes, devices and named
 * integers and strings.
 *
 * The emitter writes into a caller's buffer.  It keeps counting past the
 * end, so emitting the same code into a NULL buffer of size 0 measures
 * it; nothing is written past `size`.  The first error sticks in `error`
 * and later calls do nothing, so a sequence of calls is checked once, at
 * the end.
 *
 * Packages (Scope, Device) have a PkgLength in front of their body whose
 * size (1 to 4 bytes) depends on the body's: *_begin() returns a mark and
 * hv_acpi_aml_end() writes the shortest encoding once the body is known,
 * moving the body up by that many bytes.
 *
 * Names are ASL-style paths: an optional root "\" or parent "^" prefixes,
 * then 1 to 4 character segments separated by ".", each padded with "_"
 * ("\\_SB.C1" is \_SB_.C1__).  A segment starts with A-Z or "_" and goes
 * on with A-Z, 0-9 or "_".
 */
#ifndef HV_ACPI_AML_H
#define HV_ACPI_AML_H

#include <hv/compiler.h>
#include <hv/error.h>
#include <hv/types.h>

HV_BEGIN_DECLS

/* An emitter; members are read-only for the caller once initialised. */
struct hv_acpi_aml {
	uint8_t *buf; /* NULL: measure only */
	size_t size;  /* bytes of buf */
	size_t len;   /* bytes emitted so far, also those that did not fit */
	int error;    /* 0, -HV_EINVAL (bad name, string or nesting) or
			 -HV_ENOSPC (len went past size) */
};

/* Start emitting into buf[0 .. size) (NULL and 0 to measure). */
void hv_acpi_aml_init(struct hv_acpi_aml *a, void *buf, size_t size);

/*
 * 0 when everything emitted so far is in the buffer, else the first error
 * (-HV_ENOSPC when only space ran out: a.len is then the bytes needed).
 */
int hv_acpi_aml_result(const struct hv_acpi_aml *a);

/* Most bytes a PkgLength takes, and the largest value it encodes. */
#define HV_ACPI_AML_PKGLEN_MAX_BYTES 4u
#define HV_ACPI_AML_PKGLEN_MAX	     0x0fffffffu

/*
 * Encode the PkgLength of a package whose body (what follows the
 * PkgLength) is `body` bytes, in the fewest bytes: the value counts the
 * PkgLength's own bytes too.  Returns how many bytes it wrote into out
 * (1 to 4), or 0 if the package is too large.
 */
unsigned int hv_acpi_aml_pkglength(size_t body,
				   uint8_t out[HV_ACPI_AML_PKGLEN_MAX_BYTES]);

/*
 * An integer in its smallest encoding: ZeroOp, OneOp, then the Byte, Word,
 * DWord and QWord prefixes.  (OnesOp is never used: its value depends on
 * the table's revision.)
 */
void hv_acpi_aml_integer(struct hv_acpi_aml *a, uint64_t value);

/* A String: printable ASCII (0x01..0x7f) and a NUL; others: -HV_EINVAL. */
void hv_acpi_aml_string(struct hv_acpi_aml *a, const char *s);

/* A NameString, for a path as above. */
void hv_acpi_aml_namestring(struct hv_acpi_aml *a, const char *path);

/*
 * Name (path, ...): NameOp and the NameString; the caller emits the
 * object next (an integer or a string).
 */
void hv_acpi_aml_name(struct hv_acpi_aml *a, const char *path);

/*
 * Scope (path) { and Device (path) {: the opcode, room for the PkgLength
 * and the NameString.  Returns the mark to close it with.
 */
size_t hv_acpi_aml_scope_begin(struct hv_acpi_aml *a, const char *path);
size_t hv_acpi_aml_device_begin(struct hv_acpi_aml *a, const char *path);

/*
 * Close the innermost open package, whose *_begin() returned `mark`: its
 * PkgLength is written in front of its body.
 */
void hv_acpi_aml_end(struct hv_acpi_aml *a, size_t mark);

HV_END_DECLS

#endif /* HV_ACPI_AML_H */
