/*
 * Batched TLB invalidation.
 *
 * A batch collects the guest range whose translations changed and the
 * tables it detached.  Nothing is flushed per entry: hv_mm_p2m_batch_end()
 * flushes once, then frees the detached tables, which the hardware may have
 * been walking until that flush.  Until then a detached table is chained to
 * the next through its first entry, written as an address with bit 0 clear:
 * a walker that still reaches the table reads it as not present (see
 * <hv/mm_impl.h>), while the other entries keep their old translations.
 * Bits 1..10 of that link hold the table's order.
 */
#include "p2m_priv.h"

#define RETIRED_ORDER_SHIFT 1
#define RETIRED_ORDER_MASK  UINT64_C(0x7fe)

void hv_mm_p2m_batch_begin(struct hv_mm_p2m_batch *batch, struct hv_mm_p2m *p2m,
			   hv_mm_p2m_removed_fn removed, void *ctx)
{
	batch->p2m = p2m;
	batch->removed = removed;
	batch->removed_ctx = ctx;
	batch->flush_first = UINT64_MAX;
	batch->flush_end = 0;
	batch->flush_requests = 0;
	batch->retired = 0;
}

struct hv_mm_p2m_batch *p2m_batch_or_local(struct hv_mm_p2m *p2m,
					   struct hv_mm_p2m_batch *batch,
					   struct hv_mm_p2m_batch *local)
{
	if (batch)
		return batch;
	hv_mm_p2m_batch_begin(local, p2m, NULL, NULL);
	return local;
}

void p2m_batch_need_flush(struct hv_mm_p2m_batch *b, uint64_t first,
			  uint64_t nr)
{
	if (!b->p2m->active)
		return;
	b->flush_requests++;
	b->flush_first = hv_min_u64(b->flush_first, first);
	b->flush_end = hv_max_u64(b->flush_end, first + nr);
}

void p2m_flush_now(struct hv_mm_p2m *p2m, uint64_t first, uint64_t nr)
{
	p2m->ops->flush_tlb(p2m->ctx, hv_gfn(first), nr);
	p2m_stat_add(&p2m->stats.flushes, 1);
	p2m_stat_add(&p2m->stats.flush_requests, 1);
}

void p2m_replace_valid(struct hv_mm_p2m_batch *b, uint64_t *slot,
		       uint64_t value, uint64_t first, uint64_t nr)
{
	struct hv_mm_p2m *p2m = b->p2m;

	if (p2m->fmt->break_before_make && p2m->active && value != 0) {
		pte_write(slot, 0);
		p2m_flush_now(p2m, first, nr);
	}
	pte_write(slot, value);
}

void p2m_batch_retire(struct hv_mm_p2m_batch *b, hv_paddr_t table,
		      unsigned int order)
{
	struct hv_mm_p2m *p2m = b->p2m;

	if (!p2m->active) {
		p2m_table_free(p2m, table, order);
		return;
	}
	pte_write(p2m_table(p2m, table),
		  b->retired | ((uint64_t)order << RETIRED_ORDER_SHIFT));
	b->retired = table;
}

void hv_mm_p2m_batch_end(struct hv_mm_p2m_batch *batch)
{
	struct hv_mm_p2m *p2m = batch->p2m;
	hv_paddr_t table = batch->retired;

	if (batch->flush_end > batch->flush_first) {
		p2m->ops->flush_tlb(p2m->ctx, hv_gfn(batch->flush_first),
				    batch->flush_end - batch->flush_first);
		p2m_stat_add(&p2m->stats.flushes, 1);
		p2m_stat_add(&p2m->stats.flush_requests,
			     (int64_t)batch->flush_requests);
	}
	while (table) {
		uint64_t link = pte_read(p2m_table(p2m, table));
		unsigned int order =
		    (unsigned int)((link & RETIRED_ORDER_MASK) >>
				   RETIRED_ORDER_SHIFT);

		p2m_table_free(p2m, table, order);
		table = link & ~(HV_PAGE_SIZE - 1);
	}
	batch->flush_first = UINT64_MAX;
	batch->flush_end = 0;
	batch->flush_requests = 0;
	batch->retired = 0;
}
