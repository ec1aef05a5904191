/*
 * A small hypervisor for libhv-gnttab's tests, built on libhv-mm's test
 * fixtures (tests/unit/mm/mm_test.h): one machine (host memory standing
 * for machine frames, a real heap), and up to four domains with real P2Ms
 * and RAM, each with a grant table.  Domain i has domid i + 1.
 *
 * Guest-physical layout of every domain:
 *
 *   0 .. RAM_PAGES-1     RAM (GFN_ARGS: hypercall arguments, GFN_LIST:
 *                        frame lists, GFN_DATA..: pages to grant or copy)
 *   GFN_GT + i           shared grant-table frame i, once placed
 *   GFN_STATUS + i       v2 status frame i, once placed
 *   GFN_MAP + n          free guest frames where grants get mapped
 *   GFN_HOLE             never mapped
 *
 * Table frames are placed through XENMEM_add_to_physmap
 * (XENMAPSPACE_grant_table), answered by hv_mm_memory_op() with
 * hv_gnttab_space_frame() / _placed(), as an image does; the "guest" then
 * reads and writes its grant entries through its own P2M.
 */
#ifndef GNTTAB_TEST_H
#define GNTTAB_TEST_H

#include "mm_test.h"

#include <hv/gnttab.h>
#include <xen/memory.h>
#include <hv/mm_impl.h>

#define MAX_DOMS  4
#define RAM_PAGES 64u

enum {
	GFN_ARGS = 1,
	GFN_LIST = 2,
	GFN_DATA = 8,
	GFN_GT = 0x100,
	GFN_STATUS = 0x200,
	GFN_MAP = 0x1000,
	GFN_HOLE = 0x7000,
};

#define ARGS_ADDR ((uint64_t)GFN_ARGS << HV_PAGE_SHIFT)
#define LIST_ADDR ((uint64_t)GFN_LIST << HV_PAGE_SHIFT)

struct gt_dom {
	struct test_domain td; /* memory and P2M (libhv-mm fixture) */
	struct hv_gnttab_domain *g;
	struct hv_gnttab_config cfg;
	struct hv_gmem gmem; /* guest-physical: hypercall arguments */
	bool hidden;	     /* get_domain does not find it */
	bool destroyed;
};

struct gt_world {
	struct test_machine m;
	struct gt_dom dom[MAX_DOMS];
	unsigned int ndom;
	struct hv_gnttab_ops ops;
	struct hv_mm_xenmem xm;
	size_t bytes;	 /* allocated by libhv-gnttab now */
	long fail_after; /* allocations to allow before failing; <0 never */
	unsigned int gets, puts;
	unsigned int flushes; /* cache_maint calls */
	int cache_rc;	      /* what cache_maint returns */
};

/* Options for the domains of a world; zero means the default noted. */
struct gt_opts {
	unsigned int max_grant_frames;	  /* 4 */
	unsigned int max_maptrack_frames; /* 2 */
	bool v1_only;			  /* no hv_gnttab_v2 */
	bool no_transitive;
	bool privileged;		    /* domain 0 only */
	const struct hv_mm_p2m_format *fmt; /* &hv_x86_npt */
	unsigned int machine_pages;	    /* 2,048 */
};

/* n domains, each with RAM and grant-table frame 0 placed at GFN_GT. */
struct gt_world *gt_world_new(unsigned int n, const struct gt_opts *opts);
/* Destroy every grant table, then the memory; nothing may leak. */
void gt_world_free(struct gt_world *w);
struct gt_dom *gt_dom(struct gt_world *w, unsigned int i);
hv_domid_t gt_domid(unsigned int i);

/* Place table frame idx (or'ed with XENMAPIDX_grant_table_status) at
 * gfn through XENMEM_add_to_physmap; returns memory_op's result. */
long gt_place(struct gt_world *w, unsigned int i, uint64_t idx, uint64_t gfn);

/* A host pointer to guest frame gfn of domain i (must be RAM). */
void *gt_page(struct gt_world *w, unsigned int i, uint64_t gfn);
/* The machine frame guest frame gfn of domain i maps (any type). */
uint64_t gt_mfn(struct gt_world *w, unsigned int i, uint64_t gfn);
/* Type of what gfn maps in domain i's P2M. */
enum hv_mm_p2m_type gt_type(struct gt_world *w, unsigned int i, uint64_t gfn);
/* References the heap counts on machine frame mfn. */
uint32_t gt_refs(struct gt_world *w, uint64_t mfn);

/* The guest's side of its table (frames placed at GFN_GT / GFN_STATUS). */
void gt_grant(struct gt_world *w, unsigned int i, grant_ref_t ref,
	      hv_domid_t to, uint64_t gfn, uint16_t flags);
/* v2 sub-page and transitive entries. */
void gt_grant_sub(struct gt_world *w, unsigned int i, grant_ref_t ref,
		  hv_domid_t to, uint64_t gfn, uint16_t off, uint16_t len);
void gt_grant_trans(struct gt_world *w, unsigned int i, grant_ref_t ref,
		    hv_domid_t to, hv_domid_t trans_dom, grant_ref_t trans_ref);
/* Flags of the entry (v1) or its status (v2): GTF_reading | GTF_writing. */
uint16_t gt_status(struct gt_world *w, unsigned int i, grant_ref_t ref);
/* Linux's gnttab_end_foreign_access_ref: true if access ended. */
bool gt_end_access(struct gt_world *w, unsigned int i, grant_ref_t ref);

/* Copy `count` op structs to domain i's argument page, make the call,
 * copy them back; returns the hypercall's result. */
int gt_call(struct gt_world *w, unsigned int i, unsigned int cmd, void *ops,
	    size_t size, unsigned int count);

/* One-op conveniences: the op's status (the call must return 0). */
int16_t gt_map(struct gt_world *w, unsigned int i, hv_domid_t dom,
	       grant_ref_t ref, uint64_t host_gfn, uint32_t flags,
	       grant_handle_t *handle);
int16_t gt_unmap(struct gt_world *w, unsigned int i, uint64_t host_gfn,
		 grant_handle_t handle);
int16_t gt_copy(struct gt_world *w, unsigned int i,
		const struct gnttab_copy *op);
unsigned int gt_version(struct gt_world *w, unsigned int i);
int gt_set_version(struct gt_world *w, unsigned int i, uint32_t version,
		   uint32_t *now);

/* Grant-table state of domain i. */
struct hv_gnttab_info gt_info(struct gt_world *w, unsigned int i);

#endif /* GNTTAB_TEST_H */
