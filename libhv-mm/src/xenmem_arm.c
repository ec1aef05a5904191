/*
 * XENMEM as Arm Xen answers it: no XENMAPSPACE_gmfn or _gmfn_range, and
 * -ENOSYS for a space it does not implement.
 */
#include <hv/error.h>

#include "domain_priv.h"

const struct hv_mm_xenmem_abi hv_mm_xenmem_arm = {
    .name = "arm",
    .gmfn_spaces = false,
    .bad_space_error = -HV_ENOSYS,
};
