/* libhv-xen's private interfaces between its hypercall files. */
#ifndef HV_XEN_INTERNAL_H
#define HV_XEN_INTERNAL_H

#include <hv/xen.h>

/* Print one line (formatted) through ops->console_line. */
void hv_xen_report(struct hv_xen_domain *d, const char *fmt, ...)
    HV_PRINTF(2, 3);

/* One function per hypercall, from hv_xen_hypercall. */
long hv_xen_console_io(struct hv_xen_domain *d, const struct hv_gmem *gm,
		       uint64_t cmd, uint64_t count, uint64_t buffer);
long hv_xen_sched_op(struct hv_xen_domain *d, hv_vcpuid_t vcpu,
		     const struct hv_gmem *gm, uint64_t cmd, uint64_t arg);
long hv_xen_version_op(const struct hv_xen_domain *d, const struct hv_gmem *gm,
		       uint64_t cmd, uint64_t arg);
long hv_xen_hvm_op(struct hv_xen_domain *d, const struct hv_gmem *gm,
		   uint64_t cmd, uint64_t arg);

#endif
