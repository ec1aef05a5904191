/*
 * Domains and XENMEM: the private interface of domain.c and xenmem*.c.
 */
#ifndef HV_MM_DOMAIN_PRIV_H
#define HV_MM_DOMAIN_PRIV_H

#include <hv/mm_xenmem.h>

/* How XENMEM_add_to_physmap differs between the guest ABIs. */
struct hv_mm_xenmem_abi {
	const char *name;
	/* XENMAPSPACE_gmfn and _gmfn_range exist (x86 only). */
	bool gmfn_spaces;
	/* What an unknown or unsupported space gets. */
	int bad_space_error;
};

/* `batch`, or `local` begun on d when batch is NULL. */
struct hv_mm_domain_batch *
domain_batch_or_local(struct hv_mm_domain *d, struct hv_mm_domain_batch *batch,
		      struct hv_mm_domain_batch *local);

/* Whether [gfn, gfn + nr) holds a grant mapping; a range past the P2M
 * holds none. */
bool domain_range_has_grant(struct hv_mm_domain *d, uint64_t gfn, uint64_t nr);

/*
 * Allocate 2^order frames for d (on `node`, with hv_mm_alloc_pages flags)
 * and map them RAM_RW at gfn in batch b; on failure nothing stays
 * allocated.  0 or the allocator's or P2M's error.
 */
int domain_map_new_extent(struct hv_mm_domain *d, struct hv_mm_domain_batch *b,
			  uint64_t gfn, unsigned int order, unsigned int node,
			  unsigned int flags);

/* One memory_op call being decoded. */
struct memop {
	const struct hv_mm_xenmem *xm;
	struct hv_mm_domain *curr;
	const struct hv_gmem *gm;
	uint64_t start; /* extents already done (continuation) */
	uint64_t arg;
};

/* The domain a memory_op names (DOMID_SELF: the caller), or NULL. */
struct hv_mm_domain *memop_domain(const struct memop *m, hv_domid_t domid);
/* Xen's XSM_TARGET: a domain may act on itself; the control domain on
 * any domain. */
bool memop_may_target(const struct memop *m, const struct hv_mm_domain *d);

/* Whether frame mfn is allocated and charged to d. */
bool domain_owns_frame(struct hv_mm_domain *d, hv_mfn_t mfn);

long xenmem_add_to_physmap(const struct memop *m);

#endif /* HV_MM_DOMAIN_PRIV_H */
