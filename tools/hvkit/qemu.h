/*
 * qemu.h - the QEMU command line for booting an image with a bundle.
 */
#ifndef HVKIT_QEMU_H
#define HVKIT_QEMU_H

#include <stddef.h>
#include <stdint.h>

#include "arch.h"

struct hvkit_qemu_opts {
	enum hvkit_arch arch;
	const char *machine; /* -M value; NULL: the arch's default */
	const char *cpu;     /* -cpu value; NULL: the arch's default */
	unsigned cpus;	     /* -smp; 0: 1 */
	uint64_t memory_mib; /* -m */
	const char *image;   /* -kernel */
	const char *bundle;  /* -initrd */
	const char *trace;   /* the trace file (hvkit run --trace), or NULL */
	const char *const *options; /* more of the image's options (--option) */
	size_t nr_options;
	const char *const *extra; /* appended as given (after `--`) */
	size_t nr_extra;
};

/* A NULL-terminated argv; free with hvkit_qemu_argv_free(). */
struct hvkit_argv {
	char **v;
	size_t n; /* entries before the NULL */
};

/*
 * aarch64: qemu-system-aarch64 -M virt,virtualization=on,gic-version=3
 *   -cpu cortex-a57 -smp CPUS -m MEM -nographic -no-reboot -semihosting
 *   -kernel IMAGE -initrd BUNDLE EXTRA...
 * x86_64: qemu-system-x86_64 -M microvm -accel tcg -cpu qemu64,+svm,+npt
 *   -smp CPUS -m MEM -nodefaults -no-user-config -serial stdio -display none
 *   -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04
 *   [-append ram-zeroed] -kernel IMAGE -initrd BUNDLE EXTRA...
 * with @o->machine and @o->cpu replacing the -M and -cpu values; on
 * x86_64 with @o->cpus above 1, -accel tcg,thread=single (one TCG thread:
 * a Linux guest patching its code under multi-threaded TCG can keep a
 * stale int3, docs/x86.md); with an -accel in EXTRA, hvkit gives none.
 * The image's options go in one -append, before -kernel: on x86_64's
 * microvm (the default machine) "ram-zeroed", because its firmware writes
 * no RAM the start info leaves to the image (docs/x86.md); with @o->trace,
 * "trace=FILE", the file the image traces into: on aarch64 it writes FILE
 * itself through semihosting, on x86_64 to -device
 * isa-debugcon,iobase=0x402,chardev=hvtrace, with -chardev
 * file,id=hvtrace,path=FILE; then @o->options, one word each.
 */
void hvkit_qemu_argv(struct hvkit_argv *argv, const struct hvkit_qemu_opts *o);
/* The longest -append line hvkit_qemu_argv can give for @o's trace and
 * options ("ram-zeroed" counted as if given): bytes, without the NUL. */
size_t hvkit_qemu_options_len(const struct hvkit_qemu_opts *o);
void hvkit_qemu_argv_free(struct hvkit_argv *argv);

/*
 * The default -m: the domains' memory plus the bundle (which QEMU holds in
 * guest RAM as the initrd) plus 64 MiB for the image and firmware, rounded
 * up to a multiple of 64 MiB.
 */
uint64_t hvkit_qemu_default_memory_mib(uint64_t domains_mib,
				       uint64_t bundle_bytes);

/*
 * @argv as one shell-quoted line, for --verbose (malloc'd): words with
 * characters a shell would interpret are put in single quotes.
 */
char *hvkit_argv_to_shell(const struct hvkit_argv *argv);

#endif /* HVKIT_QEMU_H */
