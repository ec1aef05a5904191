/*
 * A domain's life and the remaining ops: a dying mapper gives its
 * mappings back; a granter whose grants are still in use is kept (as a
 * Xen zombie) until they are not; GNTTABOP_swap_grant_ref, _transfer
 * (refused for translated guests, as Xen does) and _cache_flush; the
 * queries.
 */
#include "gnttab_test.h"

#include <stdlib.h>
#include <string.h>

enum { A, B, C };

#define REF 10u

static void dying_mapper(void **state)
{
	struct gt_world *w = gt_world_new(2, NULL);
	uint64_t mfn = gt_mfn(w, A, GFN_DATA);
	grant_handle_t h[3];

	(void)state;
	gt_grant(w, A, REF, gt_domid(B), GFN_DATA, GTF_permit_access);
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(gt_map(w, B, gt_domid(A), REF, GFN_MAP + i,
					i ? GNTMAP_host_map | GNTMAP_readonly
					  : GNTMAP_host_map,
					&h[i]),
				 GNTST_okay);
	assert_int_equal(gt_refs(w, mfn), 4);
	hv_gnttab_domain_release(gt_dom(w, B)->g);
	assert_true(gt_info(w, B).dying);
	assert_int_equal(gt_info(w, B).maptrack_used, 0);
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(gt_type(w, B, GFN_MAP + i), HV_MM_P2M_INVALID);
	assert_int_equal(gt_refs(w, mfn), 1);
	assert_int_equal(gt_status(w, A, REF), 0);
	assert_int_equal(gt_info(w, A).active_grants, 0);
	/* A dying domain maps nothing new, and its old handles are gone. */
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), REF, GFN_MAP, GNTMAP_host_map, NULL),
	    GNTST_general_error);
	assert_int_equal(gt_unmap(w, B, GFN_MAP, h[0]), GNTST_bad_handle);
	/* Releasing twice is harmless. */
	hv_gnttab_domain_release(gt_dom(w, B)->g);
	gt_world_free(w);
}

/* The granter goes first: kept until the mapper lets go. */
static void zombie_granter(void **state)
{
	struct gt_world *w = gt_world_new(3, NULL);
	struct gt_dom *a = gt_dom(w, A);
	uint64_t mfn = gt_mfn(w, A, GFN_DATA);
	struct gnttab_copy op = {.len = 4, .flags = GNTCOPY_source_gref};
	grant_handle_t h;

	(void)state;
	gt_grant(w, A, REF, gt_domid(B), GFN_DATA, GTF_permit_access);
	gt_grant(w, A, REF + 1, gt_domid(C), GFN_DATA, GTF_permit_access);
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), REF, GFN_MAP, GNTMAP_host_map, &h),
	    GNTST_okay);
	assert_int_equal(hv_gnttab_domain_destroy(a->g), -HV_EBUSY);
	assert_true(gt_info(w, A).dying);
	/* Its grants take no new users. */
	assert_int_equal(
	    gt_map(w, C, gt_domid(A), REF + 1, GFN_MAP, GNTMAP_host_map, NULL),
	    GNTST_bad_domain);
	op.source.u.ref = REF + 1;
	op.source.domid = gt_domid(A);
	op.dest.u.gmfn = GFN_DATA;
	op.dest.domid = DOMID_SELF;
	assert_int_equal(gt_copy(w, C, &op), GNTST_bad_domain);
	/* The memory goes, the granted frame stays while mapped. */
	hv_mm_domain_release(&a->td.d);
	assert_int_equal(gt_refs(w, mfn), 1);
	assert_int_equal(gt_mfn(w, B, GFN_MAP), mfn);
	assert_int_equal(hv_gnttab_domain_destroy(a->g), -HV_EBUSY);
	assert_int_equal(gt_unmap(w, B, GFN_MAP, h), GNTST_okay);
	assert_int_equal(gt_refs(w, mfn), 0);
	assert_int_equal(hv_gnttab_domain_destroy(a->g), 0);
	a->destroyed = true;
	gt_world_free(w);
}

/* Destroying unmaps the table frames the guest placed. */
static void destroy_unplaces_frames(void **state)
{
	struct gt_world *w = gt_world_new(1, NULL);
	struct gt_dom *a = gt_dom(w, A);

	(void)state;
	assert_int_equal(gt_place(w, A, 1, GFN_GT + 1), 0);
	assert_int_equal(gt_type(w, A, GFN_GT + 1), HV_MM_P2M_RAM_RW);
	assert_int_equal(hv_gnttab_domain_destroy(a->g), 0);
	a->destroyed = true;
	assert_int_equal(gt_type(w, A, GFN_GT), HV_MM_P2M_INVALID);
	assert_int_equal(gt_type(w, A, GFN_GT + 1), HV_MM_P2M_INVALID);
	gt_world_free(w);
}

static int16_t swap(struct gt_world *w, unsigned int i, grant_ref_t a,
		    grant_ref_t b)
{
	struct gnttab_swap_grant_ref op = {
	    .ref_a = a, .ref_b = b, .status = 99};

	assert_int_equal(
	    gt_call(w, i, GNTTABOP_swap_grant_ref, &op, sizeof(op), 1), 0);
	return op.status;
}

static void swap_grant_ref(void **state)
{
	struct gt_world *w = gt_world_new(2, NULL);
	grant_entry_v1_t *e1 = gt_page(w, A, GFN_GT);
	grant_entry_v2_t *e2;
	struct gnttab_swap_grant_ref ops[2];
	grant_handle_t h;

	(void)state;
	gt_grant(w, A, 20, gt_domid(B), GFN_DATA, GTF_permit_access);
	gt_grant(w, A, 21, gt_domid(C), GFN_DATA + 1, GTF_permit_access);
	assert_int_equal(swap(w, A, 20, 21), GNTST_okay);
	assert_int_equal(e1[20].frame, GFN_DATA + 1);
	assert_int_equal(e1[21].frame, GFN_DATA);
	assert_int_equal(e1[21].domid, gt_domid(B));
	assert_int_equal(swap(w, A, 20, 20), GNTST_okay);
	assert_int_equal(swap(w, A, 20, 512), GNTST_bad_gntref);
	assert_int_equal(swap(w, A, 600, 20), GNTST_bad_gntref);
	/* In use: not swapped. */
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), 21, GFN_MAP, GNTMAP_host_map, &h),
	    GNTST_okay);
	assert_int_equal(swap(w, A, 20, 21), GNTST_eagain);
	assert_int_equal(swap(w, A, 21, 20), GNTST_eagain);
	assert_int_equal(e1[21].frame, GFN_DATA);
	assert_int_equal(gt_unmap(w, B, GFN_MAP, h), GNTST_okay);
	/* Several per call; in v2 the status goes along. */
	assert_int_equal(gt_set_version(w, A, 2, NULL), 0);
	assert_int_equal(
	    gt_place(w, A, XENMAPIDX_grant_table_status, GFN_STATUS), 0);
	e2 = gt_page(w, A, GFN_GT);
	gt_grant(w, A, 30, gt_domid(B), GFN_DATA, GTF_permit_access);
	((grant_status_t *)gt_page(w, A, GFN_STATUS))[30] = GTF_reading;
	ops[0] = (struct gnttab_swap_grant_ref){.ref_a = 30, .ref_b = 31};
	ops[1] = (struct gnttab_swap_grant_ref){.ref_a = 1, .ref_b = 256};
	assert_int_equal(
	    gt_call(w, A, GNTTABOP_swap_grant_ref, ops, sizeof(ops[0]), 2), 0);
	assert_int_equal(ops[0].status, GNTST_okay);
	assert_int_equal(ops[1].status, GNTST_bad_gntref);
	assert_int_equal(e2[31].full_page.frame, GFN_DATA);
	assert_int_equal(e2[30].hdr.flags, 0);
	assert_int_equal(gt_status(w, A, 31), GTF_reading);
	assert_int_equal(gt_status(w, A, 30), 0);
	assert_int_equal(hv_gnttab_hypercall(gt_dom(w, A)->g,
					     &gt_dom(w, A)->gmem,
					     GNTTABOP_swap_grant_ref,
					     (uint64_t)GFN_HOLE << 12, 1),
			 -HV_EFAULT);
	gt_world_free(w);
}

static void transfer(void **state)
{
	struct gt_world *w = gt_world_new(2, NULL);
	uint64_t mfn = gt_mfn(w, A, GFN_DATA);
	struct gnttab_transfer ops[3] = {
	    {.mfn = GFN_DATA, .domid = gt_domid(B), .ref = 1},
	    {.mfn = GFN_HOLE, .domid = gt_domid(B), .ref = 1},
	    {.mfn = GFN_GT, .domid = 77, .ref = 1},
	};

	(void)state;
	gt_grant(w, B, 1, gt_domid(A), 0, GTF_accept_transfer);
	assert_int_equal(
	    gt_call(w, A, GNTTABOP_transfer, ops, sizeof(ops[0]), 3), 0);
	/* A translated guest cannot give pages away (steal_page). */
	assert_int_equal(ops[0].status, GNTST_general_error);
	assert_int_equal(ops[1].status, GNTST_bad_page);
	assert_int_equal(ops[2].status, GNTST_general_error);
	assert_int_equal(gt_mfn(w, A, GFN_DATA), mfn);
	assert_int_equal(gt_refs(w, mfn), 1);
	assert_int_equal(((grant_entry_v1_t *)gt_page(w, B, GFN_GT))[1].flags,
			 GTF_accept_transfer);
	assert_int_equal(
	    hv_gnttab_hypercall(gt_dom(w, A)->g, &gt_dom(w, A)->gmem,
				GNTTABOP_transfer, (uint64_t)GFN_HOLE << 12, 1),
	    -HV_EFAULT);
	gt_world_free(w);
}

static int flush(struct gt_world *w, unsigned int i, uint64_t maddr,
		 uint16_t off, uint16_t len, uint32_t what, uint32_t opaque)
{
	struct gt_dom *d = gt_dom(w, i);
	struct gnttab_cache_flush op = {
	    .offset = off, .length = len, .op = what};

	op.a.dev_bus_addr = maddr;
	assert_int_equal(hv_gmem_copy_to(&d->gmem, ARGS_ADDR, &op, sizeof(op)),
			 0);
	return hv_gnttab_hypercall(d->g, &d->gmem,
				   GNTTABOP_cache_flush | opaque, ARGS_ADDR, 1);
}

static void cache_flush(void **state)
{
	struct gt_world *w = gt_world_new(2, NULL);
	const uint32_t clean = GNTTAB_CACHE_CLEAN, inval = GNTTAB_CACHE_INVAL;
	uint64_t own = gt_mfn(w, B, GFN_DATA) << 12;
	uint64_t granted = gt_mfn(w, A, GFN_DATA) << 12;
	uint64_t table = gt_mfn(w, A, GFN_GT) << 12;
	hv_mfn_t spare;
	grant_handle_t h;

	(void)state;
	/* The caller's own RAM. */
	assert_int_equal(flush(w, B, own, 0, 4096, clean | inval, 0), 0);
	assert_int_equal(w->flushes, 1);
	/* Another's frame: only while the caller holds it by grant. */
	assert_int_equal(flush(w, B, granted, 0, 64, clean, 0), -HV_EINVAL);
	gt_grant(w, A, REF, gt_domid(B), GFN_DATA, GTF_permit_access);
	assert_int_equal(
	    gt_map(w, B, gt_domid(A), REF, GFN_MAP, GNTMAP_host_map, &h),
	    GNTST_okay);
	assert_int_equal(flush(w, B, granted, 64, 64, inval, 0), 0);
	assert_int_equal(w->flushes, 2);
	/* Continuing a search Xen left at a later reference. */
	assert_int_equal(flush(w, B, granted, 64, 64, inval, 0x1000),
			 -HV_EINVAL);
	assert_int_equal(gt_unmap(w, B, GFN_MAP, h), GNTST_okay);
	assert_int_equal(flush(w, B, granted, 64, 64, inval, 0), -HV_EINVAL);
	/* Bad ranges and operations. */
	assert_int_equal(flush(w, B, own, 4096, 0, clean, 0), -HV_EINVAL);
	assert_int_equal(flush(w, B, own, 0, 4097, clean, 0), -HV_EINVAL);
	assert_int_equal(flush(w, B, own, 4000, 100, clean, 0), -HV_EINVAL);
	assert_int_equal(flush(w, B, own, 0, 8, 4, 0), -HV_EINVAL);
	assert_int_equal(flush(w, B, own, 0, 8, GNTTAB_CACHE_SOURCE_GREF, 0),
			 -HV_EINVAL);
	/* Nothing to do, unless continuing (Xen: -EILSEQ). */
	assert_int_equal(flush(w, B, own, 0, 0, clean, 0), 0);
	assert_int_equal(flush(w, B, own, 0, 8, 0, 0), 0);
	assert_int_equal(flush(w, B, own, 0, 0, clean, 0x2000), -HV_EILSEQ);
	/* Frames no domain owns, and frames outside RAM. */
	assert_int_equal(flush(w, B, table, 0, 8, clean, 0), -HV_EPERM);
	assert_int_equal(
	    hv_mm_alloc_pages(&w->m.heap, 0, HV_MM_NODE_ANY, 0, NULL, &spare),
	    0);
	assert_int_equal(hv_mm_put_pages(&w->m.heap, spare, 0, 0), 0);
	assert_int_equal(flush(w, B, hv_mfn_x(spare) << 12, 0, 8, clean, 0),
			 -HV_EPERM);
	assert_int_equal(flush(w, B, 0x1000, 0, 8, clean, 0), -HV_EINVAL);
	/* What the image's cache operation says goes to the guest. */
	w->cache_rc = -HV_EOPNOTSUPP;
	assert_int_equal(flush(w, B, own, 0, 8, inval, 0), -HV_EOPNOTSUPP);
	/* Without one, caches are coherent: nothing to do. */
	w->ops.cache_maint = NULL;
	assert_int_equal(flush(w, B, own, 0, 8, inval, 0), 0);
	assert_int_equal(w->flushes, 3);
	assert_int_equal(gt_refs(w, own >> 12), 1);
	assert_int_equal(gt_refs(w, granted >> 12), 1);
	assert_int_equal(hv_gnttab_hypercall(
			     gt_dom(w, B)->g, &gt_dom(w, B)->gmem,
			     GNTTABOP_cache_flush, (uint64_t)GFN_HOLE << 12, 1),
			 -HV_EFAULT);
	assert_int_equal(w->gets, w->puts);
	gt_world_free(w);
}

static void queries(void **state)
{
	struct gt_opts o = {.max_grant_frames = 8, .max_maptrack_frames = 3};
	struct gt_world *w = gt_world_new(2, &o);
	struct hv_gnttab_grant_info gi;
	struct hv_gnttab_info info = gt_info(w, A);
	grant_handle_t h;

	(void)state;
	assert_int_equal(info.version, 1);
	assert_int_equal(info.nr_grant_frames, 1);
	assert_int_equal(info.max_grant_frames, 8);
	assert_int_equal(info.nr_status_frames, 0);
	assert_int_equal(info.nr_maptrack_frames, 0);
	assert_int_equal(info.max_maptrack_frames, 3);
	assert_false(info.dying);
	assert_int_equal(hv_gnttab_query_grant(gt_dom(w, A)->g, 511, &gi), 0);
	assert_int_equal(gi.pins_rw + gi.pins_ro, 0);
	assert_int_equal(hv_mfn_x(gi.mfn), HV_INVALID_FRAME);
	assert_int_equal(hv_gnttab_query_grant(gt_dom(w, A)->g, 512, &gi),
			 -HV_EINVAL);
	gt_grant(w, A, 511, gt_domid(B), GFN_DATA, GTF_permit_access);
	assert_int_equal(gt_map(w, B, gt_domid(A), 511, GFN_MAP,
				GNTMAP_host_map | GNTMAP_readonly, &h),
			 GNTST_okay);
	assert_int_equal(hv_gnttab_query_grant(gt_dom(w, A)->g, 511, &gi), 0);
	assert_int_equal(gi.pins_ro, 1);
	assert_int_equal(gi.domid, gt_domid(B));
	assert_int_equal(gt_info(w, B).nr_maptrack_frames, 1);
	assert_int_equal(gt_info(w, B).maptrack_used, 1);
	assert_int_equal(gt_unmap(w, B, GFN_MAP, h), GNTST_okay);
	gt_world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(dying_mapper),
	    cmocka_unit_test(zombie_granter),
	    cmocka_unit_test(destroy_unplaces_frames),
	    cmocka_unit_test(swap_grant_ref),
	    cmocka_unit_test(transfer),
	    cmocka_unit_test(cache_flush),
	    cmocka_unit_test(queries),
	};
	return cmocka_run_group_tests_name("gnttab-domain", tests, NULL, NULL);
}
