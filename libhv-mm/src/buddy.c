/*
 * Buddy free lists of one node.
 *
 * A free block of order o at frame m (m aligned to 2^o) is on list
 * free[zone][o], where zone = fls(m + 2^o - 1) is the number of bits of
 * its last frame: every frame of a block in zone z is below 2^z.  Within a
 * list, blocks that may have frames to scrub (first_dirty below their
 * size) are at the tail and clean ones at the head, so allocation takes
 * clean memory first and scrubbing finds dirty memory at once.
 */
#include "heap_priv.h"

static unsigned int block_zone(uint64_t mfn, unsigned int order)
{
	uint64_t last = mfn + (UINT64_C(1) << order) - 1;

	return last ? 64u - (unsigned int)__builtin_clzll(last) : 0;
}

static void list_insert(struct hv_mm_node *node, uint64_t mfn,
			unsigned int order, uint64_t first_dirty)
{
	struct mm_frame *f = node_frame(node, mfn);
	uint64_t size = UINT64_C(1) << order;
	unsigned int zone = block_zone(mfn, order);
	struct hv_list *head = &node->free[zone][order];

	f->state = FRAME_FREE_HEAD;
	f->order = (uint8_t)order;
	f->u.first_dirty = first_dirty;
	if (first_dirty < size)
		hv_list_add_tail(head, &f->link);
	else
		hv_list_add_head(head, &f->link);
	node->nonempty[order] |= UINT64_C(1) << zone;
	node->free_pages += size;
}

void buddy_unlink(struct hv_mm_node *node, struct mm_frame *f)
{
	uint64_t size = UINT64_C(1) << f->order;
	unsigned int zone = block_zone(node_mfn(node, f), f->order);

	hv_list_del(&f->link);
	if (hv_list_empty(&node->free[zone][f->order]))
		node->nonempty[f->order] &= ~(UINT64_C(1) << zone);
	node->free_pages -= size;
}

/* The first-dirty hint of two buddies merged. */
static uint64_t merged_first_dirty(uint64_t lower, uint64_t upper,
				   uint64_t half)
{
	return lower < half ? lower : half + upper;
}

void buddy_free(struct hv_mm_node *node, uint64_t mfn, unsigned int order,
		uint64_t first_dirty)
{
	while (order < HV_MM_MAX_ORDER) {
		uint64_t half = UINT64_C(1) << order;
		uint64_t buddy = mfn ^ half;
		struct mm_frame *b;

		if (!node_covers(node, buddy, half))
			break;
		b = node_frame(node, buddy);
		if (b->state != FRAME_FREE_HEAD || b->order != order)
			break;
		buddy_unlink(node, b);
		/* The higher of the two heads becomes an inner frame. */
		if (buddy < mfn) {
			first_dirty = merged_first_dirty(b->u.first_dirty,
							 first_dirty, half);
			node_frame(node, mfn)->state = FRAME_FREE;
			mfn = buddy;
		} else {
			first_dirty = merged_first_dirty(
			    first_dirty, b->u.first_dirty, half);
			b->state = FRAME_FREE;
		}
		order++;
	}
	list_insert(node, mfn, order, first_dirty);
}

/* Split the block [mfn, 2^from) down to 2^to, freeing the upper halves. */
static void split_block(struct hv_mm_node *node, uint64_t mfn,
			unsigned int from, unsigned int to,
			uint64_t *first_dirty)
{
	while (from > to) {
		uint64_t half = UINT64_C(1) << --from;
		uint64_t upper = *first_dirty > half ? *first_dirty - half : 0;

		list_insert(node, mfn + half, from, upper);
		*first_dirty = hv_min_u64(*first_dirty, half);
	}
}

bool buddy_take(struct hv_mm_node *node, unsigned int order,
		unsigned int zone_max, uint64_t *mfn, uint64_t *first_dirty)
{
	uint64_t zones =
	    zone_max >= 63 ? UINT64_MAX : (UINT64_C(2) << zone_max) - 1;

	for (unsigned int o = order; o <= HV_MM_MAX_ORDER; o++) {
		uint64_t mask = node->nonempty[o] & zones;
		unsigned int zone;
		struct mm_frame *f;

		if (!mask)
			continue;
		zone = 63u - (unsigned int)__builtin_clzll(mask);
		f = hv_list_entry(node->free[zone][o].next, struct mm_frame,
				  link);
		buddy_unlink(node, f);
		f->state = FRAME_FREE;
		*mfn = node_mfn(node, f);
		*first_dirty = f->u.first_dirty;
		split_block(node, *mfn, o, order, first_dirty);
		return true;
	}
	return false;
}
