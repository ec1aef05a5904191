/*
 * Input typed at the hypervisor's console, for the domain that has the
 * console: the lowest-numbered domain still running (the initial domain,
 * first in a bundle, until it ends; Xen gives it to dom0).  The arch
 * delivers it as its guests expect (an emulated UART's receive FIFO on
 * Arm), and so does each extension that has a console of its own (the
 * Xen console ring): a guest reads whichever it uses.  The initial
 * domain may also read it with CONSOLEIO_read, as Xen's dom0 does (its
 * hvc0 is the hypervisor's console, not a ring).
 */
#include <hv/hyp.h>

#include <xen/xen.h>

#include "hyp_priv.h"

#define RX_MASK (HV_HYP_CONSOLE_RX - 1)
HV_STATIC_ASSERT((HV_HYP_CONSOLE_RX & RX_MASK) == 0,
		 "the input ring's size is a power of two");

static struct hv_hyp_domain *console_owner(struct hv_hyp *h)
{
	for (hv_domid_t i = 0; i < HV_HYP_MAX_DOMAINS; i++) {
		struct hv_hyp_domain *d = h->domains[i];

		if (d && !d->xen.shut_down)
			return d;
	}
	return NULL;
}

/* Keep what fits for CONSOLEIO_read and tell the domain, every time
 * (as Xen: a guest that missed one VIRQ is not left waiting). */
static void rx_put(struct hv_hyp *h, struct hv_hyp_vcpu *v, const char *s,
		   size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (h->console_rx_prod - h->console_rx_cons ==
		    HV_HYP_CONSOLE_RX)
			break;
		h->console_rx[h->console_rx_prod++ & RX_MASK] = s[i];
	}
	hyp_raise_virq(v, VIRQ_CONSOLE);
}

void hv_hyp_console_input(struct hv_hyp_pcpu *p, const char *s, size_t len)
{
	struct hv_hyp *h = p->hyp;
	bool held = h->lock_pcpu == p; /* from an exit p's loop handles */
	const struct hv_hyp_extension *e;
	struct hv_hyp_domain *d;
	unsigned int i;

	if (!len)
		return;
	if (!held)
		hyp_lock(h, p);
	d = console_owner(h);
	if (d && d->privileged)
		rx_put(h, &d->vcpus[0], s, len);
	if (d && h->arch->console_input)
		h->arch->console_input(d, s, len);
	if (d)
		hyp_for_each_extension (h, i, e)
			if (e->console_input)
				e->console_input(d, d->ext[i], s, len);
	if (!held)
		hyp_unlock(h);
}

/* As Xen's: what is waiting, at most `count` bytes (an unsigned int the
 * guest must keep below 2^31, so that the result is not an error), and
 * how many; nothing waiting is 0, not a wait. */
long hyp_console_read(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
		      uint64_t count, uint64_t buffer)
{
	struct hv_hyp *h = v->dom->hyp;
	uint32_t want = (uint32_t)count;
	uint32_t done = 0;

	v->dom->console_read = true;
	hyp_console_wanted(h);
	if ((int32_t)want < 0)
		return -HV_E2BIG;
	while (h->console_rx_cons != h->console_rx_prod && done < want) {
		uint32_t idx = h->console_rx_cons & RX_MASK;
		uint32_t len = h->console_rx_prod - h->console_rx_cons;

		/* One copy per contiguous part of the ring. */
		len = hv_min_u64(len, HV_HYP_CONSOLE_RX - idx);
		len = hv_min_u64(len, want - done);
		if (hv_gmem_copy_to(gm, buffer + done, &h->console_rx[idx],
				    len))
			return -HV_EFAULT;
		done += len;
		h->console_rx_cons += len;
	}
	return done;
}

void hyp_console_wanted(struct hv_hyp *h)
{
	hv_atomic_store_u32(&h->console_wanted, 1);
}

bool hv_hyp_console_wanted(struct hv_hyp *h)
{
	return hv_atomic_load_u32(&h->console_wanted);
}

/* Whether typed input could still wake a blocked domain: the arch's own
 * device takes it (an emulated UART, whose guest may be waiting for its
 * interrupt), or the arch receives input and the domain that has the
 * console has shown it reads it (CONSOLEIO_read, woken by VIRQ_CONSOLE;
 * its console ring).  A domain that never did is not kept waiting for
 * input it would not read. */
bool hyp_console_can_wake(struct hv_hyp *h)
{
	const struct hv_hyp_extension *e;
	struct hv_hyp_domain *d;
	unsigned int i;

	if (h->arch->console_input)
		return true;
	d = console_owner(h);
	if (!h->arch->console_rx || !d)
		return false;
	if (d->privileged && d->console_read)
		return true;
	hyp_for_each_extension (h, i, e)
		if (e->console_listening && e->console_listening(d, d->ext[i]))
			return true;
	return false;
}
