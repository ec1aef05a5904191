/*
 * x86-xen: x86-mini plus Xen event channels (libhv-evtchn, both the
 * 2-level and FIFO ABIs: guests bind interdomain channels, send events to
 * each other and block until one arrives), Xen grant tables (libhv-gnttab,
 * v1 and v2: guests share pages by grant, map and copy them) and Xen's
 * credit2 scheduler (libhv-sched: domains share the pCPU by their
 * configured weight and cap, and vCPUs that wake from blocking run soon),
 * and Xen's console ring for every domain (Linux's hvc0).
 */
#include "hyp.h"

#include <hv/x86_boot.h>

#include <hv/sched.h>

static const struct hv_hyp_extension *const extensions[] = {
    &hv_hyp_evtchn, &hv_hyp_gnttab, &hv_hyp_xencons, NULL};
static const struct hv_hyp_scheduler credit2 =
    HV_HYP_LIBHV_SCHEDULER(&hv_sched_credit2);

static const struct hyp_config config = {
    .name = "x86-xen",
    .log_level = HV_LOG_INFO,
    .core =
	{
	    .timeslice = HV_MSEC(10),
	    .extensions = extensions,
	    .scheduler = &credit2,
	},
};

void hv_image_main(hv_paddr_t start_info)
{
	hyp_main(&config, start_info);
}
