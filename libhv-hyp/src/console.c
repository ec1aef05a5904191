/*
 * Input typed at the hypervisor's console, for the domain that has the
 * console: the lowest-numbered domain still running (the initial domain,
 * first in a bundle, until it ends; Xen gives it to dom0).  The arch
 * delivers it as its guests expect (an emulated UART's receive FIFO on
 * Arm), and so does each extension that has a console of its own (the
 * Xen console ring): a guest reads whichever it uses.
 */
#include "hyp_priv.h"

static struct hv_hyp_domain *console_owner(struct hv_hyp *h)
{
	for (hv_domid_t i = 0; i < HV_HYP_MAX_DOMAINS; i++) {
		struct hv_hyp_domain *d = h->domains[i];

		if (d && !d->xen.shut_down)
			return d;
	}
	return NULL;
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
	if (d && h->arch->console_input)
		h->arch->console_input(d, s, len);
	if (d)
		hyp_for_each_extension (h, i, e)
			if (e->console_input)
				e->console_input(d, d->ext[i], s, len);
	if (!held)
		hyp_unlock(h);
}
