/*
 * hv/types.h - scalar types that say what they hold.
 *
 * Frame numbers are wrapped in single-member structs so that a guest frame
 * number can never be passed where a machine frame number is meant: the
 * compiler rejects it.  Addresses stay plain integers (they are added to and
 * masked everywhere) but are named for the address space they live in.
 */
#ifndef HV_TYPES_H
#define HV_TYPES_H

#include <hv/compiler.h>
#include <stdbool.h>

HV_BEGIN_DECLS

/* The 4 KiB page every library works in: log2 of its size, its size,
 * and the mask that keeps an address's page (clears the offset in it). */
#define HV_PAGE_SHIFT 12
#define HV_PAGE_SIZE  (UINT64_C(1) << HV_PAGE_SHIFT)
#define HV_PAGE_MASK  (~(HV_PAGE_SIZE - 1))

typedef uint64_t hv_paddr_t;  /* machine (host) physical address */
typedef uint64_t hv_gpaddr_t; /* guest physical address */
typedef uint64_t hv_vaddr_t;  /* hypervisor virtual address */

/* Machine memory [base, base + size), in bytes: what firmware reports as
 * RAM, or a region of it in use. */
struct hv_mem_range {
	hv_paddr_t base;
	uint64_t size;
};

typedef uint16_t hv_domid_t;  /* same width as Xen's domid_t */
typedef uint32_t hv_vcpuid_t; /* a vCPU's number in its domain, from 0 */

/* Time in nanoseconds; signed, like Xen's s_time_t, so differences are. */
typedef int64_t hv_time_t;
#define HV_TIME_NEVER INT64_MAX
#define HV_NSEC(x)    ((hv_time_t)(x))
#define HV_USEC(x)    ((hv_time_t)(x)*1000)
#define HV_MSEC(x)    ((hv_time_t)(x)*1000000)
#define HV_SEC(x)     ((hv_time_t)(x)*1000000000)

/* Guest frame number: a guest-physical address >> HV_PAGE_SHIFT. */
typedef struct {
	uint64_t gfn;
} hv_gfn_t;

/* Machine frame number: a machine-physical address >> HV_PAGE_SHIFT. */
typedef struct {
	uint64_t mfn;
} hv_mfn_t;

/* A frame number that names no frame (Xen's INVALID_GFN/INVALID_MFN). */
#define HV_INVALID_FRAME UINT64_MAX

/* Wrap a number as a guest frame number. */
static inline hv_gfn_t hv_gfn(uint64_t n)
{
	hv_gfn_t g = {n};
	return g;
}

/* The number inside a guest frame number. */
static inline uint64_t hv_gfn_x(hv_gfn_t g)
{
	return g.gfn;
}

/* Whether two guest frame numbers are the same frame. */
static inline bool hv_gfn_eq(hv_gfn_t a, hv_gfn_t b)
{
	return a.gfn == b.gfn;
}

/* Wrap a number as a machine frame number. */
static inline hv_mfn_t hv_mfn(uint64_t n)
{
	hv_mfn_t m = {n};
	return m;
}

/* The number inside a machine frame number. */
static inline uint64_t hv_mfn_x(hv_mfn_t m)
{
	return m.mfn;
}

/* Whether two machine frame numbers are the same frame. */
static inline bool hv_mfn_eq(hv_mfn_t a, hv_mfn_t b)
{
	return a.mfn == b.mfn;
}

/* The guest frame holding guest-physical address a. */
static inline hv_gfn_t hv_gpaddr_to_gfn(hv_gpaddr_t a)
{
	return hv_gfn(a >> HV_PAGE_SHIFT);
}

/* The guest-physical address where guest frame g starts. */
static inline hv_gpaddr_t hv_gfn_to_gpaddr(hv_gfn_t g)
{
	return g.gfn << HV_PAGE_SHIFT;
}

/* The machine frame holding machine address a. */
static inline hv_mfn_t hv_paddr_to_mfn(hv_paddr_t a)
{
	return hv_mfn(a >> HV_PAGE_SHIFT);
}

/* The machine address where machine frame m starts. */
static inline hv_paddr_t hv_mfn_to_paddr(hv_mfn_t m)
{
	return m.mfn << HV_PAGE_SHIFT;
}

HV_END_DECLS

#endif /* HV_TYPES_H */
