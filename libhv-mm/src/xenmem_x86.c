/*
 * XENMEM as x86 Xen answers it: XENMAPSPACE_gmfn and _gmfn_range move a
 * domain's own frames; a space it does not know leaves no frame to map,
 * hence -EINVAL.
 */
#include <hv/error.h>

#include "domain_priv.h"

const struct hv_mm_xenmem_abi hv_mm_xenmem_x86 = {
    .name = "x86",
    .gmfn_spaces = true,
    .bad_space_error = -HV_EINVAL,
};
