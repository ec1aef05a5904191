/*
 * hv/mm.h - libhv-mm, memory: the physical page allocator and the P2M (guest-physical to machine) engine over arch page-table formats.
 *
 * Skeleton: the library builds and links everywhere, and its API grows
 * here.  See docs/ARCHITECTURE.md for its place among the libraries.
 */
#ifndef HV_MM_H
#define HV_MM_H

/* Bumped whenever the API changes incompatibly; 0 while it is unstable. */
#define HV_MM_API_VERSION 0

#include <hv/compiler.h>

HV_BEGIN_DECLS

/* The HV_MM_API_VERSION the library was built with. */
unsigned int hv_mm_api_version(void);

HV_END_DECLS

#endif /* HV_MM_H */
