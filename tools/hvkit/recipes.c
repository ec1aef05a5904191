/*
 * recipes.c - listing the image recipes built in a build tree.
 */
#include "recipes.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

static const enum hvkit_arch arches[] = {HVKIT_ARCH_AARCH64, HVKIT_ARCH_X86_64};

#define NR_ARCHES (sizeof(arches) / sizeof(arches[0]))

/* aarch64 images are raw arm64 Images, x86_64 ones PVH ELF files. */
static const char *image_suffix(enum hvkit_arch arch)
{
	return arch == HVKIT_ARCH_AARCH64 ? ".img" : ".elf";
}

char *hvkit_recipe_path(const char *build_dir, const char *name,
			enum hvkit_arch arch)
{
	size_t len = strlen(build_dir) + 2 * strlen(name) + 32;
	char *path = hvkit_xmalloc(len);

	snprintf(path, len, "%s/%s/images/%s/%s%s", build_dir,
		 hvkit_arch_name(arch), name, name, image_suffix(arch));
	return path;
}

static void add(struct hvkit_recipes *r, const char *name, enum hvkit_arch arch,
		uint64_t size)
{
	r->list = hvkit_xrealloc(r->list, (r->nr + 1) * sizeof(*r->list));
	r->list[r->nr++] = (struct hvkit_recipe){
	    .name = hvkit_xstrdup(name), .arch = arch, .size = size};
}

static void find_arch(struct hvkit_recipes *r, const char *build_dir,
		      enum hvkit_arch arch)
{
	size_t len = strlen(build_dir) + 32;
	char *dir = hvkit_xmalloc(len);
	struct dirent *e;
	struct stat st;
	DIR *d;

	snprintf(dir, len, "%s/%s/images", build_dir, hvkit_arch_name(arch));
	d = opendir(dir);
	free(dir);
	if (!d)
		return;
	while ((e = readdir(d))) {
		char *path;

		if (e->d_name[0] == '.')
			continue;
		path = hvkit_recipe_path(build_dir, e->d_name, arch);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			add(r, e->d_name, arch, (uint64_t)st.st_size);
		free(path);
	}
	closedir(d);
}

static int by_name(const void *a, const void *b)
{
	const struct hvkit_recipe *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (int)x->arch - (int)y->arch;
}

void hvkit_recipes_find(struct hvkit_recipes *r, const char *build_dir)
{
	size_t i;

	r->list = NULL;
	r->nr = 0;
	for (i = 0; i < NR_ARCHES; i++)
		find_arch(r, build_dir, arches[i]);
	if (r->nr)
		qsort(r->list, r->nr, sizeof(*r->list), by_name);
}

void hvkit_recipes_free(struct hvkit_recipes *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++)
		free(r->list[i].name);
	free(r->list);
	r->list = NULL;
	r->nr = 0;
}

char *hvkit_recipes_names(const struct hvkit_recipes *r)
{
	size_t i, len = 1;
	char *out;

	if (!r->nr)
		return NULL;
	for (i = 0; i < r->nr; i++)
		len += strlen(r->list[i].name) + 2;
	out = hvkit_xmalloc(len);
	out[0] = '\0';
	for (i = 0; i < r->nr; i++) {
		if (i)
			strcat(out, ", ");
		strcat(out, r->list[i].name);
	}
	return out;
}
