/*
 * Grant-table version 2: 16-byte entries (union grant_entry_v2: full-page,
 * sub-page and transitive grants, 64-bit frames) with GTF_reading and
 * GTF_writing in separate status frames (grant_status_t, 2048 a frame), so
 * the hypervisor never writes the guest's entries.
 *
 * Setting the status bits and checking the entry cannot be one atomic
 * step: as Xen does, set the bits, make them visible, then read the entry
 * again and back out if the guest changed it in between.
 */
#include "internal.h"

#define V2_PER_FRAME (PAGE_BYTES / sizeof(grant_entry_v2_t))

static grant_entry_v2_t *entry(struct hv_gnttab_domain *d, grant_ref_t ref)
{
	return gnttab_entry(d, ref);
}

static unsigned int v2_status_frames(unsigned int frames)
{
	return (frames * V2_PER_FRAME + STATUS_PER_FRAME - 1) /
	       STATUS_PER_FRAME;
}

static union gnttab_combo header(struct hv_gnttab_domain *d, grant_ref_t ref)
{
	union gnttab_combo cur;

	cur.raw = hv_atomic_load_u32(gnttab_header_word(d, ref));
	return cur;
}

/* A grant ldomid may start using: full page (or sub page if not mapping),
 * or transitive. */
static bool usable(union gnttab_combo cur, uint16_t mask, hv_domid_t ldomid)
{
	uint16_t type = cur.hdr.flags & mask;

	return (type == GTF_permit_access || type == GTF_transitive) &&
	       cur.hdr.domid == ldomid;
}

static int16_t v2_set_status(struct hv_gnttab_domain *d, grant_ref_t ref,
			     bool pinned, bool readonly, bool mapping,
			     hv_domid_t ldomid)
{
	grant_status_t *status = gnttab_status_word(d, ref);
	uint16_t mask = GTF_type_mask | (mapping ? GTF_sub_page : 0);
	uint16_t bits = GTF_reading | (readonly ? 0 : GTF_writing);
	union gnttab_combo cur = header(d, ref);

	if (!pinned && !usable(cur, mask, ldomid))
		return GNTST_general_error;
	if (!readonly && (cur.hdr.flags & GTF_readonly))
		return GNTST_general_error;
	hv_atomic_fetch_or_u16(status, bits);
	/* The guest sees the bits before we look at its entry again. */
	hv_mb();
	cur = header(d, ref);
	if (!pinned && (!usable(cur, mask, ldomid) ||
			(!readonly && (cur.hdr.flags & GTF_readonly)))) {
		hv_atomic_fetch_and_u16(
		    status, (uint16_t) ~(GTF_reading | GTF_writing));
		return GNTST_general_error;
	}
	if (pinned && !readonly && (cur.hdr.flags & GTF_readonly)) {
		hv_atomic_fetch_and_u16(status, (uint16_t)~GTF_writing);
		return GNTST_general_error;
	}
	return GNTST_okay;
}

static void v2_clear_status(struct hv_gnttab_domain *d, grant_ref_t ref,
			    uint16_t bits)
{
	hv_atomic_fetch_and_u16(gnttab_status_word(d, ref), (uint16_t)~bits);
}

static uint16_t v2_status(struct hv_gnttab_domain *d, grant_ref_t ref)
{
	return hv_atomic_load_u16(gnttab_status_word(d, ref));
}

static void v2_read(struct hv_gnttab_domain *d, grant_ref_t ref,
		    struct gnttab_grant *out)
{
	grant_entry_v2_t *e = entry(d, ref);
	union gnttab_combo cur = header(d, ref);

	memset(out, 0, sizeof(*out));
	out->flags = cur.hdr.flags;
	out->domid = cur.hdr.domid;
	out->length = PAGE_BYTES;
	if ((cur.hdr.flags & GTF_type_mask) == GTF_transitive) {
		out->trans_domid =
		    hv_atomic_load_relaxed_u16(&e->transitive.trans_domid);
		out->trans_gref =
		    hv_atomic_load_relaxed_u32(&e->transitive.gref);
	} else if (cur.hdr.flags & GTF_sub_page) {
		out->frame = hv_atomic_load_relaxed_u64(&e->sub_page.frame);
		out->start = hv_atomic_load_relaxed_u16(&e->sub_page.page_off);
		out->length = hv_atomic_load_relaxed_u16(&e->sub_page.length);
		out->sub_page = true;
	} else {
		out->frame = hv_atomic_load_relaxed_u64(&e->full_page.frame);
	}
}

/* Only full-page grants of frames below 2^32 fit a v1 entry. */
static bool representable_in_v1(const grant_entry_v2_t *e)
{
	switch (e->hdr.flags & GTF_type_mask) {
	case GTF_permit_access:
		return !(e->full_page.frame >> 32);
	case GTF_transitive:
		return false;
	default:
		return true;
	}
}

static int v2_save_reserved(struct hv_gnttab_domain *d, grant_entry_v1_t *saved)
{
	unsigned int i;

	for (i = 0; i < GNTTAB_NR_RESERVED_ENTRIES; i++)
		if (!representable_in_v1(entry(d, i)))
			return -HV_ERANGE;
	for (i = 0; i < GNTTAB_NR_RESERVED_ENTRIES; i++) {
		const grant_entry_v2_t *e = entry(d, i);

		memset(&saved[i], 0, sizeof(saved[i]));
		/* Other types do not survive the switch, as in Xen. */
		if ((e->hdr.flags & GTF_type_mask) != GTF_permit_access)
			continue;
		saved[i].flags = e->hdr.flags | v2_status(d, i);
		saved[i].domid = e->hdr.domid;
		saved[i].frame = (uint32_t)e->full_page.frame;
	}
	return 0;
}

static void v2_restore_reserved(struct hv_gnttab_domain *d,
				const grant_entry_v1_t *saved)
{
	const uint16_t in_status = GTF_reading | GTF_writing;

	for (unsigned int i = 0; i < GNTTAB_NR_RESERVED_ENTRIES; i++) {
		grant_entry_v2_t *e = entry(d, i);

		*gnttab_status_word(d, i) = saved[i].flags & in_status;
		e->hdr.flags = saved[i].flags & (uint16_t)~in_status;
		e->hdr.domid = saved[i].domid;
		e->full_page.frame = saved[i].frame;
	}
}

const struct hv_gnttab_abi hv_gnttab_v2 = {
    .version = 2,
    .entry_bytes = sizeof(grant_entry_v2_t),
    .status_frames = v2_status_frames,
    .set_status = v2_set_status,
    .clear_status = v2_clear_status,
    .read = v2_read,
    .save_reserved = v2_save_reserved,
    .restore_reserved = v2_restore_reserved,
    .follow_transitive = gnttab_follow_transitive,
};
