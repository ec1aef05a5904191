/* Error descriptions and the library's versions. */
#include <hv/core.h>

unsigned int hv_core_api_version(void)
{
	return HV_CORE_API_VERSION;
}

unsigned int hv_core_xen_interface_version(void)
{
	return __XEN_INTERFACE_VERSION__;
}

/*
 * A description for each name in Xen's errno.h, keyed by name so no value
 * is retyped.  A name Xen adds without a line here stops the build at the
 * table below, rather than printing a bare number.  EINTR and ERESTART are
 * listed only when building Xen itself (__XEN__).
 */
#define HV_ERRDESC_EPERM	 "operation not permitted"
#define HV_ERRDESC_ENOENT	 "no such entry"
#define HV_ERRDESC_ESRCH	 "no such domain or process"
#define HV_ERRDESC_EINTR	 "interrupted"
#define HV_ERRDESC_EIO		 "input/output error"
#define HV_ERRDESC_ENXIO	 "no such device or address"
#define HV_ERRDESC_E2BIG	 "argument list too long"
#define HV_ERRDESC_ENOEXEC	 "bad executable format"
#define HV_ERRDESC_EBADF	 "bad handle"
#define HV_ERRDESC_ECHILD	 "no child processes"
#define HV_ERRDESC_EAGAIN	 "temporarily unavailable, try again"
#define HV_ERRDESC_EWOULDBLOCK	 "operation would block"
#define HV_ERRDESC_ENOMEM	 "out of memory"
#define HV_ERRDESC_EACCES	 "permission denied"
#define HV_ERRDESC_EFAULT	 "bad address"
#define HV_ERRDESC_EBUSY	 "resource busy"
#define HV_ERRDESC_EEXIST	 "already exists"
#define HV_ERRDESC_EXDEV	 "cross-device link"
#define HV_ERRDESC_ENODEV	 "no such device"
#define HV_ERRDESC_ENOTDIR	 "not a directory"
#define HV_ERRDESC_EISDIR	 "is a directory"
#define HV_ERRDESC_EINVAL	 "invalid argument"
#define HV_ERRDESC_ENFILE	 "too many open files in the system"
#define HV_ERRDESC_EMFILE	 "too many open files"
#define HV_ERRDESC_ENOSPC	 "no space left"
#define HV_ERRDESC_EROFS	 "read-only"
#define HV_ERRDESC_EMLINK	 "too many links"
#define HV_ERRDESC_EDOM		 "argument out of domain"
#define HV_ERRDESC_ERANGE	 "result out of range"
#define HV_ERRDESC_EDEADLK	 "deadlock avoided"
#define HV_ERRDESC_EDEADLOCK	 "deadlock avoided"
#define HV_ERRDESC_ENAMETOOLONG	 "name too long"
#define HV_ERRDESC_ENOLCK	 "no locks available"
#define HV_ERRDESC_ENOSYS	 "function not implemented"
#define HV_ERRDESC_ENOTEMPTY	 "not empty"
#define HV_ERRDESC_ENODATA	 "no data available"
#define HV_ERRDESC_ETIME	 "timer expired"
#define HV_ERRDESC_EBADMSG	 "bad message"
#define HV_ERRDESC_EOVERFLOW	 "value too large for its type"
#define HV_ERRDESC_EILSEQ	 "illegal byte sequence"
#define HV_ERRDESC_ERESTART	 "interrupted, to be restarted"
#define HV_ERRDESC_ENOTSOCK	 "not a socket"
#define HV_ERRDESC_EMSGSIZE	 "message too large"
#define HV_ERRDESC_EOPNOTSUPP	 "operation not supported"
#define HV_ERRDESC_EADDRINUSE	 "address in use"
#define HV_ERRDESC_EADDRNOTAVAIL "address not available"
#define HV_ERRDESC_ENOBUFS	 "no buffer space available"
#define HV_ERRDESC_EISCONN	 "already connected"
#define HV_ERRDESC_ENOTCONN	 "not connected"
#define HV_ERRDESC_ETIMEDOUT	 "timed out"
#define HV_ERRDESC_ECONNREFUSED	 "connection refused"

struct error_text {
	unsigned int code;
	const char *text;
};

/* Where Xen gives one value two names (EAGAIN and EWOULDBLOCK), the first
 * listed wins the lookup. */
static const struct error_text error_texts[] = {
    {HV_OK, "OK: success"},
#define XEN_ERRNO(name, value) {value, #name ": " HV_ERRDESC_##name},
#include <xen/errno.h>
};

const char *hv_core_strerror(int err)
{
	/* Negated in unsigned arithmetic: -INT_MIN overflows int. */
	unsigned int code =
	    err < 0 ? 0u - (unsigned int)err : (unsigned int)err;

	for (size_t i = 0; i < HV_ARRAY_SIZE(error_texts); i++)
		if (error_texts[i].code == code)
			return error_texts[i].text;
	return "unknown error";
}
