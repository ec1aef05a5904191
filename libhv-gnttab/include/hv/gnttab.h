/*
 * hv/gnttab.h - libhv-gnttab, Xen grant tables (v1 and v2): the GNTTABOP hypercalls, maptrack, and grant mappings into a domain's P2M.
 *
 * Skeleton: the library builds and links everywhere, and its API grows
 * here.  See docs/ARCHITECTURE.md for its place among the libraries.
 */
#ifndef HV_GNTTAB_H
#define HV_GNTTAB_H

/* Bumped whenever the API changes incompatibly; 0 while it is unstable. */
#define HV_GNTTAB_API_VERSION 0

#include <hv/compiler.h>

HV_BEGIN_DECLS

/* The HV_GNTTAB_API_VERSION the library was built with. */
unsigned int hv_gnttab_api_version(void);

HV_END_DECLS

#endif /* HV_GNTTAB_H */
