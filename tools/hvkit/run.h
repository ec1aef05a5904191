/*
 * run.h - running QEMU: stream its console, enforce the timeout, and stop
 * it cleanly on SIGINT/SIGTERM/SIGHUP.
 */
#ifndef HVKIT_RUN_H
#define HVKIT_RUN_H

#include <stdbool.h>

#include "console.h"
#include "util.h"

struct hvkit_run_opts {
	char *const *argv;   /* argv[0] is looked up in PATH */
	unsigned timeout_ms; /* 0: no timeout */
	int out_fd;	     /* where the console goes as it comes */
	/* What is typed into the console as it comes (0: hvkit's stdin);
	 * -1: nothing, QEMU's stdin ends at once. */
	int in_fd;
	struct hvkit_console *console; /* fed every byte of it */
};

struct hvkit_run_result {
	struct hvkit_qemu_end end; /* timed_out, signaled, status */
	int interrupted_by;	   /* the signal that stopped hvkit, or 0 */
};

/*
 * Starts @o->argv in its own process group with stdin from a pipe and
 * stdout into a pipe (stderr is hvkit's), copies what @o->in_fd gives into
 * the first until it ends (line by line from a terminal, which keeps its
 * own line editing, echo and Ctrl-C) and the second to @o->out_fd and
 * into @o->console until the process exits, and waits for it.  At the
 * timeout, or when hvkit gets SIGINT, SIGTERM or SIGHUP, it kills the
 * whole process group with SIGKILL and reaps it before returning.
 * Returns -1 only if the process could not be started (fork, pipe, exec).
 */
int hvkit_run(const struct hvkit_run_opts *o, struct hvkit_run_result *r,
	      struct hvkit_err *err);

#endif /* HVKIT_RUN_H */
