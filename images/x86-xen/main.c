/*
 * x86-xen: x86-mini plus Xen event channels (libhv-evtchn, both the
 * 2-level and FIFO ABIs): guests can bind interdomain channels, send
 * events to each other and block until one arrives.
 */
#include "hyp.h"

#include <hv/x86_boot.h>

static const struct hyp_extension *const extensions[] = {&hyp_evtchn, NULL};

static const struct hyp_config config = {
    .name = "x86-xen",
    .timeslice = HV_MSEC(10),
    .log_level = HV_LOG_INFO,
    .extensions = extensions,
};

void hv_image_main(hv_paddr_t start_info)
{
	hyp_main(&config, start_info);
}
