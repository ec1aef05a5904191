/*
 * libhv-gnttab benchmarks: grant map+unmap pairs per second and grant
 * copies per second (64 B and 4 KiB), through the hypercall entry, as a
 * guest's backend driver issues them.
 *
 * The machine is host memory: machine frame n is the host page at address
 * n << 12, so phys_to_virt is the identity, and the heap, the P2Ms (x86
 * NPT, activated, so unmaps flush) and the grant tables are all real.  Two
 * domains: A grants pages of its RAM, B maps them or copies to and from
 * them, with its op structs in its own RAM: written there as the guest
 * would, with plain stores, and read by the hypervisor through B's P2M.  Each
 * call carries one op, or a batch of 32 (Linux's blkback maps up to 32
 * segments per call); an unmap call flushes B's TLB once however many ops
 * it carries, and the flush callback here only counts.  B maps the grants
 * at guest frames inside its RAM, as Linux maps them into ballooned pages,
 * so the P2M tables there stay in place.
 */
#define _DEFAULT_SOURCE
#include <hv/gnttab.h>
#include <hv/mm.h>
#include <hv/x86_npt.h>

#include <xen/memory.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../bench_goal.h"

#define MACHINE_PAGES 8192u /* 32 MiB */
#define RAM_PAGES     512u
#define BATCH	      32u
#define GFN_ARGS      1u
#define GFN_DATA      64u
#define GFN_GT	      0x1000u
#define GFN_STATUS    0x1100u
/* Where B maps grants: inside its RAM, as Linux maps them into ballooned
 * pages (the first round replaces the RAM there, then reuses the holes). */
#define GFN_MAP 256u
#define ARGS	((uint64_t)GFN_ARGS << 12)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void check(long rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "bench-gnttab: %s failed: %ld\n", what, rc);
		exit(1);
	}
}

static void *identity(void *ctx, hv_paddr_t pa)
{
	(void)ctx;
	return (void *)(uintptr_t)pa;
}

static unsigned long tlb_flushes;

static int table_alloc(void *ctx, unsigned int order, hv_paddr_t *pa)
{
	size_t size = (size_t)HV_PAGE_SIZE << order;
	void *p = aligned_alloc(size, size);

	(void)ctx;
	if (!p)
		return -HV_ENOMEM;
	*pa = (hv_paddr_t)(uintptr_t)p;
	return 0;
}

static void table_free(void *ctx, hv_paddr_t pa, unsigned int order)
{
	(void)ctx;
	(void)order;
	free((void *)(uintptr_t)pa);
}

static void table_flush(void *ctx, hv_gfn_t first, uint64_t nr)
{
	(void)ctx;
	(void)first;
	(void)nr;
	tlb_flushes++;
}

static const struct hv_mm_p2m_ops p2m_ops = {table_alloc, table_free, identity,
					     table_flush};

static void *state_alloc(void *opaque, size_t size, size_t align)
{
	(void)opaque;
	(void)align; /* at most 64 */
	return aligned_alloc(64, (size + 63) & ~(size_t)63);
}

static void state_free(void *opaque, void *ptr, size_t size)
{
	(void)opaque;
	(void)size;
	free(ptr);
}

struct dom {
	struct hv_mm_p2m p2m;
	struct hv_mm_domain mm;
	struct hv_gmem gmem;
	struct hv_gnttab_domain *g;
	/* Its argument page as the guest sees it: a guest writes its ops
	 * and reads their results with plain stores and loads, at no cost
	 * to the hypervisor, so the figures leave that out. */
	void *args;
};

static struct machine {
	struct hv_mm_node node;
	struct hv_mm_heap heap;
	struct dom dom[2];
	struct hv_gnttab_ops ops;
	struct hv_mm_xenmem xm;
} m;

static struct hv_gnttab_domain *get_domain(void *ctx, hv_domid_t domid)
{
	(void)ctx;
	return domid >= 1 && domid <= 2 ? m.dom[domid - 1].g : NULL;
}

static int space_frame(void *ctx, struct hv_mm_domain *d, unsigned int space,
		       uint64_t idx, hv_mfn_t *mfn, hv_gfn_t *where)
{
	(void)ctx;
	(void)space;
	return hv_gnttab_space_frame(m.dom[d->domid - 1].g, idx, mfn, where);
}

static void space_placed(void *ctx, struct hv_mm_domain *d, unsigned int space,
			 uint64_t idx, hv_gfn_t gfn)
{
	(void)ctx;
	(void)space;
	hv_gnttab_space_placed(m.dom[d->domid - 1].g, idx, gfn);
}

static void place(struct dom *d, uint64_t idx, uint64_t gfn)
{
	struct xen_add_to_physmap xatp = {.domid = DOMID_SELF,
					  .space = XENMAPSPACE_grant_table,
					  .idx = idx,
					  .gpfn = gfn};

	check(hv_gmem_copy_to(&d->gmem, ARGS, &xatp, sizeof(xatp)), "args");
	check(hv_mm_memory_op(&m.xm, &d->mm, &d->gmem, XENMEM_add_to_physmap,
			      ARGS),
	      "add_to_physmap");
}

static void machine_init(void)
{
	size_t bytes = (size_t)MACHINE_PAGES << 12;
	void *ram = aligned_alloc(bytes, bytes);
	void *frames = calloc(MACHINE_PAGES, HV_MM_FRAME_BYTES);
	uint64_t base = (uint64_t)(uintptr_t)ram >> 12;

	if (!ram || !frames)
		check(-HV_ENOMEM, "machine memory");
	check(hv_mm_heap_init(&m.heap, &m.node, 1, identity, NULL), "heap");
	check(hv_mm_heap_node_init(&m.heap, 0, hv_mfn(base), MACHINE_PAGES,
				   frames, MACHINE_PAGES * HV_MM_FRAME_BYTES),
	      "node");
	check(hv_mm_heap_add(&m.heap, hv_mfn(base), MACHINE_PAGES, 0), "add");
	m.ops = (struct hv_gnttab_ops){get_domain, NULL, identity, NULL};
	m.xm = (struct hv_mm_xenmem){&hv_mm_xenmem_x86, NULL, space_frame,
				     space_placed, NULL};
}

static void dom_init(unsigned int i, bool v2)
{
	struct dom *d = &m.dom[i];
	struct hv_gnttab_config cfg = {
	    .mm = &d->mm,
	    .max_grant_frames = 32,
	    .max_maptrack_frames = 64,
	    .v2 = &hv_gnttab_v2,
	    .transitive = true,
	    .ops = &m.ops,
	    .alloc = {state_alloc, state_free, NULL},
	};

	check(hv_mm_p2m_init(&d->p2m, &hv_x86_npt, &p2m_ops, NULL,
			     HV_MM_P2M_ORDER_1G),
	      "p2m");
	hv_mm_domain_init(&d->mm, (hv_domid_t)(i + 1), &m.heap, &d->p2m,
			  MACHINE_PAGES);
	check(hv_mm_domain_populate(&d->mm, NULL, hv_gfn(0), RAM_PAGES,
				    HV_MM_P2M_ORDER_4K, NULL),
	      "populate");
	hv_gmem_init(&d->gmem, hv_mm_gpa_translate, &d->mm, 48);
	check(hv_mm_gpa_translate(&d->mm, hv_gfn(GFN_ARGS),
				  HV_GMEM_READ | HV_GMEM_WRITE, &d->args),
	      "args page");
	check(hv_gnttab_domain_create(&cfg, &d->g), "gnttab domain");
	place(d, 0, GFN_GT);
	if (v2) {
		struct gnttab_set_version op = {.version = 2};

		check(hv_gmem_copy_to(&d->gmem, ARGS, &op, sizeof(op)), "args");
		check(hv_gnttab_hypercall(d->g, &d->gmem, GNTTABOP_set_version,
					  ARGS, 1),
		      "set_version");
		place(d, XENMAPIDX_grant_table_status, GFN_STATUS);
	}
	hv_mm_p2m_activate(&d->p2m);
}

static void dom_fini(unsigned int i)
{
	struct dom *d = &m.dom[i];

	check(hv_gnttab_domain_destroy(d->g), "gnttab destroy");
	hv_mm_domain_release(&d->mm);
	hv_mm_p2m_destroy(&d->p2m);
}

/* A grants refs 0 .. BATCH - 1 to B, each a page of its RAM. */
static void grant_batch(bool v2)
{
	struct dom *a = &m.dom[0];

	for (grant_ref_t ref = 0; ref < BATCH; ref++) {
		uint64_t gfn = GFN_DATA + ref;

		if (v2) {
			grant_entry_v2_t e = {0};

			e.full_page.frame = gfn;
			e.hdr.domid = 2;
			e.hdr.flags = GTF_permit_access;
			check(hv_gmem_copy_to(&a->gmem,
					      ((uint64_t)GFN_GT << 12) +
						  ref * sizeof(e),
					      &e, sizeof(e)),
			      "grant");
		} else {
			grant_entry_v1_t e = {GTF_permit_access, 2,
					      (uint32_t)gfn};

			check(hv_gmem_copy_to(&a->gmem,
					      ((uint64_t)GFN_GT << 12) +
						  ref * sizeof(e),
					      &e, sizeof(e)),
			      "grant");
		}
	}
}

static int call(unsigned int cmd, const void *ops, size_t bytes,
		unsigned int count)
{
	struct dom *b = &m.dom[1];

	memcpy(b->args, ops, bytes);
	return hv_gnttab_hypercall(b->g, &b->gmem, cmd, ARGS, count);
}

/* `pairs` maps and unmaps, `per_call` ops a call; returns seconds. */
static double map_unmap(unsigned long pairs, unsigned int per_call)
{
	struct gnttab_map_grant_ref map[BATCH];
	struct gnttab_unmap_grant_ref unmap[BATCH];
	double t0 = now_s();

	for (unsigned long done = 0; done < pairs; done += per_call) {
		for (unsigned int i = 0; i < per_call; i++)
			map[i] = (struct gnttab_map_grant_ref){
			    .host_addr = (uint64_t)(GFN_MAP + i) << 12,
			    .flags = GNTMAP_host_map,
			    .ref = i,
			    .dom = 1,
			};
		check(call(GNTTABOP_map_grant_ref, map,
			   per_call * sizeof(map[0]), per_call),
		      "map");
		memcpy(map, m.dom[1].args, per_call * sizeof(map[0]));
		for (unsigned int i = 0; i < per_call; i++) {
			check(map[i].status, "map status");
			unmap[i] = (struct gnttab_unmap_grant_ref){
			    .host_addr = map[i].host_addr,
			    .handle = map[i].handle,
			};
		}
		check(call(GNTTABOP_unmap_grant_ref, unmap,
			   per_call * sizeof(unmap[0]), per_call),
		      "unmap");
	}
	return now_s() - t0;
}

static void bench_map_unmap(void)
{
	static const unsigned long pairs = 200000;
	static const unsigned int per_call[] = {1, BATCH};

	printf("libhv-gnttab: grant map+unmap pairs through the hypercall, "
	       "%lu pairs each\n",
	       pairs);
	printf("%-8s %-12s %14s %12s %16s\n", "table", "ops/call", "pairs/s",
	       "ns/pair", "TLB flushes/pair");
	for (unsigned int v = 1; v <= 2; v++) {
		dom_init(0, v == 2);
		dom_init(1, false);
		grant_batch(v == 2);
		for (size_t p = 0; p < HV_ARRAY_SIZE(per_call); p++) {
			unsigned int per = per_call[p];
			unsigned long f0 = tlb_flushes;
			double s = map_unmap(pairs, per);

			printf("%-8s %-12u %14.0f %12.1f %16.3f\n",
			       v == 1 ? "v1" : "v2", per, pairs / s,
			       s * 1e9 / pairs,
			       (double)(tlb_flushes - f0) / pairs);
		}
		dom_fini(1);
		dom_fini(0);
	}
	printf("(each pair: map into B's P2M as grant_map_rw, unmap, one TLB "
	       "flush per unmap call)\n\n");
}

/* `copies` copies of len bytes, `per_call` a call, from A's grants to B's
 * RAM (to_grant: the other way); returns seconds. */
static double copies(unsigned long n, uint16_t len, unsigned int per_call,
		     bool to_grant)
{
	struct gnttab_copy ops[BATCH];
	double t0;

	for (unsigned int i = 0; i < per_call; i++) {
		struct gnttab_copy_ptr grant = {.domid = 1};
		struct gnttab_copy_ptr own = {.domid = DOMID_SELF};

		grant.u.ref = i;
		own.u.gmfn = GFN_DATA + i;
		ops[i] = (struct gnttab_copy){
		    .source = to_grant ? own : grant,
		    .dest = to_grant ? grant : own,
		    .len = len,
		    .flags = to_grant ? GNTCOPY_dest_gref : GNTCOPY_source_gref,
		};
	}
	t0 = now_s();
	for (unsigned long done = 0; done < n; done += per_call)
		check(call(GNTTABOP_copy, ops, per_call * sizeof(ops[0]),
			   per_call),
		      "copy");
	return now_s() - t0;
}

static void bench_copy(void)
{
	static const unsigned long n = 200000;
	static const uint16_t lens[] = {64, 4096};
	static const unsigned int per_call[] = {1, BATCH};

	printf("libhv-gnttab: GNTTABOP_copy between a grant and the caller's "
	       "RAM (v1), %lu copies each\n",
	       n);
	printf("%-6s %-10s %-9s %14s %12s %12s\n", "bytes", "direction",
	       "ops/call", "copies/s", "ns/copy", "MiB/s");
	dom_init(0, false);
	dom_init(1, false);
	grant_batch(false);
	for (size_t l = 0; l < HV_ARRAY_SIZE(lens); l++)
		for (unsigned int dir = 0; dir < 2; dir++)
			for (size_t p = 0; p < HV_ARRAY_SIZE(per_call); p++) {
				unsigned int per = per_call[p];
				double s = copies(n, lens[l], per, dir);

				printf("%-6u %-10s %-9u %14.0f %12.1f %12.1f\n",
				       lens[l],
				       dir ? "into grant" : "from grant", per,
				       n / s, s * 1e9 / n,
				       (double)n * lens[l] / s / (1 << 20));
			}
	dom_fini(1);
	dom_fini(0);
	printf("(each copy pins the grant and references both frames for the "
	       "copy only)\n");
}

#define GOAL_PAIRS 200000ul

static double v1_pairs_per_s(void *per_call)
{
	return GOAL_PAIRS / map_unmap(GOAL_PAIRS, *(unsigned int *)per_call);
}

/* Issue 15's figures: v1 map+unmap pairs a second, 1 and 32 a call. */
static void goals(void)
{
	unsigned int one = 1, batch = BATCH;

	dom_init(0, false);
	dom_init(1, false);
	grant_batch(false);
	bench_goal("grant map+unmap pairs, v1, 1 op/call",
		   bench_repeat(v1_pairs_per_s, &one), "pairs/s", 0, 5e6);
	bench_goal("grant map+unmap pairs, v1, 32 ops/call",
		   bench_repeat(v1_pairs_per_s, &batch), "pairs/s", 0, 5e6);
	dom_fini(1);
	dom_fini(0);
	printf("\n");
}

int main(void)
{
	machine_init();
	bench_map_unmap();
	bench_copy();
	goals();
	return 0;
}
