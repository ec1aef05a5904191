/*
 * The delivery-ABI descriptor: what the core asks of the 2-level and FIFO
 * implementations.  The core reaches an ABI only through the pointers in a
 * domain's configuration, never by symbol, so each ABI's object file is
 * linked only into images that name its descriptor.
 */
#ifndef EVTCHN_ABI_H
#define EVTCHN_ABI_H

#include "internal.h"

struct hv_evtchn_abi {
	const char *name;
	uint32_t nr_ports; /* ports the ABI can address, port 0 included */

	/* A port was just bound (under d->lock). */
	void (*bind)(struct hv_evtchn_domain *d, struct chn *chn,
		     uint32_t port);
	/* Make the port pending for vCPU vcpu (see internal.h: locking). */
	void (*set_pending)(struct hv_evtchn_domain *d, hv_vcpuid_t vcpu,
			    struct chn *chn, uint32_t port);
	/* The remaining ones run under d->lock. */
	void (*clear_pending)(struct hv_evtchn_domain *d, struct chn *chn,
			      uint32_t port);
	/* EVTCHNOP_unmask: clear the mask, redeliver if pending. */
	void (*unmask)(struct hv_evtchn_domain *d, struct chn *chn,
		       uint32_t port);
	bool (*is_pending)(struct hv_evtchn_domain *d, const struct chn *chn,
			   uint32_t port);
	/* A free port that must not be reused yet; may be NULL. */
	bool (*is_busy)(struct hv_evtchn_domain *d, uint32_t port);
	/* NULL where the ABI has no priorities (-HV_ENOSYS). */
	int (*set_priority)(struct hv_evtchn_domain *d, struct chn *chn,
			    uint32_t priority);
	/* EVTCHNOP_init_control / expand_array; NULL outside FIFO. */
	int (*init_control)(struct hv_evtchn_domain *d,
			    struct evtchn_init_control *op);
	int (*expand_array)(struct hv_evtchn_domain *d, uint64_t gfn);
	/* Free d->abi_state when the domain leaves this ABI; may be NULL. */
	void (*teardown)(struct hv_evtchn_domain *d);
};

static inline const struct hv_evtchn_abi *
evtchn_abi(const struct hv_evtchn_domain *d)
{
	return evtchn_load_ptr(&d->abi);
}

#endif /* EVTCHN_ABI_H */
