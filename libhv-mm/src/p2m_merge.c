/*
 * Merging, as each change's commit walk climbs back up the tree.
 *
 * A table whose entries are all leaves of one type and one access, with
 * contiguous frames starting at an address aligned to the parent entry's
 * size, is replaced by one leaf in the parent (if this P2M may use leaves
 * there).  A table whose entries are all empty is removed.  Tables are
 * checked bottom-up, so a merge can complete a merge above it.
 *
 * Only tables the change went through are looked at, and each is scanned
 * from where the change was (see table_matches): building or tearing down
 * a domain page by page scans a table in full only when it completes.
 */
#include "p2m_priv.h"

/* Entry k of a table being merged matches the pattern set by its entry 0
 * (all empty, or leaves of one type and access at addresses step apart). */
static bool entry_matches(const struct hv_mm_p2m_pte *pte,
			  const struct hv_mm_p2m_pte *first, hv_paddr_t addr)
{
	if (pte->kind != first->kind)
		return false;
	return pte->kind == HV_MM_PTE_EMPTY ||
	       (pte->type == first->type && pte->access == first->access &&
		pte->addr == addr);
}

/*
 * Whether every entry of the table at `level` matches the pattern of
 * entry 0.  The scan starts at `start`, where the change was, and goes on
 * from there: a table the change did not complete differs near it, so a
 * page-by-page build or teardown decides after a couple of entries.
 */
static bool table_matches(const struct hv_mm_p2m *p2m, const uint64_t *slots,
			  unsigned int level, uint64_t start,
			  const struct hv_mm_p2m_pte *first, uint64_t step)
{
	uint64_t n = UINT64_C(1) << p2m->geom[level].bits;

	for (uint64_t i = 0; i < n; i++) {
		uint64_t k = (start + i) & (n - 1);
		struct hv_mm_p2m_pte pte;

		pte_decode(p2m, pte_read(&slots[k]), level, &pte);
		if (!entry_matches(&pte, first, first->addr + k * step))
			return false;
	}
	return true;
}

/* Replace the table entry at slot by value (a leaf, or 0). */
static void collapse(struct p2m_op *op, uint64_t *slot, unsigned int level,
		     uint64_t eg, hv_paddr_t child, uint64_t value)
{
	struct hv_mm_p2m *p2m = op->p2m;
	uint64_t span = p2m_span(p2m, level);

	p2m_replace_valid(op->batch, slot, value, eg, span);
	p2m_batch_need_flush(op->batch, eg, span);
	p2m_batch_retire(op->batch, child, p2m->geom[level + 1].order);
}

void p2m_try_merge(struct p2m_op *op, uint64_t *slot, unsigned int level,
		   uint64_t eg, hv_paddr_t child)
{
	struct hv_mm_p2m *p2m = op->p2m;
	const struct hv_mm_p2m_format *fmt = p2m->fmt;
	unsigned int cl = level + 1;
	const uint64_t *slots = p2m_table(p2m, child);
	uint64_t start = p2m_index(p2m, cl, hv_max_u64(op->first, eg));
	struct hv_mm_p2m_pte first;
	uint64_t step;

	pte_decode(p2m, pte_read(&slots[0]), cl, &first);
	if (first.kind == HV_MM_PTE_EMPTY) {
		if (table_matches(p2m, slots, cl, start, &first, 0))
			collapse(op, slot, level, eg, child, 0);
		return;
	}
	if (!p2m->geom[level].leaf || first.kind != HV_MM_PTE_LEAF)
		return;
	step = hv_mm_p2m_type_has_frame(first.type)
		   ? UINT64_C(1) << fmt->shift[cl]
		   : 0;
	if (step && (first.addr & ((UINT64_C(1) << fmt->shift[level]) - 1)))
		return;
	if (!table_matches(p2m, slots, cl, start, &first, step))
		return;
	collapse(op, slot, level, eg, child,
		 fmt->make_leaf(first.addr, fmt->shift[level], first.type,
				first.access));
	p2m_stat_add(&p2m->stats.merges, 1);
}

static void merge_level(struct p2m_op *op, hv_paddr_t table, unsigned int level,
			uint64_t base)
{
	struct hv_mm_p2m *p2m = op->p2m;
	struct entry_walk w;
	uint64_t *slot, eg;

	entry_walk_start(&w, op, table, level, base);
	while (entry_walk_next(&w, &slot, &eg)) {
		struct hv_mm_p2m_pte pte;

		pte_decode(p2m, pte_read(slot), level, &pte);
		if (pte.kind != HV_MM_PTE_TABLE)
			continue;
		if (level + 2 <= p2m_last_level(p2m))
			merge_level(op, pte.addr, level + 1, eg);
		p2m_try_merge(op, slot, level, eg, pte.addr);
	}
}

void p2m_merge_range(struct p2m_op *op)
{
	if (op->p2m->fmt->levels > 1)
		merge_level(op, op->p2m->root, 0, 0);
}
