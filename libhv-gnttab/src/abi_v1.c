/*
 * Grant-table version 1: 8-byte entries (struct grant_entry_v1) whose own
 * flags carry GTF_reading and GTF_writing.
 *
 * The flags share a 32-bit word with the domid, and the guest may change
 * both at any time: the hypervisor updates them only by compare-and-swap
 * on the whole word, retrying a few times before it decides the guest is
 * misbehaving (Xen's bound, so a guest cannot livelock a hypercall).
 */
#include "internal.h"

/* Compare-and-swap attempts on a guest-shared word before giving up. */
#define CMPXCHG_TRIES 5

static grant_entry_v1_t *entry(struct hv_gnttab_domain *d, grant_ref_t ref)
{
	return gnttab_entry(d, ref);
}

static unsigned int v1_status_frames(unsigned int frames)
{
	(void)frames;
	return 0;
}

static int16_t v1_set_status(struct hv_gnttab_domain *d, grant_ref_t ref,
			     bool pinned, bool readonly, bool mapping,
			     hv_domid_t ldomid)
{
	uint32_t *word = gnttab_header_word(d, ref);
	/* A mapping must not be of a sub-page grant (a v2 notion, but Xen
	 * checks the bit in v1 too). */
	uint16_t mask = GTF_type_mask | (mapping ? GTF_sub_page : 0);
	union gnttab_combo cur, next;

	cur.raw = hv_atomic_load_u32(word);
	for (unsigned int tries = 1;; tries++) {
		if (!pinned && ((cur.hdr.flags & mask) != GTF_permit_access ||
				cur.hdr.domid != ldomid))
			return GNTST_general_error;
		if (!readonly && (cur.hdr.flags & GTF_readonly))
			return GNTST_general_error;
		next = cur;
		next.hdr.flags |= GTF_reading | (readonly ? 0 : GTF_writing);
		if (hv_atomic_cmpxchg_u32(word, &cur.raw, next.raw))
			return GNTST_okay;
		if (tries == CMPXCHG_TRIES)
			return GNTST_general_error;
	}
}

static void v1_clear_status(struct hv_gnttab_domain *d, grant_ref_t ref,
			    uint16_t bits)
{
	union gnttab_combo keep;

	keep.hdr.flags = (uint16_t)~bits;
	keep.hdr.domid = 0xffff;
	hv_atomic_fetch_and_u32(gnttab_header_word(d, ref), keep.raw);
}

static void v1_read(struct hv_gnttab_domain *d, grant_ref_t ref,
		    struct gnttab_grant *out)
{
	union gnttab_combo cur;

	cur.raw = hv_atomic_load_u32(gnttab_header_word(d, ref));
	memset(out, 0, sizeof(*out));
	out->flags = cur.hdr.flags;
	out->domid = cur.hdr.domid;
	out->frame = hv_atomic_load_relaxed_u32(&entry(d, ref)->frame);
	out->length = PAGE_BYTES;
}

static int v1_save_reserved(struct hv_gnttab_domain *d, grant_entry_v1_t *saved)
{
	memcpy(saved, entry(d, 0),
	       GNTTAB_NR_RESERVED_ENTRIES * sizeof(grant_entry_v1_t));
	return 0;
}

static void v1_restore_reserved(struct hv_gnttab_domain *d,
				const grant_entry_v1_t *saved)
{
	memcpy(entry(d, 0), saved,
	       GNTTAB_NR_RESERVED_ENTRIES * sizeof(grant_entry_v1_t));
}

const struct hv_gnttab_abi gnttab_v1 = {
    .version = 1,
    .entry_bytes = sizeof(grant_entry_v1_t),
    .status_frames = v1_status_frames,
    .set_status = v1_set_status,
    .clear_status = v1_clear_status,
    .read = v1_read,
    .save_reserved = v1_save_reserved,
    .restore_reserved = v1_restore_reserved,
};
