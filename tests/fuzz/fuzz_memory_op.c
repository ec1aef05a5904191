/*
 * Fuzzing HYPERVISOR_memory_op (hv_mm_memory_op) and the domain-memory
 * calls an image makes around it (grant mappings, hv_mm_domain_map and
 * _unmap), on a machine of 1,024 pages whose P2M tables come from the same
 * heap, as in an image, so that running out of memory reaches the P2M too.
 *
 * Input (README.md): one configuration byte, then records of REC_BYTES.
 * After the last record everything is torn down, and every frame must be
 * back in the heap: a lost frame or a lost grant mapping aborts.
 */
#include "fuzz.h"

#include <hv/mm.h>
#include <hv/mm_impl.h>

#include <hv/arm_stage2.h>
#include <hv/x86_npt.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/memory.h>

#define PAGES	   1024
#define RAM_BASE   UINT64_C(0x80000) /* first machine frame */
#define NR_DOMS	   3		     /* 0 privileged, 1 and 2 domUs */
#define ARGS	   UINT64_C(0x10000) /* guest address of the argument */
#define LIST	   (ARGS + HV_PAGE_SIZE)
#define ARG_PAGES  2
#define MAX_GRANTS 16

/* A record: op, who/how, the argument, eight extent-list entries. */
#define ARG_BYTES  32
#define LIST_BYTES 64
#define REC_BYTES  (2 + ARG_BYTES + LIST_BYTES)

/* Configuration byte. */
#define CFG_ARM	      0x1u /* Arm ABI and stage 2, else x86 and NPT */
#define CFG_BIG_ORDER 0x2u /* the control domain's order limit: UINT_MAX */

/* Ops past memory_op's sub-ops (whose numbers are below 64). */
enum {
	OP_GRANT_MAP = 0xf0, /* a domain's RAM frame, grant-mapped by another */
	OP_GRANT_UNMAP,	     /* one of those grant mappings, undone */
	OP_DOMAIN_UNMAP,     /* hv_mm_domain_unmap */
	OP_DOMAIN_MAP_MMIO,  /* hv_mm_domain_map(MMIO) */
};

/* Record byte 1. */
#define WHO_CALLER(b)  ((b)&3u) /* 3 means 2 */
#define WHO_START(b)   (((b) >> 2) & 31u)
#define WHO_RAW_HANDLE 0x80u /* keep the extent_start the input gives */

struct grant {
	unsigned int in; /* the mapping domain */
	uint64_t gfn;
	hv_mfn_t mfn;
};

struct world {
	uint8_t *ram;
	void *frames;
	struct hv_mm_node node;
	struct hv_mm_heap heap;
	struct hv_mm_p2m p2m[NR_DOMS];
	struct hv_mm_domain dom[NR_DOMS];
	struct hv_mm_xenmem xm;
	struct hv_gmem gm;
	_Alignas(4096) uint8_t args[ARG_PAGES][HV_PAGE_SIZE];
	hv_mfn_t shinfo;
	uint64_t shinfo_gfn;
	struct grant grants[MAX_GRANTS];
	unsigned int nr_grants;
};

static void die(const char *what, uint64_t a, uint64_t b)
{
	fprintf(stderr, "fuzz-memory-op: %s (%llu, %llu)\n", what,
		(unsigned long long)a, (unsigned long long)b);
	abort();
}

static void *ram_virt(void *ctx, hv_paddr_t pa)
{
	struct world *w = ctx;
	uint64_t mfn = pa >> HV_PAGE_SHIFT;

	if (mfn < RAM_BASE || mfn >= RAM_BASE + PAGES)
		die("phys_to_virt outside RAM", mfn, 0);
	return w->ram + (pa - (RAM_BASE << HV_PAGE_SHIFT));
}

/* P2M tables from the heap, as an image takes them. */
static int alloc_table(void *ctx, unsigned int order, hv_paddr_t *pa)
{
	struct world *w = ctx;
	hv_mfn_t mfn;
	int rc = hv_mm_alloc_pages(&w->heap, order, HV_MM_NODE_ANY,
				   HV_MM_ALLOC_NO_SCRUB, NULL, &mfn);

	if (!rc)
		*pa = hv_mfn_to_paddr(mfn);
	return rc;
}

static void free_table(void *ctx, hv_paddr_t pa, unsigned int order)
{
	struct world *w = ctx;

	if (hv_mm_put_pages(&w->heap, hv_mfn(pa >> HV_PAGE_SHIFT), order,
			    HV_MM_PUT_CLEAN))
		die("free_table of a frame not allocated", pa, order);
}

static void flush_tlb(void *ctx, hv_gfn_t first, uint64_t nr)
{
	(void)ctx;
	(void)first;
	(void)nr;
}

static const struct hv_mm_p2m_ops table_ops = {alloc_table, free_table,
					       ram_virt, flush_tlb};

static int args_translate(void *ctx, hv_gfn_t gfn, unsigned int access,
			  void **page)
{
	struct world *w = ctx;
	uint64_t i = hv_gfn_x(gfn) - (ARGS >> HV_PAGE_SHIFT);

	(void)access;
	if (i >= ARG_PAGES)
		return -HV_EFAULT;
	*page = w->args[i];
	return 0;
}

static struct hv_mm_domain *find_domain(void *ctx, hv_domid_t domid)
{
	struct world *w = ctx;

	return domid < NR_DOMS ? &w->dom[domid] : NULL;
}

/* XENMAPSPACE_shared_info idx 0: a frame the image owns. */
static int space_frame(void *ctx, struct hv_mm_domain *d, unsigned int space,
		       uint64_t idx, hv_mfn_t *mfn, hv_gfn_t *where)
{
	struct world *w = ctx;

	(void)d;
	if (space != XENMAPSPACE_shared_info || idx != 0)
		return -HV_EINVAL;
	*mfn = w->shinfo;
	*where = hv_gfn(w->shinfo_gfn);
	return 0;
}

static void space_placed(void *ctx, struct hv_mm_domain *d, unsigned int space,
			 uint64_t idx, hv_gfn_t gfn)
{
	struct world *w = ctx;

	(void)d;
	(void)space;
	(void)idx;
	w->shinfo_gfn = hv_gfn_x(gfn);
}

/* The machine's memory, kept from input to input (4 MiB to map and unmap
 * each time would cost more than the input): the heap takes it as dirty. */
static uint8_t *machine_ram(void)
{
	static uint8_t *ram;

	if (!ram)
		ram = malloc((size_t)PAGES * HV_PAGE_SIZE);
	return ram;
}

static struct world *world_new(unsigned int cfg)
{
	/* The argument pages are page-aligned, as a guest's are. */
	size_t bytes = HV_ALIGN_UP(sizeof(struct world), HV_PAGE_SIZE);
	struct world *w = aligned_alloc(HV_PAGE_SIZE, bytes);
	const struct hv_mm_p2m_format *fmt =
	    cfg & CFG_ARM ? &hv_arm_stage2_ipa40 : &hv_x86_npt;

	if (!w)
		abort();
	memset(w, 0, bytes);
	w->ram = machine_ram();
	w->frames = calloc(PAGES, HV_MM_FRAME_BYTES);
	if (!w->ram || !w->frames ||
	    hv_mm_heap_init(&w->heap, &w->node, 1, ram_virt, w) ||
	    hv_mm_heap_node_init(&w->heap, 0, hv_mfn(RAM_BASE), PAGES,
				 w->frames, PAGES * HV_MM_FRAME_BYTES) ||
	    hv_mm_heap_add(&w->heap, hv_mfn(RAM_BASE), PAGES, 0) ||
	    hv_mm_alloc_pages(&w->heap, 0, HV_MM_NODE_ANY, 0, NULL, &w->shinfo))
		die("machine setup", 0, 0);
	for (hv_domid_t i = 0; i < NR_DOMS; i++) {
		if (hv_mm_p2m_init(&w->p2m[i], fmt, &table_ops, w,
				   HV_MM_P2M_ORDER_1G))
			die("p2m setup", i, 0);
		hv_mm_p2m_activate(&w->p2m[i]);
		hv_mm_domain_init(&w->dom[i], i, &w->heap, &w->p2m[i], PAGES);
	}
	w->dom[0].privileged = true;
	w->dom[0].memop_max_order = cfg & CFG_BIG_ORDER ? UINT_MAX : 12;
	w->xm = (struct hv_mm_xenmem){
	    cfg & CFG_ARM ? &hv_mm_xenmem_arm : &hv_mm_xenmem_x86, find_domain,
	    space_frame, space_placed, w};
	hv_gmem_init(&w->gm, args_translate, w, 64);
	w->shinfo_gfn = HV_INVALID_FRAME;
	return w;
}

/* Tear everything down; every frame must be back in the heap. */
static void world_free(struct world *w)
{
	struct hv_mm_heap_stats st;

	for (unsigned int i = 0; i < w->nr_grants; i++) {
		struct grant *g = &w->grants[i];

		if (hv_mm_p2m_grant_unmap(&w->p2m[g->in], NULL, hv_gfn(g->gfn),
					  g->mfn))
			die("a grant mapping was lost", g->in, g->gfn);
		hv_mm_put_pages(&w->heap, g->mfn, 0, 0);
	}
	for (unsigned int i = 0; i < NR_DOMS; i++) {
		hv_mm_domain_release(&w->dom[i]);
		if (hv_mm_account_pages(&w->heap, &w->dom[i].account))
			die("pages still charged after release", i,
			    hv_mm_account_pages(&w->heap, &w->dom[i].account));
		hv_mm_p2m_destroy(&w->p2m[i]);
	}
	hv_mm_put_pages(&w->heap, w->shinfo, 0, HV_MM_PUT_CLEAN);
	if (hv_mm_heap_get_stats(&w->heap, 0, &st) ||
	    st.free_pages != st.total_pages)
		die("frames not back in the heap", st.free_pages,
		    st.total_pages);
	free(w->frames);
	free(w);
}

/* A frame of domain `from`'s RAM at gfn, grant-mapped by `in` at dst, as
 * libhv-gnttab maps one: a reference for the mapping, then the entry, in a
 * domain batch, which releases the RAM of `in` that the entry replaces. */
static void grant_map(struct world *w, unsigned int from, unsigned int in,
		      uint64_t gfn, uint64_t dst)
{
	struct hv_mm_domain_batch b;
	struct hv_mm_p2m_info info;
	struct grant *g = &w->grants[w->nr_grants];
	int rc;

	if (w->nr_grants == MAX_GRANTS ||
	    hv_mm_p2m_lookup(&w->p2m[from], hv_gfn(gfn), &info) ||
	    info.type != HV_MM_P2M_RAM_RW ||
	    hv_mm_get_page(&w->heap, info.mfn, &w->dom[from].account))
		return;
	hv_mm_domain_batch_begin(&b, &w->dom[in]);
	rc = hv_mm_p2m_grant_map(&w->p2m[in], &b.p2m, hv_gfn(dst), info.mfn,
				 false);
	hv_mm_domain_batch_end(&b);
	if (rc) {
		hv_mm_put_pages(&w->heap, info.mfn, 0, 0);
		return;
	}
	*g = (struct grant){in, dst, info.mfn};
	w->nr_grants++;
}

static void grant_unmap(struct world *w, unsigned int i)
{
	struct grant *g;

	if (!w->nr_grants)
		return;
	g = &w->grants[i % w->nr_grants];
	if (hv_mm_p2m_grant_unmap(&w->p2m[g->in], NULL, hv_gfn(g->gfn), g->mfn))
		die("a grant mapping was lost", g->in, g->gfn);
	hv_mm_put_pages(&w->heap, g->mfn, 0, 0);
	*g = w->grants[--w->nr_grants];
}

static void memory_op(struct world *w, const uint8_t *rec)
{
	unsigned int who = rec[1];
	unsigned int caller = WHO_CALLER(who) < NR_DOMS ? WHO_CALLER(who) : 2;
	unsigned int op = rec[0] & 63u;
	unsigned long cmd = op | (unsigned long)WHO_START(who) << 6;
	uint64_t list = LIST;

	memset(w->args, 0, sizeof(w->args));
	memcpy(w->args[0], rec + 2, ARG_BYTES);
	memcpy(w->args[1], rec + 2 + ARG_BYTES, LIST_BYTES);
	/* Point a reservation's extent list at the list page, unless the
	 * input asks for its own handle. */
	if ((op == XENMEM_populate_physmap ||
	     op == XENMEM_decrease_reservation) &&
	    !(who & WHO_RAW_HANDLE))
		memcpy(w->args[0] + offsetof(struct xen_memory_reservation,
					     extent_start),
		       &list, sizeof(list));
	hv_mm_memory_op(&w->xm, &w->dom[caller], &w->gm, cmd, ARGS);
}

static void run(struct world *w, const uint8_t *rec)
{
	unsigned int d = (rec[1] & 3u) % NR_DOMS;

	switch (rec[0]) {
	case OP_GRANT_MAP:
		grant_map(w, d, (rec[1] >> 2 & 3u) % NR_DOMS,
			  fuzz_le(rec + 2, 8), fuzz_le(rec + 10, 8));
		break;
	case OP_GRANT_UNMAP:
		grant_unmap(w, rec[1]);
		break;
	case OP_DOMAIN_UNMAP:
		hv_mm_domain_unmap(&w->dom[d], NULL,
				   hv_gfn(fuzz_le(rec + 2, 8)), rec[10]);
		break;
	case OP_DOMAIN_MAP_MMIO:
		hv_mm_domain_map(&w->dom[d], NULL, hv_gfn(fuzz_le(rec + 2, 8)),
				 hv_mfn(fuzz_le(rec + 11, 8)), rec[10],
				 HV_MM_P2M_MMIO, HV_MM_P2M_RW);
		break;
	default:
		memory_op(w, rec);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct world *w;

	if (size < 1)
		return 0;
	w = world_new(data[0]);
	for (size_t off = 1; size - off >= REC_BYTES; off += REC_BYTES)
		run(w, data + off);
	world_free(w);
	return 0;
}
