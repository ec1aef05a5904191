/*
 * hv/mm_heap.h - the machine page allocator: a buddy allocator per NUMA
 * node, with deferred scrubbing and per-domain accounting.
 *
 * The caller describes the machine: one hv_mm_node per NUMA node, each
 * covering a span of machine frames and owning a frame table (caller
 * memory, HV_MM_FRAME_BYTES per frame, like Xen's frame table).  It then
 * hands the heap the RAM that is free (RAM ranges minus reserved regions);
 * everything else in a span stays reserved and is never allocated.
 *
 * Blocks are naturally aligned powers of two up to HV_MM_MAX_ORDER (1 GiB),
 * so an order-9 or order-18 allocation is a ready 2 MiB or 1 GiB superpage.
 * Within a node, free blocks are kept per address zone (zone z: every frame
 * below 2^z), so a request limited to low addresses is served from low
 * memory, and other requests take the highest zone first, as Xen does.
 *
 * Scrubbing: freed frames may hold another domain's secrets, so they are
 * not handed out again before being zeroed.  Freeing only marks a block
 * dirty; hv_mm_scrub() zeroes dirty free memory in batches (from an idle
 * loop, as Xen does at boot and when idle), and an allocation that finds
 * only dirty memory scrubs what it takes before returning it.  Memory the
 * caller adds at boot counts as dirty unless it says it is zeroed.
 *
 * Ownership: an allocation may be charged to an account (a domain), which
 * has a limit.  Each allocated frame has a reference count, 1 on
 * allocation; hv_mm_get_page() takes more (a grant mapping keeps a foreign
 * frame alive), hv_mm_put_pages() drops them, and a frame whose count
 * reaches zero is freed and uncharged.
 *
 * Locking: one lock per heap, taken by every function; scrubbing and
 * zeroing happen outside it.  Errors: -HV_EINVAL (bad arguments, nothing
 * changed), -HV_ENOMEM (no free block fits), -HV_E2BIG (the account's
 * limit, as Xen's assign_pages() says).
 */
#ifndef HV_MM_HEAP_H
#define HV_MM_HEAP_H

#include <hv/list.h>
#include <hv/spinlock.h>
#include <hv/types.h>

HV_BEGIN_DECLS

/* Largest block: 2^18 frames, 1 GiB. */
#define HV_MM_MAX_ORDER 18u
/* Frames are below 2^40 (52-bit machine addresses); zones 0 .. 40. */
#define HV_MM_FRAME_BITS 40u
#define HV_MM_ZONES	 (HV_MM_FRAME_BITS + 1u)
/* Frame-table bytes per machine frame. */
#define HV_MM_FRAME_BYTES 32u
/* Most nodes a heap takes. */
#define HV_MM_MAX_NODES 64u
/* Any node will do. */
#define HV_MM_NODE_ANY 0xffffffffu

/* A domain's memory: pages charged now and the most it may have. */
struct hv_mm_account {
	hv_domid_t domid;
	uint64_t tot_pages; /* read with the heap lock, or as a hint */
	uint64_t max_pages;
};

/* Members are private; the definition is here so callers can place it. */
struct hv_mm_node {
	uint64_t base; /* first frame of the span */
	uint64_t span; /* frames in the span */
	void *frames;  /* frame table: span * HV_MM_FRAME_BYTES bytes */
	uint64_t total_pages;
	uint64_t free_pages;
	uint64_t dirty_pages;
	/* Bit z of nonempty[o]: free[z][o] has a block. */
	uint64_t nonempty[HV_MM_MAX_ORDER + 1];
	struct hv_list free[HV_MM_ZONES][HV_MM_MAX_ORDER + 1];
};

/* Members are private. */
struct hv_mm_heap {
	hv_spinlock_t lock;
	struct hv_mm_node *nodes;
	unsigned int nr_nodes;
	void *(*phys_to_virt)(void *ctx, hv_paddr_t pa);
	void *ctx;
};

/*
 * Start a heap over caller-owned nodes (nr_nodes <= HV_MM_MAX_NODES, each
 * still to be set up with hv_mm_heap_node_init()).  phys_to_virt gives the
 * hypervisor's pointer to a machine address (used to scrub).
 * 0 or -HV_EINVAL.
 */
int hv_mm_heap_init(struct hv_mm_heap *heap, struct hv_mm_node *nodes,
		    unsigned int nr_nodes,
		    void *(*phys_to_virt)(void *ctx, hv_paddr_t pa), void *ctx);
/* Frame-table bytes needed for a span of nr frames. */
uint64_t hv_mm_frame_table_bytes(uint64_t nr);
/*
 * Describe node `node`: frames [base, base + span), with a frame table of
 * table_bytes (>= hv_mm_frame_table_bytes(span), 8-byte aligned) that the
 * heap clears and then owns.  Spans of different nodes must not overlap.
 * 0 or -HV_EINVAL.
 */
int hv_mm_heap_node_init(struct hv_mm_heap *heap, unsigned int node,
			 hv_mfn_t base, uint64_t span, void *frame_table,
			 size_t table_bytes);

/* hv_mm_heap_add: the range is known to be zeroed (no scrub needed). */
#define HV_MM_ADD_CLEAN 0x1u

/*
 * Give free RAM [start, start + nr) to the heap.  It must lie in one node's
 * span and not have been added before: else -HV_EINVAL, nothing added.
 */
int hv_mm_heap_add(struct hv_mm_heap *heap, hv_mfn_t start, uint64_t nr,
		   unsigned int flags);

/*
 * Give the heap every whole frame of RAM range `ram` that none of the
 * nr_holes ranges in `holes` touches (a hole takes every frame it
 * overlaps): a boot's RAM minus what is in use (the image, firmware
 * tables, boot modules).  0, or hv_mm_heap_add()'s -HV_EINVAL (the frames
 * given before it stay given).
 */
int hv_mm_heap_add_range(struct hv_mm_heap *heap, struct hv_mem_range ram,
			 const struct hv_mem_range *holes,
			 unsigned int nr_holes, unsigned int flags);

/* Allocation flags. */
#define HV_MM_ALLOC_EXACT_NODE 0x1u /* only from the node asked for */
#define HV_MM_ALLOC_NO_SCRUB   0x2u /* the caller overwrites the contents */
/* Every frame below 2^bits bytes (bits 13..52; 0: no limit). */
#define HV_MM_ALLOC_ADDR_BITS(bits) ((unsigned int)(bits) << 8)

/*
 * Allocate 2^order contiguous frames aligned to their size, preferably on
 * `node` (HV_MM_NODE_ANY: any), charged to `account` (NULL: the
 * hypervisor's own).  Contents are zero unless HV_MM_ALLOC_NO_SCRUB.
 * 0 and *mfn; -HV_EINVAL (order > HV_MM_MAX_ORDER, bad node or address
 * bits), -HV_E2BIG (the account would pass max_pages), -HV_ENOMEM.
 */
int hv_mm_alloc_pages(struct hv_mm_heap *heap, unsigned int order,
		      unsigned int node, unsigned int flags,
		      struct hv_mm_account *account, hv_mfn_t *mfn);

/*
 * Take one more reference on an allocated frame, which must be charged to
 * `owner` (NULL: any owner).  -HV_EINVAL (not an allocated frame),
 * -HV_EPERM (another owner), -HV_EOVERFLOW (the count is full).
 */
int hv_mm_get_page(struct hv_mm_heap *heap, hv_mfn_t mfn,
		   const struct hv_mm_account *owner);

/* hv_mm_put_pages: frames the hypervisor owned hold nothing secret. */
#define HV_MM_PUT_CLEAN 0x1u

/*
 * Drop one reference from each of the 2^order frames at mfn; frames that
 * reach zero are freed (as one block when all of them do) and uncharged.
 * Frames charged to an account are always scrubbed before reuse;
 * HV_MM_PUT_CLEAN spares the hypervisor's own.  -HV_EINVAL (nothing
 * changed) if a frame is not allocated, mfn is not aligned to the order,
 * or order or flags are bad.
 */
int hv_mm_put_pages(struct hv_mm_heap *heap, hv_mfn_t mfn, unsigned int order,
		    unsigned int flags);

/* What the heap knows of one frame. */
struct hv_mm_page_info {
	bool allocated;
	struct hv_mm_account *owner; /* allocated: charged to; NULL: none */
	uint32_t refs;		     /* allocated: references */
	unsigned int node;
};

/* 0 and *info, or -HV_EINVAL for a frame outside every node's span. */
int hv_mm_page_query(struct hv_mm_heap *heap, hv_mfn_t mfn,
		     struct hv_mm_page_info *info);

/*
 * Zero up to `budget` frames of dirty free memory on `node`
 * (HV_MM_NODE_ANY: every node); returns how many were zeroed.  Call it
 * from idle time; 0 means nothing is left to scrub.
 */
uint64_t hv_mm_scrub(struct hv_mm_heap *heap, unsigned int node,
		     uint64_t budget);

/* A heap's (or one node's) pages now (hv_mm_heap_get_stats). */
struct hv_mm_heap_stats {
	uint64_t total_pages; /* given to the heap */
	uint64_t free_pages;  /* free, dirty included */
	uint64_t dirty_pages; /* free but not yet scrubbed */
	uint64_t free_blocks[HV_MM_MAX_ORDER + 1]; /* free blocks per order */
};

/* Statistics of `node`, or of all nodes (HV_MM_NODE_ANY); -HV_EINVAL. */
int hv_mm_heap_get_stats(struct hv_mm_heap *heap, unsigned int node,
			 struct hv_mm_heap_stats *out);

/* An account for domain `domid` with nothing charged, allowed at most
 * max_pages pages. */
void hv_mm_account_init(struct hv_mm_account *account, hv_domid_t domid,
			uint64_t max_pages);
/* Change the limit; pages already charged stay (Xen's max_mem). */
void hv_mm_account_set_max(struct hv_mm_heap *heap,
			   struct hv_mm_account *account, uint64_t max_pages);
/* Pages charged now. */
uint64_t hv_mm_account_pages(struct hv_mm_heap *heap,
			     const struct hv_mm_account *account);

HV_END_DECLS

#endif /* HV_MM_HEAP_H */
