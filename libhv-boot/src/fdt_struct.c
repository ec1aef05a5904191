/*
 * A bounded walk over a flattened device tree's structure block
 * (fdt_struct.h).  libfdt checks the header and then trusts every length
 * and offset it finds: a blob from outside the hypervisor is walked here
 * first, tag by tag, with positions kept in 64 bits so that no length can
 * wrap them, and each step forward checked against the block's end.
 */
#include <hv/string.h>

#include <libfdt.h>

#include "fdt_struct.h"

/* The first version whose header gives the structure block's size. */
#define VERSION_WITH_STRUCT_SIZE 17

struct blocks {
	const uint8_t *st; /* the structure block */
	uint64_t st_size;
	const uint8_t *strings; /* the strings block */
	uint64_t str_size;
};

/* A big-endian word of the structure block; off + 4 <= st_size. */
static uint32_t word_at(const struct blocks *b, uint64_t off)
{
	return fdt32_ld((const void *)(b->st + off));
}

static bool inside(uint64_t off, uint64_t size, uint64_t total)
{
	return off <= total && size <= total - off;
}

/* FDT_PROP's header and value, from `*next` (just past the tag), which
 * moves past the value. */
static const char *check_prop(const struct blocks *b, uint64_t *next)
{
	uint32_t len, nameoff;

	if (b->st_size - *next < 2 * FDT_TAGSIZE)
		return "a property header runs past the structure block";
	len = word_at(b, *next);
	nameoff = word_at(b, *next + FDT_TAGSIZE);
	*next += 2 * FDT_TAGSIZE;
	if (len > b->st_size - *next)
		return "a property value runs past the structure block";
	if (nameoff >= b->str_size ||
	    !memchr(b->strings + nameoff, '\0', b->str_size - nameoff))
		return "a property name is not a string of the strings block";
	*next += len;
	return NULL;
}

/* FDT_BEGIN_NODE's name, from `*next` (just past the tag), which moves
 * past its NUL. */
static const char *check_name(const struct blocks *b, uint64_t *next)
{
	const uint8_t *nul =
	    memchr(b->st + *next, '\0', (size_t)(b->st_size - *next));

	if (!nul)
		return "a node name runs past the structure block";
	*next = (uint64_t)(nul - b->st) + 1;
	return NULL;
}

/* One tag at `off`, inside the block; *next: where the following tag is
 * (before alignment). */
static const char *check_tag(const struct blocks *b, uint64_t off,
			     uint64_t *next, uint32_t *depth, bool *rooted)
{
	*next = off + FDT_TAGSIZE;
	switch (word_at(b, off)) {
	case FDT_BEGIN_NODE:
		if (*depth == 0 && *rooted)
			return "a second root node";
		++*depth;
		*rooted = true;
		return check_name(b, next);
	case FDT_END_NODE:
		if (*depth == 0)
			return "FDT_END_NODE outside every node";
		--*depth;
		return NULL;
	case FDT_PROP:
		if (*depth == 0)
			return "a property outside every node";
		return check_prop(b, next);
	case FDT_NOP:
		return NULL;
	default:
		return "an unknown tag";
	}
}

static const char *walk(const struct blocks *b, uint32_t *offset)
{
	uint64_t off = 0;
	uint32_t depth = 0;
	bool rooted = false;

	for (;;) {
		uint64_t next;
		const char *bad;

		*offset = (uint32_t)off;
		if (off > b->st_size || b->st_size - off < FDT_TAGSIZE)
			return "the structure block ends without FDT_END";
		if (word_at(b, off) == FDT_END) {
			if (!rooted)
				return "no root node";
			return depth ? "FDT_END inside a node" : NULL;
		}
		bad = check_tag(b, off, &next, &depth, &rooted);
		if (bad)
			return bad;
		off = (next + FDT_TAGSIZE - 1) & ~(uint64_t)(FDT_TAGSIZE - 1);
	}
}

const char *boot_fdt_check(const void *fdt, uint32_t *offset)
{
	const uint8_t *base = fdt;
	uint32_t total = fdt_totalsize(fdt);
	uint32_t st_off = fdt_off_dt_struct(fdt);
	uint32_t st_size = fdt_size_dt_struct(fdt);
	uint32_t str_off = fdt_off_dt_strings(fdt);
	uint32_t str_size = fdt_size_dt_strings(fdt);
	struct blocks b;

	*offset = BOOT_FDT_HEADER;
	if (fdt_version(fdt) < VERSION_WITH_STRUCT_SIZE)
		return "a device tree version before 17";
	if (!inside(st_off, st_size, total) ||
	    !inside(str_off, str_size, total))
		return "a block passes the blob's end";
	if (st_off % FDT_TAGSIZE)
		return "the structure block is not 4-byte aligned";
	b = (struct blocks){base + st_off, st_size, base + str_off, str_size};
	return walk(&b, offset);
}
