/*
 * hv/evtchn_guest.h - reference guest-side consumers of Xen's 2-level and
 * FIFO event-channel ABIs.
 *
 * Guest code: it touches only the structures a guest shares with its
 * hypervisor (shared info, vcpu_info, the FIFO control block and event
 * array) and issues event_channel_op hypercalls through a callback, so it
 * runs against Xen as well as against libhv-evtchn.  libhv-evtchn's tests
 * use it as the guest; a guest author may use it as is.
 *
 * A consumer serves one vCPU and is not shared between CPUs; its drain
 * function is the body of that vCPU's event upcall.  Each event is handed
 * to the handler after its pending bit has been cleared, so an event raised
 * again while the handler runs is delivered again.
 */
#ifndef HV_EVTCHN_GUEST_H
#define HV_EVTCHN_GUEST_H

/* Bumped whenever the API changes incompatibly; 0 while it is unstable. */
#define HV_EVTCHN_GUEST_API_VERSION 1

#include <hv/compiler.h>
#include <hv/xen_interface.h>
#include <stdbool.h>

#include <xen/xen.h>
#include <xen/event_channel.h>

HV_BEGIN_DECLS

/* The HV_EVTCHN_GUEST_API_VERSION the library was built with. */
unsigned int hv_evtchn_guest_api_version(void);

/* What the guest-side library asks of the guest that embeds it. */
struct hv_evtchn_guest_ops {
	/* HYPERVISOR_event_channel_op(cmd, arg): Xen's return value. */
	int (*hypercall)(void *opaque, unsigned int cmd, void *arg);
	/* One event on `port`. */
	void (*handler)(void *opaque, evtchn_port_t port);
	void *opaque;
};

/* --- 2-level ABI --- */

struct hv_evtchn_guest_2l {
	struct shared_info *shared;
	struct vcpu_info *vcpu;	 /* this vCPU's */
	const xen_ulong_t *mine; /* NULL, or the ports this vCPU handles */
	const struct hv_evtchn_guest_ops *ops;
};

/*
 * The pending bitmap is shared by all vCPUs, so a vCPU whose selector
 * points at a word would also see the other vCPUs' ports in it.  `mine`,
 * if not NULL, is the guest's own bitmap (EVTCHN_2L_NR_CHANNELS bits) of
 * the ports it bound to this vCPU, and the consumer handles only those;
 * with NULL it handles every pending port it is pointed at.
 */
void hv_evtchn_guest_2l_init(struct hv_evtchn_guest_2l *g,
			     struct shared_info *shared, struct vcpu_info *vcpu,
			     const xen_ulong_t *mine,
			     const struct hv_evtchn_guest_ops *ops);

/*
 * Handle every pending, unmasked event the selector points at, until the
 * upcall flag stays clear.  Within one pass over the selector, ports come
 * in ascending order (the 2-level ABI promises no order beyond that).
 * Returns the number of events handled.
 */
unsigned int hv_evtchn_guest_2l_drain(struct hv_evtchn_guest_2l *g);

/* Set or clear a port's mask bit.  An unmask that finds the port pending
 * asks the hypervisor (EVTCHNOP_unmask) to deliver it, and returns what
 * that returns.  -HV_EINVAL for a port the ABI cannot address. */
int hv_evtchn_guest_2l_mask(struct hv_evtchn_guest_2l *g, evtchn_port_t port);
int hv_evtchn_guest_2l_unmask(struct hv_evtchn_guest_2l *g, evtchn_port_t port);

/* --- FIFO ABI --- */

#define HV_EVTCHN_GUEST_FIFO_MAX_PAGES                                         \
	(EVTCHN_FIFO_NR_CHANNELS * sizeof(event_word_t) / 4096)

/* A domain's event array: the pages it gave the hypervisor, in order, each
 * 4096 bytes holding the words of 1,024 ports.  Shared by its vCPUs. */
struct hv_evtchn_guest_fifo_array {
	event_word_t *page[HV_EVTCHN_GUEST_FIFO_MAX_PAGES];
	uint32_t nr_pages;
};

/* A guest vCPU's side of the FIFO ABI: its control block, its vcpu_info
 * and the event array, with the guest's allocator for array pages. */
struct hv_evtchn_guest_fifo {
	struct evtchn_fifo_control_block *cb;
	struct vcpu_info *vcpu; /* may be NULL: no upcall flag to clear */
	struct hv_evtchn_guest_fifo_array *array;
	const struct hv_evtchn_guest_ops *ops;
	uint32_t head[EVTCHN_FIFO_MAX_QUEUES]; /* next port per queue */
};

/*
 * Switch this vCPU to FIFO: clear the control block `cb` (which the
 * hypervisor knows as frame cb_gfn, byte offset `offset`) and issue
 * EVTCHNOP_init_control for vCPU vcpu_id.  Returns the hypercall's result.
 */
int hv_evtchn_guest_fifo_setup(struct hv_evtchn_guest_fifo *g,
			       struct hv_evtchn_guest_fifo_array *array,
			       struct evtchn_fifo_control_block *cb,
			       uint64_t cb_gfn, uint32_t offset,
			       uint32_t vcpu_id, struct vcpu_info *vcpu,
			       const struct hv_evtchn_guest_ops *ops);

/*
 * Give the hypervisor one more event-array page (guest frame gfn, mapped
 * at `page`): mask all its words, issue EVTCHNOP_expand_array, and on
 * success append it to the array.  -HV_ENOSPC when the array is full, or
 * the hypercall's result.
 */
int hv_evtchn_guest_fifo_expand(struct hv_evtchn_guest_fifo_array *array,
				event_word_t *page, uint64_t gfn,
				const struct hv_evtchn_guest_ops *ops);

/*
 * Handle queued events until the READY word and the upcall flag stay
 * clear: always from the highest-priority non-empty queue (0 first), and
 * in the order they were queued within a priority.  A masked event is left
 * pending for unmask.  Returns the number of events handled.
 */
unsigned int hv_evtchn_guest_fifo_drain(struct hv_evtchn_guest_fifo *g);

/* Set or clear a port's MASKED bit; an unmask that finds the port pending
 * (or the word BUSY and pending) leaves it to EVTCHNOP_unmask.  -HV_EINVAL
 * for a port without an event word. */
int hv_evtchn_guest_fifo_mask(struct hv_evtchn_guest_fifo *g,
			      evtchn_port_t port);
int hv_evtchn_guest_fifo_unmask(struct hv_evtchn_guest_fifo *g,
				evtchn_port_t port);

HV_END_DECLS

#endif /* HV_EVTCHN_GUEST_H */
