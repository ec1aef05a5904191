/*
 * console.c - reading the image's console protocol and judging the run.
 */
#include "console.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PREFIX	 "(hvkit) "
#define FINISHED "all domains finished"
#define PANIC	 "PANIC:"
#define ERROR	 "error: " /* the log level an image's panic line carries */
#define DOMAIN	 "domain "
#define SHUTDOWN ": shutdown "

/* The image's exit values (docs/bundle.md). */
#define VALUE_ALL_POWEROFF 0
#define VALUE_PANIC	   2

static const char *const reason_names[] = {
    [HVKIT_SHUTDOWN_NONE] = "none",
    [HVKIT_SHUTDOWN_POWEROFF] = "poweroff",
    [HVKIT_SHUTDOWN_REBOOT] = "reboot",
    [HVKIT_SHUTDOWN_SUSPEND] = "suspend",
    [HVKIT_SHUTDOWN_CRASH] = "crash",
    [HVKIT_SHUTDOWN_WATCHDOG] = "watchdog",
    [HVKIT_SHUTDOWN_SOFT_RESET] = "soft_reset",
};

#define NR_REASONS (sizeof(reason_names) / sizeof(reason_names[0]))

const char *hvkit_shutdown_name(enum hvkit_shutdown reason)
{
	return (size_t)reason < NR_REASONS ? reason_names[reason] : "none";
}

void hvkit_console_init(struct hvkit_console *c, const char *const *names,
			enum hvkit_shutdown *reason, size_t nr)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	c->nr = nr;
	c->names = names;
	c->reason = reason;
	for (i = 0; i < nr; i++)
		reason[i] = HVKIT_SHUTDOWN_NONE;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static enum hvkit_shutdown parse_reason(const char *s)
{
	size_t i;

	for (i = HVKIT_SHUTDOWN_POWEROFF; i < NR_REASONS; i++)
		if (!strcmp(s, reason_names[i]))
			return (enum hvkit_shutdown)i;
	return HVKIT_SHUTDOWN_NONE;
}

/* "NAME: shutdown REASON"; the first report for a domain counts. */
static void domain_line(struct hvkit_console *c, const char *s)
{
	const char *sep = strstr(s, SHUTDOWN);
	enum hvkit_shutdown reason;
	size_t i, len;

	if (!sep)
		return;
	len = (size_t)(sep - s);
	reason = parse_reason(sep + strlen(SHUTDOWN));
	if (reason == HVKIT_SHUTDOWN_NONE)
		return;
	for (i = 0; i < c->nr; i++)
		if (strlen(c->names[i]) == len &&
		    !strncmp(c->names[i], s, len) &&
		    c->reason[i] == HVKIT_SHUTDOWN_NONE)
			c->reason[i] = reason;
}

static void panic_line(struct hvkit_console *c, const char *msg)
{
	if (c->panicked)
		return;
	c->panicked = true;
	while (*msg == ' ')
		msg++;
	snprintf(c->panic_msg, sizeof(c->panic_msg), "%s", msg);
}

void hvkit_console_line(struct hvkit_console *c, const char *line)
{
	char buf[HVKIT_CONSOLE_LINE_MAX + 1];
	size_t len = strlen(line);
	const char *s;

	if (len > HVKIT_CONSOLE_LINE_MAX)
		return;
	memcpy(buf, line, len + 1);
	if (len && buf[len - 1] == '\r') /* serial consoles end with CR LF */
		buf[--len] = '\0';
	if (!starts_with(buf, PREFIX))
		return;
	s = buf + strlen(PREFIX);
	if (!strcmp(s, FINISHED))
		c->finished = true;
	else if (starts_with(s, ERROR PANIC))
		panic_line(c, s + strlen(ERROR PANIC));
	else if (starts_with(s, PANIC))
		panic_line(c, s + strlen(PANIC));
	else if (starts_with(s, DOMAIN))
		domain_line(c, s + strlen(DOMAIN));
}

void hvkit_console_feed(struct hvkit_console *c, const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			hvkit_console_flush(c);
			continue;
		}
		if (c->len < HVKIT_CONSOLE_LINE_MAX && buf[i])
			c->line[c->len++] = buf[i];
		else
			c->skip = true;
	}
}

void hvkit_console_flush(struct hvkit_console *c)
{
	if (!c->skip && c->len) {
		c->line[c->len] = '\0';
		hvkit_console_line(c, c->line);
	}
	c->len = 0;
	c->skip = false;
}

int hvkit_console_exit_value(enum hvkit_arch arch, int qemu_status)
{
	if (arch == HVKIT_ARCH_X86_64)
		return qemu_status & 1 ? qemu_status >> 1 : -1;
	return qemu_status;
}

/* The first domain (in bundle order) that crashed, or -1. */
static long first_crashed(const struct hvkit_console *c)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		if (c->reason[i] == HVKIT_SHUTDOWN_CRASH)
			return (long)i;
	return -1;
}

/* The first domain that ended with a reason other than poweroff, or -1. */
static long first_not_poweroff(const struct hvkit_console *c)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		if (c->reason[i] != HVKIT_SHUTDOWN_NONE &&
		    c->reason[i] != HVKIT_SHUTDOWN_POWEROFF)
			return (long)i;
	return -1;
}

static bool all_reported(const struct hvkit_console *c)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		if (c->reason[i] == HVKIT_SHUTDOWN_NONE)
			return false;
	return true;
}

static void fail(struct hvkit_outcome *out, enum hvkit_exit code,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void fail(struct hvkit_outcome *out, enum hvkit_exit code,
		 const char *fmt, ...)
{
	va_list ap;

	out->exit = code;
	va_start(ap, fmt);
	vsnprintf(out->reason, sizeof(out->reason), fmt, ap);
	va_end(ap);
}

static void early_end(const struct hvkit_qemu_end *end,
		      struct hvkit_outcome *out)
{
	if (end->signaled)
		fail(out, HVKIT_EXIT_QEMU,
		     "qemu was killed by signal %d before all domains finished",
		     end->status);
	else
		fail(out, HVKIT_EXIT_QEMU,
		     "qemu exited with status %d before all domains finished",
		     end->status);
}

void hvkit_console_outcome(const struct hvkit_console *c, enum hvkit_arch arch,
			   const struct hvkit_qemu_end *end,
			   struct hvkit_outcome *out)
{
	int value =
	    end->signaled ? -1 : hvkit_console_exit_value(arch, end->status);
	long crashed = first_crashed(c);
	long other = first_not_poweroff(c);

	out->exit = HVKIT_EXIT_OK;
	out->reason[0] = '\0';
	if (end->timed_out)
		fail(out, HVKIT_EXIT_TIMEOUT, "timed out after %u s",
		     end->timeout_s);
	else if (c->panicked || value == VALUE_PANIC)
		fail(out, HVKIT_EXIT_PANIC, "hypervisor panicked: %s",
		     c->panicked ? c->panic_msg
				 : "(no PANIC line; exit value 2)");
	else if (crashed >= 0)
		fail(out, HVKIT_EXIT_DOMAIN, "domain %s crashed",
		     c->names[crashed]);
	else if (other >= 0)
		fail(out, HVKIT_EXIT_DOMAIN, "domain %s: shutdown %s",
		     c->names[other], hvkit_shutdown_name(c->reason[other]));
	else if (!c->finished || !all_reported(c))
		early_end(end, out);
	else if (value != VALUE_ALL_POWEROFF)
		fail(out, HVKIT_EXIT_QEMU,
		     "qemu exited with status %d although every domain powered "
		     "off",
		     end->status);
}
