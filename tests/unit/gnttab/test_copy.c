/*
 * GNTTABOP_copy: into and out of a granted frame from the caller's own
 * memory, between two other domains' grants (three domains), through v2
 * sub-page and transitive grants; every bad argument gets Xen's status
 * and leaves no flag, pin or reference behind.
 */
#include "gnttab_test.h"

#include <stdlib.h>
#include <string.h>

enum { A, B, C };

#define REF 20u

static struct gnttab_copy_ptr by_ref(grant_ref_t ref, hv_domid_t dom,
				     uint16_t off)
{
	struct gnttab_copy_ptr p = {.domid = dom, .offset = off};

	p.u.ref = ref;
	return p;
}

static struct gnttab_copy_ptr by_gfn(uint64_t gfn, hv_domid_t dom, uint16_t off)
{
	struct gnttab_copy_ptr p = {.domid = dom, .offset = off};

	p.u.gmfn = gfn;
	return p;
}

static struct gnttab_copy copy_op(struct gnttab_copy_ptr src,
				  struct gnttab_copy_ptr dst, uint16_t len,
				  uint16_t flags)
{
	return (struct gnttab_copy){
	    .source = src, .dest = dst, .len = len, .flags = flags};
}

static uint8_t *page(struct gt_world *w, unsigned int i, uint64_t gfn)
{
	return gt_page(w, i, gfn);
}

/* Nothing of domain i's grant ref stays in use. */
static void assert_released(struct gt_world *w, unsigned int i, grant_ref_t ref)
{
	assert_int_equal(gt_status(w, i, ref), 0);
	assert_int_equal(gt_info(w, i).active_grants, 0);
}

static void copy_in_and_out(void **state)
{
	struct gt_world *w = gt_world_new(2, NULL);
	uint64_t mfn = gt_mfn(w, A, GFN_DATA);
	struct gnttab_copy op;

	(void)state;
	gt_grant(w, A, REF, gt_domid(B), GFN_DATA, GTF_permit_access);
	memset(page(w, B, GFN_DATA), 0x11, HV_PAGE_SIZE);
	/* Into A's frame, a whole page from B's own memory. */
	op = copy_op(by_gfn(GFN_DATA, DOMID_SELF, 0),
		     by_ref(REF, gt_domid(A), 0), HV_PAGE_SIZE,
		     GNTCOPY_dest_gref);
	assert_int_equal(gt_copy(w, B, &op), GNTST_okay);
	for (size_t k = 0; k < HV_PAGE_SIZE; k++)
		assert_int_equal(page(w, A, GFN_DATA)[k], 0x11);
	assert_released(w, A, REF);
	assert_int_equal(gt_refs(w, mfn), 1);

	/* Out of it, 64 bytes at offsets. */
	memcpy(page(w, A, GFN_DATA) + 100, "granted bytes", 14);
	op = copy_op(by_ref(REF, gt_domid(A), 100),
		     by_gfn(GFN_DATA + 1, DOMID_SELF, 3000), 64,
		     GNTCOPY_source_gref);
	assert_int_equal(gt_copy(w, B, &op), GNTST_okay);
	assert_string_equal((char *)page(w, B, GFN_DATA + 1) + 3000,
			    "granted bytes");
	assert_released(w, A, REF);

	/* A read-only grant can be read but not written. */
	gt_grant(w, A, REF, gt_domid(B), GFN_DATA,
		 GTF_permit_access | GTF_readonly);
	assert_int_equal(gt_copy(w, B, &op), GNTST_okay);
	op = copy_op(by_gfn(GFN_DATA, DOMID_SELF, 0),
		     by_ref(REF, gt_domid(A), 0), 8, GNTCOPY_dest_gref);
	assert_int_equal(gt_copy(w, B, &op), GNTST_general_error);
	assert_released(w, A, REF);
	assert_int_equal(gt_refs(w, mfn), 1);
	/* Within one's own memory, by frame. */
	op = copy_op(by_gfn(GFN_DATA, DOMID_SELF, 0),
		     by_gfn(GFN_DATA + 2, DOMID_SELF, 0), 16, 0);
	assert_int_equal(gt_copy(w, B, &op), GNTST_okay);
	assert_int_equal(page(w, B, GFN_DATA + 2)[15], 0x11);
	gt_world_free(w);
}

/* C copies from A's grant to B's grant: three domains, two pins. */
static void between_two_grants(void **state)
{
	struct gt_world *w = gt_world_new(3, NULL);
	struct gnttab_copy op;

	(void)state;
	gt_grant(w, A, REF, gt_domid(C), GFN_DATA, GTF_permit_access);
	gt_grant(w, B, REF + 1, gt_domid(C), GFN_DATA + 3, GTF_permit_access);
	memset(page(w, A, GFN_DATA), 0x77, HV_PAGE_SIZE);
	op = copy_op(by_ref(REF, gt_domid(A), 0),
		     by_ref(REF + 1, gt_domid(B), 2048), 2048,
		     GNTCOPY_source_gref | GNTCOPY_dest_gref);
	assert_int_equal(gt_copy(w, C, &op), GNTST_okay);
	assert_int_equal(page(w, B, GFN_DATA + 3)[2047], 0);
	assert_int_equal(page(w, B, GFN_DATA + 3)[2048], 0x77);
	assert_int_equal(page(w, B, GFN_DATA + 3)[4095], 0x77);
	assert_released(w, A, REF);
	assert_released(w, B, REF + 1);
	assert_int_equal(w->gets, w->puts);
	gt_world_free(w);
}

/* A copy while the grant is also mapped shares its pin. */
static void copy_while_mapped(void **state)
{
	struct gt_world *w = gt_world_new(2, NULL);
	struct hv_gnttab_grant_info gi;
	struct gnttab_copy op;
	grant_handle_t h;

	(void)state;
	gt_grant(w, A, REF, gt_domid(B), GFN_DATA, GTF_permit_access);
	assert_int_equal(gt_map(w, B, gt_domid(A), REF, GFN_MAP,
				GNTMAP_host_map | GNTMAP_readonly, &h),
			 GNTST_okay);
	op = copy_op(by_gfn(GFN_DATA, DOMID_SELF, 0),
		     by_ref(REF, gt_domid(A), 0), 32, GNTCOPY_dest_gref);
	assert_int_equal(gt_copy(w, B, &op), GNTST_okay);
	/* The copy's writable use is gone, the mapping's read stays. */
	assert_int_equal(gt_status(w, A, REF), GTF_reading);
	assert_int_equal(hv_gnttab_query_grant(gt_dom(w, A)->g, REF, &gi), 0);
	assert_int_equal(gi.pins_ro, 1);
	assert_int_equal(gi.pins_rw, 0);
	assert_int_equal(gt_unmap(w, B, GFN_MAP, h), GNTST_okay);
	assert_released(w, A, REF);
	gt_world_free(w);
}

struct bad_copy {
	const char *what;
	struct gnttab_copy op;
	int16_t status;
};

static void copy_bad_cases(void **state)
{
	struct gt_world *w = gt_world_new(3, NULL);
	hv_domid_t a = gt_domid(A), b = gt_domid(B);
	const uint16_t sg = GNTCOPY_source_gref, dg = GNTCOPY_dest_gref;
	const struct bad_copy cases[] = {
	    {"own frame named by id",
	     copy_op(by_gfn(GFN_DATA, b, 0), by_ref(REF, a, 0), 8, dg),
	     GNTST_permission_denied},
	    {"another's frame",
	     copy_op(by_ref(REF, a, 0), by_gfn(GFN_DATA, a, 0), 8, sg),
	     GNTST_permission_denied},
	    {"unknown source domain",
	     copy_op(by_ref(REF, 55, 0), by_gfn(GFN_DATA, DOMID_SELF, 0), 8,
		     sg),
	     GNTST_bad_domain},
	    {"unknown dest domain",
	     copy_op(by_ref(REF, a, 0), by_ref(REF, 55, 0), 8, sg | dg),
	     GNTST_bad_domain},
	    {"bad ref",
	     copy_op(by_ref(5000, a, 0), by_gfn(GFN_DATA, DOMID_SELF, 0), 8,
		     sg),
	     GNTST_bad_gntref},
	    {"not granted",
	     copy_op(by_ref(REF + 1, a, 0), by_gfn(GFN_DATA, DOMID_SELF, 0), 8,
		     sg),
	     GNTST_general_error},
	    {"granted to C",
	     copy_op(by_ref(REF + 2, a, 0), by_gfn(GFN_DATA, DOMID_SELF, 0), 8,
		     sg),
	     GNTST_general_error},
	    {"source past the page",
	     copy_op(by_ref(REF, a, 4090), by_gfn(GFN_DATA, DOMID_SELF, 0), 8,
		     sg),
	     GNTST_bad_copy_arg},
	    {"dest past the page",
	     copy_op(by_ref(REF, a, 0), by_gfn(GFN_DATA, DOMID_SELF, 4089), 8,
		     sg),
	     GNTST_bad_copy_arg},
	    {"source hole",
	     copy_op(by_gfn(GFN_HOLE, DOMID_SELF, 0), by_ref(REF, a, 0), 8, dg),
	     GNTST_bad_page},
	    {"dest hole",
	     copy_op(by_ref(REF, a, 0), by_gfn(GFN_HOLE, DOMID_SELF, 0), 8, sg),
	     GNTST_bad_page},
	    {"dest read-only RAM",
	     copy_op(by_ref(REF, a, 0), by_gfn(GFN_DATA + 5, DOMID_SELF, 0), 8,
		     sg),
	     GNTST_bad_page},
	    {"dest a grant mapping",
	     copy_op(by_ref(REF, a, 0), by_gfn(GFN_MAP, DOMID_SELF, 0), 8, sg),
	     GNTST_bad_page},
	    {"dest a table frame",
	     copy_op(by_ref(REF, a, 0), by_gfn(GFN_GT, DOMID_SELF, 0), 8, sg),
	     GNTST_bad_page},
	    {"dest grant read-only",
	     copy_op(by_gfn(GFN_DATA, DOMID_SELF, 0), by_ref(REF + 3, a, 0), 8,
		     dg),
	     GNTST_general_error},
	    {"source in use by C",
	     copy_op(by_ref(REF + 4, a, 0), by_gfn(GFN_DATA, DOMID_SELF, 0), 8,
		     sg),
	     GNTST_general_error},
	};
	struct hv_mm_p2m *bp2m = &gt_dom(w, B)->td.p2m;
	uint64_t mfn = gt_mfn(w, A, GFN_DATA);
	grant_handle_t h;

	(void)state;
	gt_grant(w, A, REF, b, GFN_DATA, GTF_permit_access);
	gt_grant(w, A, REF + 2, gt_domid(C), GFN_DATA, GTF_permit_access);
	gt_grant(w, A, REF + 3, b, GFN_DATA, GTF_permit_access | GTF_readonly);
	gt_grant(w, A, REF + 4, gt_domid(C), GFN_DATA, GTF_permit_access);
	assert_int_equal(gt_map(w, C, a, REF + 4, GFN_MAP, GNTMAP_host_map, &h),
			 GNTST_okay);
	gt_grant(w, A, REF + 4, b, GFN_DATA,
		 GTF_permit_access | GTF_reading | GTF_writing);
	/* B's own read-only RAM, and a grant mapping in B's P2M. */
	assert_int_equal(hv_mm_p2m_set(bp2m, NULL, hv_gfn(GFN_DATA + 5),
				       hv_mfn(gt_mfn(w, B, GFN_DATA + 5)), 1,
				       HV_MM_P2M_RAM_RO, HV_MM_P2M_R),
			 0);
	gt_grant(w, A, REF + 5, b, GFN_DATA + 1, GTF_permit_access);
	assert_int_equal(
	    gt_map(w, B, a, REF + 5, GFN_MAP, GNTMAP_host_map, NULL),
	    GNTST_okay);
	for (size_t i = 0; i < HV_ARRAY_SIZE(cases); i++) {
		print_message("%s\n", cases[i].what);
		assert_int_equal(gt_copy(w, B, &cases[i].op), cases[i].status);
		assert_int_equal(gt_status(w, A, REF), 0);
		assert_int_equal(gt_status(w, A, REF + 3), 0);
		assert_int_equal(gt_refs(w, mfn), 2); /* C's mapping */
		assert_int_equal(gt_info(w, A).active_grants, 2);
	}
	/* Read-only RAM is fine as a source. */
	{
		struct gnttab_copy ok =
		    copy_op(by_gfn(GFN_DATA + 5, DOMID_SELF, 0),
			    by_ref(REF, a, 0), 8, dg);

		assert_int_equal(gt_copy(w, B, &ok), GNTST_okay);
	}
	assert_int_equal(w->gets, w->puts);
	gt_world_free(w);
}

/* The copy array: per-op statuses, -EFAULT where the array breaks. */
static void copy_arrays(void **state)
{
	struct gt_world *w = gt_world_new(2, NULL);
	struct gt_dom *b = gt_dom(w, B);
	struct gnttab_copy ops[2];
	uint64_t at = (uint64_t)RAM_PAGES * HV_PAGE_SIZE - sizeof(ops[0]);

	(void)state;
	gt_grant(w, A, REF, gt_domid(B), GFN_DATA, GTF_permit_access);
	ops[0] = copy_op(by_gfn(GFN_DATA, DOMID_SELF, 0),
			 by_ref(REF, gt_domid(A), 0), 8, GNTCOPY_dest_gref);
	ops[1] = copy_op(by_gfn(GFN_DATA, DOMID_SELF, 0),
			 by_ref(REF + 1, gt_domid(A), 0), 8, GNTCOPY_dest_gref);
	assert_int_equal(gt_call(w, B, GNTTABOP_copy, ops, sizeof(ops[0]), 2),
			 0);
	assert_int_equal(ops[0].status, GNTST_okay);
	assert_int_equal(ops[1].status, GNTST_general_error);
	ops[0].status = 99;
	assert_int_equal(hv_gmem_copy_to(&b->gmem, at, &ops[0], sizeof(ops[0])),
			 0);
	assert_int_equal(
	    hv_gnttab_hypercall(b->g, &b->gmem, GNTTABOP_copy, at, 2),
	    -HV_EFAULT);
	assert_int_equal(
	    hv_gmem_copy_from(&b->gmem, &ops[0], at, sizeof(ops[0])), 0);
	assert_int_equal(ops[0].status, GNTST_okay);
	assert_released(w, A, REF);
	gt_world_free(w);
}

static void switch_to_v2(struct gt_world *w, unsigned int i)
{
	uint32_t now;

	assert_int_equal(gt_set_version(w, i, 2, &now), 0);
	assert_int_equal(now, 2);
	assert_int_equal(
	    gt_place(w, i, XENMAPIDX_grant_table_status, GFN_STATUS), 0);
}

/* v2 sub-page grants: copies within the granted bytes only, and no
 * mapping at all. */
static void sub_page_grant(void **state)
{
	struct gt_world *w = gt_world_new(2, NULL);
	struct gnttab_copy op;

	(void)state;
	switch_to_v2(w, A);
	gt_grant_sub(w, A, REF, gt_domid(B), GFN_DATA, 256, 512);
	op = copy_op(by_gfn(GFN_DATA, DOMID_SELF, 0),
		     by_ref(REF, gt_domid(A), 256), 512, GNTCOPY_dest_gref);
	assert_int_equal(gt_copy(w, B, &op), GNTST_okay);
	op.dest.offset = 255;
	assert_int_equal(gt_copy(w, B, &op), GNTST_general_error);
	op.dest.offset = 260;
	assert_int_equal(gt_copy(w, B, &op), GNTST_general_error);
	op.dest.offset = 767;
	op.len = 1;
	assert_int_equal(gt_copy(w, B, &op), GNTST_okay);
	assert_released(w, A, REF);
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), REF, GFN_MAP, GNTMAP_host_map, NULL),
	    GNTST_general_error);
	assert_released(w, A, REF);
	assert_int_equal(gt_info(w, B).maptrack_used, 0);
	gt_world_free(w);
}

/*
 * Transitive: C grants A its frame (ref 3), A grants B "C's ref 3"
 * transitively (ref REF); B copies through A's grant.
 */
static struct gt_world *transitive_world(bool allow)
{
	struct gt_opts o = {.no_transitive = !allow};
	struct gt_world *w = gt_world_new(3, &o);

	switch_to_v2(w, A);
	gt_grant(w, C, 3, gt_domid(A), GFN_DATA, GTF_permit_access);
	gt_grant_trans(w, A, REF, gt_domid(B), gt_domid(C), 3);
	memcpy(page(w, C, GFN_DATA), "from C", 7);
	return w;
}

static struct gnttab_copy read_through(grant_ref_t ref)
{
	return copy_op(by_ref(ref, gt_domid(A), 0),
		       by_gfn(GFN_DATA, DOMID_SELF, 0), 7, GNTCOPY_source_gref);
}

static void transitive_grant(void **state)
{
	struct gt_world *w = transitive_world(true);
	struct gnttab_copy op = read_through(REF);
	uint64_t mfn = gt_mfn(w, C, GFN_DATA);

	(void)state;
	assert_int_equal(gt_copy(w, B, &op), GNTST_okay);
	assert_string_equal((char *)page(w, B, GFN_DATA), "from C");
	assert_released(w, A, REF);
	assert_released(w, C, 3);
	assert_int_equal(gt_refs(w, mfn), 1);
	/* Writing through it works too, if both grants allow it. */
	op = copy_op(by_gfn(GFN_DATA + 1, DOMID_SELF, 0),
		     by_ref(REF, gt_domid(A), 0), 4, GNTCOPY_dest_gref);
	memcpy(page(w, B, GFN_DATA + 1), "B:)", 4);
	assert_int_equal(gt_copy(w, B, &op), GNTST_okay);
	assert_string_equal((char *)page(w, C, GFN_DATA), "B:)");
	/* ...not if C's grant is read-only. */
	gt_grant(w, C, 3, gt_domid(A), GFN_DATA,
		 GTF_permit_access | GTF_readonly);
	assert_int_equal(gt_copy(w, B, &op), GNTST_general_error);
	assert_released(w, A, REF);
	assert_released(w, C, 3);
	/* A transitive grant is never mapped. */
	assert_int_equal(gt_map(w, B, gt_domid(A), REF, GFN_MAP,
				GNTMAP_host_map | GNTMAP_readonly, NULL),
			 GNTST_general_error);
	assert_released(w, A, REF);
	assert_int_equal(w->gets, w->puts);
	gt_world_free(w);
}

static void transitive_bad_cases(void **state)
{
	struct gt_world *w = transitive_world(true);
	struct gnttab_copy op = read_through(REF);

	(void)state;
	/* Back to A itself. */
	gt_grant_trans(w, A, REF, gt_domid(B), gt_domid(A), 3);
	assert_int_equal(gt_copy(w, B, &op), GNTST_general_error);
	/* To a domain that does not exist. */
	gt_grant_trans(w, A, REF, gt_domid(B), 66, 3);
	assert_int_equal(gt_copy(w, B, &op), GNTST_general_error);
	/* C's grant is not to A. */
	gt_grant_trans(w, A, REF, gt_domid(B), gt_domid(C), 4);
	gt_grant(w, C, 4, gt_domid(B), GFN_DATA, GTF_permit_access);
	assert_int_equal(gt_copy(w, B, &op), GNTST_general_error);
	/* C's grant is a bad reference. */
	gt_grant_trans(w, A, REF, gt_domid(B), gt_domid(C), 9999);
	assert_int_equal(gt_copy(w, B, &op), GNTST_bad_gntref);
	/* A transitive grant to B itself, not to A: two levels. */
	assert_int_equal(gt_set_version(w, C, 2, NULL), 0);
	assert_int_equal(
	    gt_place(w, C, XENMAPIDX_grant_table_status, GFN_STATUS), 0);
	gt_grant_trans(w, C, 5, gt_domid(A), gt_domid(B), 1);
	gt_grant(w, B, 1, gt_domid(C), GFN_DATA, GTF_permit_access);
	gt_grant_trans(w, A, REF, gt_domid(B), gt_domid(C), 5);
	assert_int_equal(gt_copy(w, B, &op), GNTST_general_error);
	/* The transitive grant is for someone else. */
	gt_grant(w, C, 3, gt_domid(A), GFN_DATA, GTF_permit_access);
	gt_grant_trans(w, A, REF, gt_domid(C), gt_domid(C), 3);
	assert_int_equal(gt_copy(w, B, &op), GNTST_general_error);
	for (grant_ref_t r = 0; r < 8; r++)
		assert_int_equal(gt_status(w, C, r), 0);
	assert_released(w, A, REF);
	assert_released(w, B, 1);
	assert_int_equal(gt_info(w, C).active_grants, 0);
	assert_int_equal(w->gets, w->puts);
	gt_world_free(w);
}

static void transitive_disabled(void **state)
{
	struct gt_world *w = transitive_world(false);
	struct gnttab_copy op = read_through(REF);

	(void)state;
	assert_int_equal(gt_copy(w, B, &op), GNTST_general_error);
	assert_released(w, A, REF);
	assert_released(w, C, 3);
	gt_world_free(w);
}

/* A transitive grant is used again once the first use let go of it. */
static void transitive_reused(void **state)
{
	struct gt_world *w = transitive_world(true);
	struct gnttab_copy ops[2] = {read_through(REF), read_through(REF)};

	(void)state;
	assert_int_equal(gt_call(w, B, GNTTABOP_copy, ops, sizeof(ops[0]), 2),
			 0);
	assert_int_equal(ops[0].status, GNTST_okay);
	assert_int_equal(ops[1].status, GNTST_okay);
	assert_released(w, A, REF);
	assert_released(w, C, 3);
	gt_world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(copy_in_and_out),
	    cmocka_unit_test(between_two_grants),
	    cmocka_unit_test(copy_while_mapped),
	    cmocka_unit_test(copy_bad_cases),
	    cmocka_unit_test(copy_arrays),
	    cmocka_unit_test(sub_page_grant),
	    cmocka_unit_test(transitive_grant),
	    cmocka_unit_test(transitive_bad_cases),
	    cmocka_unit_test(transitive_disabled),
	    cmocka_unit_test(transitive_reused),
	};
	return cmocka_run_group_tests_name("gnttab-copy", tests, NULL, NULL);
}
