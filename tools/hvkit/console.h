/*
 * console.h - the console protocol of docs/bundle.md, read line by line.
 *
 *   (hvkit) domain NAME: shutdown REASON     a domain ended
 *   (hvkit) all domains finished             the image is about to exit
 *   (hvkit) error: PANIC: message            the hypervisor gave up
 *                                            (also read without "error: ")
 * and QEMU's exit status: the image's value directly on aarch64
 * (semihosting SYS_EXIT), value * 2 + 1 on x86_64 (isa-debug-exit).
 */
#ifndef HVKIT_CONSOLE_H
#define HVKIT_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#include "arch.h"

/* Xen's shutdown reasons (SHUTDOWN_* in <xen/sched.h>), as the image
 * prints them; NONE: the domain has not ended (yet). */
enum hvkit_shutdown {
	HVKIT_SHUTDOWN_NONE,
	HVKIT_SHUTDOWN_POWEROFF,
	HVKIT_SHUTDOWN_REBOOT,
	HVKIT_SHUTDOWN_SUSPEND,
	HVKIT_SHUTDOWN_CRASH,
	HVKIT_SHUTDOWN_WATCHDOG,
	HVKIT_SHUTDOWN_SOFT_RESET,
};

/* Longest line the parser looks at; longer lines are not protocol lines. */
#define HVKIT_CONSOLE_LINE_MAX 1024

struct hvkit_console {
	size_t nr;		     /* domains in the bundle */
	const char *const *names;    /* their names, bundle order */
	enum hvkit_shutdown *reason; /* per domain; caller's array of nr */
	bool finished;		     /* "all domains finished" seen */
	bool panicked;		     /* "PANIC:" seen */
	char panic_msg[256];	     /* what followed "PANIC: " */

	/* Line assembly across hvkit_console_feed() calls. */
	char line[HVKIT_CONSOLE_LINE_MAX + 1];
	size_t len;
	bool skip; /* the current line outgrew line[] or holds a NUL: it is
		      not a protocol line */
};

/* @reason must have room for @nr entries; all start at NONE. */
void hvkit_console_init(struct hvkit_console *c, const char *const *names,
			enum hvkit_shutdown *reason, size_t nr);

/* Feeds console bytes as they arrive, in any chunks. */
void hvkit_console_feed(struct hvkit_console *c, const char *buf, size_t n);

/* Ends the stream: a last line without a newline still counts. */
void hvkit_console_flush(struct hvkit_console *c);

/* Interprets one complete line (no newline; a trailing \r is ignored). */
void hvkit_console_line(struct hvkit_console *c, const char *line);

/* "poweroff", "crash", ... ; "none" for NONE. */
const char *hvkit_shutdown_name(enum hvkit_shutdown reason);

/*
 * The image's exit value from QEMU's exit status: -1 if the status is not
 * one the image can produce on @arch (x86_64: only odd statuses).
 */
int hvkit_console_exit_value(enum hvkit_arch arch, int qemu_status);

/* How QEMU ended, as the runner saw it. */
struct hvkit_qemu_end {
	bool timed_out;	    /* hvkit killed it at the timeout */
	unsigned timeout_s; /* that timeout, for the message */
	bool signaled;	    /* it died of a signal (other than ours) */
	int status;	    /* exit status, or the signal number */
};

/* hvkit run's exit statuses. */
enum hvkit_exit {
	HVKIT_EXIT_OK = 0,	 /* every domain powered off */
	HVKIT_EXIT_DOMAIN = 1,	 /* a domain crashed or did not power off */
	HVKIT_EXIT_USAGE = 2,	 /* bad command line */
	HVKIT_EXIT_INPUT = 3,	 /* bad config, kernel, image or bundle */
	HVKIT_EXIT_PANIC = 4,	 /* the hypervisor panicked */
	HVKIT_EXIT_TIMEOUT = 5,	 /* timed out */
	HVKIT_EXIT_QEMU = 6,	 /* QEMU failed or ended too early */
	HVKIT_EXIT_SIGNAL = 128, /* + N: hvkit was stopped by signal N */
};

struct hvkit_outcome {
	enum hvkit_exit exit;
	char reason[512]; /* one line for stderr; "" on success */
};

/*
 * The verdict: success iff every domain reported poweroff, the image said
 * all domains finished and exited with value 0.  Otherwise the first of:
 * timeout, panic, a crashed domain, a domain with another reason, QEMU
 * ending before all domains finished, a non-zero exit value.
 */
void hvkit_console_outcome(const struct hvkit_console *c, enum hvkit_arch arch,
			   const struct hvkit_qemu_end *end,
			   struct hvkit_outcome *out);

#endif /* HVKIT_CONSOLE_H */
