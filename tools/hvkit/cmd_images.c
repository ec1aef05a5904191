/*
 * cmd_images.c - `hvkit images [--build-dir DIR]`: the recipes `hvkit run`
 * can boot by name.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "console.h"
#include "recipes.h"
#include "usage.h"

#define CMD "hvkit images"

static const struct option images_opts[] = {
    {"build-dir", required_argument, NULL, 'b'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* One line per recipe: name, architecture, image size in KiB (rounded up). */
static void print_recipes(const struct hvkit_recipes *r)
{
	size_t i;

	printf("%-16s %-8s %8s\n", "RECIPE", "ARCH", "SIZE");
	for (i = 0; i < r->nr; i++)
		printf("%-16s %-8s %4llu KiB\n", r->list[i].name,
		       hvkit_arch_name(r->list[i].arch),
		       (unsigned long long)((r->list[i].size + 1023) / 1024));
}

int hvkit_cmd_images(int argc, char **argv)
{
	const char *opt_dir = NULL;
	struct hvkit_recipes r;
	char *dir;
	int c, ret = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":b:h", images_opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			opt_dir = optarg;
			break;
		case 'h':
			fputs(hvkit_usage_images, stdout);
			return 0;
		default:
			return hvkit_bad_option(CMD, c, argv);
		}
	}
	if (optind < argc)
		return hvkit_usage_error(CMD, "unexpected argument %s",
					 argv[optind]);
	dir = hvkit_cli_build_dir(opt_dir);
	hvkit_recipes_find(&r, dir);
	if (r.nr) {
		print_recipes(&r);
	} else {
		fprintf(stderr,
			"hvkit: no recipe is built in %s (build them with "
			"`make`, or give --build-dir)\n",
			dir);
		ret = HVKIT_EXIT_INPUT;
	}
	hvkit_recipes_free(&r);
	free(dir);
	return ret;
}
