/*
 * Two CPUs at once (the machine the suite runs on has two; more threads
 * than CPUs would only measure ticket-lock convoys): one thread maps and
 * unmaps a domain's grants as domain B; the other, in turn, does the same
 * as B with other grants, copies through the granter's grants as C, and
 * swaps and queries the granter's own table as A.  Both try each other's
 * grants too.  Every op must get the status it would get alone, and at the
 * end both sides must be exactly as before (flags, pins, references, P2Ms).
 */
#include "gnttab_test.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { A, B, C, D };

#define ROUNDS 1000u
#define NREFS  8u

enum work { MAP_UNMAP, COPY, SWAP };

/* One role a thread plays each round. */
struct worker {
	struct gt_world *w;
	unsigned int dom;
	uint64_t args; /* this role's argument page (guest address) */
	enum work work;
	grant_ref_t first;  /* its grants: first .. first + NREFS - 1 */
	grant_ref_t steal;  /* another's grant it tries: always refused */
	unsigned int wrong; /* ops whose status was not the expected one */
};

struct thread {
	pthread_t id;
	struct worker *roles;
	size_t nroles;
};

static int call(struct worker *k, unsigned int cmd, void *op, size_t size)
{
	struct gt_dom *d = gt_dom(k->w, k->dom);
	int rc;

	if (hv_gmem_copy_to(&d->gmem, k->args, op, size))
		return -1;
	rc = hv_gnttab_hypercall(d->g, &d->gmem, cmd, k->args, 1);
	if (hv_gmem_copy_from(&d->gmem, op, k->args, size))
		return -1;
	return rc;
}

static void expect(struct worker *k, int16_t got, int16_t want)
{
	if (got != want)
		k->wrong++;
}

static void map_unmap(struct worker *k, unsigned int round)
{
	grant_ref_t ref = k->first + round % NREFS;
	uint64_t gfn = GFN_MAP + ref;
	struct gnttab_map_grant_ref m = {
	    .host_addr = gfn << HV_PAGE_SHIFT,
	    .flags = GNTMAP_host_map | (round & 1 ? GNTMAP_readonly : 0),
	    .ref = ref,
	    .dom = gt_domid(A),
	};
	struct gnttab_unmap_grant_ref u = {.host_addr = m.host_addr};

	if (call(k, GNTTABOP_map_grant_ref, &m, sizeof(m)))
		k->wrong++;
	expect(k, m.status, GNTST_okay);
	u.handle = m.handle;
	if (call(k, GNTTABOP_unmap_grant_ref, &u, sizeof(u)))
		k->wrong++;
	expect(k, u.status, GNTST_okay);
	/* Someone else's grant: never ours, mapped or not. */
	m.ref = k->steal;
	m.status = 99;
	if (call(k, GNTTABOP_map_grant_ref, &m, sizeof(m)))
		k->wrong++;
	expect(k, m.status, GNTST_general_error);
}

static void copy(struct worker *k, unsigned int round)
{
	struct gnttab_copy c = {
	    .len = 64,
	    .flags = round & 1 ? GNTCOPY_source_gref : GNTCOPY_dest_gref,
	};
	struct gnttab_copy_ptr grant = {.domid = gt_domid(A),
					.offset = (uint16_t)(round % 64 * 64)};
	struct gnttab_copy_ptr own = {.domid = DOMID_SELF};

	grant.u.ref = k->first + round % NREFS;
	own.u.gmfn = GFN_DATA;
	c.source = round & 1 ? grant : own;
	c.dest = round & 1 ? own : grant;
	if (call(k, GNTTABOP_copy, &c, sizeof(c)))
		k->wrong++;
	expect(k, c.status, GNTST_okay);
}

static void swap_and_query(struct worker *k, unsigned int round)
{
	struct gnttab_swap_grant_ref s = {.ref_a = 300, .ref_b = 301};
	struct gnttab_query_size q = {.dom = DOMID_SELF};

	(void)round;
	if (call(k, GNTTABOP_swap_grant_ref, &s, sizeof(s)) ||
	    call(k, GNTTABOP_query_size, &q, sizeof(q)))
		k->wrong++;
	expect(k, s.status, GNTST_okay);
	expect(k, q.status, GNTST_okay);
}

static void play(struct worker *k, unsigned int round)
{
	switch (k->work) {
	case MAP_UNMAP:
		map_unmap(k, round);
		break;
	case COPY:
		copy(k, round);
		break;
	case SWAP:
		swap_and_query(k, round);
		break;
	}
}

static void *run(void *arg)
{
	struct thread *t = arg;

	for (unsigned int round = 0; round < ROUNDS; round++)
		for (size_t r = 0; r < t->nroles; r++)
			play(&t->roles[r], round);
	return NULL;
}

static void everything_at_once(void **state)
{
	struct gt_world *w = gt_world_new(4, NULL);
	uint64_t mfn = gt_mfn(w, A, GFN_DATA);
	struct worker one[] = {
	    {.dom = B, .args = ARGS_ADDR, .first = 16, .steal = 40},
	};
	struct worker two[] = {
	    {.dom = B, .args = (GFN_DATA + 20) << 12, .first = 24, .steal = 32},
	    {.dom = C, .args = ARGS_ADDR, .work = COPY, .first = 40},
	    {.dom = A, .args = ARGS_ADDR, .work = SWAP},
	    {.dom = D, .args = ARGS_ADDR, .first = 32, .steal = 16},
	};
	struct thread t[] = {{.roles = one, .nroles = HV_ARRAY_SIZE(one)},
			     {.roles = two, .nroles = HV_ARRAY_SIZE(two)}};

	(void)state;
	for (grant_ref_t r = 16; r < 16 + 2 * NREFS; r++)
		gt_grant(w, A, r, gt_domid(B), GFN_DATA, GTF_permit_access);
	for (grant_ref_t r = 32; r < 32 + NREFS; r++)
		gt_grant(w, A, r, gt_domid(D), GFN_DATA, GTF_permit_access);
	for (grant_ref_t r = 40; r < 40 + NREFS; r++)
		gt_grant(w, A, r, gt_domid(C), GFN_DATA, GTF_permit_access);
	for (size_t i = 0; i < HV_ARRAY_SIZE(t); i++) {
		for (size_t r = 0; r < t[i].nroles; r++)
			t[i].roles[r].w = w;
		assert_int_equal(pthread_create(&t[i].id, NULL, run, &t[i]), 0);
	}
	for (size_t i = 0; i < HV_ARRAY_SIZE(t); i++) {
		assert_int_equal(pthread_join(t[i].id, NULL), 0);
		for (size_t r = 0; r < t[i].nroles; r++)
			assert_int_equal(t[i].roles[r].wrong, 0);
	}
	for (grant_ref_t r = 16; r < 48; r++)
		assert_int_equal(gt_status(w, A, r), 0);
	assert_int_equal(gt_info(w, A).active_grants, 0);
	assert_int_equal(gt_info(w, B).maptrack_used, 0);
	assert_int_equal(gt_info(w, D).maptrack_used, 0);
	assert_int_equal(gt_refs(w, mfn), 1);
	for (grant_ref_t r = 16; r < 40; r++) {
		assert_int_equal(gt_type(w, B, GFN_MAP + r), HV_MM_P2M_INVALID);
		assert_int_equal(gt_type(w, D, GFN_MAP + r), HV_MM_P2M_INVALID);
	}
	assert_int_equal(w->gets, w->puts);
	gt_world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(everything_at_once),
	};
	return cmocka_run_group_tests_name("gnttab-concurrency", tests, NULL,
					   NULL);
}
