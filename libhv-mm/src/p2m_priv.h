/*
 * The P2M engine's private interface, shared by p2m*.c.
 *
 * Conventions: guest frames are plain uint64_t inside the engine (the
 * public API wraps them in hv_gfn_t); `level` counts from the root (0);
 * an entry at `level` maps 2^geom[level].span_shift guest frames.
 */
#ifndef HV_MM_P2M_PRIV_H
#define HV_MM_P2M_PRIV_H

#include <hv/atomic.h>
#include <hv/mm_impl.h>

static inline uint64_t p2m_span(const struct hv_mm_p2m *p2m, unsigned int level)
{
	return UINT64_C(1) << p2m->geom[level].span_shift;
}

static inline unsigned int p2m_last_level(const struct hv_mm_p2m *p2m)
{
	return p2m->fmt->levels - 1u;
}

static inline uint64_t *p2m_table(const struct hv_mm_p2m *p2m, hv_paddr_t pa)
{
	return p2m->ops->phys_to_virt(p2m->ctx, pa);
}

/* The slot of gfn in a table of `level`; never past the table's end. */
static inline unsigned int p2m_index(const struct hv_mm_p2m *p2m,
				     unsigned int level, uint64_t gfn)
{
	const struct hv_mm_p2m_geom *g = &p2m->geom[level];

	return (unsigned int)((gfn >> g->span_shift) &
			      ((UINT64_C(1) << g->bits) - 1));
}

/* Entries are read once, whole: the hardware may set A/D bits under us. */
static inline uint64_t pte_read(const uint64_t *slot)
{
	return hv_atomic_load_relaxed_u64(slot);
}

/* Release order: a new table's contents are visible before its pointer. */
static inline void pte_write(uint64_t *slot, uint64_t value)
{
	hv_atomic_store_u64(slot, value);
}

static inline void pte_decode(const struct hv_mm_p2m *p2m, uint64_t entry,
			      unsigned int level, struct hv_mm_p2m_pte *out)
{
	p2m->fmt->decode(entry, p2m->fmt->shift[level], out);
}

/* Whether an entry at a level above the last points to a table, by the
 * format's mask alone: a walk goes down without decoding it. */
static inline bool pte_is_table_fast(const struct hv_mm_p2m *p2m,
				     uint64_t entry)
{
	const struct hv_mm_p2m_format *fmt = p2m->fmt;

	return fmt->table_mask && (entry & fmt->table_mask) == fmt->table_match;
}

/* A mapping was rewritten or removed (the lock is held). */
static inline void p2m_mapping_changed(struct hv_mm_p2m *p2m)
{
	hv_atomic_store_u64(&p2m->generation, p2m->generation + 1);
}

static inline void p2m_stat_add(uint64_t *counter, int64_t delta)
{
	hv_atomic_fetch_add_u64(counter, (uint64_t)delta);
}

/* A fresh, zeroed table for `level`: 0 and *pa, or the allocator's error. */
int p2m_table_alloc(struct hv_mm_p2m *p2m, unsigned int level, hv_paddr_t *pa);
/* Free a table no CPU can reach (immediately). */
void p2m_table_free(struct hv_mm_p2m *p2m, hv_paddr_t pa, unsigned int order);

/* Guest frames [first, first + nr) need a TLB flush before the batch ends
 * (a no-op while the P2M is not active). */
void p2m_batch_need_flush(struct hv_mm_p2m_batch *b, uint64_t first,
			  uint64_t nr);
/* A table detached from the tree: free it once the batch has flushed. */
void p2m_batch_retire(struct hv_mm_p2m_batch *b, hv_paddr_t table,
		      unsigned int order);
/* Flush [first, first + nr) now, for break-before-make. */
void p2m_flush_now(struct hv_mm_p2m *p2m, uint64_t first, uint64_t nr);

/*
 * Write `value` into a slot that holds a valid entry, with
 * break-before-make when the format needs it and the P2M is active.
 */
void p2m_replace_valid(struct hv_mm_p2m_batch *b, uint64_t *slot,
		       uint64_t value, uint64_t first, uint64_t nr);

/* Walk to gfn with the lock held. */
void p2m_lookup_locked(struct hv_mm_p2m *p2m, uint64_t gfn,
		       struct hv_mm_p2m_info *info);
/* What a lookup of gfn answers when the walk ends at pte, at `level`. */
void p2m_info_from_pte(const struct hv_mm_p2m *p2m,
		       const struct hv_mm_p2m_pte *pte, unsigned int level,
		       uint64_t gfn, struct hv_mm_p2m_info *info);

/* The access a type allows, of those asked for. */
static inline unsigned int p2m_clamp_access(enum hv_mm_p2m_type type,
					    unsigned int access)
{
	return access & hv_mm_p2m_type_rights(type);
}

/*
 * One change to a range of the tree, driven by p2m_change_locked():
 * MAP writes one mapping over the range (INVALID unmaps), ACCESS rewrites
 * the rights of whatever is mapped there.
 */
enum p2m_op_kind { P2M_OP_MAP, P2M_OP_ACCESS };

struct p2m_op {
	struct hv_mm_p2m *p2m;
	struct hv_mm_p2m_batch *batch;
	enum p2m_op_kind kind;
	uint64_t first, end;	  /* guest frames [first, end) */
	uint64_t mfn_delta;	  /* MAP: frame of gfn g is g + mfn_delta */
	enum hv_mm_p2m_type type; /* MAP */
	unsigned int access;	  /* MAP: clamped; ACCESS: as asked */
	bool has_frame;		  /* MAP: type maps frames */
	/* MAP: the leaf template of each level in tmpl_levels (bit l) */
	uint64_t tmpl[HV_MM_P2M_MAX_LEVELS];
	unsigned int tmpl_levels;
	/* Optional: make the op only if check accepts what its first frame
	 * maps now; check's error, and nothing changed, if not. */
	int (*check)(const struct hv_mm_p2m_info *info, hv_mfn_t mfn);
	hv_mfn_t check_mfn;
	/* Removed mappings are reported in runs of contiguous frames. */
	struct {
		uint64_t gfn, mfn, nr;
		enum hv_mm_p2m_type type;
	} run;
};

/* The guest frames of the table at `level` based at `base` that the op's
 * range covers: [*from, *to), empty if *from >= *to. */
static inline void p2m_op_clip(const struct p2m_op *op, unsigned int level,
			       uint64_t base, uint64_t *from, uint64_t *to)
{
	const struct hv_mm_p2m_geom *g = &op->p2m->geom[level];
	uint64_t table_end = base + (UINT64_C(1) << (g->bits + g->span_shift));

	*from = hv_max_u64(op->first, base);
	*to = hv_min_u64(op->end, table_end);
}

/* Apply op to the tree; the lock is held.  0, or -HV_ENOMEM or the op's
 * check's error (no translation changed). */
int p2m_change_locked(struct p2m_op *op);
/* Report a removed mapping through the op's batch (coalescing). */
void p2m_report_removed(struct p2m_op *op, uint64_t gfn, uint64_t mfn,
			uint64_t nr, enum hv_mm_p2m_type type);
/* Report every mapping under a detached table and retire its tables. */
void p2m_detach_subtree(struct p2m_op *op, hv_paddr_t table, unsigned int level,
			uint64_t base);
/* If the table `child` below slot (at `level`, mapping from gfn eg) has
 * become uniform or empty, replace it by one leaf or an empty entry. */
void p2m_try_merge(struct p2m_op *op, uint64_t *slot, unsigned int level,
		   uint64_t eg, hv_paddr_t child);
/* Merge every table in [op->first, op->end) that is uniform or empty. */
void p2m_merge_range(struct p2m_op *op);

/* Begin a batch on the caller's stack when the caller passed none. */
struct hv_mm_p2m_batch *p2m_batch_or_local(struct hv_mm_p2m *p2m,
					   struct hv_mm_p2m_batch *batch,
					   struct hv_mm_p2m_batch *local);

/*
 * The entries of one table that the op's range overlaps, in order: what
 * the change passes (p2m_change.c) and the merge (p2m_merge.c) walk.
 * entry_walk_next gives each entry's slot and the first guest frame it maps
 * (eg, aligned to the entry's span).
 */
struct entry_walk {
	struct hv_mm_p2m *p2m;
	uint64_t *slots;
	unsigned int level;
	uint64_t span, g, end;
};

static inline void entry_walk_start(struct entry_walk *w,
				    const struct p2m_op *op, hv_paddr_t table,
				    unsigned int level, uint64_t base)
{
	w->p2m = op->p2m;
	w->slots = p2m_table(op->p2m, table);
	w->level = level;
	w->span = p2m_span(op->p2m, level);
	p2m_op_clip(op, level, base, &w->g, &w->end);
}

static inline bool entry_walk_next(struct entry_walk *w, uint64_t **slot,
				   uint64_t *eg)
{
	if (w->g >= w->end)
		return false;
	*eg = w->g & ~(w->span - 1);
	*slot = &w->slots[p2m_index(w->p2m, w->level, *eg)];
	w->g = *eg + w->span;
	return true;
}

#endif /* HV_MM_P2M_PRIV_H */
