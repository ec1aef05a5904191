/*
 * hv/compiler.h - compiler helpers shared by every hvkit header.
 *
 * Portable across C11 and C++ (every public header compiles in both), and
 * free of libc: only <stddef.h> and <stdint.h>, which a freestanding
 * compiler provides.
 */
#ifndef HV_COMPILER_H
#define HV_COMPILER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
/* Around a header's declarations: C linkage for C++; a compile-time
 * check of `cond` that stops the build with `msg`. */
#define HV_BEGIN_DECLS		    extern "C" {
#define HV_END_DECLS		    }
#define HV_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
/* Around a header's declarations: C linkage for C++ (nothing in C); a
 * compile-time check of `cond` that stops the build with `msg`. */
#define HV_BEGIN_DECLS
#define HV_END_DECLS
#define HV_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

/* The number of elements of array `a` (an array, not a pointer). */
#define HV_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The structure of type `type` whose member `member` is at `ptr`. */
#define hv_container_of(ptr, type, member)                                     \
	((type *)(void *)((char *)(ptr)-offsetof(type, member)))

/* Branch hints: `x` is expected true (HV_LIKELY) or false. */
#define HV_LIKELY(x)   __builtin_expect(!!(x), 1)
#define HV_UNLIKELY(x) __builtin_expect(!!(x), 0)
/* Function attributes: printf-style format checking (the format string
 * is argument fmt_idx, the values start at args_idx), never returns,
 * may be unused, its result must be used. */
#define HV_PRINTF(fmt_idx, args_idx)                                           \
	__attribute__((format(printf, fmt_idx, args_idx)))
#define HV_NORETURN	      __attribute__((noreturn))
#define HV_MAYBE_UNUSED	      __attribute__((unused))
#define HV_WARN_UNUSED_RESULT __attribute__((warn_unused_result))

/* Power-of-two alignment of integers; `a` must be a power of two. */
#define HV_ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define HV_ALIGN_UP(x, a)   HV_ALIGN_DOWN((x) + ((__typeof__(x))(a)-1), a)
#define HV_IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)

/* The smaller of a and b. */
static inline uint64_t hv_min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* The larger of a and b. */
static inline uint64_t hv_max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

#endif /* HV_COMPILER_H */
