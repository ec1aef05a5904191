/*
 * A fake hypervisor for libhv-evtchn's tests: domains with a few pages of
 * guest memory behind an hv_gmem, an allocator that counts bytes and can be
 * told to fail, a domain table for get_domain, and per-vCPU counts of
 * notify callbacks.  The hv_gmem pins, and world_free checks that every
 * pin was given back by then.  Guest pages (per domain):
 *
 *   GFN_SHARED  the shared-info page       GFN_ARGS   hypercall arguments
 *   GFN_VINFO   registered vcpu_infos      GFN_RO     read-only
 *   GFN_CB      FIFO control blocks        GFN_HOLE   not mapped
 *   GFN_ARRAY.. 128 event-array pages
 */
#ifndef EVTCHN_TEST_HARNESS_H
#define EVTCHN_TEST_HARNESS_H

#include <hv/error.h>
#include <hv/evtchn.h>
#include <hv/evtchn_guest.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE	    4096u
#define MAX_DOMS    4
#define MAX_VCPUS   4
#define ARRAY_PAGES 128u

enum {
	GFN_SHARED = 0,
	GFN_VINFO = 1,
	GFN_CB = 2,
	GFN_ARGS = 3,
	GFN_RO = 4,
	GFN_HOLE = 5,
	GFN_ARRAY = 8,
	GUEST_PAGES = GFN_ARRAY + ARRAY_PAGES,
};

struct fake_dom {
	struct hv_evtchn_domain *d;
	struct hv_evtchn_config cfg;
	uint8_t *mem; /* GUEST_PAGES pages */
	struct hv_gmem gmem;
	unsigned int pins[GUEST_PAGES]; /* hv_gmem pins held on each page */
	bool hidden;			/* get_domain does not find it */
	unsigned int notified[MAX_VCPUS];
	unsigned int notified_high; /* vCPUs MAX_VCPUS and up */
	/* Guest-side consumers and their record of handled ports. */
	struct hv_evtchn_guest_ops gops;
	struct hv_evtchn_guest_2l g2l[MAX_VCPUS];
	struct hv_evtchn_guest_fifo gfifo[MAX_VCPUS];
	struct hv_evtchn_guest_fifo_array array;
	evtchn_port_t seen[256];
	unsigned int nseen;
};

struct world {
	struct fake_dom dom[MAX_DOMS];
	size_t ndom;
	struct hv_evtchn_ops ops;
	size_t bytes;	 /* allocated now */
	long fail_after; /* allocations to allow before failing; <0 never */
	unsigned int gets, puts;
};

/* Options for a domain; zero means the default noted. */
struct dom_opts {
	unsigned int nr_vcpus; /* 1 */
	unsigned int nr_pirqs;
	unsigned int max_port;
	bool privileged;
	bool no_2l, no_fifo;
	bool no_shared; /* do not map the shared-info page */
};

/* A world of n domains with ids 0..n-1, shared info mapped. */
struct world *world_new(size_t n, const struct dom_opts *opts);
/* The same with options for each domain: opts[0..n). */
struct world *world_new_each(size_t n, const struct dom_opts *opts);
void world_free(struct world *w);
struct fake_dom *dom(struct world *w, size_t i);
struct hv_evtchn_domain *hd(struct world *w, size_t i);

void *guest_page(struct fake_dom *fd, uint64_t gfn);
struct shared_info *guest_shared(struct fake_dom *fd);
struct vcpu_info *guest_vcpu_info(struct fake_dom *fd, unsigned int vcpu);
uint64_t gfn_addr(uint64_t gfn);

/* HYPERVISOR_event_channel_op from the guest: op copied to GFN_ARGS, the
 * hypercall made, results copied back to *op. */
int guest_op(struct fake_dom *fd, unsigned int cmd, void *op);

/* Shorthands over guest_op that fail the test on error. */
evtchn_port_t bind_ipi(struct fake_dom *fd, uint32_t vcpu);
evtchn_port_t bind_virq(struct fake_dom *fd, uint32_t virq, uint32_t vcpu);
evtchn_port_t alloc_unbound(struct fake_dom *fd, hv_domid_t remote);
evtchn_port_t bind_interdomain(struct fake_dom *fd, hv_domid_t remote,
			       evtchn_port_t rport);
void send_port(struct fake_dom *fd, evtchn_port_t port);
uint32_t port_status(struct fake_dom *fd, evtchn_port_t port,
		     struct evtchn_status *out);

/* Switch vCPUs [0, nr_vcpus) to FIFO and give `pages` array pages. */
void setup_fifo(struct fake_dom *fd, unsigned int pages);
/* Drain vCPU vcpu with the guest consumer of the domain's current ABI,
 * appending handled ports to fd->seen; returns how many. */
unsigned int drain_2l(struct fake_dom *fd, unsigned int vcpu);
unsigned int drain_fifo(struct fake_dom *fd, unsigned int vcpu);
void clear_seen(struct fake_dom *fd);

/* 2-level bits in the shared-info page. */
bool l2_pending(struct fake_dom *fd, evtchn_port_t port);
bool l2_masked(struct fake_dom *fd, evtchn_port_t port);
void l2_set_mask(struct fake_dom *fd, evtchn_port_t port, bool masked);
bool l2_selected(struct fake_dom *fd, unsigned int vcpu, unsigned int word);

/* FIFO event word of a port (the array must cover it). */
event_word_t *fifo_word(struct fake_dom *fd, evtchn_port_t port);
struct evtchn_fifo_control_block *fifo_cb(struct fake_dom *fd,
					  unsigned int vcpu);

#endif /* EVTCHN_TEST_HARNESS_H */
