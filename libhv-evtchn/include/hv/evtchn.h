/*
 * hv/evtchn.h - libhv-evtchn, Xen event channels: per-domain channel state, the EVTCHNOP hypercalls, and the 2-level and FIFO delivery ABIs.
 *
 * Skeleton: the library builds and links everywhere, and its API grows
 * here.  See docs/ARCHITECTURE.md for its place among the libraries.
 */
#ifndef HV_EVTCHN_H
#define HV_EVTCHN_H

/* Bumped whenever the API changes incompatibly; 0 while it is unstable. */
#define HV_EVTCHN_API_VERSION 0

#include <hv/compiler.h>

HV_BEGIN_DECLS

/* The HV_EVTCHN_API_VERSION the library was built with. */
unsigned int hv_evtchn_api_version(void);

HV_END_DECLS

#endif /* HV_EVTCHN_H */
