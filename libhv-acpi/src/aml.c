/*
 * The AML emitter (ACPI 6.4, 20.2): integers, strings, names, and the
 * Scope and Device packages with their PkgLength.
 */
#include <hv/acpi_aml.h>
#include <hv/string.h>

#define AML_ZERO_OP	  0x00
#define AML_ONE_OP	  0x01
#define AML_NAME_OP	  0x08
#define AML_BYTE_PREFIX	  0x0a
#define AML_WORD_PREFIX	  0x0b
#define AML_DWORD_PREFIX  0x0c
#define AML_STRING_PREFIX 0x0d
#define AML_QWORD_PREFIX  0x0e
#define AML_SCOPE_OP	  0x10
#define AML_DUAL_NAME	  0x2e
#define AML_MULTI_NAME	  0x2f
#define AML_EXT_OP	  0x5b
#define AML_DEVICE_OP	  0x82 /* after AML_EXT_OP */
#define AML_ROOT_CHAR	  '\\'
#define AML_PARENT_CHAR	  '^'
#define AML_NULL_NAME	  0x00

/* A NameString holds at most 255 segments (MultiNamePrefix's count). */
#define AML_MAX_SEGS 255u

void hv_acpi_aml_init(struct hv_acpi_aml *a, void *buf, size_t size)
{
	a->buf = buf;
	a->size = buf ? size : 0;
	a->len = 0;
	a->error = 0;
}

int hv_acpi_aml_result(const struct hv_acpi_aml *a)
{
	return a->error;
}

static void fail(struct hv_acpi_aml *a, int error)
{
	if (!a->error)
		a->error = error;
}

/* Append n bytes (or count them when they do not fit). */
static void emit(struct hv_acpi_aml *a, const void *bytes, size_t n)
{
	if (a->error && a->error != -HV_ENOSPC)
		return;
	if (a->len + n > a->size)
		fail(a, -HV_ENOSPC);
	else
		memcpy(a->buf + a->len, bytes, n);
	a->len += n;
}

static void emit_byte(struct hv_acpi_aml *a, uint8_t b)
{
	emit(a, &b, 1);
}

/* Little-endian, whatever the host. */
static void emit_le(struct hv_acpi_aml *a, uint64_t v, unsigned int bytes)
{
	uint8_t le[8];

	for (unsigned int i = 0; i < bytes; i++)
		le[i] = (uint8_t)(v >> (8 * i));
	emit(a, le, bytes);
}

unsigned int hv_acpi_aml_pkglength(size_t body,
				   uint8_t out[HV_ACPI_AML_PKGLEN_MAX_BYTES])
{
	/*
	 * One byte holds 6 bits; longer forms have 4 bits in the lead byte
	 * (bits 7:6 count the bytes that follow) and 8 in each following
	 * byte.  The value includes the PkgLength itself.
	 */
	if (body + 1 <= 0x3f) {
		out[0] = (uint8_t)(body + 1);
		return 1;
	}
	for (unsigned int n = 2; n <= HV_ACPI_AML_PKGLEN_MAX_BYTES; n++) {
		size_t total = body + n;

		if (total >> (4 + 8 * (n - 1)))
			continue;
		out[0] = (uint8_t)(((n - 1) << 6) | (total & 0xf));
		for (unsigned int i = 1; i < n; i++)
			out[i] = (uint8_t)(total >> (4 + 8 * (i - 1)));
		return n;
	}
	return 0;
}

void hv_acpi_aml_integer(struct hv_acpi_aml *a, uint64_t value)
{
	if (value == 0) {
		emit_byte(a, AML_ZERO_OP);
	} else if (value == 1) {
		emit_byte(a, AML_ONE_OP);
	} else if (value <= 0xff) {
		emit_byte(a, AML_BYTE_PREFIX);
		emit_le(a, value, 1);
	} else if (value <= 0xffff) {
		emit_byte(a, AML_WORD_PREFIX);
		emit_le(a, value, 2);
	} else if (value <= 0xffffffffu) {
		emit_byte(a, AML_DWORD_PREFIX);
		emit_le(a, value, 4);
	} else {
		emit_byte(a, AML_QWORD_PREFIX);
		emit_le(a, value, 8);
	}
}

void hv_acpi_aml_string(struct hv_acpi_aml *a, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)s[i] > 0x7f) {
			fail(a, -HV_EINVAL);
			return;
		}
	}
	emit_byte(a, AML_STRING_PREFIX);
	emit(a, s, n + 1);
}

static bool lead_char(char c)
{
	return (c >= 'A' && c <= 'Z') || c == '_';
}

static bool name_char(char c)
{
	return lead_char(c) || (c >= '0' && c <= '9');
}

/*
 * The segment at *p (1-4 characters up to "." or the end), padded with
 * "_" into seg; *p moves past it.  false if it is not a valid segment.
 */
static bool parse_seg(const char **p, char seg[4])
{
	const char *s = *p;
	unsigned int n = 0;

	while (s[n] && s[n] != '.') {
		if (n == 4 || !(n ? name_char(s[n]) : lead_char(s[n])))
			return false;
		seg[n] = s[n];
		n++;
	}
	if (!n)
		return false;
	for (unsigned int i = n; i < 4; i++)
		seg[i] = '_';
	*p = s + n;
	return true;
}

/* Count and check the segments of `path` (prefixes already skipped). */
static unsigned int count_segs(const char *path)
{
	unsigned int n = 0;
	char seg[4];

	if (!*path)
		return 0;
	for (;;) {
		if (!parse_seg(&path, seg) || n == AML_MAX_SEGS)
			return ~0u;
		n++;
		if (!*path)
			return n;
		if (*++path == '\0')
			return ~0u; /* a trailing "." */
	}
}

void hv_acpi_aml_namestring(struct hv_acpi_aml *a, const char *path)
{
	const char *p = path;
	unsigned int segs;
	char seg[4];

	if (*p == AML_ROOT_CHAR) {
		emit_byte(a, AML_ROOT_CHAR);
		p++;
	} else {
		while (*p == AML_PARENT_CHAR)
			emit_byte(a, (uint8_t)*p++);
	}
	segs = count_segs(p);
	if (segs == ~0u) {
		fail(a, -HV_EINVAL);
		return;
	}
	/* NullName, a NameSeg, DualNamePrefix or MultiNamePrefix + count. */
	if (segs == 0) {
		emit_byte(a, AML_NULL_NAME);
	} else if (segs == 2) {
		emit_byte(a, AML_DUAL_NAME);
	} else if (segs > 2) {
		emit_byte(a, AML_MULTI_NAME);
		emit_byte(a, (uint8_t)segs);
	}
	while (segs--) {
		parse_seg(&p, seg);
		emit(a, seg, sizeof(seg));
		p += *p == '.';
	}
}

void hv_acpi_aml_name(struct hv_acpi_aml *a, const char *path)
{
	emit_byte(a, AML_NAME_OP);
	hv_acpi_aml_namestring(a, path);
}

size_t hv_acpi_aml_scope_begin(struct hv_acpi_aml *a, const char *path)
{
	size_t mark;

	emit_byte(a, AML_SCOPE_OP);
	mark = a->len;
	hv_acpi_aml_namestring(a, path);
	return mark;
}

size_t hv_acpi_aml_device_begin(struct hv_acpi_aml *a, const char *path)
{
	size_t mark;

	emit_byte(a, AML_EXT_OP);
	emit_byte(a, AML_DEVICE_OP);
	mark = a->len;
	hv_acpi_aml_namestring(a, path);
	return mark;
}

void hv_acpi_aml_end(struct hv_acpi_aml *a, size_t mark)
{
	uint8_t pkglen[HV_ACPI_AML_PKGLEN_MAX_BYTES];
	unsigned int n;

	if (a->error && a->error != -HV_ENOSPC)
		return;
	if (mark > a->len) {
		fail(a, -HV_EINVAL);
		return;
	}
	n = hv_acpi_aml_pkglength(a->len - mark, pkglen);
	if (!n) {
		fail(a, -HV_EINVAL);
		return;
	}
	/* The body moves up to make room; measuring only counts. */
	if (!a->error && a->len + n <= a->size) {
		memmove(a->buf + mark + n, a->buf + mark, a->len - mark);
		memcpy(a->buf + mark, pkglen, n);
	} else {
		fail(a, -HV_ENOSPC);
	}
	a->len += n;
}
