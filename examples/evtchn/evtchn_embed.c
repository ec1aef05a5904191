/*
 * Embedding libhv-evtchn in your own hypervisor (or emulator, or test
 * harness): Xen's event channels with nothing else of hvkit around them.
 *
 * Two "domains" live in plain host memory here.  What the library needs
 * from its embedder is small:
 *   - guest memory, reached through a translation callback (struct
 *     hv_gmem): here, two pages per domain;
 *   - an allocator for its own state (malloc will do);
 *   - get_domain, to find the other end of an interdomain channel;
 *   - notify, "this vCPU has an event upcall pending": a real hypervisor
 *     injects an interrupt or wakes the vCPU; here we count.
 * The guest side uses libhv-evtchn-guest's 2-level consumer, which is what
 * a guest kernel's upcall handler does.  The program checks that every
 * event arrived, so running it is its test.
 */
#include <hv/evtchn.h>
#include <hv/evtchn_guest.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE		4096
#define SHARED_INFO_GFN 0 /* where each guest put its shared-info page */
#define EVENTS		3

struct domain {
	const char *name;
	struct hv_evtchn_domain *evtchn;
	struct hv_gmem gmem;
	uint8_t *pages; /* two pages of "guest RAM" */
	unsigned int upcalls;
	unsigned int events_seen;
	struct hv_evtchn_guest_2l consumer;
};

static struct domain domains[2] = {{.name = "front"}, {.name = "back"}};

/* Guest frame -> host page: the embedder's P2M, two frames deep. */
static int translate(void *ctx, hv_gfn_t gfn, unsigned int access, void **page)
{
	struct domain *d = ctx;

	(void)access;
	if (hv_gfn_x(gfn) >= 2)
		return -HV_EFAULT;
	*page = d->pages + hv_gfn_x(gfn) * PAGE;
	return 0;
}

static void *alloc(void *opaque, size_t size, size_t align)
{
	(void)opaque;
	return aligned_alloc(align, (size + align - 1) / align * align);
}

static void release(void *opaque, void *ptr, size_t size)
{
	(void)opaque;
	(void)size;
	free(ptr);
}

static struct hv_evtchn_domain *get_domain(void *ctx, hv_domid_t domid)
{
	(void)ctx;
	return domid < 2 ? domains[domid].evtchn : NULL;
}

static void notify(void *ctx, struct hv_evtchn_domain *ed, hv_vcpuid_t vcpu)
{
	(void)ctx;
	(void)vcpu;
	domains[hv_evtchn_domain_id(ed)].upcalls++;
}

static const struct hv_evtchn_ops ops = {.get_domain = get_domain,
					 .notify = notify};

/* The guest side: its event_channel_op hypercall goes straight to the
 * library (a real guest traps to the hypervisor, which does the same). */
static int guest_hypercall(void *opaque, unsigned int cmd, void *arg)
{
	return hv_evtchn_op(((struct domain *)opaque)->evtchn, cmd, arg);
}

static void guest_handler(void *opaque, evtchn_port_t port)
{
	struct domain *d = opaque;

	d->events_seen++;
	printf("%s: event on port %u\n", d->name, port);
}

static int domain_create(hv_domid_t id)
{
	struct domain *d = &domains[id];
	struct hv_evtchn_config cfg = {
	    .domid = id,
	    .nr_vcpus = 1,
	    .abi_2l = &hv_evtchn_2l, /* link only the 2-level ABI */
	    .gmem = &d->gmem,
	    .ops = &ops,
	    .alloc = {.alloc = alloc, .free = release},
	};
	static struct hv_evtchn_guest_ops guest_ops[2];
	struct shared_info *shared;
	int err;

	d->pages = aligned_alloc(PAGE, 2 * PAGE);
	if (!d->pages)
		return -HV_ENOMEM;
	memset(d->pages, 0, 2 * PAGE);
	hv_gmem_init(&d->gmem, translate, d, 32);
	err = hv_evtchn_domain_create(&cfg, &d->evtchn);
	if (!err) /* the guest mapped its shared-info page (add_to_physmap) */
		err = hv_evtchn_map_shared_info(d->evtchn,
						SHARED_INFO_GFN * PAGE);
	shared = (void *)(d->pages + SHARED_INFO_GFN * PAGE); /* page-aligned */
	guest_ops[id] =
	    (struct hv_evtchn_guest_ops){.hypercall = guest_hypercall,
					 .handler = guest_handler,
					 .opaque = d};
	hv_evtchn_guest_2l_init(&d->consumer, shared, &shared->vcpu_info[0],
				NULL, &guest_ops[id]);
	return err;
}

int main(void)
{
	struct evtchn_alloc_unbound offer = {.dom = DOMID_SELF,
					     .remote_dom = 1};
	struct evtchn_bind_interdomain bind = {.remote_dom = 0};
	struct evtchn_send send;
	int err = domain_create(0);

	err = err ? err : domain_create(1);
	/* front offers a port to back; back binds to it. */
	err = err ? err
		  : hv_evtchn_op(domains[0].evtchn, EVTCHNOP_alloc_unbound,
				 &offer);
	bind.remote_port = offer.port;
	err = err ? err
		  : hv_evtchn_op(domains[1].evtchn, EVTCHNOP_bind_interdomain,
				 &bind);
	if (err) {
		fprintf(stderr, "setup failed: %s\n", hv_core_strerror(err));
		return 1;
	}
	printf("front: port %u offered; back: bound as port %u\n", offer.port,
	       bind.local_port);

	send.port = bind.local_port;
	for (int i = 0; i < EVENTS; i++) {
		err = hv_evtchn_op(domains[1].evtchn, EVTCHNOP_send, &send);
		/* front's upcall handler runs, as after an interrupt. */
		hv_evtchn_guest_2l_drain(&domains[0].consumer);
		if (err)
			return 1;
	}
	printf("front: %u events, %u upcalls\n", domains[0].events_seen,
	       domains[0].upcalls);
	for (int i = 1; i >= 0; i--) {
		hv_evtchn_domain_destroy(domains[i].evtchn);
		free(domains[i].pages);
	}
	return domains[0].events_seen == EVENTS ? 0 : 1;
}
