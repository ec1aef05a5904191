/*
 * printf-style formatting into a caller's buffer, without libc or floating
 * point (see hv/fmt.h for what is supported).
 */
#include <hv/fmt.h>
#include <hv/string.h>

#include <limits.h>
#include <stdbool.h>

/* %zd reads the signed type of size_t's width, %tu the unsigned type of
 * ptrdiff_t's: each is read as the other. */
HV_STATIC_ASSERT(sizeof(ptrdiff_t) == sizeof(size_t),
		 "size_t and ptrdiff_t differ in width");

/* Enough for the longest conversion of an integer: octal. */
#define DIGITS_MAX (sizeof(uintmax_t) * CHAR_BIT / 3 + 1)

/*
 * The output so far.  len counts every byte of the full output, including
 * those that did not fit, because that count is what vsnprintf returns;
 * only the first size - 1 are stored, leaving room for the NUL.
 */
struct out {
	char *buf;
	size_t size;
	size_t len;
};

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T };

/* One conversion specification, e.g. "%-08.3lx". */
struct spec {
	bool left;  /* '-': pad on the right */
	bool zero;  /* '0': pad numbers with zeros */
	bool plus;  /* '+': sign every signed number */
	bool space; /* ' ': a space where a '+' would be */
	bool alt;   /* '#': 0x on hex, a leading 0 on octal */
	bool has_precision;
	size_t width;
	size_t precision;
	enum length length;
};

static size_t room(const struct out *o)
{
	return o->len + 1 < o->size ? o->size - 1 - o->len : 0;
}

static void put_bytes(struct out *o, const char *s, size_t n)
{
	size_t fit = n < room(o) ? n : room(o);

	for (size_t i = 0; i < fit; i++)
		o->buf[o->len + i] = s[i];
	o->len += n;
}

/* Costs only what fits, however large n is. */
static void put_repeat(struct out *o, char c, size_t n)
{
	size_t fit = n < room(o) ? n : room(o);

	for (size_t i = 0; i < fit; i++)
		o->buf[o->len + i] = c;
	o->len += n;
}

/* Pads a string of n bytes to the field width. */
static void put_padded(struct out *o, const struct spec *sp, const char *s,
		       size_t n)
{
	size_t pad = sp->width > n ? sp->width - n : 0;

	if (!sp->left)
		put_repeat(o, ' ', pad);
	put_bytes(o, s, n);
	if (sp->left)
		put_repeat(o, ' ', pad);
}

/* Writes v's digits so they end just before end; returns how many. */
static size_t to_digits(char *end, uintmax_t v, unsigned int base, bool upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char *p = end;

	do {
		*--p = set[v % base];
		v /= base;
	} while (v);
	return (size_t)(end - p);
}

/*
 * The layout of every integer: [spaces] prefix [zeros] digits [spaces],
 * where the prefix is a sign or "0x", and zeros come from the precision, the
 * '0' flag or the octal '#'.
 */
static void put_integer(struct out *o, const struct spec *sp, uintmax_t v,
			const char *prefix, unsigned int base, bool upper)
{
	char buf[DIGITS_MAX];
	char *end = buf + sizeof(buf);
	size_t prefix_len = hv_strlen(prefix);
	size_t ndigits = 0;
	size_t zeros = 0;
	size_t total, pad;

	/* C: zero with precision 0 has no digits at all. */
	if (v || !sp->has_precision || sp->precision)
		ndigits = to_digits(end, v, base, upper);
	if (sp->has_precision && sp->precision > ndigits)
		zeros = sp->precision - ndigits;
	/* '#' on octal: the output starts with 0, which only a lone "0" does
	 * already. */
	if (sp->alt && base == 8 && zeros == 0 && (v || !ndigits))
		zeros = 1;

	total = prefix_len + zeros + ndigits;
	pad = sp->width > total ? sp->width - total : 0;
	if (sp->zero && !sp->left && !sp->has_precision) {
		zeros += pad;
		pad = 0;
	}

	if (!sp->left)
		put_repeat(o, ' ', pad);
	put_bytes(o, prefix, prefix_len);
	put_repeat(o, '0', zeros);
	put_bytes(o, end - ndigits, ndigits);
	if (sp->left)
		put_repeat(o, ' ', pad);
}

/* va_list goes by pointer so that the callee's va_arg advances the
 * caller's. */
static intmax_t get_signed(va_list *ap, enum length length)
{
	switch (length) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

/* hh and h arguments arrive promoted to int. */
static uintmax_t get_unsigned(va_list *ap, enum length length)
{
	switch (length) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
	case LEN_T:
		return va_arg(*ap, size_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static void put_signed(struct out *o, const struct spec *sp, intmax_t v)
{
	const char *sign = "";
	/* Negated in unsigned arithmetic: -INTMAX_MIN overflows intmax_t. */
	uintmax_t magnitude = v < 0 ? 0 - (uintmax_t)v : (uintmax_t)v;

	if (v < 0)
		sign = "-";
	else if (sp->plus)
		sign = "+";
	else if (sp->space)
		sign = " ";
	put_integer(o, sp, magnitude, sign, 10, false);
}

static void put_hex(struct out *o, const struct spec *sp, uintmax_t v,
		    bool upper)
{
	const char *prefix = "";

	if (sp->alt && v)
		prefix = upper ? "0X" : "0x";
	put_integer(o, sp, v, prefix, 16, upper);
}

static void put_string(struct out *o, const struct spec *sp, const char *s)
{
	size_t n;

	if (!s)
		s = "(null)";
	/* With a precision, s need not be NUL-terminated: read no further. */
	n = sp->has_precision ? hv_strnlen(s, sp->precision) : hv_strlen(s);
	put_padded(o, sp, s, n);
}

/* Returns false, consuming no argument, for an unknown conversion. */
static bool put_conversion(struct out *o, const struct spec *sp, char conv,
			   va_list *ap)
{
	char c;

	switch (conv) {
	case 'd':
	case 'i':
		put_signed(o, sp, get_signed(ap, sp->length));
		return true;
	case 'u':
		put_integer(o, sp, get_unsigned(ap, sp->length), "", 10, false);
		return true;
	case 'o':
		put_integer(o, sp, get_unsigned(ap, sp->length), "", 8, false);
		return true;
	case 'x':
	case 'X':
		put_hex(o, sp, get_unsigned(ap, sp->length), conv == 'X');
		return true;
	case 'p':
		put_integer(o, sp, (uintptr_t)va_arg(*ap, void *), "0x", 16,
			    false);
		return true;
	case 'c':
		c = (char)va_arg(*ap, int);
		put_padded(o, sp, &c, 1);
		return true;
	case 's':
		put_string(o, sp, va_arg(*ap, const char *));
		return true;
	case '%':
		put_bytes(o, "%", 1);
		return true;
	default:
		return false;
	}
}

static const char *parse_flags(const char *fmt, struct spec *sp)
{
	for (;; fmt++) {
		switch (*fmt) {
		case '-':
			sp->left = true;
			break;
		case '0':
			sp->zero = true;
			break;
		case '+':
			sp->plus = true;
			break;
		case ' ':
			sp->space = true;
			break;
		case '#':
			sp->alt = true;
			break;
		default:
			return fmt;
		}
	}
}

/* A decimal count, saturating at INT_MAX (more cannot be returned). */
static const char *parse_count(const char *fmt, size_t *count)
{
	size_t n = 0;

	for (; *fmt >= '0' && *fmt <= '9'; fmt++) {
		size_t digit = (size_t)(*fmt - '0');

		n = n > (INT_MAX - digit) / 10 ? INT_MAX : n * 10 + digit;
	}
	*count = n;
	return fmt;
}

/* A negative '*' width means the '-' flag and its absolute value. */
static const char *parse_width(const char *fmt, struct spec *sp, va_list *ap)
{
	int w;

	if (*fmt != '*')
		return parse_count(fmt, &sp->width);
	w = va_arg(*ap, int);
	if (w < 0) {
		sp->left = true;
		sp->width = 0u - (unsigned int)w;
	} else {
		sp->width = (size_t)w;
	}
	return fmt + 1;
}

/* "." alone means precision 0; a negative '*' precision means none. */
static const char *parse_precision(const char *fmt, struct spec *sp,
				   va_list *ap)
{
	int p;

	if (*fmt != '.')
		return fmt;
	fmt++;
	if (*fmt != '*') {
		sp->has_precision = true;
		return parse_count(fmt, &sp->precision);
	}
	p = va_arg(*ap, int);
	sp->has_precision = p >= 0;
	sp->precision = p >= 0 ? (size_t)p : 0;
	return fmt + 1;
}

static const char *parse_length(const char *fmt, struct spec *sp)
{
	switch (*fmt) {
	case 'h':
		if (fmt[1] == 'h') {
			sp->length = LEN_HH;
			return fmt + 2;
		}
		sp->length = LEN_H;
		return fmt + 1;
	case 'l':
		if (fmt[1] == 'l') {
			sp->length = LEN_LL;
			return fmt + 2;
		}
		sp->length = LEN_L;
		return fmt + 1;
	case 'z':
		sp->length = LEN_Z;
		return fmt + 1;
	case 'j':
		sp->length = LEN_J;
		return fmt + 1;
	case 't':
		sp->length = LEN_T;
		return fmt + 1;
	default:
		sp->length = LEN_NONE;
		return fmt;
	}
}

/* fmt points at a '%'; returns where the text after the conversion starts.
 * An unknown conversion is copied to the output as written. */
static const char *convert(struct out *o, const char *fmt, va_list *ap)
{
	const char *start = fmt;
	struct spec sp = {0};
	size_t spec_len;

	fmt = parse_flags(fmt + 1, &sp);
	fmt = parse_width(fmt, &sp, ap);
	fmt = parse_precision(fmt, &sp, ap);
	fmt = parse_length(fmt, &sp);
	/* A format that ends inside a specification has no conversion. */
	spec_len = (size_t)(fmt - start) + (*fmt != '\0');
	if (!put_conversion(o, &sp, *fmt, ap))
		put_bytes(o, start, spec_len);
	return start + spec_len;
}

int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};
	va_list args;

	/* A copy, because &ap is not a va_list * where va_list is an array
	 * type (x86_64) and ap is a parameter. */
	va_copy(args, ap);
	while (*fmt) {
		if (*fmt == '%') {
			fmt = convert(&o, fmt, &args);
		} else {
			put_bytes(&o, fmt, 1);
			fmt++;
		}
	}
	va_end(args);

	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	/* As C libraries do when the length is not representable. */
	return o.len > INT_MAX ? -1 : (int)o.len;
}

int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
