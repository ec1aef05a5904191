/*
 * hv/string.h - memory and string functions, the same in every build.
 *
 * Library code includes this instead of <string.h>.  A native build gets
 * libc's functions; a freestanding build (no libc) gets libhv-core's, which
 * are defined under the standard names because the compiler itself emits
 * calls to memcpy, memmove, memset and memcmp.  The hv_* names are the same
 * implementations in every build, so the host unit tests exercise exactly
 * the code an image runs.
 */
#ifndef HV_STRING_H
#define HV_STRING_H

#include <hv/compiler.h>

#if defined(__STDC_HOSTED__) && __STDC_HOSTED__
#include <stdlib.h>
#include <string.h>
#ifndef __cplusplus
/* POSIX, not C11: strict -std=c11 <string.h> leaves it undeclared. */
size_t strnlen(const char *s, size_t max);
#endif
#else
HV_BEGIN_DECLS
/* Without libc, the C library's names, defined by libhv-core as C
 * defines them (the hv_* functions below). */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
unsigned long strtoul(const char *s, char **end, int base);
HV_END_DECLS
#endif

HV_BEGIN_DECLS

/* libhv-core's implementations; the standard names above alias them. */
void *hv_memcpy(void *dst, const void *src, size_t n);
void *hv_memmove(void *dst, const void *src, size_t n);
void *hv_memset(void *dst, int c, size_t n);
int hv_memcmp(const void *a, const void *b, size_t n);
void *hv_memchr(const void *s, int c, size_t n);
size_t hv_strlen(const char *s);
size_t hv_strnlen(const char *s, size_t max);
int hv_strcmp(const char *a, const char *b);
int hv_strncmp(const char *a, const char *b, size_t n);
char *hv_strchr(const char *s, int c);
char *hv_strrchr(const char *s, int c);
/*
 * As C's strtoul: optional white space and sign, base 0 (auto: 0x, 0),
 * 2..36.  Saturates at ULONG_MAX on overflow; *end (if not NULL) is set past
 * the last digit used, or to s if there is none.
 */
unsigned long hv_strtoul(const char *s, char **end, int base);

/*
 * Copy at most size - 1 bytes of src and NUL-terminate (size > 0).
 * Returns strlen(src): a value >= size means the copy was truncated.
 */
size_t hv_strlcpy(char *dst, const char *src, size_t size);

HV_END_DECLS

#endif /* HV_STRING_H */
