/*
 * Release queues: frames a domain unmapped, held until the TLB flush that
 * makes them unreachable, then released together.
 */
#include "heap_priv.h"

static bool frame_queueable(const struct mm_frame *f,
			    const struct hv_mm_account *owner)
{
	return f->state == FRAME_ALLOCATED && f->u.owner == owner && !f->queued;
}

/* Queue the aligned block [mfn, mfn + 2^order), all queueable. */
static void queue_block(struct hv_mm_node *node, uint64_t mfn,
			unsigned int order, struct hv_list *list)
{
	struct mm_frame *head = node_frame(node, mfn);

	for (uint64_t i = 0; i < (UINT64_C(1) << order); i++)
		node_frame(node, mfn + i)->queued = true;
	head->order = (uint8_t)order;
	hv_list_add_tail(list, &head->link);
}

/* Queue the run of queueable frames [mfn, mfn + nr) as aligned blocks. */
static void queue_run(struct hv_mm_node *node, uint64_t mfn, uint64_t nr,
		      struct hv_list *list)
{
	while (nr) {
		unsigned int order = heap_largest_block(mfn, nr);

		queue_block(node, mfn, order, list);
		mfn += UINT64_C(1) << order;
		nr -= UINT64_C(1) << order;
	}
}

/* Queue the queueable frames of [mfn, mfn + nr), all in `node`. */
static uint64_t queue_in_node(struct hv_mm_node *node,
			      const struct hv_mm_account *owner, uint64_t mfn,
			      uint64_t nr, uint64_t skip, struct hv_list *list)
{
	uint64_t queued = 0, run = 0;

	for (uint64_t i = 0; i <= nr; i++) {
		uint64_t m = mfn + i;

		if (i < nr && m != skip &&
		    frame_queueable(node_frame(node, m), owner)) {
			run++;
			continue;
		}
		queue_run(node, m - run, run, list);
		queued += run;
		run = 0;
	}
	return queued;
}

/* How many frames from mfn on (at most nr) lie in no node's span. */
static uint64_t outside_nodes(const struct hv_mm_heap *heap, uint64_t mfn,
			      uint64_t nr)
{
	for (unsigned int i = 0; i < heap->nr_nodes; i++) {
		const struct hv_mm_node *n = &heap->nodes[i];

		if (n->span && n->base > mfn && n->base - mfn < nr)
			nr = n->base - mfn;
	}
	return nr;
}

uint64_t heap_queue_owned(struct hv_mm_heap *heap,
			  const struct hv_mm_account *owner, uint64_t mfn,
			  uint64_t nr, uint64_t skip, struct hv_list *list)
{
	uint64_t queued = 0;

	hv_spin_lock(&heap->lock);
	while (nr) {
		struct hv_mm_node *node = heap_node_of(heap, mfn, 1);
		uint64_t n = node
				 ? hv_min_u64(nr, node->base + node->span - mfn)
				 : outside_nodes(heap, mfn, nr);

		if (node)
			queued +=
			    queue_in_node(node, owner, mfn, n, skip, list);
		mfn += n;
		nr -= n;
	}
	hv_spin_unlock(&heap->lock);
	return queued;
}

/* The node whose frame table holds f (one of them does: f was queued). */
static struct hv_mm_node *node_of_frame(struct hv_mm_heap *heap,
					const struct mm_frame *f)
{
	uintptr_t p = (uintptr_t)f;

	for (unsigned int i = 0; i < heap->nr_nodes; i++) {
		const struct hv_mm_node *n = &heap->nodes[i];
		uintptr_t start = (uintptr_t)n->frames;

		if (n->span && p >= start &&
		    (p - start) / HV_MM_FRAME_BYTES < n->span)
			return &heap->nodes[i];
	}
	return NULL;
}

uint64_t heap_put_queued(struct hv_mm_heap *heap, struct hv_list *list)
{
	uint64_t released = 0;
	struct hv_list *pos;

	while ((pos = hv_list_first(list))) {
		struct mm_frame *head =
		    hv_list_entry(pos, struct mm_frame, link);
		struct hv_mm_node *node;
		uint64_t mfn;
		unsigned int order = head->order;

		hv_spin_lock(&heap->lock);
		hv_list_del(pos);
		node = node_of_frame(heap, head);
		mfn = node_mfn(node, head);
		for (uint64_t i = 0; i < (UINT64_C(1) << order); i++)
			node_frame(node, mfn + i)->queued = false;
		heap_put_frames(node, mfn, order, false);
		hv_spin_unlock(&heap->lock);
		released += UINT64_C(1) << order;
	}
	return released;
}
