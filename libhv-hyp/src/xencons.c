/*
 * The Xen console ring (Linux's hvc0): what Xen's domain builder and
 * xenconsoled give a domU, in the core.  Each domain gets a page of its
 * own memory at the arch's console_ring_gpa (outside its RAM, where Xen
 * puts it), told to the guest as HVM_PARAM_CONSOLE_PFN, and a port whose
 * other end is the core, HVM_PARAM_CONSOLE_EVTCHN.  When the guest sends
 * on it, what it wrote becomes its console lines ("(name) ...") and it is
 * notified back; input typed at the hypervisor's console goes into the
 * in[] ring of the domain that has the console.
 *
 * The ring is read and written through the domain's guest-physical view
 * at each use, never through a pointer kept: a guest that gives the page
 * back (decrease_reservation) only loses its console.  Its indices are
 * the guest's to write, so they are trusted for nothing: at most one
 * ring's worth is taken per notification and nothing outside the ring is
 * touched.  An image that does not name hv_hyp_xencons links none of this.
 */
#include <hv/evtchn.h>
#include <hv/hyp.h>

#include <xen/xen.h>
#include <xen/hvm/params.h>
#include <xen/io/console.h>

#include "hyp_priv.h"

#define RING(field) offsetof(struct xencons_interface, field)
/* Ring sizes in bytes, powers of two (Xen's MASK_XENCONS_IDX relies on
 * it too). */
#define OUT_SIZE sizeof(((struct xencons_interface *)0)->out)
#define IN_SIZE	 sizeof(((struct xencons_interface *)0)->in)

/* Bytes copied at a time: the hypervisor's stack is small. */
#define CHUNK 256u

struct xencons {
	hv_gpaddr_t ring; /* the page, guest-physical */
	evtchn_port_t port;
	struct hv_evtchn_domain *evtchn;
	bool used; /* the guest has notified the port: it uses the ring */
};

static int ring_page(struct hv_hyp_domain *d, hv_gpaddr_t gpa)
{
	struct hv_mm_domain *mm = &d->mm;
	int err;

	if (gpa + HV_PAGE_SIZE > d->ram_base && gpa < d->ram_base + d->ram_size)
		return -HV_EINVAL;
	/* One page beyond its RAM, as Xen's toolstack allows for the magic
	 * pages; it goes back with the domain's memory. */
	hv_mm_account_set_max(mm->heap, &mm->account,
			      mm->account.max_pages + 1);
	err = hv_mm_domain_populate(mm, NULL, hv_gpaddr_to_gfn(gpa), 1,
				    HV_MM_P2M_ORDER_4K, NULL);
	if (!err)
		err = hv_gmem_clear(&d->guest_phys, gpa, HV_PAGE_SIZE);
	return err;
}

static int domain_create(struct hv_hyp_domain *d, void **state)
{
	struct hv_hyp *h = d->hyp;
	struct hv_evtchn_domain *ed = hyp_domain_ext(d, &hv_hyp_evtchn);
	hv_gpaddr_t gpa = h->arch->console_ring_gpa;
	struct xencons *c;
	int port, err;

	if (!ed || !gpa) {
		hv_log_err(&h->log,
			   "domain %s: the console ring needs event "
			   "channels before it and the arch's ring address",
			   d->xen.name);
		return -HV_EINVAL;
	}
	err = ring_page(d, gpa);
	if (err) {
		hv_log_err(&h->log,
			   "domain %s: no console ring page at %#llx: %s",
			   d->xen.name, (unsigned long long)gpa,
			   hv_core_strerror(err));
		return err;
	}
	port = hv_evtchn_alloc_hypervisor(ed);
	if (port < 0)
		return port;
	c = hv_hyp_alloc(h, sizeof(*c));
	if (!c)
		return -HV_ENOMEM;
	c->ring = gpa;
	c->port = (evtchn_port_t)port;
	c->evtchn = ed;
	d->xen.hvm_params[HVM_PARAM_CONSOLE_PFN] = gpa >> HV_PAGE_SHIFT;
	d->xen.hvm_params[HVM_PARAM_CONSOLE_EVTCHN] = c->port;
	*state = c;
	return 0;
}

static void domain_destroy(struct hv_hyp_domain *d, void *state)
{
	hv_hyp_free(d->hyp, state, sizeof(struct xencons));
}

static int get_idx(struct hv_hyp_domain *d, const struct xencons *c, size_t off,
		   XENCONS_RING_IDX *idx)
{
	return hv_gmem_copy_from(&d->guest_phys, idx, c->ring + off,
				 sizeof(*idx));
}

static int put_idx(struct hv_hyp_domain *d, const struct xencons *c, size_t off,
		   XENCONS_RING_IDX idx)
{
	return hv_gmem_copy_to(&d->guest_phys, c->ring + off, &idx,
			       sizeof(idx));
}

/* Whether the guest still has the port as the core gave it (it may have
 * closed it and bound the number to something else). */
static bool port_ours(struct xencons *c)
{
	struct evtchn_status st = {.dom = DOMID_SELF, .port = c->port};

	return hv_evtchn_op(c->evtchn, EVTCHNOP_status, &st) == 0 &&
	       st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == DOMID_XEN;
}

/* Print what the guest wrote between out_cons and out_prod (one ring at
 * most, whatever the indices say), move out_cons past it. */
static void drain(struct hv_hyp_domain *d, struct xencons *c)
{
	XENCONS_RING_IDX cons, prod, n;
	char buf[CHUNK];

	if (get_idx(d, c, RING(out_cons), &cons) ||
	    get_idx(d, c, RING(out_prod), &prod))
		return;
	hv_rmb(); /* the bytes after the index that says they are there */
	n = (XENCONS_RING_IDX)hv_min_u64(prod - cons, OUT_SIZE);
	while (n) {
		uint32_t at = cons & (OUT_SIZE - 1);
		uint32_t len =
		    (uint32_t)hv_min_u64(hv_min_u64(n, CHUNK), OUT_SIZE - at);

		if (hv_gmem_copy_from(&d->guest_phys, buf,
				      c->ring + RING(out) + at, len))
			return;
		hv_xen_console_write(&d->xen, buf, len);
		cons += len;
		n -= len;
	}
	hv_mb(); /* done reading before the guest may write there again */
	if (!put_idx(d, c, RING(out_cons), cons))
		hv_evtchn_raise(c->evtchn, c->port);
}

static void port_sent(struct hv_hyp_domain *d, void *state, uint32_t port)
{
	struct xencons *c = state;

	if (c && port == c->port) {
		c->used = true;
		hyp_console_wanted(d->hyp);
		drain(d, c);
	}
}

/* A guest that writes through its ring reads typed input from it too
 * (Linux's hvc0), and may block until some comes. */
static bool console_listening(struct hv_hyp_domain *d, void *state)
{
	struct xencons *c = state;

	(void)d;
	return c && c->used && port_ours(c);
}

/* Typed input into in[], as much as there is room for; the rest is
 * dropped, as by a UART's full FIFO. */
static void console_input(struct hv_hyp_domain *d, void *state, const char *s,
			  size_t len)
{
	struct xencons *c = state;
	XENCONS_RING_IDX cons, prod, n;

	if (!c || get_idx(d, c, RING(in_cons), &cons) ||
	    get_idx(d, c, RING(in_prod), &prod) || prod - cons > IN_SIZE)
		return;
	hv_mb(); /* the guest has read the bytes before the room we reuse */
	n = (XENCONS_RING_IDX)hv_min_u64(len, IN_SIZE - (prod - cons));
	while (n) {
		uint32_t at = prod & (IN_SIZE - 1);
		uint32_t chunk = (uint32_t)hv_min_u64(n, IN_SIZE - at);

		if (hv_gmem_copy_to(&d->guest_phys, c->ring + RING(in) + at, s,
				    chunk))
			return;
		s += chunk;
		prod += chunk;
		n -= chunk;
	}
	hv_wmb(); /* the bytes before the index that says they are there */
	if (!put_idx(d, c, RING(in_prod), prod) && port_ours(c))
		hv_evtchn_raise(c->evtchn, c->port);
}

const struct hv_hyp_extension hv_hyp_xencons = {
    .name = "Xen console ring",
    .domain_create = domain_create,
    .domain_destroy = domain_destroy,
    .port_sent = port_sent,
    .console_input = console_input,
    .console_listening = console_listening,
};
