/*
 * Memory and string functions for builds without libc.
 *
 * Compiled with -fno-builtin (see meson.build) so the compiler cannot turn
 * these loops back into calls to memcpy or memset, which in a freestanding
 * build are these very functions.  Copies, fills, compares and memchr move
 * a word at a time once the pointers are word-aligned (memchr within its
 * n bytes).  Strings go byte by byte: a word read would run past the
 * terminating NUL, outside the object, which C leaves undefined and ASan
 * reports.
 */
#include <hv/string.h>

#include <limits.h>
#include <stdbool.h>

/* may_alias: a word access to bytes of any type is not a strict-aliasing
 * violation. */
typedef unsigned long __attribute__((__may_alias__)) word_t;
typedef uint32_t __attribute__((__may_alias__)) word32_t;

#define WORD_SIZE   sizeof(word_t)
#define WORD32_SIZE sizeof(word32_t)

static bool word_aligned(uintptr_t addr)
{
	return addr % WORD_SIZE == 0;
}

/* Both pointers can be brought to word alignment at the same time. */
static bool same_misalignment(const void *a, const void *b)
{
	return word_aligned((uintptr_t)a ^ (uintptr_t)b);
}

/* Eight words: where a block is loaded before it is stored. */
#define BLOCK_WORDS 8

static void copy_block(word_t *d, const word_t *s)
{
	word_t w0 = s[0], w1 = s[1], w2 = s[2], w3 = s[3];
	word_t w4 = s[4], w5 = s[5], w6 = s[6], w7 = s[7];

	d[0] = w0;
	d[1] = w1;
	d[2] = w2;
	d[3] = w3;
	d[4] = w4;
	d[5] = w5;
	d[6] = w6;
	d[7] = w7;
}

/*
 * Where both pointers can be word-aligned at once, the bulk goes in
 * blocks of eight words, each loaded whole before it is stored.  Under
 * QEMU's TCG (where hvkit runs) source and destination pages can share
 * one slot of the software TLB; word-by-word they evict each other on
 * every access, block-wise twice per 64 bytes: a 33 MB kernel copied
 * into guest RAM took 123 ms word-by-word and 31 ms in blocks.  Else 32
 * bits at a time where both can be 4-aligned (a kernel in a domain
 * bundle, which is a device tree, is only that), else bytes: strict
 * alignment on AArch64 rules out unaligned words.
 */
static void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	if (same_misalignment(d, s)) {
		for (; n && !word_aligned((uintptr_t)d); n--)
			*d++ = *s++;
		for (; n >= BLOCK_WORDS * WORD_SIZE;
		     n -= BLOCK_WORDS * WORD_SIZE) {
			copy_block((word_t *)(void *)d,
				   (const word_t *)(const void *)s);
			d += BLOCK_WORDS * WORD_SIZE;
			s += BLOCK_WORDS * WORD_SIZE;
		}
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			*(word_t *)(void *)d = *(const word_t *)(const void *)s;
			d += WORD_SIZE;
			s += WORD_SIZE;
		}
	} else if (((uintptr_t)d ^ (uintptr_t)s) % WORD32_SIZE == 0) {
		for (; n && (uintptr_t)d % WORD32_SIZE; n--)
			*d++ = *s++;
		for (; n >= WORD32_SIZE; n -= WORD32_SIZE) {
			*(word32_t *)(void *)d =
			    *(const word32_t *)(const void *)s;
			d += WORD32_SIZE;
			s += WORD32_SIZE;
		}
	}
	while (n--)
		*d++ = *s++;
}

/* d and s point one past the end of the areas. */
static void copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
	if (same_misalignment(d, s)) {
		for (; n && !word_aligned((uintptr_t)d); n--)
			*--d = *--s;
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			d -= WORD_SIZE;
			s -= WORD_SIZE;
			*(word_t *)(void *)d = *(const word_t *)(const void *)s;
		}
	}
	while (n--)
		*--d = *--s;
}

void *hv_memcpy(void *dst, const void *src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

/*
 * Copying forward is safe unless dst starts inside [src, src + n): below
 * src, each word is read before the write that could clobber it.  The
 * unsigned difference is < n exactly in that case.
 */
void *hv_memmove(void *dst, const void *src, size_t n)
{
	if ((uintptr_t)dst - (uintptr_t)src >= n)
		copy_forward(dst, src, n);
	else
		copy_backward((unsigned char *)dst + n,
			      (const unsigned char *)src + n, n);
	return dst;
}

void *hv_memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	unsigned char byte = (unsigned char)c;
	word_t pattern = ULONG_MAX / UCHAR_MAX * byte;

	for (; n && !word_aligned((uintptr_t)d); n--)
		*d++ = byte;
	/* Eight words per turn: under TCG every turn of a loop is one more
	 * translated block to dispatch, and a boot fills megabytes (an
	 * AArch64 image's frame table: 65,000 blocks word by word, a
	 * fifth of its boot). */
	for (; n >= BLOCK_WORDS * WORD_SIZE; n -= BLOCK_WORDS * WORD_SIZE) {
		word_t *w = (word_t *)(void *)d;

		w[0] = w[1] = w[2] = w[3] = pattern;
		w[4] = w[5] = w[6] = w[7] = pattern;
		d += BLOCK_WORDS * WORD_SIZE;
	}
	for (; n >= WORD_SIZE; n -= WORD_SIZE) {
		*(word_t *)(void *)d = pattern;
		d += WORD_SIZE;
	}
	while (n--)
		*d++ = byte;
	return dst;
}

int hv_memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a;
	const unsigned char *q = b;

	/* Skip equal words; the bytes of the first unequal one decide. */
	if (same_misalignment(p, q)) {
		for (; n && !word_aligned((uintptr_t)p); n--, p++, q++)
			if (*p != *q)
				return *p - *q;
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			if (*(const word_t *)(const void *)p !=
			    *(const word_t *)(const void *)q)
				break;
			p += WORD_SIZE;
			q += WORD_SIZE;
		}
	}
	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

/*
 * A word at a time once p is aligned, while no byte of the word matches:
 * x = word ^ pattern has a zero byte exactly where the word has `byte`,
 * and (x - ones) & ~x has the top bit of some byte set exactly when x has
 * a zero byte.  Device-tree walks look for the NUL of every name; under
 * TCG each turn of a byte loop is a translated block.  An aligned word
 * never crosses a page, so a caller's n that runs past its object (C
 * allows that when a match comes first) reads nothing that can fault.
 */
void *hv_memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	unsigned char byte = (unsigned char)c;
	word_t ones = ULONG_MAX / UCHAR_MAX, highs = ones << (CHAR_BIT - 1);
	word_t pattern = ones * byte;

	for (; n && !word_aligned((uintptr_t)p); n--, p++)
		if (*p == byte)
			return (void *)p;
	for (; n >= WORD_SIZE; n -= WORD_SIZE, p += WORD_SIZE) {
		word_t x = *(const word_t *)(const void *)p ^ pattern;

		if ((x - ones) & ~x & highs)
			break;
	}
	for (; n; n--, p++)
		if (*p == byte)
			return (void *)p;
	return NULL;
}

size_t hv_strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t hv_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* Characters compare as unsigned char, as C requires. */
int hv_strcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	while (*p && *p == *q) {
		p++;
		q++;
	}
	return *p - *q;
}

int hv_strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
		if (!*p)
			break;
	}
	return 0;
}

/* The terminating NUL is part of the string: strchr(s, 0) finds it. */
char *hv_strchr(const char *s, int c)
{
	char ch = (char)c;

	for (;; s++) {
		if (*s == ch)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *hv_strrchr(const char *s, int c)
{
	char ch = (char)c;
	const char *last = NULL;

	do {
		if (*s == ch)
			last = s;
	} while (*s++);
	return (char *)last;
}

static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The value of c as a digit in bases up to 36, or 36 if it is none. */
static unsigned int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned int)(c - '0');
	if (c >= 'a' && c <= 'z')
		return (unsigned int)(c - 'a') + 10;
	if (c >= 'A' && c <= 'Z')
		return (unsigned int)(c - 'A') + 10;
	return 36;
}

/* "0x" counts as a prefix only when a hex digit follows; otherwise the
 * number is the "0" alone. */
static bool has_hex_prefix(const char *p)
{
	return p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	       digit_value(p[2]) < 16;
}

unsigned long hv_strtoul(const char *s, char **end, int base)
{
	const char *p = s;
	const char *digits;
	unsigned long value = 0;
	bool negative = false;
	bool overflow = false;

	while (is_space(*p))
		p++;
	if (*p == '+' || *p == '-') {
		negative = *p == '-';
		p++;
	}
	if ((base == 0 || base == 16) && has_hex_prefix(p)) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = *p == '0' ? 8 : 10;
	}

	digits = p;
	if (base >= 2 && base <= 36) {
		unsigned long b = (unsigned long)base;

		for (; digit_value(*p) < b; p++) {
			unsigned long d = digit_value(*p);

			if (value > (ULONG_MAX - d) / b)
				overflow = true;
			else
				value = value * b + d;
		}
	}

	if (end)
		*end = (char *)(p == digits ? s : p);
	if (overflow)
		return ULONG_MAX;
	return negative ? 0 - value : value;
}

size_t hv_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = hv_strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		hv_memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/*
 * Without libc the standard names are these functions: the compiler emits
 * calls to memcpy, memmove, memset and memcmp itself, and libfdt calls the
 * rest.
 */
#if !__STDC_HOSTED__
#define HV_STD_ALIAS(name) __attribute__((__alias__("hv_" #name)))

void *memcpy(void *dst, const void *src, size_t n) HV_STD_ALIAS(memcpy);
void *memmove(void *dst, const void *src, size_t n) HV_STD_ALIAS(memmove);
void *memset(void *dst, int c, size_t n) HV_STD_ALIAS(memset);
int memcmp(const void *a, const void *b, size_t n) HV_STD_ALIAS(memcmp);
void *memchr(const void *s, int c, size_t n) HV_STD_ALIAS(memchr);
size_t strlen(const char *s) HV_STD_ALIAS(strlen);
size_t strnlen(const char *s, size_t max) HV_STD_ALIAS(strnlen);
int strcmp(const char *a, const char *b) HV_STD_ALIAS(strcmp);
int strncmp(const char *a, const char *b, size_t n) HV_STD_ALIAS(strncmp);
char *strchr(const char *s, int c) HV_STD_ALIAS(strchr);
char *strrchr(const char *s, int c) HV_STD_ALIAS(strrchr);
unsigned long strtoul(const char *s, char **end, int base)
    HV_STD_ALIAS(strtoul);
#endif
