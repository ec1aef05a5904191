/* The fake hypervisor of harness.h. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "harness.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../fixture_check.h"

#include <hv/bitmap.h>

static int translate(void *ctx, hv_gfn_t frame, unsigned int access,
		     void **page)
{
	struct fake_dom *fd = ctx;
	uint64_t gfn = hv_gfn_x(frame);

	if (gfn >= GUEST_PAGES || gfn == GFN_HOLE)
		return -HV_EFAULT;
	if (gfn == GFN_RO && (access & HV_GMEM_WRITE))
		return -HV_EPERM;
	*page = fd->mem + gfn * PAGE;
	return 0;
}

static int pin(void *ctx, hv_gfn_t frame, unsigned int access, void **page,
	       uint64_t *pin)
{
	struct fake_dom *fd = ctx;
	int rc = translate(ctx, frame, access, page);

	if (rc == 0) {
		__atomic_fetch_add(&fd->pins[hv_gfn_x(frame)], 1,
				   __ATOMIC_SEQ_CST);
		*pin = hv_gfn_x(frame);
	}
	return rc;
}

static void unpin(void *ctx, uint64_t pin)
{
	struct fake_dom *fd = ctx;

	assert_true(pin < GUEST_PAGES);
	assert_true(__atomic_fetch_sub(&fd->pins[pin], 1, __ATOMIC_SEQ_CST) >
		    0);
}

static void *fake_alloc(void *opaque, size_t size, size_t align)
{
	struct world *w = opaque;

	assert_true(align >= 1 && align <= 64 && (align & (align - 1)) == 0);
	/* Failure injection is for single-threaded tests. */
	if (w->fail_after == 0)
		return NULL;
	if (w->fail_after > 0)
		w->fail_after--;
	__atomic_fetch_add(&w->bytes, size, __ATOMIC_SEQ_CST);
	/* Garbage, to catch memory the library forgets to initialise. */
	return memset(aligned_alloc(64, (size + 63) & ~(size_t)63), 0xa5, size);
}

static void fake_free(void *opaque, void *ptr, size_t size)
{
	struct world *w = opaque;

	__atomic_fetch_sub(&w->bytes, size, __ATOMIC_SEQ_CST);
	free(ptr);
}

static struct hv_evtchn_domain *get_domain(void *ctx, hv_domid_t domid)
{
	struct world *w = ctx;

	for (size_t i = 0; i < w->ndom; i++) {
		if (w->dom[i].cfg.domid == domid && !w->dom[i].hidden &&
		    w->dom[i].d) {
			__atomic_fetch_add(&w->gets, 1, __ATOMIC_SEQ_CST);
			return w->dom[i].d;
		}
	}
	return NULL;
}

static void put_domain(void *ctx, struct hv_evtchn_domain *d)
{
	struct world *w = ctx;

	(void)d;
	__atomic_fetch_add(&w->puts, 1, __ATOMIC_SEQ_CST);
}

static void notify(void *ctx, struct hv_evtchn_domain *d, hv_vcpuid_t vcpu)
{
	struct world *w = ctx;

	for (size_t i = 0; i < w->ndom; i++) {
		struct fake_dom *fd = &w->dom[i];

		if (fd->d != d)
			continue;
		assert_true(vcpu < fd->cfg.nr_vcpus);
		__atomic_fetch_add(vcpu < MAX_VCPUS ? &fd->notified[vcpu]
						    : &fd->notified_high,
				   1, __ATOMIC_SEQ_CST);
		return;
	}
	fail_msg("notify for an unknown domain");
}

static int guest_hypercall(void *opaque, unsigned int cmd, void *arg)
{
	return guest_op(opaque, cmd, arg);
}

static void guest_handler(void *opaque, evtchn_port_t port)
{
	struct fake_dom *fd = opaque;

	if (fd->nseen < HV_ARRAY_SIZE(fd->seen))
		fd->seen[fd->nseen] = port;
	fd->nseen++;
}

static void dom_init(struct world *w, size_t i, const struct dom_opts *o)
{
	struct fake_dom *fd = &w->dom[i];
	struct hv_evtchn_config *cfg = &fd->cfg;

	/* Zeroed pages, touched only where used: the fuzz harness makes a
	 * world per input, and clearing all of them cost most of its time. */
	fd->mem = mmap(NULL, (size_t)GUEST_PAGES * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(fd->mem != MAP_FAILED);
	hv_gmem_init(&fd->gmem, translate, fd, 40);
	hv_gmem_set_pinning(&fd->gmem, pin, unpin);
	cfg->domid = (hv_domid_t)i;
	cfg->nr_vcpus = o->nr_vcpus ? o->nr_vcpus : 1;
	cfg->nr_pirqs = o->nr_pirqs;
	cfg->max_port = o->max_port;
	cfg->privileged = o->privileged;
	cfg->abi_2l = o->no_2l ? NULL : &hv_evtchn_2l;
	cfg->abi_fifo = o->no_fifo ? NULL : &hv_evtchn_fifo;
	cfg->gmem = &fd->gmem;
	cfg->ops = &w->ops;
	cfg->ctx = w;
	cfg->alloc.alloc = fake_alloc;
	cfg->alloc.free = fake_free;
	cfg->alloc.opaque = w;
	assert_int_equal(hv_evtchn_domain_create(cfg, &fd->d), 0);
	if (!o->no_shared)
		assert_int_equal(
		    hv_evtchn_map_shared_info(fd->d, gfn_addr(GFN_SHARED)), 0);
	fd->gops.hypercall = guest_hypercall;
	fd->gops.handler = guest_handler;
	fd->gops.opaque = fd;
	for (unsigned int v = 0; v < cfg->nr_vcpus && v < MAX_VCPUS; v++)
		hv_evtchn_guest_2l_init(&fd->g2l[v], guest_shared(fd),
					guest_vcpu_info(fd, v), NULL,
					&fd->gops);
}

struct world *world_new(size_t n, const struct dom_opts *opts)
{
	static const struct dom_opts defaults;
	struct dom_opts each[MAX_DOMS];

	assert_true(n <= MAX_DOMS);
	for (size_t i = 0; i < n; i++)
		each[i] = opts ? *opts : defaults;
	return world_new_each(n, each);
}

struct world *world_new_each(size_t n, const struct dom_opts *opts)
{
	struct world *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	assert_true(n <= MAX_DOMS);
	w->fail_after = -1;
	w->ops.get_domain = get_domain;
	w->ops.put_domain = put_domain;
	w->ops.notify = notify;
	w->ndom = n;
	for (size_t i = 0; i < n; i++)
		dom_init(w, i, &opts[i]);
	return w;
}

void world_free(struct world *w)
{
	for (size_t i = 0; i < w->ndom; i++) {
		if (w->dom[i].d)
			hv_evtchn_domain_destroy(w->dom[i].d);
		w->dom[i].d = NULL;
	}
	assert_int_equal(w->bytes, 0);
	for (size_t i = 0; i < w->ndom; i++) {
		for (size_t gfn = 0; gfn < GUEST_PAGES; gfn++)
			assert_int_equal(w->dom[i].pins[gfn], 0);
		munmap(w->dom[i].mem, (size_t)GUEST_PAGES * PAGE);
	}
	free(w);
}

struct fake_dom *dom(struct world *w, size_t i)
{
	return &w->dom[i];
}

struct hv_evtchn_domain *hd(struct world *w, size_t i)
{
	return w->dom[i].d;
}

uint64_t gfn_addr(uint64_t gfn)
{
	return gfn * PAGE;
}

void *guest_page(struct fake_dom *fd, uint64_t gfn)
{
	return fd->mem + gfn * PAGE;
}

struct shared_info *guest_shared(struct fake_dom *fd)
{
	return guest_page(fd, GFN_SHARED);
}

/* Where the guest reads vCPU v's vcpu_info: registered or in shared info. */
struct vcpu_info *guest_vcpu_info(struct fake_dom *fd, unsigned int vcpu)
{
	return &guest_shared(fd)->vcpu_info[vcpu];
}

static size_t op_size(unsigned int cmd)
{
	switch (cmd) {
	case EVTCHNOP_bind_interdomain:
		return sizeof(struct evtchn_bind_interdomain);
	case EVTCHNOP_bind_virq:
		return sizeof(struct evtchn_bind_virq);
	case EVTCHNOP_bind_pirq:
		return sizeof(struct evtchn_bind_pirq);
	case EVTCHNOP_close:
		return sizeof(struct evtchn_close);
	case EVTCHNOP_send:
		return sizeof(struct evtchn_send);
	case EVTCHNOP_status:
		return sizeof(struct evtchn_status);
	case EVTCHNOP_alloc_unbound:
		return sizeof(struct evtchn_alloc_unbound);
	case EVTCHNOP_bind_ipi:
		return sizeof(struct evtchn_bind_ipi);
	case EVTCHNOP_bind_vcpu:
		return sizeof(struct evtchn_bind_vcpu);
	case EVTCHNOP_unmask:
		return sizeof(struct evtchn_unmask);
	case EVTCHNOP_reset:
		return sizeof(struct evtchn_reset);
	case EVTCHNOP_init_control:
		return sizeof(struct evtchn_init_control);
	case EVTCHNOP_expand_array:
		return sizeof(struct evtchn_expand_array);
	case EVTCHNOP_set_priority:
		return sizeof(struct evtchn_set_priority);
	default:
		return 0;
	}
}

int guest_op(struct fake_dom *fd, unsigned int cmd, void *op)
{
	size_t size = op_size(cmd);
	uint8_t *args = guest_page(fd, GFN_ARGS);
	int rc;

	memcpy(args, op, size);
	rc = hv_evtchn_hypercall(fd->d, &fd->gmem, cmd, gfn_addr(GFN_ARGS));
	memcpy(op, args, size);
	return rc;
}

evtchn_port_t bind_ipi(struct fake_dom *fd, uint32_t vcpu)
{
	struct evtchn_bind_ipi op = {.vcpu = vcpu};

	assert_int_equal(guest_op(fd, EVTCHNOP_bind_ipi, &op), 0);
	return op.port;
}

evtchn_port_t bind_virq(struct fake_dom *fd, uint32_t virq, uint32_t vcpu)
{
	struct evtchn_bind_virq op = {.virq = virq, .vcpu = vcpu};

	assert_int_equal(guest_op(fd, EVTCHNOP_bind_virq, &op), 0);
	return op.port;
}

evtchn_port_t alloc_unbound(struct fake_dom *fd, hv_domid_t remote)
{
	struct evtchn_alloc_unbound op = {.dom = DOMID_SELF,
					  .remote_dom = remote};

	assert_int_equal(guest_op(fd, EVTCHNOP_alloc_unbound, &op), 0);
	return op.port;
}

evtchn_port_t bind_interdomain(struct fake_dom *fd, hv_domid_t remote,
			       evtchn_port_t rport)
{
	struct evtchn_bind_interdomain op = {.remote_dom = remote,
					     .remote_port = rport};

	assert_int_equal(guest_op(fd, EVTCHNOP_bind_interdomain, &op), 0);
	return op.local_port;
}

void send_port(struct fake_dom *fd, evtchn_port_t port)
{
	struct evtchn_send op = {.port = port};

	assert_int_equal(guest_op(fd, EVTCHNOP_send, &op), 0);
}

uint32_t port_status(struct fake_dom *fd, evtchn_port_t port,
		     struct evtchn_status *out)
{
	struct evtchn_status op = {.dom = DOMID_SELF, .port = port};

	assert_int_equal(guest_op(fd, EVTCHNOP_status, &op), 0);
	if (out)
		*out = op;
	return op.status;
}

struct evtchn_fifo_control_block *fifo_cb(struct fake_dom *fd,
					  unsigned int vcpu)
{
	void *cb = fd->mem + GFN_CB * PAGE + vcpu * 128;

	return cb;
}

void setup_fifo(struct fake_dom *fd, unsigned int pages)
{
	for (unsigned int v = 0; v < fd->cfg.nr_vcpus; v++)
		assert_int_equal(hv_evtchn_guest_fifo_setup(
				     &fd->gfifo[v], &fd->array, fifo_cb(fd, v),
				     GFN_CB, v * 128, v, guest_vcpu_info(fd, v),
				     &fd->gops),
				 0);
	for (unsigned int p = 0; p < pages; p++)
		assert_int_equal(hv_evtchn_guest_fifo_expand(
				     &fd->array, guest_page(fd, GFN_ARRAY + p),
				     GFN_ARRAY + p, &fd->gops),
				 0);
}

unsigned int drain_2l(struct fake_dom *fd, unsigned int vcpu)
{
	return hv_evtchn_guest_2l_drain(&fd->g2l[vcpu]);
}

unsigned int drain_fifo(struct fake_dom *fd, unsigned int vcpu)
{
	return hv_evtchn_guest_fifo_drain(&fd->gfifo[vcpu]);
}

void clear_seen(struct fake_dom *fd)
{
	fd->nseen = 0;
}

static unsigned long *l2_map(xen_ulong_t *words)
{
	return (unsigned long *)words;
}

bool l2_pending(struct fake_dom *fd, evtchn_port_t port)
{
	return hv_bitmap_test(l2_map(guest_shared(fd)->evtchn_pending), port);
}

bool l2_masked(struct fake_dom *fd, evtchn_port_t port)
{
	return hv_bitmap_test(l2_map(guest_shared(fd)->evtchn_mask), port);
}

void l2_set_mask(struct fake_dom *fd, evtchn_port_t port, bool masked)
{
	if (masked)
		hv_bitmap_set(l2_map(guest_shared(fd)->evtchn_mask), port);
	else
		hv_bitmap_clear(l2_map(guest_shared(fd)->evtchn_mask), port);
}

bool l2_selected(struct fake_dom *fd, unsigned int vcpu, unsigned int word)
{
	return (guest_vcpu_info(fd, vcpu)->evtchn_pending_sel >> word) & 1;
}

event_word_t *fifo_word(struct fake_dom *fd, evtchn_port_t port)
{
	event_word_t *page = guest_page(fd, GFN_ARRAY + port / 1024);

	return &page[port % 1024];
}
