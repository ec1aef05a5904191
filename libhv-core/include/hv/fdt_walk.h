/*
 * hv/fdt_walk.h - one checked pass over a flattened device tree.
 *
 * A walk visits the tree's structure block in order, tag by tag: each
 * node's start, each of its properties (name and value), each node's end.
 * Every step is checked against the blob's bounds, with positions kept in
 * 64 bits so that no length can wrap them; the walk stops at the first
 * thing wrong and says what and where.
 *
 * Why not libfdt alone: libfdt checks the header and then trusts every
 * length it finds (libfdt 1.6.1's fdt_next_tag loops forever on a
 * property length near 2^32, even in fdt_check_full), and each of its
 * lookups walks a node again from its start, one call per byte of the
 * node's name.  A reader that wants a few properties of every node
 * (a machine's memory, CPUs, devices) reads them here in one pass: under
 * QEMU's TCG libfdt lookups over QEMU's virt tree were 200,000 translated
 * blocks, most of an image's boot.  libfdt stays for what it is good at:
 * a lookup or two, and writing trees.
 *
 * The format is the Devicetree Specification's (v0.4, chapter 5): a
 * header of big-endian words, the structure block's tokens FDT_BEGIN_NODE
 * (1), FDT_END_NODE (2), FDT_PROP (3), FDT_NOP (4) and FDT_END (9).
 */
#ifndef HV_FDT_WALK_H
#define HV_FDT_WALK_H

#include <hv/types.h>

HV_BEGIN_DECLS

/* What a walk has reached. */
enum hv_fdt_item {
	HV_FDT_BEGIN_NODE, /* name: the node's (with its unit address) */
	HV_FDT_END_NODE,
	HV_FDT_PROP, /* name, value and len: a property of the open node */
};

/*
 * A walk in progress.  After hv_fdt_walk_next() returns 1 the public
 * fields describe the item it reached; the rest is the walk's.
 */
struct hv_fdt_walk {
	enum hv_fdt_item item;
	/* Nodes open around the item: 0 for the root node's start and end
	 * (and no property), 1 for the root's properties and children... */
	unsigned int depth;
	const char *name;  /* NUL-terminated inside the blob */
	const void *value; /* HV_FDT_PROP: len bytes inside the blob */
	uint32_t len;
	/* The item's tag, as an offset into the structure block: for a
	 * node's start, the node offset libfdt's functions take. */
	uint32_t offset;

	const uint8_t *st, *strings;
	uint64_t st_size, str_size;
	uint64_t next;	   /* the next tag's offset */
	unsigned int open; /* nodes begun and not ended */
	bool rooted;	   /* the root node has begun */
};

/* Where hv_fdt_walk_start reports a problem with the header itself. */
#define HV_FDT_WALK_HEADER UINT32_MAX

/*
 * Start a walk over the blob at fdt, of which `size` bytes are readable.
 * The header must have FDT's magic, version 17 or later (which gives the
 * structure block's size), a totalsize within `size`, and both blocks
 * inside totalsize, the structure block 4-byte aligned.  NULL, or what is
 * wrong (w->offset is HV_FDT_WALK_HEADER).
 */
const char *hv_fdt_walk_start(struct hv_fdt_walk *w, const void *fdt,
			      size_t size);

/*
 * Go to the next item: 1 (the fields above describe it), 0 at FDT_END
 * after the root node has ended, or -1 with *why saying what is wrong at
 * w->offset (an unknown tag, anything running past its block, a property
 * outside every node, a second root node, FDT_END inside a node...).
 * FDT_NOP tags are passed over.
 */
int hv_fdt_walk_next(struct hv_fdt_walk *w, const char **why);

/* A big-endian cell of a property value (4-byte aligned or not). */
uint32_t hv_fdt_cell(const void *value, unsigned int index);

HV_END_DECLS

#endif /* HV_FDT_WALK_H */
