/*
 * arm64-mini: the smallest AArch64 hvkit image.  Xen-ABI guests from the
 * boot bundle, one vCPU each, round-robin on one pCPU with a 10 ms slice;
 * console_io, sched_op, xen_version and the shared-info page, nothing more
 * (no event channels, grant tables or scheduler library).
 */
#include "hyp.h"

#include <hv/arm_boot.h>

static const struct hyp_config config = {
    .name = "arm64-mini",
    .log_level = HV_LOG_INFO,
    .core = {.timeslice = HV_MSEC(10)},
};

void hv_image_main(uint64_t dtb)
{
	hyp_main(&config, dtb);
}
