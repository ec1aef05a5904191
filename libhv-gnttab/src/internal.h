/*
 * libhv-gnttab's private state and the helpers its files share.
 *
 * Invariants (under the domain's lock):
 *  - entries 0 .. nr_entries(d) - 1 exist: nr_frames shared frames of
 *    4096 / abi->entry_bytes entries; a v2 table also has
 *    abi->status_frames(nr_frames) status frames;
 *  - the active entry of a ref has pin != 0 exactly while someone maps or
 *    copies the grant; then `mfn` holds one heap reference per host
 *    mapping and per copy in flight (taken when pinned, dropped when
 *    unpinned), and the granter's GTF_reading (GTF_writing) flag is set
 *    while any (writable) pin is held;
 *  - `pinned` counts active entries with pin != 0: the domain may be
 *    freed only when it is 0;
 *  - a maptrack entry in state MT_MAPPED names a pin on rd's grant `ref`
 *    and one grant entry in this domain's P2M at `gfn`.
 */
#ifndef GNTTAB_INTERNAL_H
#define GNTTAB_INTERNAL_H

#include <hv/atomic.h>
#include <hv/error.h>
#include <hv/gnttab.h>
#include <hv/spinlock.h>
#include <hv/string.h>

/* Pin counts of an active entry, Xen's GNTPIN_hst* layout. */
#define PIN_W	     0x0001u /* one writable use */
#define PIN_R	     0x0100u /* one read-only use */
#define PIN_W_MASK   0x00ffu
#define PIN_R_MASK   0xff00u
#define PIN_OVERFLOW 0x8080u /* a count reached 128: refuse more */

#define PAGE_BYTES ((unsigned int)HV_PAGE_SIZE)
/* Active entries per shared frame: the v1 count, the larger one. */
#define ACT_PER_FRAME	 (PAGE_BYTES / sizeof(grant_entry_v1_t))
#define STATUS_PER_FRAME (PAGE_BYTES / sizeof(grant_status_t))

/* Xen's active_grant_entry: the hypervisor's side of a grant in use. */
struct gnttab_act {
	uint32_t pin;	  /* PIN_* counts; 0: not in use */
	hv_domid_t domid; /* the domain using it */
	uint16_t start;	  /* it may reach bytes [start, start + length) */
	uint16_t length;
	bool sub_page; /* sub-page or transitive: never mapped */
	bool frame_ro; /* read-only RAM in the granter's P2M */
	hv_mfn_t mfn;
	/* Transitive (v2): the domain and grant the frame comes from. */
	struct hv_gnttab_domain *trans_dom;
	grant_ref_t trans_gref;
};

/* A guest-visible table frame. */
struct gnttab_frame {
	void *virt;
	hv_mfn_t mfn;
	hv_gfn_t gfn; /* where the guest placed it; HV_INVALID_FRAME: nowhere */
};

enum gnttab_mt_state {
	MT_FREE = 0,  /* on the free list */
	MT_RESERVED,  /* a map in progress holds it */
	MT_MAPPED,    /* a live host mapping */
	MT_UNMAPPING, /* an unmap in progress holds it */
};

#define MT_NONE UINT32_MAX

/* One maptrack entry: a mapping this domain holds of another's grant. */
struct gnttab_mt {
	struct hv_gnttab_domain *rd; /* the granting domain */
	uint64_t gfn;		     /* the host mapping's guest frame */
	grant_ref_t ref;	     /* MT_FREE: the next free handle */
	uint16_t flags;		     /* GNTMAP_* it was mapped with */
	uint16_t state;		     /* enum gnttab_mt_state */
};

struct hv_gnttab_domain {
	struct hv_gnttab_config cfg;
	struct hv_mm_domain *mm;
	hv_domid_t domid;
	hv_spinlock_t lock;
	const struct hv_gnttab_abi *abi; /* the version in use */
	bool dying;

	unsigned int nr_frames; /* shared frames */
	unsigned int nr_status; /* v2 status frames */
	unsigned int max_status;
	struct gnttab_frame *shared; /* [cfg.max_grant_frames] */
	struct gnttab_frame *status; /* [max_status] */
	struct gnttab_act **active;  /* [max_grant_frames] x ACT_PER_FRAME */
	unsigned int pinned;	     /* active entries with pin != 0 */

	struct gnttab_mt **mt;	   /* [max_maptrack_frames] x PER_FRAME */
	unsigned int mt_frames;	   /* allocated */
	uint32_t mt_head, mt_tail; /* free list, oldest first; MT_NONE */
	unsigned int mt_used;
};

/* What a shared entry says, read once from guest memory. */
struct gnttab_grant {
	uint16_t flags;
	hv_domid_t domid;
	uint64_t frame; /* full or sub page: the granter's gfn */
	uint16_t start; /* the bytes granted: [start, start + length) */
	uint16_t length;
	bool sub_page;
	hv_domid_t trans_domid; /* transitive */
	grant_ref_t trans_gref;
};

struct gnttab_copy_buf;
struct gnttab_trans;

/* The grant-table ABI of one version. */
struct hv_gnttab_abi {
	unsigned int version;
	unsigned int entry_bytes; /* sizeof one shared entry */
	/* Status frames a table of `frames` shared frames needs. */
	unsigned int (*status_frames)(unsigned int frames);
	/*
	 * Xen's _set_status: check the entry (unless already pinned) and set
	 * GTF_reading, and GTF_writing unless readonly.  `mapping` refuses
	 * sub-page entries.  GNTST_okay or GNTST_general_error, and then no
	 * flag changed.
	 */
	int16_t (*set_status)(struct hv_gnttab_domain *d, grant_ref_t ref,
			      bool pinned, bool readonly, bool mapping,
			      hv_domid_t ldomid);
	/* Clear GTF_reading / GTF_writing bits of the entry's status. */
	void (*clear_status)(struct hv_gnttab_domain *d, grant_ref_t ref,
			     uint16_t bits);
	void (*read)(struct hv_gnttab_domain *d, grant_ref_t ref,
		     struct gnttab_grant *out);
	/*
	 * Version switch: save the reserved entries in v1 form (reading and
	 * writing bits included) or -HV_ERANGE if one cannot be represented;
	 * restore them into a cleared table of this version.
	 */
	int (*save_reserved)(struct hv_gnttab_domain *d,
			     grant_entry_v1_t *saved);
	void (*restore_reserved)(struct hv_gnttab_domain *d,
				 const grant_entry_v1_t *saved);
	/* Copies through transitive grants (v2; NULL in v1), see
	 * gnttab_follow_transitive. */
	int16_t (*follow_transitive)(struct hv_gnttab_domain *rd,
				     grant_ref_t ref, hv_domid_t ldomid,
				     bool readonly,
				     const struct gnttab_trans *t,
				     struct gnttab_copy_buf *buf);
};

extern const struct hv_gnttab_abi gnttab_v1;

/* The flags and domid of a shared entry, as one word (Xen's grant_combo). */
union gnttab_combo {
	uint32_t raw;
	grant_entry_header_t hdr;
};

/* domain.c */
void *gnttab_zalloc(struct hv_gnttab_domain *d, size_t size);
void gnttab_free(struct hv_gnttab_domain *d, void *ptr, size_t size);
void *gnttab_virt(struct hv_gnttab_domain *d, hv_mfn_t mfn);
/* The domain named for an op: DOMID_SELF (if self_ok) or its own id is d,
 * others come from get_domain; NULL if none.  Put with gnttab_put. */
struct hv_gnttab_domain *gnttab_find(struct hv_gnttab_domain *d,
				     hv_domid_t domid, bool self_ok);
void gnttab_put(struct hv_gnttab_domain *d, struct hv_gnttab_domain *other);
/* Whether d may name `target` in setup/query ops (XSM_TARGET). */
bool gnttab_may_target(struct hv_gnttab_domain *d,
		       struct hv_gnttab_domain *target);

/* table.c: frames and entries, under the domain's lock. */
unsigned int gnttab_nr_entries(const struct hv_gnttab_domain *d);
void *gnttab_entry(struct hv_gnttab_domain *d, grant_ref_t ref);
/* The entry's flags and domid, as one word (union gnttab_combo). */
uint32_t *gnttab_header_word(struct hv_gnttab_domain *d, grant_ref_t ref);
struct gnttab_act *gnttab_act(struct hv_gnttab_domain *d, grant_ref_t ref);
grant_status_t *gnttab_status_word(struct hv_gnttab_domain *d, grant_ref_t ref);
/* Grow to `frames` shared frames (and the status frames of the version):
 * 0, -HV_EINVAL past the limit, -HV_ENOMEM (nothing grown). */
int gnttab_grow(struct hv_gnttab_domain *d, unsigned int frames);
/* Status frames up to `nr` (v2); 0 or -HV_ENOMEM (nothing added). */
int gnttab_populate_status(struct hv_gnttab_domain *d, unsigned int nr);
/* Remove the status frames from the guest's P2M and free them. */
void gnttab_unpopulate_status(struct hv_gnttab_domain *d);
/* Remove `nr` frames from the guest's P2M where placed (one flush), then
 * free them. */
void gnttab_free_frames(struct hv_gnttab_domain *d, struct gnttab_frame *f,
			unsigned int nr);
/* The guest frame a table frame sits at now, or Xen's INVALID_GFN (~0). */
uint64_t gnttab_frame_gfn(struct hv_gnttab_domain *d,
			  const struct gnttab_frame *f);

/* pin.c, under the granting domain's lock. */
struct gnttab_use {
	hv_mfn_t mfn;	/* one heap reference held */
	uint16_t start; /* reachable bytes of the frame */
	uint16_t length;
};
/* The checks before a new use of rd's grant by ldomid; GNTST_*. */
int16_t gnttab_pin_check(struct hv_gnttab_domain *rd, grant_ref_t ref,
			 hv_domid_t ldomid, bool mapping);
/* After gnttab_pin_check: set the entry's flags, find and reference the
 * frame, count the use.  GNTST_*; on failure nothing changed. */
int16_t gnttab_pin_entry(struct hv_gnttab_domain *rd, grant_ref_t ref,
			 hv_domid_t ldomid, bool readonly, bool mapping,
			 struct gnttab_use *use);
/* Both (Xen's map pin; a transitive grant is refused). */
int16_t gnttab_pin(struct hv_gnttab_domain *rd, grant_ref_t ref,
		   hv_domid_t ldomid, bool readonly, bool mapping,
		   struct gnttab_use *use);
/* Undo one use of (ref, readonly): count and flags; the caller puts the
 * frame reference. */
void gnttab_unpin(struct hv_gnttab_domain *rd, grant_ref_t ref, bool readonly);
/* Clear the flags a use of (ref, readonly) set that act->pin no longer
 * justifies. */
void gnttab_clear_unused(struct hv_gnttab_domain *rd, grant_ref_t ref,
			 const struct gnttab_act *act, bool readonly);
/* Xen's get_paged_frame: d's own RAM at gfn, referenced.  GNTST_*. */
int16_t gnttab_get_frame(struct hv_gnttab_domain *d, uint64_t gfn,
			 bool readonly, hv_mfn_t *mfn, bool *ro);
void gnttab_put_frame(struct hv_gnttab_domain *owner, hv_mfn_t mfn);

/* maptrack.c, under the mapping domain's lock. */
/* A handle in state MT_RESERVED, or -HV_ENOSPC. */
int gnttab_mt_get(struct hv_gnttab_domain *ld, uint32_t *handle);
void gnttab_mt_put(struct hv_gnttab_domain *ld, uint32_t handle);
/* The entry of a handle, or NULL beyond the table. */
struct gnttab_mt *gnttab_mt_entry(struct hv_gnttab_domain *ld, uint32_t handle);
void gnttab_mt_destroy(struct hv_gnttab_domain *ld);

/* unmap.c: what the second step of an unmap needs. */
struct gnttab_unmap_done {
	struct hv_gnttab_domain *rd; /* NULL: nothing to complete */
	grant_ref_t ref;
	uint32_t handle;
	uint64_t gfn;
	hv_mfn_t mfn;
	bool readonly;
};
/* Unmap every mapping ld holds (domain release). */
void gnttab_unmap_all(struct hv_gnttab_domain *ld);

/* acquire.c: one end of a copy, held while the bytes move. */
struct gnttab_copy_buf {
	struct hv_gnttab_domain *rd; /* whose grant, or frame, it is */
	struct hv_gnttab_domain *td; /* transitive: where the frame is */
	grant_ref_t ref, trans_gref;
	bool have_grant; /* rd's ref is pinned (else a plain frame) */
	bool readonly;
	struct gnttab_use use;
};
/* Xen's acquire_grant_for_copy; GNTST_*, nothing held on failure. */
int16_t gnttab_acquire(struct hv_gnttab_domain *rd, grant_ref_t ref,
		       hv_domid_t ldomid, bool readonly, bool allow_transitive,
		       struct gnttab_copy_buf *buf);
/* d's own RAM at gfn, referenced; GNTST_*. */
int16_t gnttab_claim_frame(struct hv_gnttab_domain *d, uint64_t gfn,
			   bool readonly, struct gnttab_copy_buf *buf);
/* Let go of what gnttab_acquire or gnttab_claim_frame took. */
void gnttab_release(struct gnttab_copy_buf *buf);

/* A transitive grant to follow (acquire.c to transitive.c). */
struct gnttab_trans {
	int16_t (*follow)(struct hv_gnttab_domain *rd, grant_ref_t ref,
			  hv_domid_t ldomid, bool readonly,
			  const struct gnttab_trans *t,
			  struct gnttab_copy_buf *buf);
	hv_domid_t domid; /* the referenced domain */
	grant_ref_t gref; /* and its grant */
	uint32_t old_pin; /* the referring entry's pin when we looked */
};
/* Outcomes besides GNTST_*: the grant is transitive; try again. */
#define GNTTAB_FOLLOW 1
#define GNTTAB_RETRY  2

/*
 * transitive.c (v2): with rd's entry `ref` transitive and its flags set
 * for this use, pin the grant it refers to, then count the use of ref.
 * GNTST_*, or GNTTAB_RETRY if rd's entry changed meanwhile (nothing held).
 */
int16_t gnttab_follow_transitive(struct hv_gnttab_domain *rd, grant_ref_t ref,
				 hv_domid_t ldomid, bool readonly,
				 const struct gnttab_trans *t,
				 struct gnttab_copy_buf *buf);

/*
 * hypercall.c: one call, and its guest array of op structs.
 *
 * The page of the op array a call last read or wrote, kept while the
 * caller's P2M changes no mapping (hypercall.c): a batch of ops costs one
 * translation per page of its array, not one per access.
 */
struct gnttab_args_page {
	uint64_t page; /* its number in the caller's address space */
	uint64_t gen;  /* the P2M's generation when it was translated */
	char *host;    /* the page, or NULL: copy each access */
	uint64_t pin;  /* for hv_gmem_unpin, with host */
	bool tried;    /* page was tried at gen: host says how it went */
};

struct gnttab_call {
	struct hv_gnttab_domain *d;
	const struct hv_gmem *args;
	uint64_t arg;
	unsigned int count;
	uint32_t opaque; /* continuation bits of the cmd (cache_flush) */
	struct gnttab_args_page *page;
};

/* Read or write element i of the array; 0 or -HV_EFAULT. */
int gnttab_get_op(const struct gnttab_call *c, unsigned int i, void *op,
		  size_t size);
int gnttab_put_op(const struct gnttab_call *c, unsigned int i, const void *op,
		  size_t size);
/* Write one field of element i; 0 or -HV_EFAULT. */
int gnttab_put_field(const struct gnttab_call *c, size_t elem_size,
		     unsigned int i, size_t offset, const void *src,
		     size_t len);

/* One handler per op, each in its own file; what Xen returns. */
int gnttab_op_setup_table(const struct gnttab_call *c);
int gnttab_op_query_size(const struct gnttab_call *c);
int gnttab_op_get_status_frames(const struct gnttab_call *c);
int gnttab_op_get_version(const struct gnttab_call *c);
int gnttab_op_set_version(const struct gnttab_call *c);
int gnttab_op_map(const struct gnttab_call *c);
int gnttab_op_unmap(const struct gnttab_call *c);
int gnttab_op_unmap_and_replace(const struct gnttab_call *c);
int gnttab_op_copy(const struct gnttab_call *c);
int gnttab_op_transfer(const struct gnttab_call *c);
int gnttab_op_swap(const struct gnttab_call *c);
int gnttab_op_cache_flush(const struct gnttab_call *c);

#endif /* GNTTAB_INTERNAL_H */
