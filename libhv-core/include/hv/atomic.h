/*
 * hv/atomic.h - atomic operations and barriers on plain integers.
 *
 * Thin, typed wrappers over the compiler's __atomic builtins, usable in C
 * and C++ alike and on memory the hypervisor shares with a guest (which
 * cannot be declared _Atomic).  Loads acquire, stores release, and
 * read-modify-write operations are sequentially consistent unless the name
 * says "relaxed".
 */
#ifndef HV_ATOMIC_H
#define HV_ATOMIC_H

#include <hv/compiler.h>
#include <stdbool.h>

HV_BEGIN_DECLS

/* The operations for one width: hv_atomic_load_u32, _store_, _fetch_add_,
 * ... for uint32_t, ordered as said above. */
#define HV_ATOMIC_OPS(bits)                                                    \
	static inline uint##bits##_t hv_atomic_load_u##bits(                   \
	    const uint##bits##_t *p)                                           \
	{                                                                      \
		return __atomic_load_n(p, __ATOMIC_ACQUIRE);                   \
	}                                                                      \
	static inline uint##bits##_t hv_atomic_load_relaxed_u##bits(           \
	    const uint##bits##_t *p)                                           \
	{                                                                      \
		return __atomic_load_n(p, __ATOMIC_RELAXED);                   \
	}                                                                      \
	static inline void hv_atomic_store_u##bits(uint##bits##_t *p,          \
						   uint##bits##_t v)           \
	{                                                                      \
		__atomic_store_n(p, v, __ATOMIC_RELEASE);                      \
	}                                                                      \
	static inline void hv_atomic_store_relaxed_u##bits(uint##bits##_t *p,  \
							   uint##bits##_t v)   \
	{                                                                      \
		__atomic_store_n(p, v, __ATOMIC_RELAXED);                      \
	}                                                                      \
	/* Returns the value before the operation. */                          \
	static inline uint##bits##_t hv_atomic_fetch_add_u##bits(              \
	    uint##bits##_t *p, uint##bits##_t v)                               \
	{                                                                      \
		return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);             \
	}                                                                      \
	static inline uint##bits##_t hv_atomic_fetch_sub_u##bits(              \
	    uint##bits##_t *p, uint##bits##_t v)                               \
	{                                                                      \
		return __atomic_fetch_sub(p, v, __ATOMIC_SEQ_CST);             \
	}                                                                      \
	static inline uint##bits##_t hv_atomic_fetch_or_u##bits(               \
	    uint##bits##_t *p, uint##bits##_t v)                               \
	{                                                                      \
		return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST);              \
	}                                                                      \
	static inline uint##bits##_t hv_atomic_fetch_and_u##bits(              \
	    uint##bits##_t *p, uint##bits##_t v)                               \
	{                                                                      \
		return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST);             \
	}                                                                      \
	static inline uint##bits##_t hv_atomic_xchg_u##bits(uint##bits##_t *p, \
							    uint##bits##_t v)  \
	{                                                                      \
		return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);            \
	}                                                                      \
	/* If *p == *expected, store desired and return true; otherwise load   \
	 * *p into *expected and return false. */                              \
	static inline bool hv_atomic_cmpxchg_u##bits(uint##bits##_t *p,        \
						     uint##bits##_t *expected, \
						     uint##bits##_t desired)   \
	{                                                                      \
		return __atomic_compare_exchange_n(p, expected, desired,       \
						   false, __ATOMIC_SEQ_CST,    \
						   __ATOMIC_SEQ_CST);          \
	}

HV_ATOMIC_OPS(8)
HV_ATOMIC_OPS(16)
HV_ATOMIC_OPS(32)
HV_ATOMIC_OPS(64)
#undef HV_ATOMIC_OPS

/* Full, read and write barriers between this CPU's accesses. */
static inline void hv_mb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Loads before it complete before loads after it (acquire). */
static inline void hv_rmb(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

/* Stores before it complete before stores after it (release). */
static inline void hv_wmb(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

/* Stops the compiler, not the CPU, from moving accesses across it. */
static inline void hv_barrier(void)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

/* A hint inside busy-wait loops: lets an SMT sibling or the host run. */
static inline void hv_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ __volatile__("pause" ::: "memory");
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#else
	hv_barrier();
#endif
}

HV_END_DECLS

#endif /* HV_ATOMIC_H */
