/*
 * The grant table's frames: the shared entries and v2 status frames the
 * guest maps, grown on demand, and the active entries beside them; where
 * the guest placed each frame (XENMAPSPACE_grant_table).
 *
 * Table frames are hypervisor frames from the domain's heap (charged to
 * no account, as Xen's xenheap pages), zeroed when allocated and scrubbed
 * when freed, since the guest wrote into them.  A frame leaves the guest's
 * P2M, and the TLBs, before it goes back to the heap.
 */
#include "internal.h"

#include <xen/memory.h>

unsigned int gnttab_nr_entries(const struct hv_gnttab_domain *d)
{
	return d->nr_frames * (PAGE_BYTES / d->abi->entry_bytes);
}

void *gnttab_entry(struct hv_gnttab_domain *d, grant_ref_t ref)
{
	unsigned int per = PAGE_BYTES / d->abi->entry_bytes;

	return (char *)d->shared[ref / per].virt +
	       (size_t)(ref % per) * d->abi->entry_bytes;
}

uint32_t *gnttab_header_word(struct hv_gnttab_domain *d, grant_ref_t ref)
{
	return (uint32_t *)gnttab_entry(d, ref);
}

struct gnttab_act *gnttab_act(struct hv_gnttab_domain *d, grant_ref_t ref)
{
	return &d->active[ref / ACT_PER_FRAME][ref % ACT_PER_FRAME];
}

grant_status_t *gnttab_status_word(struct hv_gnttab_domain *d, grant_ref_t ref)
{
	return (grant_status_t *)d->status[ref / STATUS_PER_FRAME].virt +
	       ref % STATUS_PER_FRAME;
}

static int alloc_frame(struct hv_gnttab_domain *d, struct gnttab_frame *f)
{
	hv_mfn_t mfn;
	int rc = hv_mm_alloc_pages(d->mm->heap, 0, d->mm->node, 0, NULL, &mfn);

	if (rc)
		return -HV_ENOMEM;
	f->mfn = mfn;
	f->virt = gnttab_virt(d, mfn);
	f->gfn = hv_gfn(HV_INVALID_FRAME);
	return 0;
}

/* Whether the guest's P2M still maps f where the guest placed it. */
static bool frame_placed(struct hv_gnttab_domain *d,
			 const struct gnttab_frame *f)
{
	struct hv_mm_p2m_info info;

	return hv_gfn_x(f->gfn) != HV_INVALID_FRAME &&
	       hv_mm_p2m_lookup(d->mm->p2m, f->gfn, &info) == 0 &&
	       hv_mm_p2m_type_has_frame(info.type) &&
	       hv_mfn_eq(info.mfn, f->mfn);
}

uint64_t gnttab_frame_gfn(struct hv_gnttab_domain *d,
			  const struct gnttab_frame *f)
{
	return frame_placed(d, f) ? hv_gfn_x(f->gfn) : UINT64_MAX;
}

void gnttab_free_frames(struct hv_gnttab_domain *d, struct gnttab_frame *f,
			unsigned int nr)
{
	struct hv_mm_p2m_batch b;

	hv_mm_p2m_batch_begin(&b, d->mm->p2m, NULL, NULL);
	for (unsigned int i = 0; i < nr; i++)
		if (frame_placed(d, &f[i]))
			(void)hv_mm_p2m_remove(d->mm->p2m, &b, f[i].gfn, 1);
	hv_mm_p2m_batch_end(&b);
	for (unsigned int i = 0; i < nr; i++) {
		(void)hv_mm_put_pages(d->mm->heap, f[i].mfn, 0, 0);
		f[i] = (struct gnttab_frame){.gfn = hv_gfn(HV_INVALID_FRAME)};
	}
}

int gnttab_populate_status(struct hv_gnttab_domain *d, unsigned int nr)
{
	unsigned int i;

	for (i = d->nr_status; i < nr; i++)
		if (alloc_frame(d, &d->status[i]))
			break;
	if (i < nr) {
		gnttab_free_frames(d, &d->status[d->nr_status],
				   i - d->nr_status);
		return -HV_ENOMEM;
	}
	d->nr_status = nr;
	return 0;
}

void gnttab_unpopulate_status(struct hv_gnttab_domain *d)
{
	gnttab_free_frames(d, d->status, d->nr_status);
	d->nr_status = 0;
}

/* Free shared frames and active chunks [from, to) that a grow added. */
static void shrink_to(struct hv_gnttab_domain *d, unsigned int from,
		      unsigned int to)
{
	gnttab_free_frames(d, &d->shared[from], to - from);
	for (unsigned int i = from; i < to; i++) {
		gnttab_free(d, d->active[i],
			    ACT_PER_FRAME * sizeof(struct gnttab_act));
		d->active[i] = NULL;
	}
}

/* Shared frame i and its active entries; nothing if either fails. */
static int add_frame(struct hv_gnttab_domain *d, unsigned int i)
{
	d->active[i] =
	    gnttab_zalloc(d, ACT_PER_FRAME * sizeof(struct gnttab_act));
	if (!d->active[i])
		return -HV_ENOMEM;
	if (alloc_frame(d, &d->shared[i])) {
		gnttab_free(d, d->active[i],
			    ACT_PER_FRAME * sizeof(struct gnttab_act));
		d->active[i] = NULL;
		return -HV_ENOMEM;
	}
	return 0;
}

int gnttab_grow(struct hv_gnttab_domain *d, unsigned int frames)
{
	unsigned int i, old = d->nr_frames;

	if (frames <= old)
		return 0;
	if (frames > d->cfg.max_grant_frames)
		return -HV_EINVAL;
	for (i = old; i < frames; i++)
		if (add_frame(d, i))
			break;
	if (i < frames ||
	    gnttab_populate_status(d, d->abi->status_frames(frames))) {
		shrink_to(d, old, i);
		return -HV_ENOMEM;
	}
	d->nr_frames = frames;
	return 0;
}

/* Shared frames a v2 table needs for status frame idx (Xen's
 * status_to_grant_frames(idx + 1)). */
static uint64_t frames_for_status(uint64_t idx)
{
	return (idx + 1) *
	       (STATUS_PER_FRAME / (PAGE_BYTES / sizeof(grant_entry_v2_t)));
}

/* The frame XENMAPSPACE_grant_table index idx names, growing the table to
 * reach it if `grow` and the limit allow; NULL if there is none. */
static struct gnttab_frame *space_frame(struct hv_gnttab_domain *d,
					uint64_t idx, bool grow)
{
	unsigned int max = d->cfg.max_grant_frames;

	if (d->abi->version == 2 && (idx & XENMAPIDX_grant_table_status)) {
		idx &= ~(uint64_t)XENMAPIDX_grant_table_status;
		if (grow && idx >= d->nr_status && idx < d->max_status &&
		    frames_for_status(idx) <= max)
			(void)gnttab_grow(d,
					  (unsigned int)frames_for_status(idx));
		return idx < d->nr_status ? &d->status[idx] : NULL;
	}
	if (grow && idx >= d->nr_frames && idx < max)
		(void)gnttab_grow(d, (unsigned int)idx + 1);
	return idx < d->nr_frames ? &d->shared[idx] : NULL;
}

int hv_gnttab_space_frame(struct hv_gnttab_domain *d, uint64_t idx,
			  hv_mfn_t *mfn, hv_gfn_t *where)
{
	const struct gnttab_frame *f;

	hv_spin_lock(&d->lock);
	f = space_frame(d, idx, true);
	if (f) {
		*mfn = f->mfn;
		*where = f->gfn;
	}
	hv_spin_unlock(&d->lock);
	return f ? 0 : -HV_EINVAL;
}

void hv_gnttab_space_placed(struct hv_gnttab_domain *d, uint64_t idx,
			    hv_gfn_t gfn)
{
	struct gnttab_frame *f;

	hv_spin_lock(&d->lock);
	f = space_frame(d, idx, false);
	if (f)
		f->gfn = gfn;
	hv_spin_unlock(&d->lock);
}
