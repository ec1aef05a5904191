/*
 * Fuzzing the domain-config parser of tools/hvkit (config.c over
 * cfgsyntax.c): the input is one or two config files, split at the first
 * SEPARATOR line, each parsed from a buffer of exactly its size so that
 * AddressSanitizer sees any read past its end.
 *
 * A file that parses must hold what config.h promises (a valid name, the
 * required keys, values within their keys' ranges, lines that exist); one
 * that does not must say why on one line that starts with its path, and
 * leave nothing to free.  Two that parse go through
 * hvkit_config_check_set, which must refuse a name used twice and leave at
 * most one initial domain.  hvkit_cfg_quote, which every message quotes
 * values with, must fit its buffer with printable bytes only.
 */
#define _GNU_SOURCE /* memmem */
#include "fuzz.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <xen/hvm/hvm_info_table.h>

#include "cfgsyntax.h"
#include "config.h"

#define SEPARATOR "\n%%\n"
#define PATH	  "dir/fuzz.cfg"

static bool valid_name(const char *s)
{
	size_t len = strlen(s);

	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_.-", *p))
			return false;
	return len >= 1 && len <= HVKIT_NAME_MAX && strcmp(s, "hvkit");
}

static unsigned int count_lines(const char *text, size_t len)
{
	unsigned int n = 1;

	for (size_t i = 0; i < len; i++)
		n += text[i] == '\n';
	return n;
}

static bool one_line(const char *msg)
{
	return msg[0] && !strchr(msg, '\n');
}

static void check_parsed(const struct hvkit_domain_cfg *cfg, unsigned int lines)
{
	fuzz_check(valid_name(cfg->name));
	fuzz_check(cfg->kernel && cfg->kernel[0] && cfg->cmdline);
	fuzz_check(!strncmp(cfg->kernel, "dir/", 4) || cfg->kernel[0] == '/');
	fuzz_check(cfg->memory_mib >= 1 && cfg->memory_mib <= UINT64_MAX >> 20);
	fuzz_check(cfg->vcpus >= 1 && cfg->vcpus <= HVM_MAX_VCPUS);
	fuzz_check(!cfg->line[HVKIT_KEY_WEIGHT] ||
		   (cfg->weight >= 1 && cfg->weight <= 65535));
	fuzz_check(!cfg->line[HVKIT_KEY_CAP] || cfg->cap <= 100 * cfg->vcpus);
	fuzz_check((cfg->ramdisk != NULL) ==
		   (cfg->line[HVKIT_KEY_RAMDISK] != 0));
	fuzz_check((cfg->cpus != NULL) == (cfg->line[HVKIT_KEY_CPUS] != 0));
	for (int k = 0; k < HVKIT_KEY_COUNT; k++)
		fuzz_check(cfg->line[k] <= lines);
}

/* Parses len bytes at text; true and *cfg if they are a valid file. */
static bool parse(struct hvkit_domain_cfg *cfg, const uint8_t *text, size_t len)
{
	char *copy = malloc(len ? len : 1);
	struct hvkit_err err = {{0}};
	static const struct hvkit_domain_cfg empty;
	bool ok;

	memcpy(copy, text, len);
	ok = hvkit_config_parse(cfg, PATH, copy, len, &err) == 0;
	if (ok) {
		fuzz_check(!err.msg[0]);
		check_parsed(cfg, count_lines(copy, len));
	} else {
		fuzz_check(one_line(err.msg) &&
			   !strncmp(err.msg, PATH, strlen(PATH)));
		fuzz_check(!memcmp(cfg, &empty, sizeof(empty)));
	}
	free(copy);
	return ok;
}

static void check_set(struct hvkit_domain_cfg *cfgs)
{
	struct hvkit_err err = {{0}};
	bool same = !strcmp(cfgs[0].name, cfgs[1].name);
	int rc = hvkit_config_check_set(cfgs, 2, &err);

	fuzz_check(!same || rc < 0);
	if (rc < 0)
		fuzz_check(one_line(err.msg));
	else
		fuzz_check(!(cfgs[0].initdomain && cfgs[1].initdomain));
}

/* The first bytes of the input as a string, quoted into a buffer of 8 to
 * 71 bytes. */
static void check_quote(const uint8_t *data, size_t size)
{
	char s[64], buf[72];
	size_t len = size < sizeof(s) - 1 ? size : sizeof(s) - 1;
	size_t bufsize = 8 + (size ? data[0] % 64 : 0);

	memcpy(s, data, len);
	s[len] = '\0';
	fuzz_check(hvkit_cfg_quote(buf, bufsize, s) == buf);
	fuzz_check(strlen(buf) < bufsize && buf[0] == '"');
	for (const char *p = buf; *p; p++)
		fuzz_check(isprint((unsigned char)*p));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hvkit_domain_cfg cfgs[2];
	const uint8_t *sep = memmem(data, size, SEPARATOR, strlen(SEPARATOR));
	size_t first = sep ? (size_t)(sep - data) : size;
	size_t skip = sep ? strlen(SEPARATOR) : 0;
	bool a, b = false;

	check_quote(data, size);
	a = parse(&cfgs[0], data, first);
	if (sep)
		b = parse(&cfgs[1], data + first + skip, size - first - skip);
	if (a && b)
		check_set(cfgs);
	if (a)
		hvkit_config_free(&cfgs[0]);
	if (b)
		hvkit_config_free(&cfgs[1]);
	return 0;
}
