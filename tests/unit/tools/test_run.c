/*
 * test_run.c - the QEMU runner, with /bin/sh standing in for QEMU:
 * streaming, exit statuses, the timeout, signals, exec failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "testutil.h"

static const char *const names[] = {"a", "b"};
static enum hvkit_shutdown reasons[2];
static struct hvkit_console con;
static struct hvkit_run_result rr;
static struct hvkit_err err;
static char out_path[4200];

static int setup(void **state)
{
	tu_setup_dir(state);
	snprintf(out_path, sizeof(out_path), "%s/out", tu_dir);
	hvkit_console_init(&con, names, reasons, 2);
	return 0;
}

/* Runs `sh -c @script` with the console going to out_path and what
 * in_fd gives typed in (-1: nothing). */
static int run_sh_typed(const char *script, unsigned timeout_ms, int in_fd)
{
	char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
	int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	struct hvkit_run_opts o = {
	    .argv = argv,
	    .timeout_ms = timeout_ms,
	    .out_fd = fd,
	    .in_fd = in_fd,
	    .console = &con,
	};
	int ret;

	assert_true(fd >= 0);
	ret = hvkit_run(&o, &rr, &err);
	close(fd);
	return ret;
}

static int run_sh(const char *script, unsigned timeout_ms)
{
	return run_sh_typed(script, timeout_ms, -1);
}

static char *output(void)
{
	static char buf[1 << 20];
	FILE *f = fopen(out_path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_stream_and_status(void **state)
{
	(void)state;
	assert_int_equal(run_sh("printf '(a) hi\\n(hvkit) domain a: shutdown "
				"poweroff\\n'; printf '(hvkit) domain b: "
				"shutdown crash\\n(hvkit) all domains "
				"finished'; exit 3",
				0),
			 0);
	assert_string_equal(output(), "(a) hi\n(hvkit) domain a: shutdown "
				      "poweroff\n(hvkit) domain b: shutdown "
				      "crash\n(hvkit) all domains finished");
	assert_int_equal(reasons[0], HVKIT_SHUTDOWN_POWEROFF);
	assert_int_equal(reasons[1], HVKIT_SHUTDOWN_CRASH);
	assert_true(con.finished); /* the last line had no newline */
	assert_false(rr.end.timed_out);
	assert_false(rr.end.signaled);
	assert_int_equal(rr.end.status, 3);
	assert_int_equal(rr.interrupted_by, 0);
}

static void test_large_output(void **state)
{
	char *out;
	size_t len;

	(void)state;
	/* Far more than a pipe holds (64 KiB): nothing is lost. */
	assert_int_equal(run_sh("echo first; head -c 300000 /dev/zero | "
				"tr '\\0' x; echo; echo last",
				0),
			 0);
	out = output();
	len = strlen(out);
	assert_int_equal(rr.end.status, 0);
	assert_int_equal(len, 6 + 300000 + 1 + 5);
	assert_int_equal(strncmp(out, "first\nxxx", 9), 0);
	assert_string_equal(out + len - 8, "xx\nlast\n");
	assert_int_equal(strspn(out + 6, "x"), 300000);
}

/* Nothing to type: the child's stdin ends at once. */
static void test_stdin_ends(void **state)
{
	(void)state;
	assert_int_equal(run_sh("cat; echo done", 0), 0);
	assert_string_equal(output(), "done\n");
}

/* What is typed reaches the child, and its end does too. */
static void test_typed_input(void **state)
{
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "abc\nxyz\n", 8), 8);
	close(p[1]);
	assert_int_equal(run_sh_typed("read a; echo got $a; cat", 5000, p[0]),
			 0);
	close(p[0]);
	assert_string_equal(output(), "got abc\nxyz\n");
	assert_false(rr.end.timed_out);
}

static void test_signaled(void **state)
{
	(void)state;
	assert_int_equal(run_sh("echo x; kill -SEGV $$", 0), 0);
	assert_true(rr.end.signaled);
	assert_int_equal(rr.end.status, SIGSEGV);
	assert_false(rr.end.timed_out);
}

/* Is @pid dead (gone, or a zombie waiting for whoever inherited it)? */
static bool dead(pid_t pid)
{
	char path[64], stat[256], *paren;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	f = fopen(path, "r");
	if (!f)
		return true;
	n = fread(stat, 1, sizeof(stat) - 1, f);
	fclose(f);
	stat[n] = '\0';
	paren = strrchr(stat, ')'); /* "pid (comm) S ..." */
	return paren && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X');
}

/* Waits (boundedly: SIGKILL is quick) for @pid to die. */
static bool gone(pid_t pid)
{
	int i;

	for (i = 0; i < 500 && !dead(pid); i++)
		usleep(10000);
	return dead(pid);
}

static void test_timeout_kills_group(void **state)
{
	long grandchild;

	(void)state;
	/* A background process in the group must die with it. */
	assert_int_equal(run_sh("sleep 30 & echo $!; wait", 200), 0);
	assert_true(rr.end.timed_out);
	assert_true(rr.end.signaled);
	assert_int_equal(rr.end.status, SIGKILL);
	grandchild = strtol(output(), NULL, 10);
	assert_true(grandchild > 0);
	assert_true(gone((pid_t)grandchild));
}

static void test_timeout_after_stdout_closed(void **state)
{
	(void)state;
	/* EOF on the pipe, but the process lives on: still timed. */
	assert_int_equal(run_sh("echo bye; exec >&-; exec sleep 30", 200), 0);
	assert_true(rr.end.timed_out);
	assert_string_equal(output(), "bye\n");
}

static void test_exit_after_stdout_closed(void **state)
{
	(void)state;
	assert_int_equal(run_sh("exec >&-; sleep 0.1; exit 4", 10000), 0);
	assert_false(rr.end.timed_out);
	assert_int_equal(rr.end.status, 4);
}

static void test_exec_failure(void **state)
{
	char *argv[] = {"/nonexistent/qemu-system-x86_64", NULL};
	struct hvkit_run_opts o = {
	    .argv = argv,
	    .out_fd = -1,
	    .console = &con,
	};

	(void)state;
	assert_int_equal(hvkit_run(&o, &rr, &err), -1);
	assert_string_equal(err.msg,
			    "cannot run /nonexistent/qemu-system-x86_64"
			    ": No such file or directory");
}

static void test_sigint(void **state)
{
	struct sigaction before, after;
	sigset_t mask;

	(void)state;
	sigaction(SIGINT, NULL, &before);
	/* The "QEMU" interrupts hvkit, then would run for 30 s. */
	assert_int_equal(run_sh("kill -INT $PPID; exec sleep 30", 0), 0);
	assert_int_equal(rr.interrupted_by, SIGINT);
	assert_true(rr.end.signaled);
	assert_int_equal(rr.end.status, SIGKILL);
	/* The caller's signal state is back. */
	sigaction(SIGINT, NULL, &after);
	assert_ptr_equal(after.sa_handler, before.sa_handler);
	sigprocmask(SIG_BLOCK, NULL, &mask);
	assert_false(sigismember(&mask, SIGINT));
}

static void test_sigterm_while_blocked(void **state)
{
	sigset_t block, old;

	(void)state;
	/* Blocked by the caller before the run (as cmd_run does): the signal
	 * waits, then stops the run once QEMU is up. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	raise(SIGTERM);
	assert_int_equal(run_sh("exec sleep 30", 0), 0);
	assert_int_equal(rr.interrupted_by, SIGTERM);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void test_broken_output(void **state)
{
	char *argv[] = {"/bin/sh", "-c",
			"echo '(hvkit) domain a: shutdown reboot'; exit 0",
			NULL};
	int p[2];
	struct hvkit_run_opts o = {
	    .argv = argv,
	    .console = &con,
	};

	(void)state;
	/* hvkit's stdout is gone (e.g. `| head`): keep going, still judge. */
	assert_int_equal(pipe(p), 0);
	close(p[0]);
	o.out_fd = p[1];
	assert_int_equal(hvkit_run(&o, &rr, &err), 0);
	close(p[1]);
	assert_int_equal(rr.end.status, 0);
	assert_int_equal(reasons[0], HVKIT_SHUTDOWN_REBOOT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_stream_and_status, setup,
					    tu_teardown_dir),
	    cmocka_unit_test_setup_teardown(test_large_output, setup,
					    tu_teardown_dir),
	    cmocka_unit_test_setup_teardown(test_typed_input, setup,
					    tu_teardown_dir),
	    cmocka_unit_test_setup_teardown(test_stdin_ends, setup,
					    tu_teardown_dir),
	    cmocka_unit_test_setup_teardown(test_signaled, setup,
					    tu_teardown_dir),
	    cmocka_unit_test_setup_teardown(test_timeout_kills_group, setup,
					    tu_teardown_dir),
	    cmocka_unit_test_setup_teardown(test_timeout_after_stdout_closed,
					    setup, tu_teardown_dir),
	    cmocka_unit_test_setup_teardown(test_exit_after_stdout_closed,
					    setup, tu_teardown_dir),
	    cmocka_unit_test_setup_teardown(test_exec_failure, setup,
					    tu_teardown_dir),
	    cmocka_unit_test_setup_teardown(test_sigint, setup,
					    tu_teardown_dir),
	    cmocka_unit_test_setup_teardown(test_sigterm_while_blocked, setup,
					    tu_teardown_dir),
	    cmocka_unit_test_setup_teardown(test_broken_output, setup,
					    tu_teardown_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
