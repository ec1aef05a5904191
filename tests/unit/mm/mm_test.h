/*
 * Shared fixtures for the libhv-mm tests.
 *
 * Table pages: every P2M table comes from its own mmap, between two
 * PROT_NONE guard pages, and its "physical" address is its host address.
 * A walk that read or wrote one entry past a table (or before it) would
 * fault and fail the test.  The allocator counts live tables, can be told
 * to fail, and records every TLB flush.
 *
 * Machine memory: a small host buffer standing for machine frames
 * [TEST_RAM_BASE, TEST_RAM_BASE + pages), for heap and domain tests.
 */
#ifndef MM_TEST_H
#define MM_TEST_H

#include <hv/mm.h>
#include <hv/mm_impl.h>

#include <stddef.h>
#include <stdint.h>

#include "../fixture_check.h"

struct test_ram;

struct test_tables {
	struct test_ram *ram; /* phys_to_virt reaches it too, if set */
	long live;	      /* tables allocated and not yet freed */
	long allocs;	      /* allocations that succeeded */
	long
	    fail_after; /* succeed this many more times, then fail; -1: never */
	unsigned long flushes;
	uint64_t flush_first, flush_nr; /* the last flush */
	long live_at_flush;		/* `live` when the last flush came */
};

extern const struct hv_mm_p2m_ops test_table_ops;

void test_tables_init(struct test_tables *t);

/* Machine frames backed by host memory, for the heap and domains. */
#define TEST_RAM_BASE UINT64_C(0x80000) /* frame of 2 GiB */

struct test_ram {
	uint8_t *mem;
	uint64_t pages;
};

void test_ram_init(struct test_ram *ram, uint64_t pages);
void test_ram_free(struct test_ram *ram);
/* phys_to_virt for a struct test_ram; fails the test outside it. */
void *test_ram_virt(void *ram, hv_paddr_t pa);
uint8_t *test_ram_page(struct test_ram *ram, uint64_t mfn);

/* A machine: one node of `pages` frames at TEST_RAM_BASE, all given to
 * the heap dirty (filled with 0xaa), so that scrubbing shows. */
struct test_machine {
	struct test_ram ram;
	struct hv_mm_node node;
	struct hv_mm_heap heap;
	void *frames;
};

void test_machine_init(struct test_machine *m, uint64_t pages);
void test_machine_fini(struct test_machine *m);

/* A domain on a machine, with its own P2M (tables from test_table_ops). */
struct test_domain {
	struct test_tables t;
	struct hv_mm_p2m p2m;
	struct hv_mm_domain d;
};

void test_domain_init(struct test_domain *td, struct test_machine *m,
		      hv_domid_t domid, const struct hv_mm_p2m_format *fmt,
		      uint64_t max_pages);
/* Release the domain's memory, destroy its P2M; no table may leak. */
void test_domain_fini(struct test_domain *td);

/* A P2M on its own, its tables from its own test_tables, for the engine
 * tests. */
struct test_p2m {
	struct test_tables t;
	struct hv_mm_p2m p2m;
	const struct hv_mm_p2m_format *fmt;
};

void test_p2m_init(struct test_p2m *f, const struct hv_mm_p2m_format *fmt,
		   unsigned int max_order);
/* Destroy the P2M; no table may leak. */
void test_p2m_fini(struct test_p2m *f);
/* hv_mm_p2m_set and hv_mm_p2m_lookup, which must succeed. */
void test_p2m_set(struct test_p2m *f, struct hv_mm_p2m_batch *b, uint64_t gfn,
		  uint64_t mfn, uint64_t nr, enum hv_mm_p2m_type type,
		  unsigned int access);
struct hv_mm_p2m_info test_p2m_lookup(struct test_p2m *f, uint64_t gfn);

/* What a batch's removed callback test_record_removed (ctx: a struct
 * test_removals) heard: every call is counted, the first 8 kept. */
struct test_removals {
	unsigned int n;
	struct {
		uint64_t gfn, mfn, nr;
		enum hv_mm_p2m_type type;
	} r[8];
};

void test_record_removed(void *ctx, hv_gfn_t gfn, hv_mfn_t mfn, uint64_t nr,
			 enum hv_mm_p2m_type type);

/* The P2M formats every engine test runs over. */
extern const struct hv_mm_p2m_format *const test_formats[];
extern const size_t test_nr_formats;

#endif /* MM_TEST_H */
