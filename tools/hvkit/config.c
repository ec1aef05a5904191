/*
 * config.c - what each key of a domain configuration means.
 *
 * The keys and their rules follow xl.cfg(5) where xl has them: `memory` in
 * MiB, `extra` as the command line when `cmdline` is absent, `weight`
 * 1..65535 and `cap` 0..100 per vCPU as libxl checks them, `cpus` in xl's
 * CPU-list syntax.  Like xl, an integer may be written quoted ("512") and
 * a string key takes an unquoted number as its text.  Unlike xl, a number
 * with a leading zero is refused rather than read as octal, `initdomain`
 * takes only 0 or 1, and unknown keys are errors, not ignored.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/hvm/hvm_info_table.h>

#include "cfgsyntax.h"

/* libxl's credit-scheduler limits (weight) and cap's unit (% of a CPU). */
#define WEIGHT_MIN   1
#define WEIGHT_MAX   65535
#define CAP_PER_VCPU 100

typedef int (*key_fn)(struct hvkit_domain_cfg *cfg,
		      const struct hvkit_cfg_value *v, struct hvkit_err *err);

struct key_desc {
	const char *name;
	key_fn parse;
	bool required;
};

/* "got ..." for messages: the atom's text, quoted, or "a list". */
static const char *got(char *buf, size_t size, const struct hvkit_cfg_value *v)
{
	if (v->kind == HVKIT_CFG_LIST) {
		snprintf(buf, size, "a list");
		return buf;
	}
	return hvkit_cfg_quote(buf, size, v->text);
}

/*
 * Decimal without leading zeros, or 0x hex; false on anything else or on
 * overflow.  A leading zero is refused because xl would read it as octal.
 */
static bool parse_u64(const char *s, uint64_t *out)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	unsigned base = hex ? 16 : 10;
	uint64_t v = 0;

	if (hex)
		s += 2;
	if (!*s || (!hex && s[0] == '0' && s[1]))
		return false;
	for (; *s; s++) {
		unsigned d;

		if (isdigit((unsigned char)*s))
			d = (unsigned)(*s - '0');
		else if (hex && isxdigit((unsigned char)*s))
			d = (unsigned)(tolower((unsigned char)*s) - 'a' + 10);
		else
			return false;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

/* An integer in [min, max], else "KEY: expected WHAT, got ...". */
static int get_int(const struct hvkit_cfg_value *v, const char *key,
		   uint64_t min, uint64_t max, const char *what, uint64_t *out,
		   struct hvkit_err *err)
{
	char buf[80];

	if (v->kind == HVKIT_CFG_LIST || !parse_u64(v->text, out) ||
	    *out < min || *out > max)
		return hvkit_errf(err, "%s: expected %s, got %s", key, what,
				  got(buf, sizeof(buf), v));
	return 0;
}

/* A string (an unquoted number counts, as in xl); never a list. */
static int get_string(const struct hvkit_cfg_value *v, const char *key,
		      struct hvkit_err *err)
{
	if (v->kind == HVKIT_CFG_LIST)
		return hvkit_errf(err, "%s: expected a string, got a list",
				  key);
	if (v->kind == HVKIT_CFG_WORD)
		return hvkit_errf(err,
				  "%s: unquoted value %s (strings need "
				  "quotes)",
				  key, v->text);
	return 0;
}

static bool valid_name(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > HVKIT_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return false;
	return true;
}

static int key_name(struct hvkit_domain_cfg *cfg,
		    const struct hvkit_cfg_value *v, struct hvkit_err *err)
{
	char buf[80];

	if (get_string(v, "name", err) < 0)
		return -1;
	if (!valid_name(v->text))
		return hvkit_errf(err,
				  "name: expected 1 to %d characters from "
				  "[A-Za-z0-9_.-], got %s",
				  HVKIT_NAME_MAX, got(buf, sizeof(buf), v));
	/* The console protocol gives "(hvkit) " lines to the hypervisor. */
	if (!strcmp(v->text, "hvkit"))
		return hvkit_errf(err, "name: \"hvkit\" is reserved for the "
				       "hypervisor's own console lines");
	strcpy(cfg->name, v->text);
	return 0;
}

static int key_type(struct hvkit_domain_cfg *cfg,
		    const struct hvkit_cfg_value *v, struct hvkit_err *err)
{
	char buf[80];

	(void)cfg;
	if (get_string(v, "type", err) < 0)
		return -1;
	if (strcmp(v->text, "pvh"))
		return hvkit_errf(err,
				  "type: only \"pvh\" is supported, got %s",
				  got(buf, sizeof(buf), v));
	return 0;
}

static int get_path(struct hvkit_domain_cfg *cfg,
		    const struct hvkit_cfg_value *v, const char *key,
		    char **out, struct hvkit_err *err)
{
	if (get_string(v, key, err) < 0)
		return -1;
	if (!v->text[0])
		return hvkit_errf(err, "%s: expected a file name, got \"\"",
				  key);
	*out = hvkit_path_relative_to(cfg->path, v->text);
	return 0;
}

static int key_kernel(struct hvkit_domain_cfg *cfg,
		      const struct hvkit_cfg_value *v, struct hvkit_err *err)
{
	return get_path(cfg, v, "kernel", &cfg->kernel, err);
}

static int key_ramdisk(struct hvkit_domain_cfg *cfg,
		       const struct hvkit_cfg_value *v, struct hvkit_err *err)
{
	return get_path(cfg, v, "ramdisk", &cfg->ramdisk, err);
}

static int key_cmdline(struct hvkit_domain_cfg *cfg,
		       const struct hvkit_cfg_value *v, struct hvkit_err *err)
{
	if (get_string(v, "cmdline", err) < 0)
		return -1;
	free(cfg->cmdline);
	cfg->cmdline = hvkit_xstrdup(v->text);
	return 0;
}

/* xl: `extra` is the command line only if `cmdline` is not set. */
static int key_extra(struct hvkit_domain_cfg *cfg,
		     const struct hvkit_cfg_value *v, struct hvkit_err *err)
{
	if (get_string(v, "extra", err) < 0)
		return -1;
	if (!cfg->line[HVKIT_KEY_CMDLINE]) {
		free(cfg->cmdline);
		cfg->cmdline = hvkit_xstrdup(v->text);
	}
	return 0;
}

static int key_memory(struct hvkit_domain_cfg *cfg,
		      const struct hvkit_cfg_value *v, struct hvkit_err *err)
{
	/* The largest MiB count whose byte count still fits in 64 bits. */
	return get_int(v, "memory", 1, UINT64_MAX >> 20,
		       "a positive integer (MiB)", &cfg->memory_mib, err);
}

static int key_vcpus(struct hvkit_domain_cfg *cfg,
		     const struct hvkit_cfg_value *v, struct hvkit_err *err)
{
	char what[64];
	uint64_t n;

	/* Xen's limit for an HVM/PVH domain. */
	snprintf(what, sizeof(what), "an integer from 1 to %d", HVM_MAX_VCPUS);
	if (get_int(v, "vcpus", 1, HVM_MAX_VCPUS, what, &n, err) < 0)
		return -1;
	cfg->vcpus = (uint32_t)n;
	return 0;
}

/* "all", or xl's comma-separated [^]N or [^]N-M items. */
static bool valid_cpu_item(const char *s, const char *end)
{
	uint64_t lo, hi;
	char item[32], *dash;

	while (s < end && *s == ' ')
		s++;
	while (end > s && end[-1] == ' ')
		end--;
	if (s < end && *s == '^')
		s++;
	if (end - s <= 0 || end - s >= (long)sizeof(item))
		return false;
	memcpy(item, s, (size_t)(end - s));
	item[end - s] = '\0';
	dash = strchr(item, '-');
	if (dash)
		*dash = '\0';
	if (!parse_u64(item, &lo) || lo > UINT32_MAX)
		return false;
	if (!dash)
		return true;
	return parse_u64(dash + 1, &hi) && hi >= lo && hi <= UINT32_MAX;
}

static bool valid_cpus(const char *s)
{
	if (!strcmp(s, "all"))
		return true;
	for (;;) {
		const char *comma = strchr(s, ',');
		const char *end = comma ? comma : s + strlen(s);

		if (!valid_cpu_item(s, end))
			return false;
		if (!comma)
			return true;
		s = comma + 1;
	}
}

static int key_cpus(struct hvkit_domain_cfg *cfg,
		    const struct hvkit_cfg_value *v, struct hvkit_err *err)
{
	char buf[80];

	if (v->kind == HVKIT_CFG_LIST)
		return hvkit_errf(err,
				  "cpus: per-vCPU lists are not supported: "
				  "give one string such as \"0-3\"");
	if (get_string(v, "cpus", err) < 0)
		return -1;
	if (!valid_cpus(v->text))
		return hvkit_errf(err,
				  "cpus: expected \"all\" or CPU numbers and "
				  "ranges such as \"0-3,^1\", got %s",
				  got(buf, sizeof(buf), v));
	cfg->cpus = hvkit_xstrdup(v->text);
	return 0;
}

static int key_weight(struct hvkit_domain_cfg *cfg,
		      const struct hvkit_cfg_value *v, struct hvkit_err *err)
{
	uint64_t n;

	if (get_int(v, "weight", WEIGHT_MIN, WEIGHT_MAX,
		    "an integer from 1 to 65535", &n, err) < 0)
		return -1;
	cfg->weight = (uint32_t)n;
	return 0;
}

/* The upper bound depends on vcpus: checked once the file is read. */
static int key_cap(struct hvkit_domain_cfg *cfg,
		   const struct hvkit_cfg_value *v, struct hvkit_err *err)
{
	uint64_t n;

	if (get_int(v, "cap", 0, CAP_PER_VCPU * HVM_MAX_VCPUS,
		    "an integer from 0 to 100 per vCPU", &n, err) < 0)
		return -1;
	cfg->cap = (uint32_t)n;
	return 0;
}

static int key_initdomain(struct hvkit_domain_cfg *cfg,
			  const struct hvkit_cfg_value *v,
			  struct hvkit_err *err)
{
	uint64_t n;

	if (get_int(v, "initdomain", 0, 1, "0 or 1", &n, err) < 0)
		return -1;
	cfg->initdomain = n == 1;
	return 0;
}

static const struct key_desc keys[HVKIT_KEY_COUNT] = {
    [HVKIT_KEY_NAME] = {"name", key_name, true},
    [HVKIT_KEY_TYPE] = {"type", key_type, false},
    [HVKIT_KEY_KERNEL] = {"kernel", key_kernel, true},
    [HVKIT_KEY_RAMDISK] = {"ramdisk", key_ramdisk, false},
    [HVKIT_KEY_CMDLINE] = {"cmdline", key_cmdline, false},
    [HVKIT_KEY_EXTRA] = {"extra", key_extra, false},
    [HVKIT_KEY_MEMORY] = {"memory", key_memory, true},
    [HVKIT_KEY_VCPUS] = {"vcpus", key_vcpus, false},
    [HVKIT_KEY_CPUS] = {"cpus", key_cpus, false},
    [HVKIT_KEY_WEIGHT] = {"weight", key_weight, false},
    [HVKIT_KEY_CAP] = {"cap", key_cap, false},
    [HVKIT_KEY_INITDOMAIN] = {"initdomain", key_initdomain, false},
};

const char *hvkit_key_name(enum hvkit_key key)
{
	return keys[key].name;
}

static int on_setting(void *ctx, const char *key, unsigned line,
		      const struct hvkit_cfg_value *v, struct hvkit_err *err)
{
	struct hvkit_domain_cfg *cfg = ctx;
	int k;

	for (k = 0; k < HVKIT_KEY_COUNT; k++)
		if (!strcmp(key, keys[k].name))
			break;
	if (k == HVKIT_KEY_COUNT)
		return hvkit_errf(err, "%s: unknown key", key);
	if (cfg->line[k])
		return hvkit_errf(err, "%s: set twice (first on line %u)", key,
				  cfg->line[k]);
	if (keys[k].parse(cfg, v, err) < 0)
		return -1;
	cfg->line[k] = line;
	return 0;
}

/* Checks that need the whole file: required keys, cap against vcpus. */
static int check_file(struct hvkit_domain_cfg *cfg, struct hvkit_err *err)
{
	uint64_t cap_max = (uint64_t)CAP_PER_VCPU * cfg->vcpus;
	int k;

	for (k = 0; k < HVKIT_KEY_COUNT; k++)
		if (keys[k].required && !cfg->line[k])
			return hvkit_errf(err,
					  "%s: %s: required key is missing",
					  cfg->path, keys[k].name);
	if (cfg->line[HVKIT_KEY_CAP] && cfg->cap > cap_max)
		return hvkit_errf(err,
				  "%s:%u: cap: expected an integer from 0 to "
				  "%llu (100 per vCPU, vcpus = %u), got %u",
				  cfg->path, cfg->line[HVKIT_KEY_CAP],
				  (unsigned long long)cap_max, cfg->vcpus,
				  cfg->cap);
	if (cfg->line[HVKIT_KEY_CMDLINE] && cfg->line[HVKIT_KEY_EXTRA])
		cfg->extra_ignored_line = cfg->line[HVKIT_KEY_EXTRA];
	return 0;
}

int hvkit_config_parse(struct hvkit_domain_cfg *cfg, const char *path,
		       const char *text, size_t len, struct hvkit_err *err)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->path = hvkit_xstrdup(path);
	cfg->cmdline = hvkit_xstrdup("");
	cfg->vcpus = 1;
	if (hvkit_cfg_parse_syntax(path, text, len, on_setting, cfg, err) < 0 ||
	    check_file(cfg, err) < 0) {
		hvkit_config_free(cfg);
		return -1;
	}
	return 0;
}

int hvkit_config_load(struct hvkit_domain_cfg *cfg, const char *path,
		      struct hvkit_err *err)
{
	struct hvkit_file f;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	if (hvkit_file_read(&f, path, err) < 0)
		return -1;
	ret = hvkit_config_parse(cfg, path, (const char *)f.data, f.size, err);
	hvkit_file_free(&f);
	return ret;
}

void hvkit_config_free(struct hvkit_domain_cfg *cfg)
{
	free(cfg->path);
	free(cfg->kernel);
	free(cfg->ramdisk);
	free(cfg->cmdline);
	free(cfg->cpus);
	memset(cfg, 0, sizeof(*cfg));
}

static int check_unique_names(const struct hvkit_domain_cfg *cfgs, size_t nr,
			      struct hvkit_err *err)
{
	size_t i, j;

	for (i = 0; i < nr; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(cfgs[i].name, cfgs[j].name))
				return hvkit_errf(
				    err,
				    "%s:%u: name: domain \"%s\" is already "
				    "defined in %s",
				    cfgs[i].path, cfgs[i].line[HVKIT_KEY_NAME],
				    cfgs[i].name, cfgs[j].path);
	return 0;
}

int hvkit_config_check_set(struct hvkit_domain_cfg *cfgs, size_t nr,
			   struct hvkit_err *err)
{
	const struct hvkit_domain_cfg *claimed = NULL;
	size_t i;

	if (check_unique_names(cfgs, nr, err) < 0)
		return -1;
	for (i = 0; i < nr; i++) {
		if (!cfgs[i].initdomain)
			continue;
		if (claimed)
			return hvkit_errf(
			    err,
			    "%s:%u: initdomain: only one domain can be the "
			    "initial domain, and %s already is (%s)",
			    cfgs[i].path, cfgs[i].line[HVKIT_KEY_INITDOMAIN],
			    claimed->name, claimed->path);
		claimed = &cfgs[i];
	}
	if (!claimed && nr && !cfgs[0].line[HVKIT_KEY_INITDOMAIN])
		cfgs[0].initdomain = true;
	return 0;
}
