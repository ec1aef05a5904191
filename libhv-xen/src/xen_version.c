/* xen_version, as Xen answers it for an unprivileged domain. */
#include <hv/string.h>
#include <hv/xen.h>

#include <xen/features.h>
#include <xen/version.h>

#include "xen_internal.h"

/* hvkit implements the interface of the headers it is built with,
 * 0x00MMmmpp, and says so as Xen MM.mm. */
#define XEN_MAJOR    ((__XEN_LATEST_INTERFACE_VERSION__ >> 16) & 0xff)
#define XEN_MINOR    ((__XEN_LATEST_INTERFACE_VERSION__ >> 8) & 0xff)
#define EXTRAVERSION "-hvkit"
#define CHANGESET    "hvkit"
#define DENIED	     "<denied>" /* what Xen gives a domU that may not know */

#define CAPABILITIES_ARM "xen-3.0-aarch64 "
/* hvkit runs HVM/PVH guests only on x86: no PV capabilities. */
#define CAPABILITIES_X86 "hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 "

/*
 * Only what hvkit really provides to a translated guest, plus what the
 * image says it provides (struct hv_xen_domain.features: the Arm adapter
 * adds XENFEAT_ARM_SMCCC_supported, the x86 one the callback vector and
 * pvclock).  Xen also says XENFEAT_memory_op_vnode_supported and
 * XENFEAT_runstate_phys_area, which hvkit does not implement: no vNUMA,
 * and runstate areas by virtual address only.
 */
#define FEATURES                                                               \
	(1u << XENFEAT_writable_page_tables |                                  \
	 1u << XENFEAT_auto_translated_physmap |                               \
	 1u << XENFEAT_not_direct_mapped)

static long copy_out(const struct hv_gmem *gm, uint64_t arg, const void *src,
		     size_t len)
{
	return hv_gmem_copy_to(gm, arg, src, len) ? -HV_EFAULT : 0;
}

/* The fixed-size string sub-ops: the whole buffer, zero-padded. */
static long string_op(const struct hv_gmem *gm, uint64_t arg, const char *s,
		      size_t size)
{
	char buf[sizeof(xen_capabilities_info_t)] = {0};

	hv_strlcpy(buf, s, size);
	return copy_out(gm, arg, buf, size);
}

static long compile_info(const struct hv_gmem *gm, uint64_t arg)
{
	xen_compile_info_t ci;

	memset(&ci, 0, sizeof(ci));
	hv_strlcpy(ci.compiler, "clang", sizeof(ci.compiler));
	hv_strlcpy(ci.compile_by, "hvkit", sizeof(ci.compile_by));
	return copy_out(gm, arg, &ci, sizeof(ci));
}

static long get_features(const struct hv_xen_domain *d,
			 const struct hv_gmem *gm, uint64_t arg)
{
	xen_feature_info_t fi;

	if (hv_gmem_copy_from(gm, &fi, arg, sizeof(fi)))
		return -HV_EFAULT;
	if (fi.submap_idx != 0)
		return -HV_EINVAL;
	fi.submap = FEATURES | d->features;
	return copy_out(gm, arg, &fi, sizeof(fi));
}

long hv_xen_version_op(const struct hv_xen_domain *d, const struct hv_gmem *gm,
		       uint64_t cmd, uint64_t arg)
{
	static const xen_platform_parameters_t params = {0};
	static const xen_domain_handle_t handle = {0};

	switch (cmd) {
	case XENVER_version:
		return XEN_MAJOR << 16 | XEN_MINOR;
	case XENVER_extraversion:
		return string_op(gm, arg, EXTRAVERSION,
				 sizeof(xen_extraversion_t));
	case XENVER_compile_info:
		return compile_info(gm, arg);
	case XENVER_capabilities:
		return string_op(gm, arg,
				 d->arch == HV_XEN_ARCH_ARM ? CAPABILITIES_ARM
							    : CAPABILITIES_X86,
				 sizeof(xen_capabilities_info_t));
	case XENVER_changeset:
		return string_op(gm, arg, CHANGESET,
				 sizeof(xen_changeset_info_t));
	case XENVER_platform_parameters:
		return copy_out(gm, arg, &params, sizeof(params));
	case XENVER_get_features:
		return get_features(d, gm, arg);
	case XENVER_pagesize:
		return arg ? -HV_EINVAL : (long)HV_PAGE_SIZE;
	case XENVER_guest_handle:
		return copy_out(gm, arg, handle, sizeof(handle));
	case XENVER_commandline:
		return copy_out(gm, arg, DENIED, sizeof(DENIED));
	case XENVER_build_id:
		return -HV_EPERM;
	default:
		return -HV_ENOSYS;
	}
}
