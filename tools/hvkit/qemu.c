/*
 * qemu.c - QEMU command lines (docs/hvkit.md says why each part is there).
 *
 * aarch64: `virtualization=on` starts the image at EL2, GICv3 is what the
 * image drives, -semihosting lets it exit with a status (SYS_EXIT), and an
 * arm64 Image given to -kernel gets x0 = the DTB, whose /chosen names the
 * -initrd (the bundle).
 * x86_64: TCG is the only accelerator with SVM here, and plain qemu64 has
 * no nested paging, hence +svm,+npt.  microvm boots a PVH ELF straight
 * from -kernel in ~30 ms; -nodefaults leaves only what is named: the COM1
 * console on stdio and isa-debug-exit at port 0xf4 for the exit status.
 * The bundle arrives as the first PVH module.  Its firmware (qboot)
 * writes no RAM above 1 MiB but what the start info reserves, so the
 * image is told its RAM is zero (docs/x86.md).
 */
#include "qemu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define EXTRA_MIB 64u
#define ROUND_MIB 64u

/* No PMU: the images use none and keep the guests from it, and QEMU's
 * model costs on every exception level change (a null hypercall took
 * ~1.5 us with it, ~1.0 us without). */
static const char *const aarch64_head[] = {
    "qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3", "-cpu",
    "cortex-a57,pmu=off",
};
static const char *const aarch64_tail[] = {
    "-nographic",
    "-no-reboot",
    "-semihosting",
};
static const char *const x86_head[] = {
    "qemu-system-x86_64", "-M", "microvm", "-accel", "tcg", "-cpu",
    "qemu64,+svm,+npt",
};
static const char *const x86_tail[] = {
    "-nodefaults", "-no-user-config", "-serial",
    "stdio",	   "-display",	      "none",
    "-no-reboot",  "-device",	      "isa-debug-exit,iobase=0xf4,iosize=0x04",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void push(struct hvkit_argv *a, const char *s)
{
	a->v[a->n++] = hvkit_xstrdup(s);
	a->v[a->n] = NULL;
}

static void push_all(struct hvkit_argv *a, const char *const *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		push(a, s[i]);
}

/* Whether the arguments after `--` name an accelerator of their own. */
static bool extra_has_accel(const struct hvkit_qemu_opts *o)
{
	for (size_t i = 0; i < o->nr_extra; i++)
		if (!strcmp(o->extra[i], "-accel"))
			return true;
	return false;
}

/*
 * x86_64 with more than one CPU runs them on one host thread, in turns:
 * under multi-threaded TCG, QEMU 7.2 can keep a translation of code that
 * another CPU rewrote while it was being translated, and Linux rewrites
 * its code while the other CPUs run it (text_poke_bp: an int3 first, the
 * new bytes, then sync IPIs, which do not make TCG translate again).  A
 * stale int3 stays in the translation after memory lost it, and every
 * CPU that reaches it loops in the int3 handler for good (docs/x86.md,
 * "Rare failures of 4-vCPU Linux on 4 pCPUs").  An -accel after `--`
 * is used instead (hvkit then gives none).
 */
static const char *accel(const struct hvkit_qemu_opts *o, const char *dflt)
{
	if (o->arch == HVKIT_ARCH_X86_64 && o->cpus > 1)
		return "tcg,thread=single";
	return dflt;
}

/* Pushes the default head, with -M and -cpu values replaced if asked, and
 * without its -accel if the arguments after `--` give one. */
static void push_head(struct hvkit_argv *a, const char *const *head, size_t n,
		      const struct hvkit_qemu_opts *o)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *s = head[i];

		if (!strcmp(s, "-accel") && i + 1 < n) {
			if (!extra_has_accel(o)) {
				push(a, s);
				push(a, accel(o, head[i + 1]));
			}
			i++;
			continue;
		}
		if (i > 0 && !strcmp(head[i - 1], "-M") && o->machine)
			s = o->machine;
		else if (i > 0 && !strcmp(head[i - 1], "-cpu") && o->cpu)
			s = o->cpu;
		push(a, s);
	}
}

/* Whether QEMU arguments after `--` may change the machine, its
 * firmware or the image's options: then hvkit vouches for nothing. */
static bool extra_changes_machine(const struct hvkit_qemu_opts *o)
{
	static const char *const risky[] = {"-M", "-machine", "-bios",
					    "-append", "-device"};

	for (size_t i = 0; i < o->nr_extra; i++)
		for (size_t k = 0; k < COUNT(risky); k++)
			if (!strcmp(o->extra[i], risky[k]))
				return true;
	return false;
}

/* QEMU's microvm: its firmware (qboot) leaves RAM above 1 MiB as QEMU
 * made it, zero, but for what the start info reserves (docs/x86.md). */
static bool fresh_ram(const struct hvkit_qemu_opts *o)
{
	return o->arch == HVKIT_ARCH_X86_64 &&
	       (!o->machine || !strncmp(o->machine, "microvm", 7)) &&
	       !extra_changes_machine(o);
}

#define RAM_ZEROED "ram-zeroed"
#define TRACE	   "trace="

size_t hvkit_qemu_options_len(const struct hvkit_qemu_opts *o)
{
	size_t len = strlen(RAM_ZEROED);

	if (o->trace)
		len += strlen(" " TRACE) + strlen(o->trace);
	for (size_t i = 0; i < o->nr_options; i++)
		len += 1 + strlen(o->options[i]);
	return len;
}

/* The image's options (qemu.h), if any. */
static void push_options(struct hvkit_argv *a, const struct hvkit_qemu_opts *o)
{
	char *line = hvkit_xcalloc(hvkit_qemu_options_len(o) + 1, 1);

	if (fresh_ram(o))
		strcat(line, RAM_ZEROED);
	if (o->trace) {
		if (*line)
			strcat(line, " ");
		strcat(line, TRACE);
		strcat(line, o->trace);
	}
	for (size_t i = 0; i < o->nr_options; i++) {
		if (*line)
			strcat(line, " ");
		strcat(line, o->options[i]);
	}
	if (*line)
		push_all(a, (const char *const[]){"-append", line}, 2);
	free(line);
}

/* x86's channel for the trace (qemu.h). */
static void push_trace(struct hvkit_argv *a, bool arm, const char *file)
{
	char *spec, *p;

	if (arm)
		return; /* the image writes the file through semihosting */
	/* A comma in a QEMU option value is written twice. */
	spec = hvkit_xcalloc(
	    strlen("file,id=hvtrace,path=") + 2 * strlen(file) + 1, 1);
	p = spec + sprintf(spec, "file,id=hvtrace,path=");
	for (const char *s = file; *s; s++) {
		*p++ = *s;
		if (*s == ',')
			*p++ = ',';
	}
	push_all(a,
		 (const char *const[]){"-chardev", spec, "-device",
				       "isa-debugcon,iobase=0x402,"
				       "chardev=hvtrace"},
		 4);
	free(spec);
}

void hvkit_qemu_argv(struct hvkit_argv *a, const struct hvkit_qemu_opts *o)
{
	bool arm = o->arch == HVKIT_ARCH_AARCH64;
	char mem[32], smp[16];
	/* x86's lists are the longer; 8: -smp, -m, -kernel, -initrd pairs;
	 * 6: the trace's. */
	size_t max =
	    COUNT(x86_head) + COUNT(x86_tail) + 8 + 6 + o->nr_extra + 1;

	a->v = hvkit_xcalloc(max, sizeof(*a->v));
	a->n = 0;
	if (arm)
		push_head(a, aarch64_head, COUNT(aarch64_head), o);
	else
		push_head(a, x86_head, COUNT(x86_head), o);
	snprintf(mem, sizeof(mem), "%lluM", (unsigned long long)o->memory_mib);
	snprintf(smp, sizeof(smp), "%u", o->cpus ? o->cpus : 1u);
	push_all(a, (const char *const[]){"-smp", smp, "-m", mem}, 4);
	if (arm)
		push_all(a, aarch64_tail, COUNT(aarch64_tail));
	else
		push_all(a, x86_tail, COUNT(x86_tail));
	push_options(a, o);
	if (o->trace)
		push_trace(a, arm, o->trace);
	push_all(
	    a, (const char *const[]){"-kernel", o->image, "-initrd", o->bundle},
	    4);
	push_all(a, o->extra, o->nr_extra);
}

void hvkit_qemu_argv_free(struct hvkit_argv *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

uint64_t hvkit_qemu_default_memory_mib(uint64_t domains_mib,
				       uint64_t bundle_bytes)
{
	uint64_t bundle_mib = (bundle_bytes + HVKIT_MIB - 1) / HVKIT_MIB;
	uint64_t total = domains_mib + bundle_mib + EXTRA_MIB;

	return (total + ROUND_MIB - 1) / ROUND_MIB * ROUND_MIB;
}

static bool shell_safe(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr(
			"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			"0123456789_-+=,.:/@%",
			*s))
			return false;
	return true;
}

char *hvkit_argv_to_shell(const struct hvkit_argv *a)
{
	size_t i, cap = 1;
	char *out, *p;

	for (i = 0; i < a->n; i++)
		cap += 4 * strlen(a->v[i]) + 3; /* worst case: every ' */
	out = p = hvkit_xmalloc(cap);
	for (i = 0; i < a->n; i++) {
		const char *s;

		if (i)
			*p++ = ' ';
		if (shell_safe(a->v[i])) {
			p = stpcpy(p, a->v[i]);
			continue;
		}
		*p++ = '\'';
		for (s = a->v[i]; *s; s++) {
			if (*s == '\'')
				p = stpcpy(p, "'\\''"); /* close, \', reopen */
			else
				*p++ = *s;
		}
		*p++ = '\'';
	}
	*p = '\0';
	return out;
}
