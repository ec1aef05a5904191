/*
 * A domain's memory: building it in superpage extents, replacing and
 * unmapping it (frames released only after the batch's flush), grant
 * references outliving the mapping, teardown, and hypercall copies through
 * hv_mm_gpa_translate.
 */
#include "mm_test.h"

#include <hv/x86_npt.h>

#include <string.h>

#define SZ_2M	      (UINT64_C(1) << 9)
#define MACHINE_PAGES 8192 /* 32 MiB */

static struct hv_mm_p2m_info lookup(struct test_domain *td, uint64_t gfn)
{
	struct hv_mm_p2m_info info;

	assert_int_equal(hv_mm_p2m_lookup(&td->p2m, hv_gfn(gfn), &info), 0);
	return info;
}

static hv_mfn_t lookup_in(struct hv_mm_p2m *p2m, uint64_t gfn)
{
	struct hv_mm_p2m_info info;

	assert_int_equal(hv_mm_p2m_lookup(p2m, hv_gfn(gfn), &info), 0);
	return info.mfn;
}

static bool frame_allocated(struct test_machine *m, hv_mfn_t mfn)
{
	struct hv_mm_page_info info;

	assert_int_equal(hv_mm_page_query(&m->heap, mfn, &info), 0);
	return info.allocated;
}

/* A fast build: 2 MiB extents where aligned (1 GiB ones do not fit this
 * machine, so they fall back), 4 KiB at the edges; memory comes zeroed. */
static void populate_in_superpages(void **state)
{
	struct test_machine m;
	struct test_domain td;
	struct hv_mm_p2m_info info;
	uint64_t done;
	const uint8_t *page;

	(void)state;
	test_machine_init(&m, MACHINE_PAGES);
	test_domain_init(&td, &m, 1, &hv_x86_npt, MACHINE_PAGES);
	assert_int_equal(hv_mm_domain_populate(&td.d, NULL, hv_gfn(SZ_2M - 2),
					       4 * SZ_2M + 4,
					       HV_MM_P2M_ORDER_1G, &done),
			 0);
	assert_int_equal(done, 4 * SZ_2M + 4);
	assert_int_equal(td.d.account.tot_pages, 4 * SZ_2M + 4);
	assert_int_equal(lookup(&td, SZ_2M - 2).order, 0);
	info = lookup(&td, SZ_2M + 5);
	assert_int_equal(info.order, 9);
	assert_int_equal(info.type, HV_MM_P2M_RAM_RW);
	assert_int_equal(info.access, HV_MM_P2M_RWX);
	page = test_ram_page(&m.ram, hv_mfn_x(info.mfn));
	for (size_t i = 0; i < HV_PAGE_SIZE; i++)
		assert_int_equal(page[i], 0);
	assert_int_equal(lookup(&td, 5 * SZ_2M + 1).order, 0);
	assert_int_equal(hv_mm_p2m_max_mapped_gfn(&td.p2m), 5 * SZ_2M + 1);
	/* Out of the P2M's space: refused before anything happens. */
	assert_int_equal(
	    hv_mm_domain_populate(&td.d, NULL,
				  hv_gfn(hv_mm_p2m_gfn_limit(&td.p2m) - 1), 2,
				  HV_MM_P2M_ORDER_1G, &done),
	    -HV_EINVAL);
	assert_int_equal(done, 0);
	test_domain_fini(&td);
	test_machine_fini(&m);
}

/* The limit stops a build part way, with what was done reported. */
static void populate_stops_at_the_limit(void **state)
{
	struct test_machine m;
	struct test_domain td;
	uint64_t done;

	(void)state;
	test_machine_init(&m, MACHINE_PAGES);
	test_domain_init(&td, &m, 1, &hv_x86_npt, SZ_2M + 3);
	assert_int_equal(hv_mm_domain_populate(&td.d, NULL, hv_gfn(0),
					       2 * SZ_2M, HV_MM_P2M_ORDER_2M,
					       &done),
			 -HV_E2BIG);
	assert_int_equal(done, SZ_2M + 3);
	assert_int_equal(td.d.account.tot_pages, SZ_2M + 3);
	assert_int_equal(lookup(&td, SZ_2M + 3).type, HV_MM_P2M_INVALID);
	/* The heap itself running out. */
	hv_mm_account_set_max(&m.heap, &td.d.account, UINT64_MAX);
	assert_int_equal(hv_mm_domain_populate(&td.d, NULL, hv_gfn(SZ_2M * 8),
					       2 * MACHINE_PAGES,
					       HV_MM_P2M_ORDER_2M, NULL),
			 -HV_ENOMEM);
	assert_int_equal(td.d.account.tot_pages, MACHINE_PAGES);
	test_domain_fini(&td);
	test_machine_fini(&m);
}

/*
 * Replacing or unmapping a domain's RAM releases its frames, but only when
 * the batch ends; an MMIO mapping releases nothing.  A frame another domain
 * holds a reference to (a grant mapping) stays allocated and charged until
 * that reference goes, as in Xen.
 */
static void unmapped_frames_are_released_after_the_flush(void **state)
{
	struct hv_mm_domain_batch b;
	struct test_machine m;
	struct test_domain td;
	hv_mfn_t a, c;

	(void)state;
	test_machine_init(&m, MACHINE_PAGES);
	test_domain_init(&td, &m, 1, &hv_x86_npt, MACHINE_PAGES);
	assert_int_equal(hv_mm_domain_populate(&td.d, NULL, hv_gfn(0), 8,
					       HV_MM_P2M_ORDER_1G, NULL),
			 0);
	hv_mm_p2m_activate(&td.p2m);
	a = lookup(&td, 1).mfn;
	c = lookup(&td, 2).mfn;
	assert_int_equal(hv_mm_get_page(&m.heap, c, &td.d.account), 0);

	hv_mm_domain_batch_begin(&b, &td.d);
	assert_int_equal(hv_mm_domain_map(&td.d, &b, hv_gfn(1), hv_mfn(0x9000),
					  1, HV_MM_P2M_MMIO, HV_MM_P2M_RW),
			 0);
	assert_int_equal(hv_mm_domain_unmap(&td.d, &b, hv_gfn(2), 6), 0);
	/* Still reachable through stale TLB entries: not yet released. */
	assert_true(frame_allocated(&m, a));
	assert_int_equal(td.d.account.tot_pages, 8);
	assert_int_equal(td.t.flushes, 0);
	assert_int_equal(hv_mm_domain_batch_end(&b), 7);
	assert_int_equal(td.t.flushes, 1);
	assert_false(frame_allocated(&m, a));
	assert_true(frame_allocated(&m, c));
	assert_int_equal(td.d.account.tot_pages, 2);
	assert_int_equal(lookup(&td, 1).type, HV_MM_P2M_MMIO);
	assert_int_equal(hv_mm_put_pages(&m.heap, c, 0, 0), 0);
	assert_int_equal(td.d.account.tot_pages, 1);
	/* Teardown: one flush, everything back. */
	assert_int_equal(hv_mm_domain_release(&td.d), 1);
	assert_int_equal(td.t.flushes, 2);
	assert_int_equal(td.d.account.tot_pages, 0);
	test_domain_fini(&td);
	test_machine_fini(&m);
}

/* Populating never replaces a grant mapping. */
static void populate_spares_grant_mappings(void **state)
{
	struct test_machine m;
	struct test_domain td;
	uint64_t done = 7;

	(void)state;
	test_machine_init(&m, MACHINE_PAGES);
	test_domain_init(&td, &m, 1, &hv_x86_npt, MACHINE_PAGES);
	assert_int_equal(hv_mm_p2m_grant_map(&td.p2m, NULL, hv_gfn(5),
					     hv_mfn(0x1234), false),
			 0);
	assert_int_equal(hv_mm_domain_populate(&td.d, NULL, hv_gfn(0), 16,
					       HV_MM_P2M_ORDER_1G, &done),
			 -HV_EINVAL);
	assert_int_equal(done, 0);
	assert_int_equal(td.d.account.tot_pages, 0);
	assert_int_equal(
	    hv_mm_p2m_grant_unmap(&td.p2m, NULL, hv_gfn(5), hv_mfn(0x1234)), 0);
	test_domain_fini(&td);
	test_machine_fini(&m);
}

/*
 * A grant mapping holds a reference on the granter's frame that only the
 * grant unmap drops: mapping or unmapping a range over it is refused, so
 * the mapping, and the reference, stay for the grant unmap.
 */
static void map_and_unmap_spare_grant_mappings(void **state)
{
	struct test_machine m;
	struct test_domain granter, td;
	hv_mfn_t f;

	(void)state;
	test_machine_init(&m, MACHINE_PAGES);
	test_domain_init(&granter, &m, 1, &hv_x86_npt, MACHINE_PAGES);
	test_domain_init(&td, &m, 2, &hv_x86_npt, MACHINE_PAGES);
	assert_int_equal(hv_mm_domain_populate(&granter.d, NULL, hv_gfn(0), 1,
					       HV_MM_P2M_ORDER_4K, NULL),
			 0);
	f = lookup(&granter, 0).mfn;
	assert_int_equal(hv_mm_get_page(&m.heap, f, &granter.d.account), 0);
	assert_int_equal(
	    hv_mm_p2m_grant_map(&td.p2m, NULL, hv_gfn(5), f, false), 0);
	assert_int_equal(hv_mm_domain_unmap(&td.d, NULL, hv_gfn(5), 1),
			 -HV_EINVAL);
	assert_int_equal(hv_mm_domain_unmap(&td.d, NULL, hv_gfn(0), 16),
			 -HV_EINVAL);
	assert_int_equal(hv_mm_domain_map(&td.d, NULL, hv_gfn(4),
					  hv_mfn(0xfe000), 2, HV_MM_P2M_MMIO,
					  HV_MM_P2M_RW),
			 -HV_EINVAL);
	assert_int_equal(lookup(&td, 5).type, HV_MM_P2M_GRANT_RW);
	assert_int_equal(lookup(&td, 4).type, HV_MM_P2M_INVALID);
	/* Next to it is fine. */
	assert_int_equal(hv_mm_domain_map(&td.d, NULL, hv_gfn(6),
					  hv_mfn(0xfe000), 1, HV_MM_P2M_MMIO,
					  HV_MM_P2M_RW),
			 0);
	assert_int_equal(hv_mm_domain_unmap(&td.d, NULL, hv_gfn(6), 1), 0);
	/* The grant unmap finds its mapping and drops the reference. */
	assert_int_equal(hv_mm_p2m_grant_unmap(&td.p2m, NULL, hv_gfn(5), f), 0);
	assert_int_equal(hv_mm_put_pages(&m.heap, f, 0, 0), 0);
	test_domain_fini(&td);
	test_domain_fini(&granter);
	test_machine_fini(&m);
}

/* A grant mapping made in a domain batch releases the RAM it replaces. */
static void grant_map_in_a_domain_batch(void **state)
{
	struct hv_mm_domain_batch b;
	struct test_machine m;
	struct test_domain td;

	(void)state;
	test_machine_init(&m, MACHINE_PAGES);
	test_domain_init(&td, &m, 1, &hv_x86_npt, MACHINE_PAGES);
	assert_int_equal(hv_mm_domain_populate(&td.d, NULL, hv_gfn(0), 4,
					       HV_MM_P2M_ORDER_1G, NULL),
			 0);
	hv_mm_domain_batch_begin(&b, &td.d);
	assert_int_equal(hv_mm_p2m_grant_map(&td.p2m, &b.p2m, hv_gfn(1),
					     hv_mfn(0x1234), false),
			 0);
	assert_int_equal(td.d.account.tot_pages, 4);
	assert_int_equal(hv_mm_domain_batch_end(&b), 1);
	assert_int_equal(td.d.account.tot_pages, 3);
	assert_int_equal(
	    hv_mm_p2m_grant_unmap(&td.p2m, NULL, hv_gfn(1), hv_mfn(0x1234)), 0);
	test_domain_fini(&td);
	test_machine_fini(&m);
}

static int guest_translate(void *ctx, hv_gfn_t gfn, unsigned int access,
			   void **page)
{
	return hv_mm_gpa_translate(ctx, gfn, access, page);
}

/* Hypercall copies reach RAM only, and RAM_RO only for reading. */
static void guest_physical_copies(void **state)
{
	struct test_machine m;
	struct test_domain td;
	struct hv_gmem gm;
	hv_mfn_t xen_page;
	char buf[16];

	(void)state;
	test_machine_init(&m, MACHINE_PAGES);
	test_domain_init(&td, &m, 1, &hv_x86_npt, MACHINE_PAGES);
	hv_gmem_init(&gm, guest_translate, &td.d, 48);
	assert_int_equal(hv_mm_domain_populate(&td.d, NULL, hv_gfn(0x10), 2,
					       HV_MM_P2M_ORDER_1G, NULL),
			 0);
	assert_int_equal(hv_gmem_copy_to(&gm, 0x10ffa, "hello, domain", 14), 0);
	assert_int_equal(hv_gmem_copy_from(&gm, buf, 0x10ffa, 14), 0);
	assert_string_equal(buf, "hello, domain");
	/* Its own RAM once only; a hypervisor page may be shown read-only. */
	assert_int_equal(hv_mm_domain_map(&td.d, NULL, hv_gfn(0x20),
					  lookup(&td, 0x10).mfn, 1,
					  HV_MM_P2M_RAM_RO, HV_MM_P2M_R),
			 -HV_EINVAL);
	assert_int_equal(
	    hv_mm_alloc_pages(&m.heap, 0, HV_MM_NODE_ANY, 0, NULL, &xen_page),
	    0);
	memcpy(test_ram_page(&m.ram, hv_mfn_x(xen_page)), "hello", 5);
	assert_int_equal(hv_mm_domain_map(&td.d, NULL, hv_gfn(0x20), xen_page,
					  1, HV_MM_P2M_RAM_RO, HV_MM_P2M_R),
			 0);
	assert_int_equal(hv_gmem_copy_from(&gm, buf, 0x20000, 5), 0);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(hv_gmem_copy_to(&gm, 0x20000, "x", 1), -HV_EFAULT);
	assert_int_equal(hv_mm_domain_map(&td.d, NULL, hv_gfn(0x21),
					  lookup(&td, 0x11).mfn, 1,
					  HV_MM_P2M_MMIO, HV_MM_P2M_RW),
			 0);
	assert_int_equal(hv_gmem_copy_from(&gm, buf, 0x21000, 1), -HV_EFAULT);
	assert_int_equal(hv_mm_p2m_grant_map(&td.p2m, NULL, hv_gfn(0x22),
					     lookup(&td, 0x11).mfn, false),
			 0);
	assert_int_equal(hv_gmem_copy_from(&gm, buf, 0x22000, 1), -HV_EFAULT);
	assert_int_equal(hv_gmem_copy_from(&gm, buf, 0x30000, 1), -HV_EFAULT);
	hv_gmem_init(&gm, guest_translate, &td.d, 64);
	assert_int_equal(hv_gmem_copy_from(&gm, buf, UINT64_C(1) << 60, 1),
			 -HV_EFAULT);
	assert_int_equal(hv_mm_p2m_grant_unmap(&td.p2m, NULL, hv_gfn(0x22),
					       lookup(&td, 0x11).mfn),
			 0);
	/* Unmapping the hypervisor's page releases nothing. */
	assert_int_equal(hv_mm_domain_unmap(&td.d, NULL, hv_gfn(0x20), 2), 0);
	assert_true(frame_allocated(&m, xen_page));
	assert_int_equal(hv_mm_put_pages(&m.heap, xen_page, 0, 0), 0);
	test_domain_fini(&td);
	test_machine_fini(&m);
}

/* A pinned frame stays allocated and charged after the guest unmaps it,
 * until the unpin; a pin of what the guest does not map fails. */
static void pinned_frame_outlives_its_mapping(void **state)
{
	struct test_machine m;
	struct test_domain td;
	struct hv_mm_page_info info;
	struct hv_gmem gm;
	uint64_t pin, pin2;
	hv_mfn_t mfn;
	void *p;

	(void)state;
	test_machine_init(&m, MACHINE_PAGES);
	test_domain_init(&td, &m, 1, &hv_x86_npt, MACHINE_PAGES);
	hv_gmem_init(&gm, hv_mm_gpa_translate, &td.d, 48);
	hv_gmem_set_pinning(&gm, hv_mm_gpa_pin, hv_mm_gpa_unpin);
	assert_int_equal(hv_mm_domain_populate(&td.d, NULL, hv_gfn(0x10), 2,
					       HV_MM_P2M_ORDER_1G, NULL),
			 0);
	mfn = lookup(&td, 0x10).mfn;
	assert_int_equal(
	    hv_gmem_map_pinned(&gm, 0x10008, 8, 8, HV_GMEM_WRITE, &p, &pin), 0);
	assert_int_equal(pin, hv_mfn_x(mfn));
	assert_ptr_equal(p, test_ram_page(&m.ram, hv_mfn_x(mfn)) + 8);
	/* Pinned twice: two references to drop. */
	assert_int_equal(
	    hv_gmem_map_pinned(&gm, 0x10000, 8, 8, HV_GMEM_READ, &p, &pin2), 0);
	assert_int_equal(hv_mm_domain_unmap(&td.d, NULL, hv_gfn(0x10), 1), 0);
	assert_int_equal(hv_mm_page_query(&m.heap, mfn, &info), 0);
	assert_true(info.allocated);
	assert_ptr_equal(info.owner, &td.d.account);
	assert_int_equal(info.refs, 2);
	assert_int_equal(td.d.account.tot_pages, 2);
	assert_int_equal(
	    hv_gmem_map_pinned(&gm, 0x10000, 8, 8, HV_GMEM_READ, &p, &pin),
	    -HV_EFAULT);
	hv_gmem_unpin(&gm, pin2);
	assert_true(frame_allocated(&m, mfn));
	hv_gmem_unpin(&gm, hv_mfn_x(mfn));
	assert_false(frame_allocated(&m, mfn));
	assert_int_equal(td.d.account.tot_pages, 1);
	/* A hypervisor page shown read-only pins for reading only. */
	assert_int_equal(
	    hv_mm_alloc_pages(&m.heap, 0, HV_MM_NODE_ANY, 0, NULL, &mfn), 0);
	assert_int_equal(hv_mm_domain_map(&td.d, NULL, hv_gfn(0x20), mfn, 1,
					  HV_MM_P2M_RAM_RO, HV_MM_P2M_R),
			 0);
	assert_int_equal(
	    hv_gmem_map_pinned(&gm, 0x20000, 8, 8, HV_GMEM_WRITE, &p, &pin),
	    -HV_EFAULT);
	assert_int_equal(
	    hv_gmem_map_pinned(&gm, 0x20000, 8, 8, HV_GMEM_READ, &p, &pin), 0);
	assert_int_equal(hv_mm_domain_unmap(&td.d, NULL, hv_gfn(0x20), 1), 0);
	assert_int_equal(hv_mm_put_pages(&m.heap, mfn, 0, 0), 0);
	assert_true(frame_allocated(&m, mfn));
	hv_gmem_unpin(&gm, pin);
	assert_false(frame_allocated(&m, mfn));
	test_domain_fini(&td);
	test_machine_fini(&m);
}

/*
 * Frames contiguous across two nodes, mapped by one superpage run, are
 * released back to both nodes.
 */
static void release_across_nodes(void **state)
{
	struct hv_mm_node nodes[2];
	struct hv_mm_heap_stats st;
	struct hv_mm_heap heap;
	struct test_tables t;
	struct test_ram ram;
	struct hv_mm_domain d;
	struct hv_mm_p2m p2m;
	static uint8_t frames[2][1024 * HV_MM_FRAME_BYTES]
	    __attribute__((aligned(8)));

	(void)state;
	test_ram_init(&ram, 2048);
	assert_int_equal(hv_mm_heap_init(&heap, nodes, 2, test_ram_virt, &ram),
			 0);
	assert_int_equal(hv_mm_heap_node_init(&heap, 1, hv_mfn(TEST_RAM_BASE),
					      1024, frames[0],
					      sizeof(frames[0])),
			 0);
	assert_int_equal(
	    hv_mm_heap_node_init(&heap, 0, hv_mfn(TEST_RAM_BASE + 1024), 1024,
				 frames[1], sizeof(frames[1])),
	    0);
	assert_int_equal(
	    hv_mm_heap_add(&heap, hv_mfn(TEST_RAM_BASE), 1024, HV_MM_ADD_CLEAN),
	    0);
	assert_int_equal(hv_mm_heap_add(&heap, hv_mfn(TEST_RAM_BASE + 1024),
					1024, HV_MM_ADD_CLEAN),
			 0);
	test_tables_init(&t);
	t.ram = &ram;
	assert_int_equal(hv_mm_p2m_init(&p2m, &hv_x86_npt, &test_table_ops, &t,
					HV_MM_P2M_ORDER_1G),
			 0);
	hv_mm_domain_init(&d, 1, &heap, &p2m, 2048);
	/* Node 1 first, page by page: frames come in ascending order and
	 * merge into 2 MiB entries, the third one starting on node 0. */
	d.node = 1;
	assert_int_equal(hv_mm_domain_populate(&d, NULL, hv_gfn(0), 2048,
					       HV_MM_P2M_ORDER_4K, NULL),
			 0);
	assert_int_equal(hv_mfn_x(lookup_in(&p2m, 1023)), TEST_RAM_BASE + 1023);
	assert_int_equal(hv_mfn_x(lookup_in(&p2m, 1024)), TEST_RAM_BASE + 1024);
	assert_int_equal(hv_mm_domain_release(&d), 2048);
	assert_int_equal(hv_mm_heap_get_stats(&heap, HV_MM_NODE_ANY, &st), 0);
	assert_int_equal(st.free_pages, 2048);
	assert_int_equal(d.account.tot_pages, 0);
	hv_mm_p2m_destroy(&p2m);
	assert_int_equal(t.live, 0);
	test_ram_free(&ram);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(populate_in_superpages),
	    cmocka_unit_test(populate_stops_at_the_limit),
	    cmocka_unit_test(unmapped_frames_are_released_after_the_flush),
	    cmocka_unit_test(populate_spares_grant_mappings),
	    cmocka_unit_test(map_and_unmap_spare_grant_mappings),
	    cmocka_unit_test(grant_map_in_a_domain_batch),
	    cmocka_unit_test(guest_physical_copies),
	    cmocka_unit_test(pinned_frame_outlives_its_mapping),
	    cmocka_unit_test(release_across_nodes),
	};
	return cmocka_run_group_tests_name("mm-domain", tests, NULL, NULL);
}
