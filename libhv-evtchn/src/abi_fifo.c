/*
 * The FIFO ABI: one 32-bit event word per port in pages the guest donates
 * (PENDING, MASKED, LINKED, BUSY and a 17-bit LINK to the next port), and
 * per vCPU a control block with a HEAD and a READY bit for each of 16
 * priorities.  Each (vCPU, priority) pair is a singly linked queue threaded
 * through the event words: the hypervisor appends at the tail it remembers,
 * the guest consumes from the head, both at once.
 *
 * Appending links the old tail's word to the new port with a cmpxchg, which
 * succeeds only while the old tail is still LINKED (not yet consumed); if
 * the guest consumed it first, the queue is empty and HEAD is written
 * instead.  A guest may concurrently set or clear MASKED, clear PENDING and
 * clear LINKED on a linked word, each of which fails a cmpxchg; setting
 * BUSY stops it unmasking, which bounds the retries.
 *
 * A port moving to another queue (bind_vcpu, set_priority) must drop out
 * of the tail of the queue it was last linked on, so each channel records
 * that queue (fifo_lastq), and set_pending locks both queues.
 */
#include "abi.h"

#include <hv/string.h>

#define WORDS_PER_PAGE	((uint32_t)(HV_PAGE_SIZE / sizeof(event_word_t)))
#define MAX_ARRAY_PAGES (EVTCHN_FIFO_NR_CHANNELS / WORDS_PER_PAGE)

#define W_PENDING   (UINT32_C(1) << EVTCHN_FIFO_PENDING)
#define W_MASKED    (UINT32_C(1) << EVTCHN_FIFO_MASKED)
#define W_LINKED    (UINT32_C(1) << EVTCHN_FIFO_LINKED)
#define W_BUSY	    (UINT32_C(1) << EVTCHN_FIFO_BUSY)
#define W_LINK_MASK ((uint32_t)EVTCHN_FIFO_LINK_MASK)

/* A BUSY word can change under us at most this often: the guest may set
 * MASKED, clear PENDING and clear LINKED once each, plus one in flight. */
#define LINK_RETRIES 4
/* Queue changes raced before giving up linking an event (as Xen). */
#define QUEUE_LOCK_TRIES 3

struct fifo_queue {
	hv_spinlock_t lock;
	uint32_t tail; /* port last appended, 0 if none; under lock */
};

struct fifo_vcpu {
	struct evtchn_fifo_control_block *cb; /* NULL until init_control */
	uint64_t cb_pin;		      /* cb's hv_gmem pin */
	struct fifo_queue queue[EVTCHN_FIFO_MAX_QUEUES];
};

struct fifo_domain {
	uint32_t nr_words; /* ports with an event word: pages * 1024 */
	event_word_t *page[MAX_ARRAY_PAGES];
	uint64_t page_pin[MAX_ARRAY_PAGES]; /* each page's hv_gmem pin */
	struct fifo_vcpu vcpu[];	    /* cfg.nr_vcpus */
};

HV_STATIC_ASSERT(HV_EVTCHN_MAX_VCPUS <= (UINT32_MAX >> 4),
		 "fifo_lastq packs a vCPU id above a 4-bit priority");

static size_t fifo_size(const struct hv_evtchn_domain *d)
{
	return sizeof(struct fifo_domain) +
	       d->cfg.nr_vcpus * sizeof(struct fifo_vcpu);
}

static struct fifo_domain *fifo_of(const struct hv_evtchn_domain *d)
{
	return evtchn_load_ptr(&d->abi_state);
}

/* The port's event word, or NULL if the guest has not provided it yet. */
static event_word_t *word_of(const struct fifo_domain *fd, uint32_t port)
{
	if (port >= hv_atomic_load_u32(&fd->nr_words))
		return NULL;
	return &fd->page[port / WORDS_PER_PAGE][port % WORDS_PER_PAGE];
}

static uint32_t lastq_pack(hv_vcpuid_t vcpu, uint32_t priority)
{
	return vcpu << 4 | priority;
}

static struct fifo_queue *lastq_queue(struct fifo_domain *fd, uint32_t lastq)
{
	return &fd->vcpu[lastq >> 4].queue[lastq & 0xf];
}

static void lock_queues(struct fifo_queue *a, struct fifo_queue *b)
{
	if (a == b) {
		hv_spin_lock(&a->lock);
	} else if (a < b) {
		hv_spin_lock(&a->lock);
		hv_spin_lock(&b->lock);
	} else {
		hv_spin_lock(&b->lock);
		hv_spin_lock(&a->lock);
	}
}

static void unlock_queues(struct fifo_queue *a, struct fifo_queue *b)
{
	if (a != b)
		hv_spin_unlock(&b->lock);
	hv_spin_unlock(&a->lock);
}

/*
 * Lock q and the queue the channel was last linked on.  That one changes
 * only under its own lock, so it is pinned once seen unchanged with the
 * lock held.  False if it moved QUEUE_LOCK_TRIES times (nothing locked).
 */
static bool lock_with_last(struct fifo_domain *fd, struct chn *chn,
			   struct fifo_queue *q, struct fifo_queue **old_q)
{
	for (int i = 0; i < QUEUE_LOCK_TRIES; i++) {
		uint32_t lastq = hv_atomic_load_u32(&chn->fifo_lastq);

		*old_q = lastq_queue(fd, lastq);
		lock_queues(q, *old_q);
		if (hv_atomic_load_u32(&chn->fifo_lastq) == lastq)
			return true;
		unlock_queues(q, *old_q);
	}
	return false;
}

/* 1: tail now links to port; 0: tail was consumed; -1: word changed. */
static int try_link(event_word_t *tail, event_word_t *seen, uint32_t port)
{
	if (!(*seen & W_LINKED))
		return 0;
	return hv_atomic_cmpxchg_u32(tail, seen,
				     (*seen & ~(W_BUSY | W_LINK_MASK)) | port)
		   ? 1
		   : -1;
}

/* Point the tail's LINK at port if the tail is still LINKED; true if it
 * was (the guest will reach port through it). */
static bool set_link(struct hv_evtchn_domain *d, event_word_t *tail,
		     uint32_t port)
{
	event_word_t seen = hv_atomic_load_u32(tail);
	int rc = try_link(tail, &seen, port);

	if (rc >= 0)
		return rc;
	hv_atomic_fetch_or_u32(tail, W_BUSY);
	seen = hv_atomic_load_u32(tail);
	for (int i = 0; i < LINK_RETRIES; i++) {
		rc = try_link(tail, &seen, port);
		if (rc == 0)
			hv_atomic_fetch_and_u32(tail, ~W_BUSY);
		if (rc >= 0)
			return rc;
	}
	/* Only a guest breaking the ABI gets here; it loses the event. */
	hv_log_warn(d->cfg.log, "evtchn: d%u port %u not linked", d->cfg.domid,
		    port);
	hv_atomic_fetch_and_u32(tail, ~W_BUSY);
	return true;
}

/*
 * The channel is about to be linked on q (q and *old_q locked): it leaves
 * the old queue's tail, and q becomes its last queue (*old_q = q).
 */
static void move_to(struct chn *chn, uint32_t port, struct fifo_queue *q,
		    struct fifo_queue **old_q, uint32_t newq)
{
	/* A consumed tail must not be linked to again, or the old queue's
	 * next event would be threaded onto this queue. */
	if ((*old_q)->tail == port)
		(*old_q)->tail = 0;
	if (*old_q != q) {
		hv_atomic_store_u32(&chn->fifo_lastq, newq);
		hv_spin_unlock(&(*old_q)->lock);
		*old_q = q;
	}
}

/* Append port to locked q: true if it went behind a linked tail, false
 * if the queue was empty and port must become its HEAD. */
static bool append(struct hv_evtchn_domain *d, struct fifo_domain *fd,
		   struct fifo_queue *q, uint32_t port)
{
	bool linked = q->tail && set_link(d, word_of(fd, q->tail), port);

	q->tail = port;
	return linked;
}

/* Word w needs nothing more for an event: PENDING, and queued already
 * or not to be (MASKED, or no control block to link with). */
static bool marked(event_word_t w, bool may_link)
{
	return (w & W_PENDING) && (!may_link || (w & (W_MASKED | W_LINKED)));
}

/*
 * Set PENDING and, if may_link and the word is neither MASKED nor LINKED
 * yet, LINKED too, in one atomic step (a locked instruction costs more
 * than the rest of an event); a marked word is not written at all.  True
 * if this set LINKED: the port must be queued.
 */
static bool mark_pending(event_word_t *word, bool may_link)
{
	event_word_t w = hv_atomic_load_u32(word);

	while (!marked(w, may_link)) {
		bool link = may_link && !(w & (W_MASKED | W_LINKED));

		if (hv_atomic_cmpxchg_u32(
			word, &w, w | W_PENDING | (link ? W_LINKED : 0)))
			return link;
	}
	return false;
}

static void fifo_set_pending(struct hv_evtchn_domain *d, hv_vcpuid_t vcpu,
			     struct chn *chn, uint32_t port)
{
	struct fifo_domain *fd = fifo_of(d);
	event_word_t *word = word_of(fd, port);
	uint32_t prio = hv_atomic_load_relaxed_u8(&chn->priority);
	struct fifo_queue *q = &fd->vcpu[vcpu].queue[prio];
	struct evtchn_fifo_control_block *cb;
	struct fifo_queue *old_q;
	bool head = false;

	if (!word) {
		/* Delivered when expand_array adds the word. */
		hv_atomic_store_u8(&chn->stashed, 1);
		return;
	}
	/* Without a control block the guest cannot have unmasked yet. */
	cb = evtchn_load_ptr(&fd->vcpu[vcpu].cb);
	/* An event on one already queued adds nothing: no queue to lock.
	 * Where Xen's atomic set of PENDING orders what the sender wrote
	 * (a ring's data) before the guest's look at the word, here every
	 * caller's domain lock, taken after the write, does. */
	if (marked(hv_atomic_load_u32(word), cb != NULL))
		return;
	if (!lock_with_last(fd, chn, q, &old_q)) {
		hv_atomic_fetch_or_u32(word, W_PENDING);
		hv_log_warn(d->cfg.log, "evtchn: d%u port %u event not queued",
			    d->cfg.domid, port);
		return;
	}
	if (mark_pending(word, cb != NULL)) {
		move_to(chn, port, q, &old_q, lastq_pack(vcpu, prio));
		head = !append(d, fd, q, port);
		if (head)
			hv_atomic_store_u32(&cb->head[prio], port);
	}
	unlock_queues(q, old_q);
	if (head && !(hv_atomic_fetch_or_u32(&cb->ready, UINT32_C(1) << prio) &
		      (UINT32_C(1) << prio)))
		evtchn_mark_upcall(d, vcpu);
}

static void fifo_clear_pending(struct hv_evtchn_domain *d, struct chn *chn,
			       uint32_t port)
{
	event_word_t *word = word_of(fifo_of(d), port);

	hv_atomic_store_u8(&chn->stashed, 0);
	/* A linked word stays linked: the guest skips it when consuming. */
	if (word)
		hv_atomic_fetch_and_u32(word, ~W_PENDING);
}

static void fifo_unmask(struct hv_evtchn_domain *d, struct chn *chn,
			uint32_t port)
{
	event_word_t *word = word_of(fifo_of(d), port);

	if (!word)
		return;
	hv_atomic_fetch_and_u32(word, ~W_MASKED);
	if (hv_atomic_load_u32(word) & W_PENDING)
		fifo_set_pending(d, chn_notify_vcpu(chn), chn, port);
}

static bool fifo_is_pending(struct hv_evtchn_domain *d, const struct chn *chn,
			    uint32_t port)
{
	const event_word_t *word = word_of(fifo_of(d), port);

	if (!word)
		return hv_atomic_load_u8(&chn->stashed) != 0;
	return (hv_atomic_load_u32(word) & W_PENDING) != 0;
}

static bool fifo_is_busy(struct hv_evtchn_domain *d, uint32_t port)
{
	const event_word_t *word = word_of(fifo_of(d), port);

	return word && (hv_atomic_load_u32(word) & W_LINKED);
}

static int fifo_set_priority(struct hv_evtchn_domain *d, struct chn *chn,
			     uint32_t priority)
{
	(void)d;
	if (priority > EVTCHN_FIFO_PRIORITY_MIN)
		return -HV_EINVAL;
	/* Only later events use the new queue; a queued one stays put. */
	hv_atomic_store_u8(&chn->priority, (uint8_t)priority);
	return 0;
}

/* Map and pin guest frame gfn (+ offset) until fifo_teardown: Xen answers
 * -EINVAL for any frame it cannot map, and so do we. */
static int map_frame(struct hv_evtchn_domain *d, uint64_t gfn, uint32_t offset,
		     size_t len, size_t align, void **ptr, uint64_t *pin)
{
	if (gfn > (UINT64_MAX >> HV_PAGE_SHIFT))
		return -HV_EINVAL;
	if (hv_gmem_map_pinned(d->cfg.gmem, (gfn << HV_PAGE_SHIFT) + offset,
			       len, align, HV_GMEM_READ | HV_GMEM_WRITE, ptr,
			       pin) != 0)
		return -HV_EINVAL;
	return 0;
}

static int map_control_block(struct hv_evtchn_domain *d, struct fifo_domain *fd,
			     const struct evtchn_init_control *op)
{
	struct fifo_vcpu *v = &fd->vcpu[op->vcpu];
	void *cb;
	int rc;

	if (v->cb)
		return -HV_EINVAL;
	rc = map_frame(d, op->control_gfn, op->offset,
		       sizeof(struct evtchn_fifo_control_block), 8, &cb,
		       &v->cb_pin);
	if (rc == 0)
		evtchn_store_ptr(&v->cb,
				 (struct evtchn_fifo_control_block *)cb);
	return rc;
}

/* Carry bound ports over from the ABI being left: their pending state
 * (delivered once the guest adds their event words) and fresh queues. */
static void adopt_ports(struct hv_evtchn_domain *d)
{
	const struct hv_evtchn_abi *old = d->abi;

	for (uint32_t port = 1; port < d->valid_ports; port++) {
		struct chn *chn = evtchn_chn(d, port);

		hv_atomic_store_u32(&chn->fifo_lastq, 0);
		hv_atomic_store_u8(&chn->priority,
				   EVTCHN_FIFO_PRIORITY_DEFAULT);
		if (chn_is_bound(chn) && old && old->is_pending(d, chn, port))
			hv_atomic_store_u8(&chn->stashed, 1);
	}
}

static int switch_to_fifo(struct hv_evtchn_domain *d,
			  const struct evtchn_init_control *op)
{
	struct fifo_domain *fd = evtchn_zalloc(d, fifo_size(d));
	int rc;

	if (!fd)
		return -HV_ENOMEM;
	for (uint32_t v = 0; v < d->cfg.nr_vcpus; v++) {
		for (uint32_t i = 0; i < EVTCHN_FIFO_MAX_QUEUES; i++)
			hv_spin_init(&fd->vcpu[v].queue[i].lock);
	}
	rc = map_control_block(d, fd, op);
	if (rc) {
		evtchn_free(d, fd, fifo_size(d));
		return rc;
	}
	adopt_ports(d);
	/* Remote senders find the state before the ABI that uses it. */
	evtchn_store_ptr(&d->abi_state, (void *)fd);
	evtchn_store_ptr(&d->abi, &hv_evtchn_fifo);
	hv_log_info(d->cfg.log, "evtchn: d%u switched to the %s ABI",
		    d->cfg.domid, hv_evtchn_fifo.name);
	return 0;
}

static int fifo_init_control(struct hv_evtchn_domain *d,
			     struct evtchn_init_control *op)
{
	op->link_bits = EVTCHN_FIFO_LINK_BITS;
	if (op->vcpu >= d->cfg.nr_vcpus)
		return -HV_ENOENT;
	if (op->offset >
	    HV_PAGE_SIZE - sizeof(struct evtchn_fifo_control_block))
		return -HV_EINVAL;
	if (op->offset & 7)
		return -HV_EINVAL;
	if (d->abi != &hv_evtchn_fifo)
		return switch_to_fifo(d, op);
	return map_control_block(d, fifo_of(d), op);
}

static int fifo_expand_array(struct hv_evtchn_domain *d, uint64_t gfn)
{
	struct fifo_domain *fd = fifo_of(d);
	uint32_t first = fd->nr_words;
	void *page;
	int rc;

	if (first / WORDS_PER_PAGE >= MAX_ARRAY_PAGES)
		return -HV_ENOSPC;
	rc = map_frame(d, gfn, 0, HV_PAGE_SIZE, HV_PAGE_SIZE, &page,
		       &fd->page_pin[first / WORDS_PER_PAGE]);
	if (rc)
		return rc;
	fd->page[first / WORDS_PER_PAGE] = page;
	hv_atomic_store_u32(&fd->nr_words, first + WORDS_PER_PAGE);
	evtchn_replay_stashed(d, first, first + WORDS_PER_PAGE);
	return 0;
}

static void fifo_teardown(struct hv_evtchn_domain *d)
{
	struct fifo_domain *fd = fifo_of(d);

	for (uint32_t v = 0; v < d->cfg.nr_vcpus; v++)
		if (fd->vcpu[v].cb)
			hv_gmem_unpin(d->cfg.gmem, fd->vcpu[v].cb_pin);
	for (uint32_t i = 0; i < fd->nr_words / WORDS_PER_PAGE; i++)
		hv_gmem_unpin(d->cfg.gmem, fd->page_pin[i]);
	evtchn_free(d, fd, fifo_size(d));
	evtchn_store_ptr(&d->abi_state, (void *)NULL);
}

const struct hv_evtchn_abi hv_evtchn_fifo = {
    .name = "FIFO",
    .nr_ports = EVTCHN_FIFO_NR_CHANNELS,
    .set_pending = fifo_set_pending,
    .clear_pending = fifo_clear_pending,
    .unmask = fifo_unmask,
    .is_pending = fifo_is_pending,
    .is_busy = fifo_is_busy,
    .set_priority = fifo_set_priority,
    .init_control = fifo_init_control,
    .expand_array = fifo_expand_array,
    .teardown = fifo_teardown,
};
