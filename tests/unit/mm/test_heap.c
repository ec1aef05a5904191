/*
 * The page allocator: buddy blocks and their coalescing, superpage
 * alignment, NUMA nodes, address zones, accounting and limits, reference
 * counts, deferred scrubbing, and every argument check.
 */
#include "mm_test.h"

#include <stdlib.h>
#include <string.h>

#define SZ_2M (UINT64_C(1) << 9)
#define SZ_1G (UINT64_C(1) << 18)

struct fx {
	struct hv_mm_node nodes[2];
	struct hv_mm_heap heap;
	struct test_ram ram;
	void *tables[2];
	unsigned long virt_calls;
};

static void *counting_virt(void *ctx, hv_paddr_t pa)
{
	struct fx *f = ctx;

	f->virt_calls++;
	return test_ram_virt(&f->ram, pa);
}

/* One node of `pages` frames at TEST_RAM_BASE, backed by host memory. */
static void fx_init(struct fx *f, uint64_t pages)
{
	memset(f, 0, sizeof(*f));
	test_ram_init(&f->ram, pages);
	assert_int_equal(
	    hv_mm_heap_init(&f->heap, f->nodes, 1, counting_virt, f), 0);
	f->tables[0] = calloc(pages, HV_MM_FRAME_BYTES);
	assert_int_equal(
	    hv_mm_heap_node_init(&f->heap, 0, hv_mfn(TEST_RAM_BASE), pages,
				 f->tables[0], pages * HV_MM_FRAME_BYTES),
	    0);
}

static void fx_fini(struct fx *f)
{
	test_ram_free(&f->ram);
	free(f->tables[0]);
	free(f->tables[1]);
}

static struct hv_mm_heap_stats stats(struct fx *f, unsigned int node)
{
	struct hv_mm_heap_stats s;

	assert_int_equal(hv_mm_heap_get_stats(&f->heap, node, &s), 0);
	return s;
}

static hv_mfn_t alloc_ok(struct fx *f, unsigned int order, unsigned int node,
			 unsigned int flags, struct hv_mm_account *acct)
{
	hv_mfn_t mfn;

	assert_int_equal(
	    hv_mm_alloc_pages(&f->heap, order, node, flags, acct, &mfn), 0);
	assert_int_equal(hv_mfn_x(mfn) & ((UINT64_C(1) << order) - 1), 0);
	return mfn;
}

static void setup_errors(void **state)
{
	struct hv_mm_node nodes[2];
	struct hv_mm_heap heap;
	uint64_t table[64];

	(void)state;
	assert_int_equal(hv_mm_heap_init(&heap, NULL, 1, test_ram_virt, NULL),
			 -HV_EINVAL);
	assert_int_equal(hv_mm_heap_init(&heap, nodes, 0, test_ram_virt, NULL),
			 -HV_EINVAL);
	assert_int_equal(hv_mm_heap_init(&heap, nodes, HV_MM_MAX_NODES + 1,
					 test_ram_virt, NULL),
			 -HV_EINVAL);
	assert_int_equal(hv_mm_heap_init(&heap, nodes, 2, NULL, NULL),
			 -HV_EINVAL);
	assert_int_equal(hv_mm_heap_init(&heap, nodes, 2, test_ram_virt, NULL),
			 0);
	assert_int_equal(hv_mm_frame_table_bytes(16), 16 * HV_MM_FRAME_BYTES);
	/* table holds 16 frames */
	assert_int_equal(
	    hv_mm_heap_node_init(&heap, 2, hv_mfn(0), 16, table, sizeof(table)),
	    -HV_EINVAL);
	assert_int_equal(
	    hv_mm_heap_node_init(&heap, 0, hv_mfn(0), 0, table, sizeof(table)),
	    -HV_EINVAL);
	assert_int_equal(
	    hv_mm_heap_node_init(&heap, 0, hv_mfn(0), 16, NULL, sizeof(table)),
	    -HV_EINVAL);
	assert_int_equal(hv_mm_heap_node_init(&heap, 0, hv_mfn(0), 16,
					      (char *)table + 4,
					      sizeof(table) - 8),
			 -HV_EINVAL);
	assert_int_equal(
	    hv_mm_heap_node_init(&heap, 0, hv_mfn(0), 17, table, sizeof(table)),
	    -HV_EINVAL);
	assert_int_equal(hv_mm_heap_node_init(&heap, 0,
					      hv_mfn(UINT64_C(1) << 40), 16,
					      table, sizeof(table)),
			 -HV_EINVAL);
	assert_int_equal(hv_mm_heap_node_init(&heap, 0, hv_mfn(32), 16, table,
					      sizeof(table)),
			 0);
	/* The second node may not overlap the first. */
	assert_int_equal(hv_mm_heap_node_init(&heap, 1, hv_mfn(40), 16, table,
					      sizeof(table)),
			 -HV_EINVAL);
}

/* Every frame of `ram` the heap was given is handed out once, and none in
 * a hole: allocate all, checking each against the holes. */
static void only_frames_outside(struct fx *f, uint64_t expected,
				const struct hv_mem_range *holes,
				unsigned int nr)
{
	assert_int_equal(stats(f, 0).total_pages, expected);
	for (uint64_t i = 0; i < expected; i++) {
		hv_paddr_t pa = hv_mfn_to_paddr(
		    alloc_ok(f, 0, HV_MM_NODE_ANY, HV_MM_ALLOC_NO_SCRUB, NULL));

		for (unsigned int h = 0; h < nr; h++)
			assert_false(pa + HV_PAGE_SIZE > holes[h].base &&
				     pa < holes[h].base + holes[h].size);
	}
	assert_int_equal(stats(f, 0).free_pages, 0);
}

static void adding_ram_minus_holes(void **state)
{
	const hv_paddr_t base = TEST_RAM_BASE << HV_PAGE_SHIFT;
	/* RAM: from the middle of the node's frame 0 to the middle of its
	 * frame 1000 (neither is given whole). */
	const struct hv_mem_range ram = {base + 0x800, 1000 * HV_PAGE_SIZE};
	const struct hv_mem_range holes[] = {
	    {base + 500 * HV_PAGE_SIZE, 10 * HV_PAGE_SIZE}, /* 500..509 */
	    {base + 100 * HV_PAGE_SIZE + 1, 1},		    /* part of 100 */
	    {base + 505 * HV_PAGE_SIZE, 20 * HV_PAGE_SIZE}, /* 505..524 */
	    {base + 2000 * HV_PAGE_SIZE, HV_PAGE_SIZE},	    /* beyond RAM */
	    {base + 300 * HV_PAGE_SIZE, 0},		    /* empty */
	    {base + HV_PAGE_SIZE, 2 * HV_PAGE_SIZE},	    /* 1..2 */
	};
	struct fx f;

	(void)state;
	fx_init(&f, 4096);
	assert_int_equal(hv_mm_heap_add_range(&f.heap, ram, holes,
					      HV_ARRAY_SIZE(holes),
					      HV_MM_ADD_CLEAN),
			 0);
	/* Frames 3..999 but 100 and 500..524. */
	only_frames_outside(&f, 997 - 1 - 25, holes, HV_ARRAY_SIZE(holes));
	/* Given already: refused. */
	assert_int_equal(hv_mm_heap_add_range(&f.heap, ram, NULL, 0, 0),
			 -HV_EINVAL);
	fx_fini(&f);
}

static void adding_memory(void **state)
{
	struct fx f;
	struct hv_mm_page_info info;

	(void)state;
	fx_init(&f, 4096);
	assert_int_equal(hv_mm_heap_add(&f.heap, hv_mfn(TEST_RAM_BASE - 1), 2,
					HV_MM_ADD_CLEAN),
			 -HV_EINVAL);
	assert_int_equal(hv_mm_heap_add(&f.heap, hv_mfn(TEST_RAM_BASE), 4097,
					HV_MM_ADD_CLEAN),
			 -HV_EINVAL);
	assert_int_equal(hv_mm_heap_add(&f.heap, hv_mfn(TEST_RAM_BASE), 0, 0),
			 -HV_EINVAL);
	assert_int_equal(hv_mm_heap_add(&f.heap, hv_mfn(TEST_RAM_BASE), 1, 4),
			 -HV_EINVAL);
	/* RAM minus a reserved hole at frames 100..199 */
	assert_int_equal(hv_mm_heap_add(&f.heap, hv_mfn(TEST_RAM_BASE), 100,
					HV_MM_ADD_CLEAN),
			 0);
	assert_int_equal(hv_mm_heap_add(&f.heap, hv_mfn(TEST_RAM_BASE + 200),
					3896, HV_MM_ADD_CLEAN),
			 0);
	assert_int_equal(hv_mm_heap_add(&f.heap, hv_mfn(TEST_RAM_BASE + 50),
					100, HV_MM_ADD_CLEAN),
			 -HV_EINVAL);
	assert_int_equal(stats(&f, 0).total_pages, 3996);
	assert_int_equal(stats(&f, HV_MM_NODE_ANY).free_pages, 3996);
	assert_int_equal(
	    hv_mm_page_query(&f.heap, hv_mfn(TEST_RAM_BASE + 150), &info), 0);
	assert_false(info.allocated);
	assert_int_equal(
	    hv_mm_page_query(&f.heap, hv_mfn(TEST_RAM_BASE + 4096), &info),
	    -HV_EINVAL);
	assert_int_equal(
	    hv_mm_heap_get_stats(&f.heap, 1, &(struct hv_mm_heap_stats){0}),
	    -HV_EINVAL);
	/* The hole is never handed out. */
	for (unsigned int i = 0; i < 3996; i++) {
		uint64_t m = hv_mfn_x(alloc_ok(&f, 0, HV_MM_NODE_ANY,
					       HV_MM_ALLOC_NO_SCRUB, NULL));

		assert_true(m < TEST_RAM_BASE + 100 ||
			    m >= TEST_RAM_BASE + 200);
	}
	assert_int_equal(stats(&f, 0).free_pages, 0);
	fx_fini(&f);
}

/* Blocks split on allocation and coalesce fully when freed. */
static void buddies_split_and_coalesce(void **state)
{
	hv_mfn_t got[64];
	struct fx f;
	hv_mfn_t mfn;
	unsigned int n = 0;

	(void)state;
	fx_init(&f, 4096); /* 16 MiB: one order-12 block */
	assert_int_equal(hv_mm_heap_add(&f.heap, hv_mfn(TEST_RAM_BASE), 4096,
					HV_MM_ADD_CLEAN),
			 0);
	assert_int_equal(stats(&f, 0).free_blocks[12], 1);
	for (unsigned int order = 0; order <= 10; order++)
		got[n++] = alloc_ok(&f, order, 0, 0, NULL);
	assert_int_equal(stats(&f, 0).free_pages, 4096 - 2047);
	assert_int_equal(hv_mm_alloc_pages(&f.heap, 12, 0, 0, NULL, &mfn),
			 -HV_ENOMEM);
	assert_int_equal(
	    hv_mm_alloc_pages(&f.heap, HV_MM_MAX_ORDER + 1, 0, 0, NULL, &mfn),
	    -HV_EINVAL);
	while (n--)
		assert_int_equal(hv_mm_put_pages(&f.heap, got[n], n, 0), 0);
	assert_int_equal(stats(&f, 0).free_pages, 4096);
	assert_int_equal(stats(&f, 0).free_blocks[12], 1);
	assert_int_equal(stats(&f, 0).free_blocks[0], 0);
	fx_fini(&f);
}

/* 2 MiB and 1 GiB blocks come aligned, ready to be superpages. */
static void superpage_blocks(void **state)
{
	struct fx f;
	hv_mfn_t a, b, c;

	(void)state;
	/* 2 GiB less one frame: one whole aligned 1 GiB block fits. */
	fx_init(&f, 2 * SZ_1G);
	assert_int_equal(hv_mm_heap_add(&f.heap, hv_mfn(TEST_RAM_BASE + 1),
					2 * SZ_1G - 1, HV_MM_ADD_CLEAN),
			 0);
	a = alloc_ok(&f, 18, 0, 0, NULL);
	assert_int_equal(hv_mfn_x(a), TEST_RAM_BASE + SZ_1G);
	b = alloc_ok(&f, 9, 0, 0, NULL);
	c = alloc_ok(&f, 9, 0, 0, NULL);
	assert_int_not_equal(hv_mfn_x(b), hv_mfn_x(c));
	assert_int_equal(hv_mm_alloc_pages(&f.heap, 18, 0, 0, NULL, &c),
			 -HV_ENOMEM);
	assert_int_equal(hv_mm_put_pages(&f.heap, a, 18, 0), 0);
	assert_int_equal(
	    hv_mfn_x(alloc_ok(&f, 18, 0, HV_MM_ALLOC_NO_SCRUB, NULL)),
	    hv_mfn_x(a));
	/* Nothing needed scrubbing: hypervisor frames put back clean. */
	assert_int_equal(f.virt_calls, 0);
	fx_fini(&f);
}

/* Two nodes: prefer the one asked for, fall back unless exact. */
static void numa_nodes(void **state)
{
	struct hv_mm_page_info info;
	struct fx f;
	hv_mfn_t mfn;

	(void)state;
	memset(&f, 0, sizeof(f));
	test_ram_init(&f.ram, 2048);
	assert_int_equal(
	    hv_mm_heap_init(&f.heap, f.nodes, 2, counting_virt, &f), 0);
	f.tables[0] = calloc(1024, HV_MM_FRAME_BYTES);
	f.tables[1] = calloc(1024, HV_MM_FRAME_BYTES);
	assert_int_equal(hv_mm_heap_node_init(&f.heap, 1, hv_mfn(TEST_RAM_BASE),
					      1024, f.tables[0], 1024 * 32),
			 0);
	assert_int_equal(hv_mm_heap_node_init(&f.heap, 0,
					      hv_mfn(TEST_RAM_BASE + 1024),
					      1024, f.tables[1], 1024 * 32),
			 0);
	assert_int_equal(hv_mm_heap_add(&f.heap, hv_mfn(TEST_RAM_BASE), 1024,
					HV_MM_ADD_CLEAN),
			 0);
	/* Spanning two nodes is refused. */
	assert_int_equal(hv_mm_heap_add(&f.heap, hv_mfn(TEST_RAM_BASE + 1000),
					100, HV_MM_ADD_CLEAN),
			 -HV_EINVAL);
	assert_int_equal(hv_mm_heap_add(&f.heap, hv_mfn(TEST_RAM_BASE + 1024),
					1024, HV_MM_ADD_CLEAN),
			 0);
	mfn = alloc_ok(&f, 10, 1, 0, NULL);
	assert_int_equal(hv_mm_page_query(&f.heap, mfn, &info), 0);
	assert_int_equal(info.node, 1);
	assert_int_equal(stats(&f, 1).free_pages, 0);
	assert_int_equal(hv_mm_alloc_pages(&f.heap, 0, 1,
					   HV_MM_ALLOC_EXACT_NODE, NULL, &mfn),
			 -HV_ENOMEM);
	mfn = alloc_ok(&f, 0, 1, 0, NULL);
	assert_int_equal(hv_mm_page_query(&f.heap, mfn, &info), 0);
	assert_int_equal(info.node, 0);
	assert_int_equal(hv_mm_alloc_pages(&f.heap, 0, 2, 0, NULL, &mfn),
			 -HV_EINVAL);
	fx_fini(&f);
}

/* Frames below an address limit come from low memory; without a limit the
 * highest memory goes first, keeping low memory for those who need it. */
static void address_zones(void **state)
{
	const uint64_t low = TEST_RAM_BASE, high = UINT64_C(1)
						   << 20; /* 4 GiB */
	const uint64_t span = high + 1024 - low;
	struct hv_mm_node node;
	struct hv_mm_heap heap;
	void *table = calloc(span, HV_MM_FRAME_BYTES);
	hv_mfn_t mfn;

	(void)state;
	assert_int_equal(hv_mm_heap_init(&heap, &node, 1, test_ram_virt, NULL),
			 0);
	assert_int_equal(
	    hv_mm_heap_node_init(&heap, 0, hv_mfn(low), span, table, span * 32),
	    0);
	assert_int_equal(
	    hv_mm_heap_add(&heap, hv_mfn(low), 1024, HV_MM_ADD_CLEAN), 0);
	assert_int_equal(
	    hv_mm_heap_add(&heap, hv_mfn(high), 1024, HV_MM_ADD_CLEAN), 0);
	assert_int_equal(
	    hv_mm_alloc_pages(&heap, 0, 0, HV_MM_ALLOC_NO_SCRUB, NULL, &mfn),
	    0);
	assert_true(hv_mfn_x(mfn) >= high);
	assert_int_equal(
	    hv_mm_alloc_pages(&heap, 0, 0,
			      HV_MM_ALLOC_NO_SCRUB | HV_MM_ALLOC_ADDR_BITS(32),
			      NULL, &mfn),
	    0);
	assert_true(hv_mfn_x(mfn) < high);
	assert_int_equal(hv_mm_alloc_pages(&heap, 10, 0,
					   HV_MM_ALLOC_ADDR_BITS(32), NULL,
					   &mfn),
			 -HV_ENOMEM);
	assert_int_equal(hv_mm_alloc_pages(&heap, 0, 0,
					   HV_MM_ALLOC_ADDR_BITS(12), NULL,
					   &mfn),
			 -HV_EINVAL);
	assert_int_equal(hv_mm_alloc_pages(&heap, 0, 0,
					   HV_MM_ALLOC_ADDR_BITS(53), NULL,
					   &mfn),
			 -HV_EINVAL);
	assert_int_equal(hv_mm_alloc_pages(&heap, 0, 0, 0x4, NULL, &mfn),
			 -HV_EINVAL);
	free(table);
}

static void accounting_and_limits(void **state)
{
	struct hv_mm_account acct;
	struct hv_mm_page_info info;
	struct fx f;
	hv_mfn_t a, b, c;

	(void)state;
	fx_init(&f, 64);
	assert_int_equal(
	    hv_mm_heap_add(&f.heap, hv_mfn(TEST_RAM_BASE), 64, HV_MM_ADD_CLEAN),
	    0);
	hv_mm_account_init(&acct, 7, 10);
	a = alloc_ok(&f, 3, HV_MM_NODE_ANY, 0, &acct);
	assert_int_equal(hv_mm_account_pages(&f.heap, &acct), 8);
	assert_int_equal(
	    hv_mm_alloc_pages(&f.heap, 2, HV_MM_NODE_ANY, 0, &acct, &b),
	    -HV_E2BIG);
	b = alloc_ok(&f, 1, HV_MM_NODE_ANY, 0, &acct);
	assert_int_equal(acct.tot_pages, 10);
	assert_int_equal(hv_mm_page_query(&f.heap, b, &info), 0);
	assert_true(info.allocated);
	assert_ptr_equal(info.owner, &acct);
	assert_int_equal(info.refs, 1);
	assert_int_equal(hv_mm_put_pages(&f.heap, b, 1, 0), 0);
	assert_int_equal(acct.tot_pages, 8);
	/* Lowering the limit below what is charged stops new charges. */
	hv_mm_account_set_max(&f.heap, &acct, 4);
	assert_int_equal(
	    hv_mm_alloc_pages(&f.heap, 0, HV_MM_NODE_ANY, 0, &acct, &c),
	    -HV_E2BIG);
	assert_int_equal(hv_mm_put_pages(&f.heap, a, 3, 0), 0);
	assert_int_equal(acct.tot_pages, 0);
	/* Freed account frames are dirty until scrubbed. */
	assert_int_equal(stats(&f, 0).dirty_pages, 10);
	fx_fini(&f);
}

/* Find a frame's reference count in the frame table, to test saturation
 * without taking four billion references. */
static uint32_t *refs_word(struct fx *f, uint64_t mfn)
{
	uint32_t *slot = (uint32_t *)f->tables[0] +
			 (mfn - TEST_RAM_BASE) * HV_MM_FRAME_BYTES / 4;
	uint32_t *word = NULL;

	for (size_t i = 0; i < HV_MM_FRAME_BYTES / 4; i++)
		if (slot[i] == 2)
			word = &slot[i];
	return word;
}

static void reference_counts(void **state)
{
	struct hv_mm_account acct, other;
	struct hv_mm_page_info info;
	struct fx f;
	hv_mfn_t a, b;
	uint32_t *refs;

	(void)state;
	fx_init(&f, 64);
	assert_int_equal(
	    hv_mm_heap_add(&f.heap, hv_mfn(TEST_RAM_BASE), 64, HV_MM_ADD_CLEAN),
	    0);
	hv_mm_account_init(&acct, 1, 100);
	hv_mm_account_init(&other, 2, 100);
	a = alloc_ok(&f, 2, HV_MM_NODE_ANY, 0, &acct);
	/* A grant mapping keeps frame 1 alive. */
	assert_int_equal(
	    hv_mm_get_page(&f.heap, hv_mfn(hv_mfn_x(a) + 1), &acct), 0);
	assert_int_equal(hv_mm_get_page(&f.heap, a, &other), -HV_EPERM);
	assert_int_equal(
	    hv_mm_get_page(&f.heap, hv_mfn(TEST_RAM_BASE + 63), NULL),
	    -HV_EINVAL);
	assert_int_equal(hv_mm_get_page(&f.heap, hv_mfn(1), NULL), -HV_EINVAL);
	assert_int_equal(hv_mm_put_pages(&f.heap, a, 2, 0), 0);
	assert_int_equal(acct.tot_pages, 1);
	assert_int_equal(
	    hv_mm_page_query(&f.heap, hv_mfn(hv_mfn_x(a) + 1), &info), 0);
	assert_true(info.allocated);
	assert_int_equal(info.refs, 1);
	assert_int_equal(hv_mm_page_query(&f.heap, a, &info), 0);
	assert_false(info.allocated);
	assert_int_equal(
	    hv_mm_put_pages(&f.heap, hv_mfn(hv_mfn_x(a) + 1), 0, 0), 0);
	assert_int_equal(acct.tot_pages, 0);
	assert_int_equal(stats(&f, 0).free_blocks[6], 1);

	/* Bad puts change nothing. */
	b = alloc_ok(&f, 1, HV_MM_NODE_ANY, 0, NULL);
	assert_int_equal(hv_mm_put_pages(&f.heap, b, 2, 0), -HV_EINVAL);
	assert_int_equal(
	    hv_mm_put_pages(&f.heap, hv_mfn(hv_mfn_x(b) + 1), 1, 0),
	    -HV_EINVAL);
	assert_int_equal(hv_mm_put_pages(&f.heap, b, HV_MM_MAX_ORDER + 1, 0),
			 -HV_EINVAL);
	assert_int_equal(hv_mm_put_pages(&f.heap, b, 1, 0x10), -HV_EINVAL);
	assert_int_equal(hv_mm_put_pages(&f.heap, hv_mfn(2), 0, 0), -HV_EINVAL);
	assert_int_equal(hv_mm_page_query(&f.heap, b, &info), 0);
	assert_int_equal(info.refs, 1);

	/* A full count refuses another reference. */
	assert_int_equal(hv_mm_get_page(&f.heap, b, NULL), 0);
	refs = refs_word(&f, hv_mfn_x(b));
	assert_non_null(refs);
	*refs = UINT32_MAX;
	assert_int_equal(hv_mm_get_page(&f.heap, b, NULL), -HV_EOVERFLOW);
	*refs = 2;
	assert_int_equal(hv_mm_put_pages(&f.heap, b, 1, HV_MM_PUT_CLEAN), 0);
	assert_int_equal(hv_mm_put_pages(&f.heap, b, 0, HV_MM_PUT_CLEAN), 0);
	assert_int_equal(stats(&f, 0).free_pages, 64);
	fx_fini(&f);
}

static bool page_is(const uint8_t *p, uint8_t v)
{
	for (size_t i = 0; i < HV_PAGE_SIZE; i++)
		if (p[i] != v)
			return false;
	return true;
}

/*
 * Memory added dirty, or freed by an account, is zeroed before anyone gets
 * it: in batches by hv_mm_scrub, or by the allocation that finds it dirty.
 */
static void deferred_scrubbing(void **state)
{
	struct hv_mm_account acct;
	struct fx f;
	hv_mfn_t a;

	(void)state;
	fx_init(&f, 64);
	memset(f.ram.mem, 0xaa, 64 * HV_PAGE_SIZE);
	assert_int_equal(hv_mm_heap_add(&f.heap, hv_mfn(TEST_RAM_BASE), 64, 0),
			 0);
	assert_int_equal(stats(&f, 0).dirty_pages, 64);
	a = alloc_ok(&f, 0, 0, 0, NULL);
	assert_true(page_is(test_ram_page(&f.ram, hv_mfn_x(a)), 0));
	assert_int_equal(stats(&f, 0).dirty_pages, 63);
	assert_int_equal(hv_mm_scrub(&f.heap, 0, 10), 10);
	assert_int_equal(stats(&f, 0).dirty_pages, 53);
	assert_int_equal(hv_mm_scrub(&f.heap, 1, 10), 0); /* no node 1 */
	assert_int_equal(hv_mm_scrub(&f.heap, HV_MM_NODE_ANY, 1000), 53);
	assert_int_equal(hv_mm_scrub(&f.heap, HV_MM_NODE_ANY, 1000), 0);
	assert_int_equal(stats(&f, 0).dirty_pages, 0);
	for (uint64_t p = 0; p < 64; p++)
		assert_true(
		    page_is(test_ram_page(&f.ram, TEST_RAM_BASE + p), 0));
	assert_int_equal(hv_mm_put_pages(&f.heap, a, 0, 0), 0);
	assert_int_equal(stats(&f, 0).free_blocks[6], 1);

	/* An account's frames come back dirty, whatever the caller says. */
	hv_mm_account_init(&acct, 3, 64);
	a = alloc_ok(&f, 0, 0, 0, &acct);
	memset(test_ram_page(&f.ram, hv_mfn_x(a)), 0x55, HV_PAGE_SIZE);
	assert_int_equal(hv_mm_put_pages(&f.heap, a, 0, HV_MM_PUT_CLEAN), 0);
	/* Exactly that frame: merging with clean buddies dirties nothing. */
	assert_int_equal(stats(&f, 0).dirty_pages, 1);
	assert_int_equal(stats(&f, 0).free_blocks[6], 1);
	a = alloc_ok(&f, 6, 0, HV_MM_ALLOC_NO_SCRUB, NULL);
	assert_true(page_is(test_ram_page(&f.ram, TEST_RAM_BASE), 0x55));
	assert_int_equal(hv_mm_put_pages(&f.heap, a, 6, 0), 0);
	a = alloc_ok(&f, 6, 0, 0, NULL);
	assert_true(page_is(test_ram_page(&f.ram, TEST_RAM_BASE), 0));
	fx_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(setup_errors),
	    cmocka_unit_test(adding_memory),
	    cmocka_unit_test(adding_ram_minus_holes),
	    cmocka_unit_test(buddies_split_and_coalesce),
	    cmocka_unit_test(superpage_blocks),
	    cmocka_unit_test(numa_nodes),
	    cmocka_unit_test(address_zones),
	    cmocka_unit_test(accounting_and_limits),
	    cmocka_unit_test(reference_counts),
	    cmocka_unit_test(deferred_scrubbing),
	};
	return cmocka_run_group_tests_name("mm-heap", tests, NULL, NULL);
}
