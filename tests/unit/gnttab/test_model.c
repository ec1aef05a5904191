/*
 * Grant entries against a model: random sequences from a seeded PRNG in
 * which three domains grant frames (writing v1 entries, read-only or not,
 * to one domain or another, of RAM or of a hole), end access, map each
 * other's grants read-write and read-only (and their own, by id), and
 * unmap; each op's status is checked against a plain model of every
 * entry, its pins (read-write and read-only, by whom) and every mapping,
 * and after each op the touched grant's GTF_reading/GTF_writing, pins and
 * frame, and the mapping domain's P2M.  Now and then every grant and every
 * domain's handle count are compared whole.  docs/gnttab.md gives the
 * statuses and their order.
 */
#include "gnttab_test.h"
#include "../model_rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOMS	     3
#define REFS	     24	 /* grants in play, of the 512 in frame 0 */
#define TABLE_REFS   512 /* v1 entries in the one table frame */
#define SLOTS	     32	 /* host-mapping places per domain */
#define HANDLES	     512 /* two maptrack frames, the default */
#define OPS_PER_SEED 4000
#define SEEDS	     4
#define CHECK_EVERY  200

struct mgrant {
	bool granted; /* GTF_permit_access */
	bool readonly;
	unsigned int to; /* the domain it names (index) */
	uint64_t gfn;
	unsigned int pins_rw, pins_ro;
	unsigned int user; /* who pins it, while pinned */
};

struct mmap {
	bool used;
	unsigned int granter;
	grant_ref_t ref;
	bool ro;
	grant_handle_t handle;
};

struct model {
	struct gt_world *w;
	struct mgrant g[DOMS][REFS];
	struct mmap slot[DOMS][SLOTS]; /* by host place GFN_MAP + n */
	unsigned int handles[DOMS];    /* in use */
	uint64_t rng;
};

static uint32_t rnd(struct model *m, uint32_t n)
{
	return model_rng(&m->rng, n);
}

static unsigned int pins(const struct mgrant *g)
{
	return g->pins_rw + g->pins_ro;
}

/* What the granter and the hypervisor show of grant `ref` of domain i. */
static void check_grant(struct model *m, unsigned int i, grant_ref_t ref)
{
	const struct mgrant *g = &m->g[i][ref];
	struct hv_gnttab_grant_info gi;
	uint16_t flags = pins(g) ? GTF_reading : 0;

	if (g->pins_rw)
		flags |= GTF_writing;
	assert_int_equal(gt_status(m->w, i, ref), flags);
	assert_int_equal(hv_gnttab_query_grant(gt_dom(m->w, i)->g, ref, &gi),
			 0);
	if (gi.pins_rw != g->pins_rw || gi.pins_ro != g->pins_ro)
		fail_msg("d%u ref %u: pins rw %u ro %u, model %u %u", i, ref,
			 gi.pins_rw, gi.pins_ro, g->pins_rw, g->pins_ro);
	if (pins(g)) {
		assert_int_equal(gi.domid, gt_domid(g->user));
		assert_int_equal(hv_mfn_x(gi.mfn), gt_mfn(m->w, i, g->gfn));
	}
}

static void check_all(struct model *m)
{
	for (unsigned int i = 0; i < DOMS; i++) {
		struct hv_gnttab_info in = gt_info(m->w, i);
		unsigned int active = 0;

		for (grant_ref_t ref = 0; ref < REFS; ref++) {
			check_grant(m, i, ref);
			active += pins(&m->g[i][ref]) != 0;
		}
		assert_int_equal(in.maptrack_used, m->handles[i]);
		assert_int_equal(in.active_grants, active);
	}
}

/* The guest writes entry `ref`: granted or not, to whom, of what. */
static void op_grant(struct model *m, unsigned int i)
{
	grant_ref_t ref = rnd(m, REFS);
	struct mgrant *g = &m->g[i][ref];
	uint16_t flags;

	/* A guest rewrites only entries it got back (Linux). */
	if (pins(g))
		return;
	g->granted = rnd(m, 6) != 0;
	g->readonly = rnd(m, 3) == 0;
	g->to = rnd(m, DOMS);
	g->gfn = rnd(m, 10) ? GFN_DATA + rnd(m, 8) : GFN_HOLE;
	flags = g->granted ? GTF_permit_access : 0;
	if (g->readonly)
		flags |= GTF_readonly;
	gt_grant(m->w, i, ref, gt_domid(g->to), g->gfn, flags);
}

static void op_end_access(struct model *m, unsigned int i)
{
	grant_ref_t ref = rnd(m, REFS);
	struct mgrant *g = &m->g[i][ref];
	bool ended = gt_end_access(m->w, i, ref);

	assert_int_equal(ended, pins(g) == 0);
	if (ended)
		g->granted = false;
	check_grant(m, i, ref);
}

/* The status a map of granter r's `ref` by domain i should get. */
static int16_t map_status(struct model *m, unsigned int i, unsigned int r,
			  grant_ref_t ref, bool ro, unsigned int slot)
{
	const struct mgrant *g;

	if (r >= DOMS)
		return GNTST_bad_domain;
	if (m->handles[i] == HANDLES)
		return GNTST_no_space;
	if (ref >= TABLE_REFS)
		return GNTST_bad_gntref;
	if (ref >= REFS)
		return GNTST_general_error; /* never granted */
	g = &m->g[r][ref];
	if (pins(g) && g->user != i)
		return GNTST_general_error;
	if (!g->granted || g->to != i || (!ro && g->readonly))
		return GNTST_general_error;
	if (g->gfn == GFN_HOLE)
		return GNTST_bad_page;
	if (m->slot[i][slot].used)
		return GNTST_general_error; /* over another grant mapping */
	return GNTST_okay;
}

/* Mostly a grant offered to domain i, if the dice find one. */
static void pick_grant(struct model *m, unsigned int i, unsigned int *r,
		       grant_ref_t *ref)
{
	for (int tries = 0; tries < 8; tries++) {
		*r = rnd(m, DOMS);
		*ref = rnd(m, REFS);
		if (m->g[*r][*ref].granted && m->g[*r][*ref].to == i)
			return;
	}
	if (rnd(m, 4) == 0)
		*r = 5; /* no such domain */
	if (rnd(m, 4) == 0)
		*ref = TABLE_REFS - 1 + rnd(m, 3); /* the table's end */
}

static void op_map(struct model *m, unsigned int i)
{
	bool ro = rnd(m, 2);
	unsigned int slot = rnd(m, SLOTS), r;
	uint32_t flags = GNTMAP_host_map | (ro ? GNTMAP_readonly : 0);
	grant_handle_t h;
	grant_ref_t ref;
	struct mgrant *g;
	int16_t want, st;

	pick_grant(m, i, &r, &ref);
	want = map_status(m, i, r, ref, ro, slot);
	st = gt_map(m->w, i, r < DOMS ? gt_domid(r) : 77, ref, GFN_MAP + slot,
		    flags, &h);
	if (st != want)
		fail_msg("d%u maps d%u ref %u %s at slot %u: status %d, model "
			 "%d",
			 i, r, ref, ro ? "ro" : "rw", slot, st, want);
	if (st != GNTST_okay)
		return;
	g = &m->g[r][ref];
	assert_true(h < HANDLES);
	for (unsigned int s = 0; s < SLOTS; s++)
		assert_false(m->slot[i][s].used && m->slot[i][s].handle == h);
	m->slot[i][slot] = (struct mmap){true, r, ref, ro, h};
	m->handles[i]++;
	g->user = i;
	if (ro)
		g->pins_ro++;
	else
		g->pins_rw++;
	assert_int_equal(gt_mfn(m->w, i, GFN_MAP + slot),
			 gt_mfn(m->w, r, g->gfn));
	check_grant(m, r, ref);
}

static void op_unmap(struct model *m, unsigned int i)
{
	unsigned int slot = rnd(m, SLOTS);
	struct mmap *mp = &m->slot[i][slot];
	struct mgrant *g;

	if (!mp->used) {
		/* A handle nobody holds (or one past them all). */
		grant_handle_t h = rnd(m, 2) ? HANDLES + 7 : rnd(m, HANDLES);

		for (unsigned int s = 0; s < SLOTS; s++)
			if (m->slot[i][s].used && m->slot[i][s].handle == h)
				return;
		assert_int_equal(gt_unmap(m->w, i, GFN_MAP + slot, h),
				 GNTST_bad_handle);
		return;
	}
	assert_int_equal(gt_unmap(m->w, i, GFN_MAP + slot, mp->handle),
			 GNTST_okay);
	g = &m->g[mp->granter][mp->ref];
	if (mp->ro)
		g->pins_ro--;
	else
		g->pins_rw--;
	m->handles[i]--;
	mp->used = false;
	assert_int_equal(gt_type(m->w, i, GFN_MAP + slot), HV_MM_P2M_INVALID);
	check_grant(m, mp->granter, mp->ref);
}

static void one_op(struct model *m)
{
	unsigned int i = rnd(m, DOMS);

	switch (rnd(m, 10)) {
	case 0:
	case 1:
		op_grant(m, i);
		break;
	case 2:
		op_end_access(m, i);
		break;
	case 3:
	case 4:
	case 5:
	case 6:
		op_map(m, i);
		break;
	default:
		op_unmap(m, i);
		break;
	}
}

static void run_seed(uint64_t seed)
{
	struct model *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	m->w = gt_world_new(DOMS, NULL);
	m->rng = model_rng_seed(seed);
	for (unsigned int n = 0; n < OPS_PER_SEED; n++) {
		one_op(m);
		if (n % CHECK_EVERY == 0)
			check_all(m);
	}
	check_all(m);
	gt_world_free(m->w); /* and nothing may leak */
	free(m);
}

static void grants_follow_the_model(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= SEEDS; seed++)
		run_seed(seed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(grants_follow_the_model),
	};
	return cmocka_run_group_tests_name("gnttab-model", tests, NULL, NULL);
}
