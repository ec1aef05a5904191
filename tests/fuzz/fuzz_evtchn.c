/*
 * Fuzzing event_channel_op (libhv-evtchn) directly: three domains of up to
 * four vCPUs on the fake hypervisor of tests/unit/evtchn (harness.c),
 * 2-level and FIFO, make EVTCHNOPs decoded from the input, with the
 * argument structure in their own memory; between them the hypervisor's
 * own calls (vcpu_info and shared-info placement, VIRQ and PIRQ raises,
 * hypervisor-ended ports), guest writes over the shared pages the library
 * reads (bitmaps, control blocks, event words) and domain destruction.
 *
 * After each op: a failed EVTCHNOP changed no domain's count of bound
 * ports nor the port it named, and a port a bind returned is bound below
 * the domain's limit.
 * After the last record every interdomain channel must be whole (each end
 * names the other), then every domain is destroyed and every byte the
 * library allocated must be back (world_free aborts otherwise).
 *
 * Input (README.md): one configuration byte, then records of RECORD bytes:
 *   0      caller: bits 0-1 the domain (3 means 2)
 *   1      op: below 0x10 the EVTCHNOP (14 and 15 are unknown ones);
 *          OP_* past it
 *   2-3    op arguments (a vCPU, a VIRQ, a guest page)
 *   4-7    unused
 *   8-31   the op structure, or the op's other arguments
 */
#include "../unit/evtchn/harness.h"
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#define RECORD	32
#define DOMAINS 3
#define OPS_AT	8

/* Configuration byte. */
#define CFG_PRIVILEGED 0x01u /* every domain may name another */
#define CFG_NO_2L      0x02u /* FIFO only: events wait for the array */
#define CFG_MAX_PORT   0x0cu /* max_port: 0, 5, 4095 or 5000 */
#define CFG_VCPUS      0x30u /* 1 to 4 vCPUs */

enum {
	OP_EVTCHNOP_END = 0x10,
	OP_MAP_VCPU_INFO = 0x20, /* hv_evtchn_map_vcpu_info */
	OP_MAP_SHARED,		 /* hv_evtchn_map_shared_info */
	OP_RAISE_VIRQ,
	OP_RAISE_PIRQ,
	OP_ALLOC_HYPERVISOR,
	OP_RAISE,
	OP_PORT_PENDING,
	OP_WRITE_GUEST, /* the guest writes 20 bytes into one of its pages */
	OP_DESTROY,	/* the domain dies */
	OP_BAD_ARG, /* the hypercall with an argument address of bytes 8-15 */
};

static const unsigned int max_ports[] = {0, 5, 4095, 5000};

static struct fake_dom *live(struct world *w, hv_domid_t domid)
{
	if (domid >= w->ndom || !w->dom[domid].d)
		return NULL;
	return &w->dom[domid];
}

/* A guest address: bit 7 of `how` set, the raw 64 bits at p; else a page
 * of the guest's (so mostly mapped) and an offset into it. */
static uint64_t guest_addr(uint8_t how, const uint8_t *p)
{
	if (how & 0x80)
		return fuzz_le(p, 8);
	return gfn_addr(how % GFN_ARRAY) + fuzz_le(p, 2) % PAGE;
}

/* The domain an op names, as the library reads it. */
static hv_domid_t named(struct fake_dom *fd, domid_t dom)
{
	return dom == DOMID_SELF ? fd->cfg.domid : dom;
}

/* Where a successful bind put its port: the domain and the port. */
static bool bound_port(struct fake_dom *fd, unsigned int cmd, const void *op,
		       hv_domid_t *domid, evtchn_port_t *port)
{
	*domid = fd->cfg.domid;
	switch (cmd) {
	case EVTCHNOP_alloc_unbound: {
		const struct evtchn_alloc_unbound *a = op;

		*domid = named(fd, a->dom);
		*port = a->port;
		return true;
	}
	case EVTCHNOP_bind_interdomain:
		*port =
		    ((const struct evtchn_bind_interdomain *)op)->local_port;
		return true;
	case EVTCHNOP_bind_virq:
		*port = ((const struct evtchn_bind_virq *)op)->port;
		return true;
	case EVTCHNOP_bind_pirq:
		*port = ((const struct evtchn_bind_pirq *)op)->port;
		return true;
	case EVTCHNOP_bind_ipi:
		*port = ((const struct evtchn_bind_ipi *)op)->port;
		return true;
	default:
		return false;
	}
}

static void check_bound(struct world *w, hv_domid_t domid, evtchn_port_t port)
{
	struct fake_dom *fd = live(w, domid);
	struct evtchn_status st = {.dom = DOMID_SELF, .port = port};

	fuzz_check(fd != NULL && port != 0);
	fuzz_check(hv_evtchn_op(fd->d, EVTCHNOP_status, &st) == 0);
	fuzz_check(st.status != EVTCHNSTAT_closed);
	fuzz_check(fd->cfg.max_port == 0 || port <= fd->cfg.max_port);
}

/* The status of the port an op names first (close, send, bind_vcpu,
 * unmask, set_priority), or of port 0 for the others. */
static struct evtchn_status named_status(struct fake_dom *fd, unsigned int cmd,
					 const uint8_t *op)
{
	struct evtchn_status st;

	memset(&st, 0, sizeof(st)); /* padding too: compared whole */
	st.dom = DOMID_SELF;
	switch (cmd) {
	case EVTCHNOP_close:
	case EVTCHNOP_send:
	case EVTCHNOP_bind_vcpu:
	case EVTCHNOP_unmask:
	case EVTCHNOP_set_priority:
		st.port = (evtchn_port_t)fuzz_le(op, 4);
		break;
	}
	st.status = (uint32_t)hv_evtchn_op(fd->d, EVTCHNOP_status, &st);
	return st;
}

static void evtchnop(struct world *w, struct fake_dom *fd, const uint8_t *r)
{
	unsigned int cmd = r[1], before[DOMAINS];
	uint8_t op[RECORD - OPS_AT];
	struct evtchn_status named, after;
	hv_domid_t domid;
	evtchn_port_t port;
	int rc;

	for (size_t i = 0; i < w->ndom; i++)
		before[i] =
		    w->dom[i].d ? hv_evtchn_bound_ports(w->dom[i].d) : 0;
	named = named_status(fd, cmd, r + OPS_AT);
	memcpy(op, r + OPS_AT, sizeof(op));
	rc = guest_op(fd, cmd, op);
	if (rc < 0) {
		/* A failed op changes nothing (hv/evtchn.h): no domain's
		 * count of bound ports, not the port it named. */
		for (size_t i = 0; i < w->ndom; i++)
			fuzz_check(!w->dom[i].d ||
				   hv_evtchn_bound_ports(w->dom[i].d) ==
				       before[i]);
		after = named_status(fd, cmd, r + OPS_AT);
		fuzz_check(!memcmp(&named, &after, sizeof(named)));
		return;
	}
	fuzz_check(rc == 0);
	if (bound_port(fd, cmd, op, &domid, &port))
		check_bound(w, domid, port);
}

static void destroy(struct fake_dom *fd)
{
	fd->hidden = true; /* get_domain no longer finds it */
	hv_evtchn_domain_destroy(fd->d);
	fd->d = NULL;
}

static void write_guest(struct fake_dom *fd, const uint8_t *r)
{
	uint8_t *page = guest_page(fd, r[2] % GUEST_PAGES);
	size_t at = fuzz_le(r + OPS_AT, 2) % PAGE, len = RECORD - OPS_AT - 4;

	if (len > PAGE - at)
		len = PAGE - at;
	memcpy(page + at, r + OPS_AT + 4, len);
}

static void step(struct world *w, const uint8_t *r)
{
	struct fake_dom *fd = live(w, (r[0] & 3) % DOMAINS);
	const uint8_t *a = r + OPS_AT;

	if (!fd)
		return;
	if (r[1] < OP_EVTCHNOP_END) {
		evtchnop(w, fd, r);
		return;
	}
	switch (r[1]) {
	case OP_MAP_VCPU_INFO:
		hv_evtchn_map_vcpu_info(fd->d, r[3], guest_addr(r[2], a));
		break;
	case OP_MAP_SHARED:
		hv_evtchn_map_shared_info(fd->d, guest_addr(r[2], a));
		break;
	case OP_RAISE_VIRQ:
		hv_evtchn_raise_virq(fd->d, r[2], r[3]);
		break;
	case OP_RAISE_PIRQ:
		hv_evtchn_raise_pirq(fd->d, (uint32_t)fuzz_le(a, 4));
		break;
	case OP_ALLOC_HYPERVISOR: {
		int port = hv_evtchn_alloc_hypervisor(fd->d);

		if (port >= 0)
			check_bound(w, fd->cfg.domid, (evtchn_port_t)port);
		break;
	}
	case OP_RAISE:
		hv_evtchn_raise(fd->d, (evtchn_port_t)fuzz_le(a, 4));
		break;
	case OP_PORT_PENDING:
		hv_evtchn_port_pending(fd->d, (evtchn_port_t)fuzz_le(a, 4));
		break;
	case OP_WRITE_GUEST:
		write_guest(fd, r);
		break;
	case OP_DESTROY:
		destroy(fd);
		break;
	case OP_BAD_ARG:
		hv_evtchn_hypercall(fd->d, &fd->gmem, r[2] & 15, fuzz_le(a, 8));
		break;
	}
}

/* Every interdomain port's peer is interdomain back to it: no close,
 * reset or destruction left half a channel. */
static void check_channels(struct world *w)
{
	for (size_t i = 0; i < w->ndom; i++) {
		struct fake_dom *fd = &w->dom[i];

		/* Up to the first invalid port: the end of the buckets. */
		for (evtchn_port_t p = 1; fd->d; p++) {
			struct evtchn_status st = {.dom = DOMID_SELF,
						   .port = p};
			struct evtchn_status back = {.dom = DOMID_SELF};
			struct fake_dom *peer;

			if (hv_evtchn_op(fd->d, EVTCHNOP_status, &st))
				break;
			if (st.status != EVTCHNSTAT_interdomain)
				continue;
			peer = live(w, st.u.interdomain.dom);
			fuzz_check(peer != NULL);
			back.port = st.u.interdomain.port;
			fuzz_check(
			    hv_evtchn_op(peer->d, EVTCHNOP_status, &back) == 0);
			fuzz_check(back.status == EVTCHNSTAT_interdomain &&
				   back.u.interdomain.dom == fd->cfg.domid &&
				   back.u.interdomain.port == p);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dom_opts opts = {0};
	struct world *w;

	if (size < 1)
		return 0;
	opts.privileged = data[0] & CFG_PRIVILEGED;
	opts.no_2l = data[0] & CFG_NO_2L;
	opts.max_port = max_ports[(data[0] & CFG_MAX_PORT) >> 2];
	opts.nr_vcpus = 1 + ((data[0] & CFG_VCPUS) >> 4);
	opts.nr_pirqs = 4;
	w = world_new(DOMAINS, &opts);
	for (size_t at = 1; at + RECORD <= size; at += RECORD)
		step(w, data + at);
	check_channels(w);
	world_free(w); /* destroys every domain; aborts on a leaked byte */
	return 0;
}
