/*
 * cli.c - messages and option values shared by the commands.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "console.h"
#include "image.h"

int hvkit_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;

	fputs("hvkit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry `%s --help'.\n", command);
	return HVKIT_EXIT_USAGE;
}

int hvkit_bad_option(const char *command, int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		return hvkit_usage_error(command, "option %s needs a value",
					 arg);
	if (optopt)
		return hvkit_usage_error(command, "unknown option -%c", optopt);
	return hvkit_usage_error(command, "unknown option %s", arg);
}

int hvkit_fail(int status, const struct hvkit_err *err)
{
	fprintf(stderr, "hvkit: %s\n", err->msg);
	return status;
}

bool hvkit_parse_uint(const char *s, unsigned long long max,
		      unsigned long long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return !*end && !errno && *out <= max;
}

static void warn_ignored_extra(const struct hvkit_build *b)
{
	size_t i;

	for (i = 0; i < b->nr; i++)
		if (b->cfgs[i].extra_ignored_line)
			fprintf(stderr,
				"hvkit: warning: %s:%u: extra: ignored in "
				"favour of cmdline (as xl does)\n",
				b->cfgs[i].path, b->cfgs[i].extra_ignored_line);
}

int hvkit_cli_build(struct hvkit_build *b, char **paths, int nr,
		    enum hvkit_arch arch)
{
	struct hvkit_err err;

	if (hvkit_build(b, (const char *const *)paths, (size_t)nr, arch, &err) <
	    0)
		return hvkit_fail(HVKIT_EXIT_INPUT, &err);
	warn_ignored_extra(b);
	return 0;
}

char *hvkit_cli_build_dir(const char *opt)
{
	char exe[PATH_MAX], *dir, *real;
	ssize_t n;

	if (opt)
		return hvkit_xstrdup(opt);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return hvkit_xstrdup("build");
	exe[n] = '\0';
	dir = hvkit_default_build_dir(exe);
	real = realpath(dir, NULL);
	if (!real)
		return dir;
	free(dir);
	return real;
}
