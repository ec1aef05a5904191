/*
 * The two ends of a grant copy: a granted frame pinned for the copy (Xen's
 * acquire_grant_for_copy / release_grant_for_copy) or, for the caller's
 * own memory, a referenced frame of its P2M.
 *
 * A transitive grant (v2) is resolved by the v2 code, which must drop the
 * granter's lock to pin the grant it refers to; if the granter's entry
 * changed meanwhile it asks for a retry, a bounded number of times.
 */
#include "internal.h"

/* Attempts at a transitive grant that keeps changing under us. */
#define ACQUIRE_TRIES 4

/* Under rd's lock: pin a plain grant, or say where a transitive one
 * leads (GNTTAB_FOLLOW, with its flags set as Xen sets them first). */
static int16_t acquire_locked(struct hv_gnttab_domain *rd, grant_ref_t ref,
			      hv_domid_t ldomid, bool readonly,
			      bool allow_transitive,
			      struct gnttab_copy_buf *buf,
			      struct gnttab_trans *t)
{
	struct gnttab_act *act;
	struct gnttab_grant g;
	int16_t rc = gnttab_pin_check(rd, ref, ldomid, false);

	if (rc)
		return rc;
	t->follow = rd->abi->follow_transitive;
	if (t->follow)
		rd->abi->read(rd, ref, &g);
	if (!t->follow || (g.flags & GTF_type_mask) != GTF_transitive)
		return gnttab_pin_entry(rd, ref, ldomid, readonly, false,
					&buf->use);
	act = gnttab_act(rd, ref);
	t->old_pin = act->pin;
	if (!act->pin || (!readonly && !(act->pin & PIN_W_MASK))) {
		rc = rd->abi->set_status(rd, ref, act->pin != 0, readonly,
					 false, ldomid);
		if (rc)
			return rc;
	}
	/* One level only, and never back to the granter itself. */
	if (!allow_transitive || g.trans_domid == rd->domid) {
		gnttab_clear_unused(rd, ref, act, readonly);
		return GNTST_general_error;
	}
	t->domid = g.trans_domid;
	t->gref = g.trans_gref;
	return GNTTAB_FOLLOW;
}

int16_t gnttab_acquire(struct hv_gnttab_domain *rd, grant_ref_t ref,
		       hv_domid_t ldomid, bool readonly, bool allow_transitive,
		       struct gnttab_copy_buf *buf)
{
	memset(buf, 0, sizeof(*buf));
	buf->rd = rd;
	buf->ref = ref;
	buf->readonly = readonly;
	for (unsigned int tries = 0; tries < ACQUIRE_TRIES; tries++) {
		struct gnttab_trans t;
		int16_t rc;

		hv_spin_lock(&rd->lock);
		rc = acquire_locked(rd, ref, ldomid, readonly, allow_transitive,
				    buf, &t);
		hv_spin_unlock(&rd->lock);
		if (rc != GNTTAB_FOLLOW) {
			buf->have_grant = rc == GNTST_okay;
			return rc;
		}
		rc = t.follow(rd, ref, ldomid, readonly, &t, buf);
		if (rc != GNTTAB_RETRY)
			return rc;
	}
	return GNTST_eagain;
}

int16_t gnttab_claim_frame(struct hv_gnttab_domain *d, uint64_t gfn,
			   bool readonly, struct gnttab_copy_buf *buf)
{
	bool ro;
	int16_t rc;

	memset(buf, 0, sizeof(*buf));
	buf->rd = d;
	buf->readonly = readonly;
	rc = gnttab_get_frame(d, gfn, readonly, &buf->use.mfn, &ro);
	buf->use.start = 0;
	buf->use.length = PAGE_BYTES;
	return rc;
}

void gnttab_release(struct gnttab_copy_buf *buf)
{
	struct hv_gnttab_domain *owner = buf->td ? buf->td : buf->rd;

	if (buf->have_grant) {
		hv_spin_lock(&buf->rd->lock);
		gnttab_unpin(buf->rd, buf->ref, buf->readonly);
		hv_spin_unlock(&buf->rd->lock);
	}
	if (buf->td) {
		hv_spin_lock(&buf->td->lock);
		gnttab_unpin(buf->td, buf->trans_gref, buf->readonly);
		hv_spin_unlock(&buf->td->lock);
	}
	gnttab_put_frame(owner, buf->use.mfn);
	if (buf->td)
		gnttab_put(buf->rd, buf->td);
	memset(buf, 0, sizeof(*buf));
}
