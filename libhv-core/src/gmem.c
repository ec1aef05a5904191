/*
 * Guest-memory accessors: the range arithmetic, bounds checks and page walk
 * that every hypercall relies on.
 *
 * Every access is checked in this order, and the translation callback is
 * asked only about ranges that pass the first two steps:
 *  1. an empty copy succeeds without a look at the guest;
 *  2. the range must lie below the guest's address limit (gmem_limit),
 *     computed without overflow, so a range that wraps or reaches past
 *     2^addr_bits faults whatever the low bits look like;
 *  3. every page it touches must translate, with the access asked for.
 *
 * Copies are all or nothing by walking the range twice: a first pass only
 * translates every page, a second translates again and moves the bytes.
 * That costs a second callback per page but needs no storage for the
 * pointers, whatever the length.  A range within one page (most hypercall
 * arguments) needs only the second pass: its one translation comes before
 * any byte moves.  The guarantee holds as long as the
 * translation does not change during the call (the caller's business: it
 * holds its P2M lock, or the guest cannot unmap concurrently); if a page
 * disappears between the passes, the second pass still fails with
 * -HV_EFAULT, only part-way.
 */
#include <hv/error.h>
#include <hv/gmem.h>
#include <hv/string.h>
#include <limits.h>

/*
 * hv_gmem_init checks nothing: an addr_bits outside 1..64 is caught at each
 * access instead (gmem_limit), where it makes every access fault.  translate
 * must not be NULL.
 */
void hv_gmem_init(struct hv_gmem *gm, hv_gmem_translate_fn translate, void *ctx,
		  unsigned int addr_bits)
{
	gm->translate = translate;
	gm->ctx = ctx;
	gm->addr_bits = addr_bits;
	gm->pin = NULL;
	gm->unpin = NULL;
}

void hv_gmem_set_pinning(struct hv_gmem *gm, hv_gmem_pin_fn pin,
			 hv_gmem_unpin_fn unpin)
{
	gm->pin = pin;
	gm->unpin = unpin;
}

/*
 * The exclusive end of the guest's address space: 2^addr_bits, except for a
 * 64-bit guest, where it is UINT64_MAX because the end of a range holding
 * the very last byte would not fit in 64 bits (that byte is never
 * accessible).  0, so that nothing is accessible, for an addr_bits outside
 * 1..64.
 */
static uint64_t gmem_limit(const struct hv_gmem *gm)
{
	if (gm->addr_bits == 0 || gm->addr_bits > 64)
		return 0;
	if (gm->addr_bits == 64)
		return UINT64_MAX;
	return UINT64_C(1) << gm->addr_bits;
}

/* Whether [gaddr, gaddr + len) lies wholly below the limit. */
static bool range_ok(const struct hv_gmem *gm, uint64_t gaddr, uint64_t len)
{
	uint64_t limit = gmem_limit(gm);

	return len <= limit && gaddr <= limit - len;
}

/* Bytes from gaddr to the end of its page. */
static uint64_t page_left(uint64_t gaddr)
{
	return HV_PAGE_SIZE - (gaddr & ~HV_PAGE_MASK);
}

/* Guest byte gaddr in host page `page`, or NULL for no page. */
static char *page_byte(void *page, uint64_t gaddr)
{
	return page ? (char *)page + (gaddr & ~HV_PAGE_MASK) : NULL;
}

/*
 * The host address of guest byte gaddr, through the callback for the page
 * holding it; NULL if the page does not translate for `access`.  Anything
 * but 0 from the callback, or a NULL page, is a fault.
 */
static char *translate(const struct hv_gmem *gm, uint64_t gaddr,
		       unsigned int access)
{
	void *page = NULL;

	if (gm->translate(gm->ctx, hv_gpaddr_to_gfn(gaddr), access, &page) != 0)
		return NULL;
	return page_byte(page, gaddr);
}

/* What walk() does with the part of a range that lies in one page. */
enum gmem_op {
	GMEM_CHECK, /* nothing: the translation is the point */
	GMEM_FROM,  /* guest -> host, into dst */
	GMEM_TO,    /* host -> guest, from src */
	GMEM_CLEAR, /* zero the guest bytes */
};

struct gmem_xfer {
	uint64_t gaddr;
	size_t len;
	unsigned int access;
	void *dst;	 /* GMEM_FROM only */
	const void *src; /* GMEM_TO only */
};

static void apply(const struct gmem_xfer *x, enum gmem_op op, char *guest,
		  size_t done, size_t n)
{
	switch (op) {
	case GMEM_CHECK:
		break;
	case GMEM_FROM:
		memcpy((char *)x->dst + done, guest, n);
		break;
	case GMEM_TO:
		memcpy(guest, (const char *)x->src + done, n);
		break;
	case GMEM_CLEAR:
		memset(guest, 0, n);
		break;
	}
}

/* One pass over a range that range_ok has accepted, a page at a time. */
static int walk(const struct hv_gmem *gm, const struct gmem_xfer *x,
		enum gmem_op op)
{
	size_t done = 0;

	while (done < x->len) {
		uint64_t gaddr = x->gaddr + done;
		size_t n = (size_t)hv_min_u64(x->len - done, page_left(gaddr));
		char *guest = translate(gm, gaddr, x->access);

		if (!guest)
			return -HV_EFAULT;
		apply(x, op, guest, done, n);
		done += n;
	}
	return 0;
}

static int transfer(const struct hv_gmem *gm, const struct gmem_xfer *x,
		    enum gmem_op op)
{
	int rc;

	if (x->len == 0)
		return 0;
	if (!range_ok(gm, x->gaddr, x->len))
		return -HV_EFAULT;
	/* Within one page the copy pass alone is all or nothing: it fails
	 * before it moves a byte. */
	if (x->len <= page_left(x->gaddr))
		return walk(gm, x, op);
	rc = walk(gm, x, GMEM_CHECK);
	if (rc)
		return rc;
	return walk(gm, x, op);
}

int hv_gmem_copy_from(const struct hv_gmem *gm, void *dst, uint64_t gaddr,
		      size_t len)
{
	struct gmem_xfer x = {
	    .gaddr = gaddr,
	    .len = len,
	    .access = HV_GMEM_READ,
	    .dst = dst,
	};

	return transfer(gm, &x, GMEM_FROM);
}

int hv_gmem_copy_to(const struct hv_gmem *gm, uint64_t gaddr, const void *src,
		    size_t len)
{
	struct gmem_xfer x = {
	    .gaddr = gaddr,
	    .len = len,
	    .access = HV_GMEM_WRITE,
	    .src = src,
	};

	return transfer(gm, &x, GMEM_TO);
}

int hv_gmem_clear(const struct hv_gmem *gm, uint64_t gaddr, size_t len)
{
	struct gmem_xfer x = {
	    .gaddr = gaddr,
	    .len = len,
	    .access = HV_GMEM_WRITE,
	};

	return transfer(gm, &x, GMEM_CLEAR);
}

/* The checks of hv_gmem_map that need no look at the guest: the argument
 * errors (-HV_EINVAL) first. */
static int map_args_ok(const struct hv_gmem *gm, uint64_t gaddr, size_t len,
		       size_t align)
{
	if (align == 0 || (align & (align - 1)) != 0)
		return -HV_EINVAL;
	if ((gaddr & ((uint64_t)align - 1)) != 0)
		return -HV_EINVAL;
	if (len == 0 || len > page_left(gaddr))
		return -HV_EINVAL;
	if (!range_ok(gm, gaddr, len))
		return -HV_EFAULT;
	return 0;
}

int hv_gmem_map(const struct hv_gmem *gm, uint64_t gaddr, size_t len,
		size_t align, unsigned int access, void **ptr)
{
	int rc = map_args_ok(gm, gaddr, len, align);
	char *p;

	if (rc)
		return rc;
	p = translate(gm, gaddr, access);
	if (!p)
		return -HV_EFAULT;
	*ptr = p;
	return 0;
}

/* A pin callback that succeeds without a page is a fault, as translate's:
 * the pin it took is given back. */
int hv_gmem_map_pinned(const struct hv_gmem *gm, uint64_t gaddr, size_t len,
		       size_t align, unsigned int access, void **ptr,
		       uint64_t *pin)
{
	void *page = NULL;
	uint64_t held = 0;
	int rc;

	if (!gm->pin) {
		rc = hv_gmem_map(gm, gaddr, len, align, access, ptr);
		if (rc == 0)
			*pin = 0;
		return rc;
	}
	rc = map_args_ok(gm, gaddr, len, align);
	if (rc)
		return rc;
	if (gm->pin(gm->ctx, hv_gpaddr_to_gfn(gaddr), access, &page, &held))
		return -HV_EFAULT;
	if (!page) {
		gm->unpin(gm->ctx, held);
		return -HV_EFAULT;
	}
	*ptr = page_byte(page, gaddr);
	*pin = held;
	return 0;
}

void hv_gmem_unpin(const struct hv_gmem *gm, uint64_t pin)
{
	if (gm->unpin)
		gm->unpin(gm->ctx, pin);
}

/*
 * Reads the guest a byte at a time, each byte once, so that a guest
 * rewriting the string meanwhile cannot make the returned length disagree
 * with dst; and page by page, checking each page's bytes against the limit
 * and translating the page only when the string reaches it.  A max beyond
 * INT_MAX + 1 is treated as INT_MAX + 1, so that every length fits the
 * return value.  On any error dst holds the empty string.
 */
int hv_gmem_copy_string(const struct hv_gmem *gm, char *dst, uint64_t gaddr,
			size_t max)
{
	uint64_t limit = gmem_limit(gm);
	int rc = -HV_ENAMETOOLONG;
	size_t len = 0;

	if (max == 0)
		return -HV_EINVAL;
	max = (size_t)hv_min_u64(max, (uint64_t)INT_MAX + 1);
	while (len < max) {
		uint64_t at = gaddr + len; /* no wrap: at <= limit */
		const char *guest;
		size_t n;

		guest = at < limit ? translate(gm, at, HV_GMEM_READ) : NULL;
		if (!guest) {
			rc = -HV_EFAULT;
			break;
		}
		n = (size_t)hv_min_u64(max - len,
				       hv_min_u64(page_left(at), limit - at));
		for (size_t i = 0; i < n; i++, len++) {
			dst[len] = guest[i];
			if (dst[len] == '\0')
				return (int)len;
		}
	}
	dst[0] = '\0';
	return rc;
}
