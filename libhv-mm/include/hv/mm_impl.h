/*
 * hv/mm_impl.h - for those who add a page-table format to libhv-mm's P2M.
 *
 * The P2M engine (<hv/mm_p2m.h>) knows nothing of any architecture: it walks,
 * splits and merges tables described by a format descriptor.  An
 * architecture library provides one const descriptor per format (libhv-arm:
 * AArch64 stage 2, libhv-x86: AMD NPT) and a caller names the one it wants,
 * so an image links only the formats it uses.
 *
 * The engine's model of a format:
 *
 *  - levels 0 .. levels - 1, root first; an entry at level l maps
 *    2^shift[l] bytes, and a table at level l has 2^bits[l] entries of
 *    64 bits.  shift[levels - 1] is 12 (4 KiB pages) and
 *    shift[l] = shift[l + 1] + bits[l + 1].  A table occupies
 *    max(1, 2^(bits[l] + 3 - 12)) pages, aligned to its size, so a root with
 *    more than 512 entries is a set of concatenated tables (AArch64 stage 2).
 *  - an entry is empty, a table (the next level's physical address) or a
 *    leaf (a mapping: a block or page, or a typed entry the hardware
 *    ignores, such as a paged-out frame).
 *  - the all-zero entry is empty, and an entry whose bit 0 is clear is
 *    never used by the hardware walker.  (The engine relies on the second
 *    to chain detached tables through their first entry until the TLB
 *    flush that makes them free.)
 *  - output and table addresses sit in the entry unshifted, in the bits of
 *    addr_mask, so make_leaf(a, ...) == make_leaf(0, ...) | a for every
 *    suitably aligned a below 2^pa_bits; the engine encodes one template per
 *    level and ORs addresses into it.
 */
#ifndef HV_MM_IMPL_H
#define HV_MM_IMPL_H

#include <hv/mm_p2m.h>

HV_BEGIN_DECLS

/* What an entry of a P2M table is. */
enum hv_mm_p2m_pte_kind {
	HV_MM_PTE_EMPTY = 0,
	HV_MM_PTE_TABLE,
	HV_MM_PTE_LEAF,
};

/* One entry, decoded. */
struct hv_mm_p2m_pte {
	enum hv_mm_p2m_pte_kind kind;
	/* Table: the next table.  Leaf of a type with a frame: the output
	 * address, aligned to the entry's size.  Otherwise 0. */
	hv_paddr_t addr;
	enum hv_mm_p2m_type type; /* leaf only */
	unsigned int access;	  /* leaf only: HV_MM_P2M_R/W/X */
	/* Leaf only: the hardware may cache this entry (it is valid for the
	 * walker), so changing it needs a TLB flush. */
	bool hw_valid;
};

/* A page-table format the P2M engine writes (x86 NPT, AArch64 stage 2):
 * its geometry and how to encode and decode one entry. */
struct hv_mm_p2m_format {
	const char *name;
	uint8_t levels;			     /* 1 .. HV_MM_P2M_MAX_LEVELS */
	uint8_t shift[HV_MM_P2M_MAX_LEVELS]; /* bytes mapped: 2^shift[l] */
	uint8_t bits[HV_MM_P2M_MAX_LEVELS];  /* entries per table: 2^bits[l] */
	uint8_t leaf_levels; /* bit l: level l may hold leaves */
	uint8_t pa_bits;     /* output addresses < 2^pa_bits */
	/* Replacing a valid entry by a valid entry of another size or
	 * address needs the entry invalidated and the TLB flushed first
	 * (AArch64's break-before-make). */
	bool break_before_make;
	uint64_t addr_mask; /* entry bits holding a 4 KiB-aligned address */
	/*
	 * Optional, for the walks' speed: an entry e above the last level
	 * with (e & table_mask) == table_match points to a table at
	 * e & addr_mask, as decode would say, and is not decoded.  Other
	 * entries are.  table_match has bit 0 set (an entry with it clear is
	 * never the hardware's).  0 and 0: decode every entry.
	 */
	uint64_t table_mask, table_match;

	/* An entry pointing to the next-level table at `table`. */
	uint64_t (*make_table)(hv_paddr_t table);
	/*
	 * A leaf mapping 2^shift bytes at `addr` (0 for types without a frame)
	 * as `type` (never HV_MM_P2M_INVALID) with rights `access`, which the
	 * engine has already limited to what the type allows.
	 */
	uint64_t (*make_leaf)(hv_paddr_t addr, unsigned int shift,
			      enum hv_mm_p2m_type type, unsigned int access);
	/* Decode an entry found at a level whose entries map 2^shift bytes. */
	void (*decode)(uint64_t entry, unsigned int shift,
		       struct hv_mm_p2m_pte *out);
};

/*
 * 0 if the descriptor is self-consistent (the rules above), -HV_EINVAL if
 * not.  hv_mm_p2m_init() calls it; format authors can test with it.
 */
int hv_mm_p2m_format_check(const struct hv_mm_p2m_format *fmt);

HV_END_DECLS

#endif /* HV_MM_IMPL_H */
