/*
 * test_console.c - the console protocol, line by line and in chunks, and
 * the verdict for every way a run can end on each architecture.
 */
#include <string.h>

#include "console.h"
#include "testutil.h"

static const char *const names[] = {"alpha", "beta", "al"};
static enum hvkit_shutdown reasons[3];
static struct hvkit_console con;

static int setup(void **state)
{
	(void)state;
	hvkit_console_init(&con, names, reasons, 3);
	return 0;
}

static void feed(const char *s)
{
	hvkit_console_feed(&con, s, strlen(s));
}

static void test_init(void **state)
{
	(void)state;
	reasons[1] = HVKIT_SHUTDOWN_CRASH;
	hvkit_console_init(&con, names, reasons, 3);
	assert_int_equal(reasons[0], HVKIT_SHUTDOWN_NONE);
	assert_int_equal(reasons[1], HVKIT_SHUTDOWN_NONE);
	assert_int_equal(reasons[2], HVKIT_SHUTDOWN_NONE);
	assert_false(con.finished);
	assert_false(con.panicked);
}

static void test_every_reason(void **state)
{
	static const struct {
		const char *word;
		enum hvkit_shutdown reason;
	} all[] = {
	    {"poweroff", HVKIT_SHUTDOWN_POWEROFF},
	    {"reboot", HVKIT_SHUTDOWN_REBOOT},
	    {"suspend", HVKIT_SHUTDOWN_SUSPEND},
	    {"crash", HVKIT_SHUTDOWN_CRASH},
	    {"watchdog", HVKIT_SHUTDOWN_WATCHDOG},
	    {"soft_reset", HVKIT_SHUTDOWN_SOFT_RESET},
	};
	char line[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		hvkit_console_init(&con, names, reasons, 3);
		strcpy(line, "(hvkit) domain beta: shutdown ");
		strcat(line, all[i].word);
		hvkit_console_line(&con, line);
		assert_int_equal(reasons[1], all[i].reason);
		assert_int_equal(reasons[0], HVKIT_SHUTDOWN_NONE);
		assert_string_equal(hvkit_shutdown_name(all[i].reason),
				    all[i].word);
	}
	assert_string_equal(hvkit_shutdown_name(HVKIT_SHUTDOWN_NONE), "none");
	assert_string_equal(hvkit_shutdown_name((enum hvkit_shutdown)99),
			    "none");
}

static void test_lines(void **state)
{
	(void)state;
	hvkit_console_line(&con, "(alpha) hello from alpha");
	hvkit_console_line(&con, "(alpha) (hvkit) domain beta: shutdown crash");
	hvkit_console_line(&con, " (hvkit) domain beta: shutdown crash");
	hvkit_console_line(&con, "(hvkit) domain beta: shutdown crashed");
	hvkit_console_line(&con, "(hvkit) domain beta shutdown crash");
	hvkit_console_line(&con, "(hvkit) domain gamma: shutdown crash");
	hvkit_console_line(&con, "(hvkit) all domains finished!");
	hvkit_console_line(&con, "(hvkit)all domains finished");
	hvkit_console_line(&con, "(hvkit) panic: lowercase is not a panic");
	assert_int_equal(reasons[0], HVKIT_SHUTDOWN_NONE);
	assert_int_equal(reasons[1], HVKIT_SHUTDOWN_NONE);
	assert_false(con.finished);
	assert_false(con.panicked);

	/* Names match exactly: "al" is not a prefix match for "alpha". */
	hvkit_console_line(&con, "(hvkit) domain al: shutdown reboot\r");
	assert_int_equal(reasons[2], HVKIT_SHUTDOWN_REBOOT);
	assert_int_equal(reasons[0], HVKIT_SHUTDOWN_NONE);
	hvkit_console_line(&con, "(hvkit) domain alpha: shutdown poweroff");
	assert_int_equal(reasons[0], HVKIT_SHUTDOWN_POWEROFF);
	/* The first report counts. */
	hvkit_console_line(&con, "(hvkit) domain alpha: shutdown crash");
	assert_int_equal(reasons[0], HVKIT_SHUTDOWN_POWEROFF);

	hvkit_console_line(&con, "(hvkit) all domains finished\r");
	assert_true(con.finished);
	/* As the images print it (their log's error level), or bare. */
	hvkit_console_line(&con,
			   "(hvkit) error: PANIC:   out of memory in p2m\r");
	assert_true(con.panicked);
	assert_string_equal(con.panic_msg, "out of memory in p2m");
	hvkit_console_line(&con, "(hvkit) PANIC: second");
	assert_string_equal(con.panic_msg, "out of memory in p2m");
	hvkit_console_init(&con, names, reasons, 3);
	hvkit_console_line(&con, "(hvkit) PANIC: bare");
	assert_string_equal(con.panic_msg, "bare");
	hvkit_console_line(&con, "(hvkit) warn: PANIC: not a panic line");
	assert_string_equal(con.panic_msg, "bare");
}

static void test_feed_chunks(void **state)
{
	const char *stream = "(alpha) hi\r\n(hvkit) domain alpha: shutdown "
			     "poweroff\r\n(hvkit) domain beta: shutdown crash\n"
			     "(hvkit) all domains finished";
	size_t i, len = strlen(stream);

	(void)state;
	/* One byte at a time: lines are assembled across calls. */
	for (i = 0; i < len; i++)
		hvkit_console_feed(&con, stream + i, 1);
	assert_int_equal(reasons[0], HVKIT_SHUTDOWN_POWEROFF);
	assert_int_equal(reasons[1], HVKIT_SHUTDOWN_CRASH);
	assert_false(con.finished); /* no newline yet */
	hvkit_console_flush(&con);
	assert_true(con.finished);
	hvkit_console_flush(&con); /* nothing pending: harmless */
	assert_true(con.finished);
}

static void test_feed_long_and_nul(void **state)
{
	char big[HVKIT_CONSOLE_LINE_MAX + 100];

	(void)state;
	memset(big, 'x', sizeof(big));
	memcpy(big, "(hvkit) domain alpha: shutdown crash", 36);
	hvkit_console_feed(&con, big, sizeof(big));
	feed("\n");
	/* Too long to be a protocol line; the next line is read afresh. */
	assert_int_equal(reasons[0], HVKIT_SHUTDOWN_NONE);
	hvkit_console_feed(&con, "(hvkit) domain beta: shutdown crash\n", 36);
	assert_int_equal(reasons[1], HVKIT_SHUTDOWN_CRASH);
	/* A line of exactly the maximum is still read. */
	memset(big, ' ', sizeof(big));
	memcpy(big, "(hvkit) PANIC: x", 16);
	hvkit_console_feed(&con, big, HVKIT_CONSOLE_LINE_MAX);
	feed("\n");
	assert_true(con.panicked);
	/* A NUL inside a line does not end it. */
	hvkit_console_feed(&con, "(hvkit) all domains\0finished\n", 29);
	assert_false(con.finished);
	/* An over-long line given whole is ignored too. */
	big[sizeof(big) - 1] = '\0';
	hvkit_console_init(&con, names, reasons, 3);
	hvkit_console_line(&con, big);
	assert_false(con.panicked);
	big[HVKIT_CONSOLE_LINE_MAX] = '\0';
	hvkit_console_line(&con, big);
	assert_true(con.panicked);
}

static void test_exit_values(void **state)
{
	(void)state;
	assert_int_equal(hvkit_console_exit_value(HVKIT_ARCH_AARCH64, 0), 0);
	assert_int_equal(hvkit_console_exit_value(HVKIT_ARCH_AARCH64, 1), 1);
	assert_int_equal(hvkit_console_exit_value(HVKIT_ARCH_AARCH64, 2), 2);
	assert_int_equal(hvkit_console_exit_value(HVKIT_ARCH_X86_64, 1), 0);
	assert_int_equal(hvkit_console_exit_value(HVKIT_ARCH_X86_64, 3), 1);
	assert_int_equal(hvkit_console_exit_value(HVKIT_ARCH_X86_64, 5), 2);
	assert_int_equal(hvkit_console_exit_value(HVKIT_ARCH_X86_64, 0), -1);
	assert_int_equal(hvkit_console_exit_value(HVKIT_ARCH_X86_64, 2), -1);
}

/* The verdict for the console seen so far and QEMU's end. */
static void verdict(enum hvkit_arch arch, struct hvkit_qemu_end end,
		    enum hvkit_exit code, const char *reason)
{
	struct hvkit_outcome out;

	hvkit_console_outcome(&con, arch, &end, &out);
	assert_int_equal(out.exit, code);
	assert_string_equal(out.reason, reason);
}

static void all_poweroff(void)
{
	feed("(hvkit) domain alpha: shutdown poweroff\n"
	     "(hvkit) domain beta: shutdown poweroff\n"
	     "(hvkit) domain al: shutdown poweroff\n"
	     "(hvkit) all domains finished\n");
}

static const struct hvkit_qemu_end exit_status0 = {.status = 0};
static const struct hvkit_qemu_end exit_status1 = {.status = 1};
static const struct hvkit_qemu_end exit_status2 = {.status = 2};
static const struct hvkit_qemu_end exit_status3 = {.status = 3};
static const struct hvkit_qemu_end exit_status5 = {.status = 5};

static void test_success(void **state)
{
	(void)state;
	all_poweroff();
	verdict(HVKIT_ARCH_AARCH64, exit_status0, HVKIT_EXIT_OK, "");
	verdict(HVKIT_ARCH_X86_64, exit_status1, HVKIT_EXIT_OK, "");
	/* The same status means another value on the other arch. */
	verdict(HVKIT_ARCH_AARCH64, exit_status1, HVKIT_EXIT_QEMU,
		"qemu exited with status 1 although every domain powered off");
	verdict(HVKIT_ARCH_X86_64, exit_status0, HVKIT_EXIT_QEMU,
		"qemu exited with status 0 although every domain powered off");
	verdict(HVKIT_ARCH_X86_64, exit_status3, HVKIT_EXIT_QEMU,
		"qemu exited with status 3 although every domain powered off");
}

static void test_domain_failures(void **state)
{
	(void)state;
	feed("(hvkit) domain alpha: shutdown poweroff\n"
	     "(hvkit) domain al: shutdown reboot\n"
	     "(hvkit) domain beta: shutdown crash\n"
	     "(hvkit) all domains finished\n");
	/* A crash comes first, whatever the order on the console. */
	verdict(HVKIT_ARCH_AARCH64, exit_status1, HVKIT_EXIT_DOMAIN,
		"domain beta crashed");
	verdict(HVKIT_ARCH_X86_64, exit_status3, HVKIT_EXIT_DOMAIN,
		"domain beta crashed");
	hvkit_console_init(&con, names, reasons, 3);
	feed("(hvkit) domain alpha: shutdown poweroff\n"
	     "(hvkit) domain beta: shutdown watchdog\n"
	     "(hvkit) domain al: shutdown reboot\n"
	     "(hvkit) all domains finished\n");
	verdict(HVKIT_ARCH_AARCH64, exit_status1, HVKIT_EXIT_DOMAIN,
		"domain beta: shutdown watchdog");
	/* A domain failure beats an early end. */
	verdict(HVKIT_ARCH_AARCH64,
		(struct hvkit_qemu_end){.signaled = true, .status = 9},
		HVKIT_EXIT_DOMAIN, "domain beta: shutdown watchdog");
}

static void test_panic(void **state)
{
	(void)state;
	feed("(hvkit) domain alpha: shutdown crash\n"
	     "(hvkit) error: PANIC: bad bundle: compatible\n");
	verdict(HVKIT_ARCH_AARCH64, exit_status2, HVKIT_EXIT_PANIC,
		"hypervisor panicked: bad bundle: compatible");
	verdict(HVKIT_ARCH_X86_64, exit_status5, HVKIT_EXIT_PANIC,
		"hypervisor panicked: bad bundle: compatible");
	/* A PANIC line counts even if QEMU's status disagrees. */
	verdict(HVKIT_ARCH_X86_64, exit_status0, HVKIT_EXIT_PANIC,
		"hypervisor panicked: bad bundle: compatible");
	/* Exit value 2 without a line is a panic too. */
	hvkit_console_init(&con, names, reasons, 3);
	verdict(HVKIT_ARCH_AARCH64, exit_status2, HVKIT_EXIT_PANIC,
		"hypervisor panicked: (no PANIC line; exit value 2)");
	verdict(HVKIT_ARCH_X86_64, exit_status5, HVKIT_EXIT_PANIC,
		"hypervisor panicked: (no PANIC line; exit value 2)");
	verdict(HVKIT_ARCH_X86_64, exit_status2, HVKIT_EXIT_QEMU,
		"qemu exited with status 2 before all domains finished");
}

static void test_timeout(void **state)
{
	(void)state;
	feed("(hvkit) PANIC: late\n");
	/* hvkit killed QEMU: the timeout is the news. */
	verdict(HVKIT_ARCH_AARCH64,
		(struct hvkit_qemu_end){.timed_out = true,
					.timeout_s = 7,
					.signaled = true,
					.status = 9},
		HVKIT_EXIT_TIMEOUT, "timed out after 7 s");
}

static void test_early_end(void **state)
{
	(void)state;
	feed("(hvkit) domain alpha: shutdown poweroff\n");
	verdict(HVKIT_ARCH_AARCH64, exit_status1, HVKIT_EXIT_QEMU,
		"qemu exited with status 1 before all domains finished");
	verdict(HVKIT_ARCH_X86_64,
		(struct hvkit_qemu_end){.signaled = true, .status = 11},
		HVKIT_EXIT_QEMU,
		"qemu was killed by signal 11 before all domains finished");
	/* All reported but no "finished" line: still too early. */
	feed("(hvkit) domain beta: shutdown poweroff\n"
	     "(hvkit) domain al: shutdown poweroff\n");
	verdict(HVKIT_ARCH_AARCH64, exit_status0, HVKIT_EXIT_QEMU,
		"qemu exited with status 0 before all domains finished");
	/* "finished" but a domain never reported. */
	hvkit_console_init(&con, names, reasons, 3);
	feed("(hvkit) domain alpha: shutdown poweroff\n"
	     "(hvkit) domain beta: shutdown poweroff\n"
	     "(hvkit) all domains finished\n");
	verdict(HVKIT_ARCH_AARCH64, exit_status0, HVKIT_EXIT_QEMU,
		"qemu exited with status 0 before all domains finished");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init),
	    cmocka_unit_test_setup(test_every_reason, setup),
	    cmocka_unit_test_setup(test_lines, setup),
	    cmocka_unit_test_setup(test_feed_chunks, setup),
	    cmocka_unit_test_setup(test_feed_long_and_nul, setup),
	    cmocka_unit_test(test_exit_values),
	    cmocka_unit_test_setup(test_success, setup),
	    cmocka_unit_test_setup(test_domain_failures, setup),
	    cmocka_unit_test_setup(test_panic, setup),
	    cmocka_unit_test_setup(test_timeout, setup),
	    cmocka_unit_test_setup(test_early_end, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
