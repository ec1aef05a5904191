/*
 * The 2-level ABI: one pending and one mask bit per port in the shared-info
 * page, and a selector word in each vCPU's vcpu_info whose bit n says "word
 * n of the pending bitmap may have something for you".  The guest owns the
 * mask bits and clears the pending ones; the hypervisor sets pending and
 * selector bits.  Every access is an atomic bit operation, in the order the
 * guest relies on: pending, then (if unmasked) selector, then upcall.
 */
#include "abi.h"

#include <hv/bitmap.h>

HV_STATIC_ASSERT(sizeof(xen_ulong_t) == sizeof(unsigned long),
		 "the shared-info bitmaps are hv/bitmap.h bitmaps");
HV_STATIC_ASSERT(EVTCHN_2L_NR_CHANNELS == 64 * 64,
		 "64 selector bits of 64 ports each");

static unsigned long *bitmap(xen_ulong_t *words)
{
	return (unsigned long *)words;
}

/* vCPU `vcpu` has something in pending word port / 64: tell it. */
static void select_word(struct hv_evtchn_domain *d, hv_vcpuid_t vcpu,
			uint32_t port)
{
	struct vcpu_info *info = evtchn_vcpu_info(d, vcpu);

	if (info &&
	    hv_bitmap_test_and_set_atomic(bitmap(&info->evtchn_pending_sel),
					  port / HV_BITS_PER_LONG))
		return;
	evtchn_mark_upcall(d, vcpu);
}

static void l2_set_pending(struct hv_evtchn_domain *d, hv_vcpuid_t vcpu,
			   struct chn *chn, uint32_t port)
{
	struct shared_info *s = evtchn_load_ptr(&d->shared);

	if (!s) {
		hv_atomic_store_u8(&chn->stashed, 1);
		return;
	}
	if (hv_bitmap_test_and_set_atomic(bitmap(s->evtchn_pending), port))
		return;
	if (!hv_bitmap_test_atomic(bitmap(s->evtchn_mask), port))
		select_word(d, vcpu, port);
}

static void l2_clear_pending(struct hv_evtchn_domain *d, struct chn *chn,
			     uint32_t port)
{
	struct shared_info *s = d->shared;

	hv_atomic_store_u8(&chn->stashed, 0);
	if (s)
		hv_bitmap_clear_atomic(bitmap(s->evtchn_pending), port);
}

static void l2_unmask(struct hv_evtchn_domain *d, struct chn *chn,
		      uint32_t port)
{
	struct shared_info *s = d->shared;

	/* Only a mask we cleared ourselves owes the guest a notification:
	 * a guest that cleared it first has already looked. */
	if (s &&
	    hv_bitmap_test_and_clear_atomic(bitmap(s->evtchn_mask), port) &&
	    hv_bitmap_test_atomic(bitmap(s->evtchn_pending), port))
		select_word(d, chn_notify_vcpu(chn), port);
}

static bool l2_is_pending(struct hv_evtchn_domain *d, const struct chn *chn,
			  uint32_t port)
{
	struct shared_info *s = d->shared;

	if (!s)
		return hv_atomic_load_u8(&chn->stashed) != 0;
	return hv_bitmap_test_atomic(bitmap(s->evtchn_pending), port);
}

const struct hv_evtchn_abi hv_evtchn_2l = {
    .name = "2-level",
    .nr_ports = EVTCHN_2L_NR_CHANNELS,
    .set_pending = l2_set_pending,
    .clear_pending = l2_clear_pending,
    .unmask = l2_unmask,
    .is_pending = l2_is_pending,
};
