/*
 * hv/x86.h - libhv-x86, x86_64: PVH entry, long mode, console, LAPIC timer, and the AMD SVM backend with vCPU emulation.
 *
 * Skeleton: the library builds and links everywhere, and its API grows
 * here.  See docs/ARCHITECTURE.md for its place among the libraries.
 */
#ifndef HV_X86_H
#define HV_X86_H

/* Bumped whenever the API changes incompatibly; 0 while it is unstable. */
#define HV_X86_API_VERSION 0

#include <hv/compiler.h>

HV_BEGIN_DECLS

/* The HV_X86_API_VERSION the library was built with. */
unsigned int hv_x86_api_version(void);

HV_END_DECLS

#endif /* HV_X86_H */
