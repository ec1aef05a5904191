/*
 * Pinning a grant: the state machine map and copy share (Xen's map pin and
 * acquire_grant_for_copy), all under the granting domain's lock.
 *
 * The first use of a grant checks the guest's entry (type, the domain it
 * names, read-only), sets GTF_reading (and GTF_writing), finds the frame
 * in the granter's P2M and takes a heap reference on it; later uses by the
 * same domain only count themselves and take their own reference, and
 * re-check the entry only to add a writable use to read-only ones.  The
 * last use to go clears the flags again, which is what lets the granting
 * guest end access (gnttab_end_foreign_access succeeds only when neither
 * GTF_reading nor GTF_writing is set).
 */
#include "internal.h"

void gnttab_clear_unused(struct hv_gnttab_domain *rd, grant_ref_t ref,
			 const struct gnttab_act *act, bool readonly)
{
	uint16_t bits = 0;

	if (!readonly && !(act->pin & PIN_W_MASK))
		bits |= GTF_writing;
	if (!act->pin)
		bits |= GTF_reading;
	if (bits)
		rd->abi->clear_status(rd, ref, bits);
}

int16_t gnttab_get_frame(struct hv_gnttab_domain *d, uint64_t gfn,
			 bool readonly, hv_mfn_t *mfn, bool *ro)
{
	struct hv_mm_p2m_info info;

	if (hv_mm_p2m_lookup(d->mm->p2m, hv_gfn(gfn), &info))
		return GNTST_bad_page;
	if (info.type == HV_MM_P2M_PAGED_OUT)
		return GNTST_eagain;
	if (info.type != HV_MM_P2M_RAM_RW &&
	    (info.type != HV_MM_P2M_RAM_RO || !readonly))
		return GNTST_bad_page;
	/* Only the domain's own RAM: not a table frame, not a foreign one. */
	if (hv_mm_get_page(d->mm->heap, info.mfn, &d->mm->account))
		return GNTST_bad_page;
	*mfn = info.mfn;
	*ro = info.type == HV_MM_P2M_RAM_RO;
	return GNTST_okay;
}

void gnttab_put_frame(struct hv_gnttab_domain *owner, hv_mfn_t mfn)
{
	(void)hv_mm_put_pages(owner->mm->heap, mfn, 0, 0);
}

int16_t gnttab_pin_check(struct hv_gnttab_domain *rd, grant_ref_t ref,
			 hv_domid_t ldomid, bool mapping)
{
	const struct gnttab_act *act;

	if (rd->dying)
		return GNTST_bad_domain;
	if (ref >= gnttab_nr_entries(rd))
		return GNTST_bad_gntref;
	act = gnttab_act(rd, ref);
	/* One domain at a time; no counter overflow; never map a grant
	 * whose use is limited to part of a page. */
	if (act->pin && (act->domid != ldomid || (act->pin & PIN_OVERFLOW) ||
			 (mapping && act->sub_page)))
		return GNTST_general_error;
	return GNTST_okay;
}

/* First use: the frame the entry names, referenced, into act. */
static int16_t first_use(struct hv_gnttab_domain *rd, grant_ref_t ref,
			 struct gnttab_act *act, hv_domid_t ldomid,
			 bool readonly)
{
	struct gnttab_grant g;
	hv_mfn_t mfn;
	bool ro;
	int16_t rc;

	rd->abi->read(rd, ref, &g);
	/* Xen's header says transitive grants are never mapped. */
	if ((g.flags & GTF_type_mask) == GTF_transitive)
		return GNTST_general_error;
	rc = gnttab_get_frame(rd, g.frame, readonly, &mfn, &ro);
	if (rc)
		return rc;
	act->domid = ldomid;
	act->mfn = mfn;
	act->frame_ro = ro;
	act->sub_page = g.sub_page;
	act->start = g.start;
	act->length = g.length;
	act->trans_dom = NULL;
	return GNTST_okay;
}

/* Another use of a pinned grant: its own reference on the same frame. */
static int16_t another_use(struct hv_gnttab_domain *rd,
			   const struct gnttab_act *act, bool readonly,
			   bool mapping)
{
	if (!readonly && act->frame_ro)
		return GNTST_general_error;
	/* Fails if the frame is not rd's (a transitive grant's is not). */
	if (hv_mm_get_page(rd->mm->heap, act->mfn, &rd->mm->account))
		return mapping ? GNTST_general_error : GNTST_bad_domain;
	return GNTST_okay;
}

int16_t gnttab_pin_entry(struct hv_gnttab_domain *rd, grant_ref_t ref,
			 hv_domid_t ldomid, bool readonly, bool mapping,
			 struct gnttab_use *use)
{
	struct gnttab_act *act = gnttab_act(rd, ref);
	int16_t rc;

	if (!act->pin || (!readonly && !(act->pin & PIN_W_MASK))) {
		rc = rd->abi->set_status(rd, ref, act->pin != 0, readonly,
					 mapping, ldomid);
		if (rc)
			return rc;
	}
	rc = act->pin ? another_use(rd, act, readonly, mapping)
		      : first_use(rd, ref, act, ldomid, readonly);
	if (rc) {
		gnttab_clear_unused(rd, ref, act, readonly);
		return rc;
	}
	if (!act->pin)
		rd->pinned++;
	act->pin += readonly ? PIN_R : PIN_W;
	use->mfn = act->mfn;
	use->start = act->start;
	use->length = act->length;
	return GNTST_okay;
}

int16_t gnttab_pin(struct hv_gnttab_domain *rd, grant_ref_t ref,
		   hv_domid_t ldomid, bool readonly, bool mapping,
		   struct gnttab_use *use)
{
	int16_t rc = gnttab_pin_check(rd, ref, ldomid, mapping);

	return rc ? rc
		  : gnttab_pin_entry(rd, ref, ldomid, readonly, mapping, use);
}

void gnttab_unpin(struct hv_gnttab_domain *rd, grant_ref_t ref, bool readonly)
{
	struct gnttab_act *act = gnttab_act(rd, ref);

	act->pin -= readonly ? PIN_R : PIN_W;
	if (!act->pin) {
		rd->pinned--;
		act->trans_dom = NULL;
	}
	gnttab_clear_unused(rd, ref, act, readonly);
}
