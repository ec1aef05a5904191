/*
 * P2M lifetime, tables, lookups and statistics.
 */
#include <hv/error.h>
#include <hv/string.h>

#include "p2m_priv.h"

static void p2m_init_geometry(struct hv_mm_p2m *p2m, unsigned int max_order)
{
	const struct hv_mm_p2m_format *fmt = p2m->fmt;

	for (unsigned int l = 0; l < fmt->levels; l++) {
		struct hv_mm_p2m_geom *g = &p2m->geom[l];
		unsigned int table_bytes_log2 = fmt->bits[l] + 3u;

		g->span_shift = (uint8_t)(fmt->shift[l] - HV_PAGE_SHIFT);
		g->bits = fmt->bits[l];
		g->order = (uint8_t)(table_bytes_log2 > HV_PAGE_SHIFT
					 ? table_bytes_log2 - HV_PAGE_SHIFT
					 : 0);
		g->leaf = (fmt->leaf_levels & (1u << l)) &&
			  g->span_shift <= max_order;
	}
	p2m->gfn_limit = UINT64_C(1)
			 << (fmt->shift[0] + fmt->bits[0] - HV_PAGE_SHIFT);
}

int p2m_table_alloc(struct hv_mm_p2m *p2m, unsigned int level, hv_paddr_t *pa)
{
	unsigned int order = p2m->geom[level].order;
	int rc = p2m->ops->alloc_table(p2m->ctx, order, pa);

	if (rc)
		return rc < 0 ? rc : -HV_ENOMEM;
	memset(p2m_table(p2m, *pa), 0, (size_t)HV_PAGE_SIZE << order);
	p2m_stat_add(&p2m->stats.tables, 1);
	return 0;
}

void p2m_table_free(struct hv_mm_p2m *p2m, hv_paddr_t pa, unsigned int order)
{
	p2m->ops->free_table(p2m->ctx, pa, order);
	p2m_stat_add(&p2m->stats.tables, -1);
}

int hv_mm_p2m_init(struct hv_mm_p2m *p2m, const struct hv_mm_p2m_format *fmt,
		   const struct hv_mm_p2m_ops *ops, void *ctx,
		   unsigned int max_order)
{
	int rc = hv_mm_p2m_format_check(fmt);

	if (rc)
		return rc;
	if (!ops || !ops->alloc_table || !ops->free_table ||
	    !ops->phys_to_virt || !ops->flush_tlb)
		return -HV_EINVAL;
	memset(p2m, 0, sizeof(*p2m));
	p2m->fmt = fmt;
	p2m->ops = ops;
	p2m->ctx = ctx;
	hv_spin_init(&p2m->lock);
	p2m_init_geometry(p2m, max_order);
	return p2m_table_alloc(p2m, 0, &p2m->root);
}

static void p2m_free_tree(struct hv_mm_p2m *p2m, hv_paddr_t table,
			  unsigned int level)
{
	uint64_t *slots = p2m_table(p2m, table);
	uint64_t n = UINT64_C(1) << p2m->geom[level].bits;

	for (uint64_t i = 0; level < p2m_last_level(p2m) && i < n; i++) {
		struct hv_mm_p2m_pte pte;

		pte_decode(p2m, pte_read(&slots[i]), level, &pte);
		if (pte.kind == HV_MM_PTE_TABLE)
			p2m_free_tree(p2m, pte.addr, level + 1);
	}
	p2m_table_free(p2m, table, p2m->geom[level].order);
}

void hv_mm_p2m_destroy(struct hv_mm_p2m *p2m)
{
	hv_spin_lock(&p2m->lock);
	if (p2m->active) {
		p2m->ops->flush_tlb(p2m->ctx, hv_gfn(0), p2m->gfn_limit);
		p2m_stat_add(&p2m->stats.flushes, 1);
	}
	p2m_free_tree(p2m, p2m->root, 0);
	p2m->root = 0;
	hv_spin_unlock(&p2m->lock);
}

void hv_mm_p2m_activate(struct hv_mm_p2m *p2m)
{
	hv_spin_lock(&p2m->lock);
	p2m->active = true;
	hv_spin_unlock(&p2m->lock);
}

hv_paddr_t hv_mm_p2m_root(const struct hv_mm_p2m *p2m)
{
	return p2m->root;
}

uint64_t hv_mm_p2m_gfn_limit(const struct hv_mm_p2m *p2m)
{
	return p2m->gfn_limit;
}

uint64_t hv_mm_p2m_max_mapped_gfn(struct hv_mm_p2m *p2m)
{
	uint64_t gfn;

	hv_spin_lock(&p2m->lock);
	gfn = p2m->max_mapped_gfn;
	hv_spin_unlock(&p2m->lock);
	return gfn;
}

uint64_t hv_mm_p2m_generation(const struct hv_mm_p2m *p2m)
{
	return hv_atomic_load_u64(&p2m->generation);
}

void hv_mm_p2m_get_stats(struct hv_mm_p2m *p2m, struct hv_mm_p2m_stats *out)
{
	out->tables = hv_atomic_load_u64(&p2m->stats.tables);
	out->flushes = hv_atomic_load_u64(&p2m->stats.flushes);
	out->flush_requests = hv_atomic_load_u64(&p2m->stats.flush_requests);
	out->splits = hv_atomic_load_u64(&p2m->stats.splits);
	out->merges = hv_atomic_load_u64(&p2m->stats.merges);
}

void p2m_info_from_pte(const struct hv_mm_p2m *p2m,
		       const struct hv_mm_p2m_pte *pte, unsigned int level,
		       uint64_t gfn, struct hv_mm_p2m_info *info)
{
	uint64_t offset = gfn & (p2m_span(p2m, level) - 1);

	info->level = level;
	info->order = p2m->geom[level].span_shift;
	if (pte->kind != HV_MM_PTE_LEAF) {
		info->type = HV_MM_P2M_INVALID;
		info->access = 0;
		info->mfn = hv_mfn(HV_INVALID_FRAME);
		return;
	}
	info->type = pte->type;
	info->access = pte->access;
	info->mfn = hv_mm_p2m_type_has_frame(pte->type)
			? hv_mfn((pte->addr >> HV_PAGE_SHIFT) + offset)
			: hv_mfn(HV_INVALID_FRAME);
}

void p2m_lookup_locked(struct hv_mm_p2m *p2m, uint64_t gfn,
		       struct hv_mm_p2m_info *info)
{
	uint64_t *table = p2m_table(p2m, p2m->root);

	for (unsigned int level = 0;; level++) {
		uint64_t e = pte_read(&table[p2m_index(p2m, level, gfn)]);
		struct hv_mm_p2m_pte pte;

		if (level < p2m_last_level(p2m) && pte_is_table_fast(p2m, e)) {
			table = p2m_table(p2m, e & p2m->fmt->addr_mask);
			continue;
		}
		pte_decode(p2m, e, level, &pte);
		if (pte.kind == HV_MM_PTE_TABLE &&
		    level < p2m_last_level(p2m)) {
			table = p2m_table(p2m, pte.addr);
			continue;
		}
		p2m_info_from_pte(p2m, &pte, level, gfn, info);
		return;
	}
}

int hv_mm_p2m_lookup(struct hv_mm_p2m *p2m, hv_gfn_t gfn,
		     struct hv_mm_p2m_info *info)
{
	if (hv_gfn_x(gfn) >= p2m->gfn_limit)
		return -HV_EINVAL;
	hv_spin_lock(&p2m->lock);
	p2m_lookup_locked(p2m, hv_gfn_x(gfn), info);
	hv_spin_unlock(&p2m->lock);
	return 0;
}
