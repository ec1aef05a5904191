/*
 * main.c - `hvkit COMMAND ...`: dispatch, --help and --version.
 *
 * Everything that decides something lives in the hvkit-tool library,
 * tested on its own; the commands (cmd_*.c) parse options and print.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "usage.h"

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd)
		return hvkit_usage_error("hvkit",
					 "no command (bundle, images, run or "
					 "trace)");
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") ||
	    !strcmp(cmd, "help")) {
		fputs(hvkit_usage_main, stdout);
		return 0;
	}
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
		printf("hvkit %s\n", HVKIT_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "bundle"))
		return hvkit_cmd_bundle(argc - 1, argv + 1);
	if (!strcmp(cmd, "images"))
		return hvkit_cmd_images(argc - 1, argv + 1);
	if (!strcmp(cmd, "run"))
		return hvkit_cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "trace"))
		return hvkit_cmd_trace(argc - 1, argv + 1);
	return hvkit_usage_error(
	    "hvkit", "unknown command %s (bundle, images, run or trace)", cmd);
}
