/*
 * cmd_trace.c - `hvkit trace FILE [--json] [--plot DIR]`: the trace
 * file's reader is a Python program (tools/trace/hvkit_trace.py), run
 * with Debian's interpreter, whose python3-matplotlib draws the pictures.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "util.h"

#define PYTHON "/usr/bin/python3"

int hvkit_cmd_trace(int argc, char **argv)
{
	char **args = hvkit_xcalloc((size_t)argc + 2, sizeof(*args));

	args[0] = PYTHON;
	args[1] = HVKIT_TRACE_READER;
	for (int i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	args[argc + 1] = NULL;
	execv(PYTHON, args);
	fprintf(stderr, "hvkit trace: cannot run %s %s: %s\n", PYTHON,
		HVKIT_TRACE_READER, strerror(errno));
	return 127;
}
