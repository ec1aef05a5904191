/*
 * GNTTABOP_set_version and version 2: the switch rules (bad versions, v2
 * not configured, grants in use, the 8 reserved entries carried over with
 * their flags, non-representable entries), status frames appearing and
 * leaving the guest's P2M, and grants used through v2 entries and status
 * frames.
 */
#include "gnttab_test.h"

#include <stdlib.h>
#include <string.h>

enum { A, B };

static uint64_t free_pages(struct gt_world *w)
{
	struct hv_mm_heap_stats st;

	assert_int_equal(hv_mm_heap_get_stats(&w->m.heap, 0, &st), 0);
	return st.free_pages;
}

static void to_v2(struct gt_world *w, unsigned int i)
{
	uint32_t now = 0;

	assert_int_equal(gt_set_version(w, i, 2, &now), 0);
	assert_int_equal(now, 2);
	assert_int_equal(
	    gt_place(w, i, XENMAPIDX_grant_table_status, GFN_STATUS), 0);
}

static void version_rules(void **state)
{
	struct gt_world *w = gt_world_new(1, NULL);
	uint32_t now;

	(void)state;
	assert_int_equal(gt_set_version(w, A, 0, &now), -HV_EINVAL);
	assert_int_equal(now, 1);
	assert_int_equal(gt_set_version(w, A, 3, &now), -HV_EINVAL);
	assert_int_equal(now, 1);
	assert_int_equal(gt_set_version(w, A, 1, &now), 0);
	assert_int_equal(now, 1);
	assert_int_equal(gt_set_version(w, A, 2, &now), 0);
	assert_int_equal(now, 2);
	assert_int_equal(gt_info(w, A).nr_status_frames, 1);
	assert_int_equal(gt_set_version(w, A, 2, &now), 0);
	assert_int_equal(gt_set_version(w, A, 7, &now), -HV_EINVAL);
	assert_int_equal(now, 2);
	assert_int_equal(gt_set_version(w, A, 1, &now), 0);
	assert_int_equal(now, 1);
	assert_int_equal(gt_info(w, A).nr_status_frames, 0);
	/* Unreadable argument; result not writable (the switch is done). */
	assert_int_equal(hv_gnttab_hypercall(
			     gt_dom(w, A)->g, &gt_dom(w, A)->gmem,
			     GNTTABOP_set_version, (uint64_t)GFN_HOLE << 12, 1),
			 -HV_EFAULT);
	gt_world_free(w);
}

/* Without hv_gnttab_v2 a domain behaves as Xen with max version 1. */
static void v2_not_configured(void **state)
{
	struct gt_opts o = {.v1_only = true};
	struct gt_world *w = gt_world_new(1, &o);
	uint32_t now;

	(void)state;
	assert_int_equal(gt_set_version(w, A, 2, &now), -HV_ENOSYS);
	assert_int_equal(now, 1);
	assert_int_equal(gt_set_version(w, A, 1, &now), 0);
	assert_int_equal(gt_version(w, A), 1);
	gt_world_free(w);
}

static void in_use_blocks_switch(void **state)
{
	struct gt_world *w = gt_world_new(2, NULL);
	grant_handle_t h;
	uint32_t now;

	(void)state;
	gt_grant(w, A, 10, gt_domid(B), GFN_DATA, GTF_permit_access);
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), 10, GFN_MAP, GNTMAP_host_map, &h),
	    GNTST_okay);
	assert_int_equal(gt_set_version(w, A, 2, &now), -HV_EBUSY);
	assert_int_equal(now, 1);
	assert_int_equal(gt_info(w, A).nr_status_frames, 0);
	assert_int_equal(gt_unmap(w, B, GFN_MAP, h), GNTST_okay);
	assert_int_equal(gt_set_version(w, A, 2, &now), 0);
	/* Entry 10 did not survive the switch. */
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), 10, GFN_MAP, GNTMAP_host_map, NULL),
	    GNTST_general_error);
	gt_world_free(w);
}

/* The reserved entries (xenstore, console) survive a switch while
 * mapped, in both directions, flags included. */
static void reserved_entries_carried(void **state)
{
	struct gt_world *w = gt_world_new(2, NULL);
	uint64_t mfn = gt_mfn(w, A, GFN_DATA);
	grant_entry_v2_t *e2;
	grant_entry_v1_t *e1;
	grant_handle_t h;

	(void)state;
	gt_grant(w, A, GNTTAB_RESERVED_XENSTORE, gt_domid(B), GFN_DATA,
		 GTF_permit_access);
	gt_grant(w, A, 12, gt_domid(B), GFN_DATA, GTF_permit_access);
	assert_int_equal(gt_map(w, B, gt_domid(A), GNTTAB_RESERVED_XENSTORE,
				GFN_MAP, GNTMAP_host_map, &h),
			 GNTST_okay);
	to_v2(w, A);
	e2 = (grant_entry_v2_t *)gt_page(w, A, GFN_GT) +
	     GNTTAB_RESERVED_XENSTORE;
	assert_int_equal(e2->hdr.flags, GTF_permit_access);
	assert_int_equal(e2->hdr.domid, gt_domid(B));
	assert_int_equal(e2->full_page.frame, GFN_DATA);
	assert_int_equal(gt_status(w, A, GNTTAB_RESERVED_XENSTORE),
			 GTF_reading | GTF_writing);
	/* Not a reserved entry: cleared. */
	assert_int_equal(
	    ((grant_entry_v2_t *)gt_page(w, A, GFN_GT))[12].hdr.flags, 0);
	/* Back to v1, still mapped. */
	assert_int_equal(gt_set_version(w, A, 1, NULL), 0);
	e1 = (grant_entry_v1_t *)gt_page(w, A, GFN_GT) +
	     GNTTAB_RESERVED_XENSTORE;
	assert_int_equal(e1->flags,
			 GTF_permit_access | GTF_reading | GTF_writing);
	assert_int_equal(e1->domid, gt_domid(B));
	assert_int_equal(e1->frame, GFN_DATA);
	assert_int_equal(gt_unmap(w, B, GFN_MAP, h), GNTST_okay);
	assert_int_equal(gt_status(w, A, GNTTAB_RESERVED_XENSTORE), 0);
	assert_int_equal(gt_refs(w, mfn), 1);
	gt_world_free(w);
}

/* A v2 table with what v1 cannot say in its reserved entries stays v2. */
static void not_representable(void **state)
{
	struct gt_world *w = gt_world_new(2, NULL);
	uint32_t now;

	(void)state;
	to_v2(w, A);
	gt_grant(w, A, 2, gt_domid(B), UINT64_C(1) << 32, GTF_permit_access);
	assert_int_equal(gt_set_version(w, A, 1, &now), -HV_ERANGE);
	assert_int_equal(now, 2);
	gt_grant_trans(w, A, 2, gt_domid(B), gt_domid(B), 1);
	assert_int_equal(gt_set_version(w, A, 1, &now), -HV_ERANGE);
	assert_int_equal(gt_info(w, A).nr_status_frames, 1);
	/* Other types are simply dropped. */
	gt_grant(w, A, 2, gt_domid(B), 5, GTF_accept_transfer);
	gt_grant(w, A, 3, gt_domid(B), GFN_DATA, GTF_permit_access);
	assert_int_equal(gt_set_version(w, A, 1, &now), 0);
	assert_int_equal(((grant_entry_v1_t *)gt_page(w, A, GFN_GT))[2].flags,
			 0);
	assert_int_equal(((grant_entry_v1_t *)gt_page(w, A, GFN_GT))[3].frame,
			 GFN_DATA);
	gt_world_free(w);
}

/* Status frames: allocated with v2, in the P2M once placed, gone (from
 * the P2M and back to the heap) with v1. */
static void status_frames_come_and_go(void **state)
{
	struct gt_opts o = {.max_grant_frames = 16};
	struct gt_world *w = gt_world_new(1, &o);
	uint64_t before = free_pages(w);
	struct gnttab_get_status_frames op = {.dom = DOMID_SELF};
	uint64_t *list = gt_page(w, A, GFN_LIST);

	(void)state;
	to_v2(w, A);
	assert_int_equal(free_pages(w), before - 1);
	assert_int_equal(gt_type(w, A, GFN_STATUS), HV_MM_P2M_RAM_RW);
	op.nr_frames = 1;
	op.frame_list.p = (uint64_t *)(uintptr_t)LIST_ADDR;
	assert_int_equal(
	    gt_call(w, A, GNTTABOP_get_status_frames, &op, sizeof(op), 1), 0);
	assert_int_equal(op.status, GNTST_okay);
	assert_int_equal(list[0], GFN_STATUS);
	op.nr_frames = 2;
	assert_int_equal(
	    gt_call(w, A, GNTTABOP_get_status_frames, &op, sizeof(op), 1), 0);
	assert_int_equal(op.status, GNTST_general_error);
	/* Status frame 1 needs 16 grant frames: placing it grows the table
	 * (one status frame covers 8 grant frames of 256 entries). */
	assert_int_equal(
	    gt_place(w, A, XENMAPIDX_grant_table_status | 1, GFN_STATUS + 1),
	    0);
	assert_int_equal(gt_info(w, A).nr_grant_frames, 16);
	assert_int_equal(gt_info(w, A).nr_status_frames, 2);
	assert_int_equal(
	    gt_place(w, A, XENMAPIDX_grant_table_status | 2, GFN_STATUS + 2),
	    -HV_EINVAL);
	assert_int_equal(free_pages(w), before - 15 - 2);
	assert_int_equal(
	    gt_call(w, A, GNTTABOP_get_status_frames, &op, sizeof(op), 1), 0);
	assert_int_equal(op.status, GNTST_okay);
	assert_int_equal(list[1], GFN_STATUS + 1);
	/* Back to v1: both leave the P2M and the heap has them back. */
	assert_int_equal(gt_set_version(w, A, 1, NULL), 0);
	assert_int_equal(gt_type(w, A, GFN_STATUS), HV_MM_P2M_INVALID);
	assert_int_equal(gt_type(w, A, GFN_STATUS + 1), HV_MM_P2M_INVALID);
	assert_int_equal(free_pages(w), before - 15);
	gt_world_free(w);
}

/* The op of a switch to v1 in the status frame it takes away: the
 * switch is done, and writing the version back faults, the page gone. */
static void switch_away_from_own_op(void **state)
{
	struct gt_world *w = gt_world_new(1, NULL);
	struct gnttab_set_version op = {.version = 1};
	uint64_t at = (uint64_t)GFN_STATUS << HV_PAGE_SHIFT;
	struct gt_dom *a = gt_dom(w, A);

	uint64_t frame;

	(void)state;
	to_v2(w, A);
	frame = gt_mfn(w, A, GFN_STATUS);
	assert_int_equal(hv_gmem_copy_to(&a->gmem, at, &op, sizeof(op)), 0);
	assert_int_equal(
	    hv_gnttab_hypercall(a->g, &a->gmem, GNTTABOP_set_version, at, 1),
	    -HV_EFAULT);
	assert_int_equal(gt_version(w, A), 1);
	assert_int_equal(gt_type(w, A, GFN_STATUS), HV_MM_P2M_INVALID);
	assert_int_equal(gt_refs(w, frame), 0);
	gt_world_free(w);
}

/* No memory for the status frames: -ENOMEM and still v1. */
static void switch_without_memory(void **state)
{
	struct gt_world *w = gt_world_new(1, NULL);
	hv_mfn_t mfn[2048];
	unsigned int n = 0;
	uint32_t now;

	(void)state;
	while (hv_mm_alloc_pages(&w->m.heap, 0, HV_MM_NODE_ANY,
				 HV_MM_ALLOC_NO_SCRUB, NULL, &mfn[n]) == 0)
		n++;
	assert_int_equal(gt_set_version(w, A, 2, &now), -HV_ENOMEM);
	assert_int_equal(now, 1);
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(hv_mm_put_pages(&w->m.heap, mfn[i], 0, 0), 0);
	assert_int_equal(gt_set_version(w, A, 2, &now), 0);
	gt_world_free(w);
}

/* Grants through v2: the hypervisor writes only the status frame. */
static void map_and_copy_v2(void **state)
{
	struct gt_world *w = gt_world_new(2, NULL);
	grant_entry_v2_t *e;
	grant_handle_t hr, hw;
	struct gnttab_copy op = {.len = 8, .flags = GNTCOPY_source_gref};

	(void)state;
	to_v2(w, A);
	e = (grant_entry_v2_t *)gt_page(w, A, GFN_GT) + 10;
	gt_grant(w, A, 10, gt_domid(B), GFN_DATA, GTF_permit_access);
	assert_int_equal(gt_map(w, B, gt_domid(A), 10, GFN_MAP,
				GNTMAP_host_map | GNTMAP_readonly, &hr),
			 GNTST_okay);
	assert_int_equal(gt_status(w, A, 10), GTF_reading);
	/* A read-only use, then a writable one on top. */
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), 10, GFN_MAP + 1, GNTMAP_host_map, &hw),
	    GNTST_okay);
	assert_int_equal(gt_status(w, A, 10), GTF_reading | GTF_writing);
	assert_int_equal(e->hdr.flags, GTF_permit_access);
	assert_int_equal(gt_mfn(w, B, GFN_MAP + 1), gt_mfn(w, A, GFN_DATA));
	assert_int_equal(gt_unmap(w, B, GFN_MAP + 1, hw), GNTST_okay);
	assert_int_equal(gt_status(w, A, 10), GTF_reading);
	assert_false(gt_end_access(w, A, 10));
	assert_int_equal(gt_unmap(w, B, GFN_MAP, hr), GNTST_okay);
	assert_true(gt_end_access(w, A, 10));
	/* Revoked: neither map nor copy gets in any more. */
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), 10, GFN_MAP, GNTMAP_host_map, NULL),
	    GNTST_general_error);
	op.source.u.ref = 10;
	op.source.domid = gt_domid(A);
	op.dest.u.gmfn = GFN_DATA;
	op.dest.domid = DOMID_SELF;
	assert_int_equal(gt_copy(w, B, &op), GNTST_general_error);
	assert_int_equal(gt_status(w, A, 10), 0);
	/* v2 has 256 entries a frame: ref 256 needs a second frame. */
	gt_grant(w, A, 255, gt_domid(B), GFN_DATA, GTF_permit_access);
	op.source.u.ref = 255;
	assert_int_equal(gt_copy(w, B, &op), GNTST_okay);
	op.source.u.ref = 256;
	assert_int_equal(gt_copy(w, B, &op), GNTST_bad_gntref);
	/* A frame past 2^32, which only v2 can grant. */
	gt_grant(w, A, 11, gt_domid(B), UINT64_C(1) << 33, GTF_permit_access);
	op.source.u.ref = 11;
	assert_int_equal(gt_copy(w, B, &op), GNTST_bad_page);
	assert_int_equal(gt_info(w, A).active_grants, 0);
	gt_world_free(w);
}

/* v2's own entry checks (the status bits are set only when they pass,
 * or taken back off). */
static void v2_entry_checks(void **state)
{
	struct gt_world *w = gt_world_new(2, NULL);
	struct {
		uint16_t flags;
		hv_domid_t to;
		uint32_t map;
	} cases[] = {
	    {GTF_permit_access, 1, GNTMAP_host_map},
	    {GTF_permit_access | GTF_readonly, 2, GNTMAP_host_map},
	    {GTF_accept_transfer, 2, GNTMAP_host_map | GNTMAP_readonly},
	    {GTF_invalid, 2, GNTMAP_host_map | GNTMAP_readonly},
	};

	(void)state;
	to_v2(w, A);
	for (size_t i = 0; i < HV_ARRAY_SIZE(cases); i++) {
		gt_grant(w, A, 10, cases[i].to, GFN_DATA, cases[i].flags);
		assert_int_equal(
		    gt_map(w, B, gt_domid(A), 10, GFN_MAP, cases[i].map, NULL),
		    GNTST_general_error);
		assert_int_equal(gt_status(w, A, 10), 0);
	}
	gt_grant_sub(w, A, 10, gt_domid(B), GFN_DATA, 0, 4096);
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), 10, GFN_MAP, GNTMAP_host_map, NULL),
	    GNTST_general_error);
	assert_int_equal(gt_status(w, A, 10), 0);
	assert_int_equal(gt_info(w, A).active_grants, 0);
	gt_world_free(w);
}

/* Growing a v2 table adds status frames as needed, or nothing at all. */
static void v2_growth(void **state)
{
	struct gt_opts o = {.max_grant_frames = 24};
	struct gt_world *w = gt_world_new(1, &o);
	struct gnttab_setup_table op = {.dom = DOMID_SELF, .nr_frames = 9};
	hv_mfn_t mfn[2048];
	unsigned int n = 0;

	(void)state;
	to_v2(w, A);
	op.frame_list.p = (xen_pfn_t *)(uintptr_t)LIST_ADDR;
	assert_int_equal(
	    gt_call(w, A, GNTTABOP_setup_table, &op, sizeof(op), 1), 0);
	assert_int_equal(op.status, GNTST_okay);
	assert_int_equal(gt_info(w, A).nr_grant_frames, 9);
	assert_int_equal(gt_info(w, A).nr_status_frames, 2);
	/* 17 frames need 8 more shared frames and a third status frame:
	 * with memory for the 8 only, nothing grows. */
	while (hv_mm_alloc_pages(&w->m.heap, 0, HV_MM_NODE_ANY,
				 HV_MM_ALLOC_NO_SCRUB, NULL, &mfn[n]) == 0)
		n++;
	for (unsigned int i = 0; i < 8; i++)
		assert_int_equal(hv_mm_put_pages(&w->m.heap, mfn[--n], 0, 0),
				 0);
	op.nr_frames = 17;
	assert_int_equal(
	    gt_call(w, A, GNTTABOP_setup_table, &op, sizeof(op), 1), 0);
	assert_int_equal(op.status, GNTST_general_error);
	assert_int_equal(gt_info(w, A).nr_grant_frames, 9);
	assert_int_equal(gt_info(w, A).nr_status_frames, 2);
	while (n)
		assert_int_equal(hv_mm_put_pages(&w->m.heap, mfn[--n], 0, 0),
				 0);
	assert_int_equal(
	    gt_call(w, A, GNTTABOP_setup_table, &op, sizeof(op), 1), 0);
	assert_int_equal(op.status, GNTST_okay);
	assert_int_equal(gt_info(w, A).nr_status_frames, 3);
	gt_world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(version_rules),
	    cmocka_unit_test(v2_not_configured),
	    cmocka_unit_test(in_use_blocks_switch),
	    cmocka_unit_test(reserved_entries_carried),
	    cmocka_unit_test(not_representable),
	    cmocka_unit_test(status_frames_come_and_go),
	    cmocka_unit_test(switch_without_memory),
	    cmocka_unit_test(map_and_copy_v2),
	    cmocka_unit_test(v2_entry_checks),
	    cmocka_unit_test(v2_growth),
	    cmocka_unit_test(switch_away_from_own_op),
	};
	return cmocka_run_group_tests_name("gnttab-version", tests, NULL, NULL);
}
