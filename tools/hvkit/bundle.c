/*
 * bundle.c - the bundle FDT, written with libfdt's sequential-write API.
 *
 * Sequential write suits a tree built once, front to back: each property
 * is appended where it belongs, and the buffer is sized beforehand from
 * the inputs (a Debian arm64 kernel alone is ~33 MB, so no guessing).
 */
#include "bundle.h"

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Fixed costs for the bound: a property is a 12-byte header plus its
 * value padded to 4 bytes; a node is 8 bytes plus its padded name.  The
 * per-node and per-domain allowances cover every small property and name
 * written below with room to spare; the strings block holds each distinct
 * property name once (about 150 bytes in all).
 */
#define FDT_FIXED_COST 4096u
#define DOMAIN_COST    1024u
#define SEGMENT_COST   256u
#define PROP_HEADER    12u

static uint64_t padded(uint64_t len)
{
	return (len + 3) & ~UINT64_C(3);
}

static uint64_t prop_cost(uint64_t len)
{
	return PROP_HEADER + padded(len);
}

uint64_t hvkit_bundle_size_bound(const struct hvkit_bundle_domain *doms,
				 size_t nr)
{
	uint64_t total = FDT_FIXED_COST;
	size_t i, j;

	for (i = 0; i < nr; i++) {
		const struct hvkit_domain_cfg *cfg = doms[i].cfg;
		const struct hvkit_kernel *k = doms[i].kernel;

		total += DOMAIN_COST + prop_cost(strlen(cfg->cmdline) + 1);
		if (cfg->cpus)
			total += prop_cost(strlen(cfg->cpus) + 1);
		for (j = 0; j < k->nr_segments; j++)
			total +=
			    SEGMENT_COST + prop_cost(k->segments[j].file_size);
		if (doms[i].ramdisk)
			total += SEGMENT_COST + prop_cost(doms[i].ramdisk_size);
	}
	return total;
}

/* libfdt calls return 0 or a negative FDT_ERR_*: stop at the first. */
struct writer {
	void *fdt;
	int ret;
};

static void w_begin(struct writer *w, const char *name)
{
	if (!w->ret)
		w->ret = fdt_begin_node(w->fdt, name);
}

static void w_end(struct writer *w)
{
	if (!w->ret)
		w->ret = fdt_end_node(w->fdt);
}

static void w_str(struct writer *w, const char *name, const char *value)
{
	if (!w->ret)
		w->ret = fdt_property_string(w->fdt, name, value);
}

static void w_u32(struct writer *w, const char *name, uint32_t value)
{
	if (!w->ret)
		w->ret = fdt_property_u32(w->fdt, name, value);
}

static void w_u64(struct writer *w, const char *name, uint64_t value)
{
	if (!w->ret)
		w->ret = fdt_property_u64(w->fdt, name, value);
}

static void w_bytes(struct writer *w, const char *name, const void *data,
		    uint64_t len)
{
	if (!w->ret)
		w->ret = fdt_property(w->fdt, name, data, (int)len);
}

static void w_empty(struct writer *w, const char *name)
{
	if (!w->ret)
		w->ret = fdt_property(w->fdt, name, NULL, 0);
}

static void write_segment(struct writer *w, size_t idx,
			  const struct hvkit_segment *s)
{
	char node[32];

	snprintf(node, sizeof(node), "segment@%zu", idx);
	w_begin(w, node);
	w_u64(w, "gpa", s->gpa);
	w_bytes(w, "data", s->data, s->file_size);
	w_u64(w, "mem-size", s->mem_size);
	w_end(w);
}

static void write_sched(struct writer *w, const struct hvkit_domain_cfg *cfg)
{
	if (cfg->cpus)
		w_str(w, "cpus", cfg->cpus);
	if (cfg->line[HVKIT_KEY_WEIGHT])
		w_u32(w, "weight", cfg->weight);
	if (cfg->line[HVKIT_KEY_CAP])
		w_u32(w, "cap", cfg->cap);
}

static void write_domain(struct writer *w, size_t idx,
			 const struct hvkit_bundle_domain *d)
{
	const struct hvkit_domain_cfg *cfg = d->cfg;
	const struct hvkit_kernel *k = d->kernel;
	char node[32];
	size_t i;

	snprintf(node, sizeof(node), "domain@%zu", idx);
	w_begin(w, node);
	w_str(w, "name", cfg->name);
	w_str(w, "type", "pvh");
	w_u64(w, "memory", d->layout.ram_size);
	w_u64(w, "ram-base", d->layout.ram_base);
	w_u32(w, "vcpus", cfg->vcpus);
	w_str(w, "cmdline", cfg->cmdline);
	w_u64(w, "entry", k->entry);
	if (cfg->initdomain)
		w_empty(w, "initdomain");
	w_str(w, "kernel-format", hvkit_kernel_format_name(k->format));
	write_sched(w, cfg);
	for (i = 0; i < k->nr_segments; i++)
		write_segment(w, i, &k->segments[i]);
	if (d->ramdisk) {
		w_begin(w, "ramdisk");
		w_u64(w, "gpa", d->layout.ramdisk_gpa);
		w_bytes(w, "data", d->ramdisk, d->ramdisk_size);
		w_end(w);
	}
	w_end(w);
}

int hvkit_bundle_write(enum hvkit_arch arch,
		       const struct hvkit_bundle_domain *doms, size_t nr,
		       void **fdt, size_t *size, struct hvkit_err *err)
{
	uint64_t bound = hvkit_bundle_size_bound(doms, nr);
	struct writer w = {0};
	size_t i;

	/* An FDT's sizes and offsets are 32-bit (and signed in libfdt). */
	if (bound > INT32_MAX)
		return hvkit_errf(err,
				  "the bundle would need %llu bytes, more "
				  "than a device tree can hold (2 GiB)",
				  (unsigned long long)bound);
	w.fdt = hvkit_xmalloc((size_t)bound);
	w.ret = fdt_create(w.fdt, (int)bound);
	if (!w.ret)
		w.ret = fdt_finish_reservemap(w.fdt);
	w_begin(&w, "");
	w_str(&w, "compatible", HVKIT_BUNDLE_COMPATIBLE);
	w_str(&w, "arch", hvkit_arch_name(arch));
	for (i = 0; i < nr; i++)
		write_domain(&w, i, &doms[i]);
	w_end(&w);
	if (!w.ret)
		w.ret = fdt_finish(w.fdt);
	if (w.ret) {
		free(w.fdt);
		return hvkit_errf(err, "cannot write the bundle: libfdt: %s",
				  fdt_strerror(w.ret));
	}
	*fdt = w.fdt;
	*size = fdt_totalsize(w.fdt);
	return 0;
}
