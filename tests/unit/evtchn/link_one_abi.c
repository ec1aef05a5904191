/*
 * Links libhv-evtchn naming one delivery ABI only; check_link.py then
 * checks that the other ABI's object file stayed out of the executable.
 */
#include <hv/error.h>
#include <hv/evtchn.h>

#include <stddef.h>

int main(void)
{
	struct hv_evtchn_config cfg = {0};
	struct hv_evtchn_domain *d;
	/* Keeps the whole hypercall path in the link. */
	int (*volatile entry)(struct hv_evtchn_domain *, const struct hv_gmem *,
			      unsigned int, uint64_t) = hv_evtchn_hypercall;

#if LINK_FIFO
	cfg.abi_fifo = &hv_evtchn_fifo;
#else
	cfg.abi_2l = &hv_evtchn_2l;
#endif
	/* No ops: creation fails, which is all this needs to run. */
	return entry != NULL && hv_evtchn_domain_create(&cfg, &d) == -HV_EINVAL
		   ? 0
		   : 1;
}
