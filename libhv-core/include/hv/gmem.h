/*
 * hv/gmem.h - bounded, checked access to guest memory.
 *
 * Every hypercall argument is untrusted, and every hvkit library reads and
 * writes guest memory only through these functions.  The caller describes
 * the guest's address space with a translation callback (one page at a time:
 * frame -> host pointer, if the access is allowed); the accessor does the
 * range arithmetic, the overflow and bounds checks and the page walking,
 * once, for everyone.
 *
 * The address space is whatever the callback says it is: guest-physical
 * through the P2M for most hypercalls, or guest-linear through the guest's
 * page tables for an x86 guest with paging on.  Addresses are always 64-bit:
 * nothing here truncates a guest pointer.
 *
 * Errors: -HV_EFAULT for any range that is not wholly mapped with the access
 * asked for, that wraps around (gaddr + len must fit in 64 bits), or that
 * reaches past the address width.
 * Copies are all or nothing: every page is checked before the first byte
 * moves, so a failed copy leaves both sides unchanged.
 */
#ifndef HV_GMEM_H
#define HV_GMEM_H

#include <hv/types.h>

HV_BEGIN_DECLS

/* Access bits the translate callback is asked for. */
#define HV_GMEM_READ  0x1u
#define HV_GMEM_WRITE 0x2u

/*
 * Translate one guest frame.  On success return 0 and set *page to the host
 * address of the frame's first byte; the page stays valid until the
 * accessor call that asked for it returns (hv_gmem_map: see there).
 * Return a negative value if the frame is not mapped or does not allow
 * every access bit in `access`.
 */
typedef int (*hv_gmem_translate_fn)(void *ctx, hv_gfn_t frame,
				    unsigned int access, void **page);

/*
 * Optional, for an address space whose frames the guest can give away (a
 * P2M: XENMEM_decrease_reservation).  Translate one frame as translate
 * does and also keep the memory behind it allocated until unpin(ctx, *pin)
 * with the *pin set here, whatever the guest does with the frame meanwhile.
 * *pin is whatever unpin needs to find that memory again.
 */
typedef int (*hv_gmem_pin_fn)(void *ctx, hv_gfn_t frame, unsigned int access,
			      void **page, uint64_t *pin);
typedef void (*hv_gmem_unpin_fn)(void *ctx, uint64_t pin);

/* One guest address space, as the accessors see it. */
struct hv_gmem {
	hv_gmem_translate_fn translate; /* frame -> host page */
	void *ctx;			/* its first argument */
	/* Guest address width in bits (1..64): addresses at or beyond
	 * 2^addr_bits fault without asking the callback. */
	unsigned int addr_bits;
	hv_gmem_pin_fn pin;	/* NULL: frames cannot go away */
	hv_gmem_unpin_fn unpin; /* set with pin */
};

/* An address space of addr_bits bits through translate(ctx, ...), without
 * pinning. */
void hv_gmem_init(struct hv_gmem *gm, hv_gmem_translate_fn translate, void *ctx,
		  unsigned int addr_bits);
/* Give it pinning: pin and unpin both, with the same ctx as translate. */
void hv_gmem_set_pinning(struct hv_gmem *gm, hv_gmem_pin_fn pin,
			 hv_gmem_unpin_fn unpin);

/* Copy len bytes between guest address `gaddr` and host memory.
 * 0 on success (also for len 0), -HV_EFAULT as above. */
int hv_gmem_copy_from(const struct hv_gmem *gm, void *dst, uint64_t gaddr,
		      size_t len) HV_WARN_UNUSED_RESULT;
int hv_gmem_copy_to(const struct hv_gmem *gm, uint64_t gaddr, const void *src,
		    size_t len) HV_WARN_UNUSED_RESULT;
/* Zero len bytes of guest memory. */
int hv_gmem_clear(const struct hv_gmem *gm, uint64_t gaddr,
		  size_t len) HV_WARN_UNUSED_RESULT;

/*
 * Map a guest object that lies within one page, for code that keeps a
 * pointer to it (a shared-info page, an event-channel control block).
 * `align` (a power of two, >= 1) is the alignment the object needs;
 * a misaligned address gives -HV_EINVAL, one whose object crosses a page
 * boundary -HV_EINVAL, anything unmapped -HV_EFAULT.  How long *ptr stays
 * valid is the translation callback's contract (for a P2M: until the page
 * is unmapped from the guest); hv_gmem_map_pinned for a pointer that must
 * outlive that.
 */
int hv_gmem_map(const struct hv_gmem *gm, uint64_t gaddr, size_t len,
		size_t align, unsigned int access,
		void **ptr) HV_WARN_UNUSED_RESULT;

/*
 * hv_gmem_map for a pointer kept until hv_gmem_unpin(gm, *pin): through
 * the address space's pin callback, so that the memory stays allocated
 * even if the guest gives the frame back.  Without pinning it is
 * hv_gmem_map and *pin is 0.  Every success needs exactly one unpin.
 */
int hv_gmem_map_pinned(const struct hv_gmem *gm, uint64_t gaddr, size_t len,
		       size_t align, unsigned int access, void **ptr,
		       uint64_t *pin) HV_WARN_UNUSED_RESULT;
void hv_gmem_unpin(const struct hv_gmem *gm, uint64_t pin);

/*
 * Copy a NUL-terminated guest string of at most max - 1 characters into
 * dst (max > 0) and NUL-terminate it.  Returns its length, -HV_EFAULT as
 * above, -HV_EINVAL for max == 0, or -HV_ENAMETOOLONG when none of the
 * first max bytes is a NUL.  Reads no further than the terminating NUL
 * (at most max bytes).
 */
int hv_gmem_copy_string(const struct hv_gmem *gm, char *dst, uint64_t gaddr,
			size_t max) HV_WARN_UNUSED_RESULT;

HV_END_DECLS

#endif /* HV_GMEM_H */
