/*
 * build.c - configs -> kernels -> layout -> bundle.
 */
#include "build.h"

#include <stdlib.h>
#include <string.h>

#include "layout.h"

static int load_configs(struct hvkit_build *b, const char *const *paths,
			struct hvkit_err *err)
{
	size_t i;

	for (i = 0; i < b->nr; i++)
		if (hvkit_config_load(&b->cfgs[i], paths[i], err) < 0)
			return -1;
	return hvkit_config_check_set(b->cfgs, b->nr, err);
}

/* Reads the file named by @key of domain @i ("PATH:LINE: KEY: ..."). */
static int read_input(const struct hvkit_domain_cfg *cfg, enum hvkit_key key,
		      const char *path, struct hvkit_file *f,
		      struct hvkit_err *err)
{
	if (hvkit_file_read(f, path, err) < 0)
		return hvkit_err_prefix(err, "%s:%u: %s: ", cfg->path,
					cfg->line[key], hvkit_key_name(key));
	if (f->size == 0)
		return hvkit_errf(err, "%s:%u: %s: %s is empty", cfg->path,
				  cfg->line[key], hvkit_key_name(key), path);
	return 0;
}

static int read_inputs(struct hvkit_build *b, struct hvkit_err *err)
{
	size_t i;

	for (i = 0; i < b->nr; i++) {
		const struct hvkit_domain_cfg *cfg = &b->cfgs[i];

		if (read_input(cfg, HVKIT_KEY_KERNEL, cfg->kernel,
			       &b->kernel_files[i], err) < 0)
			return -1;
		if (cfg->ramdisk &&
		    read_input(cfg, HVKIT_KEY_RAMDISK, cfg->ramdisk,
			       &b->ramdisk_files[i], err) < 0)
			return -1;
	}
	return 0;
}

/* With no --arch, the first kernel that says what it is for decides. */
static int choose_arch(struct hvkit_build *b, struct hvkit_err *err)
{
	size_t i;

	for (i = 0; i < b->nr && b->arch == HVKIT_ARCH_NONE; i++)
		b->arch = hvkit_kernel_arch(b->kernel_files[i].data,
					    b->kernel_files[i].size);
	if (b->arch == HVKIT_ARCH_NONE)
		return hvkit_errf(err,
				  "cannot tell the architecture from the "
				  "kernels (none is an ELF file or an arm64 "
				  "Image): give --arch");
	return 0;
}

static int load_and_place(struct hvkit_build *b, size_t i,
			  struct hvkit_err *err)
{
	const struct hvkit_domain_cfg *cfg = &b->cfgs[i];
	const struct hvkit_file *kf = &b->kernel_files[i];
	struct hvkit_bundle_domain *d = &b->domains[i];

	if (hvkit_kernel_load(&b->kernels[i], b->arch, kf->data, kf->size,
			      err) < 0)
		return hvkit_err_prefix(err, "%s:%u: kernel: %s ", cfg->path,
					cfg->line[HVKIT_KEY_KERNEL],
					cfg->kernel);
	d->cfg = cfg;
	d->kernel = &b->kernels[i];
	d->ramdisk = b->ramdisk_files[i].data;
	d->ramdisk_size = b->ramdisk_files[i].size;
	return hvkit_layout_domain(&d->layout, cfg, b->arch, d->kernel,
				   d->ramdisk_size, err);
}

int hvkit_build(struct hvkit_build *b, const char *const *paths, size_t nr,
		enum hvkit_arch arch, struct hvkit_err *err)
{
	size_t i;

	memset(b, 0, sizeof(*b));
	b->arch = arch;
	b->nr = nr;
	b->cfgs = hvkit_xcalloc(nr, sizeof(*b->cfgs));
	b->kernel_files = hvkit_xcalloc(nr, sizeof(*b->kernel_files));
	b->ramdisk_files = hvkit_xcalloc(nr, sizeof(*b->ramdisk_files));
	b->kernels = hvkit_xcalloc(nr, sizeof(*b->kernels));
	b->domains = hvkit_xcalloc(nr, sizeof(*b->domains));
	if (load_configs(b, paths, err) < 0 || read_inputs(b, err) < 0 ||
	    choose_arch(b, err) < 0)
		goto fail;
	for (i = 0; i < nr; i++)
		if (load_and_place(b, i, err) < 0)
			goto fail;
	if (hvkit_bundle_write(b->arch, b->domains, nr, &b->fdt, &b->fdt_size,
			       err) < 0)
		goto fail;
	return 0;
fail:
	hvkit_build_free(b);
	return -1;
}

void hvkit_build_free(struct hvkit_build *b)
{
	size_t i;

	for (i = 0; i < b->nr; i++) {
		hvkit_config_free(&b->cfgs[i]);
		hvkit_file_free(&b->kernel_files[i]);
		hvkit_file_free(&b->ramdisk_files[i]);
		hvkit_kernel_free(&b->kernels[i]);
	}
	free(b->cfgs);
	free(b->kernel_files);
	free(b->ramdisk_files);
	free(b->kernels);
	free(b->domains);
	free(b->fdt);
	memset(b, 0, sizeof(*b));
}

uint64_t hvkit_build_memory_mib(const struct hvkit_build *b)
{
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < b->nr; i++)
		total += b->cfgs[i].memory_mib;
	return total;
}
