/*
 * image.c - finding the image to boot and telling its architecture.
 */
#include "image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel.h"
#include "recipes.h"

/* Enough of a file to see an ELF header or an arm64 Image header. */
#define HEADER_BYTES 64

static const struct {
	const char *prefix;
	enum hvkit_arch arch;
} recipe_kinds[] = {
    {"arm64-", HVKIT_ARCH_AARCH64},
    {"x86-", HVKIT_ARCH_X86_64},
};

#define NR_KINDS (sizeof(recipe_kinds) / sizeof(recipe_kinds[0]))

enum hvkit_arch hvkit_recipe_arch(const char *recipe)
{
	size_t i;

	for (i = 0; i < NR_KINDS; i++)
		if (!strncmp(recipe, recipe_kinds[i].prefix,
			     strlen(recipe_kinds[i].prefix)))
			return recipe_kinds[i].arch;
	return HVKIT_ARCH_NONE;
}

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * Fails with "@what; " and the recipes built in @build_dir, or how to
 * build them when there are none.
 */
static int no_recipe(struct hvkit_err *err, const char *build_dir,
		     const char *what)
{
	struct hvkit_recipes r;
	char *names;

	hvkit_recipes_find(&r, build_dir);
	names = hvkit_recipes_names(&r);
	hvkit_recipes_free(&r);
	if (names)
		hvkit_errf(err, "%s; the recipes built in %s: %s", what,
			   build_dir, names);
	else
		hvkit_errf(err,
			   "%s; no recipe is built in %s (build them with "
			   "`make`, or give --build-dir)",
			   what, build_dir);
	free(names);
	return -1;
}

/* A recipe whose name names no architecture: the one it is built for. */
static int built_arch(const char *recipe, const char *build_dir,
		      enum hvkit_arch *arch, struct hvkit_err *err)
{
	struct hvkit_recipes r;
	char what[512];
	size_t i, found = 0;

	hvkit_recipes_find(&r, build_dir);
	for (i = 0; i < r.nr; i++)
		if (!strcmp(r.list[i].name, recipe)) {
			*arch = r.list[i].arch;
			found++;
		}
	hvkit_recipes_free(&r);
	if (found == 1)
		return 0;
	if (found > 1)
		return hvkit_errf(err,
				  "recipe %s is built for both aarch64 and "
				  "x86_64: give --arch",
				  recipe);
	snprintf(what, sizeof(what), "no recipe %s", recipe);
	return no_recipe(err, build_dir, what);
}

static int resolve_recipe(struct hvkit_image *img, const char *recipe,
			  enum hvkit_arch arch, const char *build_dir,
			  struct hvkit_err *err)
{
	enum hvkit_arch named = hvkit_recipe_arch(recipe);
	char what[768];

	if (arch == HVKIT_ARCH_NONE)
		arch = named;
	if (arch == HVKIT_ARCH_NONE &&
	    built_arch(recipe, build_dir, &arch, err) < 0)
		return -1;
	if (named != HVKIT_ARCH_NONE && named != arch)
		return hvkit_errf(err, "recipe %s is an %s image, not %s",
				  recipe, hvkit_arch_name(named),
				  hvkit_arch_name(arch));
	img->path = hvkit_recipe_path(build_dir, recipe, arch);
	img->arch = arch;
	if (!is_file(img->path)) {
		snprintf(what, sizeof(what),
			 "no image for recipe %s: %s does not exist", recipe,
			 img->path);
		return no_recipe(err, build_dir, what);
	}
	return 0;
}

/* Reads up to HEADER_BYTES of @path; returns how many, or -1. */
static ssize_t read_header(const char *path, uint8_t *buf)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, HEADER_BYTES);
	close(fd);
	return n;
}

static int resolve_path(struct hvkit_image *img, const char *path,
			enum hvkit_arch arch, struct hvkit_err *err)
{
	uint8_t hdr[HEADER_BYTES];
	enum hvkit_arch says;
	struct stat st;
	ssize_t n;

	/* Checked first: opening a FIFO for reading would block. */
	if (stat(path, &st) < 0)
		return hvkit_errf(err, "cannot read image %s: %s", path,
				  strerror(errno));
	if (!S_ISREG(st.st_mode))
		return hvkit_errf(err, "cannot read image %s: %s", path,
				  S_ISDIR(st.st_mode) ? strerror(EISDIR)
						      : "not a regular file");
	n = read_header(path, hdr);
	if (n < 0)
		return hvkit_errf(err, "cannot read image %s: %s", path,
				  strerror(errno));
	says = hvkit_kernel_arch(hdr, (size_t)n);
	if (arch == HVKIT_ARCH_NONE && says == HVKIT_ARCH_NONE)
		return hvkit_errf(err,
				  "cannot tell the architecture of image "
				  "%s (neither ELF nor an arm64 Image): give "
				  "--arch",
				  path);
	if (arch != HVKIT_ARCH_NONE && says != HVKIT_ARCH_NONE && says != arch)
		return hvkit_errf(err, "image %s is for %s, not %s", path,
				  hvkit_arch_name(says), hvkit_arch_name(arch));
	img->path = hvkit_xstrdup(path);
	img->arch = arch != HVKIT_ARCH_NONE ? arch : says;
	return 0;
}

int hvkit_image_resolve(struct hvkit_image *img, const char *arg,
			enum hvkit_arch arch, const char *build_dir,
			struct hvkit_err *err)
{
	int ret;

	img->path = NULL;
	img->arch = HVKIT_ARCH_NONE;
	if (strchr(arg, '/') || is_file(arg))
		ret = resolve_path(img, arg, arch, err);
	else
		ret = resolve_recipe(img, arg, arch, build_dir, err);
	if (ret < 0)
		hvkit_image_free(img);
	return ret;
}

void hvkit_image_free(struct hvkit_image *img)
{
	free(img->path);
	img->path = NULL;
}

char *hvkit_default_build_dir(const char *exe)
{
	const char *slash = strrchr(exe, '/');
	size_t dirlen = slash ? (size_t)(slash - exe) : 1;
	char *out = hvkit_xmalloc(dirlen + sizeof("/../../.."));

	memcpy(out, slash ? exe : ".", dirlen);
	strcpy(out + dirlen, "/../../..");
	return out;
}
