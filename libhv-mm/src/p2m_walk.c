/*
 * Visiting the mappings of a range, for teardown, dumps and checks.
 */
#include <hv/error.h>

#include "p2m_priv.h"

struct walk {
	struct hv_mm_p2m *p2m;
	uint64_t first, end;
	hv_mm_p2m_visit_fn visit;
	void *ctx;
};

static int walk_leaf(struct walk *w, const struct hv_mm_p2m_pte *pte,
		     unsigned int level, uint64_t eg)
{
	struct hv_mm_p2m *p2m = w->p2m;
	uint64_t span = p2m_span(p2m, level);
	uint64_t lo = hv_max_u64(w->first, eg);
	uint64_t hi = hv_min_u64(w->end, eg + span);
	struct hv_mm_p2m_info info = {
	    .type = pte->type,
	    .access = pte->access,
	    .mfn = hv_mfn(HV_INVALID_FRAME),
	    .order = p2m->geom[level].span_shift,
	    .level = level,
	};

	if (hv_mm_p2m_type_has_frame(pte->type))
		info.mfn = hv_mfn((pte->addr >> HV_PAGE_SHIFT) + (lo - eg));
	return w->visit(w->ctx, hv_gfn(lo), hi - lo, &info);
}

static int walk_level(struct walk *w, hv_paddr_t table, unsigned int level,
		      uint64_t base)
{
	struct hv_mm_p2m *p2m = w->p2m;
	const struct hv_mm_p2m_geom *g = &p2m->geom[level];
	const uint64_t *slots = p2m_table(p2m, table);
	uint64_t span = p2m_span(p2m, level);
	uint64_t gfn = hv_max_u64(w->first, base);
	uint64_t end = hv_min_u64(
	    w->end, base + (UINT64_C(1) << (g->bits + g->span_shift)));

	while (gfn < end) {
		uint64_t eg = gfn & ~(span - 1);
		struct hv_mm_p2m_pte pte;
		int rc = 0;

		gfn = eg + span;
		pte_decode(p2m, pte_read(&slots[p2m_index(p2m, level, eg)]),
			   level, &pte);
		if (pte.kind == HV_MM_PTE_LEAF)
			rc = walk_leaf(w, &pte, level, eg);
		else if (pte.kind == HV_MM_PTE_TABLE &&
			 level < p2m_last_level(p2m))
			rc = walk_level(w, pte.addr, level + 1, eg);
		if (rc)
			return rc;
	}
	return 0;
}

int hv_mm_p2m_walk(struct hv_mm_p2m *p2m, hv_gfn_t gfn, uint64_t nr,
		   hv_mm_p2m_visit_fn visit, void *ctx)
{
	struct walk w = {p2m, hv_gfn_x(gfn), hv_gfn_x(gfn) + nr, visit, ctx};
	int rc;

	if (!visit || nr > p2m->gfn_limit ||
	    hv_gfn_x(gfn) > p2m->gfn_limit - nr)
		return -HV_EINVAL;
	hv_spin_lock(&p2m->lock);
	rc = walk_level(&w, p2m->root, 0, 0);
	hv_spin_unlock(&p2m->lock);
	return rc;
}
