/*
 * bundle.h - writing the boot-module FDT that docs/bundle.md defines.
 */
#ifndef HVKIT_BUNDLE_H
#define HVKIT_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "config.h"
#include "kernel.h"
#include "layout.h"
#include "util.h"

/* The contract's compatible string: the image checks it. */
#define HVKIT_BUNDLE_COMPATIBLE "hvkit,bundle-v1"

/* Everything the bundle says about one domain; nothing here is owned. */
struct hvkit_bundle_domain {
	const struct hvkit_domain_cfg *cfg;
	const struct hvkit_kernel *kernel;
	const uint8_t *ramdisk; /* NULL when the domain has none */
	uint64_t ramdisk_size;	/* bytes */
	struct hvkit_domain_layout layout;
};

/*
 * An upper bound of the bundle's size in bytes, from its inputs: the data
 * and strings it carries plus a fixed cost per node and property.
 */
uint64_t hvkit_bundle_size_bound(const struct hvkit_bundle_domain *doms,
				 size_t nr);

/*
 * Writes the bundle for @nr domains of @arch, in order, into a malloc'd
 * buffer: *@fdt, *@size bytes (its FDT totalsize).
 */
int hvkit_bundle_write(enum hvkit_arch arch,
		       const struct hvkit_bundle_domain *doms, size_t nr,
		       void **fdt, size_t *size, struct hvkit_err *err);

#endif /* HVKIT_BUNDLE_H */
