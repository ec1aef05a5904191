/*
 * HYPERVISOR_memory_op as libhv-mm decodes it: populate_physmap,
 * decrease_reservation, add_to_physmap and the reservation queries, with
 * Xen's return values for success, partial progress and every bad
 * argument, on the x86 and the Arm ABI.
 *
 * The caller's arguments live in a fake guest address space: four pages at
 * ARGS (anything else faults), reached through an hv_gmem like the one an
 * image gives memory_op.
 */
#include "mm_test.h"

#include <hv/arm_stage2.h>
#include <hv/x86_npt.h>

#include <limits.h>
#include <string.h>
#include <xen/memory.h>

#define SZ_2M	      (UINT64_C(1) << 9)
#define MACHINE_PAGES 8192
#define ARGS	      UINT64_C(0x10000) /* guest address of the argument */
#define LIST	      (ARGS + 0x1000)	/* extent lists */
#define ARGS_PAGES    4
#define DOMAIN_PAGES  (1024 + 16) /* each domain's limit */

struct fx {
	struct test_machine m;
	struct test_domain dom[3]; /* 0: control domain, 1 and 2: domUs */
	struct hv_mm_xenmem xm;
	struct hv_gmem gm;
	_Alignas(4096) uint8_t args[ARGS_PAGES][HV_PAGE_SIZE];
	/* the image's shared-info frame and where it is mapped */
	hv_mfn_t shinfo;
	uint64_t shinfo_gfn;
	unsigned int placed;
};

static int args_translate(void *ctx, hv_gfn_t gfn, unsigned int access,
			  void **page)
{
	struct fx *f = ctx;
	uint64_t i = hv_gfn_x(gfn) - (ARGS >> HV_PAGE_SHIFT);

	(void)access;
	if (i >= ARGS_PAGES)
		return -HV_EFAULT;
	*page = f->args[i];
	return 0;
}

static struct hv_mm_domain *find_domain(void *ctx, hv_domid_t domid)
{
	struct fx *f = ctx;

	return domid < 3 ? &f->dom[domid].d : NULL;
}

static int space_frame(void *ctx, struct hv_mm_domain *d, unsigned int space,
		       uint64_t idx, hv_mfn_t *mfn, hv_gfn_t *where)
{
	struct fx *f = ctx;

	(void)d;
	if (space != XENMAPSPACE_shared_info || idx != 0)
		return -HV_EINVAL;
	*mfn = f->shinfo;
	*where = hv_gfn(f->shinfo_gfn);
	return 0;
}

static void space_placed(void *ctx, struct hv_mm_domain *d, unsigned int space,
			 uint64_t idx, hv_gfn_t gfn)
{
	struct fx *f = ctx;

	(void)d;
	assert_int_equal(space, XENMAPSPACE_shared_info);
	assert_int_equal(idx, 0);
	f->shinfo_gfn = hv_gfn_x(gfn);
	f->placed++;
}

static void fx_init(struct fx *f, const struct hv_mm_p2m_format *fmt,
		    const struct hv_mm_xenmem_abi *abi)
{
	memset(f, 0, sizeof(*f));
	test_machine_init(&f->m, MACHINE_PAGES);
	for (hv_domid_t i = 0; i < 3; i++)
		test_domain_init(&f->dom[i], &f->m, i, fmt, DOMAIN_PAGES);
	f->dom[0].d.privileged = true;
	f->dom[0].d.memop_max_order = 12;
	f->xm = (struct hv_mm_xenmem){abi, find_domain, space_frame,
				      space_placed, f};
	hv_gmem_init(&f->gm, args_translate, f, 64);
	assert_int_equal(hv_mm_alloc_pages(&f->m.heap, 0, HV_MM_NODE_ANY, 0,
					   NULL, &f->shinfo),
			 0);
	f->shinfo_gfn = HV_INVALID_FRAME;
}

static void fx_fini(struct fx *f)
{
	for (int i = 0; i < 3; i++)
		test_domain_fini(&f->dom[i]);
	assert_int_equal(hv_mm_put_pages(&f->m.heap, f->shinfo, 0, 0), 0);
	test_machine_fini(&f->m);
}

static struct hv_mm_domain *dom(struct fx *f, int i)
{
	return &f->dom[i].d;
}

/* Write a reservation at ARGS and its extent list at LIST. */
static void reservation(struct fx *f, hv_domid_t domid, uint64_t nr,
			unsigned int order, unsigned int flags,
			const xen_pfn_t *list, size_t n)
{
	struct xen_memory_reservation r = {0};

	set_xen_guest_handle(r.extent_start, (xen_pfn_t *)(uintptr_t)LIST);
	r.nr_extents = nr;
	r.extent_order = order;
	r.mem_flags = flags;
	r.domid = domid;
	memcpy(f->args[0], &r, sizeof(r));
	if (n)
		memcpy(f->args[1], list, n * sizeof(*list));
}

/* Move the extent list to guest address addr, writing the n entries that
 * fit before the end of the argument pages. */
static void move_list(struct fx *f, uint64_t addr, const xen_pfn_t *list,
		      size_t n)
{
	struct xen_memory_reservation r;
	uint8_t *base = &f->args[0][0];
	uint64_t end = ARGS + ARGS_PAGES * HV_PAGE_SIZE;

	memcpy(&r, f->args[0], sizeof(r));
	set_xen_guest_handle(r.extent_start, (xen_pfn_t *)(uintptr_t)addr);
	memcpy(f->args[0], &r, sizeof(r));
	for (size_t i = 0; i < n && addr + (i + 1) * sizeof(*list) <= end; i++)
		memcpy(base + (addr - ARGS) + i * sizeof(*list), &list[i],
		       sizeof(*list));
}

static long memop(struct fx *f, int caller, unsigned long cmd)
{
	return hv_mm_memory_op(&f->xm, dom(f, caller), &f->gm, cmd, ARGS);
}

static struct hv_mm_p2m_info lookup(struct fx *f, int d, uint64_t gfn)
{
	struct hv_mm_p2m_info info;

	assert_int_equal(hv_mm_p2m_lookup(dom(f, d)->p2m, hv_gfn(gfn), &info),
			 0);
	return info;
}

static void populate_physmap(void **state)
{
	static const xen_pfn_t gfns[] = {0x100, 0x101, 0x200, 0x7};
	struct fx f;

	(void)state;
	fx_init(&f, &hv_x86_npt, &hv_mm_xenmem_x86);
	reservation(&f, DOMID_SELF, 4, 0, 0, gfns, 4);
	assert_int_equal(memop(&f, 1, XENMEM_populate_physmap), 4);
	assert_int_equal(dom(&f, 1)->account.tot_pages, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(lookup(&f, 1, gfns[i]).type, HV_MM_P2M_RAM_RW);
	/* 2 MiB extents, mapped as 2 MiB entries */
	reservation(&f, DOMID_SELF, 2, 9, 0,
		    (const xen_pfn_t[]){SZ_2M * 4, SZ_2M * 6}, 2);
	assert_int_equal(memop(&f, 1, XENMEM_populate_physmap), 2);
	assert_int_equal(lookup(&f, 1, SZ_2M * 6 + 3).order, 9);
	assert_int_equal(dom(&f, 1)->account.tot_pages, 4 + 2 * SZ_2M);
	/* Populating a populated frame replaces (and releases) the old one. */
	reservation(&f, DOMID_SELF, 1, 0, 0, gfns, 1);
	assert_int_equal(memop(&f, 1, XENMEM_populate_physmap), 1);
	assert_int_equal(dom(&f, 1)->account.tot_pages, 4 + 2 * SZ_2M);
	/* The control domain populates another domain, with larger extents. */
	reservation(&f, 2, 1, 10, 0, (const xen_pfn_t[]){0}, 1);
	assert_int_equal(memop(&f, 0, XENMEM_populate_physmap), 1);
	assert_int_equal(dom(&f, 2)->account.tot_pages, 1024);
	fx_fini(&f);
}

/* Everything wrong stops the operation where it is, as Xen does. */
static void populate_stops_where_xen_does(void **state)
{
	static const xen_pfn_t gfns[] = {1, 2, 3, 4, 5, 6};
	struct fx f;

	(void)state;
	fx_init(&f, &hv_x86_npt, &hv_mm_xenmem_x86);
	/* The domain's limit: three 2 MiB extents do not fit. */
	reservation(&f, DOMID_SELF, 3, 9, 0,
		    (const xen_pfn_t[]){0, SZ_2M, 2 * SZ_2M}, 3);
	assert_int_equal(memop(&f, 1, XENMEM_populate_physmap), 2);
	/* Extent order above the caller's limit (9 for a domU). */
	reservation(&f, DOMID_SELF, 1, 10, 0, gfns, 1);
	assert_int_equal(memop(&f, 2, XENMEM_populate_physmap), 0);
	/* An unknown domain, another domain without privilege. */
	reservation(&f, 7, 1, 0, 0, gfns, 1);
	assert_int_equal(memop(&f, 2, XENMEM_populate_physmap), 0);
	reservation(&f, 1, 1, 0, 0, gfns, 1);
	assert_int_equal(memop(&f, 2, XENMEM_populate_physmap), 0);
	/* The extent list runs into unmapped guest memory after 2 entries. */
	reservation(&f, DOMID_SELF, 5, 0, 0, gfns, 0);
	move_list(&f, ARGS + ARGS_PAGES * HV_PAGE_SIZE - 16, gfns, 5);
	assert_int_equal(memop(&f, 2, XENMEM_populate_physmap), 2);
	assert_int_equal(dom(&f, 2)->account.tot_pages, 2);
	/* An unreadable argument: the extents already done (continuation). */
	assert_int_equal(hv_mm_memory_op(&f.xm, dom(&f, 2), &f.gm,
					 XENMEM_populate_physmap | (3ul << 6),
					 0x1000),
			 3);
	/* Too many extents to encode a continuation; nothing left to do. */
	reservation(&f, DOMID_SELF, (UINT_MAX >> 6) + 1ull, 0, 0, gfns, 1);
	assert_int_equal(memop(&f, 2, XENMEM_populate_physmap), 0);
	reservation(&f, DOMID_SELF, 2, 0, 0, gfns, 2);
	assert_int_equal(memop(&f, 2, XENMEM_populate_physmap | (5ul << 6)), 5);
	/* A continuation resumes at its extent. */
	reservation(&f, DOMID_SELF, 4, 0, 0,
		    (const xen_pfn_t[]){0x50, 0x51, 0x52, 0x53}, 4);
	assert_int_equal(memop(&f, 2, XENMEM_populate_physmap | (2ul << 6)), 4);
	assert_int_equal(lookup(&f, 2, 0x51).type, HV_MM_P2M_INVALID);
	assert_int_equal(lookup(&f, 2, 0x53).type, HV_MM_P2M_RAM_RW);
	/* Past the P2M's space; over a grant mapping. */
	reservation(&f, DOMID_SELF, 1, 0, 0,
		    (const xen_pfn_t[]){hv_mm_p2m_gfn_limit(dom(&f, 2)->p2m)},
		    1);
	assert_int_equal(memop(&f, 2, XENMEM_populate_physmap), 0);
	assert_int_equal(hv_mm_p2m_grant_map(dom(&f, 2)->p2m, NULL,
					     hv_gfn(0x61), hv_mfn(0x42), true),
			 0);
	reservation(&f, DOMID_SELF, 2, 1, 0, (const xen_pfn_t[]){0x62, 0x60},
		    2);
	assert_int_equal(memop(&f, 2, XENMEM_populate_physmap), 1);
	assert_int_equal(hv_mm_p2m_grant_unmap(dom(&f, 2)->p2m, NULL,
					       hv_gfn(0x61), hv_mfn(0x42)),
			 0);
	/* Populate-on-demand is not supported. */
	reservation(&f, DOMID_SELF, 1, 0, XENMEMF_populate_on_demand, gfns, 1);
	assert_int_equal(memop(&f, 2, XENMEM_populate_physmap), 0);
	fx_fini(&f);
}

/* XENMEMF flags: address width and NUMA node. */
static void populate_memory_flags(void **state)
{
	static const xen_pfn_t gfns[] = {9};
	struct fx f;

	(void)state;
	fx_init(&f, &hv_x86_npt, &hv_mm_xenmem_x86);
	/* The machine's frames are at 2 GiB and up: 31 bits cannot be met,
	 * 12 are too few, 40 are more than the machine has (ignored). */
	reservation(&f, DOMID_SELF, 1, 0, XENMEMF_address_bits(31), gfns, 1);
	assert_int_equal(memop(&f, 1, XENMEM_populate_physmap), 0);
	reservation(&f, DOMID_SELF, 1, 0, XENMEMF_address_bits(12), gfns, 1);
	assert_int_equal(memop(&f, 1, XENMEM_populate_physmap), 0);
	reservation(&f, DOMID_SELF, 1, 0, XENMEMF_address_bits(40), gfns, 1);
	assert_int_equal(memop(&f, 1, XENMEM_populate_physmap), 1);
	/* Node 0 exists; node 5 does not (a preference only, unless exact). */
	reservation(&f, DOMID_SELF, 1, 0, XENMEMF_exact_node(0),
		    (const xen_pfn_t[]){10}, 1);
	assert_int_equal(memop(&f, 1, XENMEM_populate_physmap), 1);
	reservation(&f, DOMID_SELF, 1, 0, XENMEMF_node(5),
		    (const xen_pfn_t[]){11}, 1);
	assert_int_equal(memop(&f, 1, XENMEM_populate_physmap), 1);
	reservation(&f, DOMID_SELF, 1, 0, XENMEMF_exact_node(5),
		    (const xen_pfn_t[]){12}, 1);
	assert_int_equal(memop(&f, 1, XENMEM_populate_physmap), 0);
	/* Virtual nodes need vNUMA: ignored. */
	reservation(&f, DOMID_SELF, 1, 0, XENMEMF_vnode | XENMEMF_node(3),
		    (const xen_pfn_t[]){13}, 1);
	assert_int_equal(memop(&f, 1, XENMEM_populate_physmap), 1);
	assert_int_equal(dom(&f, 1)->account.tot_pages, 4);
	fx_fini(&f);
}

static void decrease_reservation(void **state)
{
	struct hv_mm_page_info info;
	struct fx f;
	hv_mfn_t kept;

	(void)state;
	fx_init(&f, &hv_x86_npt, &hv_mm_xenmem_x86);
	assert_int_equal(hv_mm_domain_populate(dom(&f, 1), NULL, hv_gfn(0), 64,
					       HV_MM_P2M_ORDER_2M, NULL),
			 0);
	hv_mm_p2m_activate(dom(&f, 1)->p2m);
	/* A granted frame outlives its unmapping. */
	kept = lookup(&f, 1, 3).mfn;
	assert_int_equal(hv_mm_get_page(&f.m.heap, kept, NULL), 0);
	reservation(&f, DOMID_SELF, 16, 1, 0,
		    (const xen_pfn_t[]){0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20,
					22, 24, 26, 28, 30},
		    16);
	assert_int_equal(memop(&f, 1, XENMEM_decrease_reservation), 16);
	assert_int_equal(f.dom[1].t.flushes, 1); /* once for all 16 */
	assert_int_equal(dom(&f, 1)->account.tot_pages, 64 - 32 + 1);
	assert_int_equal(lookup(&f, 1, 31).type, HV_MM_P2M_INVALID);
	assert_int_equal(hv_mm_page_query(&f.m.heap, kept, &info), 0);
	assert_true(info.allocated);
	assert_int_equal(hv_mm_put_pages(&f.m.heap, kept, 0, 0), 0);
	assert_int_equal(dom(&f, 1)->account.tot_pages, 32);
	/* A hole half way through an extent: its first half goes. */
	reservation(&f, DOMID_SELF, 2, 2, 0, (const xen_pfn_t[]){32, 62}, 2);
	assert_int_equal(memop(&f, 1, XENMEM_decrease_reservation), 1);
	assert_int_equal(lookup(&f, 1, 62).type, HV_MM_P2M_INVALID);
	assert_int_equal(lookup(&f, 1, 61).type, HV_MM_P2M_RAM_RW);
	assert_int_equal(dom(&f, 1)->account.tot_pages, 26);
	/* MMIO and paged-out entries go; grants and foreign frames stop it. */
	assert_int_equal(hv_mm_domain_map(dom(&f, 1), NULL, hv_gfn(100),
					  hv_mfn(0xfe000), 1, HV_MM_P2M_MMIO,
					  HV_MM_P2M_RW),
			 0);
	assert_int_equal(hv_mm_domain_map(dom(&f, 1), NULL, hv_gfn(101),
					  hv_mfn(0), 1, HV_MM_P2M_PAGED_OUT, 0),
			 0);
	assert_int_equal(hv_mm_p2m_grant_map(dom(&f, 1)->p2m, NULL, hv_gfn(102),
					     lookup(&f, 1, 40).mfn, false),
			 0);
	assert_int_equal(hv_mm_domain_populate(dom(&f, 2), NULL, hv_gfn(0), 1,
					       HV_MM_P2M_ORDER_4K, NULL),
			 0);
	assert_int_equal(hv_mm_domain_map(dom(&f, 1), NULL, hv_gfn(103),
					  lookup(&f, 2, 0).mfn, 1,
					  HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX),
			 0);
	reservation(&f, DOMID_SELF, 4, 0, 0,
		    (const xen_pfn_t[]){100, 101, 102, 103}, 4);
	assert_int_equal(memop(&f, 1, XENMEM_decrease_reservation), 2);
	reservation(&f, DOMID_SELF, 1, 0, 0, (const xen_pfn_t[]){103}, 1);
	assert_int_equal(memop(&f, 1, XENMEM_decrease_reservation), 0);
	assert_int_equal(lookup(&f, 1, 103).type, HV_MM_P2M_RAM_RW);
	assert_int_equal(hv_mm_p2m_grant_unmap(dom(&f, 1)->p2m, NULL,
					       hv_gfn(102),
					       lookup(&f, 1, 40).mfn),
			 0);
	/* Order above the caller's limit; an unreadable list entry. */
	reservation(&f, DOMID_SELF, 1, 10, 0, (const xen_pfn_t[]){0}, 1);
	assert_int_equal(memop(&f, 1, XENMEM_decrease_reservation), 0);
	reservation(&f, DOMID_SELF, 2, 0, 0, NULL, 0);
	move_list(&f, ARGS + ARGS_PAGES * HV_PAGE_SIZE - 8,
		  (const xen_pfn_t[]){41, 42}, 2);
	assert_int_equal(memop(&f, 1, XENMEM_decrease_reservation), 1);
	assert_int_equal(lookup(&f, 1, 41).type, HV_MM_P2M_INVALID);
	assert_int_equal(lookup(&f, 1, 42).type, HV_MM_P2M_RAM_RW);
	fx_fini(&f);
}

/*
 * A guest chooses extent_order freely (32 bits): an order past the caller's
 * limit stops the operation before it touches anything, however large, and
 * however high a limit the image set (Xen caps it at its MAX_ORDER).  The
 * fuzzed case was order 148, a shift past 64 bits.
 */
static void huge_extent_orders_stop(void **state)
{
	static const unsigned int orders[] = {19, 63, 64, 148, UINT_MAX};
	static const xen_pfn_t gfns[] = {0, 0};
	struct fx f;

	(void)state;
	fx_init(&f, &hv_x86_npt, &hv_mm_xenmem_x86);
	assert_int_equal(hv_mm_domain_populate(dom(&f, 1), NULL, hv_gfn(0), 4,
					       HV_MM_P2M_ORDER_4K, NULL),
			 0);
	dom(&f, 0)->memop_max_order = UINT_MAX;
	for (size_t i = 0; i < HV_ARRAY_SIZE(orders); i++) {
		reservation(&f, 1, 2, orders[i], 0, gfns, 2);
		assert_int_equal(memop(&f, 0, XENMEM_populate_physmap), 0);
		assert_int_equal(memop(&f, 0, XENMEM_decrease_reservation), 0);
		reservation(&f, DOMID_SELF, 2, orders[i], 0, gfns, 2);
		assert_int_equal(memop(&f, 1, XENMEM_populate_physmap), 0);
		assert_int_equal(memop(&f, 1, XENMEM_decrease_reservation), 0);
		/* A continuation stops where it resumed. */
		assert_int_equal(
		    memop(&f, 1, XENMEM_decrease_reservation | (1ul << 6)), 1);
	}
	assert_int_equal(dom(&f, 1)->account.tot_pages, 4);
	assert_int_equal(lookup(&f, 1, 0).type, HV_MM_P2M_RAM_RW);
	fx_fini(&f);
}

static void reservation_queries(void **state)
{
	struct fx f;
	domid_t id;

	(void)state;
	fx_init(&f, &hv_x86_npt, &hv_mm_xenmem_x86);
	assert_int_equal(hv_mm_domain_populate(dom(&f, 1), NULL, hv_gfn(0x4000),
					       12, HV_MM_P2M_ORDER_1G, NULL),
			 0);
	id = DOMID_SELF;
	memcpy(f.args[0], &id, sizeof(id));
	assert_int_equal(memop(&f, 1, XENMEM_current_reservation), 12);
	assert_int_equal(memop(&f, 1, XENMEM_maximum_reservation),
			 DOMAIN_PAGES);
	assert_int_equal(memop(&f, 1, XENMEM_maximum_gpfn), 0x4000 + 11);
	assert_int_equal(memop(&f, 1, XENMEM_current_reservation | (1ul << 6)),
			 -HV_EINVAL);
	id = 1;
	memcpy(f.args[0], &id, sizeof(id));
	assert_int_equal(memop(&f, 0, XENMEM_current_reservation), 12);
	assert_int_equal(memop(&f, 2, XENMEM_current_reservation), -HV_EPERM);
	id = 9;
	memcpy(f.args[0], &id, sizeof(id));
	assert_int_equal(memop(&f, 0, XENMEM_maximum_gpfn), -HV_ESRCH);
	assert_int_equal(hv_mm_memory_op(&f.xm, dom(&f, 1), &f.gm,
					 XENMEM_current_reservation, 0),
			 -HV_EFAULT);
	/* What libhv-mm does not decode. */
	assert_int_equal(memop(&f, 1, XENMEM_increase_reservation), -HV_ENOSYS);
	assert_int_equal(memop(&f, 1, XENMEM_exchange), -HV_ENOSYS);
	assert_int_equal(memop(&f, 1, 63), -HV_ENOSYS);
	fx_fini(&f);
}

static void add_to_physmap(struct fx *f, hv_domid_t domid, unsigned int space,
			   uint64_t idx, uint64_t gpfn, uint16_t size)
{
	struct xen_add_to_physmap x = {0};

	x.domid = domid;
	x.space = space;
	x.idx = idx;
	x.gpfn = gpfn;
	x.size = size;
	memcpy(f->args[0], &x, sizeof(x));
}

/* x86: XENMAPSPACE_gmfn and _gmfn_range move the domain's own frames. */
static void physmap_moves_frames(void **state)
{
	struct fx f;
	hv_mfn_t a, b;

	(void)state;
	fx_init(&f, &hv_x86_npt, &hv_mm_xenmem_x86);
	assert_int_equal(hv_mm_domain_populate(dom(&f, 1), NULL, hv_gfn(0), 8,
					       HV_MM_P2M_ORDER_1G, NULL),
			 0);
	a = lookup(&f, 1, 2).mfn;
	b = lookup(&f, 1, 5).mfn;
	add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_gmfn, 2, 0x300, 0);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), 0);
	assert_int_equal(lookup(&f, 1, 2).type, HV_MM_P2M_INVALID);
	assert_int_equal(hv_mfn_x(lookup(&f, 1, 0x300).mfn), hv_mfn_x(a));
	assert_int_equal(dom(&f, 1)->account.tot_pages, 8);
	/* Onto a gfn holding another of its frames: that one is released. */
	add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_gmfn, 5, 0x300, 0);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), 0);
	assert_int_equal(hv_mfn_x(lookup(&f, 1, 0x300).mfn), hv_mfn_x(b));
	assert_int_equal(dom(&f, 1)->account.tot_pages, 7);
	/* Onto itself: nothing changes. */
	add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_gmfn, 0x300, 0x300, 0);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), 0);
	assert_int_equal(hv_mfn_x(lookup(&f, 1, 0x300).mfn), hv_mfn_x(b));
	/* Not a frame of its own: a hole. */
	add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_gmfn, 2, 0x301, 0);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), -HV_EINVAL);
	/* A range, and how continuations are checked. */
	add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_gmfn_range, 6, 0x400, 2);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), 0);
	assert_int_equal(lookup(&f, 1, 0x401).type, HV_MM_P2M_RAM_RW);
	assert_int_equal(lookup(&f, 1, 7).type, HV_MM_P2M_INVALID);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap | (3ul << 6)),
			 -HV_EILSEQ);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap | (0x10000ul << 6)),
			 -HV_EDOM);
	add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_gmfn_range, 0, 0x500, 3);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), -HV_EINVAL);
	assert_int_equal(lookup(&f, 1, 0x500).type, HV_MM_P2M_RAM_RW);
	assert_int_equal(lookup(&f, 1, 0x501).type, HV_MM_P2M_RAM_RW);
	fx_fini(&f);
}

/*
 * A move that runs out of P2M tables changes nothing: the frame stays where
 * it was, mapped and charged, so the domain's release frees it (fx_fini
 * checks every frame went back).  The fuzzed case left it unmapped but
 * allocated, and 1,023 of 1,024 pages free in the end.
 */
static void physmap_enomem_loses_nothing(void **state)
{
	struct fx f;
	hv_mfn_t a, b, lone;

	(void)state;
	fx_init(&f, &hv_x86_npt, &hv_mm_xenmem_x86);
	/* 4 KiB entries at 0..7 and 0x1000 (alone in its table), a 2 MiB
	 * one at 0x200; 0x40000 needs two new tables. */
	assert_int_equal(hv_mm_domain_populate(dom(&f, 1), NULL, hv_gfn(0), 8,
					       HV_MM_P2M_ORDER_4K, NULL),
			 0);
	assert_int_equal(hv_mm_domain_populate(dom(&f, 1), NULL, hv_gfn(0x1000),
					       1, HV_MM_P2M_ORDER_4K, NULL),
			 0);
	assert_int_equal(hv_mm_domain_populate(dom(&f, 1), NULL, hv_gfn(SZ_2M),
					       SZ_2M, HV_MM_P2M_ORDER_2M, NULL),
			 0);
	a = lookup(&f, 1, 2).mfn;
	lone = lookup(&f, 1, 0x1000).mfn;
	b = lookup(&f, 1, SZ_2M + 2).mfn;
	assert_int_equal(lookup(&f, 1, SZ_2M + 2).order, 9);
	/* Two tables short, then one; from a table with other entries and
	 * from one that unmapping the frame would empty (and free). */
	for (long n = 0; n < 4; n++) {
		uint64_t from = n < 2 ? 2 : 0x1000;

		f.dom[1].t.fail_after = n % 2;
		add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_gmfn, from, 0x40000,
			       0);
		assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap),
				 -HV_ENOMEM);
		assert_int_equal(hv_mfn_x(lookup(&f, 1, from).mfn),
				 hv_mfn_x(from == 2 ? a : lone));
	}
	/* Out of a superpage, which needs one more table for the split: it
	 * fails before the split, after it, or after the first new table. */
	for (long n = 0; n < 3; n++) {
		f.dom[1].t.fail_after = n;
		add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_gmfn, SZ_2M + 2,
			       0x40000, 0);
		assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap),
				 -HV_ENOMEM);
		assert_int_equal(hv_mfn_x(lookup(&f, 1, SZ_2M + 2).mfn),
				 hv_mfn_x(b));
		assert_int_equal(lookup(&f, 1, SZ_2M + 2).type,
				 HV_MM_P2M_RAM_RW);
	}
	assert_int_equal(lookup(&f, 1, 0x40000).type, HV_MM_P2M_INVALID);
	assert_int_equal(dom(&f, 1)->account.tot_pages, 9 + SZ_2M);
	/* With tables to spare both moves go through. */
	f.dom[1].t.fail_after = -1;
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), 0);
	add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_gmfn, 2, 0x40001, 0);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), 0);
	assert_int_equal(hv_mfn_x(lookup(&f, 1, 0x40000).mfn), hv_mfn_x(b));
	assert_int_equal(hv_mfn_x(lookup(&f, 1, 0x40001).mfn), hv_mfn_x(a));
	assert_int_equal(lookup(&f, 1, 2).type, HV_MM_P2M_INVALID);
	assert_int_equal(dom(&f, 1)->account.tot_pages, 9 + SZ_2M);
	fx_fini(&f);
}

/* Frames the image owns (shared info) move; what gpfn held is checked. */
static void physmap_image_frames(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, &hv_x86_npt, &hv_mm_xenmem_x86);
	add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x700, 0);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), 0);
	assert_int_equal(f.placed, 1);
	assert_int_equal(hv_mfn_x(lookup(&f, 1, 0x700).mfn),
			 hv_mfn_x(f.shinfo));
	assert_int_equal(lookup(&f, 1, 0x700).type, HV_MM_P2M_RAM_RW);
	/* Moving it: its old place empties.  It replaces populated RAM. */
	assert_int_equal(hv_mm_domain_populate(dom(&f, 1), NULL, hv_gfn(0x710),
					       1, HV_MM_P2M_ORDER_1G, NULL),
			 0);
	add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x710, 0);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), 0);
	assert_int_equal(lookup(&f, 1, 0x700).type, HV_MM_P2M_INVALID);
	assert_int_equal(f.shinfo_gfn, 0x710);
	assert_int_equal(dom(&f, 1)->account.tot_pages, 0);
	add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_shared_info, 1, 0x720, 0);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), -HV_EINVAL);
	add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_grant_table, 0, 0x720, 0);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), -HV_EINVAL);
	/* Not over a grant mapping, nor another domain's frame. */
	assert_int_equal(hv_mm_p2m_grant_map(dom(&f, 1)->p2m, NULL,
					     hv_gfn(0x730), hv_mfn(0x42),
					     false),
			 0);
	add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x730, 0);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), -HV_ENXIO);
	assert_int_equal(hv_mm_domain_populate(dom(&f, 2), NULL, hv_gfn(0), 1,
					       HV_MM_P2M_ORDER_4K, NULL),
			 0);
	assert_int_equal(hv_mm_domain_map(dom(&f, 1), NULL, hv_gfn(0x740),
					  lookup(&f, 2, 0).mfn, 1,
					  HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX),
			 0);
	add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x740, 0);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), -HV_ENXIO);
	add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_shared_info, 0,
		       hv_mm_p2m_gfn_limit(dom(&f, 1)->p2m), 0);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), -HV_EINVAL);
	assert_int_equal(f.placed, 2);
	assert_int_equal(hv_mm_p2m_grant_unmap(dom(&f, 1)->p2m, NULL,
					       hv_gfn(0x730), hv_mfn(0x42)),
			 0);
	/* Without the image's callbacks these spaces do not exist. */
	f.xm.space_frame = NULL;
	add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x750, 0);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), -HV_EINVAL);
	fx_fini(&f);
}

static void physmap_errors(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, &hv_x86_npt, &hv_mm_xenmem_x86);
	assert_int_equal(
	    hv_mm_memory_op(&f.xm, dom(&f, 1), &f.gm, XENMEM_add_to_physmap, 0),
	    -HV_EFAULT);
	add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_gmfn_foreign, 0, 1, 0);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), -HV_ENOSYS);
	add_to_physmap(&f, 9, XENMAPSPACE_gmfn, 0, 1, 0);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), -HV_ESRCH);
	add_to_physmap(&f, 2, XENMAPSPACE_gmfn, 0, 1, 0);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), -HV_EPERM);
	add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_dev_mmio, 0, 1, 0);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), -HV_EACCES);
	assert_int_equal(memop(&f, 0, XENMEM_add_to_physmap), -HV_EINVAL);
	add_to_physmap(&f, DOMID_SELF, 99, 0, 1, 0);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), -HV_EINVAL);
	fx_fini(&f);
}

/* Arm: no gmfn spaces, -ENOSYS for what it does not implement. */
static void physmap_on_arm(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f, &hv_arm_stage2_ipa40, &hv_mm_xenmem_arm);
	assert_int_equal(hv_mm_domain_populate(dom(&f, 1), NULL, hv_gfn(0), 4,
					       HV_MM_P2M_ORDER_1G, NULL),
			 0);
	add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_gmfn, 1, 0x300, 0);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), -HV_ENOSYS);
	add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_gmfn_range, 1, 0x300, 2);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), -HV_ENOSYS);
	add_to_physmap(&f, DOMID_SELF, 99, 0, 1, 0);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), -HV_ENOSYS);
	add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_dev_mmio, 0, 1, 0);
	assert_int_equal(memop(&f, 0, XENMEM_add_to_physmap), -HV_ENOSYS);
	add_to_physmap(&f, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x800, 0);
	assert_int_equal(memop(&f, 1, XENMEM_add_to_physmap), 0);
	assert_int_equal(lookup(&f, 1, 0x800).type, HV_MM_P2M_RAM_RW);
	/* The rest of XENMEM works as on x86. */
	reservation(&f, DOMID_SELF, 1, 0, 0, (const xen_pfn_t[]){3}, 1);
	assert_int_equal(memop(&f, 1, XENMEM_decrease_reservation), 1);
	fx_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(populate_physmap),
	    cmocka_unit_test(populate_stops_where_xen_does),
	    cmocka_unit_test(populate_memory_flags),
	    cmocka_unit_test(decrease_reservation),
	    cmocka_unit_test(huge_extent_orders_stop),
	    cmocka_unit_test(reservation_queries),
	    cmocka_unit_test(physmap_moves_frames),
	    cmocka_unit_test(physmap_enomem_loses_nothing),
	    cmocka_unit_test(physmap_image_frames),
	    cmocka_unit_test(physmap_errors),
	    cmocka_unit_test(physmap_on_arm),
	};
	return cmocka_run_group_tests_name("mm-xenmem", tests, NULL, NULL);
}
