/*
 * hv/sched.h - libhv-sched, vCPU scheduling: pools of pCPUs, schedulable units, and Xen's policies (null, credit, credit2, RTDS, ARINC653).
 *
 * Skeleton: the library builds and links everywhere, and its API grows
 * here.  See docs/ARCHITECTURE.md for its place among the libraries.
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

/* Bumped whenever the API changes incompatibly; 0 while it is unstable. */
#define HV_SCHED_API_VERSION 0

#include <hv/compiler.h>

HV_BEGIN_DECLS

/* The HV_SCHED_API_VERSION the library was built with. */
unsigned int hv_sched_api_version(void);

HV_END_DECLS

#endif /* HV_SCHED_H */
