/*
 * recipes.h - the image recipes built in a build tree.
 *
 * A recipe R counts as built when its image exists where `hvkit run`
 * looks for it: BUILD/aarch64/images/R/R.img or BUILD/x86_64/images/R/R.elf.
 */
#ifndef HVKIT_RECIPES_H
#define HVKIT_RECIPES_H

#include <stddef.h>
#include <stdint.h>

#include "arch.h"

struct hvkit_recipe {
	char *name; /* malloc'd */
	enum hvkit_arch arch;
	uint64_t size; /* the image file's, bytes */
};

struct hvkit_recipes {
	struct hvkit_recipe *list; /* malloc'd; sorted by name, then arch */
	size_t nr;
};

/* The image file of recipe @name for @arch in @build_dir; malloc'd. */
char *hvkit_recipe_path(const char *build_dir, const char *name,
			enum hvkit_arch arch);

/*
 * Every recipe built in @build_dir.  A missing or unreadable directory
 * gives none; never fails.
 */
void hvkit_recipes_find(struct hvkit_recipes *r, const char *build_dir);
void hvkit_recipes_free(struct hvkit_recipes *r);

/* The built recipes' names as "a, b, c" (malloc'd), or NULL if none. */
char *hvkit_recipes_names(const struct hvkit_recipes *r);

#endif /* HVKIT_RECIPES_H */
