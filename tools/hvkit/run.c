/*
 * run.c - the QEMU child process.
 *
 * hvkit blocks SIGINT, SIGTERM and SIGHUP for the whole run and takes them
 * only inside ppoll(), so a signal can never slip in between a check and a
 * wait: every way out goes through the same kill-and-reap path, and the
 * caller removes its temporary bundle afterwards.  QEMU runs in its own
 * process group, so a terminal's ^C reaches hvkit, not QEMU, and the
 * group kill takes anything QEMU started with it.
 */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How often to look for the exit of a process that closed its stdout. */
#define REAP_POLL_MS 10

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NR_STOP_SIGNALS (sizeof(stop_signals) / sizeof(stop_signals[0]))

/* The one piece of global state a signal handler forces on us. */
static volatile sig_atomic_t caught_signal;

static void on_stop_signal(int sig)
{
	caught_signal = sig;
}

/* Signal state while running, and what to restore afterwards. */
struct sigstate {
	sigset_t old_mask;  /* the caller's mask, restored at the end */
	sigset_t wait_mask; /* the caller's mask minus the stop signals */
	struct sigaction old_act[NR_STOP_SIGNALS];
	struct sigaction old_pipe;
};

static void signals_take(struct sigstate *s)
{
	struct sigaction sa = {.sa_handler = on_stop_signal};
	struct sigaction ign = {.sa_handler = SIG_IGN};
	sigset_t block;
	size_t i;

	caught_signal = 0;
	sigemptyset(&block);
	for (i = 0; i < NR_STOP_SIGNALS; i++)
		sigaddset(&block, stop_signals[i]);
	sigprocmask(SIG_BLOCK, &block, &s->old_mask);
	s->wait_mask = s->old_mask;
	for (i = 0; i < NR_STOP_SIGNALS; i++) {
		sigdelset(&s->wait_mask, stop_signals[i]);
		sigaction(stop_signals[i], &sa, &s->old_act[i]);
	}
	/* A closed stdout must not kill hvkit before it reaps QEMU. */
	sigaction(SIGPIPE, &ign, &s->old_pipe);
}

static void signals_restore(const struct sigstate *s)
{
	size_t i;

	for (i = 0; i < NR_STOP_SIGNALS; i++)
		sigaction(stop_signals[i], &s->old_act[i], NULL);
	sigaction(SIGPIPE, &s->old_pipe, NULL);
	sigprocmask(SIG_SETMASK, &s->old_mask, NULL);
}

/* In the child: a clean slate, then exec; errno goes up @errfd on failure. */
static void child(const struct hvkit_run_opts *o, const struct sigstate *s,
		  int infd, int outfd, int errfd)
{
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	ssize_t sent;
	int e;
	size_t i;

	setpgid(0, 0);
	for (i = 0; i < NR_STOP_SIGNALS; i++)
		sigaction(stop_signals[i], &dfl, NULL);
	sigaction(SIGPIPE, &dfl, NULL);
	sigprocmask(SIG_SETMASK, &s->old_mask, NULL);
	if (dup2(infd, STDIN_FILENO) < 0 || dup2(outfd, STDOUT_FILENO) < 0) {
		e = errno;
	} else {
		execvp(o->argv[0], o->argv);
		e = errno;
	}
	sent = write(errfd, &e, sizeof(e));
	(void)sent; /* if it failed, the parent sees a plain exit 127 */
	_exit(127);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Where one run stands. */
struct runner {
	const struct hvkit_run_opts *o;
	const struct sigstate *sig;
	pid_t pid;
	int fd;		  /* the read end of QEMU's stdout */
	int in_fd;	  /* what is typed: -1 once it ended */
	int to_qemu;	  /* the write end of QEMU's stdin */
	int out_fd;	  /* -1 once writing to it failed */
	int64_t deadline; /* ms on CLOCK_MONOTONIC; INT64_MAX: none */
	struct hvkit_run_result *r;
};

/* Waits up to the deadline or @cap_ms; 0 = ready, 1 = timeout, -1 = signal. */
static int wait_ready(struct runner *rn, struct pollfd *pfd, int nfds,
		      int64_t cap_ms)
{
	int64_t left = rn->deadline - now_ms();
	struct timespec ts;
	int ret;

	if (left <= 0)
		return 1;
	if (left > cap_ms)
		left = cap_ms;
	ts.tv_sec = left / 1000;
	ts.tv_nsec = (long)(left % 1000) * 1000000;
	ret = ppoll(pfd, (nfds_t)nfds, &ts, &rn->sig->wait_mask);
	if (ret < 0 && errno == EINTR && caught_signal)
		return -1;
	if (ret == 0 && now_ms() >= rn->deadline)
		return 1;
	return 0;
}

static void pass_on(struct runner *rn, const char *buf, size_t n)
{
	size_t done = 0;

	hvkit_console_feed(rn->o->console, buf, n);
	while (rn->out_fd >= 0 && done < n) {
		ssize_t w = write(rn->out_fd, buf + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			rn->out_fd = -1; /* keep reading: QEMU must not block */
			break;
		}
		done += (size_t)w;
	}
}

/* The input ended (EOF, an error, or none to begin with): so does QEMU's
 * stdin. */
static void input_ends(struct runner *rn)
{
	rn->in_fd = -1;
	if (rn->to_qemu >= 0)
		close(rn->to_qemu);
	rn->to_qemu = -1;
}

/* What was typed, into QEMU's stdin. */
static void type_in(struct runner *rn)
{
	char buf[4096];
	ssize_t n = read(rn->in_fd, buf, sizeof(buf));
	ssize_t done = 0;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		input_ends(rn);
		return;
	}
	while (done < n) {
		ssize_t w = write(rn->to_qemu, buf + done, (size_t)(n - done));

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			input_ends(rn);
			return;
		}
		done += w;
	}
}

/* Copies QEMU's output until EOF (0), timeout (1) or a signal (-1), and
 * what is typed into it meanwhile. */
static int stream(struct runner *rn)
{
	char buf[4096];

	for (;;) {
		struct pollfd pfd[2] = {{.fd = rn->fd, .events = POLLIN},
					{.fd = rn->in_fd, .events = POLLIN}};
		int ret =
		    wait_ready(rn, pfd, rn->in_fd >= 0 ? 2 : 1, INT64_MAX);
		ssize_t n;

		if (ret)
			return ret;
		if (rn->in_fd >= 0 && pfd[1].revents)
			type_in(rn);
		if (!pfd[0].revents)
			continue;
		n = read(rn->fd, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return 0;
		pass_on(rn, buf, (size_t)n);
	}
}

/* Reaps QEMU after its stdout closed: 0, 1 (timeout) or -1 (signal). */
static int reap(struct runner *rn, int *status)
{
	for (;;) {
		pid_t p = waitpid(rn->pid, status, WNOHANG);
		int ret;

		if (p == rn->pid || (p < 0 && errno != EINTR))
			return 0;
		ret = wait_ready(rn, NULL, 0, REAP_POLL_MS);
		if (ret)
			return ret;
	}
}

static void kill_and_reap(struct runner *rn, int *status)
{
	kill(-rn->pid, SIGKILL);
	kill(rn->pid, SIGKILL); /* in case it never reached setpgid() */
	while (waitpid(rn->pid, status, 0) < 0 && errno == EINTR)
		;
}

static void supervise(struct runner *rn)
{
	int status = 0;
	int ret = stream(rn);

	if (ret == 0)
		ret = reap(rn, &status);
	hvkit_console_flush(rn->o->console);
	if (ret) {
		kill_and_reap(rn, &status);
		rn->r->end.timed_out = ret > 0;
		rn->r->interrupted_by = ret < 0 ? caught_signal : 0;
	}
	if (WIFSIGNALED(status)) {
		rn->r->end.signaled = true;
		rn->r->end.status = WTERMSIG(status);
	} else {
		rn->r->end.status = WEXITSTATUS(status);
	}
}

/*
 * After fork: waits until the child's exec succeeded (the CLOEXEC pipe
 * closes: 0) or failed (it sends errno, and is reaped here).
 */
static int exec_result(pid_t pid, int errfd)
{
	int e;

	if (read(errfd, &e, sizeof(e)) != (ssize_t)sizeof(e))
		return 0;
	waitpid(pid, NULL, 0);
	return e;
}

static void close_pair(int p[2])
{
	close(p[0]);
	close(p[1]);
}

/* Starts the child; returns its pid, or -1 with @err set. */
static pid_t start(const struct hvkit_run_opts *o, const struct sigstate *s,
		   int *readfd, int *writefd, struct hvkit_err *err)
{
	int in[2], out[2], ep[2], e;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) < 0)
		return hvkit_errf(err, "cannot make a pipe: %s",
				  strerror(errno));
	if (pipe2(out, O_CLOEXEC) < 0) {
		e = errno;
		close_pair(in);
		return hvkit_errf(err, "cannot make a pipe: %s", strerror(e));
	}
	if (pipe2(ep, O_CLOEXEC) < 0) {
		e = errno;
		close_pair(in);
		close_pair(out);
		return hvkit_errf(err, "cannot make a pipe: %s", strerror(e));
	}
	pid = fork();
	e = pid < 0 ? errno : 0;
	if (pid == 0)
		child(o, s, in[0], out[1], ep[1]);
	close(in[0]);
	close(out[1]);
	close(ep[1]);
	if (pid > 0) {
		setpgid(pid, pid); /* either side may win this race */
		e = exec_result(pid, ep[0]);
	}
	close(ep[0]);
	if (e) {
		close(in[1]);
		close(out[0]);
		return hvkit_errf(err, "cannot run %s: %s", o->argv[0],
				  strerror(e));
	}
	*readfd = out[0];
	*writefd = in[1];
	return pid;
}

int hvkit_run(const struct hvkit_run_opts *o, struct hvkit_run_result *r,
	      struct hvkit_err *err)
{
	struct sigstate sig;
	struct runner rn = {
	    .o = o,
	    .sig = &sig,
	    .out_fd = o->out_fd,
	    .in_fd = o->in_fd,
	    .r = r,
	};

	memset(r, 0, sizeof(*r));
	rn.deadline = o->timeout_ms ? now_ms() + o->timeout_ms : INT64_MAX;
	signals_take(&sig);
	rn.pid = start(o, &sig, &rn.fd, &rn.to_qemu, err);
	if (rn.pid < 0) {
		signals_restore(&sig);
		return -1;
	}
	if (rn.in_fd < 0)
		input_ends(&rn);
	supervise(&rn);
	close(rn.fd);
	input_ends(&rn);
	signals_restore(&sig);
	return 0;
}
