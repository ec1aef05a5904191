/*
 * hv/mm_p2m.h - the P2M: a domain's guest-physical to machine map.
 *
 * One engine for every architecture: it walks page tables through a format
 * descriptor (<hv/mm_impl.h>; libhv-arm provides AArch64 stage 2, libhv-x86
 * AMD NPT) and gets everything else from its caller: table pages from an
 * allocator, pointers to them from phys_to_virt, TLB invalidation from a
 * flush callback.  It allocates nothing itself.
 *
 * Mapping a range uses the largest entries that fit: 1 GiB and 2 MiB leaves
 * where the guest range and the machine range are both aligned and the
 * P2M's max_order allows, 4 KiB pages elsewhere.  Changing part of a
 * superpage splits it into the next level's entries (recursively, so the
 * result is the minimal set of entries); a table whose entries become
 * uniform again (one type, one access, contiguous frames) is merged back
 * into a superpage, and a table that becomes empty is freed.
 *
 * Each entry has a type (what the frame is: RAM, MMIO, a grant mapping...)
 * and access rights (r/w/x).  The rights stored are always within what the
 * type allows (RAM_RO is never writable, MMIO and grants never executable):
 * a lookup returns the effective rights.
 *
 * TLB invalidation is batched.  Changes are made inside a batch (on the
 * caller's stack); the engine records which guest range needs invalidating
 * and calls the flush callback once, at hv_mm_p2m_batch_end(), however many
 * entries changed.  Until then it also keeps every table it detached (and
 * the caller must keep every frame it unmapped, see `removed` below): the
 * hardware may still walk them through stale TLB entries.  Adding mappings
 * where there were none never needs a flush, and nothing needs one before
 * hv_mm_p2m_activate(), i.e. while no CPU has ever used the P2M (a domain
 * being built).
 *
 * Locking: every function takes the P2M's lock, and callbacks run with it
 * held (free_table and the batched flush_tlb excepted: they run in
 * hv_mm_p2m_batch_end) and must not call back into the P2M.  A batch
 * belongs to one caller; end it before destroying the P2M.
 *
 * Errors: -HV_EINVAL for bad arguments, -HV_ENOMEM when the table
 * allocator fails; either way no translation changed (tables are allocated
 * before any entry changes, and what was prepared is undone).
 */
#ifndef HV_MM_P2M_H
#define HV_MM_P2M_H

#include <hv/spinlock.h>
#include <hv/types.h>

HV_BEGIN_DECLS

/* What a guest frame is mapped as (Xen's p2m types, those hvkit uses). */
enum hv_mm_p2m_type {
	HV_MM_P2M_INVALID = 0, /* nothing mapped */
	HV_MM_P2M_RAM_RW,      /* guest RAM */
	HV_MM_P2M_RAM_RO,      /* guest RAM, never writable */
	HV_MM_P2M_MMIO,	       /* a device, mapped uncached */
	HV_MM_P2M_GRANT_RW,    /* another domain's frame, mapped by grant */
	HV_MM_P2M_GRANT_RO,    /* the same, read-only */
	HV_MM_P2M_PAGED_OUT,   /* RAM whose contents are elsewhere: no frame */
	HV_MM_P2M_NR_TYPES
};

/* Access rights. */
#define HV_MM_P2M_R   0x1u
#define HV_MM_P2M_W   0x2u
#define HV_MM_P2M_X   0x4u
#define HV_MM_P2M_RW  (HV_MM_P2M_R | HV_MM_P2M_W)
#define HV_MM_P2M_RWX (HV_MM_P2M_R | HV_MM_P2M_W | HV_MM_P2M_X)

/* Page orders (log2 of 4 KiB pages) of the entries the engine may use. */
#define HV_MM_P2M_ORDER_4K 0u
#define HV_MM_P2M_ORDER_2M 9u
#define HV_MM_P2M_ORDER_1G 18u

/* The rights a type allows at most (0 for INVALID and PAGED_OUT). */
unsigned int hv_mm_p2m_type_rights(enum hv_mm_p2m_type type);
/* Whether entries of the type map a machine frame. */
bool hv_mm_p2m_type_has_frame(enum hv_mm_p2m_type type);
/* "ram_rw", "mmio", ...; "?" for a value out of range. */
const char *hv_mm_p2m_type_name(enum hv_mm_p2m_type type);

struct hv_mm_p2m_format; /* <hv/mm_impl.h> */

/* What the engine needs from its caller.  `ctx` is passed to each. */
struct hv_mm_p2m_ops {
	/* 2^order contiguous pages aligned to their size; contents need not
	 * be zero.  0 and *pa set, or a negative error. */
	int (*alloc_table)(void *ctx, unsigned int order, hv_paddr_t *pa);
	void (*free_table)(void *ctx, hv_paddr_t pa, unsigned int order);
	/* The hypervisor's pointer to machine address pa. */
	void *(*phys_to_virt)(void *ctx, hv_paddr_t pa);
	/*
	 * Invalidate cached translations of guest frames [first, first + nr)
	 * on every CPU, and complete before returning (an implementation may
	 * flush more).  Called once per batch, from hv_mm_p2m_batch_end(),
	 * and, on an active P2M whose format needs break-before-make, between
	 * the break and the make, with the P2M locked.
	 */
	void (*flush_tlb)(void *ctx, hv_gfn_t first, uint64_t nr);
};

/* A P2M's counters (hv_mm_p2m_get_stats). */
struct hv_mm_p2m_stats {
	uint64_t tables;	 /* table pages held now, root included */
	uint64_t flushes;	 /* flush_tlb calls */
	uint64_t flush_requests; /* entry changes that needed a flush */
	uint64_t splits;	 /* superpages split */
	uint64_t merges;	 /* tables merged back into a superpage */
};

/* Most table levels a format may have. */
#define HV_MM_P2M_MAX_LEVELS 5

/* Geometry derived from the format, per level; private. */
struct hv_mm_p2m_geom {
	uint8_t span_shift; /* an entry maps 2^span_shift pages */
	uint8_t bits;	    /* index bits */
	uint8_t order;	    /* a table is 2^order pages */
	bool leaf;	    /* this P2M may put leaves here */
};

/* Members are private; the definition is here so callers can place it. */
struct hv_mm_p2m {
	const struct hv_mm_p2m_format *fmt;
	const struct hv_mm_p2m_ops *ops;
	void *ctx;
	hv_paddr_t root;
	struct hv_mm_p2m_geom geom[HV_MM_P2M_MAX_LEVELS];
	uint64_t gfn_limit; /* gfns are below this */
	uint64_t max_mapped_gfn;
	uint64_t generation; /* hv_mm_p2m_generation */
	bool active;
	hv_spinlock_t lock;
	struct hv_mm_p2m_stats stats;
};

/*
 * Called for every mapping a change removes or replaces by another frame or
 * type: frames [mfn, mfn + nr) were mapped at [gfn, gfn + nr) as `type`
 * (mfn is HV_INVALID_FRAME for types without frames).  Runs with the P2M
 * locked.  The frames may still be reached through stale TLB entries until
 * hv_mm_p2m_batch_end() returns: free them only after it.
 */
typedef void (*hv_mm_p2m_removed_fn)(void *ctx, hv_gfn_t gfn, hv_mfn_t mfn,
				     uint64_t nr, enum hv_mm_p2m_type type);

/* Members are private. */
struct hv_mm_p2m_batch {
	struct hv_mm_p2m *p2m;
	hv_mm_p2m_removed_fn removed;
	void *removed_ctx;
	uint64_t flush_first; /* guest frames to invalidate: [first, end) */
	uint64_t flush_end;
	uint64_t flush_requests; /* changes that needed the flush */
	hv_paddr_t retired; /* detached tables, chained, freed after flush */
};

/*
 * Start an empty P2M: allocate and clear its root.  `max_order` caps the
 * entries used (HV_MM_P2M_ORDER_4K for 4 KiB only, _2M, _1G; e.g. _2M on a
 * CPU without 1 GiB nested pages); the format's own limits also apply.
 * 0, -HV_EINVAL (a bad format, or ops missing), or the allocator's error.
 */
int hv_mm_p2m_init(struct hv_mm_p2m *p2m, const struct hv_mm_p2m_format *fmt,
		   const struct hv_mm_p2m_ops *ops, void *ctx,
		   unsigned int max_order);
/*
 * Free every table, root included; mappings simply vanish (nothing is
 * reported as removed).  If the P2M was activated, flushes its TLB entries
 * first.  The P2M must no longer be loaded on any CPU.
 */
void hv_mm_p2m_destroy(struct hv_mm_p2m *p2m);
/* From now on the hardware may cache this P2M's entries: changes flush. */
void hv_mm_p2m_activate(struct hv_mm_p2m *p2m);

/* The root table's machine address (for VTTBR_EL2 or the VMCB's nCR3). */
hv_paddr_t hv_mm_p2m_root(const struct hv_mm_p2m *p2m);
/* Guest frames the format can map: 0 .. limit - 1. */
uint64_t hv_mm_p2m_gfn_limit(const struct hv_mm_p2m *p2m);
/* The highest gfn ever mapped (Xen's max_mapped_pfn); 0 if none was. */
uint64_t hv_mm_p2m_max_mapped_gfn(struct hv_mm_p2m *p2m);
/*
 * How many changes have rewritten or removed a mapping (its frame, type or
 * rights changed, or it went).  Filling empty entries, and splitting or
 * merging superpages, leave it as it is.  So what a lookup found mapped
 * while this read g is still mapped the same way while it reads g: the
 * base of a cache of translations.  Read without the lock.
 */
uint64_t hv_mm_p2m_generation(const struct hv_mm_p2m *p2m);
void hv_mm_p2m_get_stats(struct hv_mm_p2m *p2m, struct hv_mm_p2m_stats *out);

/*
 * A batch of changes to one P2M.  `removed` (may be NULL) hears of every
 * mapping the batch's changes remove.  batch_end flushes once if any change
 * needed it, then frees the tables the batch detached.
 */
void hv_mm_p2m_batch_begin(struct hv_mm_p2m_batch *batch, struct hv_mm_p2m *p2m,
			   hv_mm_p2m_removed_fn removed, void *ctx);
void hv_mm_p2m_batch_end(struct hv_mm_p2m_batch *batch);

/*
 * Map guest frames [gfn, gfn + nr) to machine frames [mfn, mfn + nr) as
 * `type` with `access` (limited to what the type allows); for types without
 * frames mfn is ignored, and HV_MM_P2M_INVALID unmaps.  Whatever was mapped
 * there is replaced (and reported to the batch's `removed`).  `batch` may be
 * NULL: the change is then flushed before the call returns.  nr == 0 does
 * nothing.  -HV_EINVAL if the range passes gfn_limit or the frames pass the
 * format's address width, if type or access is out of range, or if batch
 * belongs to another P2M; -HV_ENOMEM.
 */
int hv_mm_p2m_set(struct hv_mm_p2m *p2m, struct hv_mm_p2m_batch *batch,
		  hv_gfn_t gfn, hv_mfn_t mfn, uint64_t nr,
		  enum hv_mm_p2m_type type, unsigned int access);
/* hv_mm_p2m_set(..., HV_MM_P2M_INVALID, 0). */
int hv_mm_p2m_remove(struct hv_mm_p2m *p2m, struct hv_mm_p2m_batch *batch,
		     hv_gfn_t gfn, uint64_t nr);
/*
 * Change the rights of every mapping in [gfn, gfn + nr), keeping types and
 * frames (the base of introspection: restrict, then handle the faults).
 * Each entry gets access limited to what its type allows; holes stay holes.
 */
int hv_mm_p2m_set_access(struct hv_mm_p2m *p2m, struct hv_mm_p2m_batch *batch,
			 hv_gfn_t gfn, uint64_t nr, unsigned int access);

/* What one guest frame maps to. */
struct hv_mm_p2m_info {
	enum hv_mm_p2m_type type;
	unsigned int access; /* effective rights */
	hv_mfn_t mfn;	     /* of this gfn; HV_INVALID_FRAME without one */
	/* The entry found covers the 2^order frames around gfn (aligned);
	 * for a hole, the size of the empty entry, so walkers can skip it. */
	unsigned int order;
	unsigned int level; /* table level of that entry; 0 is the root */
};

/* 0 and *info (type INVALID for a hole), or -HV_EINVAL past gfn_limit. */
int hv_mm_p2m_lookup(struct hv_mm_p2m *p2m, hv_gfn_t gfn,
		     struct hv_mm_p2m_info *info);

/*
 * Call visit for each mapping in [gfn, gfn + nr), in gfn order, clipped to
 * the range: `first` is the first frame of the piece, `nr` its length,
 * info->mfn the frame at `first`, info->order the entry's size.  Holes are
 * skipped.  Stops at the first non-zero return and returns it; 0 when done;
 * -HV_EINVAL for a bad range.  visit runs with the P2M locked.
 */
typedef int (*hv_mm_p2m_visit_fn)(void *ctx, hv_gfn_t first, uint64_t nr,
				  const struct hv_mm_p2m_info *info);
int hv_mm_p2m_walk(struct hv_mm_p2m *p2m, hv_gfn_t gfn, uint64_t nr,
		   hv_mm_p2m_visit_fn visit, void *ctx);

/*
 * Grant mappings (for libhv-gnttab's host mappings).  grant_map maps the
 * single foreign frame mfn at gfn as GRANT_RW (GRANT_RO if readonly),
 * replacing what was there (reported as removed: pass a domain batch's p2m,
 * <hv/mm_xenmem.h>, so the domain's RAM it replaces is released), but
 * never another grant mapping: -HV_EBUSY, nothing changed.  grant_unmap
 * removes it again, only if gfn maps exactly mfn as a grant: otherwise
 * -HV_EINVAL, nothing changed.
 */
int hv_mm_p2m_grant_map(struct hv_mm_p2m *p2m, struct hv_mm_p2m_batch *batch,
			hv_gfn_t gfn, hv_mfn_t mfn, bool readonly);
int hv_mm_p2m_grant_unmap(struct hv_mm_p2m *p2m, struct hv_mm_p2m_batch *batch,
			  hv_gfn_t gfn, hv_mfn_t mfn);

HV_END_DECLS

#endif /* HV_MM_P2M_H */
