/*
 * The heap's nodes, the memory given to it, and what it reports.
 */
#include <hv/error.h>
#include <hv/string.h>

#include "heap_priv.h"

struct hv_mm_node *heap_node_of(struct hv_mm_heap *heap, uint64_t mfn,
				uint64_t nr)
{
	for (unsigned int i = 0; i < heap->nr_nodes; i++)
		if (heap->nodes[i].span &&
		    node_covers(&heap->nodes[i], mfn, nr))
			return &heap->nodes[i];
	return NULL;
}

struct mm_frame *heap_frame(struct hv_mm_heap *heap, uint64_t mfn)
{
	struct hv_mm_node *node = heap_node_of(heap, mfn, 1);

	return node ? node_frame(node, mfn) : NULL;
}

void heap_zero_frames(struct hv_mm_heap *heap, uint64_t mfn, uint64_t nr)
{
	for (uint64_t i = 0; i < nr; i++)
		memset(
		    heap->phys_to_virt(heap->ctx, (mfn + i) << HV_PAGE_SHIFT),
		    0, (size_t)HV_PAGE_SIZE);
}

static void node_reset(struct hv_mm_node *node)
{
	memset(node, 0, sizeof(*node));
	for (unsigned int z = 0; z < HV_MM_ZONES; z++)
		for (unsigned int o = 0; o <= HV_MM_MAX_ORDER; o++)
			hv_list_init(&node->free[z][o]);
}

int hv_mm_heap_init(struct hv_mm_heap *heap, struct hv_mm_node *nodes,
		    unsigned int nr_nodes,
		    void *(*phys_to_virt)(void *ctx, hv_paddr_t pa), void *ctx)
{
	if (!nodes || nr_nodes == 0 || nr_nodes > HV_MM_MAX_NODES ||
	    !phys_to_virt)
		return -HV_EINVAL;
	hv_spin_init(&heap->lock);
	heap->nodes = nodes;
	heap->nr_nodes = nr_nodes;
	heap->phys_to_virt = phys_to_virt;
	heap->ctx = ctx;
	for (unsigned int i = 0; i < nr_nodes; i++)
		node_reset(&nodes[i]);
	return 0;
}

uint64_t hv_mm_frame_table_bytes(uint64_t nr)
{
	return nr * HV_MM_FRAME_BYTES;
}

static bool spans_overlap(const struct hv_mm_node *a, uint64_t base,
			  uint64_t span)
{
	return a->span && base < a->base + a->span && a->base < base + span;
}

int hv_mm_heap_node_init(struct hv_mm_heap *heap, unsigned int node,
			 hv_mfn_t base, uint64_t span, void *frame_table,
			 size_t table_bytes)
{
	uint64_t first = hv_mfn_x(base);
	int rc = 0;

	if (node >= heap->nr_nodes || span == 0 || !frame_table ||
	    ((uintptr_t)frame_table & 7) ||
	    span > (UINT64_C(1) << HV_MM_FRAME_BITS) ||
	    first > (UINT64_C(1) << HV_MM_FRAME_BITS) - span ||
	    table_bytes < hv_mm_frame_table_bytes(span))
		return -HV_EINVAL;
	hv_spin_lock(&heap->lock);
	for (unsigned int i = 0; i < heap->nr_nodes; i++)
		if (spans_overlap(&heap->nodes[i], first, span))
			rc = -HV_EINVAL;
	if (!rc) {
		struct hv_mm_node *n = &heap->nodes[node];

		memset(frame_table, 0, (size_t)hv_mm_frame_table_bytes(span));
		n->base = first;
		n->span = span;
		n->frames = frame_table;
	}
	hv_spin_unlock(&heap->lock);
	return rc;
}

unsigned int heap_largest_block(uint64_t mfn, uint64_t nr)
{
	unsigned int align = mfn ? (unsigned int)__builtin_ctzll(mfn) : 63u;
	unsigned int fit = 63u - (unsigned int)__builtin_clzll(nr);
	unsigned int order = align < fit ? align : fit;

	return order < HV_MM_MAX_ORDER ? order : HV_MM_MAX_ORDER;
}

/*
 * The two loops over every frame of the RAM an image gives the heap at
 * boot (tens of thousands) are unrolled: under TCG each turn of a loop
 * is a translated block to dispatch, and these were a sixth of an
 * AArch64 image's boot.  The check has no early exit so that it can be.
 */
HV_STATIC_ASSERT(FRAME_RESERVED == 0, "frames_reserved ORs the states");

static bool frames_reserved(const struct hv_mm_node *node, uint64_t mfn,
			    uint64_t nr)
{
	const struct mm_frame *f = node_frame(node, mfn);
	unsigned int any = 0;

#pragma GCC unroll 8
	for (uint64_t i = 0; i < nr; i++)
		any |= f[i].state;
	/* FRAME_RESERVED is 0: the states' OR is 0 when all are. */
	return any == 0;
}

static void frames_free(struct hv_mm_node *node, uint64_t mfn, uint64_t nr,
			bool dirty)
{
	struct mm_frame *f = node_frame(node, mfn);

#pragma GCC unroll 8
	for (uint64_t i = 0; i < nr; i++) {
		f[i].state = FRAME_FREE;
		f[i].dirty = dirty;
	}
}

int hv_mm_heap_add(struct hv_mm_heap *heap, hv_mfn_t start, uint64_t nr,
		   unsigned int flags)
{
	uint64_t mfn = hv_mfn_x(start);
	struct hv_mm_node *node;

	if (nr == 0 || (flags & ~HV_MM_ADD_CLEAN))
		return -HV_EINVAL;
	hv_spin_lock(&heap->lock);
	node = heap_node_of(heap, mfn, nr);
	if (!node || !frames_reserved(node, mfn, nr)) {
		hv_spin_unlock(&heap->lock);
		return -HV_EINVAL;
	}
	frames_free(node, mfn, nr, !(flags & HV_MM_ADD_CLEAN));
	node->total_pages += nr;
	node->dirty_pages += (flags & HV_MM_ADD_CLEAN) ? 0 : nr;
	while (nr) {
		unsigned int order = heap_largest_block(mfn, nr);
		uint64_t size = UINT64_C(1) << order;

		buddy_free(node, mfn, order,
			   (flags & HV_MM_ADD_CLEAN) ? size : 0);
		mfn += size;
		nr -= size;
	}
	hv_spin_unlock(&heap->lock);
	return 0;
}

/* Frames [start, end) minus holes[0..nr): each hole that splits it adds
 * the part before it, and what is left after the last is added whole. */
static int add_except(struct hv_mm_heap *heap, uint64_t start, uint64_t end,
		      const struct hv_mem_range *holes, unsigned int nr,
		      unsigned int flags)
{
	for (unsigned int i = 0; i < nr && start < end; i++) {
		uint64_t hs = holes[i].base >> HV_PAGE_SHIFT;
		uint64_t he =
		    HV_ALIGN_UP(holes[i].base + holes[i].size, HV_PAGE_SIZE) >>
		    HV_PAGE_SHIFT;
		int err;

		if (holes[i].size == 0 || he <= start || hs >= end)
			continue;
		/* Holes before i end before `start` by now, or miss
		 * [start, end): only later ones can touch the part before
		 * this one. */
		if (hs > start) {
			err = add_except(heap, start, hs, holes + i + 1,
					 nr - i - 1, flags);
			if (err)
				return err;
		}
		start = he;
	}
	return start < end
		   ? hv_mm_heap_add(heap, hv_mfn(start), end - start, flags)
		   : 0;
}

int hv_mm_heap_add_range(struct hv_mm_heap *heap, struct hv_mem_range ram,
			 const struct hv_mem_range *holes,
			 unsigned int nr_holes, unsigned int flags)
{
	uint64_t start = HV_ALIGN_UP(ram.base, HV_PAGE_SIZE) >> HV_PAGE_SHIFT;
	uint64_t end = (ram.base + ram.size) >> HV_PAGE_SHIFT;

	return add_except(heap, start, end, holes, nr_holes, flags);
}

uint64_t heap_frame_end(struct hv_mm_heap *heap)
{
	uint64_t end = 0;

	hv_spin_lock(&heap->lock);
	for (unsigned int i = 0; i < heap->nr_nodes; i++)
		end =
		    hv_max_u64(end, heap->nodes[i].base + heap->nodes[i].span);
	hv_spin_unlock(&heap->lock);
	return end;
}

static void node_add_stats(const struct hv_mm_node *node,
			   struct hv_mm_heap_stats *out)
{
	out->total_pages += node->total_pages;
	out->free_pages += node->free_pages;
	out->dirty_pages += node->dirty_pages;
	for (unsigned int z = 0; z < HV_MM_ZONES; z++)
		for (unsigned int o = 0; o <= HV_MM_MAX_ORDER; o++)
			out->free_blocks[o] += hv_list_count(&node->free[z][o]);
}

int hv_mm_heap_get_stats(struct hv_mm_heap *heap, unsigned int node,
			 struct hv_mm_heap_stats *out)
{
	if (node != HV_MM_NODE_ANY && node >= heap->nr_nodes)
		return -HV_EINVAL;
	memset(out, 0, sizeof(*out));
	hv_spin_lock(&heap->lock);
	for (unsigned int i = 0; i < heap->nr_nodes; i++)
		if (node == HV_MM_NODE_ANY || node == i)
			node_add_stats(&heap->nodes[i], out);
	hv_spin_unlock(&heap->lock);
	return 0;
}

int hv_mm_page_query(struct hv_mm_heap *heap, hv_mfn_t mfn,
		     struct hv_mm_page_info *info)
{
	struct hv_mm_node *node;
	struct mm_frame *f;

	hv_spin_lock(&heap->lock);
	node = heap_node_of(heap, hv_mfn_x(mfn), 1);
	if (!node) {
		hv_spin_unlock(&heap->lock);
		return -HV_EINVAL;
	}
	f = node_frame(node, hv_mfn_x(mfn));
	info->allocated = f->state == FRAME_ALLOCATED;
	info->owner = info->allocated ? f->u.owner : NULL;
	info->refs = info->allocated ? f->refs : 0;
	info->node = (unsigned int)(node - heap->nodes);
	hv_spin_unlock(&heap->lock);
	return 0;
}

void hv_mm_account_init(struct hv_mm_account *account, hv_domid_t domid,
			uint64_t max_pages)
{
	account->domid = domid;
	account->tot_pages = 0;
	account->max_pages = max_pages;
}

void hv_mm_account_set_max(struct hv_mm_heap *heap,
			   struct hv_mm_account *account, uint64_t max_pages)
{
	hv_spin_lock(&heap->lock);
	account->max_pages = max_pages;
	hv_spin_unlock(&heap->lock);
}

uint64_t hv_mm_account_pages(struct hv_mm_heap *heap,
			     const struct hv_mm_account *account)
{
	uint64_t pages;

	hv_spin_lock(&heap->lock);
	pages = account->tot_pages;
	hv_spin_unlock(&heap->lock);
	return pages;
}
