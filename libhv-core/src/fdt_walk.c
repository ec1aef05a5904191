/*
 * One checked pass over a flattened device tree (hv/fdt_walk.h).
 */
#include <hv/fdt_walk.h>
#include <hv/string.h>

#define FDT_MAGIC	   0xd00dfeedu
#define FDT_HEADER_V17	   40u /* bytes: ten words */
#define FDT_TAGSIZE	   4u
#define FDT_BEGIN_NODE	   1u
#define FDT_END_NODE	   2u
#define FDT_PROP	   3u
#define FDT_NOP		   4u
#define FDT_END		   9u
#define VERSION_WITH_SIZES 17u /* the first to give the struct block's size */

uint32_t hv_fdt_cell(const void *value, unsigned int index)
{
	const uint8_t *b = (const uint8_t *)value + 4 * (size_t)index;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static bool inside(uint64_t off, uint64_t size, uint64_t total)
{
	return off <= total && size <= total - off;
}

const char *hv_fdt_walk_start(struct hv_fdt_walk *w, const void *fdt,
			      size_t size)
{
	const uint8_t *base = fdt;
	uint32_t total, st_off, str_off, str_size, st_size;

	memset(w, 0, sizeof(*w));
	w->offset = HV_FDT_WALK_HEADER;
	if (size < FDT_HEADER_V17 || hv_fdt_cell(fdt, 0) != FDT_MAGIC)
		return "no device tree header";
	if (hv_fdt_cell(fdt, 5) < VERSION_WITH_SIZES)
		return "a device tree version before 17";
	total = hv_fdt_cell(fdt, 1);
	st_off = hv_fdt_cell(fdt, 2);
	str_off = hv_fdt_cell(fdt, 3);
	str_size = hv_fdt_cell(fdt, 8);
	st_size = hv_fdt_cell(fdt, 9);
	if (total > size)
		return "the device tree's size passes what can be read";
	if (!inside(st_off, st_size, total) ||
	    !inside(str_off, str_size, total))
		return "a block passes the blob's end";
	if (st_off % FDT_TAGSIZE)
		return "the structure block is not 4-byte aligned";
	w->st = base + st_off;
	w->st_size = st_size;
	w->strings = base + str_off;
	w->str_size = str_size;
	return NULL;
}

/* A big-endian word of the structure block; off + 4 <= st_size. */
static uint32_t word_at(const struct hv_fdt_walk *w, uint64_t off)
{
	return hv_fdt_cell(w->st + off, 0);
}

/* FDT_BEGIN_NODE's name, just past the tag. */
static const char *node_name(struct hv_fdt_walk *w)
{
	const uint8_t *nul =
	    memchr(w->st + w->next, '\0', (size_t)(w->st_size - w->next));

	if (!nul)
		return "a node name runs past the structure block";
	w->name = (const char *)(w->st + w->next);
	w->next = (uint64_t)(nul - w->st) + 1;
	return NULL;
}

/* FDT_PROP's header and value, just past the tag. */
static const char *property(struct hv_fdt_walk *w)
{
	uint32_t len, nameoff;

	if (w->st_size - w->next < 2 * FDT_TAGSIZE)
		return "a property header runs past the structure block";
	len = word_at(w, w->next);
	nameoff = word_at(w, w->next + FDT_TAGSIZE);
	w->next += 2 * FDT_TAGSIZE;
	if (len > w->st_size - w->next)
		return "a property value runs past the structure block";
	if (nameoff >= w->str_size ||
	    !memchr(w->strings + nameoff, '\0', w->str_size - nameoff))
		return "a property name is not a string of the strings block";
	w->name = (const char *)(w->strings + nameoff);
	w->value = w->st + w->next;
	w->len = len;
	w->next += len;
	return NULL;
}

/* The tag at w->offset, known to be inside the block and not FDT_END or
 * FDT_NOP: NULL, or what is wrong. */
static const char *item(struct hv_fdt_walk *w, uint32_t tag)
{
	switch (tag) {
	case FDT_BEGIN_NODE:
		if (w->open == 0 && w->rooted)
			return "a second root node";
		w->item = HV_FDT_BEGIN_NODE;
		w->depth = w->open++;
		w->rooted = true;
		return node_name(w);
	case FDT_END_NODE:
		if (w->open == 0)
			return "FDT_END_NODE outside every node";
		w->item = HV_FDT_END_NODE;
		w->depth = --w->open;
		return NULL;
	case FDT_PROP:
		if (w->open == 0)
			return "a property outside every node";
		w->item = HV_FDT_PROP;
		w->depth = w->open;
		return property(w);
	default:
		return "an unknown tag";
	}
}

int hv_fdt_walk_next(struct hv_fdt_walk *w, const char **why)
{
	for (;;) {
		uint64_t off = w->next;
		uint32_t tag;

		*why = NULL;
		w->offset = (uint32_t)off;
		w->name = NULL;
		w->value = NULL;
		w->len = 0;
		if (off > w->st_size || w->st_size - off < FDT_TAGSIZE) {
			*why = "the structure block ends without FDT_END";
			return -1;
		}
		tag = word_at(w, off);
		w->next = off + FDT_TAGSIZE;
		if (tag == FDT_END) {
			if (!w->rooted)
				*why = "no root node";
			else if (w->open)
				*why = "FDT_END inside a node";
			w->next = off; /* stays at the end */
			return *why ? -1 : 0;
		}
		if (tag != FDT_NOP) {
			*why = item(w, tag);
			if (*why)
				return -1;
		}
		/* Tags are 4-byte aligned: the next may start past the
		 * block's end, which the next call finds. */
		w->next = (w->next + FDT_TAGSIZE - 1) &
			  ~(uint64_t)(FDT_TAGSIZE - 1);
		if (tag != FDT_NOP)
			return 1;
	}
}
