/*
 * The maptrack table: one entry per mapping a domain holds of other
 * domains' grants; its index is the handle the guest gets back.  Frames
 * of HV_GNTTAB_MAPTRACK_PER_FRAME entries are added as needed up to the
 * domain's limit.  Free handles form one list, oldest first, so a handle
 * just unmapped is the last to be reused (a stale handle is less likely to
 * name someone's new mapping).  All under the mapping domain's lock.
 */
#include "internal.h"

#define PER_FRAME   HV_GNTTAB_MAPTRACK_PER_FRAME
#define FRAME_BYTES (PER_FRAME * sizeof(struct gnttab_mt))

struct gnttab_mt *gnttab_mt_entry(struct hv_gnttab_domain *ld, uint32_t handle)
{
	if (handle >= ld->mt_frames * PER_FRAME)
		return NULL;
	return &ld->mt[handle / PER_FRAME][handle % PER_FRAME];
}

static void push_free(struct hv_gnttab_domain *ld, uint32_t handle)
{
	struct gnttab_mt *mt = gnttab_mt_entry(ld, handle);

	mt->state = MT_FREE;
	mt->flags = 0;
	mt->rd = NULL;
	mt->ref = MT_NONE;
	if (ld->mt_tail == MT_NONE)
		ld->mt_head = handle;
	else
		gnttab_mt_entry(ld, ld->mt_tail)->ref = handle;
	ld->mt_tail = handle;
}

static int add_frame(struct hv_gnttab_domain *ld)
{
	uint32_t first = ld->mt_frames * PER_FRAME;

	if (ld->mt_frames == ld->cfg.max_maptrack_frames)
		return -HV_ENOSPC;
	ld->mt[ld->mt_frames] = gnttab_zalloc(ld, FRAME_BYTES);
	if (!ld->mt[ld->mt_frames])
		return -HV_ENOSPC;
	ld->mt_frames++;
	for (uint32_t h = first; h < first + PER_FRAME; h++)
		push_free(ld, h);
	return 0;
}

int gnttab_mt_get(struct hv_gnttab_domain *ld, uint32_t *handle)
{
	struct gnttab_mt *mt;

	if (ld->mt_head == MT_NONE && add_frame(ld))
		return -HV_ENOSPC;
	*handle = ld->mt_head;
	mt = gnttab_mt_entry(ld, *handle);
	ld->mt_head = mt->ref;
	if (ld->mt_head == MT_NONE)
		ld->mt_tail = MT_NONE;
	mt->state = MT_RESERVED;
	ld->mt_used++;
	return 0;
}

void gnttab_mt_put(struct hv_gnttab_domain *ld, uint32_t handle)
{
	push_free(ld, handle);
	ld->mt_used--;
}

void gnttab_mt_destroy(struct hv_gnttab_domain *ld)
{
	for (unsigned int i = 0; i < ld->mt_frames; i++)
		gnttab_free(ld, ld->mt[i], FRAME_BYTES);
	ld->mt_frames = 0;
	ld->mt_head = ld->mt_tail = MT_NONE;
}
