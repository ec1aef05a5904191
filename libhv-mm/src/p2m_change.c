/*
 * Changing a range of the P2M, in two walks under the lock:
 *
 *  1. prepare: walk the range and make sure every entry the change must
 *     go through is a table: allocate tables under empty entries, split
 *     superpages into equivalent tables.  No translation changes, so when
 *     an allocation fails the guest sees nothing.
 *  2. commit: write the new entries and, on the way back up, merge each
 *     table it went through if that table became uniform or empty
 *     (p2m_merge.c).  Never allocates, never fails.
 * If prepare fails, a merge-only walk undoes what it left behind (empty
 * tables, needless splits).
 *
 * Walks visit only the entries overlapping [first, end): slot indices come
 * from p2m_index(), which masks them to the table's size.
 */
#include <hv/error.h>

#include "p2m_priv.h"

static bool op_covers(const struct p2m_op *op, uint64_t eg, uint64_t span)
{
	return eg >= op->first && eg + span <= op->end;
}

/* The op replaces this whole entry (rather than going below it). */
static bool op_writes_entry(const struct p2m_op *op, unsigned int level,
			    uint64_t eg)
{
	uint64_t span = p2m_span(op->p2m, level);

	if (!op_covers(op, eg, span))
		return false;
	if (op->kind == P2M_OP_ACCESS || op->type == HV_MM_P2M_INVALID)
		return true;
	if (!op->p2m->geom[level].leaf)
		return false;
	/* The frame of eg is eg + mfn_delta; eg is aligned to span. */
	return !op->has_frame || (op->mfn_delta & (span - 1)) == 0;
}

/* A MAP op maps the leaf's frames (based at eg) as the leaf does, rights
 * aside: the mapping survives the op. */
static bool op_keeps_mapping(const struct p2m_op *op,
			     const struct hv_mm_p2m_pte *pte, uint64_t eg)
{
	if (op->kind != P2M_OP_MAP || pte->type != op->type)
		return false;
	return !op->has_frame ||
	       (pte->addr >> HV_PAGE_SHIFT) == eg + op->mfn_delta;
}

/* A leaf already maps what the op would write over it. */
static bool op_leaf_unchanged(const struct p2m_op *op,
			      const struct hv_mm_p2m_pte *pte, uint64_t eg)
{
	if (op->kind == P2M_OP_ACCESS)
		return pte->access == p2m_clamp_access(pte->type, op->access);
	return op_keeps_mapping(op, pte, eg) && pte->access == op->access;
}

/* Report the leaf pte, which maps span frames from eg, as removed. */
static void report_leaf_removed(struct p2m_op *op,
				const struct hv_mm_p2m_pte *pte, uint64_t eg,
				uint64_t span)
{
	p2m_report_removed(op, eg,
			   hv_mm_p2m_type_has_frame(pte->type)
			       ? pte->addr >> HV_PAGE_SHIFT
			       : HV_INVALID_FRAME,
			   span, pte->type);
}

/* Replace a leaf by a table of equivalent leaves one level down. */
static int split_leaf(struct p2m_op *op, uint64_t *slot,
		      const struct hv_mm_p2m_pte *pte, unsigned int level,
		      uint64_t eg, hv_paddr_t *child)
{
	struct hv_mm_p2m *p2m = op->p2m;
	const struct hv_mm_p2m_format *fmt = p2m->fmt;
	unsigned int cl = level + 1;
	uint64_t n = UINT64_C(1) << p2m->geom[cl].bits;
	uint64_t step = hv_mm_p2m_type_has_frame(pte->type)
			    ? UINT64_C(1) << fmt->shift[cl]
			    : 0;
	uint64_t tmpl =
	    fmt->make_leaf(0, fmt->shift[cl], pte->type, pte->access);
	uint64_t *slots;
	int rc = p2m_table_alloc(p2m, cl, child);

	if (rc)
		return rc;
	/* Not yet reachable: plain stores. */
	slots = p2m_table(p2m, *child);
	for (uint64_t i = 0; i < n; i++)
		slots[i] = tmpl | (pte->addr + i * step);
	if (pte->hw_valid) {
		p2m_replace_valid(op->batch, slot, fmt->make_table(*child), eg,
				  p2m_span(p2m, level));
		p2m_batch_need_flush(op->batch, eg, p2m_span(p2m, level));
	} else {
		pte_write(slot, fmt->make_table(*child));
	}
	p2m_stat_add(&p2m->stats.splits, 1);
	return 0;
}

/*
 * Pass 1 for one entry.  Returns 1 with *child set if the op must go down
 * into that table, 0 if not, or a negative error.
 */
static int prepare_entry(struct p2m_op *op, uint64_t *slot, unsigned int level,
			 uint64_t eg, hv_paddr_t *child)
{
	struct hv_mm_p2m *p2m = op->p2m;
	struct hv_mm_p2m_pte pte;
	int rc;

	if (op_writes_entry(op, level, eg))
		return 0;
	pte_decode(p2m, pte_read(slot), level, &pte);
	switch (pte.kind) {
	case HV_MM_PTE_TABLE:
		*child = pte.addr;
		return 1;
	case HV_MM_PTE_LEAF:
		if (op_leaf_unchanged(op, &pte, eg))
			return 0;
		rc = split_leaf(op, slot, &pte, level, eg, child);
		return rc ? rc : 1;
	default:
		if (op->kind == P2M_OP_ACCESS || op->type == HV_MM_P2M_INVALID)
			return 0;
		rc = p2m_table_alloc(p2m, level + 1, child);
		if (rc)
			return rc;
		pte_write(slot, p2m->fmt->make_table(*child));
		return 1;
	}
}

static int prepare(struct p2m_op *op, hv_paddr_t table, unsigned int level,
		   uint64_t base)
{
	struct entry_walk w;
	uint64_t *slot, eg;

	entry_walk_start(&w, op, table, level, base);
	while (entry_walk_next(&w, &slot, &eg)) {
		hv_paddr_t child;
		int rc = prepare_entry(op, slot, level, eg, &child);

		if (rc < 0)
			return rc;
		/* The last level never needs a table below it. */
		if (rc > 0 && level + 1 < p2m_last_level(op->p2m)) {
			rc = prepare(op, child, level + 1, eg);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* What a MAP op writes into the entry at `level` mapping from eg.  The
 * leaf's bits but the frame are the format's, asked once per level. */
static uint64_t map_value(struct p2m_op *op, unsigned int level, uint64_t eg)
{
	const struct hv_mm_p2m_format *fmt = op->p2m->fmt;
	uint64_t frame = eg + op->mfn_delta;

	if (op->type == HV_MM_P2M_INVALID)
		return 0;
	if (!(op->tmpl_levels & (1u << level))) {
		op->tmpl[level] =
		    fmt->make_leaf(0, fmt->shift[level], op->type, op->access);
		op->tmpl_levels |= 1u << level;
	}
	return op->tmpl[level] | (op->has_frame ? frame << HV_PAGE_SHIFT : 0);
}

/* An empty entry was never in a TLB: the new one goes straight in. */
static inline void map_over_empty(struct p2m_op *op, uint64_t *slot,
				  unsigned int level, uint64_t eg)
{
	uint64_t value = map_value(op, level, eg);

	if (value)
		pte_write(slot, value);
}

/* Pass 2, MAP: the whole entry, which holds `old`, becomes the op's leaf
 * (or empty). */
static void commit_map_over(struct p2m_op *op, uint64_t *slot,
			    unsigned int level, uint64_t eg,
			    const struct hv_mm_p2m_pte *old)
{
	struct hv_mm_p2m *p2m = op->p2m;
	uint64_t span = p2m_span(p2m, level);
	uint64_t value;
	bool moved;

	if (old->kind == HV_MM_PTE_EMPTY) {
		map_over_empty(op, slot, level, eg);
		return;
	}
	value = map_value(op, level, eg);
	if (old->kind == HV_MM_PTE_TABLE) {
		p2m_mapping_changed(p2m);
		p2m_replace_valid(op->batch, slot, value, eg, span);
		p2m_batch_need_flush(op->batch, eg, span);
		p2m_detach_subtree(op, old->addr, level + 1, eg);
		return;
	}
	if (op_leaf_unchanged(op, old, eg))
		return;
	p2m_mapping_changed(p2m);
	moved = !op_keeps_mapping(op, old, eg);
	if (moved)
		report_leaf_removed(op, old, eg, span);
	if (!old->hw_valid) {
		pte_write(slot, value);
		return;
	}
	/* Only a new frame or type needs break-before-make, not rights. */
	if (moved)
		p2m_replace_valid(op->batch, slot, value, eg, span);
	else
		pte_write(slot, value);
	p2m_batch_need_flush(op->batch, eg, span);
}

static void commit_map_entry(struct p2m_op *op, uint64_t *slot,
			     unsigned int level, uint64_t eg)
{
	struct hv_mm_p2m_pte old;

	pte_decode(op->p2m, pte_read(slot), level, &old);
	commit_map_over(op, slot, level, eg, &old);
}

static void commit(struct p2m_op *op, hv_paddr_t table, unsigned int level,
		   uint64_t base);

/* Pass 2, ACCESS: new rights for every leaf under the entry. */
static void commit_access_entry(struct p2m_op *op, uint64_t *slot,
				unsigned int level, uint64_t eg)
{
	struct hv_mm_p2m *p2m = op->p2m;
	struct hv_mm_p2m_pte old;
	unsigned int access;

	pte_decode(p2m, pte_read(slot), level, &old);
	if (old.kind == HV_MM_PTE_TABLE) {
		commit(op, old.addr, level + 1, eg);
		p2m_try_merge(op, slot, level, eg, old.addr);
		return;
	}
	if (old.kind != HV_MM_PTE_LEAF)
		return;
	access = p2m_clamp_access(old.type, op->access);
	if (access == old.access)
		return;
	p2m_mapping_changed(p2m);
	pte_write(slot, p2m->fmt->make_leaf(old.addr, p2m->fmt->shift[level],
					    old.type, access));
	if (old.hw_valid)
		p2m_batch_need_flush(op->batch, eg, p2m_span(p2m, level));
}

static void commit(struct p2m_op *op, hv_paddr_t table, unsigned int level,
		   uint64_t base)
{
	struct entry_walk w;
	uint64_t *slot, eg;

	entry_walk_start(&w, op, table, level, base);
	while (entry_walk_next(&w, &slot, &eg)) {
		struct hv_mm_p2m_pte pte;

		if (op_writes_entry(op, level, eg)) {
			if (op->kind == P2M_OP_MAP)
				commit_map_entry(op, slot, level, eg);
			else
				commit_access_entry(op, slot, level, eg);
			continue;
		}
		/* Prepare left a table wherever the op must go down. */
		pte_decode(op->p2m, pte_read(slot), level, &pte);
		if (pte.kind != HV_MM_PTE_TABLE)
			continue;
		commit(op, pte.addr, level + 1, eg);
		p2m_try_merge(op, slot, level, eg, pte.addr);
	}
}

static void report_flush(struct p2m_op *op)
{
	struct hv_mm_p2m_batch *b = op->batch;

	if (op->run.nr && b->removed)
		b->removed(b->removed_ctx, hv_gfn(op->run.gfn),
			   hv_mfn(op->run.mfn), op->run.nr, op->run.type);
	op->run.nr = 0;
}

void p2m_report_removed(struct p2m_op *op, uint64_t gfn, uint64_t mfn,
			uint64_t nr, enum hv_mm_p2m_type type)
{
	bool joins =
	    op->run.nr && op->run.type == type &&
	    op->run.gfn + op->run.nr == gfn &&
	    (mfn == HV_INVALID_FRAME ? op->run.mfn == HV_INVALID_FRAME
				     : op->run.mfn + op->run.nr == mfn);

	if (!op->batch->removed)
		return;
	if (joins) {
		op->run.nr += nr;
		return;
	}
	report_flush(op);
	op->run.gfn = gfn;
	op->run.mfn = mfn;
	op->run.nr = nr;
	op->run.type = type;
}

void p2m_detach_subtree(struct p2m_op *op, hv_paddr_t table, unsigned int level,
			uint64_t base)
{
	struct hv_mm_p2m *p2m = op->p2m;
	uint64_t *slots = p2m_table(p2m, table);
	uint64_t n = UINT64_C(1) << p2m->geom[level].bits;
	uint64_t span = p2m_span(p2m, level);

	for (uint64_t i = 0; i < n; i++) {
		struct hv_mm_p2m_pte pte;
		uint64_t eg = base + i * span;

		pte_decode(p2m, pte_read(&slots[i]), level, &pte);
		if (pte.kind == HV_MM_PTE_TABLE && level < p2m_last_level(p2m))
			p2m_detach_subtree(op, pte.addr, level + 1, eg);
		else if (pte.kind == HV_MM_PTE_LEAF &&
			 !op_keeps_mapping(op, &pte, eg))
			report_leaf_removed(op, &pte, eg, span);
	}
	p2m_batch_retire(op->batch, table, p2m->geom[level].order);
}

/*
 * The commonest changes in one walk: a MAP (INVALID included) of exactly
 * one entry at a leaf level, whose tables exist down to it and which is
 * not itself a table: a domain builder's page, a grant mapped or unmapped,
 * a page given back.  Nothing needs a table allocated or split, so the
 * entry is written as the commit walk would write it, and what is left of
 * that walk is its merges on the way up.
 */
struct one_entry {
	uint64_t *path[HV_MM_P2M_MAX_LEVELS]; /* the slot at each level */
	unsigned int level;		      /* of the entry */
	uint64_t eg;			      /* its first guest frame */
	struct hv_mm_p2m_pte pte;	      /* what it holds */
};

/* Whether op is such a change; if so, *e is its entry.  Changes nothing. */
static bool find_one_entry(struct p2m_op *op, struct one_entry *e)
{
	struct hv_mm_p2m *p2m = op->p2m;
	hv_paddr_t table = p2m->root;
	struct hv_mm_p2m_pte pte;
	unsigned int level;
	uint64_t eg;

	if (op->kind != P2M_OP_MAP)
		return false;
	for (level = 0;; level++) {
		bool writes;
		uint64_t raw;

		/* Entries are based at their span's alignment, as the
		 * general walks give them (entry_walk_next). */
		eg = op->first & ~(p2m_span(p2m, level) - 1);
		e->path[level] =
		    &p2m_table(p2m, table)[p2m_index(p2m, level, eg)];
		raw = pte_read(e->path[level]);
		writes =
		    op_writes_entry(op, level, eg) && p2m->geom[level].leaf;
		if (!writes && level < p2m_last_level(p2m) &&
		    pte_is_table_fast(p2m, raw)) {
			table = raw & p2m->fmt->addr_mask;
			continue;
		}
		pte_decode(p2m, raw, level, &pte);
		if (writes)
			break;
		if (pte.kind != HV_MM_PTE_TABLE || level == p2m_last_level(p2m))
			return false;
		table = pte.addr;
	}
	e->level = level;
	e->eg = eg;
	e->pte = pte;
	/* The op is exactly this entry (it covers it, starting at eg). */
	return pte.kind != HV_MM_PTE_TABLE &&
	       op->end - op->first == p2m_span(p2m, level);
}

static void write_one_entry(struct p2m_op *op, struct one_entry *e)
{
	struct hv_mm_p2m *p2m = op->p2m;
	unsigned int level = e->level;
	struct hv_mm_p2m_pte pte;

	/* The domain build's case, inlined here: commit_map_over handles it
	 * too, but is not inlined, and the call cost ~5% of the 256 GiB x86
	 * build (4.40 against 4.59-4.70 ms, medians of 31). */
	if (e->pte.kind == HV_MM_PTE_EMPTY)
		map_over_empty(op, e->path[level], level, e->eg);
	else
		commit_map_over(op, e->path[level], level, e->eg, &e->pte);
	/* A table above can merge only once the one below it has: stop at
	 * the first that is still a table.  Only a hole can empty a table,
	 * so a mapping can only complete one into a leaf, where leaves may
	 * be. */
	while (level-- > 0 &&
	       (op->type == HV_MM_P2M_INVALID || p2m->geom[level].leaf)) {
		pte_decode(p2m, pte_read(e->path[level]), level, &pte);
		p2m_try_merge(op, e->path[level], level,
			      op->first & ~(p2m_span(p2m, level) - 1),
			      pte.addr);
		pte_decode(p2m, pte_read(e->path[level]), level, &pte);
		if (pte.kind == HV_MM_PTE_TABLE)
			break;
	}
}

/* The op's check on its first frame, from the entry found (e) or a walk
 * of its own. */
static int op_check(struct p2m_op *op, const struct one_entry *e)
{
	struct hv_mm_p2m_info info;

	if (!op->check)
		return 0;
	if (e)
		p2m_info_from_pte(op->p2m, &e->pte, e->level, op->first, &info);
	else
		p2m_lookup_locked(op->p2m, op->first, &info);
	return op->check(&info, op->check_mfn);
}

int p2m_change_locked(struct p2m_op *op)
{
	struct hv_mm_p2m *p2m = op->p2m;
	struct one_entry e;
	bool one = find_one_entry(op, &e);
	int rc = op_check(op, one ? &e : NULL);

	if (rc)
		return rc;
	if (one) {
		write_one_entry(op, &e);
	} else {
		rc = prepare(op, p2m->root, 0, 0);
		if (rc)
			p2m_merge_range(op);
		else
			commit(op, p2m->root, 0, 0);
	}
	report_flush(op);
	if (!rc && op->kind == P2M_OP_MAP && op->type != HV_MM_P2M_INVALID)
		p2m->max_mapped_gfn =
		    hv_max_u64(p2m->max_mapped_gfn, op->end - 1);
	return rc;
}
