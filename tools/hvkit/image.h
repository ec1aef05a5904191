/*
 * image.h - which hypervisor image `hvkit run` boots, and for which arch.
 *
 * IMAGE is a path if it contains a '/' or names an existing file;
 * otherwise it is a recipe name, found in the build tree as
 *   BUILD/aarch64/images/R/R.img   (a raw arm64 Image)
 *   BUILD/x86_64/images/R/R.elf    (a PVH ELF)
 * with the architecture from the name (arm64-..., x86-...), --arch, or
 * else the one architecture R is built for.  A recipe that is not built
 * is an error that lists the ones that are (recipes.h).
 * For a path the architecture is --arch, else what the file says (ELF
 * e_machine, arm64 Image magic).
 */
#ifndef HVKIT_IMAGE_H
#define HVKIT_IMAGE_H

#include "arch.h"
#include "util.h"

struct hvkit_image {
	char *path; /* malloc'd */
	enum hvkit_arch arch;
};

/*
 * Resolves @arg given --arch (@arch, or HVKIT_ARCH_NONE) and the build
 * directory @build_dir (for recipes).
 */
int hvkit_image_resolve(struct hvkit_image *img, const char *arg,
			enum hvkit_arch arch, const char *build_dir,
			struct hvkit_err *err);
void hvkit_image_free(struct hvkit_image *img);

/* The architecture a recipe name implies, HVKIT_ARCH_NONE if none. */
enum hvkit_arch hvkit_recipe_arch(const char *recipe);

/*
 * The default build directory for an hvkit executable at @exe (which
 * lives at BUILD/<builddir>/tools/hvkit/hvkit): the directory three
 * levels above the executable's own.  malloc'd.
 */
char *hvkit_default_build_dir(const char *exe);

#endif /* HVKIT_IMAGE_H */
