/*
 * A grant table's frames and the ops that describe them: creation and its
 * errors, GNTTABOP_setup_table, _query_size, _get_version,
 * _get_status_frames (in v1), and placing frames in the guest's P2M with
 * XENMEM_add_to_physmap(XENMAPSPACE_grant_table) through libhv-mm.
 */
#include "gnttab_test.h"

#include <stdlib.h>
#include <string.h>

enum { A, B, C };

/* A guest page the hypervisor may read but not write (argument write-back
 * faults). */
#define GFN_RO (RAM_PAGES - 1)

static void make_read_only(struct gt_world *w, unsigned int i, uint64_t gfn)
{
	assert_int_equal(hv_mm_p2m_set(&gt_dom(w, i)->td.p2m, NULL, hv_gfn(gfn),
				       hv_mfn(gt_mfn(w, i, gfn)), 1,
				       HV_MM_P2M_RAM_RO, HV_MM_P2M_R),
			 0);
}

static int call_at(struct gt_world *w, unsigned int i, unsigned int cmd,
		   uint64_t gfn, void *op, size_t size, unsigned int count)
{
	struct gt_dom *d = gt_dom(w, i);
	void *p;
	int rc;

	/* Written behind the P2M's back: the page may be read-only. */
	assert_int_equal(hv_mm_p2m_lookup(&d->td.p2m, hv_gfn(gfn),
					  &(struct hv_mm_p2m_info){0}),
			 0);
	p = test_ram_page(&w->m.ram, gt_mfn(w, i, gfn));
	memcpy(p, op, size);
	rc = hv_gnttab_hypercall(d->g, &d->gmem, cmd, gfn << HV_PAGE_SHIFT,
				 count);
	memcpy(op, p, size);
	return rc;
}

static void create_errors(void **state)
{
	struct gt_world *w = gt_world_new(1, NULL);
	struct gt_dom *a = gt_dom(w, A);
	struct hv_gnttab_config bad;
	struct hv_gnttab_domain *g;
	struct hv_gnttab_ops no_get = w->ops, no_virt = w->ops;
	struct hv_mm_domain reserved_id = a->td.d, no_p2m = a->td.d;

	(void)state;
	no_get.get_domain = NULL;
	no_virt.phys_to_virt = NULL;
	reserved_id.domid = DOMID_FIRST_RESERVED;
	no_p2m.p2m = NULL;
#define EXPECT_EINVAL(field, value)                                            \
	do {                                                                   \
		bad = a->cfg;                                                  \
		bad.field = value;                                             \
		assert_int_equal(hv_gnttab_domain_create(&bad, &g),            \
				 -HV_EINVAL);                                  \
	} while (0)
	EXPECT_EINVAL(mm, NULL);
	EXPECT_EINVAL(mm, &reserved_id);
	EXPECT_EINVAL(mm, &no_p2m);
	EXPECT_EINVAL(max_grant_frames, 0);
	EXPECT_EINVAL(max_grant_frames, HV_GNTTAB_MAX_GRANT_FRAMES + 1);
	EXPECT_EINVAL(max_maptrack_frames, HV_GNTTAB_MAX_MAPTRACK_FRAMES + 1);
	EXPECT_EINVAL(ops, NULL);
	EXPECT_EINVAL(ops, &no_get);
	EXPECT_EINVAL(ops, &no_virt);
	EXPECT_EINVAL(alloc.alloc, NULL);
	EXPECT_EINVAL(alloc.free, NULL);
#undef EXPECT_EINVAL
	/* Every allocation failing in turn: -ENOMEM and nothing kept. */
	for (long n = 0;; n++) {
		int rc;

		w->fail_after = n;
		rc = hv_gnttab_domain_create(&a->cfg, &g);
		w->fail_after = -1;
		if (rc == 0) {
			assert_true(n >= 4);
			assert_int_equal(hv_gnttab_domain_destroy(g), 0);
			break;
		}
		assert_int_equal(rc, -HV_ENOMEM);
	}
	gt_world_free(w);
}

/* No machine frame left for the table: -ENOMEM, nothing leaked. */
static void create_without_frames(void **state)
{
	struct gt_world *w = gt_world_new(1, NULL);
	struct hv_gnttab_domain *g;
	hv_mfn_t mfn[4096];
	unsigned int n = 0;

	(void)state;
	while (hv_mm_alloc_pages(&w->m.heap, 0, HV_MM_NODE_ANY,
				 HV_MM_ALLOC_NO_SCRUB, NULL, &mfn[n]) == 0)
		n++;
	assert_int_equal(hv_gnttab_domain_create(&gt_dom(w, A)->cfg, &g),
			 -HV_ENOMEM);
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(hv_mm_put_pages(&w->m.heap, mfn[i], 0, 0), 0);
	gt_world_free(w);
}

static int16_t query(struct gt_world *w, unsigned int i, hv_domid_t dom,
		     struct gnttab_query_size *op)
{
	*op = (struct gnttab_query_size){.dom = dom, .status = 99};
	assert_int_equal(gt_call(w, i, GNTTABOP_query_size, op, sizeof(*op), 1),
			 0);
	return op->status;
}

static void query_size(void **state)
{
	struct gt_opts o = {.privileged = true};
	struct gt_world *w = gt_world_new(3, &o);
	struct gnttab_query_size op;

	(void)state;
	assert_int_equal(query(w, B, DOMID_SELF, &op), GNTST_okay);
	assert_int_equal(op.nr_frames, 1);
	assert_int_equal(op.max_nr_frames, 4);
	assert_int_equal(query(w, B, gt_domid(B), &op), GNTST_okay);
	assert_int_equal(query(w, B, gt_domid(C), &op),
			 GNTST_permission_denied);
	assert_int_equal(query(w, B, 99, &op), GNTST_bad_domain);
	/* A is privileged: it may ask about C. */
	assert_int_equal(query(w, A, gt_domid(C), &op), GNTST_okay);
	assert_int_equal(op.nr_frames, 1);
	{
		struct gnttab_query_size two[2] = {{.dom = DOMID_SELF}};

		assert_int_equal(
		    gt_call(w, B, GNTTABOP_query_size, two, sizeof(two[0]), 2),
		    -HV_EINVAL);
	}
	assert_int_equal(gt_call(w, B, GNTTABOP_query_size, &op, sizeof(op), 0),
			 -HV_EINVAL);
	assert_int_equal(hv_gnttab_hypercall(
			     gt_dom(w, B)->g, &gt_dom(w, B)->gmem,
			     GNTTABOP_query_size, (uint64_t)GFN_HOLE << 12, 1),
			 -HV_EFAULT);
	make_read_only(w, B, GFN_RO);
	op = (struct gnttab_query_size){.dom = DOMID_SELF};
	assert_int_equal(
	    call_at(w, B, GNTTABOP_query_size, GFN_RO, &op, sizeof(op), 1),
	    -HV_EFAULT);
	assert_int_equal(w->gets, w->puts);
	gt_world_free(w);
}

static int16_t setup(struct gt_world *w, unsigned int i, hv_domid_t dom,
		     uint32_t nr, uint64_t list, uint64_t *frames)
{
	struct gnttab_setup_table op = {
	    .dom = dom, .nr_frames = nr, .status = 99};

	op.frame_list.p = (xen_pfn_t *)(uintptr_t)list;
	memset(gt_page(w, i, GFN_LIST), 0x33, HV_PAGE_SIZE);
	assert_int_equal(
	    gt_call(w, i, GNTTABOP_setup_table, &op, sizeof(op), 1), 0);
	if (frames)
		memcpy(frames, gt_page(w, i, GFN_LIST), nr * sizeof(*frames));
	return op.status;
}

static void setup_table(void **state)
{
	struct gt_opts o = {.privileged = true};
	struct gt_world *w = gt_world_new(3, &o);
	uint64_t f[4];

	(void)state;
	/* Grow to 3: frame 0 is placed, 1 and 2 are not yet. */
	assert_int_equal(setup(w, B, DOMID_SELF, 3, LIST_ADDR, f), GNTST_okay);
	assert_int_equal(gt_info(w, B).nr_grant_frames, 3);
	assert_int_equal(f[0], GFN_GT);
	assert_int_equal(f[1], UINT64_MAX);
	assert_int_equal(f[2], UINT64_MAX);
	assert_int_equal(gt_place(w, B, 1, GFN_GT + 1), 0);
	assert_int_equal(setup(w, B, DOMID_SELF, 2, LIST_ADDR, f), GNTST_okay);
	assert_int_equal(f[1], GFN_GT + 1);
	assert_int_equal(gt_info(w, B).nr_grant_frames, 3);
	/* Past the limit: nothing grows. */
	assert_int_equal(setup(w, B, DOMID_SELF, 5, LIST_ADDR, NULL),
			 GNTST_general_error);
	assert_int_equal(gt_info(w, B).nr_grant_frames, 3);
	/* No memory to grow: the same, and nothing half-grown. */
	w->fail_after = 0;
	assert_int_equal(setup(w, B, DOMID_SELF, 4, LIST_ADDR, NULL),
			 GNTST_general_error);
	w->fail_after = -1;
	assert_int_equal(gt_info(w, B).nr_grant_frames, 3);
	/* An unwritable list: the table grows, the guest hears of it. */
	assert_int_equal(
	    setup(w, B, DOMID_SELF, 4, (uint64_t)GFN_HOLE << 12, NULL),
	    GNTST_bad_virt_addr);
	assert_int_equal(gt_info(w, B).nr_grant_frames, 4);
	/* Zero frames is fine and lists nothing. */
	assert_int_equal(
	    setup(w, B, DOMID_SELF, 0, (uint64_t)GFN_HOLE << 12, NULL),
	    GNTST_okay);
	/* Other domains: by id, unknown, not permitted, privileged. */
	assert_int_equal(setup(w, B, gt_domid(B), 1, LIST_ADDR, f), GNTST_okay);
	assert_int_equal(setup(w, B, 42, 1, LIST_ADDR, NULL), GNTST_bad_domain);
	assert_int_equal(setup(w, B, gt_domid(C), 2, LIST_ADDR, NULL),
			 GNTST_permission_denied);
	assert_int_equal(gt_info(w, C).nr_grant_frames, 1);
	assert_int_equal(setup(w, A, gt_domid(C), 2, LIST_ADDR, f), GNTST_okay);
	assert_int_equal(gt_info(w, C).nr_grant_frames, 2);
	assert_int_equal(f[0], GFN_GT);
	/* The call itself. */
	{
		struct gnttab_setup_table op = {.dom = DOMID_SELF}, two[2];

		two[0] = two[1] = op;
		assert_int_equal(
		    gt_call(w, B, GNTTABOP_setup_table, two, sizeof(op), 2),
		    -HV_EINVAL);
		assert_int_equal(
		    hv_gnttab_hypercall(gt_dom(w, B)->g, &gt_dom(w, B)->gmem,
					GNTTABOP_setup_table,
					(uint64_t)GFN_HOLE << 12, 1),
		    -HV_EFAULT);
		make_read_only(w, B, GFN_RO);
		assert_int_equal(call_at(w, B, GNTTABOP_setup_table, GFN_RO,
					 &op, sizeof(op), 1),
				 -HV_EFAULT);
	}
	assert_int_equal(w->gets, w->puts);
	gt_world_free(w);
}

/* XENMEM_add_to_physmap of table frames, through libhv-mm. */
static void place_frames(void **state)
{
	struct gt_world *w = gt_world_new(1, NULL);
	struct hv_mm_p2m_info info;
	uint64_t ram = gt_mfn(w, A, GFN_DATA);
	uint64_t f[3];

	(void)state;
	/* Frame 0 sits at GFN_GT as ordinary RAM for the guest. */
	assert_int_equal(
	    hv_mm_p2m_lookup(&gt_dom(w, A)->td.p2m, hv_gfn(GFN_GT), &info), 0);
	assert_int_equal(info.type, HV_MM_P2M_RAM_RW);
	/* Placing frame 2 grows the table to 3 frames (Xen's
	 * gnttab_map_frame); over RAM, which goes back to the heap. */
	assert_int_equal(gt_place(w, A, 2, GFN_DATA), 0);
	assert_int_equal(gt_info(w, A).nr_grant_frames, 3);
	assert_int_equal(gt_refs(w, ram), 0);
	assert_int_equal(setup(w, A, DOMID_SELF, 3, LIST_ADDR, f), GNTST_okay);
	assert_int_equal(f[2], GFN_DATA);
	/* Moving frame 0 leaves a hole behind. */
	assert_int_equal(gt_place(w, A, 0, GFN_GT + 8), 0);
	assert_int_equal(gt_type(w, A, GFN_GT), HV_MM_P2M_INVALID);
	assert_int_equal(setup(w, A, DOMID_SELF, 1, LIST_ADDR, f), GNTST_okay);
	assert_int_equal(f[0], GFN_GT + 8);
	/* Something else placed over a frame: it is no longer listed. */
	assert_int_equal(gt_place(w, A, 1, GFN_GT + 8), 0);
	assert_int_equal(setup(w, A, DOMID_SELF, 2, LIST_ADDR, f), GNTST_okay);
	assert_int_equal(f[0], UINT64_MAX);
	assert_int_equal(f[1], GFN_GT + 8);
	/* Past the limit, and status frames of a v1 table. */
	assert_int_equal(gt_place(w, A, 4, GFN_GT + 9), -HV_EINVAL);
	assert_int_equal(gt_place(w, A, UINT64_C(1) << 40, GFN_GT + 9),
			 -HV_EINVAL);
	assert_int_equal(
	    gt_place(w, A, XENMAPIDX_grant_table_status, GFN_STATUS),
	    -HV_EINVAL);
	assert_int_equal(gt_info(w, A).nr_grant_frames, 3);
	/* Growing fails without memory: the index stays invalid. */
	w->fail_after = 0;
	assert_int_equal(gt_place(w, A, 3, GFN_GT + 9), -HV_EINVAL);
	w->fail_after = -1;
	assert_int_equal(gt_info(w, A).nr_grant_frames, 3);
	/* Back where Linux puts it, for gt_world_free's checks. */
	assert_int_equal(gt_place(w, A, 0, GFN_GT), 0);
	gt_world_free(w);
}

static int get_version(struct gt_world *w, unsigned int i, hv_domid_t dom,
		       uint32_t *version)
{
	struct gnttab_get_version op = {.dom = dom, .version = 99};
	int rc = gt_call(w, i, GNTTABOP_get_version, &op, sizeof(op), 1);

	*version = op.version;
	return rc;
}

static void get_version_op(void **state)
{
	struct gt_opts o = {.privileged = true};
	struct gt_world *w = gt_world_new(3, &o);
	uint32_t v;

	(void)state;
	assert_int_equal(get_version(w, B, DOMID_SELF, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(get_version(w, B, gt_domid(C), &v), -HV_EPERM);
	assert_int_equal(v, 99);
	assert_int_equal(get_version(w, B, 1234, &v), -HV_ESRCH);
	assert_int_equal(get_version(w, A, gt_domid(C), &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(hv_gnttab_hypercall(
			     gt_dom(w, B)->g, &gt_dom(w, B)->gmem,
			     GNTTABOP_get_version, (uint64_t)GFN_HOLE << 12, 1),
			 -HV_EFAULT);
	make_read_only(w, B, GFN_RO);
	{
		struct gnttab_get_version op = {.dom = DOMID_SELF};

		assert_int_equal(call_at(w, B, GNTTABOP_get_version, GFN_RO,
					 &op, sizeof(op), 1),
				 -HV_EFAULT);
	}
	assert_int_equal(w->gets, w->puts);
	gt_world_free(w);
}

static int16_t status_frames(struct gt_world *w, unsigned int i, hv_domid_t dom,
			     uint32_t nr, uint64_t *frames)
{
	struct gnttab_get_status_frames op = {
	    .nr_frames = nr, .dom = dom, .status = 99};

	op.frame_list.p = (uint64_t *)(uintptr_t)LIST_ADDR;
	assert_int_equal(
	    gt_call(w, i, GNTTABOP_get_status_frames, &op, sizeof(op), 1), 0);
	if (frames)
		memcpy(frames, gt_page(w, i, GFN_LIST), nr * sizeof(*frames));
	return op.status;
}

/* A v1 table has no status frames. */
static void status_frames_v1(void **state)
{
	struct gt_world *w = gt_world_new(2, NULL);
	struct gnttab_get_status_frames op = {.dom = DOMID_SELF};

	(void)state;
	assert_int_equal(status_frames(w, A, DOMID_SELF, 0, NULL), GNTST_okay);
	assert_int_equal(status_frames(w, A, DOMID_SELF, 1, NULL),
			 GNTST_general_error);
	assert_int_equal(status_frames(w, A, 77, 0, NULL), GNTST_bad_domain);
	assert_int_equal(status_frames(w, A, gt_domid(B), 0, NULL),
			 GNTST_permission_denied);
	{
		struct gnttab_get_status_frames three[3] = {op, op, op};

		assert_int_equal(gt_call(w, A, GNTTABOP_get_status_frames,
					 three, sizeof(op), 3),
				 -HV_EINVAL);
	}
	assert_int_equal(hv_gnttab_hypercall(gt_dom(w, A)->g,
					     &gt_dom(w, A)->gmem,
					     GNTTABOP_get_status_frames,
					     (uint64_t)GFN_HOLE << 12, 1),
			 -HV_EFAULT);
	make_read_only(w, A, GFN_RO);
	assert_int_equal(call_at(w, A, GNTTABOP_get_status_frames, GFN_RO, &op,
				 sizeof(op), 1),
			 -HV_EFAULT);
	gt_world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(create_errors),
	    cmocka_unit_test(create_without_frames),
	    cmocka_unit_test(query_size),
	    cmocka_unit_test(setup_table),
	    cmocka_unit_test(place_frames),
	    cmocka_unit_test(get_version_op),
	    cmocka_unit_test(status_frames_v1),
	};
	return cmocka_run_group_tests_name("gnttab-table", tests, NULL, NULL);
}
