/*
 * Deferred scrubbing of free memory, in batches.
 *
 * A block that may hold dirty frames is taken off its list (its head
 * marked FRAME_SCRUBBING so no buddy merges with it), its dirty frames are
 * zeroed without the heap lock, and it goes back with its first-dirty hint
 * moved past what was done.  A block larger than the budget is zeroed over
 * several calls; frames already clean are skipped, never zeroed twice.
 */
#include "heap_priv.h"

/* Find a block that may be dirty on `node`, take it off its list; the
 * lock is held. */
static struct mm_frame *take_dirty(struct hv_mm_node *node)
{
	for (unsigned int o = HV_MM_MAX_ORDER + 1; o-- > 0;) {
		uint64_t mask = node->nonempty[o];

		while (mask) {
			unsigned int zone =
			    63u - (unsigned int)__builtin_clzll(mask);
			struct mm_frame *f = hv_list_entry(
			    node->free[zone][o].prev, struct mm_frame, link);

			mask &= ~(UINT64_C(1) << zone);
			/* Blocks that may be dirty sit at each list's tail. */
			if (f->u.first_dirty >= (UINT64_C(1) << o))
				continue;
			buddy_unlink(node, f);
			f->state = FRAME_SCRUBBING;
			return f;
		}
	}
	return NULL;
}

/*
 * Zero up to budget dirty frames of one block of `node`, adding them to
 * *done; false if no block may be dirty.
 */
static bool scrub_one(struct hv_mm_heap *heap, struct hv_mm_node *node,
		      uint64_t budget, uint64_t *done)
{
	uint64_t mfn, size, i, zeroed = 0;
	struct mm_frame *f;
	unsigned int order;

	hv_spin_lock(&heap->lock);
	f = take_dirty(node);
	hv_spin_unlock(&heap->lock);
	if (!f)
		return false;
	mfn = node_mfn(node, f);
	order = f->order;
	size = UINT64_C(1) << order;
	for (i = f->u.first_dirty; i < size && zeroed < budget; i++) {
		struct mm_frame *p = node_frame(node, mfn + i);

		if (!p->dirty)
			continue;
		heap_zero_frames(heap, mfn + i, 1);
		p->dirty = false;
		zeroed++;
	}
	hv_spin_lock(&heap->lock);
	node->dirty_pages -= zeroed;
	buddy_free(node, mfn, order, i);
	hv_spin_unlock(&heap->lock);
	*done += zeroed;
	return true;
}

uint64_t hv_mm_scrub(struct hv_mm_heap *heap, unsigned int node,
		     uint64_t budget)
{
	uint64_t done = 0;

	for (unsigned int i = 0; i < heap->nr_nodes && done < budget; i++) {
		struct hv_mm_node *n = &heap->nodes[i];
		bool more = n->span && (node == HV_MM_NODE_ANY || node == i);

		while (more && done < budget)
			more = scrub_one(heap, n, budget - done, &done);
	}
	return done;
}
