/*
 * hv/fmt.h - printf-style formatting without libc.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%, with the flags '-', '0', '+',
 * ' ' and '#', a field width and a precision (both may be '*'), and the
 * length modifiers hh, h, l, ll, z, j and t.  No floating point: the
 * hypervisor runs without FP/SIMD state.  %s of NULL prints "(null)".
 * An unknown conversion is printed as-is, so a bad format string is visible
 * in the output rather than undefined.
 */
#ifndef HV_FMT_H
#define HV_FMT_H

#include <hv/compiler.h>
#include <stdarg.h>

HV_BEGIN_DECLS

/*
 * As C99 vsnprintf: writes at most size bytes including the terminating NUL
 * (nothing when size is 0) and returns the length the full output would
 * have, so a return value >= size means it was truncated; -1 if that length
 * exceeds INT_MAX.
 */
int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int hv_snprintf(char *buf, size_t size, const char *fmt, ...) HV_PRINTF(3, 4);

HV_END_DECLS

#endif /* HV_FMT_H */
