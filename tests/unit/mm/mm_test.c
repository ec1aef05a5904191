/*
 * Fixtures for the libhv-mm tests; see mm_test.h.
 */
#define _DEFAULT_SOURCE
#include "mm_test.h"

#include <hv/arm_stage2.h>
#include <hv/x86_npt.h>

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE ((size_t)HV_PAGE_SIZE)

/* x86 NPT with every entry decoded, no table mask: the walks' general
 * way down, which the real formats' masks leave to entries the engine
 * never writes. */
static struct hv_mm_p2m_format npt_decoded;

__attribute__((constructor)) static void npt_decoded_init(void)
{
	npt_decoded = hv_x86_npt;
	npt_decoded.name = "x86-npt-decoded";
	npt_decoded.table_mask = npt_decoded.table_match = 0;
}

const struct hv_mm_p2m_format *const test_formats[] = {
    &hv_x86_npt,	  &hv_arm_stage2_ipa32, &hv_arm_stage2_ipa40,
    &hv_arm_stage2_ipa48, &npt_decoded,
};
const size_t test_nr_formats = HV_ARRAY_SIZE(test_formats);

/*
 * Layout of one table's mapping:
 *   [meta page][guard][table: 2^order pages][guard]
 * with the table aligned to its size; the meta page records the mapping.
 */
struct table_meta {
	void *base;
	size_t len;
};

static int tables_alloc(void *ctx, unsigned int order, hv_paddr_t *pa)
{
	struct test_tables *t = ctx;
	size_t size = PAGE << order;
	size_t len = size * 2 + 3 * PAGE;
	uintptr_t base, table;
	struct table_meta *meta;
	void *m;

	/* Called with the P2M's lock held: plain accesses are enough. */
	if (t->fail_after == 0)
		return -HV_ENOMEM;
	if (t->fail_after > 0)
		t->fail_after--;
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	assert_true(m != MAP_FAILED);
	base = (uintptr_t)m;
	table = (base + 2 * PAGE + size - 1) & ~(uintptr_t)(size - 1);
	assert_int_equal(mprotect((void *)(table - PAGE), PAGE, PROT_NONE), 0);
	assert_int_equal(mprotect((void *)(table + size), PAGE, PROT_NONE), 0);
	meta = (struct table_meta *)(table - 2 * PAGE);
	meta->base = m;
	meta->len = len;
	/* Dirty the table: the engine must clear what it allocates. */
	memset((void *)table, 0xa5, size);
	__atomic_fetch_add(&t->live, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&t->allocs, 1, __ATOMIC_RELAXED);
	*pa = table;
	return 0;
}

static void tables_free(void *ctx, hv_paddr_t pa, unsigned int order)
{
	struct test_tables *t = ctx;
	struct table_meta *meta =
	    (struct table_meta *)(uintptr_t)(pa - 2 * PAGE);

	(void)order;
	assert_true(__atomic_fetch_sub(&t->live, 1, __ATOMIC_RELAXED) > 0);
	assert_int_equal(munmap(meta->base, meta->len), 0);
}

static void *tables_virt(void *ctx, hv_paddr_t pa)
{
	struct test_tables *t = ctx;
	uint64_t mfn = pa >> HV_PAGE_SHIFT;

	if (t->ram && mfn >= TEST_RAM_BASE &&
	    mfn < TEST_RAM_BASE + t->ram->pages)
		return test_ram_virt(t->ram, pa);
	return (void *)(uintptr_t)pa;
}

static void tables_flush(void *ctx, hv_gfn_t first, uint64_t nr)
{
	struct test_tables *t = ctx;

	/* Threads may flush together (concurrency test): count atomically. */
	__atomic_fetch_add(&t->flushes, 1, __ATOMIC_RELAXED);
	t->flush_first = hv_gfn_x(first);
	t->flush_nr = nr;
	t->live_at_flush = __atomic_load_n(&t->live, __ATOMIC_RELAXED);
}

const struct hv_mm_p2m_ops test_table_ops = {
    .alloc_table = tables_alloc,
    .free_table = tables_free,
    .phys_to_virt = tables_virt,
    .flush_tlb = tables_flush,
};

void test_tables_init(struct test_tables *t)
{
	memset(t, 0, sizeof(*t));
	t->fail_after = -1;
}

void test_ram_init(struct test_ram *ram, uint64_t pages)
{
	ram->mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	assert_true(ram->mem != MAP_FAILED);
	ram->pages = pages;
}

void test_ram_free(struct test_ram *ram)
{
	munmap(ram->mem, ram->pages * PAGE);
}

void *test_ram_virt(void *ctx, hv_paddr_t pa)
{
	struct test_ram *ram = ctx;
	uint64_t mfn = pa >> HV_PAGE_SHIFT;

	assert_true(mfn >= TEST_RAM_BASE && mfn < TEST_RAM_BASE + ram->pages);
	return ram->mem + (pa - (TEST_RAM_BASE << HV_PAGE_SHIFT));
}

uint8_t *test_ram_page(struct test_ram *ram, uint64_t mfn)
{
	return test_ram_virt(ram, mfn << HV_PAGE_SHIFT);
}

void test_machine_init(struct test_machine *m, uint64_t pages)
{
	test_ram_init(&m->ram, pages);
	memset(m->ram.mem, 0xaa, pages * PAGE);
	assert_int_equal(
	    hv_mm_heap_init(&m->heap, &m->node, 1, test_ram_virt, &m->ram), 0);
	m->frames = calloc(pages, HV_MM_FRAME_BYTES);
	assert_non_null(m->frames);
	assert_int_equal(
	    hv_mm_heap_node_init(&m->heap, 0, hv_mfn(TEST_RAM_BASE), pages,
				 m->frames, pages * HV_MM_FRAME_BYTES),
	    0);
	assert_int_equal(
	    hv_mm_heap_add(&m->heap, hv_mfn(TEST_RAM_BASE), pages, 0), 0);
}

void test_machine_fini(struct test_machine *m)
{
	struct hv_mm_heap_stats st;

	/* Everything went back. */
	assert_int_equal(hv_mm_heap_get_stats(&m->heap, 0, &st), 0);
	assert_int_equal(st.free_pages, st.total_pages);
	free(m->frames);
	test_ram_free(&m->ram);
}

void test_domain_init(struct test_domain *td, struct test_machine *m,
		      hv_domid_t domid, const struct hv_mm_p2m_format *fmt,
		      uint64_t max_pages)
{
	test_tables_init(&td->t);
	td->t.ram = &m->ram;
	assert_int_equal(hv_mm_p2m_init(&td->p2m, fmt, &test_table_ops, &td->t,
					HV_MM_P2M_ORDER_1G),
			 0);
	hv_mm_domain_init(&td->d, domid, &m->heap, &td->p2m, max_pages);
}

void test_domain_fini(struct test_domain *td)
{
	hv_mm_domain_release(&td->d);
	assert_int_equal(td->t.live, 1);
	hv_mm_p2m_destroy(&td->p2m);
	assert_int_equal(td->t.live, 0);
}

void test_p2m_init(struct test_p2m *f, const struct hv_mm_p2m_format *fmt,
		   unsigned int max_order)
{
	test_tables_init(&f->t);
	f->fmt = fmt;
	assert_int_equal(
	    hv_mm_p2m_init(&f->p2m, fmt, &test_table_ops, &f->t, max_order), 0);
}

void test_p2m_fini(struct test_p2m *f)
{
	hv_mm_p2m_destroy(&f->p2m);
	assert_int_equal(f->t.live, 0);
}

void test_p2m_set(struct test_p2m *f, struct hv_mm_p2m_batch *b, uint64_t gfn,
		  uint64_t mfn, uint64_t nr, enum hv_mm_p2m_type type,
		  unsigned int access)
{
	assert_int_equal(hv_mm_p2m_set(&f->p2m, b, hv_gfn(gfn), hv_mfn(mfn), nr,
				       type, access),
			 0);
}

struct hv_mm_p2m_info test_p2m_lookup(struct test_p2m *f, uint64_t gfn)
{
	struct hv_mm_p2m_info info;

	assert_int_equal(hv_mm_p2m_lookup(&f->p2m, hv_gfn(gfn), &info), 0);
	return info;
}

void test_record_removed(void *ctx, hv_gfn_t gfn, hv_mfn_t mfn, uint64_t nr,
			 enum hv_mm_p2m_type type)
{
	struct test_removals *rm = ctx;

	if (rm->n < HV_ARRAY_SIZE(rm->r)) {
		rm->r[rm->n].gfn = hv_gfn_x(gfn);
		rm->r[rm->n].mfn = hv_mfn_x(mfn);
		rm->r[rm->n].nr = nr;
		rm->r[rm->n].type = type;
	}
	rm->n++;
}
