/*
 * hv/core.h - libhv-core, the base every hvkit library may use.
 *
 * Includes the whole of libhv-core's API.  libhv-core uses nothing but a
 * freestanding C compiler and Xen's public errno.h.
 */
#ifndef HV_CORE_H
#define HV_CORE_H

/* Bumped whenever the API changes incompatibly. */
#define HV_CORE_API_VERSION 2

#include <hv/atomic.h>
#include <hv/bitmap.h>
#include <hv/compiler.h>
#include <hv/error.h>
#include <hv/fmt.h>
#include <hv/gmem.h>
#include <hv/list.h>
#include <hv/log.h>
#include <hv/rbtree.h>
#include <hv/spinlock.h>
#include <hv/string.h>
#include <hv/timerq.h>
#include <hv/trace.h>
#include <hv/types.h>

HV_BEGIN_DECLS

/* The HV_CORE_API_VERSION the library was built with, to compare with the
 * header's when libhv-core is linked from elsewhere. */
unsigned int hv_core_api_version(void);

HV_END_DECLS

#endif /* HV_CORE_H */
