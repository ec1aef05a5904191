/*
 * The P2M engine against a reference model: random mappings, unmappings,
 * rights changes and grant mappings over a 4 GiB window, each checked page
 * by page against a flat array, and the tree checked to be minimal (no
 * mergeable run of entries left) after every batch of operations.  The
 * random sequence is fixed (seeded), so a failure always reproduces.
 */
#include "mm_test.h"

#include <stdlib.h>
#include <string.h>

#define WINDOW (UINT64_C(1) << 20) /* pages: 4 GiB, all formats have it */
#define OPS    300

struct model_page {
	uint64_t mfn;
	uint8_t type, access;
};

struct model {
	struct model_page *pages;
	uint64_t rng;
	struct test_tables t;
	struct hv_mm_p2m p2m;
};

static uint64_t rnd(struct model *m)
{
	/* xorshift64 */
	m->rng ^= m->rng << 13;
	m->rng ^= m->rng >> 7;
	m->rng ^= m->rng << 17;
	return m->rng;
}

static uint64_t rnd_below(struct model *m, uint64_t n)
{
	return rnd(m) % n;
}

static void model_set(struct model *m, uint64_t gfn, uint64_t mfn, uint64_t nr,
		      enum hv_mm_p2m_type type, unsigned int access)
{
	bool framed = hv_mm_p2m_type_has_frame(type);

	for (uint64_t i = 0; i < nr; i++) {
		struct model_page *p = &m->pages[gfn + i];

		p->type = (uint8_t)type;
		p->access = (uint8_t)(access & hv_mm_p2m_type_rights(type));
		p->mfn = framed ? mfn + i : HV_INVALID_FRAME;
	}
}

static void model_access(struct model *m, uint64_t gfn, uint64_t nr,
			 unsigned int access)
{
	for (uint64_t i = 0; i < nr; i++) {
		struct model_page *p = &m->pages[gfn + i];

		p->access = (uint8_t)(access & hv_mm_p2m_type_rights(p->type));
	}
}

static void check_page(struct model *m, uint64_t gfn)
{
	struct hv_mm_p2m_info info;
	const struct model_page *p = &m->pages[gfn];

	assert_int_equal(hv_mm_p2m_lookup(&m->p2m, hv_gfn(gfn), &info), 0);
	assert_int_equal(info.type, p->type);
	assert_int_equal(info.access, p->access);
	assert_int_equal(hv_mfn_x(info.mfn), p->mfn);
}

/* A random range: aligned to 4 KiB, 2 MiB or 1 GiB, of about that size;
 * one in four exactly that size (an extent, which the P2M may take in
 * one walk: exactly what an entry spans, wherever it starts). */
static void random_range(struct model *m, uint64_t *gfn, uint64_t *nr,
			 unsigned int *order)
{
	static const unsigned int orders[] = {0, 9, 18};

	*order = orders[rnd_below(m, 3)];
	*gfn = rnd_below(m, WINDOW >> *order) << *order;
	if (rnd_below(m, 4) == 0)
		*gfn += rnd_below(m, UINT64_C(1) << *order);
	*nr = 1 + rnd_below(m, (UINT64_C(3) << *order));
	if (rnd_below(m, 4) == 0)
		*nr = UINT64_C(1) << *order;
	if (*gfn + *nr > WINDOW)
		*nr = WINDOW - *gfn;
}

static void random_set(struct model *m)
{
	enum hv_mm_p2m_type type =
	    (enum hv_mm_p2m_type)rnd_below(m, HV_MM_P2M_NR_TYPES);
	unsigned int access = (unsigned int)rnd_below(m, 8), order;
	uint64_t gfn, nr, mfn;

	random_range(m, &gfn, &nr, &order);
	/* Frames mostly aligned like the guest range, sometimes not. */
	mfn = (rnd_below(m, UINT64_C(1) << (34 - order)) << order) +
	      (gfn & ((UINT64_C(1) << order) - 1));
	if (rnd_below(m, 8) == 0)
		mfn += 1 + rnd_below(m, 511);
	if (rnd_below(m, 5) == 0)
		type = HV_MM_P2M_INVALID;
	assert_int_equal(hv_mm_p2m_set(&m->p2m, NULL, hv_gfn(gfn), hv_mfn(mfn),
				       nr, type, access),
			 0);
	model_set(m, gfn, mfn, nr, type, access);
	check_page(m, gfn);
	check_page(m, gfn + nr - 1);
	if (gfn)
		check_page(m, gfn - 1);
	if (gfn + nr < WINDOW)
		check_page(m, gfn + nr);
}

static void random_access(struct model *m)
{
	unsigned int access = (unsigned int)rnd_below(m, 8), order;
	uint64_t gfn, nr;

	random_range(m, &gfn, &nr, &order);
	assert_int_equal(
	    hv_mm_p2m_set_access(&m->p2m, NULL, hv_gfn(gfn), nr, access), 0);
	model_access(m, gfn, nr, access);
}

static void random_grant(struct model *m)
{
	uint64_t gfn = rnd_below(m, WINDOW), mfn = rnd_below(m, 1u << 30);
	const struct model_page *p = &m->pages[gfn];
	bool granted =
	    p->type == HV_MM_P2M_GRANT_RW || p->type == HV_MM_P2M_GRANT_RO;
	int rc;

	if (granted) {
		assert_int_equal(hv_mm_p2m_grant_unmap(&m->p2m, NULL,
						       hv_gfn(gfn),
						       hv_mfn(p->mfn)),
				 0);
		model_set(m, gfn, 0, 1, HV_MM_P2M_INVALID, 0);
		return;
	}
	rc = hv_mm_p2m_grant_map(&m->p2m, NULL, hv_gfn(gfn), hv_mfn(mfn),
				 mfn & 1);
	assert_int_equal(rc, 0);
	model_set(m, gfn, mfn, 1,
		  (mfn & 1) ? HV_MM_P2M_GRANT_RO : HV_MM_P2M_GRANT_RW,
		  HV_MM_P2M_RWX);
}

struct minimal {
	struct model *m;
	uint64_t run_gfn, run_mfn, run_len;
	unsigned int run_order, run_type, run_access;
	uint64_t pages;
};

/* Could this piece extend the current run of same-sized entries towards a
 * mergeable group? */
static bool continues_run(const struct minimal *s, hv_gfn_t first,
			  const struct hv_mm_p2m_info *info)
{
	uint64_t size = UINT64_C(1) << info->order;
	bool framed = hv_mm_p2m_type_has_frame(info->type);

	return s->run_len && info->order == s->run_order &&
	       info->type == s->run_type && info->access == s->run_access &&
	       hv_gfn_x(first) == s->run_gfn + s->run_len * size &&
	       (!framed ||
		hv_mfn_x(info->mfn) == s->run_mfn + s->run_len * size);
}

/* Walk visitor: compare with the model, and fail on 512 mergeable entries
 * in a row (a group the engine should have merged). */
static int check_piece(void *ctx, hv_gfn_t first, uint64_t nr,
		       const struct hv_mm_p2m_info *info)
{
	struct minimal *s = ctx;
	uint64_t group = UINT64_C(1) << (info->order + 9);

	/* The walk holds the P2M's lock: compare with what it reports. */
	for (uint64_t i = 0; i < nr; i++) {
		const struct model_page *p = &s->m->pages[hv_gfn_x(first) + i];
		bool framed = hv_mm_p2m_type_has_frame(info->type);

		assert_int_equal(p->type, info->type);
		assert_int_equal(p->access, info->access);
		assert_int_equal(p->mfn, framed ? hv_mfn_x(info->mfn) + i
						: HV_INVALID_FRAME);
	}
	s->pages += nr;
	if (!continues_run(s, first, info)) {
		bool framed = hv_mm_p2m_type_has_frame(info->type);

		s->run_len = 0;
		if (info->order < 18 && !(hv_gfn_x(first) & (group - 1)) &&
		    (!framed || !(hv_mfn_x(info->mfn) & (group - 1)))) {
			s->run_gfn = hv_gfn_x(first);
			s->run_mfn = hv_mfn_x(info->mfn);
			s->run_order = info->order;
			s->run_type = info->type;
			s->run_access = info->access;
			s->run_len = 1;
		}
		return 0;
	}
	assert_true(++s->run_len < 512);
	return 0;
}

static void check_everything(struct model *m)
{
	struct minimal s = {.m = m};
	uint64_t mapped = 0;

	assert_int_equal(
	    hv_mm_p2m_walk(&m->p2m, hv_gfn(0), WINDOW, check_piece, &s), 0);
	for (uint64_t g = 0; g < WINDOW; g++)
		mapped += m->pages[g].type != HV_MM_P2M_INVALID;
	assert_int_equal(s.pages, mapped);
}

static void random_against_model(void **state)
{
	(void)state;
	for (size_t i = 0; i < test_nr_formats; i++) {
		struct model m = {.rng = 0x9e3779b97f4a7c15ull + i};

		m.pages = calloc(WINDOW, sizeof(*m.pages));
		assert_non_null(m.pages);
		for (uint64_t g = 0; g < WINDOW; g++)
			m.pages[g].mfn = HV_INVALID_FRAME;
		test_tables_init(&m.t);
		assert_int_equal(hv_mm_p2m_init(&m.p2m, test_formats[i],
						&test_table_ops, &m.t,
						HV_MM_P2M_ORDER_1G),
				 0);
		for (unsigned int op = 0; op < OPS; op++) {
			uint64_t kind = rnd_below(&m, 10);

			if (kind < 6)
				random_set(&m);
			else if (kind < 8)
				random_access(&m);
			else
				random_grant(&m);
			if (op % 100 == 99)
				check_everything(&m);
		}
		check_everything(&m);
		assert_int_equal(
		    hv_mm_p2m_remove(&m.p2m, NULL, hv_gfn(0), WINDOW), 0);
		assert_int_equal(m.t.live, 1);
		hv_mm_p2m_destroy(&m.p2m);
		assert_int_equal(m.t.live, 0);
		free(m.pages);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(random_against_model),
	};
	return cmocka_run_group_tests_name("mm-p2m-model", tests, NULL, NULL);
}
