/* memory_op: XENMEM_add_to_physmap for the shared-info page. */
#include <hv/xen.h>

#include <xen/memory.h>

#include "xen_internal.h"

/* Xen's answer for a map space it does not handle differs by arch. */
#if defined(__aarch64__)
#define UNHANDLED_SPACE (-HV_ENOSYS)
#else
#define UNHANDLED_SPACE (-HV_EINVAL)
#endif

static long add_to_physmap(struct hv_xen_domain *d, const struct hv_gmem *gm,
			   uint64_t arg)
{
	struct xen_add_to_physmap xatp;

	if (hv_gmem_copy_from(gm, &xatp, arg, sizeof(xatp)))
		return -HV_EFAULT;
	if (xatp.space == XENMAPSPACE_gmfn_foreign)
		return -HV_ENOSYS; /* only through the batch call */
	if (xatp.domid != DOMID_SELF && xatp.domid != d->id) {
		if (xatp.domid >= DOMID_FIRST_RESERVED ||
		    !d->ops->domain_exists(d->opaque, xatp.domid))
			return -HV_ESRCH;
		return -HV_EPERM;
	}
	if (xatp.space == XENMAPSPACE_dev_mmio)
		return -HV_EACCES;
	if (xatp.space != XENMAPSPACE_shared_info)
		return UNHANDLED_SPACE;
	if (xatp.idx != 0)
		return -HV_EINVAL;
	return d->ops->map_shared_info(d->opaque, d, hv_gfn(xatp.gpfn));
}

long hv_xen_memory_op(struct hv_xen_domain *d, const struct hv_gmem *gm,
		      uint64_t cmd, uint64_t arg)
{
	switch (cmd) {
	case XENMEM_add_to_physmap:
		return add_to_physmap(d, gm, arg);
	default:
		return -HV_ENOSYS;
	}
}
