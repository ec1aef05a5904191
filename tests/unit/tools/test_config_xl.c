/*
 * test_config_xl.c - hvkit's config parser against Xen's own (libxlutil,
 * from libxen-dev) on generated files: every key hvkit supports, with
 * values within its ranges, written in the many ways both syntaxes allow
 * (either quote, escapes, quoted integers, hex, `;` and newlines, comments,
 * blanks), must be accepted by both and read as the same value.  The
 * differences docs/hvkit.md lists are checked one by one, so that one that
 * goes away or changes shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxlutil.h>

#include "../model_rng.h"
#include "config.h"
#include "testutil.h"

#define FILES	 3000
#define MAX_TEXT 8192
#define MAX_VAL	 64
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* One generated file and the values it means. */
struct gen {
	uint64_t rng;
	char text[MAX_TEXT];
	size_t len;
	/* The values written, as both parsers must read them. */
	char str[HVKIT_KEY_COUNT][MAX_VAL + 1];
	uint64_t num[HVKIT_KEY_COUNT];
	bool set[HVKIT_KEY_COUNT];
};

static uint32_t rnd(struct gen *g, uint32_t n)
{
	return model_rng(&g->rng, n);
}

static void emit(struct gen *g, const char *s)
{
	size_t n = strlen(s);

	assert_true(g->len + n < sizeof(g->text));
	memcpy(g->text + g->len, s, n);
	g->len += n;
	g->text[g->len] = '\0';
}

static const char *pick(struct gen *g, const char *const *from, size_t n)
{
	return from[rnd(g, (uint32_t)n)];
}

/* A random string of `len` bytes from `alphabet`. */
static void random_text(struct gen *g, char *out, const char *alphabet,
			size_t len)
{
	size_t n = strlen(alphabet);

	for (size_t i = 0; i < len; i++)
		out[i] = alphabet[rnd(g, (uint32_t)n)];
	out[len] = '\0';
}

/* `s` quoted with either quote, escaping what must be and, now and then,
 * what need not be. */
static void emit_string(struct gen *g, const char *s)
{
	static const char special[] = "\\\n\t\r\a\b\f\v";
	static const char letter[] = "\\ntrabfv";
	char q = rnd(g, 2) ? '"' : '\'';
	char buf[3] = {0};

	buf[0] = q;
	emit(g, buf);
	for (; *s; s++) {
		const char *hit = strchr(special, *s);

		buf[1] = '\0';
		if (hit) {
			buf[0] = '\\';
			buf[1] = letter[hit - special];
		} else if (*s == q ||
			   ((*s == '"' || *s == '\'') && rnd(g, 2))) {
			buf[0] = '\\';
			buf[1] = *s;
		} else {
			buf[0] = *s;
		}
		emit(g, buf);
	}
	buf[0] = q;
	buf[1] = '\0';
	emit(g, buf);
}

/* An integer as either parser reads it: decimal or hex, maybe quoted. */
static void emit_number(struct gen *g, uint64_t v)
{
	char num[32], quoted[40];

	if (rnd(g, 3) == 0)
		snprintf(num, sizeof(num), "0x%llx", (unsigned long long)v);
	else
		snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	if (rnd(g, 4) == 0) {
		char q = rnd(g, 2) ? '"' : '\'';

		snprintf(quoted, sizeof(quoted), "%c%s%c", q, num, q);
		emit(g, quoted);
	} else {
		emit(g, num);
	}
}

static uint64_t in_range(struct gen *g, uint64_t lo, uint64_t hi)
{
	/* Mostly small, sometimes the ends. */
	switch (rnd(g, 6)) {
	case 0:
		return lo;
	case 1:
		return hi;
	default:
		return lo +
		       rnd(g, (uint32_t)(hi - lo < 4096 ? hi - lo + 1 : 4096));
	}
}

static void make_value(struct gen *g, enum hvkit_key k)
{
	static const char *const cpus[] = {"all",   "0-3,^1",  "1",
					   "0,2-5", "7-7, ^7", "^0,1"};
	static const char name_chars[] = "abcXYZ019_.-";
	static const char path_chars[] = "abc/._-0123 XYZ";
	static const char line_chars[] = "abc =,.:/\"'\\\n\t\r\a\b\f\v#;[]09";
	char *s = g->str[k];

	switch (k) {
	case HVKIT_KEY_NAME:
		do
			random_text(g, s, name_chars, 1 + rnd(g, 31));
		while (!strcmp(s, "hvkit"));
		break;
	case HVKIT_KEY_TYPE:
		strcpy(s, "pvh");
		break;
	case HVKIT_KEY_KERNEL:
	case HVKIT_KEY_RAMDISK:
		random_text(g, s, path_chars, 1 + rnd(g, 40));
		break;
	case HVKIT_KEY_CMDLINE:
	case HVKIT_KEY_EXTRA:
		random_text(g, s, line_chars, rnd(g, MAX_VAL));
		break;
	case HVKIT_KEY_CPUS:
		strcpy(s, pick(g, cpus, COUNT(cpus)));
		break;
	case HVKIT_KEY_MEMORY:
		g->num[k] = in_range(g, 1, UINT64_C(1) << 20);
		break;
	case HVKIT_KEY_VCPUS:
		g->num[k] = in_range(g, 1, 128);
		break;
	case HVKIT_KEY_WEIGHT:
		g->num[k] = in_range(g, 1, 65535);
		break;
	case HVKIT_KEY_CAP:
		g->num[k] = in_range(g, 0, 100); /* within any vcpus */
		break;
	case HVKIT_KEY_INITDOMAIN:
		g->num[k] = rnd(g, 2);
		break;
	case HVKIT_KEY_COUNT:
		break;
	}
}

static bool is_string_key(enum hvkit_key k)
{
	return k == HVKIT_KEY_NAME || k == HVKIT_KEY_TYPE ||
	       k == HVKIT_KEY_KERNEL || k == HVKIT_KEY_RAMDISK ||
	       k == HVKIT_KEY_CMDLINE || k == HVKIT_KEY_EXTRA ||
	       k == HVKIT_KEY_CPUS;
}

static void emit_setting(struct gen *g, enum hvkit_key k)
{
	static const char *const before[] = {"", " ", "\t", "  "};
	static const char *const equals[] = {"=", " = ", "\t=\t", "= ", " ="};

	emit(g, pick(g, before, COUNT(before)));
	emit(g, hvkit_key_name(k));
	emit(g, pick(g, equals, COUNT(equals)));
	make_value(g, k);
	if (is_string_key(k))
		emit_string(g, g->str[k]);
	else
		emit_number(g, g->num[k]);
	g->set[k] = true;
}

static void emit_separator(struct gen *g, bool last)
{
	static const char *const seps[] = {"\n",
					   ";",
					   " ; ",
					   "\n\n",
					   ";\n",
					   "  # a comment; = [ \"\n",
					   "\t#\n# only a comment\n"};

	if (last && rnd(g, 4) == 0)
		return; /* no final newline */
	emit(g, pick(g, seps, COUNT(seps)));
}

/* Required keys always, the others at random, in random order. */
static void generate(struct gen *g, uint64_t seed)
{
	enum hvkit_key order[HVKIT_KEY_COUNT];
	size_t n = 0;

	memset(g, 0, sizeof(*g));
	g->rng = model_rng_seed(seed);
	for (int k = 0; k < HVKIT_KEY_COUNT; k++)
		if (k == HVKIT_KEY_NAME || k == HVKIT_KEY_KERNEL ||
		    k == HVKIT_KEY_MEMORY || rnd(g, 2))
			order[n++] = (enum hvkit_key)k;
	for (size_t i = n; i > 1; i--) {
		size_t j = rnd(g, (uint32_t)i);
		enum hvkit_key t = order[i - 1];

		order[i - 1] = order[j];
		order[j] = t;
	}
	if (rnd(g, 3) == 0)
		emit(g, "# generated\n\n");
	for (size_t i = 0; i < n; i++) {
		emit_setting(g, order[i]);
		emit_separator(g, i + 1 == n);
	}
}

static XLU_Config *xl_parse(const char *text, size_t len)
{
	FILE *quiet = fopen("/dev/null", "w");
	XLU_Config *c = xlu_cfg_init(quiet, "gen.cfg");
	int rc;

	assert_non_null(c);
	rc = xlu_cfg_readdata(c, text, (int)len);
	fclose(quiet);
	if (rc) {
		xlu_cfg_destroy(c);
		return NULL;
	}
	return c;
}

static const char *xl_string(XLU_Config *c, enum hvkit_key k)
{
	const char *s = NULL;

	assert_int_equal(xlu_cfg_get_string(c, hvkit_key_name(k), &s, 1), 0);
	return s;
}

static long xl_long(XLU_Config *c, enum hvkit_key k)
{
	long v = -1;

	assert_int_equal(xlu_cfg_get_long(c, hvkit_key_name(k), &v, 1), 0);
	return v;
}

/* What hvkit read for key k, as a string (string keys only). */
static const char *hvkit_string(const struct hvkit_domain_cfg *cfg,
				enum hvkit_key k)
{
	switch (k) {
	case HVKIT_KEY_NAME:
		return cfg->name;
	case HVKIT_KEY_KERNEL:
		return cfg->kernel;
	case HVKIT_KEY_RAMDISK:
		return cfg->ramdisk;
	case HVKIT_KEY_CMDLINE:
		return cfg->cmdline;
	case HVKIT_KEY_CPUS:
		return cfg->cpus;
	default:
		return NULL; /* type: checked, not kept; extra: below */
	}
}

static uint64_t hvkit_number(const struct hvkit_domain_cfg *cfg,
			     enum hvkit_key k)
{
	switch (k) {
	case HVKIT_KEY_MEMORY:
		return cfg->memory_mib;
	case HVKIT_KEY_VCPUS:
		return cfg->vcpus;
	case HVKIT_KEY_WEIGHT:
		return cfg->weight;
	case HVKIT_KEY_CAP:
		return cfg->cap;
	default:
		return cfg->initdomain;
	}
}

static void compare(const struct gen *g, const struct hvkit_domain_cfg *cfg,
		    XLU_Config *xl)
{
	for (int i = 0; i < HVKIT_KEY_COUNT; i++) {
		enum hvkit_key k = (enum hvkit_key)i;
		const char *mine = hvkit_string(cfg, k);

		if (!g->set[k])
			continue;
		if (!is_string_key(k)) {
			assert_int_equal(xl_long(xl, k), g->num[k]);
			assert_int_equal(hvkit_number(cfg, k), g->num[k]);
			continue;
		}
		assert_string_equal(xl_string(xl, k), g->str[k]);
		if (mine)
			assert_string_equal(mine, g->str[k]);
	}
	/* xl's rule: extra is the command line only without cmdline. */
	if (g->set[HVKIT_KEY_EXTRA] && !g->set[HVKIT_KEY_CMDLINE])
		assert_string_equal(cfg->cmdline, g->str[HVKIT_KEY_EXTRA]);
}

static void test_generated_files_read_alike(void **state)
{
	static struct gen g;

	(void)state;
	for (uint64_t seed = 1; seed <= FILES; seed++) {
		struct hvkit_domain_cfg cfg;
		struct hvkit_err err = {{0}};
		XLU_Config *xl;

		generate(&g, seed);
		/* No slash in the path: kernel and ramdisk stay as written. */
		if (hvkit_config_parse(&cfg, "gen.cfg", g.text, g.len, &err))
			fail_msg("seed %llu: hvkit: %s\n%s",
				 (unsigned long long)seed, err.msg, g.text);
		xl = xl_parse(g.text, g.len);
		if (!xl)
			fail_msg("seed %llu: xl refused:\n%s",
				 (unsigned long long)seed, g.text);
		compare(&g, &cfg, xl);
		xlu_cfg_destroy(xl);
		hvkit_config_free(&cfg);
	}
}

/* The base every difference is added to. */
#define BASE "name = \"g\"\nkernel = \"k\"\nmemory = 16\n"

static bool hvkit_accepts(const char *text)
{
	struct hvkit_domain_cfg cfg;
	struct hvkit_err err;
	int rc = hvkit_config_parse(&cfg, "gen.cfg", text, strlen(text), &err);

	if (rc == 0)
		hvkit_config_free(&cfg);
	return rc == 0;
}

/* Each difference docs/hvkit.md lists, as it stands. */
static void test_documented_differences(void **state)
{
	XLU_Config *xl;
	const char *s;

	(void)state;
	/* A leading zero: xl reads octal, hvkit refuses. */
	xl = xl_parse(BASE "vcpus = 010\n", strlen(BASE "vcpus = 010\n"));
	assert_int_equal(xl_long(xl, HVKIT_KEY_VCPUS), 8);
	xlu_cfg_destroy(xl);
	assert_false(hvkit_accepts(BASE "vcpus = 010\n"));
	/* \xHH: hvkit reads the byte; xl's parser refuses the escape. */
	assert_null(xl_parse(BASE "cmdline = \"\\x41\"\n",
			     strlen(BASE "cmdline = \"\\x41\"\n")));
	assert_true(hvkit_accepts(BASE "cmdline = \"\\x41\"\n"));
	/* A key set twice: xl takes the last, hvkit refuses. */
	xl = xl_parse(BASE "vcpus = 1\nvcpus = 2\n",
		      strlen(BASE "vcpus = 1\nvcpus = 2\n"));
	assert_int_equal(xl_long(xl, HVKIT_KEY_VCPUS), 2);
	xlu_cfg_destroy(xl);
	assert_false(hvkit_accepts(BASE "vcpus = 1\nvcpus = 2\n"));
	/* CRLF line ends, hex with 0X or upper-case digits: hvkit reads
	 * them, xl's lexer refuses them. */
	assert_null(
	    xl_parse(BASE "vcpus = 1\r\n", strlen(BASE "vcpus = 1\r\n")));
	assert_true(hvkit_accepts(BASE "vcpus = 1\r\n"));
	assert_null(
	    xl_parse(BASE "vcpus = 0X1\n", strlen(BASE "vcpus = 0X1\n")));
	assert_true(hvkit_accepts(BASE "vcpus = 0X1\n"));
	assert_null(
	    xl_parse(BASE "vcpus = 0xA\n", strlen(BASE "vcpus = 0xA\n")));
	assert_true(hvkit_accepts(BASE "vcpus = 0xA\n"));
	/* An unknown key: xl ignores it, hvkit refuses. */
	xl = xl_parse(BASE "on_crash = \"destroy\"\n",
		      strlen(BASE "on_crash = \"destroy\"\n"));
	assert_non_null(xl);
	xlu_cfg_destroy(xl);
	assert_false(hvkit_accepts(BASE "on_crash = \"destroy\"\n"));
	/* An octal escape: xl takes \1 as something, hvkit refuses it. */
	xl = xl_parse(BASE "cmdline = \"\\101\"\n",
		      strlen(BASE "cmdline = \"\\101\"\n"));
	assert_non_null(xl);
	s = xl_string(xl, HVKIT_KEY_CMDLINE);
	assert_string_not_equal(s, "A");
	xlu_cfg_destroy(xl);
	assert_false(hvkit_accepts(BASE "cmdline = \"\\101\"\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_generated_files_read_alike),
	    cmocka_unit_test(test_documented_differences),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
