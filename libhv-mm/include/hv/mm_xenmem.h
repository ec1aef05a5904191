/*
 * hv/mm_xenmem.h - a domain's memory, and the XENMEM hypercalls on it.
 *
 * A domain, for libhv-mm, is an account (pages charged, limit) on a heap
 * and a P2M.  Its RAM frames are charged to it and mapped in its P2M as
 * RAM_RW or RAM_RO, each at one guest frame: the mapping holds the frame's
 * allocation reference.  Every change to a domain's memory goes through a
 * domain batch, which releases the frames it unmaps (drops that reference)
 * only after the one TLB flush that ends the batch.  A frame another
 * domain still maps by grant keeps its extra reference and is freed (and
 * uncharged) when that goes, as in Xen.
 *
 * hv_mm_memory_op() decodes XENMEM_populate_physmap, _decrease_reservation,
 * _add_to_physmap (gmfn, gmfn_range, shared_info, grant_table) and
 * _current_reservation, _maximum_reservation, _maximum_gpfn, reading every
 * argument through the caller's hv_gmem, and returns what Xen returns:
 * the reservation operations return the number of extents done (a bad
 * argument, a fault, an allocation failure or the domain's limit stops
 * them there); the others 0 or -errno.  Other sub-ops get -HV_ENOSYS.
 * Differences from Xen are listed in docs/mm.md.
 */
#ifndef HV_MM_XENMEM_H
#define HV_MM_XENMEM_H

#include <hv/gmem.h>
#include <hv/mm_heap.h>
#include <hv/mm_p2m.h>

HV_BEGIN_DECLS

/* Members other than those marked are private. */
struct hv_mm_domain {
	hv_domid_t domid;
	struct hv_mm_heap *heap;
	struct hv_mm_p2m *p2m;
	struct hv_mm_account account;
	/* Public, set after hv_mm_domain_init() as needed: */
	unsigned int node; /* NUMA node for its memory (HV_MM_NODE_ANY) */
	/* Largest extent order it may pass to memory_op (Xen: 9 for a
	 * domU, more for the control domain); above HV_MM_MAX_ORDER counts
	 * as HV_MM_MAX_ORDER, as Xen caps it at its MAX_ORDER. */
	unsigned int memop_max_order;
	/* May name other domains in memory_op (Xen's control domain). */
	bool privileged;
};

/*
 * A domain with no memory yet, limited to max_pages, whose P2M (already
 * initialised) is p2m; node HV_MM_NODE_ANY, memop_max_order 9, not
 * privileged.
 */
void hv_mm_domain_init(struct hv_mm_domain *d, hv_domid_t domid,
		       struct hv_mm_heap *heap, struct hv_mm_p2m *p2m,
		       uint64_t max_pages);

/*
 * A batch of changes to a domain's memory.  Members are private except
 * `p2m`, which hv_mm_p2m_* calls on the domain's P2M may use (grant
 * mappings, say): what they replace is then released the same way.
 */
struct hv_mm_domain_batch {
	struct hv_mm_p2m_batch p2m;
	struct hv_mm_domain *d;
	struct hv_list release; /* frames to release after the flush */
	uint64_t moving;	/* a frame being moved, not released */
};

/* Start a batch of changes to d's P2M: flushes and releases wait for
 * hv_mm_domain_batch_end. */
void hv_mm_domain_batch_begin(struct hv_mm_domain_batch *batch,
			      struct hv_mm_domain *d);
/* Flush once if needed, then release the frames the batch unmapped;
 * returns how many frames lost their allocation reference. */
uint64_t hv_mm_domain_batch_end(struct hv_mm_domain_batch *batch);

/*
 * Give the domain RAM at guest frames [gfn, gfn + nr): allocate and map it
 * (RAM_RW, all rights) in the largest extents that fit the alignment and
 * max_order (HV_MM_P2M_ORDER_1G, _2M or _4K), falling back to smaller ones
 * when a larger allocation fails; a fast domain build.  What was mapped
 * there is replaced (the domain's frames released), but never a grant
 * mapping.  `batch` may be NULL (one of its own).  *done (may be NULL):
 * frames mapped, also on failure.  0, -HV_EINVAL (range, or a grant mapping
 * in it), -HV_ENOMEM, -HV_E2BIG (the domain's limit).
 */
int hv_mm_domain_populate(struct hv_mm_domain *d,
			  struct hv_mm_domain_batch *batch, hv_gfn_t gfn,
			  uint64_t nr, unsigned int max_order, uint64_t *done);
/*
 * Map machine frames the domain does not own (MMIO, a hypervisor page) as
 * hv_mm_p2m_set() does, releasing any of its frames that were mapped
 * there.  -HV_EINVAL, nothing changed, for RAM types over frames the domain
 * owns (its RAM appears at one guest frame only) and for a range holding
 * a grant mapping (only hv_mm_p2m_grant_unmap() removes one, so that the
 * reference it holds is dropped).
 */
int hv_mm_domain_map(struct hv_mm_domain *d, struct hv_mm_domain_batch *batch,
		     hv_gfn_t gfn, hv_mfn_t mfn, uint64_t nr,
		     enum hv_mm_p2m_type type, unsigned int access);
/* Unmap [gfn, gfn + nr), releasing the domain's frames mapped there;
 * -HV_EINVAL, nothing changed, if the range holds a grant mapping. */
int hv_mm_domain_unmap(struct hv_mm_domain *d, struct hv_mm_domain_batch *batch,
		       hv_gfn_t gfn, uint64_t nr);
/*
 * Tear the domain's memory down: unmap everything (one flush), release its
 * frames.  Returns how many frames lost their allocation reference.  The
 * P2M itself stays (empty) for hv_mm_p2m_destroy().
 */
uint64_t hv_mm_domain_release(struct hv_mm_domain *d);

/*
 * An hv_gmem translation callback over the domain's guest-physical space
 * (ctx: the struct hv_mm_domain): RAM frames only, as Xen's hypercall
 * copies allow (not MMIO, not grant mappings), and not RAM_RO for writes.
 * The pointer stays valid while the frame stays mapped: the caller keeps
 * the domain's memory from changing during the access.
 */
int hv_mm_gpa_translate(void *ctx, hv_gfn_t gfn, unsigned int access,
			void **page);

/*
 * Its hv_gmem pinning pair (hv_gmem_set_pinning), for pointers the
 * hypervisor keeps (an event-channel control block): translate as above
 * and take a reference on the frame, so that it stays allocated (and
 * charged to the domain) after the guest gives it back, until unpin drops
 * the reference.  *pin is the frame's MFN.
 */
int hv_mm_gpa_pin(void *ctx, hv_gfn_t gfn, unsigned int access, void **page,
		  uint64_t *pin);
void hv_mm_gpa_unpin(void *ctx, uint64_t pin);

/* The guest ABI's architecture: how XENMEM_add_to_physmap differs. */
struct hv_mm_xenmem_abi;
extern const struct hv_mm_xenmem_abi hv_mm_xenmem_x86;
extern const struct hv_mm_xenmem_abi hv_mm_xenmem_arm;

/* What memory_op needs from the image. */
struct hv_mm_xenmem {
	const struct hv_mm_xenmem_abi *abi;
	/* The domain named domid (never DOMID_SELF), valid until
	 * memory_op returns, or NULL. */
	struct hv_mm_domain *(*find_domain)(void *ctx, hv_domid_t domid);
	/*
	 * XENMAPSPACE_shared_info and _grant_table (may be NULL: such
	 * requests fail as in a Xen without them): the frame that index idx
	 * of `space` stands for, and the guest frame where d maps it now
	 * (HV_INVALID_FRAME: nowhere).  0 or a negative errno for the guest.
	 */
	int (*space_frame)(void *ctx, struct hv_mm_domain *d,
			   unsigned int space, uint64_t idx, hv_mfn_t *mfn,
			   hv_gfn_t *where);
	/* After such a frame was mapped at gfn (may be NULL). */
	void (*space_placed)(void *ctx, struct hv_mm_domain *d,
			     unsigned int space, uint64_t idx, hv_gfn_t gfn);
	void *ctx;
};

/*
 * HYPERVISOR_memory_op(cmd, arg) from domain curr.  gm reads and writes the
 * caller's guest memory (arg and the handles inside it are addresses in
 * that space).  Returns what Xen returns (see above).
 */
long hv_mm_memory_op(const struct hv_mm_xenmem *xm, struct hv_mm_domain *curr,
		     const struct hv_gmem *gm, unsigned long cmd, uint64_t arg);

HV_END_DECLS

#endif /* HV_MM_XENMEM_H */
