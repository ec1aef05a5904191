/*
 * GNTTABOP_map_grant_ref, _unmap_grant_ref, _unmap_and_replace: a domain
 * grants a frame, another maps it read-write and read-only into its P2M
 * as grant mappings, and unmaps; the granter cannot end access while it is
 * mapped; every bad flag, domain, reference, entry, frame, address and
 * handle gets Xen's status and leaves both domains as they were (P2M
 * contents, frame references, flags, maptrack, pins).
 */
#include "gnttab_test.h"

#include <hv/arm_stage2.h>
#include <hv/x86_npt.h>

#include <stdlib.h>
#include <string.h>

enum { A, B, C };

#define REF 10u
#define MAP GFN_MAP

static const struct hv_mm_p2m_format *fmt_of(void **state)
{
	return *state ? (const struct hv_mm_p2m_format *)*state : &hv_x86_npt;
}

static struct gt_world *world(void **state, unsigned int n)
{
	struct gt_opts o = {.fmt = fmt_of(state)};

	return gt_world_new(n, &o);
}

/* Neither domain holds or shows anything of a grant. */
static void assert_untouched(struct gt_world *w, uint64_t mfn, uint32_t refs)
{
	assert_int_equal(gt_status(w, A, REF), 0);
	assert_int_equal(gt_refs(w, mfn), refs);
	assert_int_equal(gt_info(w, A).active_grants, 0);
	assert_int_equal(gt_info(w, B).maptrack_used, 0);
	assert_int_equal(gt_type(w, B, MAP), HV_MM_P2M_INVALID);
}

static void map_rw_ro_unmap(void **state)
{
	struct gt_world *w = world(state, 2);
	uint64_t mfn = gt_mfn(w, A, GFN_DATA);
	struct hv_gnttab_grant_info gi;
	struct hv_mm_p2m_info info;
	grant_handle_t hw, hr;

	memset(gt_page(w, A, GFN_DATA), 0x42, HV_PAGE_SIZE);
	gt_grant(w, A, REF, gt_domid(B), GFN_DATA, GTF_permit_access);
	assert_int_equal(gt_refs(w, mfn), 1);

	/* Read-write: a GRANT_RW entry of A's frame in B's P2M. */
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), REF, MAP, GNTMAP_host_map, &hw),
	    GNTST_okay);
	assert_int_equal(
	    hv_mm_p2m_lookup(&gt_dom(w, B)->td.p2m, hv_gfn(MAP), &info), 0);
	assert_int_equal(info.type, HV_MM_P2M_GRANT_RW);
	assert_int_equal(info.access, HV_MM_P2M_RW);
	assert_int_equal(hv_mfn_x(info.mfn), mfn);
	assert_int_equal(test_ram_page(&w->m.ram, mfn)[17], 0x42);
	assert_int_equal(gt_status(w, A, REF), GTF_reading | GTF_writing);
	assert_int_equal(gt_refs(w, mfn), 2);
	assert_false(gt_end_access(w, A, REF));
	assert_int_equal(hv_gnttab_query_grant(gt_dom(w, A)->g, REF, &gi), 0);
	assert_int_equal(gi.domid, gt_domid(B));
	assert_int_equal(gi.pins_rw, 1);
	assert_int_equal(gi.pins_ro, 0);
	assert_int_equal(hv_mfn_x(gi.mfn), mfn);

	/* Read-only, the same grant again: GRANT_RO, read access only. */
	assert_int_equal(gt_map(w, B, gt_domid(A), REF, MAP + 1,
				GNTMAP_host_map | GNTMAP_readonly, &hr),
			 GNTST_okay);
	assert_int_not_equal(hr, hw);
	assert_int_equal(
	    hv_mm_p2m_lookup(&gt_dom(w, B)->td.p2m, hv_gfn(MAP + 1), &info), 0);
	assert_int_equal(info.type, HV_MM_P2M_GRANT_RO);
	assert_int_equal(info.access, HV_MM_P2M_R);
	assert_int_equal(gt_refs(w, mfn), 3);
	assert_int_equal(gt_info(w, B).maptrack_used, 2);
	assert_int_equal(gt_info(w, A).active_grants, 1);

	/* The writable mapping goes: only GTF_reading stays. */
	assert_int_equal(gt_unmap(w, B, MAP, hw), GNTST_okay);
	assert_int_equal(gt_type(w, B, MAP), HV_MM_P2M_INVALID);
	assert_int_equal(gt_status(w, A, REF), GTF_reading);
	assert_int_equal(gt_refs(w, mfn), 2);
	assert_false(gt_end_access(w, A, REF));

	/* The last one goes: the granter may end access. */
	assert_int_equal(gt_unmap(w, B, MAP + 1, hr), GNTST_okay);
	assert_int_equal(gt_type(w, B, MAP + 1), HV_MM_P2M_INVALID);
	assert_int_equal(gt_status(w, A, REF), 0);
	assert_int_equal(gt_refs(w, mfn), 1);
	assert_int_equal(gt_info(w, A).active_grants, 0);
	assert_int_equal(gt_info(w, B).maptrack_used, 0);
	assert_true(gt_end_access(w, A, REF));
	/* Twice is once too many. */
	assert_int_equal(gt_unmap(w, B, MAP + 1, hr), GNTST_bad_handle);
	gt_world_free(w);
}

/* Unmapping flushes B's TLB before the granter sees its flags clear. */
static void unmap_flushes_before_release(void **state)
{
	struct gt_world *w = world(state, 2);
	struct test_tables *t = &gt_dom(w, B)->td.t;
	grant_handle_t h[3];
	struct gnttab_unmap_grant_ref ops[3];
	unsigned long flushes;

	hv_mm_p2m_activate(&gt_dom(w, B)->td.p2m);
	gt_grant(w, A, REF, gt_domid(B), GFN_DATA, GTF_permit_access);
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(gt_map(w, B, gt_domid(A), REF, MAP + i,
					GNTMAP_host_map, &h[i]),
				 GNTST_okay);
	flushes = t->flushes;
	for (unsigned int i = 0; i < 3; i++)
		ops[i] = (struct gnttab_unmap_grant_ref){
		    .host_addr = (uint64_t)(MAP + i) << HV_PAGE_SHIFT,
		    .handle = h[i],
		};
	assert_int_equal(
	    gt_call(w, B, GNTTABOP_unmap_grant_ref, ops, sizeof(ops[0]), 3), 0);
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(ops[i].status, GNTST_okay);
	/* One flush for the three unmaps. */
	assert_int_equal(t->flushes, flushes + 1);
	assert_int_equal(gt_status(w, A, REF), 0);
	gt_world_free(w);
}

static void readonly_grant(void **state)
{
	struct gt_world *w = world(state, 2);
	uint64_t mfn = gt_mfn(w, A, GFN_DATA);
	grant_handle_t h;

	gt_grant(w, A, REF, gt_domid(B), GFN_DATA,
		 GTF_permit_access | GTF_readonly);
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), REF, MAP, GNTMAP_host_map, &h),
	    GNTST_general_error);
	assert_untouched(w, mfn, 1);
	assert_int_equal(gt_map(w, B, gt_domid(A), REF, MAP,
				GNTMAP_host_map | GNTMAP_readonly, &h),
			 GNTST_okay);
	assert_int_equal(gt_status(w, A, REF), GTF_reading);
	/* Upgrading to writable is refused, and leaves the reader alone. */
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), REF, MAP + 1, GNTMAP_host_map, NULL),
	    GNTST_general_error);
	assert_int_equal(gt_status(w, A, REF), GTF_reading);
	assert_int_equal(gt_refs(w, mfn), 2);
	assert_int_equal(gt_unmap(w, B, MAP, h), GNTST_okay);
	assert_untouched(w, mfn, 1);
	gt_world_free(w);
}

struct bad_map {
	const char *what;
	uint32_t flags;	 /* GNTMAP_* */
	int dom;	 /* -1: A, -2: DOMID_SELF, else a domid */
	grant_ref_t ref; /* REF unless set */
	uint64_t host;	 /* MAP unless set */
	int16_t status;
};

static void map_bad_cases(void **state)
{
	const uint32_t hm = GNTMAP_host_map;
	const struct bad_map cases[] = {
	    {"no map flag", 0, -1, 0, 0, GNTST_bad_gntref},
	    {"readonly only", GNTMAP_readonly, -1, 0, 0, GNTST_bad_gntref},
	    {"device map", GNTMAP_device_map, -1, 0, 0, GNTST_general_error},
	    {"device+host", hm | GNTMAP_device_map, -1, 0, 0,
	     GNTST_general_error},
	    {"application map", hm | GNTMAP_application_map, -1, 0, 0,
	     GNTST_general_error},
	    {"contains pte", hm | GNTMAP_contains_pte, -1, 0, 0,
	     GNTST_general_error},
	    {"guest avail bit", hm | (1u << _GNTMAP_guest_avail0), -1, 0, 0,
	     GNTST_general_error},
	    {"unknown domain", hm, 77, 0, 0, GNTST_bad_domain},
	    {"DOMID_SELF", hm, -2, 0, 0, GNTST_bad_domain},
	    {"hidden domain", hm, 3, 0, 0, GNTST_bad_domain},
	    {"ref past the table", hm, -1, 512, 0, GNTST_bad_gntref},
	    {"ref far past", hm, -1, 0xffffffffu, 0, GNTST_bad_gntref},
	    {"entry not granted", hm, -1, 11, 0, GNTST_general_error},
	    {"granted to another", hm, -1, 12, 0, GNTST_general_error},
	    {"accept_transfer", hm, -1, 13, 0, GNTST_general_error},
	    {"hole", hm, -1, 14, 0, GNTST_bad_page},
	    {"paged out", hm, -1, 15, 0, GNTST_eagain},
	    {"mmio", hm, -1, 16, 0, GNTST_bad_page},
	    {"table frame", hm, -1, 17, 0, GNTST_bad_page},
	    {"sub page bit (v1)", hm, -1, 18, 0, GNTST_general_error},
	    {"host gfn past the P2M", hm, -1, 0, UINT64_C(1) << 40,
	     GNTST_general_error},
	    {"over another grant", hm, -1, 0, MAP + 1, GNTST_general_error},
	};
	struct gt_world *w = world(state, 3);
	uint64_t mfn = gt_mfn(w, A, GFN_DATA);
	struct hv_mm_p2m *p2m = &gt_dom(w, A)->td.p2m;

	gt_dom(w, C)->hidden = true;
	gt_grant(w, A, REF, gt_domid(B), GFN_DATA, GTF_permit_access);
	gt_grant(w, A, 12, gt_domid(C), GFN_DATA, GTF_permit_access);
	gt_grant(w, A, 13, gt_domid(B), GFN_DATA, GTF_accept_transfer);
	gt_grant(w, A, 14, gt_domid(B), GFN_HOLE, GTF_permit_access);
	assert_int_equal(hv_mm_p2m_set(p2m, NULL, hv_gfn(GFN_HOLE + 1),
				       hv_mfn(0), 1, HV_MM_P2M_PAGED_OUT, 0),
			 0);
	gt_grant(w, A, 15, gt_domid(B), GFN_HOLE + 1, GTF_permit_access);
	assert_int_equal(hv_mm_p2m_set(p2m, NULL, hv_gfn(GFN_HOLE + 2),
				       hv_mfn(0x10), 1, HV_MM_P2M_MMIO,
				       HV_MM_P2M_RW),
			 0);
	gt_grant(w, A, 16, gt_domid(B), GFN_HOLE + 2, GTF_permit_access);
	gt_grant(w, A, 17, gt_domid(B), GFN_GT, GTF_permit_access);
	gt_grant(w, A, 18, gt_domid(B), GFN_DATA,
		 GTF_permit_access | GTF_sub_page);
	/* Something else already mapped at MAP + 1 (a grant of C's). */
	gt_grant(w, C, 1, gt_domid(B), GFN_DATA, GTF_permit_access);
	gt_dom(w, C)->hidden = false;
	assert_int_equal(
	    gt_map(w, B, gt_domid(C), 1, MAP + 1, GNTMAP_host_map, NULL),
	    GNTST_okay);
	gt_dom(w, C)->hidden = true;

	for (size_t i = 0; i < HV_ARRAY_SIZE(cases); i++) {
		const struct bad_map *b = &cases[i];
		hv_domid_t dom = b->dom == -1	? gt_domid(A)
				 : b->dom == -2 ? DOMID_SELF
						: (hv_domid_t)b->dom;

		print_message("%s\n", b->what);
		assert_int_equal(gt_map(w, B, dom, b->ref ? b->ref : REF,
					b->host ? b->host : MAP, b->flags,
					NULL),
				 b->status);
		assert_int_equal(
		    gt_status(w, A, b->ref && b->ref < 512 ? b->ref : REF), 0);
		assert_int_equal(gt_refs(w, mfn), 1);
		assert_int_equal(gt_info(w, A).active_grants, 0);
		assert_int_equal(gt_info(w, B).maptrack_used, 1);
		assert_int_equal(gt_type(w, B, MAP), HV_MM_P2M_INVALID);
		assert_int_equal(gt_type(w, B, MAP + 1), HV_MM_P2M_GRANT_RW);
	}
	gt_dom(w, C)->hidden = false;
	gt_world_free(w);
}

/* A grant in use by one domain cannot be used by another at once. */
static void pinned_by_another(void **state)
{
	struct gt_world *w = world(state, 3);
	grant_handle_t h;

	gt_grant(w, A, REF, gt_domid(B), GFN_DATA, GTF_permit_access);
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), REF, MAP, GNTMAP_host_map, &h),
	    GNTST_okay);
	/* The guest re-grants it to C while B still maps it. */
	gt_grant(w, A, REF, gt_domid(C), GFN_DATA,
		 GTF_permit_access | GTF_reading | GTF_writing);
	assert_int_equal(
	    gt_map(w, C, gt_domid(A), REF, MAP, GNTMAP_host_map, NULL),
	    GNTST_general_error);
	assert_int_equal(gt_info(w, C).maptrack_used, 0);
	assert_int_equal(gt_type(w, C, MAP), HV_MM_P2M_INVALID);
	assert_int_equal(gt_unmap(w, B, MAP, h), GNTST_okay);
	assert_int_equal(gt_status(w, A, REF), 0);
	gt_world_free(w);
}

/* 128 uses of one kind per grant at most (Xen's 8-bit pin counts). */
static void pin_count_limit(void **state)
{
	struct gt_opts o = {.max_maptrack_frames = 1, .fmt = fmt_of(state)};
	struct gt_world *w = gt_world_new(2, &o);
	uint64_t mfn = gt_mfn(w, A, GFN_DATA);
	grant_handle_t h[128];

	gt_grant(w, A, REF, gt_domid(B), GFN_DATA, GTF_permit_access);
	for (unsigned int i = 0; i < 128; i++)
		assert_int_equal(gt_map(w, B, gt_domid(A), REF, MAP + i,
					GNTMAP_host_map | GNTMAP_readonly,
					&h[i]),
				 GNTST_okay);
	assert_int_equal(gt_map(w, B, gt_domid(A), REF, MAP + 128,
				GNTMAP_host_map | GNTMAP_readonly, NULL),
			 GNTST_general_error);
	assert_int_equal(gt_refs(w, mfn), 129);
	for (unsigned int i = 0; i < 128; i++)
		assert_int_equal(gt_unmap(w, B, MAP + i, h[i]), GNTST_okay);
	assert_untouched(w, mfn, 1);
	gt_world_free(w);
}

static void maptrack_exhausted(void **state)
{
	const unsigned int per = HV_GNTTAB_MAPTRACK_PER_FRAME;
	struct gt_opts o = {.max_maptrack_frames = 1, .fmt = fmt_of(state)};
	struct gt_world *w = gt_world_new(2, &o);
	uint64_t mfn = gt_mfn(w, A, GFN_DATA);
	grant_handle_t *h = calloc(per, sizeof(*h));

	for (grant_ref_t ref = 0; ref <= per; ref++)
		gt_grant(w, A, ref, gt_domid(B), GFN_DATA, GTF_permit_access);
	for (unsigned int i = 0; i < per; i++)
		assert_int_equal(gt_map(w, B, gt_domid(A), i, MAP + i,
					GNTMAP_host_map, &h[i]),
				 GNTST_okay);
	assert_int_equal(gt_info(w, B).nr_maptrack_frames, 1);
	/* The limit: Xen's "out of space (handles)". */
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), per, MAP + per, GNTMAP_host_map, NULL),
	    GNTST_no_space);
	assert_int_equal(gt_status(w, A, per), 0);
	assert_int_equal(gt_type(w, B, MAP + per), HV_MM_P2M_INVALID);
	assert_int_equal(gt_refs(w, mfn), 1 + per);
	/* A handle given back can be taken again. */
	assert_int_equal(gt_unmap(w, B, MAP + 7, h[7]), GNTST_okay);
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), per, MAP + per, GNTMAP_host_map, &h[7]),
	    GNTST_okay);
	gt_world_free(w);
	free(h);
}

/* The allocator refusing a maptrack frame is the same as the limit. */
static void maptrack_alloc_fails(void **state)
{
	struct gt_world *w = world(state, 2);
	grant_handle_t h;

	gt_grant(w, A, REF, gt_domid(B), GFN_DATA, GTF_permit_access);
	w->fail_after = 0;
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), REF, MAP, GNTMAP_host_map, NULL),
	    GNTST_no_space);
	assert_untouched(w, gt_mfn(w, A, GFN_DATA), 1);
	w->fail_after = -1;
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), REF, MAP, GNTMAP_host_map, &h),
	    GNTST_okay);
	assert_int_equal(gt_unmap(w, B, MAP, h), GNTST_okay);
	gt_world_free(w);
}

static int16_t unmap_op(struct gt_world *w, unsigned int i,
			struct gnttab_unmap_grant_ref op)
{
	op.status = 99;
	assert_int_equal(
	    gt_call(w, i, GNTTABOP_unmap_grant_ref, &op, sizeof(op), 1), 0);
	return op.status;
}

static int16_t replace_op(struct gt_world *w, unsigned int i,
			  struct gnttab_unmap_and_replace op)
{
	op.status = 99;
	assert_int_equal(
	    gt_call(w, i, GNTTABOP_unmap_and_replace, &op, sizeof(op), 1), 0);
	return op.status;
}

static void unmap_bad_cases(void **state)
{
	struct gt_world *w = world(state, 2);
	uint64_t mfn = gt_mfn(w, A, GFN_DATA);
	uint64_t at = (uint64_t)MAP << HV_PAGE_SHIFT;
	grant_handle_t h;

	gt_grant(w, A, REF, gt_domid(B), GFN_DATA, GTF_permit_access);
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), REF, MAP, GNTMAP_host_map, &h),
	    GNTST_okay);
	/* Handles past the table, and free ones. */
	assert_int_equal(gt_unmap(w, B, MAP, 100000), GNTST_bad_handle);
	assert_int_equal(gt_unmap(w, B, MAP, h + 1), GNTST_bad_handle);
	assert_int_equal(gt_unmap(w, B, MAP, h + 300), GNTST_bad_handle);
	/* Not where it was mapped (Xen would take any gfn mapping the frame,
	 * hvkit only the one the handle mapped). */
	assert_int_equal(gt_unmap(w, B, MAP + 1, h), GNTST_general_error);
	/* The wrong machine address. */
	assert_int_equal(unmap_op(w, B,
				  (struct gnttab_unmap_grant_ref){
				      .host_addr = at,
				      .dev_bus_addr = (mfn + 1) << 12,
				      .handle = h}),
			 GNTST_general_error);
	/* Nothing asked for: Xen says okay and keeps the mapping. */
	assert_int_equal(
	    unmap_op(w, B, (struct gnttab_unmap_grant_ref){.handle = h}),
	    GNTST_okay);
	/* A replacement mapping is not possible in a translated guest. */
	assert_int_equal(replace_op(w, B,
				    (struct gnttab_unmap_and_replace){
					.host_addr = at,
					.new_addr = at + HV_PAGE_SIZE,
					.handle = h}),
			 GNTST_general_error);
	assert_int_equal(gt_type(w, B, MAP), HV_MM_P2M_GRANT_RW);
	assert_int_equal(gt_refs(w, mfn), 2);
	assert_int_equal(gt_status(w, A, REF), GTF_reading | GTF_writing);
	assert_int_equal(gt_info(w, B).maptrack_used, 1);
	/* The right machine address is accepted, as with none. */
	assert_int_equal(
	    unmap_op(w, B,
		     (struct gnttab_unmap_grant_ref){.host_addr = at,
						     .dev_bus_addr = mfn << 12,
						     .handle = h}),
	    GNTST_okay);
	assert_untouched(w, mfn, 1);
	gt_world_free(w);
}

/* unmap_and_replace with no new address is an unmap. */
static void unmap_and_replace(void **state)
{
	struct gt_world *w = world(state, 2);
	uint64_t mfn = gt_mfn(w, A, GFN_DATA);
	grant_handle_t h;

	gt_grant(w, A, REF, gt_domid(B), GFN_DATA, GTF_permit_access);
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), REF, MAP, GNTMAP_host_map, &h),
	    GNTST_okay);
	assert_int_equal(
	    replace_op(
		w, B,
		(struct gnttab_unmap_and_replace){
		    .host_addr = (uint64_t)MAP << HV_PAGE_SHIFT, .handle = h}),
	    GNTST_okay);
	assert_untouched(w, mfn, 1);
	assert_int_equal(
	    replace_op(
		w, B,
		(struct gnttab_unmap_and_replace){
		    .host_addr = (uint64_t)MAP << HV_PAGE_SHIFT, .handle = h}),
	    GNTST_bad_handle);
	gt_world_free(w);
}

/* Several ops per call, each with its own status. */
static void arrays_of_ops(void **state)
{
	struct gt_world *w = world(state, 2);
	struct gnttab_map_grant_ref m[3];
	struct gnttab_unmap_grant_ref u[3];

	gt_grant(w, A, REF, gt_domid(B), GFN_DATA, GTF_permit_access);
	for (unsigned int i = 0; i < 3; i++)
		m[i] = (struct gnttab_map_grant_ref){
		    .host_addr = (uint64_t)(MAP + i) << HV_PAGE_SHIFT,
		    .flags = GNTMAP_host_map,
		    .ref = i == 1 ? 4096 : REF,
		    .dom = gt_domid(A),
		};
	assert_int_equal(
	    gt_call(w, B, GNTTABOP_map_grant_ref, m, sizeof(m[0]), 3), 0);
	assert_int_equal(m[0].status, GNTST_okay);
	assert_int_equal(m[1].status, GNTST_bad_gntref);
	assert_int_equal(m[2].status, GNTST_okay);
	assert_int_equal(m[0].dev_bus_addr, gt_mfn(w, A, GFN_DATA) << 12);
	for (unsigned int i = 0; i < 3; i++)
		u[i] = (struct gnttab_unmap_grant_ref){
		    .host_addr = m[i].host_addr,
		    .handle = i == 1 ? 999 : m[i].handle,
		};
	assert_int_equal(
	    gt_call(w, B, GNTTABOP_unmap_grant_ref, u, sizeof(u[0]), 3), 0);
	assert_int_equal(u[0].status, GNTST_okay);
	assert_int_equal(u[1].status, GNTST_bad_handle);
	assert_int_equal(u[2].status, GNTST_okay);
	assert_untouched(w, gt_mfn(w, A, GFN_DATA), 1);
	/* More than one flush batch (32) in one call. */
	{
		struct gnttab_map_grant_ref mm[40];
		struct gnttab_unmap_grant_ref uu[40];

		for (unsigned int i = 0; i < 40; i++)
			mm[i] = (struct gnttab_map_grant_ref){
			    .host_addr = (uint64_t)(MAP + i) << HV_PAGE_SHIFT,
			    .flags = GNTMAP_host_map | GNTMAP_readonly,
			    .ref = REF,
			    .dom = gt_domid(A),
			};
		assert_int_equal(gt_call(w, B, GNTTABOP_map_grant_ref, mm,
					 sizeof(mm[0]), 40),
				 0);
		for (unsigned int i = 0; i < 40; i++) {
			assert_int_equal(mm[i].status, GNTST_okay);
			uu[i] = (struct gnttab_unmap_grant_ref){
			    .host_addr = mm[i].host_addr,
			    .handle = mm[i].handle,
			};
		}
		assert_int_equal(gt_call(w, B, GNTTABOP_unmap_grant_ref, uu,
					 sizeof(uu[0]), 40),
				 0);
		for (unsigned int i = 0; i < 40; i++)
			assert_int_equal(uu[i].status, GNTST_okay);
	}
	assert_untouched(w, gt_mfn(w, A, GFN_DATA), 1);
	gt_world_free(w);
}

/* An unreadable argument: -EFAULT, and the ops before it are done. */
static void faulting_arguments(void **state)
{
	struct gt_world *w = world(state, 2);
	struct gt_dom *b = gt_dom(w, B);
	/* Two ops; the second lies past the end of B's RAM. */
	uint64_t at = (uint64_t)RAM_PAGES * HV_PAGE_SIZE -
		      sizeof(struct gnttab_map_grant_ref);
	struct gnttab_map_grant_ref op = {
	    .host_addr = (uint64_t)MAP << HV_PAGE_SHIFT,
	    .flags = GNTMAP_host_map,
	    .ref = REF,
	    .dom = gt_domid(A),
	};
	struct gnttab_unmap_grant_ref u;

	gt_grant(w, A, REF, gt_domid(B), GFN_DATA, GTF_permit_access);
	assert_int_equal(hv_gnttab_hypercall(b->g, &b->gmem,
					     GNTTABOP_map_grant_ref,
					     (uint64_t)GFN_HOLE << 12, 1),
			 -HV_EFAULT);
	assert_untouched(w, gt_mfn(w, A, GFN_DATA), 1);
	assert_int_equal(hv_gmem_copy_to(&b->gmem, at, &op, sizeof(op)), 0);
	assert_int_equal(
	    hv_gnttab_hypercall(b->g, &b->gmem, GNTTABOP_map_grant_ref, at, 2),
	    -HV_EFAULT);
	assert_int_equal(hv_gmem_copy_from(&b->gmem, &op, at, sizeof(op)), 0);
	assert_int_equal(op.status, GNTST_okay);
	assert_int_equal(gt_type(w, B, MAP), HV_MM_P2M_GRANT_RW);
	/* The same for unmap: the first is done (and completed). */
	u = (struct gnttab_unmap_grant_ref){.host_addr = op.host_addr,
					    .handle = op.handle};
	at = (uint64_t)RAM_PAGES * HV_PAGE_SIZE - sizeof(u);
	assert_int_equal(hv_gmem_copy_to(&b->gmem, at, &u, sizeof(u)), 0);
	assert_int_equal(hv_gnttab_hypercall(b->g, &b->gmem,
					     GNTTABOP_unmap_grant_ref, at, 2),
			 -HV_EFAULT);
	assert_untouched(w, gt_mfn(w, A, GFN_DATA), 1);
	/* An argument wrapping around the address space. */
	assert_int_equal(hv_gnttab_hypercall(b->g, &b->gmem,
					     GNTTABOP_map_grant_ref,
					     UINT64_MAX - 8, 1),
			 -HV_EFAULT);
	gt_world_free(w);
}

/* An op that crosses a page boundary of the array reads and writes back
 * as well as one within a page. */
static void ops_across_pages(void **state)
{
	struct gt_world *w = world(state, 2);
	struct gt_dom *b = gt_dom(w, B);
	struct gnttab_map_grant_ref m[3];
	struct gnttab_unmap_grant_ref u[3];
	/* m[1] starts 16 bytes before the end of the ARGS page. */
	uint64_t at = ARGS_ADDR + HV_PAGE_SIZE - sizeof(m[0]) - 16;

	gt_grant(w, A, REF, gt_domid(B), GFN_DATA, GTF_permit_access);
	for (unsigned int i = 0; i < 3; i++)
		m[i] = (struct gnttab_map_grant_ref){
		    .host_addr = (uint64_t)(MAP + i) << HV_PAGE_SHIFT,
		    .flags = GNTMAP_host_map,
		    .ref = REF,
		    .dom = gt_domid(A),
		};
	assert_int_equal(hv_gmem_copy_to(&b->gmem, at, m, sizeof(m)), 0);
	assert_int_equal(
	    hv_gnttab_hypercall(b->g, &b->gmem, GNTTABOP_map_grant_ref, at, 3),
	    0);
	assert_int_equal(hv_gmem_copy_from(&b->gmem, m, at, sizeof(m)), 0);
	for (unsigned int i = 0; i < 3; i++) {
		assert_int_equal(m[i].status, GNTST_okay);
		assert_int_equal(gt_type(w, B, MAP + i), HV_MM_P2M_GRANT_RW);
		u[i] = (struct gnttab_unmap_grant_ref){
		    .host_addr = m[i].host_addr,
		    .handle = m[i].handle,
		    .status = 99,
		};
	}
	/* u[1]'s status (bytes 20-21) crosses the boundary. */
	at = ARGS_ADDR + HV_PAGE_SIZE - sizeof(u[0]) - 21;
	assert_int_equal(hv_gmem_copy_to(&b->gmem, at, u, sizeof(u)), 0);
	assert_int_equal(hv_gnttab_hypercall(b->g, &b->gmem,
					     GNTTABOP_unmap_grant_ref, at, 3),
			 0);
	assert_int_equal(hv_gmem_copy_from(&b->gmem, u, at, sizeof(u)), 0);
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(u[i].status, GNTST_okay);
	assert_untouched(w, gt_mfn(w, A, GFN_DATA), 1);
	gt_world_free(w);
}

/* A guest-virtual address space, as an image's hypercalls see: virtual
 * page n is guest frame n - VIRT_SHIFT. */
#define VIRT_SHIFT 0x40000u

static int shifted(void *ctx, hv_gfn_t page, unsigned int access, void **host)
{
	if (hv_gfn_x(page) < VIRT_SHIFT)
		return -HV_EFAULT;
	return hv_mm_gpa_translate(ctx, hv_gfn(hv_gfn_x(page) - VIRT_SHIFT),
				   access, host);
}

/*
 * A map over the page that holds the op array: writing the op's result
 * back faults, as in Xen, whose guest accessors reach RAM only (not the
 * granted page now there); the map itself is done, the next op is not
 * read, and the RAM that was there goes once the call is over.  The same
 * whether the array is named by its guest-physical or a virtual address.
 */
static void map_over_own_ops_through(void **state, bool virt)
{
	struct gt_world *w = world(state, 2);
	struct gt_dom *b = gt_dom(w, B);
	uint64_t ram = gt_mfn(w, B, GFN_ARGS);
	uint64_t at = ARGS_ADDR + (virt ? (uint64_t)VIRT_SHIFT << 12 : 0);
	struct gnttab_map_grant_ref m[2];
	struct hv_gmem gm = b->gmem;

	if (virt)
		hv_gmem_init(&gm, shifted, &b->td.d, 48);
	gt_grant(w, A, REF, gt_domid(B), GFN_DATA, GTF_permit_access);
	for (unsigned int i = 0; i < 2; i++)
		m[i] = (struct gnttab_map_grant_ref){
		    .host_addr = i ? (uint64_t)MAP << HV_PAGE_SHIFT : ARGS_ADDR,
		    .flags = GNTMAP_host_map,
		    .ref = REF,
		    .dom = gt_domid(A),
		};
	assert_int_equal(hv_gmem_copy_to(&gm, at, m, sizeof(m)), 0);
	assert_int_equal(
	    hv_gnttab_hypercall(b->g, &gm, GNTTABOP_map_grant_ref, at, 2),
	    -HV_EFAULT);
	assert_int_equal(gt_type(w, B, GFN_ARGS), HV_MM_P2M_GRANT_RW);
	assert_int_equal(gt_type(w, B, MAP), HV_MM_P2M_INVALID);
	assert_int_equal(gt_refs(w, ram), 0);
	gt_world_free(w);
}

static void map_over_own_ops(void **state)
{
	map_over_own_ops_through(state, false);
}

static void map_over_own_ops_virtual(void **state)
{
	map_over_own_ops_through(state, true);
}

/* Guest accessors that reach grant mappings too: an embedder's choice
 * (hv_mm_gpa_translate, like Xen's, reaches RAM only). */
static int any_frame(void *ctx, hv_gfn_t gfn, unsigned int access, void **page)
{
	struct hv_mm_domain *d = ctx;
	struct hv_mm_p2m_info info;

	(void)access;
	if (hv_mm_p2m_lookup(d->p2m, gfn, &info) ||
	    !hv_mm_p2m_type_has_frame(info.type))
		return -HV_EFAULT;
	*page =
	    d->p2m->ops->phys_to_virt(d->p2m->ctx, hv_mfn_to_paddr(info.mfn));
	return 0;
}

/* An unmap of the granted page that holds the op array: the unmap is
 * done and writing its status back faults, the page being gone. */
static void unmap_own_ops(void **state)
{
	struct gt_world *w = world(state, 2);
	struct gt_dom *b = gt_dom(w, B);
	uint64_t at = (uint64_t)MAP << HV_PAGE_SHIFT;
	struct gnttab_unmap_grant_ref *granted;
	struct hv_gmem gm;
	grant_handle_t h;

	hv_gmem_init(&gm, any_frame, &b->td.d, 48);
	gt_grant(w, A, REF, gt_domid(B), GFN_DATA, GTF_permit_access);
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), REF, MAP, GNTMAP_host_map, &h),
	    GNTST_okay);
	granted = gt_page(w, A, GFN_DATA);
	for (unsigned int i = 0; i < 2; i++)
		granted[i] = (struct gnttab_unmap_grant_ref){
		    .host_addr = at, .handle = h, .status = 99};
	assert_int_equal(
	    hv_gnttab_hypercall(b->g, &gm, GNTTABOP_unmap_grant_ref, at, 2),
	    -HV_EFAULT);
	assert_int_equal(granted[0].status, 99);
	assert_untouched(w, gt_mfn(w, A, GFN_DATA), 1);
	gt_world_free(w);
}

static void call_checks(void **state)
{
	struct gt_world *w = world(state, 1);
	struct gt_dom *a = gt_dom(w, A);

	assert_int_equal(hv_gnttab_hypercall(a->g, &a->gmem,
					     GNTTABOP_map_grant_ref, ARGS_ADDR,
					     0x80000000u),
			 -HV_EINVAL);
	assert_int_equal(hv_gnttab_hypercall(a->g, &a->gmem,
					     GNTTABOP_map_grant_ref | 0x1000,
					     ARGS_ADDR, 1),
			 -HV_EINVAL);
	assert_int_equal(hv_gnttab_hypercall(a->g, &a->gmem,
					     GNTTABOP_dump_table, ARGS_ADDR, 1),
			 -HV_ENOSYS);
	assert_int_equal(hv_gnttab_hypercall(a->g, &a->gmem, 13, ARGS_ADDR, 1),
			 -HV_ENOSYS);
	assert_int_equal(
	    hv_gnttab_hypercall(a->g, &a->gmem, 0xfff, ARGS_ADDR, 1),
	    -HV_ENOSYS);
	/* No ops: nothing read, nothing done. */
	assert_int_equal(hv_gnttab_hypercall(a->g, &a->gmem,
					     GNTTABOP_map_grant_ref,
					     (uint64_t)GFN_HOLE << 12, 0),
			 0);
	gt_world_free(w);
}

/* A domain may map its own grant by its id (not by DOMID_SELF). */
static void map_own_grant(void **state)
{
	struct gt_world *w = world(state, 1);
	uint64_t mfn = gt_mfn(w, A, GFN_DATA);
	grant_handle_t h;

	gt_grant(w, A, REF, gt_domid(A), GFN_DATA, GTF_permit_access);
	assert_int_equal(
	    gt_map(w, A, DOMID_SELF, REF, MAP, GNTMAP_host_map, NULL),
	    GNTST_bad_domain);
	assert_int_equal(
	    gt_map(w, A, gt_domid(A), REF, MAP, GNTMAP_host_map, &h),
	    GNTST_okay);
	assert_int_equal(gt_mfn(w, A, MAP), mfn);
	assert_int_equal(gt_unmap(w, A, MAP, h), GNTST_okay);
	assert_int_equal(gt_refs(w, mfn), 1);
	assert_int_equal(gt_status(w, A, REF), 0);
	gt_world_free(w);
}

/* Mapping over the mapper's own RAM releases that RAM, as a populate
 * over it would; unmapping leaves a hole. */
static void map_over_ram(void **state)
{
	struct gt_world *w = world(state, 2);
	uint64_t ram = gt_mfn(w, B, GFN_DATA + 1);
	uint64_t pages =
	    hv_mm_account_pages(&w->m.heap, &gt_dom(w, B)->td.d.account);
	grant_handle_t h;

	gt_grant(w, A, REF, gt_domid(B), GFN_DATA, GTF_permit_access);
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), REF, GFN_DATA + 1, GNTMAP_host_map, &h),
	    GNTST_okay);
	assert_int_equal(gt_refs(w, ram), 0);
	assert_int_equal(
	    hv_mm_account_pages(&w->m.heap, &gt_dom(w, B)->td.d.account),
	    pages - 1);
	assert_int_equal(gt_unmap(w, B, GFN_DATA + 1, h), GNTST_okay);
	assert_int_equal(gt_type(w, B, GFN_DATA + 1), HV_MM_P2M_INVALID);
	gt_world_free(w);
}

/* The granter gives the frame back while it is mapped: it stays (and
 * stays charged) until the mapping goes, as in Xen. */
static void granter_decreases_reservation(void **state)
{
	struct gt_world *w = world(state, 2);
	struct hv_mm_domain *am = &gt_dom(w, A)->td.d;
	uint64_t mfn = gt_mfn(w, A, GFN_DATA);
	uint64_t pages = hv_mm_account_pages(&w->m.heap, &am->account);
	struct hv_mm_page_info info;
	grant_handle_t h;

	gt_grant(w, A, REF, gt_domid(B), GFN_DATA, GTF_permit_access);
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), REF, MAP, GNTMAP_host_map, &h),
	    GNTST_okay);
	assert_int_equal(hv_mm_domain_unmap(am, NULL, hv_gfn(GFN_DATA), 1), 0);
	assert_int_equal(gt_refs(w, mfn), 1);
	assert_int_equal(hv_mm_account_pages(&w->m.heap, &am->account), pages);
	assert_int_equal(gt_mfn(w, B, MAP), mfn);
	assert_int_equal(gt_unmap(w, B, MAP, h), GNTST_okay);
	assert_int_equal(hv_mm_page_query(&w->m.heap, hv_mfn(mfn), &info), 0);
	assert_false(info.allocated);
	assert_int_equal(hv_mm_account_pages(&w->m.heap, &am->account),
			 pages - 1);
	/* Mapping the grant now finds no frame. */
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), REF, MAP, GNTMAP_host_map, NULL),
	    GNTST_bad_page);
	gt_world_free(w);
}

static int with_format(void **state, const struct hv_mm_p2m_format *fmt)
{
	*state = (void *)fmt;
	return 0;
}

static int npt(void **state)
{
	return with_format(state, &hv_x86_npt);
}

static int stage2(void **state)
{
	return with_format(state, &hv_arm_stage2_ipa40);
}

#define BOTH(fn)                                                               \
	cmocka_unit_test_setup(fn, npt), cmocka_unit_test_setup(fn, stage2)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    BOTH(map_rw_ro_unmap),
	    BOTH(unmap_flushes_before_release),
	    BOTH(readonly_grant),
	    BOTH(map_bad_cases),
	    cmocka_unit_test(pinned_by_another),
	    cmocka_unit_test(pin_count_limit),
	    cmocka_unit_test(maptrack_exhausted),
	    cmocka_unit_test(maptrack_alloc_fails),
	    BOTH(unmap_bad_cases),
	    cmocka_unit_test(unmap_and_replace),
	    cmocka_unit_test(arrays_of_ops),
	    cmocka_unit_test(faulting_arguments),
	    BOTH(ops_across_pages),
	    BOTH(map_over_own_ops),
	    BOTH(map_over_own_ops_virtual),
	    BOTH(unmap_own_ops),
	    cmocka_unit_test(call_checks),
	    cmocka_unit_test(map_own_grant),
	    cmocka_unit_test(map_over_ram),
	    cmocka_unit_test(granter_decreases_reservation),
	};
	return cmocka_run_group_tests_name("gnttab-map", tests, NULL, NULL);
}
