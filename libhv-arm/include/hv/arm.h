/*
 * hv/arm.h - libhv-arm, AArch64: EL2 entry, MMU, exception vectors, PL011,
 * GICv3, timers, and EL1 vCPU context and traps.
 *
 * Skeleton: the library builds and links everywhere, and its API grows
 * here.  See docs/ARCHITECTURE.md for its place among the libraries.
 */
#ifndef HV_ARM_H
#define HV_ARM_H

/* Bumped whenever the API changes incompatibly; 0 while it is unstable. */
#define HV_ARM_API_VERSION 0

#include <hv/compiler.h>

HV_BEGIN_DECLS

/* The HV_ARM_API_VERSION the library was built with. */
unsigned int hv_arm_api_version(void);

HV_END_DECLS

#endif /* HV_ARM_H */
