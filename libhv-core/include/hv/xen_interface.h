/*
 * hv/xen_interface.h - the Xen interface version hvkit's headers need.
 *
 * Every public header that includes a Xen header (<xen/...>) includes this
 * first.  Xen's headers describe the interface version the includer asks
 * for in __XEN_INTERFACE_VERSION__, and an includer that asks nothing gets
 * the legacy interface, silently: hypercall numbers and structures then
 * differ from the ones the libraries were built with
 * (__HYPERVISOR_event_channel_op is 16 instead of 32, and <xen/errno.h>,
 * which <hv/error.h> is built from, is empty before 0x00040700).  So
 * compilation stops here instead, unless the includer asks as the libraries
 * were built:
 *
 *     -D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__
 *
 * which `pkg-config --cflags hv-core` (and every other hv-* package) gives.
 */
#ifndef HV_XEN_INTERFACE_H
#define HV_XEN_INTERFACE_H

/*
 * The oldest interface the headers accept: the newest one described by
 * Debian 12's libxen-dev (Xen 4.17), the headers hvkit is built and tested
 * with.
 */
#define HV_XEN_INTERFACE_VERSION 0x00040e00

/* Xen's own builds (__XEN__, __XEN_TOOLS__) get the latest interface. */
#if !defined(__XEN_INTERFACE_VERSION__) && !defined(__XEN__) &&                \
    !defined(__XEN_TOOLS__)
#error                                                                         \
    "hvkit: define __XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__ (pkg-config --cflags hv-core), or the Xen headers give the legacy ABI"
#else
#include <xen/xen-compat.h>
#if __XEN_INTERFACE_VERSION__ < HV_XEN_INTERFACE_VERSION
#error                                                                         \
    "hvkit: __XEN_INTERFACE_VERSION__ is older than the 0x00040e00 hvkit's headers need; use __XEN_LATEST_INTERFACE_VERSION__ (pkg-config --cflags hv-core)"
#endif
#endif

#include <hv/compiler.h>

HV_BEGIN_DECLS

/* The __XEN_INTERFACE_VERSION__ libhv-core was built with, to compare with
 * the includer's when the library is linked from elsewhere. */
unsigned int hv_core_xen_interface_version(void);

HV_END_DECLS

#endif /* HV_XEN_INTERFACE_H */
