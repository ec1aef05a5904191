/*
 * fake.c - the architecture-independent part of the stand-in image.
 */
#include "fake.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP	       4u
#define FDT_END	       9u

uint32_t fake_be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static uint32_t str_len(const char *s)
{
	uint32_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* Does the path component at @path (up to '/' or NUL) equal @name? */
static int component_eq(const char *path, uint32_t len, const char *name)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		if (path[i] != name[i])
			return 0;
	return name[len] == '\0';
}

/*
 * Walks the structure block once.  @depth counts the open nodes (the root
 * is opened at depth 0); @matched counts the components of @node_path
 * matched by the chain of open nodes, so the wanted node, once found, is
 * open at depth matched + 1.  Node paths are absolute ("/" or "/a/b").
 */
const void *fake_fdt_prop(const void *fdt, const char *node_path,
			  const char *prop, uint32_t *len)
{
	const uint8_t *base = fdt;
	const uint8_t *p, *strings;
	const char *want = node_path + 1; /* the part still to match */
	uint32_t depth = 0, matched = 0;

	if (!fdt || fake_be32(base) != FDT_MAGIC)
		return 0;
	p = base + fake_be32(base + 8);
	strings = base + fake_be32(base + 12);
	for (;;) {
		uint32_t tok = fake_be32(p);

		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;
			uint32_t clen = 0;

			while (want[clen] && want[clen] != '/')
				clen++;
			if (depth == matched + 1 && clen &&
			    component_eq(want, clen, name)) {
				matched++;
				want += clen + (want[clen] == '/');
			}
			depth++;
			p += (str_len(name) + 4) & ~3u;
		} else if (tok == FDT_END_NODE) {
			if (depth >= 2 && depth <= matched + 1)
				return 0; /* left a node on the wanted path */
			depth--;
		} else if (tok == FDT_PROP) {
			uint32_t plen = fake_be32(p);
			const char *pname =
			    (const char *)strings + fake_be32(p + 4);

			if (depth == matched + 1 && !*want &&
			    str_eq(pname, prop)) {
				*len = plen;
				return p + 8;
			}
			p += 8 + ((plen + 3) & ~3u);
		} else if (tok != FDT_NOP) {
			return 0;
		}
	}
}

static void puts_n(const char *s, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		fake_putc(s[i]);
	fake_putc('\n');
}

static void say(const char *s)
{
	puts_n(s, str_len(s));
}

static int starts(const char *s, uint32_t n, const char *prefix)
{
	uint32_t i;

	for (i = 0; prefix[i]; i++)
		if (i >= n || s[i] != prefix[i])
			return 0;
	return 1;
}

static unsigned number(const char *s, uint32_t n)
{
	unsigned v = 0;
	uint32_t i;

	for (i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	return v;
}

static void run_command(const char *c, uint32_t n)
{
	if (starts(c, n, "!exit "))
		fake_exit(number(c + 6, n - 6));
	if (starts(c, n, "!hang"))
		for (;;)
			;
	puts_n(c, n);
}

void fake_play(const void *bundle)
{
	uint32_t len, i, start = 0;
	const char *compat = fake_fdt_prop(bundle, "/", "compatible", &len);
	const char *script;

	if (!compat || !str_eq(compat, "hvkit,bundle-v1")) {
		say("(hvkit) PANIC: no hvkit bundle found");
		fake_exit(2);
	}
	script = fake_fdt_prop(bundle, "/domain@0", "cmdline", &len);
	if (!script) {
		say("(hvkit) PANIC: the bundle has no domain@0 cmdline");
		fake_exit(2);
	}
	say("(hvkit) fake image: bundle found");
	for (i = 0; i + 1 < len; i++) {
		if (script[i] != '|')
			continue;
		run_command(script + start, i - start);
		start = i + 1;
	}
	run_command(script + start, len - 1 - start);
	fake_exit(0);
}
