/*
 * libhv-mm benchmarks: building and tearing down a domain's P2M, P2M
 * lookups, and the allocator.
 *
 * The host cannot back 256 GiB of guest RAM, so the P2M builds map a fake
 * machine range: frame numbers need no memory behind them, only the tables
 * are real (host memory from aligned_alloc).  The builds run the way a
 * domain builder does: one map call per extent (4 KiB, 2 MiB or 1 GiB),
 * all in one batch, and the P2M uses nothing larger than the extents.
 * Teardowns unmap extent by extent on an activated P2M (a domain that has
 * run), in one batch; the flush column shows that batch's flushes against
 * the flushes one per extent would have cost.
 */
#define _DEFAULT_SOURCE
#include <hv/arm_stage2.h>
#include <hv/mm.h>
#include <hv/mm_impl.h>
#include <hv/x86_npt.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "../bench_goal.h"

#define GIB_FRAMES (UINT64_C(1) << 18)
#define MFN_BASE   (UINT64_C(1) << 28) /* 1 TiB: the fake machine range */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct host_tables {
	uint64_t live, peak, flushes;
};

static int tables_alloc(void *ctx, unsigned int order, hv_paddr_t *pa)
{
	struct host_tables *t = ctx;
	size_t size = (size_t)HV_PAGE_SIZE << order;
	void *p = aligned_alloc(size, size);

	if (!p)
		return -HV_ENOMEM;
	if (++t->live > t->peak)
		t->peak = t->live;
	*pa = (hv_paddr_t)(uintptr_t)p;
	return 0;
}

static void tables_free(void *ctx, hv_paddr_t pa, unsigned int order)
{
	struct host_tables *t = ctx;

	(void)order;
	t->live--;
	free((void *)(uintptr_t)pa);
}

static void *tables_virt(void *ctx, hv_paddr_t pa)
{
	(void)ctx;
	return (void *)(uintptr_t)pa;
}

static void tables_flush(void *ctx, hv_gfn_t first, uint64_t nr)
{
	struct host_tables *t = ctx;

	(void)first;
	(void)nr;
	t->flushes++;
}

static const struct hv_mm_p2m_ops host_ops = {
    tables_alloc,
    tables_free,
    tables_virt,
    tables_flush,
};

static void check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "bench-mm: %s failed: %d\n", what, rc);
		exit(1);
	}
}

struct build_result {
	double build_ms, teardown_ms;
	uint64_t tables, calls, flushes, flush_requests;
};

static void build_and_teardown(const struct hv_mm_p2m_format *fmt,
			       uint64_t frames, unsigned int order,
			       struct build_result *r)
{
	uint64_t step = UINT64_C(1) << order;
	struct host_tables t = {0};
	struct hv_mm_p2m_batch b;
	struct hv_mm_p2m_stats st;
	struct hv_mm_p2m p2m;
	double t0;

	check(hv_mm_p2m_init(&p2m, fmt, &host_ops, &t, order), "p2m init");
	t0 = now_s();
	hv_mm_p2m_batch_begin(&b, &p2m, NULL, NULL);
	for (uint64_t g = 0; g < frames; g += step)
		check(hv_mm_p2m_set(&p2m, &b, hv_gfn(g), hv_mfn(MFN_BASE + g),
				    step, HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX),
		      "map");
	hv_mm_p2m_batch_end(&b);
	r->build_ms = (now_s() - t0) * 1e3;
	r->tables = t.peak;
	r->calls = frames / step;

	hv_mm_p2m_activate(&p2m);
	t0 = now_s();
	hv_mm_p2m_batch_begin(&b, &p2m, NULL, NULL);
	for (uint64_t g = 0; g < frames; g += step)
		check(hv_mm_p2m_remove(&p2m, &b, hv_gfn(g), step), "unmap");
	hv_mm_p2m_batch_end(&b);
	r->teardown_ms = (now_s() - t0) * 1e3;
	hv_mm_p2m_get_stats(&p2m, &st);
	r->flushes = st.flushes;
	r->flush_requests = st.flush_requests;
	hv_mm_p2m_destroy(&p2m);
}

static const char *page_name(unsigned int order)
{
	return order == 0 ? "4K only" : order == 9 ? "2M" : "1G";
}

static void bench_domain_build(const char *title,
			       const struct hv_mm_p2m_format *fmt)
{
	static const unsigned int gibs[] = {4, 64, 256, 1024};
	static const unsigned int orders[] = {0, 9, 18};

	printf("libhv-mm: P2M domain build and teardown, %s\n", title);
	printf("%-6s %-8s %10s %11s %10s %12s %12s %9s %16s\n", "domain",
	       "pages", "map calls", "build ms", "tables", "tables MiB",
	       "teardown ms", "flushes", "flushes unbatched");
	for (size_t i = 0; i < sizeof(gibs) / sizeof(gibs[0]); i++) {
		for (size_t o = 0; o < sizeof(orders) / sizeof(orders[0]);
		     o++) {
			struct build_result r;

			/* 1 TiB only with 1 GiB pages: 2 GiB of 4 KiB tables
			 * is more than a bench should hold. */
			if (gibs[i] == 1024 && orders[o] != 18)
				continue;
			build_and_teardown(fmt, gibs[i] * GIB_FRAMES, orders[o],
					   &r);
			printf("%4u G %-8s %10llu %11.2f %10llu %12.2f %12.2f "
			       "%9llu %16llu\n",
			       gibs[i], page_name(orders[o]),
			       (unsigned long long)r.calls, r.build_ms,
			       (unsigned long long)r.tables,
			       (double)r.tables * 4096.0 / (1 << 20),
			       r.teardown_ms, (unsigned long long)r.flushes,
			       (unsigned long long)r.flush_requests);
		}
	}
	printf("(build: one map call per extent, one batch, P2M not yet "
	       "active: no flush needed;\n teardown: one unmap per extent, "
	       "one batch, P2M active)\n\n");
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void bench_lookups(void)
{
	static const unsigned int orders[] = {0, 9, 18};
	const uint64_t frames = 64 * GIB_FRAMES, n = 4000000;

	printf("libhv-mm: P2M lookups, x86 NPT, 64 GiB domain, "
	       "%llu lookups each\n",
	       (unsigned long long)n);
	printf("%-8s %-10s %14s %10s\n", "pages", "pattern", "lookups/s",
	       "ns/lookup");
	for (size_t o = 0; o < sizeof(orders) / sizeof(orders[0]); o++) {
		uint64_t step = UINT64_C(1) << orders[o];
		struct host_tables t = {0};
		struct hv_mm_p2m p2m;

		check(
		    hv_mm_p2m_init(&p2m, &hv_x86_npt, &host_ops, &t, orders[o]),
		    "p2m init");
		for (uint64_t g = 0; g < frames; g += step)
			check(hv_mm_p2m_set(&p2m, NULL, hv_gfn(g),
					    hv_mfn(MFN_BASE + g), step,
					    HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX),
			      "map");
		for (int random = 0; random < 2; random++) {
			uint64_t seed = 88172645463325252ull, sum = 0;
			struct hv_mm_p2m_info info;
			double t0 = now_s(), s;

			for (uint64_t i = 0; i < n; i++) {
				uint64_t g = random ? xorshift(&seed) % frames
						    : (i * 7) % frames;

				hv_mm_p2m_lookup(&p2m, hv_gfn(g), &info);
				sum += hv_mfn_x(info.mfn);
			}
			s = now_s() - t0;
			if (sum == 0)
				printf("(impossible)\n");
			printf("%-8s %-10s %14.0f %10.1f\n",
			       page_name(orders[o]),
			       random ? "random" : "sequential", (double)n / s,
			       s * 1e9 / (double)n);
		}
		hv_mm_p2m_destroy(&p2m);
	}
	printf("\n");
}

struct machine {
	struct hv_mm_node node;
	struct hv_mm_heap heap;
	void *frames;
	uint8_t *ram;
	uint64_t pages;
};

static void *machine_virt(void *ctx, hv_paddr_t pa)
{
	struct machine *m = ctx;

	return m->ram + (pa - (MFN_BASE << HV_PAGE_SHIFT));
}

/* A heap over `pages` frames at MFN_BASE; the RAM is reserved address
 * space, touched only where scrubbed. */
static void machine_init(struct machine *m, uint64_t pages, unsigned int flags)
{
	m->pages = pages;
	m->ram = mmap(NULL, pages * HV_PAGE_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	m->frames = calloc(pages, HV_MM_FRAME_BYTES);
	if (m->ram == MAP_FAILED || !m->frames)
		check(-HV_ENOMEM, "machine");
	check(hv_mm_heap_init(&m->heap, &m->node, 1, machine_virt, m),
	      "heap init");
	check(hv_mm_heap_node_init(&m->heap, 0, hv_mfn(MFN_BASE), pages,
				   m->frames, pages * HV_MM_FRAME_BYTES),
	      "node init");
	check(hv_mm_heap_add(&m->heap, hv_mfn(MFN_BASE), pages, flags),
	      "heap add");
}

static void machine_fini(struct machine *m)
{
	munmap(m->ram, m->pages * HV_PAGE_SIZE);
	free(m->frames);
}

/* The whole path: allocate and map, as hv_mm_domain_populate builds. */
static void bench_populate(void)
{
	static const unsigned int orders[] = {0, 9, 18};
	const uint64_t frames = 8 * GIB_FRAMES;

	printf("libhv-mm: domain build with allocation "
	       "(hv_mm_domain_populate), 8 GiB, x86 NPT\n");
	printf("%-8s %11s %14s %14s\n", "extents", "build ms", "release ms",
	       "GiB/s built");
	for (size_t o = 0; o < sizeof(orders) / sizeof(orders[0]); o++) {
		struct host_tables t = {0};
		struct hv_mm_domain d;
		struct hv_mm_p2m p2m;
		struct machine m;
		uint64_t done;
		double t0, build, release;

		machine_init(&m, frames, HV_MM_ADD_CLEAN);
		check(hv_mm_p2m_init(&p2m, &hv_x86_npt, &host_ops, &t,
				     HV_MM_P2M_ORDER_1G),
		      "p2m init");
		hv_mm_domain_init(&d, 1, &m.heap, &p2m, frames);
		t0 = now_s();
		check(hv_mm_domain_populate(&d, NULL, hv_gfn(0), frames,
					    orders[o], &done),
		      "populate");
		build = now_s() - t0;
		t0 = now_s();
		hv_mm_domain_release(&d);
		release = now_s() - t0;
		printf("%-8s %11.2f %14.2f %14.1f\n", page_name(orders[o]),
		       build * 1e3, release * 1e3, 8.0 / build);
		hv_mm_p2m_destroy(&p2m);
		machine_fini(&m);
	}
	printf("(allocated frames come from a clean heap: no scrubbing)\n\n");
}

static void bench_allocator(void)
{
	static const unsigned int orders[] = {0, 9, 18};
	const uint64_t pages = 4 * GIB_FRAMES;
	struct machine m;

	machine_init(&m, pages, HV_MM_ADD_CLEAN);
	printf("libhv-mm: page allocator, alloc+free pairs (no scrub)\n");
	printf("%-6s %14s %10s\n", "order", "pairs/s", "ns/pair");
	for (size_t o = 0; o < sizeof(orders) / sizeof(orders[0]); o++) {
		const uint64_t n = orders[o] == 18 ? 200 : 1000000;
		double t0 = now_s(), s;

		for (uint64_t i = 0; i < n; i++) {
			hv_mfn_t mfn;

			check(hv_mm_alloc_pages(&m.heap, orders[o], 0,
						HV_MM_ALLOC_NO_SCRUB, NULL,
						&mfn),
			      "alloc");
			check(hv_mm_put_pages(&m.heap, mfn, orders[o],
					      HV_MM_PUT_CLEAN),
			      "free");
		}
		s = now_s() - t0;
		printf("%-6u %14.0f %10.1f\n", orders[o], (double)n / s,
		       s * 1e9 / (double)n);
	}
	machine_fini(&m);

	machine_init(&m, 65536, 0);
	{
		double t0 = now_s(), s;
		uint64_t done =
		    hv_mm_scrub(&m.heap, HV_MM_NODE_ANY, UINT64_MAX);

		s = now_s() - t0;
		printf("scrub: %llu MiB of dirty free memory in %.1f ms "
		       "(%.2f GiB/s)\n\n",
		       (unsigned long long)(done >> 8), s * 1e3,
		       (double)done / (1 << 18) / s);
	}
	machine_fini(&m);
}

static double build_256g_ms(void *fmt)
{
	struct build_result r;

	build_and_teardown(fmt, 256 * GIB_FRAMES, 9, &r);
	return r.build_ms;
}

/* Issue 15's figures: a 256 GiB domain's P2M built with 2 MiB pages. */
static void goals(void)
{
	bench_goal("P2M build, 256 GiB domain, 2 MiB pages, x86 NPT",
		   bench_repeat(build_256g_ms, (void *)&hv_x86_npt), "ms", 1,
		   5);
	bench_goal("P2M build, 256 GiB domain, 2 MiB pages, AArch64 stage 2",
		   bench_repeat(build_256g_ms, (void *)&hv_arm_stage2_ipa40),
		   "ms", 1, 5);
	printf("\n");
}

int main(void)
{
	bench_domain_build("x86 NPT (4 levels)", &hv_x86_npt);
	bench_domain_build("AArch64 stage 2 (40-bit IPA, 3 levels)",
			   &hv_arm_stage2_ipa40);
	bench_lookups();
	bench_populate();
	bench_allocator();
	goals();
	return 0;
}
