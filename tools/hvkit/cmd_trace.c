/*
 * cmd_trace.c - `hvkit trace FILE [--json] [--plot DIR] [--last N]`: the trace
 * file's reader is a Python program (tools/trace/hvkit_trace.py), run
 * with Debian's interpreter, whose python3-matplotlib draws the pictures.
 * An installed hvkit (PREFIX/bin) runs the installed reader
 * (PREFIX/share/hvkit); one in the build tree, the source tree's.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "util.h"

#define PYTHON	       "/usr/bin/python3"
#define INSTALLED_PATH "/../share/hvkit/hvkit_trace.py"

/* The reader beside an installed executable, else the source tree's. */
static const char *reader(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char *slash;

	if (n > 0) {
		buf[n] = '\0';
		slash = strrchr(buf, '/');
		if (slash &&
		    (size_t)(slash - buf) + sizeof(INSTALLED_PATH) < size) {
			strcpy(slash, INSTALLED_PATH);
			if (access(buf, R_OK) == 0)
				return buf;
		}
	}
	return HVKIT_TRACE_READER;
}

int hvkit_cmd_trace(int argc, char **argv)
{
	char **args = hvkit_xcalloc((size_t)argc + 2, sizeof(*args));
	char path[PATH_MAX];

	args[0] = PYTHON;
	args[1] = (char *)reader(path, sizeof(path));
	for (int i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	args[argc + 1] = NULL;
	execv(PYTHON, args);
	fprintf(stderr, "hvkit trace: cannot run %s %s: %s\n", PYTHON, args[1],
		strerror(errno));
	return 127;
}
