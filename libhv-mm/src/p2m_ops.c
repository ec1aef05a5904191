/*
 * The P2M's changing entry points: argument checks, then one op under the
 * lock (see p2m_change.c), inside the caller's batch or a batch of its own.
 */
#include <hv/error.h>
#include <hv/string.h>

#include "p2m_priv.h"

static bool range_ok(const struct hv_mm_p2m *p2m, uint64_t gfn, uint64_t nr)
{
	return nr <= p2m->gfn_limit && gfn <= p2m->gfn_limit - nr;
}

static bool frames_ok(const struct hv_mm_p2m *p2m, uint64_t mfn, uint64_t nr)
{
	uint64_t limit = UINT64_C(1) << (p2m->fmt->pa_bits - HV_PAGE_SHIFT);

	return nr <= limit && mfn <= limit - nr;
}

static void op_init_map(struct p2m_op *op, uint64_t gfn, uint64_t mfn,
			uint64_t nr, enum hv_mm_p2m_type type,
			unsigned int access)
{
	memset(op, 0, sizeof(*op));
	op->kind = P2M_OP_MAP;
	op->first = gfn;
	op->end = gfn + nr;
	op->type = type;
	op->access = p2m_clamp_access(type, access);
	op->has_frame = hv_mm_p2m_type_has_frame(type);
	op->mfn_delta = op->has_frame ? mfn - gfn : 0;
}

typedef int (*op_check_fn)(const struct hv_mm_p2m_info *info, hv_mfn_t mfn);

/*
 * Run op under the lock, in `batch` or in a batch of its own ended before
 * returning.  With `check`, give up (returning check's error) unless check
 * accepts what the op's first frame maps, all under one hold of the lock.
 */
static int op_run(struct hv_mm_p2m *p2m, struct hv_mm_p2m_batch *batch,
		  struct p2m_op *op, op_check_fn check, hv_mfn_t mfn)
{
	struct hv_mm_p2m_batch local;
	int rc;

	op->p2m = p2m;
	op->batch = p2m_batch_or_local(p2m, batch, &local);
	op->check = check;
	op->check_mfn = mfn;
	hv_spin_lock(&p2m->lock);
	rc = p2m_change_locked(op);
	hv_spin_unlock(&p2m->lock);
	if (!batch)
		hv_mm_p2m_batch_end(&local);
	return rc;
}

int hv_mm_p2m_set(struct hv_mm_p2m *p2m, struct hv_mm_p2m_batch *batch,
		  hv_gfn_t gfn, hv_mfn_t mfn, uint64_t nr,
		  enum hv_mm_p2m_type type, unsigned int access)
{
	struct p2m_op op;

	if ((unsigned int)type >= HV_MM_P2M_NR_TYPES ||
	    (access & ~HV_MM_P2M_RWX) || (batch && batch->p2m != p2m))
		return -HV_EINVAL;
	if (!range_ok(p2m, hv_gfn_x(gfn), nr))
		return -HV_EINVAL;
	if (hv_mm_p2m_type_has_frame(type) &&
	    !frames_ok(p2m, hv_mfn_x(mfn), nr))
		return -HV_EINVAL;
	if (nr == 0)
		return 0;
	op_init_map(&op, hv_gfn_x(gfn), hv_mfn_x(mfn), nr, type, access);
	return op_run(p2m, batch, &op, NULL, mfn);
}

int hv_mm_p2m_remove(struct hv_mm_p2m *p2m, struct hv_mm_p2m_batch *batch,
		     hv_gfn_t gfn, uint64_t nr)
{
	return hv_mm_p2m_set(p2m, batch, gfn, hv_mfn(0), nr, HV_MM_P2M_INVALID,
			     0);
}

int hv_mm_p2m_set_access(struct hv_mm_p2m *p2m, struct hv_mm_p2m_batch *batch,
			 hv_gfn_t gfn, uint64_t nr, unsigned int access)
{
	struct p2m_op op;

	if ((access & ~HV_MM_P2M_RWX) || (batch && batch->p2m != p2m) ||
	    !range_ok(p2m, hv_gfn_x(gfn), nr))
		return -HV_EINVAL;
	if (nr == 0)
		return 0;
	memset(&op, 0, sizeof(op));
	op.kind = P2M_OP_ACCESS;
	op.first = hv_gfn_x(gfn);
	op.end = hv_gfn_x(gfn) + nr;
	op.access = access;
	return op_run(p2m, batch, &op, NULL, hv_mfn(0));
}

static bool is_grant(enum hv_mm_p2m_type type)
{
	return type == HV_MM_P2M_GRANT_RW || type == HV_MM_P2M_GRANT_RO;
}

static int check_not_grant(const struct hv_mm_p2m_info *info, hv_mfn_t mfn)
{
	(void)mfn;
	return is_grant(info->type) ? -HV_EBUSY : 0;
}

static int check_grant_of(const struct hv_mm_p2m_info *info, hv_mfn_t mfn)
{
	if (!is_grant(info->type) || !hv_mfn_eq(info->mfn, mfn))
		return -HV_EINVAL;
	return 0;
}

static int grant_args_ok(struct hv_mm_p2m *p2m, struct hv_mm_p2m_batch *batch,
			 hv_gfn_t gfn, hv_mfn_t mfn)
{
	if ((batch && batch->p2m != p2m) || !range_ok(p2m, hv_gfn_x(gfn), 1) ||
	    !frames_ok(p2m, hv_mfn_x(mfn), 1))
		return -HV_EINVAL;
	return 0;
}

int hv_mm_p2m_grant_map(struct hv_mm_p2m *p2m, struct hv_mm_p2m_batch *batch,
			hv_gfn_t gfn, hv_mfn_t mfn, bool readonly)
{
	enum hv_mm_p2m_type type =
	    readonly ? HV_MM_P2M_GRANT_RO : HV_MM_P2M_GRANT_RW;
	struct p2m_op op;
	int rc = grant_args_ok(p2m, batch, gfn, mfn);

	if (rc)
		return rc;
	op_init_map(&op, hv_gfn_x(gfn), hv_mfn_x(mfn), 1, type, HV_MM_P2M_RWX);
	return op_run(p2m, batch, &op, check_not_grant, mfn);
}

int hv_mm_p2m_grant_unmap(struct hv_mm_p2m *p2m, struct hv_mm_p2m_batch *batch,
			  hv_gfn_t gfn, hv_mfn_t mfn)
{
	struct p2m_op op;
	int rc = grant_args_ok(p2m, batch, gfn, mfn);

	if (rc)
		return rc;
	op_init_map(&op, hv_gfn_x(gfn), 0, 1, HV_MM_P2M_INVALID, 0);
	return op_run(p2m, batch, &op, check_grant_of, mfn);
}
