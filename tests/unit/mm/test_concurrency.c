/*
 * The locks: one thread changing a P2M while another changes another part
 * of it and looks it up, and two threads allocating and freeing from one
 * heap.  Interleavings vary from run to run; what is checked does not: no
 * lookup sees a torn or foreign mapping, and the final P2M and heap are
 * exactly what the operations add up to.  Two threads only: the locks are
 * ticket spinlocks, made for CPUs, and more threads than this machine's two
 * cores would spend their time spinning behind a descheduled holder.
 */
#include "mm_test.h"

#include <hv/x86_npt.h>

#include <pthread.h>
#include <string.h>

#define ROUNDS 4
#define SPAN   (UINT64_C(1) << 12) /* frames per thread, 16 MiB */

struct p2m_worker {
	struct hv_mm_p2m *p2m;
	uint64_t base;
	int lookups_wrong;
};

/* Map the span in 64 KiB pieces, then unmap every other page, round after
 * round; contiguous frames keep merging and splitting. */
static void churn_span(struct p2m_worker *w)
{
	for (uint64_t p = 0; p < SPAN; p += 16)
		assert_int_equal(hv_mm_p2m_set(w->p2m, NULL,
					       hv_gfn(w->base + p),
					       hv_mfn(w->base + p), 16,
					       HV_MM_P2M_RAM_RW, HV_MM_P2M_RWX),
				 0);
	for (uint64_t p = 0; p < SPAN; p += 2)
		assert_int_equal(
		    hv_mm_p2m_remove(w->p2m, NULL, hv_gfn(w->base + p), 1), 0);
}

static void *p2m_writer(void *arg)
{
	for (int r = 0; r < ROUNDS; r++)
		churn_span(arg);
	return NULL;
}

/* Whatever a lookup sees must be a hole or the identity mapping. */
static void look_everywhere(struct p2m_worker *w)
{
	for (uint64_t i = 0; i < 2 * SPAN; i++) {
		struct hv_mm_p2m_info info;
		uint64_t g = (i * 7919) % (2 * SPAN);

		assert_int_equal(hv_mm_p2m_lookup(w->p2m, hv_gfn(g), &info), 0);
		if (info.type != HV_MM_P2M_INVALID && hv_mfn_x(info.mfn) != g)
			w->lookups_wrong++;
	}
}

static void p2m_under_contention(void **state)
{
	struct test_tables t;
	struct hv_mm_p2m p2m;
	struct p2m_worker a, b;
	pthread_t tid;

	(void)state;
	test_tables_init(&t);
	assert_int_equal(hv_mm_p2m_init(&p2m, &hv_x86_npt, &test_table_ops, &t,
					HV_MM_P2M_ORDER_1G),
			 0);
	hv_mm_p2m_activate(&p2m);
	a = (struct p2m_worker){&p2m, 0, 0};
	b = (struct p2m_worker){&p2m, SPAN, 0};
	assert_int_equal(pthread_create(&tid, NULL, p2m_writer, &a), 0);
	for (int r = 0; r < ROUNDS; r++) {
		churn_span(&b);
		look_everywhere(&b);
	}
	assert_int_equal(pthread_join(tid, NULL), 0);
	assert_int_equal(b.lookups_wrong, 0);
	for (uint64_t g = 0; g < 2 * SPAN; g++) {
		struct hv_mm_p2m_info info;

		assert_int_equal(hv_mm_p2m_lookup(&p2m, hv_gfn(g), &info), 0);
		assert_int_equal(info.type, (g & 1) ? HV_MM_P2M_RAM_RW
						    : HV_MM_P2M_INVALID);
	}
	assert_int_equal(hv_mm_p2m_remove(&p2m, NULL, hv_gfn(0), 2 * SPAN), 0);
	assert_int_equal(t.live, 1);
	hv_mm_p2m_destroy(&p2m);
	assert_int_equal(t.live, 0);
}

struct heap_worker {
	struct hv_mm_heap *heap;
	struct hv_mm_account acct;
};

static void *heap_churn(void *arg)
{
	struct heap_worker *w = arg;
	hv_mfn_t held[8];

	for (int r = 0; r < 500; r++) {
		for (unsigned int i = 0; i < 8; i++)
			assert_int_equal(hv_mm_alloc_pages(w->heap, i % 4,
							   HV_MM_NODE_ANY,
							   HV_MM_ALLOC_NO_SCRUB,
							   &w->acct, &held[i]),
					 0);
		for (unsigned int i = 0; i < 8; i++)
			assert_int_equal(
			    hv_mm_put_pages(w->heap, held[i], i % 4, 0), 0);
	}
	return NULL;
}

static void heap_under_contention(void **state)
{
	struct heap_worker a, b;
	struct test_machine m;
	struct hv_mm_heap_stats st;
	pthread_t tid;

	(void)state;
	test_machine_init(&m, 1024);
	a.heap = b.heap = &m.heap;
	hv_mm_account_init(&a.acct, 1, 64);
	hv_mm_account_init(&b.acct, 2, 64);
	assert_int_equal(pthread_create(&tid, NULL, heap_churn, &a), 0);
	heap_churn(&b);
	assert_int_equal(pthread_join(tid, NULL), 0);
	assert_int_equal(a.acct.tot_pages, 0);
	assert_int_equal(b.acct.tot_pages, 0);
	assert_int_equal(hv_mm_heap_get_stats(&m.heap, 0, &st), 0);
	assert_int_equal(st.free_pages, 1024);
	assert_int_equal(st.free_blocks[10], 1);
	test_machine_fini(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(p2m_under_contention),
	    cmocka_unit_test(heap_under_contention),
	};
	return cmocka_run_group_tests_name("mm-concurrency", tests, NULL, NULL);
}
