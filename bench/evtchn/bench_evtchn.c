/*
 * libhv-evtchn benchmarks, on one core:
 *  - send-to-consume throughput for each ABI: a remote domain sends over
 *    interdomain channels (the hypervisor's EVTCHNOP_send) and the reference
 *    guest consumer drains them, both in this one thread;
 *  - hypervisor memory per bound channel, counted at the allocator.
 */
/* clock_gettime is POSIX, not C11. */
#define _POSIX_C_SOURCE 200809L

#include <hv/error.h>
#include <hv/evtchn.h>
#include <hv/evtchn_guest.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../bench_goal.h"

#define PAGE	      4096u
#define GUEST_PAGES   (8u + 128u)
#define GFN_SHARED    0u
#define GFN_CB	      2u
#define GFN_ARGS      3u
#define GFN_ARRAY     8u
#define MAX_CHANNELS  64u
#define TARGET_EVENTS 20000000ul /* per measurement */

struct guest {
	struct hv_evtchn_domain *d;
	uint8_t *mem;
	struct hv_gmem gmem;
	struct hv_evtchn_guest_ops ops;
	struct hv_evtchn_guest_2l g2l;
	struct hv_evtchn_guest_fifo gfifo;
	struct hv_evtchn_guest_fifo_array array;
};

static size_t allocated; /* bytes the library holds now */
static unsigned long handled;
static struct guest guests[2];

static void *bench_alloc(void *opaque, size_t size, size_t align)
{
	(void)opaque;
	allocated += size;
	return aligned_alloc(align < 16 ? 16 : align, (size + 15) & ~15ul);
}

static void bench_free(void *opaque, void *ptr, size_t size)
{
	(void)opaque;
	allocated -= size;
	free(ptr);
}

static int translate(void *ctx, hv_gfn_t gfn, unsigned int access, void **page)
{
	struct guest *g = ctx;

	(void)access;
	if (hv_gfn_x(gfn) >= GUEST_PAGES)
		return -HV_EFAULT;
	*page = g->mem + hv_gfn_x(gfn) * PAGE;
	return 0;
}

static struct hv_evtchn_domain *get_domain(void *ctx, hv_domid_t domid)
{
	(void)ctx;
	return domid < 2 ? guests[domid].d : NULL;
}

static void notify(void *ctx, struct hv_evtchn_domain *d, hv_vcpuid_t vcpu)
{
	(void)ctx;
	(void)d;
	(void)vcpu;
}

static int hypercall(void *opaque, unsigned int cmd, void *arg)
{
	struct guest *g = opaque;

	return hv_evtchn_op(g->d, cmd, arg);
}

static void handler(void *opaque, evtchn_port_t port)
{
	(void)opaque;
	(void)port;
	handled++;
}

static const struct hv_evtchn_ops ops = {
    .get_domain = get_domain,
    .notify = notify,
};

static void guest_init(struct guest *g, hv_domid_t domid)
{
	struct hv_evtchn_config cfg = {
	    .domid = domid,
	    .nr_vcpus = 1,
	    .abi_2l = &hv_evtchn_2l,
	    .abi_fifo = &hv_evtchn_fifo,
	    .gmem = &g->gmem,
	    .ops = &ops,
	    .alloc = {bench_alloc, bench_free, NULL},
	};

	memset(g, 0, sizeof(*g));
	g->mem = aligned_alloc(PAGE, GUEST_PAGES * PAGE);
	memset(g->mem, 0, GUEST_PAGES * PAGE);
	hv_gmem_init(&g->gmem, translate, g, 40);
	cfg.gmem = &g->gmem;
	if (hv_evtchn_domain_create(&cfg, &g->d) != 0 ||
	    hv_evtchn_map_shared_info(g->d, GFN_SHARED * PAGE) != 0)
		abort();
	g->ops = (struct hv_evtchn_guest_ops){hypercall, handler, g};
	hv_evtchn_guest_2l_init(
	    &g->g2l, (void *)(g->mem + GFN_SHARED * PAGE),
	    &((struct shared_info *)(void *)g->mem)->vcpu_info[0], NULL,
	    &g->ops);
}

static void guest_free(struct guest *g)
{
	hv_evtchn_domain_destroy(g->d);
	free(g->mem);
}

/* Give the guest the FIFO ABI with `pages` event-array pages. */
static void guest_fifo(struct guest *g, unsigned int pages)
{
	struct shared_info *s = (void *)(g->mem + GFN_SHARED * PAGE);

	if (hv_evtchn_guest_fifo_setup(&g->gfifo, &g->array,
				       (void *)(g->mem + GFN_CB * PAGE), GFN_CB,
				       0, 0, &s->vcpu_info[0], &g->ops) != 0)
		abort();
	for (unsigned int p = 0; p < pages; p++) {
		if (hv_evtchn_guest_fifo_expand(
			&g->array, (void *)(g->mem + (GFN_ARRAY + p) * PAGE),
			GFN_ARRAY + p, &g->ops) != 0)
			abort();
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Connect n channels from guests[0] to guests[1]; ports into tx. */
static void connect_channels(evtchn_port_t *tx, unsigned int n, bool fifo)
{
	struct guest *rx = &guests[1];

	for (unsigned int i = 0; i < n; i++) {
		struct evtchn_alloc_unbound au = {.dom = DOMID_SELF,
						  .remote_dom = 0};
		struct evtchn_bind_interdomain bi = {.remote_dom = 1};

		if (hv_evtchn_op(rx->d, EVTCHNOP_alloc_unbound, &au) != 0)
			abort();
		bi.remote_port = au.port;
		if (hv_evtchn_op(guests[0].d, EVTCHNOP_bind_interdomain, &bi))
			abort();
		tx[i] = bi.local_port;
		if (fifo)
			hv_evtchn_guest_fifo_unmask(&rx->gfifo, au.port);
	}
}

static unsigned int drain(bool fifo)
{
	return fifo ? hv_evtchn_guest_fifo_drain(&guests[1].gfifo)
		    : hv_evtchn_guest_2l_drain(&guests[1].g2l);
}

struct result {
	unsigned long events;
	double secs;
};

/* Send `batch` events on distinct channels, drain them; repeat. */
static struct result send_consume(bool fifo, unsigned int batch,
				  bool hypercall_path)
{
	evtchn_port_t tx[MAX_CHANNELS];
	struct evtchn_send *args;
	struct result r = {0, 0};
	double t0;

	guest_init(&guests[0], 0);
	guest_init(&guests[1], 1);
	if (fifo)
		guest_fifo(&guests[1], 1);
	connect_channels(tx, batch, fifo);
	drain(fifo);
	args = (void *)(guests[0].mem + GFN_ARGS * PAGE);
	handled = 0;
	t0 = now();
	while (handled < TARGET_EVENTS) {
		for (unsigned int i = 0; i < batch; i++) {
			int rc;

			if (hypercall_path) {
				args->port = tx[i];
				rc = hv_evtchn_hypercall(
				    guests[0].d, &guests[0].gmem, EVTCHNOP_send,
				    GFN_ARGS * PAGE);
			} else {
				struct evtchn_send op = {.port = tx[i]};

				rc = hv_evtchn_op(guests[0].d, EVTCHNOP_send,
						  &op);
			}
			if (rc)
				abort();
		}
		if (drain(fifo) != batch)
			abort();
	}
	r.secs = now() - t0;
	r.events = handled;
	guest_free(&guests[0]);
	guest_free(&guests[1]);
	return r;
}

/* Sends to a port already pending: the coalescing fast path. */
static struct result send_pending(bool fifo)
{
	evtchn_port_t tx;
	struct result r = {TARGET_EVENTS, 0};
	struct evtchn_send op;
	double t0;

	guest_init(&guests[0], 0);
	guest_init(&guests[1], 1);
	if (fifo)
		guest_fifo(&guests[1], 1);
	connect_channels(&tx, 1, fifo);
	op.port = tx;
	t0 = now();
	for (unsigned long i = 0; i < r.events; i++) {
		if (hv_evtchn_op(guests[0].d, EVTCHNOP_send, &op))
			abort();
	}
	r.secs = now() - t0;
	guest_free(&guests[0]);
	guest_free(&guests[1]);
	return r;
}

static void print_row(const char *abi, const char *what, unsigned int batch,
		      struct result r)
{
	printf("%-8s %-34s %6u %12lu %9.3f %10.2f %9.1f\n", abi, what, batch,
	       r.events, r.secs, (double)r.events / r.secs / 1e6,
	       r.secs * 1e9 / (double)r.events);
}

static void throughput(void)
{
	static const unsigned int batches[] = {1, 64};

	printf("libhv-evtchn: send-to-consume throughput, one core "
	       "(interdomain send + reference guest consumer)\n");
	printf("%-8s %-34s %6s %12s %9s %10s %9s\n", "ABI", "path", "batch",
	       "events", "seconds", "Mevents/s", "ns/event");
	for (int fifo = 1; fifo >= 0; fifo--) {
		const char *abi = fifo ? "FIFO" : "2-level";

		for (size_t b = 0; b < 2; b++)
			print_row(abi, "hv_evtchn_op send + drain", batches[b],
				  send_consume(fifo, batches[b], false));
		print_row(abi, "guest hypercall send + drain", 64,
			  send_consume(fifo, 64, true));
		print_row(abi, "send to a pending port (coalesced)", 1,
			  send_pending(fifo));
	}
	printf("\n");
}

/* Bytes the library holds for a domain with n ports bound. */
static size_t bytes_with(unsigned int n, bool fifo, size_t *base)
{
	struct guest *g = &guests[0];
	size_t before = allocated, with;

	guest_init(g, 0);
	if (fifo)
		guest_fifo(g, 128);
	*base = allocated - before;
	for (unsigned int i = 0; i < n; i++) {
		struct evtchn_bind_ipi op = {.vcpu = 0};

		if (hv_evtchn_op(g->d, EVTCHNOP_bind_ipi, &op) != 0)
			abort();
	}
	with = allocated - before;
	guest_free(g);
	return with;
}

static void memory(void)
{
	static const unsigned int counts[] = {1, 63, 1023, 4095, 131071};

	printf("libhv-evtchn: hypervisor memory per bound channel "
	       "(bytes from the caller's allocator)\n");
	printf("%-8s %9s %13s %13s %15s %15s\n", "ABI", "channels", "empty (B)",
	       "bound (B)", "total B/chan", "added B/chan");
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		bool fifo = counts[i] > 4095;
		size_t base, with = bytes_with(counts[i], fifo, &base);

		printf("%-8s %9u %13zu %13zu %15.1f %15.1f\n",
		       fifo ? "FIFO" : "2-level", counts[i], base, with,
		       (double)with / counts[i],
		       (double)(with - base) / counts[i]);
	}
	printf("empty: a 1-vCPU domain with port 0 reserved (its first bucket "
	       "of 64 ports\nincluded); FIFO adds its per-domain and per-vCPU "
	       "queue state.  added: bytes\nallocated by binding, per "
	       "channel.\n");
}

static double fifo_events_per_s(void *ctx)
{
	struct result r = send_consume(true, 64, false);

	(void)ctx;
	return (double)r.events / r.secs;
}

int main(void)
{
	throughput();
	memory();
	bench_goal("FIFO send+drain, one core (batches of 64)",
		   bench_repeat(fifo_events_per_s, NULL), "events/s", 0, 60e6);
	printf("\n");
	return 0;
}
