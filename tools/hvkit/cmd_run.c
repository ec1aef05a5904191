/*
 * cmd_run.c - `hvkit run [OPTIONS] IMAGE DOMAIN.cfg... [-- QEMU-ARGS...]`.
 *
 * The stop signals (SIGINT, SIGTERM, SIGHUP) are blocked from before the
 * temporary bundle exists until after it is removed, and taken only while
 * QEMU runs (run.c), so no path leaves the file behind.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "console.h"
#include "image.h"
#include "qemu.h"
#include "run.h"
#include "usage.h"

#define CMD		  "hvkit run"
#define DEFAULT_TIMEOUT_S 120u
/* Long enough for any boot, short enough that ms fit in an unsigned. */
#define MAX_TIMEOUT_S 86400u
/* The core's limit on pCPUs (HV_HYP_MAX_PCPUS); an image may run fewer. */
#define MAX_CPUS 64u
/* The image reads its options (QEMU's -append) into 256 bytes. */
#define OPTIONS_MAX_BYTES 255u
#define MAX_OPTIONS	  16u

struct run_args {
	enum hvkit_arch arch;
	const char *machine, *cpu, *build_dir;
	const char *trace;		  /* --trace FILE, or NULL */
	const char *options[MAX_OPTIONS]; /* --option WORD... */
	size_t nr_options;
	unsigned long long memory_mib; /* 0: the default */
	unsigned timeout_s;
	unsigned cpus; /* QEMU's -smp */
	bool verbose;
	char **pos; /* IMAGE DOMAIN.cfg... */
	int nr_pos;
	char **extra; /* after `--` */
	int nr_extra;
};

static const struct option run_opts[] = {
    {"arch", required_argument, NULL, 'a'},
    {"machine", required_argument, NULL, 'M'},
    {"cpu", required_argument, NULL, 'c'},
    {"memory", required_argument, NULL, 'm'},
    {"cpus", required_argument, NULL, 'n'},
    {"timeout", required_argument, NULL, 't'},
    {"build-dir", required_argument, NULL, 'b'},
    {"trace", required_argument, NULL, 'T'},
    {"option", required_argument, NULL, 'O'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* Handles one option; 0 to go on, -1 for --help, else an exit status. */
static int run_option(struct run_args *a, int c, char **argv)
{
	unsigned long long n;

	switch (c) {
	case 'a':
		if (!hvkit_arch_parse(optarg, &a->arch))
			return hvkit_usage_error(CMD,
						 "unknown architecture %s "
						 "(aarch64 or x86_64)",
						 optarg);
		return 0;
	case 'M':
		a->machine = optarg;
		return 0;
	case 'c':
		a->cpu = optarg;
		return 0;
	case 'm':
		if (!hvkit_parse_uint(optarg, UINT64_MAX >> 20, &n) || !n)
			return hvkit_usage_error(CMD,
						 "--memory: expected MiB "
						 "(a positive integer), got %s",
						 optarg);
		a->memory_mib = n;
		return 0;
	case 'n':
		if (!hvkit_parse_uint(optarg, MAX_CPUS, &n) || !n)
			return hvkit_usage_error(CMD,
						 "--cpus: expected a number of "
						 "CPUs from 1 to %u, got %s",
						 MAX_CPUS, optarg);
		a->cpus = (unsigned)n;
		return 0;
	case 't':
		if (!hvkit_parse_uint(optarg, MAX_TIMEOUT_S, &n))
			return hvkit_usage_error(CMD,
						 "--timeout: expected "
						 "seconds from 0 to %u, got %s",
						 MAX_TIMEOUT_S, optarg);
		a->timeout_s = (unsigned)n;
		return 0;
	case 'b':
		a->build_dir = optarg;
		return 0;
	case 'T':
		/* A word of the image's command line, which it reads into
		 * 256 bytes with "trace=" in front. */
		if (!*optarg || strchr(optarg, ' ') || strlen(optarg) > 240)
			return hvkit_usage_error(
			    CMD,
			    "--trace: expected a file name "
			    "without spaces, at most 240 "
			    "characters, got \"%s\"",
			    optarg);
		a->trace = optarg;
		return 0;
	case 'O':
		if (!*optarg || strchr(optarg, ' ') ||
		    a->nr_options == MAX_OPTIONS)
			return hvkit_usage_error(
			    CMD,
			    "--option: expected one word without spaces "
			    "(at most %u options), got \"%s\"",
			    MAX_OPTIONS, optarg);
		a->options[a->nr_options++] = optarg;
		return 0;
	case 'v':
		a->verbose = true;
		return 0;
	case 'h':
		return -1;
	}
	return hvkit_bad_option(CMD, c, argv);
}

/* With --option: the image's options, hvkit's own counted as if all
 * given, within what it reads. */
static int options_fit(const struct run_args *a)
{
	struct hvkit_qemu_opts o = {
	    .trace = a->trace,
	    .options = a->options,
	    .nr_options = a->nr_options,
	};
	size_t bytes = hvkit_qemu_options_len(&o);

	if (!a->nr_options)
		return 0;
	if (bytes > OPTIONS_MAX_BYTES)
		return hvkit_usage_error(CMD,
					 "--option: the image's options would "
					 "take %zu bytes; it reads %u",
					 bytes, OPTIONS_MAX_BYTES);
	return 0;
}

/* Everything after the first `--` is QEMU's; options come before it. */
static int parse_args(struct run_args *a, int argc, char **argv)
{
	int split = argc, c, ret;

	for (c = 1; c < argc; c++)
		if (!strcmp(argv[c], "--")) {
			split = c;
			break;
		}
	a->extra = argv + (split < argc ? split + 1 : argc);
	a->nr_extra = argc - (split < argc ? split + 1 : argc);
	opterr = 0;
	while ((c = getopt_long(split, argv, ":a:M:c:m:n:t:b:T:O:vh", run_opts,
				NULL)) != -1) {
		ret = run_option(a, c, argv);
		if (ret)
			return ret;
	}
	ret = options_fit(a);
	if (ret)
		return ret;
	a->pos = argv + optind;
	a->nr_pos = split - optind;
	if (a->nr_pos < 2)
		return hvkit_usage_error(CMD, "expected an IMAGE and at least "
					      "one domain configuration file");
	return 0;
}

/* Writes the bundle to a fresh temporary file; its name in @path. */
static int write_temp(const struct hvkit_build *b, char *path, size_t size,
		      struct hvkit_err *err)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	snprintf(path, size, "%s/hvkit-bundle-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return hvkit_errf(err, "cannot create a temporary file %s: %s",
				  path, strerror(errno));
	close(fd);
	return hvkit_file_write(path, b->fdt, b->fdt_size, err);
}

static void print_command(const struct hvkit_argv *qa)
{
	char *line = hvkit_argv_to_shell(qa);

	fprintf(stderr, "hvkit: %s\n", line);
	free(line);
}

/* Runs QEMU and turns what happened into an exit status. */
static int boot(const struct run_args *a, const struct hvkit_build *b,
		const struct hvkit_argv *qa)
{
	const char **names = hvkit_xcalloc(b->nr, sizeof(*names));
	enum hvkit_shutdown *reasons = hvkit_xcalloc(b->nr, sizeof(*reasons));
	struct hvkit_console con;
	struct hvkit_run_opts ro = {
	    .argv = qa->v,
	    .timeout_ms = a->timeout_s * 1000u,
	    .out_fd = STDOUT_FILENO,
	    .in_fd = STDIN_FILENO,
	    .console = &con,
	};
	struct hvkit_run_result rr;
	struct hvkit_outcome out;
	struct hvkit_err err;
	size_t i;
	int ret;

	for (i = 0; i < b->nr; i++)
		names[i] = b->cfgs[i].name;
	hvkit_console_init(&con, names, reasons, b->nr);
	fflush(stdout);
	if (hvkit_run(&ro, &rr, &err) < 0) {
		ret = hvkit_fail(HVKIT_EXIT_QEMU, &err);
	} else if (rr.interrupted_by) {
		fprintf(stderr, "hvkit: stopped by signal %d; qemu killed\n",
			rr.interrupted_by);
		ret = HVKIT_EXIT_SIGNAL + rr.interrupted_by;
	} else {
		rr.end.timeout_s = a->timeout_s;
		hvkit_console_outcome(&con, b->arch, &rr.end, &out);
		if (out.exit != HVKIT_EXIT_OK)
			fprintf(stderr, "hvkit: %s\n", out.reason);
		ret = (int)out.exit;
	}
	free(names);
	free(reasons);
	return ret;
}

static int run_image(const struct run_args *a, const struct hvkit_image *img)
{
	struct hvkit_qemu_opts qo = {
	    .arch = img->arch,
	    .machine = a->machine,
	    .cpu = a->cpu,
	    .cpus = a->cpus,
	    .image = img->path,
	    .trace = a->trace,
	    .options = a->options,
	    .nr_options = a->nr_options,
	    .extra = (const char *const *)a->extra,
	    .nr_extra = (size_t)a->nr_extra,
	};
	char bundle[PATH_MAX];
	struct hvkit_argv qa;
	struct hvkit_build b;
	struct hvkit_err err;
	int ret;

	ret = hvkit_cli_build(&b, a->pos + 1, a->nr_pos - 1, img->arch);
	if (ret)
		return ret;
	if (write_temp(&b, bundle, sizeof(bundle), &err) < 0) {
		hvkit_build_free(&b);
		return hvkit_fail(HVKIT_EXIT_INPUT, &err);
	}
	qo.bundle = bundle;
	qo.memory_mib = a->memory_mib
			    ? a->memory_mib
			    : hvkit_qemu_default_memory_mib(
				  hvkit_build_memory_mib(&b), b.fdt_size);
	hvkit_qemu_argv(&qa, &qo);
	if (a->verbose)
		print_command(&qa);
	ret = boot(a, &b, &qa);
	unlink(bundle);
	hvkit_qemu_argv_free(&qa);
	hvkit_build_free(&b);
	return ret;
}

int hvkit_cmd_run(int argc, char **argv)
{
	struct run_args a = {
	    .arch = HVKIT_ARCH_NONE,
	    .timeout_s = DEFAULT_TIMEOUT_S,
	    .cpus = 1,
	};
	struct hvkit_image img;
	struct hvkit_err err;
	sigset_t stop, old;
	char *dir;
	int ret = parse_args(&a, argc, argv);

	if (ret < 0) {
		fputs(hvkit_usage_run, stdout);
		return 0;
	}
	if (ret)
		return ret;
	dir = hvkit_cli_build_dir(a.build_dir);
	ret = hvkit_image_resolve(&img, a.pos[0], a.arch, dir, &err);
	free(dir);
	if (ret < 0)
		return hvkit_fail(HVKIT_EXIT_INPUT, &err);
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, &old);
	ret = run_image(&a, &img);
	hvkit_image_free(&img);
	if (ret >= HVKIT_EXIT_SIGNAL) {
		/* Die of the same signal, as a shell expects of a ^C. */
		signal(ret - HVKIT_EXIT_SIGNAL, SIG_DFL);
		raise(ret - HVKIT_EXIT_SIGNAL);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}
