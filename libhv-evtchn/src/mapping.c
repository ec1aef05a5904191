/*
 * The guest structures the 2-level ABI and upcalls live in: the shared-info
 * page and each vCPU's vcpu_info.  Both are kept mapped until the domain
 * goes, so both are pinned (hv_gmem_map_pinned): a guest that gives the
 * frame back must not leave us writing into someone else's page.
 */
#include "abi.h"

#include <hv/string.h>

/* The guest may move the page (XENMEM_add_to_physmap again): the old one's
 * pin goes once the new one is in place, while a remote sender that
 * loaded the old pointer may still set a bit there, so the old page must
 * stay allocated by other means (hvkit's core maps its own frame, which
 * lives as long as the domain; see hv/evtchn.h). */
int hv_evtchn_map_shared_info(struct hv_evtchn_domain *d, uint64_t gaddr)
{
	struct shared_info *old;
	uint64_t pin, old_pin;
	void *page;
	int rc = hv_gmem_map_pinned(d->cfg.gmem, gaddr,
				    sizeof(struct shared_info), HV_PAGE_SIZE,
				    HV_GMEM_READ | HV_GMEM_WRITE, &page, &pin);

	if (rc)
		return rc;
	hv_spin_lock(&d->lock);
	old = d->shared;
	old_pin = d->shared_pin;
	evtchn_store_ptr(&d->shared, (struct shared_info *)page);
	d->shared_pin = pin;
	evtchn_replay_stashed(d, 1, EVTCHN_FIFO_NR_CHANNELS);
	hv_spin_unlock(&d->lock);
	if (old)
		hv_gmem_unpin(d->cfg.gmem, old_pin);
	return 0;
}

/* Make the vCPU rescan every pending word: nothing raised while it looked
 * elsewhere is lost, at the price of one spurious scan. */
static void select_all(struct vcpu_info *info)
{
	__atomic_store_n(&info->evtchn_pending_sel, ~(xen_ulong_t)0,
			 __ATOMIC_RELEASE);
}

int hv_evtchn_map_vcpu_info(struct hv_evtchn_domain *d, hv_vcpuid_t vcpu,
			    uint64_t gaddr)
{
	struct vcpu_info *old;
	uint64_t pin;
	void *info;
	int rc;

	if (vcpu >= d->cfg.nr_vcpus)
		return -HV_ENOENT;
	rc = hv_gmem_map_pinned(d->cfg.gmem, gaddr, sizeof(struct vcpu_info),
				_Alignof(struct vcpu_info),
				HV_GMEM_READ | HV_GMEM_WRITE, &info, &pin);
	if (rc)
		return rc;
	hv_spin_lock(&d->lock);
	if (d->vcpu[vcpu].info) {
		hv_spin_unlock(&d->lock);
		hv_gmem_unpin(d->cfg.gmem, pin);
		return -HV_EINVAL;
	}
	/* The guest may place the new one over the old (its slot in the
	 * shared-info page): a move, not a copy. */
	old = evtchn_vcpu_info(d, vcpu);
	if (old)
		memmove(info, old, sizeof(struct vcpu_info));
	evtchn_store_ptr(&d->vcpu[vcpu].info, (struct vcpu_info *)info);
	d->vcpu[vcpu].info_pin = pin;
	select_all(info);
	evtchn_mark_upcall(d, vcpu);
	hv_spin_unlock(&d->lock);
	return 0;
}

void evtchn_unpin_mappings(struct hv_evtchn_domain *d)
{
	for (uint32_t v = 0; v < d->cfg.nr_vcpus; v++)
		if (d->vcpu[v].info)
			hv_gmem_unpin(d->cfg.gmem, d->vcpu[v].info_pin);
	if (d->shared)
		hv_gmem_unpin(d->cfg.gmem, d->shared_pin);
}

bool hv_evtchn_upcall_pending(const struct hv_evtchn_domain *d,
			      hv_vcpuid_t vcpu)
{
	struct vcpu_info *info;

	if (vcpu >= d->cfg.nr_vcpus)
		return false;
	info = evtchn_vcpu_info(d, vcpu);
	return info && hv_atomic_load_u8(&info->evtchn_upcall_pending) != 0;
}
