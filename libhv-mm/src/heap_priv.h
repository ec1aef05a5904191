/*
 * The page allocator's private interface, shared by heap.c, buddy.c,
 * alloc.c, scrub.c and domain.c.
 */
#ifndef HV_MM_HEAP_PRIV_H
#define HV_MM_HEAP_PRIV_H

#include <hv/mm_heap.h>

enum frame_state {
	FRAME_RESERVED = 0, /* never given to the heap */
	FRAME_FREE,	    /* inside a free block */
	FRAME_FREE_HEAD,    /* first frame of a free block, on a free list */
	FRAME_SCRUBBING,    /* first frame of a free block being scrubbed */
	FRAME_ALLOCATED,
};

/*
 * One machine frame in a node's frame table (Xen's page_info).
 * Invariants: a free block's frames are all FRAME_FREE but its first, whose
 * order and first_dirty describe the block; a free frame is `dirty` until
 * zeroed, and node->dirty_pages counts the dirty free frames exactly; an
 * allocated frame has refs >= 1.
 */
struct mm_frame {
	/* FREE_HEAD: on a free list.  ALLOCATED: free for the owner's
	 * bookkeeping (domain.c queues frames to release on it). */
	struct hv_list link;
	union {
		struct hv_mm_account *owner; /* ALLOCATED */
		/* Free head: no frame before this index is dirty (a hint:
		 * frames after it may be clean too). */
		uint64_t first_dirty;
	} u;
	uint32_t refs;
	uint8_t state;
	/* Free head: the block's order.  Queued for release: the block's
	 * order, in its first frame. */
	uint8_t order;
	bool queued; /* ALLOCATED: on a release queue (see heap_queue_owned) */
	bool dirty;  /* free: may hold old contents */
};

HV_STATIC_ASSERT(sizeof(struct mm_frame) == HV_MM_FRAME_BYTES,
		 "HV_MM_FRAME_BYTES is the frame table's stride");

static inline struct mm_frame *node_frame(const struct hv_mm_node *node,
					  uint64_t mfn)
{
	return (struct mm_frame *)node->frames + (mfn - node->base);
}

static inline uint64_t node_mfn(const struct hv_mm_node *node,
				const struct mm_frame *f)
{
	return node->base + (uint64_t)(f - (struct mm_frame *)node->frames);
}

static inline bool node_covers(const struct hv_mm_node *node, uint64_t mfn,
			       uint64_t nr)
{
	return mfn >= node->base && nr <= node->span &&
	       mfn - node->base <= node->span - nr;
}

/* The node whose span holds [mfn, mfn + nr), or NULL. */
struct hv_mm_node *heap_node_of(struct hv_mm_heap *heap, uint64_t mfn,
				uint64_t nr);
/* The frame of mfn (in a node's span), or NULL. */
struct mm_frame *heap_frame(struct hv_mm_heap *heap, uint64_t mfn);

/*
 * Buddy lists; the heap lock is held for all of these.  buddy_free() takes
 * a block of FRAME_FREE frames that is on no list (the first one's state
 * is overwritten), merges it with free buddies and lists it.  buddy_take()
 * unlists the best block for a request and splits it down to `order`; its
 * frames are left FRAME_FREE for the caller to claim.  first_dirty is the
 * block's hint (see struct mm_frame); the frames' own flags and
 * node->dirty_pages are the caller's to keep.
 */
void buddy_free(struct hv_mm_node *node, uint64_t mfn, unsigned int order,
		uint64_t first_dirty);
bool buddy_take(struct hv_mm_node *node, unsigned int order,
		unsigned int zone_max, uint64_t *mfn, uint64_t *first_dirty);
/* Take the free block whose head is f off its list; f keeps its state. */
void buddy_unlink(struct hv_mm_node *node, struct mm_frame *f);

/*
 * Drop a reference from each allocated frame of the aligned block; free
 * (and uncharge) those left with none, as one block if all are.  The lock
 * is held.  clean_ok: frames no account owned need no scrubbing.
 */
void heap_put_frames(struct hv_mm_node *node, uint64_t mfn, unsigned int order,
		     bool clean_ok);

/*
 * Release queues, for frames a domain unmaps that may only be freed after
 * a TLB flush.  heap_queue_owned() queues, on `list`, the frames of
 * [mfn, mfn + nr) charged to `owner` (except frame `skip` and frames
 * already queued), as naturally aligned blocks linked by their first
 * frame; it returns the number of frames queued.  heap_put_queued() drops
 * the allocation reference of every queued frame (freeing those left
 * without references) and returns how many frames it dropped.
 */
uint64_t heap_queue_owned(struct hv_mm_heap *heap,
			  const struct hv_mm_account *owner, uint64_t mfn,
			  uint64_t nr, uint64_t skip, struct hv_list *list);
uint64_t heap_put_queued(struct hv_mm_heap *heap, struct hv_list *list);

/* The first frame past the highest span, 0 with no nodes. */
uint64_t heap_frame_end(struct hv_mm_heap *heap);

/* The largest naturally aligned block at mfn that fits in nr frames, at
 * most HV_MM_MAX_ORDER. */
unsigned int heap_largest_block(uint64_t mfn, uint64_t nr);

/* Zero frames [mfn, mfn + nr); no lock needed, the caller owns them. */
void heap_zero_frames(struct hv_mm_heap *heap, uint64_t mfn, uint64_t nr);

#endif /* HV_MM_HEAP_PRIV_H */
