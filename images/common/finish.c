/*
 * How things end: the image on a fatal error (hyp_panic), the image when
 * every domain has finished (hyp_finish), and one domain that did what the
 * hypervisor cannot allow (hyp_crash).
 */
#include "hyp_common.h"

void hyp_panic(struct hyp *h, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	/* Before the console exists there is nowhere to say why. */
	if (h->log.sink) {
		va_start(ap, fmt);
		hv_vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		hv_log_err(&h->log, "PANIC: %s", msg);
	}
	hyp_arch_exit(2);
}

void hyp_finish(struct hyp *h)
{
	bool all_poweroff = true;

	for (unsigned int i = 0; i < h->nr_domains; i++)
		all_poweroff &= h->domains[i].xen.shutdown_reason == 0;
	hv_log_info(&h->log, "all domains finished");
	hyp_arch_exit(all_poweroff ? 0 : 1);
}

void hyp_crash(struct vcpu *v, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	hv_xen_domain_crash(&v->dom->xen, why);
}
