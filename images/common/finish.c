/*
 * A fatal error of the image: "(hvkit) error: PANIC: ..." and QEMU exits with
 * status 2.  (A domain's own end is the core's: hv_hyp_crash.)
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
