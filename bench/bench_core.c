/*
 * Host microbenchmarks of libhv-core, run by `make bench`.
 *
 * Each row runs its loop for about ROW_NS of wall time (batches grow until
 * one takes a twentieth of that, so the clock is read rarely) and reports
 * the mean.  Inputs come from a fixed-seed PRNG, so every run measures the
 * same work.  Numbers are for comparing builds and changes on one machine,
 * not absolute truths: they include the loop and PRNG overhead (~1 ns).
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c11 */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <hv/core.h>

#define ROW_NS 200000000ull /* 0.2 s per row */

/* Results are written here so the compiler cannot drop the work. */
static volatile uint64_t sink;

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

/* xorshift64: cheap, deterministic. */
static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Runs `iters` iterations of a benchmark; returns the operations done. */
typedef uint64_t (*bench_fn)(void *ctx, uint64_t iters);

/* Mean ns per operation of fn over about ROW_NS. */
static double measure(bench_fn fn, void *ctx)
{
	uint64_t start = now_ns(), elapsed = 0, ops = 0, iters = 1;

	while (elapsed < ROW_NS) {
		uint64_t t0 = now_ns();

		ops += fn(ctx, iters);
		if (now_ns() - t0 < ROW_NS / 20)
			iters *= 2;
		elapsed = now_ns() - start;
	}
	return (double)elapsed / (double)ops;
}

static void *xmalloc(size_t size)
{
	void *p = malloc(size);

	if (!p) {
		fprintf(stderr, "bench-core: out of memory\n");
		exit(1);
	}
	return p;
}

/* Powers of two, so a random index is a mask rather than a division. */
static const size_t sizes[] = {16, 256, 4096, 65536};

/* --- rbtree ------------------------------------------------------------ */

struct rb_item {
	struct hv_rb_node node;
	uint64_t key;
};

static int rb_item_cmp(const struct hv_rb_node *a, const struct hv_rb_node *b)
{
	uint64_t ka = hv_rb_entry(a, struct rb_item, node)->key;
	uint64_t kb = hv_rb_entry(b, struct rb_item, node)->key;

	return (ka > kb) - (ka < kb);
}

struct rb_bench {
	struct hv_rb_tree tree;
	struct rb_item *items;
	size_t n;
};

/* One op: take a random node out and put it back under a new random key,
 * so the tree keeps n live nodes. */
static uint64_t rb_step(void *ctx, uint64_t iters)
{
	struct rb_bench *b = ctx;

	for (uint64_t i = 0; i < iters; i++) {
		struct rb_item *it = &b->items[rng() & (b->n - 1)];

		hv_rb_remove(&b->tree, &it->node);
		it->key = rng();
		hv_rb_insert(&b->tree, &it->node, rb_item_cmp);
	}
	return iters;
}

static void bench_rbtree(void)
{
	printf(
	    "libhv-core: rbtree (remove + insert of one node, random keys)\n");
	printf("  %-12s  %8s\n", "live nodes", "ns/op");
	for (size_t s = 0; s < HV_ARRAY_SIZE(sizes); s++) {
		struct rb_bench b = {.n = sizes[s]};

		b.items = xmalloc(b.n * sizeof(*b.items));
		hv_rb_init(&b.tree);
		for (size_t i = 0; i < b.n; i++) {
			hv_rb_node_init(&b.items[i].node);
			b.items[i].key = rng();
			hv_rb_insert(&b.tree, &b.items[i].node, rb_item_cmp);
		}
		printf("  %-12zu  %8.1f\n", b.n, measure(rb_step, &b));
		free(b.items);
	}
	printf("\n");
}

/* --- timerq ------------------------------------------------------------ */

struct tq_bench {
	struct hv_timerq q;
	struct hv_timer *timers;
	uint64_t spread; /* re-arm within this many ns of now; a power of 2 */
};

/* Every timer re-arms itself at a random time ahead, as periodic and
 * timeout timers do, so the queue stays at its size. */
static void tq_fire(struct hv_timer *t, hv_time_t now, void *data)
{
	struct tq_bench *b = data;

	hv_timerq_arm(&b->q, t, now + 1 + (hv_time_t)(rng() & (b->spread - 1)));
}

/* One iteration: jump to the next deadline and fire what is due there
 * (usually one timer).  Counts timers fired. */
static uint64_t tq_step(void *ctx, uint64_t iters)
{
	struct tq_bench *b = ctx;
	uint64_t fired = 0;

	for (uint64_t i = 0; i < iters; i++)
		fired += hv_timerq_run(&b->q, hv_timerq_next_deadline(&b->q));
	return fired;
}

static void bench_timerq(void)
{
	printf("libhv-core: timerq (fire one timer, which re-arms itself)\n");
	printf("  %-12s  %8s\n", "live timers", "ns/timer");
	for (size_t s = 0; s < HV_ARRAY_SIZE(sizes); s++) {
		size_t n = sizes[s];
		struct tq_bench b = {.spread = n * 1024};

		b.timers = xmalloc(n * sizeof(*b.timers));
		hv_timerq_init(&b.q);
		for (size_t i = 0; i < n; i++) {
			hv_timer_init(&b.timers[i], tq_fire, &b);
			hv_timerq_arm(&b.q, &b.timers[i],
				      (hv_time_t)(rng() & (b.spread - 1)));
		}
		printf("  %-12zu  %8.1f\n", n, measure(tq_step, &b));
		free(b.timers);
	}
	printf("\n");
}

/* --- bitmap ------------------------------------------------------------ */

#define BITMAP_BITS 131072

struct bitmap_bench {
	unsigned long *map;
	size_t set; /* bits set, so calls per walk = set + 1 */
};

/* One iteration: visit every set bit.  Counts calls. */
static uint64_t bitmap_walk(void *ctx, uint64_t iters)
{
	struct bitmap_bench *b = ctx;
	uint64_t sum = 0;

	for (uint64_t i = 0; i < iters; i++) {
		size_t bit = hv_bitmap_find_next_set(b->map, BITMAP_BITS, 0);

		while (bit < BITMAP_BITS) {
			sum += bit;
			bit = hv_bitmap_find_next_set(b->map, BITMAP_BITS,
						      bit + 1);
		}
	}
	sink = sum;
	return iters * (b->set + 1);
}

static void bench_bitmap(void)
{
	/* One bit in `every` set, at random. */
	static const size_t every[] = {2, 64, 4096, BITMAP_BITS};
	struct bitmap_bench b;

	b.map = xmalloc(HV_BITMAP_WORDS(BITMAP_BITS) * sizeof(unsigned long));
	printf("libhv-core: bitmap find_next_set over %d bits, "
	       "walking every set bit\n",
	       BITMAP_BITS);
	printf("  %-12s  %8s\n", "bits set", "ns/call");
	for (size_t d = 0; d < HV_ARRAY_SIZE(every); d++) {
		hv_bitmap_zero(b.map, BITMAP_BITS);
		for (size_t i = 0; i < BITMAP_BITS / every[d]; i++)
			hv_bitmap_set(b.map, rng() % BITMAP_BITS);
		b.set = hv_bitmap_weight(b.map, BITMAP_BITS);
		printf("  %-12zu  %8.1f\n", b.set, measure(bitmap_walk, &b));
	}
	free(b.map);
	printf("\n");
}

/* --- gmem -------------------------------------------------------------- */

#define GUEST_FRAMES 256 /* 1 MiB of "guest memory" */

struct guest {
	unsigned char *mem;
};

/* The cheapest possible P2M: guest frame n is page n of one buffer. */
static int translate(void *ctx, hv_gfn_t frame, unsigned int access,
		     void **page)
{
	struct guest *g = ctx;

	(void)access;
	if (hv_gfn_x(frame) >= GUEST_FRAMES)
		return -HV_EFAULT;
	*page = g->mem + hv_gfn_x(frame) * HV_PAGE_SIZE;
	return 0;
}

struct gmem_bench {
	struct hv_gmem gm;
	unsigned char *dst;
	size_t len;
};

/* Copies from 64-byte aligned offsets that walk the guest buffer, so that
 * copies of a page or more cross page boundaries, as real ones do. */
static uint64_t gmem_copy(void *ctx, uint64_t iters)
{
	struct gmem_bench *b = ctx;
	const uint64_t span = GUEST_FRAMES * HV_PAGE_SIZE - b->len;
	uint64_t gaddr = 0;

	for (uint64_t i = 0; i < iters; i++) {
		if (hv_gmem_copy_from(&b->gm, b->dst, gaddr, b->len) != 0) {
			fprintf(stderr, "bench-core: hv_gmem_copy_from "
					"failed\n");
			exit(1);
		}
		gaddr = (gaddr + HV_PAGE_SIZE + 64) % span;
	}
	return iters;
}

static void bench_gmem(void)
{
	static const size_t lens[] = {64, 4096, 65536};
	struct guest g = {xmalloc(GUEST_FRAMES * HV_PAGE_SIZE)};
	struct gmem_bench b = {.dst = xmalloc(65536)};

	memset(g.mem, 0x5a, GUEST_FRAMES * HV_PAGE_SIZE);
	hv_gmem_init(&b.gm, translate, &g, 48);
	printf("libhv-core: hv_gmem_copy_from (trivial translate callback)\n");
	printf("  %-12s  %8s  %8s\n", "copy bytes", "ns/copy", "MiB/s");
	for (size_t i = 0; i < HV_ARRAY_SIZE(lens); i++) {
		double ns;

		b.len = lens[i];
		ns = measure(gmem_copy, &b);
		printf("  %-12zu  %8.1f  %8.0f\n", b.len, ns,
		       (double)b.len / ns * 1e9 / (1024.0 * 1024.0));
	}
	free(b.dst);
	free(g.mem);
	printf("\n");
}

/* --- fmt --------------------------------------------------------------- */

static uint64_t fmt_hv(void *ctx, uint64_t iters)
{
	char buf[64];
	uint64_t sum = 0;

	(void)ctx;
	for (uint64_t i = 0; i < iters; i++)
		sum += (uint64_t)hv_snprintf(buf, sizeof(buf), "%s %d %#lx",
					     "vcpu", (int)i, 0xfee00000ul + i);
	sink = sum;
	return iters;
}

static uint64_t fmt_libc(void *ctx, uint64_t iters)
{
	char buf[64];
	uint64_t sum = 0;

	(void)ctx;
	for (uint64_t i = 0; i < iters; i++)
		sum += (uint64_t)snprintf(buf, sizeof(buf), "%s %d %#lx",
					  "vcpu", (int)i, 0xfee00000ul + i);
	sink = sum;
	return iters;
}

static void bench_fmt(void)
{
	printf("libhv-core: snprintf(\"%%s %%d %%#lx\") into 64 bytes\n");
	printf("  %-24s  %8s\n", "function", "ns/call");
	printf("  %-24s  %8.1f\n", "hv_snprintf", measure(fmt_hv, NULL));
	printf("  %-24s  %8.1f\n", "libc snprintf (baseline)",
	       measure(fmt_libc, NULL));
	printf("\n");
}

/* --- trace ------------------------------------------------------------- */

struct trace_bench {
	struct hv_trace t;
	struct hv_trace *maybe; /* read through a volatile pointer below */
	struct hv_trace_ring ring;
	struct hv_trace_record records[1024], out[64];
	uint64_t clock;
};

/* The image's clock is a counter register; a counter here, so the row
 * is the trace's own cost. */
static uint64_t trace_clock(struct hv_trace *t)
{
	return ((struct trace_bench *)t->ctx)->clock++;
}

/* As the images drain: a batch at a time into a buffer (which they then
 * write out; not counted). */
static void trace_drain(struct hv_trace *t, struct hv_trace_ring *r)
{
	struct trace_bench *b = t->ctx;

	while (hv_trace_ring_read(r, b->out, HV_ARRAY_SIZE(b->out)))
		sink += b->out[0].seq;
}

static uint64_t trace_events(void *ctx, uint64_t iters)
{
	struct trace_bench *b = ctx;
	struct hv_trace *volatile *t = &b->maybe;

	for (uint64_t i = 0; i < iters; i++)
		hv_trace(*t, 0, HV_TRACE_VM_EXIT, 1, 2, (uint32_t)i, 7);
	return iters;
}

static void bench_trace(void)
{
	struct trace_bench *b = xmalloc(sizeof(*b));

	b->t = (struct hv_trace){.rings = &b->ring,
				 .nr_rings = 1,
				 .now = trace_clock,
				 .drain = trace_drain,
				 .ctx = b};
	if (hv_trace_ring_init(&b->ring, b->records, 1024, 0))
		exit(1);
	printf("libhv-core: one trace event (hv_trace, 4 arguments)\n");
	printf("  %-32s  %8s\n", "trace", "ns/event");
	b->maybe = NULL;
	printf("  %-32s  %8.1f\n", "none (NULL: the test alone)",
	       measure(trace_events, b));
	b->maybe = &b->t;
	printf("  %-32s  %8.1f\n", "1,024-record ring, drained at half",
	       measure(trace_events, b));
	printf("\n");
	free(b);
}

int main(void)
{
	bench_rbtree();
	bench_timerq();
	bench_bitmap();
	bench_gmem();
	bench_fmt();
	bench_trace();
	return 0;
}
