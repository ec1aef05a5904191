/* sched_op, as Xen answers it for an unprivileged domain. */
#include <hv/xen.h>

#include <xen/sched.h>

#include "xen_internal.h"

static long shutdown_op(struct hv_xen_domain *d, const struct hv_gmem *gm,
			uint64_t arg, bool announce_only)
{
	struct sched_shutdown s;

	if (hv_gmem_copy_from(gm, &s, arg, sizeof(s)))
		return -HV_EFAULT;
	/* Xen does not validate the reason: it keeps the low 8 bits. */
	if (announce_only) {
		if (d->shutdown_code == HV_XEN_NO_SHUTDOWN_CODE)
			d->shutdown_code = (uint8_t)s.reason;
		return 0;
	}
	hv_xen_domain_shutdown(d, (uint8_t)s.reason);
	return 0;
}

/* Only a device model or a privileged domain may shut another down;
 * DOMID_SELF is not looked up here, so it is "no such domain". */
static long remote_shutdown_op(struct hv_xen_domain *d,
			       const struct hv_gmem *gm, uint64_t arg)
{
	struct sched_remote_shutdown r;

	if (hv_gmem_copy_from(gm, &r, arg, sizeof(r)))
		return -HV_EFAULT;
	if (r.domain_id >= DOMID_FIRST_RESERVED ||
	    !d->ops->domain_exists(d->opaque, r.domain_id))
		return -HV_ESRCH;
	return -HV_EPERM;
}

long hv_xen_sched_op(struct hv_xen_domain *d, hv_vcpuid_t vcpu,
		     const struct hv_gmem *gm, uint64_t cmd, uint64_t arg)
{
	switch (cmd) {
	case SCHEDOP_yield:
		d->ops->yield(d->opaque, d, vcpu);
		return 0;
	case SCHEDOP_block:
		d->ops->block(d->opaque, d, vcpu);
		return 0;
	case SCHEDOP_shutdown:
		return shutdown_op(d, gm, arg, false);
	case SCHEDOP_shutdown_code:
		return shutdown_op(d, gm, arg, true);
	case SCHEDOP_remote_shutdown:
		return remote_shutdown_op(d, gm, arg);
	case SCHEDOP_pin_override:
		return -HV_EPERM; /* the hardware domain's alone */
	default:
		/* Including SCHEDOP_poll and SCHEDOP_watchdog, which need
		 * event channels and domain timers this library lacks. */
		return -HV_ENOSYS;
	}
}
