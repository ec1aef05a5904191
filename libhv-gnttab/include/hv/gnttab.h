/*
 * hv/gnttab.h - libhv-gnttab, Xen grant tables (v1 and v2): every
 * GNTTABOP of <xen/grant_table.h> through one hypercall entry, a maptrack
 * table per mapping domain, and host mappings of granted frames in the
 * mapping domain's P2M as grant-mapped entries (libhv-mm).
 *
 * A hypervisor creates one struct hv_gnttab_domain per guest, on the
 * guest's libhv-mm domain (its P2M, heap and account), routes the guest's
 * grant_table_op hypercall to hv_gnttab_hypercall(), and answers
 * XENMEM_add_to_physmap(XENMAPSPACE_grant_table) with
 * hv_gnttab_space_frame() and hv_gnttab_space_placed() (the space_frame
 * and space_placed callbacks of struct hv_mm_xenmem).
 *
 * Memory: the grant-table frames the guest maps (v1 or v2 entries, and v2
 * status frames) are machine frames from the domain's heap, owned by the
 * hypervisor and zeroed, as Xen's xenheap pages; they grow on demand up to
 * the domain's limit and are scrubbed when freed.  Everything else (active
 * entries, maptrack) comes from the caller's allocator.  Nothing is global.
 *
 * References: a granted frame is pinned while mapped or copied: the
 * granting domain's entry shows GTF_reading (and GTF_writing for a
 * writable use), so the granting guest cannot end access, and each host
 * mapping holds a heap reference on the frame, so it outlives the granter's
 * decrease_reservation.  The mapping domain's P2M entry is removed and its
 * TLBs flushed before the pin and the reference go.
 *
 * Return values: functions return 0 or a negative HV_E* value; the
 * hypercall returns what Xen returns for the whole call, and each op's
 * GNTST_* status in its op struct.  docs/gnttab.md lists where hvkit
 * differs from Xen.
 *
 * Locking: one lock per domain.  No call holds two domains' locks at once
 * (map, unmap and copy take the mapping and the granting domain's locks in
 * turn; a pin on the grant keeps the granting domain alive in between), so
 * there is no lock order between domains.  Library locks are taken before
 * libhv-mm's (P2M, then heap).  get_domain, put_domain and the hypercall's
 * argument accessor are used with no library lock held; alloc,
 * phys_to_virt, cache_maint and libhv-mm's P2M callbacks may be called
 * with one held and must not call back into libhv-gnttab.
 */
#ifndef HV_GNTTAB_H
#define HV_GNTTAB_H

/* Bumped whenever the API changes incompatibly; 0 while it is unstable. */
#define HV_GNTTAB_API_VERSION 1

#include <hv/gmem.h>
#include <hv/log.h>
#include <hv/mm_xenmem.h>
#include <hv/types.h>
#include <hv/xen_interface.h>
#include <stdbool.h>

#include <xen/xen.h>
#include <xen/grant_table.h>

HV_BEGIN_DECLS

/* The HV_GNTTAB_API_VERSION the library was built with. */
unsigned int hv_gnttab_api_version(void);

struct hv_gnttab_domain;

/*
 * Grant-table version 2 (union grant_entry_v2, status frames, sub-page and
 * transitive grants) lives in its own object file, reached only through
 * this descriptor: a domain whose configuration names it may switch to v2
 * with GNTTABOP_set_version, and an image that never names it does not
 * contain it.  Version 1 is always there: every domain starts with it.
 */
struct hv_gnttab_abi;
extern const struct hv_gnttab_abi hv_gnttab_v2;

/* Limits of a domain's configuration. */
#define HV_GNTTAB_MAX_GRANT_FRAMES    4096u
#define HV_GNTTAB_MAX_MAPTRACK_FRAMES 65536u
/* Handles per maptrack frame: Xen's 4 KiB of 16-byte entries. */
#define HV_GNTTAB_MAPTRACK_PER_FRAME 256u

/*
 * Memory for the library's own state.  alloc returns `size` bytes aligned
 * to `align` (a power of two, at most 64) or NULL; the library clears what
 * it gets.  free gets back the pointer and the size it was allocated with.
 */
struct hv_gnttab_alloc {
	void *(*alloc)(void *opaque, size_t size, size_t align);
	void (*free)(void *opaque, void *ptr, size_t size);
	void *opaque;
};

/* What the library asks of the hypervisor that embeds it. */
struct hv_gnttab_ops {
	/*
	 * The domain with id `domid` (never DOMID_SELF or the caller's own
	 * id), held for the library until put_domain, or NULL if there is
	 * none (the op then fails with Xen's status for a missing domain).
	 * Unmapping never asks: a mapping keeps the granting domain alive
	 * (hv_gnttab_domain_destroy() refuses while its grants are in use).
	 */
	struct hv_gnttab_domain *(*get_domain)(void *ctx, hv_domid_t domid);
	/* Release a domain get_domain returned; may be NULL. */
	void (*put_domain)(void *ctx, struct hv_gnttab_domain *d);
	/* The hypervisor's pointer to machine address pa (a heap frame). */
	void *(*phys_to_virt)(void *ctx, hv_paddr_t pa);
	/*
	 * GNTTABOP_cache_flush: clean and/or invalidate (GNTTAB_CACHE_CLEAN,
	 * _INVAL) the data cache over [va, va + len); 0 or a negative errno
	 * for the guest (x86 Xen: -HV_EOPNOTSUPP for INVAL alone).  NULL: the
	 * caches are coherent with devices, every flush succeeds.
	 */
	int (*cache_maint)(void *ctx, void *va, size_t len, unsigned int op);
};

/* One domain's grant table, as hv_gnttab_domain_create takes it. */
struct hv_gnttab_config {
	/* The domain's memory: its id, P2M (host mappings go there, granted
	 * frames are looked up there), heap (table frames come from there)
	 * and account.  It must outlive the grant-table domain. */
	struct hv_mm_domain *mm;
	/* Grant-table frames, 1..HV_GNTTAB_MAX_GRANT_FRAMES (Xen's
	 * max_grant_frames; xl's default is 32, Xen's limit 64). */
	unsigned int max_grant_frames;
	/* Maptrack frames, 0..HV_GNTTAB_MAX_MAPTRACK_FRAMES, each
	 * HV_GNTTAB_MAPTRACK_PER_FRAME mappings of other domains' grants
	 * (Xen's max_maptrack_frames; 0: the domain cannot map grants). */
	unsigned int max_maptrack_frames;
	/* &hv_gnttab_v2 to allow GNTTABOP_set_version to 2; NULL: version 1
	 * only (set_version(2) gets -HV_ENOSYS, as Xen's max version 1). */
	const struct hv_gnttab_abi *v2;
	/* Copies may go through transitive v2 grants (Xen's default). */
	bool transitive;
	/* May name other domains in setup_table, query_size, get_version and
	 * get_status_frames (Xen's XSM_TARGET check for a control domain). */
	bool privileged;
	const struct hv_gnttab_ops *ops; /* get_domain, phys_to_virt required */
	void *ctx;			 /* passed to every ops callback */
	struct hv_gnttab_alloc alloc;
	const struct hv_log *log; /* NULL: silent */
};

/*
 * Create a domain's grant table: version 1, one frame (Xen's
 * INITIAL_NR_GRANT_FRAMES), no maptrack yet.  cfg is copied, but what its
 * pointers name must outlive the domain.  -HV_EINVAL for a bad
 * configuration, -HV_ENOMEM (allocator or heap).
 */
int hv_gnttab_domain_create(const struct hv_gnttab_config *cfg,
			    struct hv_gnttab_domain **out);

/*
 * The domain is dying (Xen's gnttab_release_mappings): remove every grant
 * mapping it holds of other domains' grants from its P2M (one TLB flush),
 * then unpin those grants and drop the frame references.  From now on its
 * own grants cannot be newly mapped or copied (GNTST_bad_domain), nor can
 * it map new ones.  Call it before hv_mm_domain_release() on its memory:
 * libhv-mm unhooks grant mappings without dropping their references.
 */
void hv_gnttab_domain_release(struct hv_gnttab_domain *d);

/*
 * Release the domain (if not yet done), unmap its grant-table frames from
 * its P2M where the guest placed them, and free everything: 0.  While other
 * domains still map or copy its grants, -HV_EBUSY and nothing is freed
 * (Xen keeps such a domain as a zombie): call it again after they unmapped
 * (or were released themselves).  Never call it while a call on d runs.
 */
int hv_gnttab_domain_destroy(struct hv_gnttab_domain *d);

/* The domain's id, as configured. */
hv_domid_t hv_gnttab_domain_id(const struct hv_gnttab_domain *d);

/*
 * The guest's HYPERVISOR_grant_table_op(cmd, arg, count) made by domain d:
 * `args` reads and writes the caller's memory (arg and the handles inside
 * the op structs are addresses in it).  The page of the op array it
 * translates is kept (pinned, if `args` can pin) while d's P2M generation
 * (hv_mm_p2m_generation) stays the same: a translation that changes in
 * another way during the call (the guest's own page tables rewritten, by
 * a GNTTABOP_copy of the call or by another vCPU) is not seen by the
 * rest of the call, where Xen would walk again (docs/gnttab.md).
 * Returns what Xen returns:
 *   0            done; each op's status (GNTST_*) is in its struct
 *   -HV_EFAULT   an op struct (or its status field) could not be read or
 *                written: ops before it are done, as in Xen
 *   -HV_EINVAL   count negative as an int, continuation bits on a cmd
 *                other than cache_flush, count != 1 for setup_table,
 *                query_size, get_status_frames, or a bad version or
 *                cache_flush argument
 *   -HV_ENOSYS   unknown cmd (dump_table included); set_version(2)
 *                without v2
 *   -HV_EBUSY, -HV_ERANGE, -HV_ENOMEM   set_version (see docs/gnttab.md)
 *   -HV_ESRCH, -HV_EPERM   get_version of a missing or foreign domain
 * Calls run to completion: no continuation is created.
 */
int hv_gnttab_hypercall(struct hv_gnttab_domain *d, const struct hv_gmem *args,
			unsigned int cmd, uint64_t arg, unsigned int count);

/*
 * XENMEM_add_to_physmap, XENMAPSPACE_grant_table: the machine frame that
 * index idx names (frame idx of the shared entries; with
 * XENMAPIDX_grant_table_status set on a v2 table, status frame idx), and
 * the guest frame where the guest placed it last (HV_INVALID_FRAME:
 * nowhere).  As Xen's gnttab_map_frame, the table grows to reach idx if
 * the domain's limit allows.  0 or -HV_EINVAL (beyond the limit, a status
 * frame of a v1 table, or no memory to grow).
 */
int hv_gnttab_space_frame(struct hv_gnttab_domain *d, uint64_t idx,
			  hv_mfn_t *mfn, hv_gfn_t *where);
/* The guest placed frame idx (as above) at gfn. */
void hv_gnttab_space_placed(struct hv_gnttab_domain *d, uint64_t idx,
			    hv_gfn_t gfn);

/* A domain's grant-table state, for images and tests. */
struct hv_gnttab_info {
	unsigned int version;	      /* 1 or 2 */
	unsigned int nr_grant_frames; /* shared frames now */
	unsigned int max_grant_frames;
	unsigned int nr_status_frames;	 /* v2 status frames now */
	unsigned int nr_maptrack_frames; /* allocated now */
	unsigned int max_maptrack_frames;
	unsigned int maptrack_used; /* handles in use: its mappings */
	unsigned int active_grants; /* its grants pinned by anyone */
	bool dying;		    /* released */
};

/* The domain's table as it is now (for tests, tools and leak checks). */
void hv_gnttab_get_info(struct hv_gnttab_domain *d, struct hv_gnttab_info *out);

/* One grant's active state, as Xen's 'g' debug key prints it. */
struct hv_gnttab_grant_info {
	hv_domid_t domid;     /* the domain using it (pins > 0) */
	unsigned int pins_rw; /* writable host mappings and copies */
	unsigned int pins_ro; /* read-only ones */
	hv_mfn_t mfn;	      /* the frame pinned (pins > 0) */
};

/* 0 and *out, or -HV_EINVAL for a ref beyond the table. */
int hv_gnttab_query_grant(struct hv_gnttab_domain *d, grant_ref_t ref,
			  struct hv_gnttab_grant_info *out);

HV_END_DECLS

#endif /* HV_GNTTAB_H */
