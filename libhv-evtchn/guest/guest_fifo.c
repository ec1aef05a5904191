/*
 * The guest side of the FIFO ABI.  READY says which queues have events;
 * each queue is walked from HEAD along the LINK fields, clearing LINKED
 * (and LINK) and taking PENDING with one cmpxchg per word, so the
 * hypervisor either links a new event behind a word before we take it or
 * finds it unlinked and starts the queue afresh at HEAD.  After each event
 * READY is looked at again, so a higher-priority event overtakes the rest.
 * Locked instructions are most of an event's cost, so there is one per
 * event, and READY is exchanged only when it has a bit set.
 */
#include <hv/atomic.h>
#include <hv/error.h>
#include <hv/evtchn_guest.h>
#include <hv/string.h>

#define WORDS_PER_PAGE (4096 / sizeof(event_word_t))

#define W_PENDING   (UINT32_C(1) << EVTCHN_FIFO_PENDING)
#define W_MASKED    (UINT32_C(1) << EVTCHN_FIFO_MASKED)
#define W_LINKED    (UINT32_C(1) << EVTCHN_FIFO_LINKED)
#define W_BUSY	    (UINT32_C(1) << EVTCHN_FIFO_BUSY)
#define W_LINK_MASK ((uint32_t)EVTCHN_FIFO_LINK_MASK)

static event_word_t *word_of(const struct hv_evtchn_guest_fifo_array *a,
			     evtchn_port_t port)
{
	if (port / WORDS_PER_PAGE >= a->nr_pages)
		return NULL;
	return &a->page[port / WORDS_PER_PAGE][port % WORDS_PER_PAGE];
}

int hv_evtchn_guest_fifo_setup(struct hv_evtchn_guest_fifo *g,
			       struct hv_evtchn_guest_fifo_array *array,
			       struct evtchn_fifo_control_block *cb,
			       uint64_t cb_gfn, uint32_t offset,
			       uint32_t vcpu_id, struct vcpu_info *vcpu,
			       const struct hv_evtchn_guest_ops *ops)
{
	struct evtchn_init_control op = {
	    .control_gfn = cb_gfn,
	    .offset = offset,
	    .vcpu = vcpu_id,
	};

	memset(g, 0, sizeof(*g));
	g->cb = cb;
	g->vcpu = vcpu;
	g->array = array;
	g->ops = ops;
	memset(cb, 0, sizeof(*cb));
	return ops->hypercall(ops->opaque, EVTCHNOP_init_control, &op);
}

int hv_evtchn_guest_fifo_expand(struct hv_evtchn_guest_fifo_array *array,
				event_word_t *page, uint64_t gfn,
				const struct hv_evtchn_guest_ops *ops)
{
	struct evtchn_expand_array op = {.array_gfn = gfn};
	int rc;

	if (array->nr_pages >= HV_EVTCHN_GUEST_FIFO_MAX_PAGES)
		return -HV_ENOSPC;
	/* New ports start masked: nothing is delivered before the guest
	 * has a handler for it and unmasks. */
	for (size_t i = 0; i < WORDS_PER_PAGE; i++)
		hv_atomic_store_u32(&page[i], W_MASKED);
	rc = ops->hypercall(ops->opaque, EVTCHNOP_expand_array, &op);
	if (rc == 0)
		array->page[array->nr_pages++] = page;
	return rc;
}

/* Unlink the word we are at and take its event (clear PENDING) unless it
 * is masked, in one step; *next is the next port in its queue, 0 for
 * none.  True if this took an event. */
static bool take_linked(event_word_t *word, uint32_t *next)
{
	event_word_t w = hv_atomic_load_u32(word);
	bool take;

	do {
		take = (w & W_PENDING) && !(w & W_MASKED);
	} while (!hv_atomic_cmpxchg_u32(
	    word, &w, w & ~(W_LINKED | W_LINK_MASK | (take ? W_PENDING : 0))));
	*next = w & W_LINK_MASK;
	return take;
}

/* Take the event at the head of queue q; clear q from *ready once the
 * queue is empty. */
static unsigned int consume_one(struct hv_evtchn_guest_fifo *g, unsigned int q,
				uint32_t *ready)
{
	evtchn_port_t port = g->head[q];
	event_word_t *word;
	uint32_t next;
	bool taken;

	if (port == 0)
		port = hv_atomic_load_u32(&g->cb->head[q]);
	word = port ? word_of(g->array, port) : NULL;
	if (!word) {
		*ready &= ~(UINT32_C(1) << q);
		g->head[q] = 0;
		return 0;
	}
	taken = take_linked(word, &next);
	if (next == 0)
		*ready &= ~(UINT32_C(1) << q);
	g->head[q] = next;
	if (!taken)
		return 0;
	g->ops->handler(g->ops->opaque, port);
	return 1;
}

unsigned int hv_evtchn_guest_fifo_drain(struct hv_evtchn_guest_fifo *g)
{
	unsigned int n = 0;

	do {
		uint32_t ready;

		if (g->vcpu)
			hv_atomic_xchg_u8(&g->vcpu->evtchn_upcall_pending, 0);
		ready = hv_atomic_xchg_u32(&g->cb->ready, 0);
		while (ready) {
			unsigned int q = (unsigned int)__builtin_ctz(ready);

			n += consume_one(g, q, &ready);
			if (hv_atomic_load_u32(&g->cb->ready))
				ready |= hv_atomic_xchg_u32(&g->cb->ready, 0);
		}
	} while (g->vcpu && hv_atomic_load_u8(&g->vcpu->evtchn_upcall_pending));
	return n;
}

int hv_evtchn_guest_fifo_mask(struct hv_evtchn_guest_fifo *g,
			      evtchn_port_t port)
{
	event_word_t *word = word_of(g->array, port);

	if (!word)
		return -HV_EINVAL;
	hv_atomic_fetch_or_u32(word, W_MASKED);
	return 0;
}

int hv_evtchn_guest_fifo_unmask(struct hv_evtchn_guest_fifo *g,
				evtchn_port_t port)
{
	event_word_t *word = word_of(g->array, port);
	struct evtchn_unmask op = {.port = port};
	event_word_t w;

	if (!word)
		return -HV_EINVAL;
	w = hv_atomic_load_u32(word);
	while (w & W_MASKED) {
		if (w & W_PENDING)
			return g->ops->hypercall(g->ops->opaque,
						 EVTCHNOP_unmask, &op);
		/* Never on a BUSY word: the hypervisor is linking to it and
		 * counts on us not to; the cmpxchg fails until it is done. */
		w &= ~W_BUSY;
		if (hv_atomic_cmpxchg_u32(word, &w, w & ~W_MASKED))
			return 0;
	}
	return 0;
}
