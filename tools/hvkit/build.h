/*
 * build.h - from config file names to a bundle: what `hvkit bundle` and
 * `hvkit run` both do.
 */
#ifndef HVKIT_BUILD_H
#define HVKIT_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "bundle.h"
#include "config.h"
#include "kernel.h"
#include "util.h"

struct hvkit_build {
	enum hvkit_arch arch;
	size_t nr; /* domains, in command-line order */
	struct hvkit_domain_cfg *cfgs;
	struct hvkit_file *kernel_files;
	struct hvkit_file *ramdisk_files;
	struct hvkit_kernel *kernels;
	struct hvkit_bundle_domain *domains;
	void *fdt; /* the bundle */
	size_t fdt_size;
};

/*
 * Reads the @nr config files @paths, their kernels and ramdisks, lays the
 * domains out and writes the bundle into @b.  @arch may be
 * HVKIT_ARCH_NONE: the first kernel that names its architecture (ELF
 * e_machine, arm64 Image magic) decides.  On failure @b holds nothing and
 * @err names the file (and line and key) at fault.
 */
int hvkit_build(struct hvkit_build *b, const char *const *paths, size_t nr,
		enum hvkit_arch arch, struct hvkit_err *err);

void hvkit_build_free(struct hvkit_build *b);

/* The sum of the domains' memory, in MiB. */
uint64_t hvkit_build_memory_mib(const struct hvkit_build *b);

#endif /* HVKIT_BUILD_H */
