/*
 * The guest structures the 2-level ABI and upcalls live in: the shared-info
 * page and each vCPU's vcpu_info.
 */
#include "abi.h"

#include <hv/string.h>

int hv_evtchn_map_shared_info(struct hv_evtchn_domain *d, uint64_t gaddr)
{
	void *page;
	int rc = hv_gmem_map(d->cfg.gmem, gaddr, sizeof(struct shared_info),
			     HV_PAGE_SIZE, HV_GMEM_READ | HV_GMEM_WRITE, &page);

	if (rc)
		return rc;
	hv_spin_lock(&d->lock);
	evtchn_store_ptr(&d->shared, (struct shared_info *)page);
	evtchn_replay_stashed(d, 1, EVTCHN_FIFO_NR_CHANNELS);
	hv_spin_unlock(&d->lock);
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
	void *info;
	int rc;

	if (vcpu >= d->cfg.nr_vcpus)
		return -HV_ENOENT;
	rc = hv_gmem_map(d->cfg.gmem, gaddr, sizeof(struct vcpu_info),
			 _Alignof(struct vcpu_info),
			 HV_GMEM_READ | HV_GMEM_WRITE, &info);
	if (rc)
		return rc;
	hv_spin_lock(&d->lock);
	if (d->vcpu[vcpu].info) {
		hv_spin_unlock(&d->lock);
		return -HV_EINVAL;
	}
	/* The guest may place the new one over the old (its slot in the
	 * shared-info page): a move, not a copy. */
	old = evtchn_vcpu_info(d, vcpu);
	if (old)
		memmove(info, old, sizeof(struct vcpu_info));
	evtchn_store_ptr(&d->vcpu[vcpu].info, (struct vcpu_info *)info);
	select_all(info);
	evtchn_mark_upcall(d, vcpu);
	hv_spin_unlock(&d->lock);
	return 0;
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
