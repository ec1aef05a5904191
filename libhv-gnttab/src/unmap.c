/*
 * GNTTABOP_unmap_grant_ref and _unmap_and_replace, and the release of a
 * dying domain's mappings.
 *
 * An unmap is two steps around a TLB flush, as in Xen: first the P2M entry
 * goes (in a batch of up to UNMAP_BATCH unmaps), then, once the batch has
 * flushed every CPU's stale translation, the grant is unpinned, its flags
 * cleared and the frame reference dropped.  So the granting guest can end
 * its grant, and its frame can be freed, only when no CPU can reach the
 * frame through the mapping any more.  The handle is held (MT_UNMAPPING)
 * in between, so a second unmap of it fails with GNTST_bad_handle.
 */
#include "internal.h"

/* Unmaps per TLB flush (Xen's GNTTAB_UNMAP_BATCH_SIZE). */
#define UNMAP_BATCH 32u

struct unmap_req {
	uint64_t host_addr;
	uint64_t dev_bus_addr;
	uint64_t new_addr;
	grant_handle_t handle;
};

/* Take a mapped handle for unmapping: its record, with the frame. */
static bool take_handle(struct hv_gnttab_domain *ld, uint32_t handle,
			struct gnttab_unmap_done *done, uint16_t *flags)
{
	struct gnttab_mt *mt;

	hv_spin_lock(&ld->lock);
	mt = gnttab_mt_entry(ld, handle);
	if (!mt || mt->state != MT_MAPPED) {
		hv_spin_unlock(&ld->lock);
		return false;
	}
	mt->state = MT_UNMAPPING;
	done->rd = mt->rd;
	done->ref = mt->ref;
	done->gfn = mt->gfn;
	done->handle = handle;
	done->readonly = mt->flags & GNTMAP_readonly;
	*flags = mt->flags;
	hv_spin_unlock(&ld->lock);
	/* The pin this mapping holds keeps rd and its active entry. */
	hv_spin_lock(&done->rd->lock);
	done->mfn = gnttab_act(done->rd, done->ref)->mfn;
	hv_spin_unlock(&done->rd->lock);
	return true;
}

static void give_back_handle(struct hv_gnttab_domain *ld, uint32_t handle)
{
	hv_spin_lock(&ld->lock);
	gnttab_mt_entry(ld, handle)->state = MT_MAPPED;
	hv_spin_unlock(&ld->lock);
}

/*
 * Xen's replace_grant_p2m_mapping: no replacement mapping for a
 * translated guest, and the address must be the one the handle mapped
 * (Xen accepts any guest frame that maps the same frame as a grant).
 */
static int16_t host_unmap(struct hv_gnttab_domain *ld,
			  struct hv_mm_domain_batch *b,
			  const struct unmap_req *req,
			  const struct gnttab_unmap_done *done, uint16_t flags)
{
	hv_gfn_t gfn = hv_gpaddr_to_gfn(req->host_addr);

	if (req->new_addr || (flags & GNTMAP_contains_pte) ||
	    hv_gfn_x(gfn) != done->gfn)
		return GNTST_general_error;
	if (hv_mm_p2m_grant_unmap(ld->mm->p2m, &b->p2m, gfn, done->mfn))
		return GNTST_general_error;
	return GNTST_okay;
}

static int16_t unmap_begin(struct hv_gnttab_domain *ld,
			   struct hv_mm_domain_batch *b,
			   const struct unmap_req *req,
			   struct gnttab_unmap_done *done)
{
	bool unmapped = false;
	int16_t rc = GNTST_okay;
	uint16_t flags;

	if (!take_handle(ld, req->handle, done, &flags)) {
		done->rd = NULL;
		return GNTST_bad_handle;
	}
	if (req->dev_bus_addr &&
	    req->dev_bus_addr != hv_mfn_to_paddr(done->mfn)) {
		rc = GNTST_general_error;
	} else if (req->host_addr && (flags & GNTMAP_host_map)) {
		rc = host_unmap(ld, b, req, done, flags);
		unmapped = rc == GNTST_okay;
	}
	/* Nothing removed (an error, or nothing asked for: Xen says okay). */
	if (!unmapped) {
		done->rd = NULL;
		give_back_handle(ld, req->handle);
	}
	return rc;
}

static void unmap_complete(struct hv_gnttab_domain *ld,
			   struct gnttab_unmap_done *done)
{
	struct hv_gnttab_domain *rd = done->rd;

	if (!rd)
		return;
	hv_spin_lock(&rd->lock);
	gnttab_unpin(rd, done->ref, done->readonly);
	hv_spin_unlock(&rd->lock);
	gnttab_put_frame(rd, done->mfn);
	hv_spin_lock(&ld->lock);
	gnttab_mt_put(ld, done->handle);
	hv_spin_unlock(&ld->lock);
}

/* The fields of the two op structs both unmaps take. */
static void read_req(bool replace, const void *op, struct unmap_req *req)
{
	if (replace) {
		const struct gnttab_unmap_and_replace *r = op;

		req->host_addr = r->host_addr;
		req->dev_bus_addr = 0;
		req->new_addr = r->new_addr;
		req->handle = r->handle;
	} else {
		const struct gnttab_unmap_grant_ref *u = op;

		req->host_addr = u->host_addr;
		req->dev_bus_addr = u->dev_bus_addr;
		req->new_addr = 0;
		req->handle = u->handle;
	}
}

/* Up to UNMAP_BATCH ops from *i on, one flush; -HV_EFAULT stops. */
static int unmap_batch(const struct gnttab_call *c, bool replace,
		       unsigned int *i)
{
	size_t size = replace ? sizeof(struct gnttab_unmap_and_replace)
			      : sizeof(struct gnttab_unmap_grant_ref);
	size_t status_at =
	    replace ? offsetof(struct gnttab_unmap_and_replace, status)
		    : offsetof(struct gnttab_unmap_grant_ref, status);
	struct gnttab_unmap_done done[UNMAP_BATCH];
	struct hv_mm_domain_batch b;
	unsigned int n = 0;
	int rc = 0;

	hv_mm_domain_batch_begin(&b, c->d->mm);
	for (; n < UNMAP_BATCH && *i < c->count; (*i)++) {
		union {
			struct gnttab_unmap_grant_ref u;
			struct gnttab_unmap_and_replace r;
		} op;
		struct unmap_req req;
		int16_t status;

		rc = gnttab_get_op(c, *i, &op, size);
		if (rc)
			break;
		read_req(replace, &op, &req);
		status = unmap_begin(c->d, &b, &req, &done[n++]);
		rc = gnttab_put_field(c, size, *i, status_at, &status,
				      sizeof(status));
		if (rc)
			break;
	}
	hv_mm_domain_batch_end(&b);
	for (unsigned int k = 0; k < n; k++)
		unmap_complete(c->d, &done[k]);
	return rc;
}

static int unmap_ops(const struct gnttab_call *c, bool replace)
{
	unsigned int i = 0;
	int rc = 0;

	while (!rc && i < c->count)
		rc = unmap_batch(c, replace, &i);
	return rc;
}

int gnttab_op_unmap(const struct gnttab_call *c)
{
	return unmap_ops(c, false);
}

int gnttab_op_unmap_and_replace(const struct gnttab_call *c)
{
	return unmap_ops(c, true);
}

/* The next mapped handle at or after *handle, taken for unmapping. */
static bool take_next(struct hv_gnttab_domain *ld, uint32_t *handle,
		      struct gnttab_unmap_done *done)
{
	uint16_t flags;

	for (;; (*handle)++) {
		uint32_t limit;

		hv_spin_lock(&ld->lock);
		limit = ld->mt_frames * HV_GNTTAB_MAPTRACK_PER_FRAME;
		hv_spin_unlock(&ld->lock);
		if (*handle >= limit)
			return false;
		if (take_handle(ld, *handle, done, &flags))
			return true;
	}
}

void gnttab_unmap_all(struct hv_gnttab_domain *ld)
{
	struct gnttab_unmap_done done[UNMAP_BATCH];
	uint32_t handle = 0;
	unsigned int n;

	do {
		struct hv_mm_domain_batch b;

		hv_mm_domain_batch_begin(&b, ld->mm);
		for (n = 0; n < UNMAP_BATCH && take_next(ld, &handle, &done[n]);
		     n++, handle++)
			(void)hv_mm_p2m_grant_unmap(ld->mm->p2m, &b.p2m,
						    hv_gfn(done[n].gfn),
						    done[n].mfn);
		hv_mm_domain_batch_end(&b);
		for (unsigned int k = 0; k < n; k++)
			unmap_complete(ld, &done[k]);
	} while (n == UNMAP_BATCH);
}
