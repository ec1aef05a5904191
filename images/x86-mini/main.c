/*
 * x86-mini: the smallest x86_64 hvkit image.  Xen PVH guests from the boot
 * bundle, one vCPU each, round-robin on one pCPU with a 10 ms slice;
 * console_io, sched_op, xen_version, hvm_op and the shared-info page,
 * nothing more (no event channels, grant tables or scheduler library).
 */
#include "hyp.h"

#include <hv/x86_boot.h>

static const struct hyp_config config = {
    .name = "x86-mini",
    .log_level = HV_LOG_INFO,
    .core = {.timeslice = HV_MSEC(10)},
};

void hv_image_main(hv_paddr_t start_info)
{
	hyp_main(&config, start_info);
}
