/*
 * config.h - xl.cfg-style domain configuration files.
 *
 * One file describes one domain: `key = value` lines, values being "double"
 * or 'single' quoted strings, integers (decimal or 0x hex) or [lists, of,
 * values]; `#` starts a comment; `;` may separate settings on one line.
 * Which keys exist, what they accept and every message is in config.c and
 * docs/hvkit.md.
 */
#ifndef HVKIT_CONFIG_H
#define HVKIT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* A domain name: 1..63 characters from [A-Za-z0-9_.-] (docs/bundle.md):
 * xl takes names of 40 characters and more. */
#define HVKIT_NAME_MAX 63

enum hvkit_key {
	HVKIT_KEY_NAME,
	HVKIT_KEY_TYPE,
	HVKIT_KEY_KERNEL,
	HVKIT_KEY_RAMDISK,
	HVKIT_KEY_CMDLINE,
	HVKIT_KEY_EXTRA,
	HVKIT_KEY_MEMORY,
	HVKIT_KEY_VCPUS,
	HVKIT_KEY_CPUS,
	HVKIT_KEY_WEIGHT,
	HVKIT_KEY_CAP,
	HVKIT_KEY_INITDOMAIN,
	HVKIT_KEY_COUNT,
};

/* The key's name as written in a config file, e.g. "memory". */
const char *hvkit_key_name(enum hvkit_key key);

struct hvkit_domain_cfg {
	char *path; /* the config file, as named on the command line */
	char name[HVKIT_NAME_MAX + 1];
	char *kernel;  /* resolved against the config file's directory */
	char *ramdisk; /* likewise; NULL when the domain has none */
	char *cmdline; /* never NULL; "" when not given */
	uint64_t memory_mib;
	uint32_t vcpus;	 /* 1 when not given */
	char *cpus;	 /* NULL when not given */
	uint32_t weight; /* valid if line[HVKIT_KEY_WEIGHT] */
	uint32_t cap;	 /* percent of one CPU; valid if line[HVKIT_KEY_CAP] */
	/*
	 * Start as Xen's initial domain.  The parser stores what the file
	 * says (false when absent); hvkit_config_check_set() applies the
	 * default (the first domain, unless another one claims it).
	 */
	bool initdomain;
	/* The line each key was set on, 0 if it was not set. */
	unsigned line[HVKIT_KEY_COUNT];
	/*
	 * As in xl, `extra` is the command line only when `cmdline` is absent;
	 * when both are set, this is the line of the ignored `extra` (else 0),
	 * for a warning.
	 */
	unsigned extra_ignored_line;
};

/*
 * Parses @len bytes of @text, the contents of the file @path (used in
 * messages and to resolve relative kernel/ramdisk paths).  On failure
 * @err holds "PATH:LINE: KEY: what is wrong" (or "PATH: KEY: ..." for a
 * missing key) and @cfg holds nothing to free.
 */
int hvkit_config_parse(struct hvkit_domain_cfg *cfg, const char *path,
		       const char *text, size_t len, struct hvkit_err *err);

/* Reads @path and parses it. */
int hvkit_config_load(struct hvkit_domain_cfg *cfg, const char *path,
		      struct hvkit_err *err);

void hvkit_config_free(struct hvkit_domain_cfg *cfg);

/*
 * Checks the domains of one bundle against each other (unique names, at
 * most one initdomain = 1) and settles which one is the initial domain:
 * the one that says initdomain = 1, else the first one unless it says
 * initdomain = 0.
 */
int hvkit_config_check_set(struct hvkit_domain_cfg *cfgs, size_t nr,
			   struct hvkit_err *err);

#endif /* HVKIT_CONFIG_H */
