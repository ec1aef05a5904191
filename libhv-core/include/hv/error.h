/*
 * hv/error.h - error codes for every hvkit library.
 *
 * hvkit uses one error space, Xen's: the values of Xen's public errno.h
 * (libxen-dev's <xen/errno.h>), named HV_E*.  A library function that fails
 * returns a negative HV_E* value; a hypercall handler can hand it to the
 * guest unchanged, because it already is the number Xen would return.
 * The enum is generated from Xen's own list, not retyped.
 */
#ifndef HV_ERROR_H
#define HV_ERROR_H

#include <hv/compiler.h>
#include <hv/xen_interface.h>

HV_BEGIN_DECLS

/* HV_OK, and HV_EPERM, HV_ENOENT, ... with Xen's values. */
enum hv_error {
	HV_OK = 0,
/* How <xen/errno.h> lists each error: here, one enumerator. */
#define XEN_ERRNO(name, value) HV_##name = value,
#include <xen/errno.h>
};

/*
 * A short description of an error, e.g. "EFAULT: bad address", for
 * messages.  Accepts either sign (-HV_EFAULT or HV_EFAULT); never NULL: an
 * unknown value gives "unknown error".
 */
const char *hv_core_strerror(int err);

HV_END_DECLS

#endif /* HV_ERROR_H */
