/*
 * Transitive grants (v2): domain R lets L use grant `gref` of domain T as
 * if it were R's own, for copies only.  L's copy pins R's entry and T's
 * grant (which T made to R, and which must not be transitive itself).
 *
 * T's grant is pinned with no lock of R held (no call holds two domains'
 * locks); R's entry is then checked again under R's lock: if it changed,
 * or another use pinned it differently meanwhile, T's pin is undone and
 * the caller retries.  R's active entry records T and the frame, and is
 * marked sub-page so that it is never mapped.
 */
#include "internal.h"

/* Undo the flags acquire_locked set on R's entry for this use. */
static void undo_flags(struct hv_gnttab_domain *rd, grant_ref_t ref,
		       bool readonly)
{
	hv_spin_lock(&rd->lock);
	if (rd->abi->follow_transitive && ref < gnttab_nr_entries(rd))
		gnttab_clear_unused(rd, ref, gnttab_act(rd, ref), readonly);
	hv_spin_unlock(&rd->lock);
}

/* Whether R's entry and active state still are what T's pin was for. */
static bool unchanged(struct hv_gnttab_domain *rd, grant_ref_t ref,
		      hv_domid_t ldomid, const struct gnttab_trans *t,
		      struct hv_gnttab_domain *td, const struct gnttab_use *use)
{
	const struct gnttab_act *act;
	struct gnttab_grant g;

	if (rd->dying || !rd->abi->follow_transitive ||
	    ref >= gnttab_nr_entries(rd))
		return false;
	rd->abi->read(rd, ref, &g);
	act = gnttab_act(rd, ref);
	if ((g.flags & GTF_type_mask) != GTF_transitive ||
	    g.trans_domid != t->domid || g.trans_gref != t->gref ||
	    act->pin != t->old_pin)
		return false;
	return !act->pin ||
	       (act->domid == ldomid && act->trans_dom == td &&
		act->trans_gref == t->gref && hv_mfn_eq(act->mfn, use->mfn) &&
		act->start == use->start && act->length == use->length);
}

/* Under R's lock: count the use of R's entry on top of T's pin. */
static int16_t pin_over(struct hv_gnttab_domain *rd, grant_ref_t ref,
			hv_domid_t ldomid, bool readonly,
			const struct gnttab_trans *t,
			struct hv_gnttab_domain *td,
			const struct gnttab_use *use)
{
	struct gnttab_act *act;
	int16_t rc;

	if (!unchanged(rd, ref, ldomid, t, td, use)) {
		if (rd->abi->follow_transitive && ref < gnttab_nr_entries(rd))
			gnttab_clear_unused(rd, ref, gnttab_act(rd, ref),
					    readonly);
		return GNTTAB_RETRY;
	}
	act = gnttab_act(rd, ref);
	/* Others may have cleared our flags while R was unlocked. */
	if (!act->pin || (!readonly && !(act->pin & PIN_W_MASK))) {
		rc = rd->abi->set_status(rd, ref, act->pin != 0, readonly,
					 false, ldomid);
		if (rc) {
			gnttab_clear_unused(rd, ref, act, readonly);
			return rc;
		}
	}
	if (!act->pin) {
		act->domid = ldomid;
		act->mfn = use->mfn;
		act->start = use->start;
		act->length = use->length;
		act->sub_page = true;
		act->frame_ro = false;
		act->trans_dom = td;
		act->trans_gref = t->gref;
		rd->pinned++;
	}
	act->pin += readonly ? PIN_R : PIN_W;
	return GNTST_okay;
}

int16_t gnttab_follow_transitive(struct hv_gnttab_domain *rd, grant_ref_t ref,
				 hv_domid_t ldomid, bool readonly,
				 const struct gnttab_trans *t,
				 struct gnttab_copy_buf *buf)
{
	struct gnttab_copy_buf sub;
	struct hv_gnttab_domain *td = gnttab_find(rd, t->domid, false);
	int16_t rc;

	if (!td) {
		undo_flags(rd, ref, readonly);
		return GNTST_general_error;
	}
	rc = gnttab_acquire(td, t->gref, rd->domid, readonly, false, &sub);
	if (rc) {
		undo_flags(rd, ref, readonly);
		gnttab_put(rd, td);
		return rc;
	}
	hv_spin_lock(&rd->lock);
	rc = pin_over(rd, ref, ldomid, readonly, t, td, &sub.use);
	hv_spin_unlock(&rd->lock);
	if (rc) {
		gnttab_release(&sub);
		gnttab_put(rd, td);
		return rc;
	}
	buf->have_grant = true;
	buf->td = td;
	buf->trans_gref = t->gref;
	buf->use = sub.use;
	return GNTST_okay;
}
