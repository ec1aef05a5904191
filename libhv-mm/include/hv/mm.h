/*
 * hv/mm.h - libhv-mm, memory: the physical page allocator, the P2M engine
 * and the XENMEM hypercalls that drive them.
 *
 *   <hv/mm_heap.h>    buddy page allocator: NUMA nodes, deferred scrubbing,
 *                     per-domain accounting, frame reference counts
 *   <hv/mm_p2m.h>     the P2M: guest-physical to machine map over an arch
 *                     page-table format, superpages, batched TLB flushes
 *   <hv/mm_impl.h>    the format descriptor, for arch libraries
 *   <hv/mm_xenmem.h>  domains' memory, and XENMEM_populate_physmap,
 *                     _decrease_reservation, _add_to_physmap decoding
 *
 * See docs/mm.md for the design and the measured numbers.
 */
#ifndef HV_MM_H
#define HV_MM_H

/* Bumped whenever the API changes incompatibly. */
#define HV_MM_API_VERSION 1

#include <hv/compiler.h>
#include <hv/error.h>
#include <hv/mm_heap.h>
#include <hv/mm_p2m.h>
#include <hv/mm_xenmem.h>

HV_BEGIN_DECLS

/* The HV_MM_API_VERSION the library was built with. */
unsigned int hv_mm_api_version(void);

HV_END_DECLS

#endif /* HV_MM_H */
