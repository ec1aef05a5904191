/*
 * cli.h - what the command implementations share: messages, option values.
 */
#ifndef HVKIT_CLI_H
#define HVKIT_CLI_H

#include <stdbool.h>

#include "build.h"
#include "util.h"

/*
 * Prints "hvkit: MESSAGE" and a hint to run `@command --help`; returns
 * the usage exit status (2).
 */
int hvkit_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * For getopt_long() run with opterr = 0 and an optstring starting with
 * ':': reports the option it just refused (@c is '?' or ':').
 */
int hvkit_bad_option(const char *command, int c, char **argv);

/* Prints "hvkit: " and @err's message; returns @status. */
int hvkit_fail(int status, const struct hvkit_err *err);

/* A decimal number in [0, max], nothing else (no sign, no suffix). */
bool hvkit_parse_uint(const char *s, unsigned long long max,
		      unsigned long long *out);

/*
 * hvkit_build(), printing the message on failure and xl-style warnings on
 * success.  Returns 0 or the exit status for bad input.
 */
int hvkit_cli_build(struct hvkit_build *b, char **paths, int nr,
		    enum hvkit_arch arch);

/*
 * BUILD for recipe names (malloc'd): @opt (--build-dir) if not NULL, else
 * the build directory this executable was built in (image.h).
 */
char *hvkit_cli_build_dir(const char *opt);

int hvkit_cmd_bundle(int argc, char **argv);
int hvkit_cmd_images(int argc, char **argv);
int hvkit_cmd_run(int argc, char **argv);
int hvkit_cmd_trace(int argc, char **argv);

#endif /* HVKIT_CLI_H */
