/*
 * cmd_bundle.c - `hvkit bundle -o OUT [--arch A] DOMAIN.cfg...`.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "console.h"
#include "usage.h"

static const struct option bundle_opts[] = {
    {"output", required_argument, NULL, 'o'},
    {"arch", required_argument, NULL, 'a'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int hvkit_cmd_bundle(int argc, char **argv)
{
	enum hvkit_arch arch = HVKIT_ARCH_NONE;
	const char *out = NULL;
	struct hvkit_build b;
	struct hvkit_err err;
	int c, ret;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:a:h", bundle_opts, NULL)) !=
	       -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'a':
			if (!hvkit_arch_parse(optarg, &arch))
				return hvkit_usage_error(
				    "hvkit bundle",
				    "unknown architecture %s (aarch64 or "
				    "x86_64)",
				    optarg);
			break;
		case 'h':
			fputs(hvkit_usage_bundle, stdout);
			return 0;
		default:
			return hvkit_bad_option("hvkit bundle", c, argv);
		}
	}
	if (!out)
		return hvkit_usage_error("hvkit bundle",
					 "no output file: give -o OUT");
	if (optind >= argc)
		return hvkit_usage_error("hvkit bundle",
					 "no domain configuration files");
	ret = hvkit_cli_build(&b, argv + optind, argc - optind, arch);
	if (ret)
		return ret;
	if (hvkit_file_write(out, b.fdt, b.fdt_size, &err) < 0)
		ret = hvkit_fail(HVKIT_EXIT_INPUT, &err);
	hvkit_build_free(&b);
	return ret;
}
