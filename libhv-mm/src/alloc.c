/*
 * Allocating and releasing frames: accounting and reference counts.
 */
#include <hv/error.h>

#include "heap_priv.h"

#define ALLOC_FLAGS (HV_MM_ALLOC_EXACT_NODE | HV_MM_ALLOC_NO_SCRUB | 0xff00u)

/* The highest zone a request may use, or -1 for bad address bits. */
static int alloc_zone_max(unsigned int flags)
{
	unsigned int bits = (flags >> 8) & 0xffu;

	if (bits == 0)
		return (int)HV_MM_FRAME_BITS;
	if (bits <= HV_PAGE_SHIFT || bits > HV_MM_FRAME_BITS + HV_PAGE_SHIFT)
		return -1;
	return (int)(bits - HV_PAGE_SHIFT);
}

/* Take a block from `node` first, then the others in turn (unless
 * exact).  The heap lock is held. */
static struct hv_mm_node *take_block(struct hv_mm_heap *heap,
				     unsigned int order, unsigned int node,
				     unsigned int flags, unsigned int zone_max,
				     uint64_t *mfn, uint64_t *first_dirty)
{
	unsigned int first = node == HV_MM_NODE_ANY ? 0 : node;
	unsigned int tries =
	    (node != HV_MM_NODE_ANY && (flags & HV_MM_ALLOC_EXACT_NODE))
		? 1
		: heap->nr_nodes;

	for (unsigned int i = 0; i < tries; i++) {
		struct hv_mm_node *n =
		    &heap->nodes[(first + i) % heap->nr_nodes];

		if (n->span && buddy_take(n, order, zone_max, mfn, first_dirty))
			return n;
	}
	return NULL;
}

/* Make a taken block's frames the caller's; they keep their dirty flags
 * (cleared in zero_claimed) unless the caller takes them as they are. */
static void claim_frames(struct hv_mm_node *node, uint64_t mfn, uint64_t nr,
			 struct hv_mm_account *account, bool keep_dirty)
{
	for (uint64_t i = 0; i < nr; i++) {
		struct mm_frame *f = node_frame(node, mfn + i);

		node->dirty_pages -= f->dirty;
		f->dirty &= keep_dirty;
		hv_list_init(&f->link);
		f->state = FRAME_ALLOCATED;
		f->u.owner = account;
		f->refs = 1;
		f->order = 0;
		f->queued = false;
	}
}

/* Zero the dirty frames of a claimed block, from its first dirty one.  The
 * frames are the caller's alone: no lock. */
static void zero_claimed(struct hv_mm_heap *heap, struct hv_mm_node *node,
			 uint64_t mfn, uint64_t nr, uint64_t first_dirty)
{
	for (uint64_t i = first_dirty; i < nr; i++) {
		struct mm_frame *f = node_frame(node, mfn + i);

		if (f->dirty) {
			heap_zero_frames(heap, mfn + i, 1);
			f->dirty = false;
		}
	}
}

static bool over_limit(const struct hv_mm_account *account, uint64_t nr)
{
	return account && (account->tot_pages > account->max_pages ||
			   nr > account->max_pages - account->tot_pages);
}

int hv_mm_alloc_pages(struct hv_mm_heap *heap, unsigned int order,
		      unsigned int node, unsigned int flags,
		      struct hv_mm_account *account, hv_mfn_t *mfn)
{
	int zone_max = alloc_zone_max(flags);
	uint64_t nr = UINT64_C(1) << order, first, first_dirty;
	bool zero = !(flags & HV_MM_ALLOC_NO_SCRUB);
	struct hv_mm_node *from;

	if (order > HV_MM_MAX_ORDER || zone_max < 0 || (flags & ~ALLOC_FLAGS) ||
	    (node != HV_MM_NODE_ANY && node >= heap->nr_nodes))
		return -HV_EINVAL;
	hv_spin_lock(&heap->lock);
	if (over_limit(account, nr)) {
		hv_spin_unlock(&heap->lock);
		return -HV_E2BIG;
	}
	from = take_block(heap, order, node, flags, (unsigned int)zone_max,
			  &first, &first_dirty);
	if (!from) {
		hv_spin_unlock(&heap->lock);
		return -HV_ENOMEM;
	}
	claim_frames(from, first, nr, account, zero);
	if (account)
		account->tot_pages += nr;
	hv_spin_unlock(&heap->lock);
	if (zero)
		zero_claimed(heap, from, first, nr, first_dirty);
	*mfn = hv_mfn(first);
	return 0;
}

int hv_mm_get_page(struct hv_mm_heap *heap, hv_mfn_t mfn,
		   const struct hv_mm_account *owner)
{
	struct mm_frame *f;
	int rc = 0;

	hv_spin_lock(&heap->lock);
	f = heap_frame(heap, hv_mfn_x(mfn));
	if (!f || f->state != FRAME_ALLOCATED)
		rc = -HV_EINVAL;
	else if (owner && f->u.owner != owner)
		rc = -HV_EPERM;
	else if (f->refs == UINT32_MAX)
		rc = -HV_EOVERFLOW;
	else
		f->refs++;
	hv_spin_unlock(&heap->lock);
	return rc;
}

/* A frame whose last reference went: uncharge it and mark it free, dirty
 * unless nobody's secrets can be in it.  Returns whether it is dirty. */
static bool release_frame(struct hv_mm_node *node, struct mm_frame *f,
			  bool clean_ok)
{
	bool charged = f->u.owner != NULL;

	if (charged)
		f->u.owner->tot_pages--;
	f->state = FRAME_FREE;
	f->dirty = charged || !clean_ok;
	node->dirty_pages += f->dirty;
	return f->dirty;
}

static bool frames_allocated(const struct hv_mm_node *node, uint64_t mfn,
			     uint64_t nr)
{
	for (uint64_t i = 0; i < nr; i++)
		if (node_frame(node, mfn + i)->state != FRAME_ALLOCATED)
			return false;
	return true;
}

void heap_put_frames(struct hv_mm_node *node, uint64_t mfn, unsigned int order,
		     bool clean_ok)
{
	uint64_t nr = UINT64_C(1) << order, gone = 0, first_dirty = nr;

	for (uint64_t i = 0; i < nr; i++)
		gone += --node_frame(node, mfn + i)->refs == 0;
	if (gone == nr) {
		for (uint64_t i = nr; i-- > 0;)
			if (release_frame(node, node_frame(node, mfn + i),
					  clean_ok))
				first_dirty = i;
		buddy_free(node, mfn, order, first_dirty);
		return;
	}
	for (uint64_t i = 0; gone && i < nr; i++) {
		struct mm_frame *f = node_frame(node, mfn + i);

		if (f->refs)
			continue;
		buddy_free(node, mfn + i, 0,
			   release_frame(node, f, clean_ok) ? 0 : 1);
		gone--;
	}
}

int hv_mm_put_pages(struct hv_mm_heap *heap, hv_mfn_t mfn, unsigned int order,
		    unsigned int flags)
{
	uint64_t first = hv_mfn_x(mfn);
	struct hv_mm_node *node;

	if (order > HV_MM_MAX_ORDER || (flags & ~HV_MM_PUT_CLEAN) ||
	    (first & ((UINT64_C(1) << order) - 1)))
		return -HV_EINVAL;
	hv_spin_lock(&heap->lock);
	node = heap_node_of(heap, first, UINT64_C(1) << order);
	if (!node || !frames_allocated(node, first, UINT64_C(1) << order)) {
		hv_spin_unlock(&heap->lock);
		return -HV_EINVAL;
	}
	heap_put_frames(node, first, order, flags & HV_MM_PUT_CLEAN);
	hv_spin_unlock(&heap->lock);
	return 0;
}
