/*
 * The test hypervisor for libhv-gnttab; see gnttab_test.h.
 */
#define _DEFAULT_SOURCE
#include "gnttab_test.h"

#include <hv/x86_npt.h>

#include <xen/memory.h>

#include <stdlib.h>
#include <string.h>

#define MACHINE_PAGES 2048u /* 8 MiB */

static struct gt_world *world_of(void *ctx)
{
	return ctx;
}

static void *world_alloc(void *opaque, size_t size, size_t align)
{
	struct gt_world *w = opaque;
	void *p;

	if (w->fail_after == 0)
		return NULL;
	if (w->fail_after > 0)
		w->fail_after--;
	assert_true(align <= 64 && (align & (align - 1)) == 0);
	p = aligned_alloc(64, (size + 63) & ~(size_t)63);
	assert_non_null(p);
	/* Dirty it: the library must clear what it gets. */
	memset(p, 0x5a, size);
	__atomic_fetch_add(&w->bytes, size, __ATOMIC_RELAXED);
	return p;
}

static void world_free(void *opaque, void *ptr, size_t size)
{
	struct gt_world *w = opaque;

	assert_true(__atomic_fetch_sub(&w->bytes, size, __ATOMIC_RELAXED) >=
		    size);
	free(ptr);
}

static struct hv_gnttab_domain *get_domain(void *ctx, hv_domid_t domid)
{
	struct gt_world *w = world_of(ctx);

	for (unsigned int i = 0; i < w->ndom; i++) {
		struct gt_dom *d = &w->dom[i];

		if (gt_domid(i) == domid && !d->hidden && !d->destroyed) {
			__atomic_fetch_add(&w->gets, 1, __ATOMIC_RELAXED);
			return d->g;
		}
	}
	return NULL;
}

static void put_domain(void *ctx, struct hv_gnttab_domain *d)
{
	(void)d;
	__atomic_fetch_add(&world_of(ctx)->puts, 1, __ATOMIC_RELAXED);
}

static void *phys_to_virt(void *ctx, hv_paddr_t pa)
{
	return test_ram_virt(&world_of(ctx)->m.ram, pa);
}

static int cache_maint(void *ctx, void *va, size_t len, unsigned int op)
{
	struct gt_world *w = world_of(ctx);

	(void)va;
	(void)len;
	(void)op;
	w->flushes++;
	return w->cache_rc;
}

/* XENMEM_add_to_physmap's callbacks: the grant table of the domain. */
static struct gt_dom *dom_of_mm(struct gt_world *w, struct hv_mm_domain *mm)
{
	for (unsigned int i = 0; i < w->ndom; i++)
		if (&w->dom[i].td.d == mm)
			return &w->dom[i];
	fail();
	return NULL;
}

static struct hv_mm_domain *xm_find(void *ctx, hv_domid_t domid)
{
	(void)ctx;
	(void)domid;
	return NULL;
}

static int xm_space_frame(void *ctx, struct hv_mm_domain *d, unsigned int space,
			  uint64_t idx, hv_mfn_t *mfn, hv_gfn_t *where)
{
	if (space != XENMAPSPACE_grant_table)
		return -HV_EINVAL;
	return hv_gnttab_space_frame(dom_of_mm(ctx, d)->g, idx, mfn, where);
}

static void xm_space_placed(void *ctx, struct hv_mm_domain *d,
			    unsigned int space, uint64_t idx, hv_gfn_t gfn)
{
	assert_int_equal(space, XENMAPSPACE_grant_table);
	hv_gnttab_space_placed(dom_of_mm(ctx, d)->g, idx, gfn);
}

hv_domid_t gt_domid(unsigned int i)
{
	return (hv_domid_t)(i + 1);
}

struct gt_dom *gt_dom(struct gt_world *w, unsigned int i)
{
	assert_true(i < w->ndom);
	return &w->dom[i];
}

static void dom_init(struct gt_world *w, unsigned int i,
		     const struct gt_opts *o)
{
	struct gt_dom *d = &w->dom[i];

	test_domain_init(&d->td, &w->m, gt_domid(i),
			 o->fmt ? o->fmt : &hv_x86_npt, MACHINE_PAGES);
	assert_int_equal(hv_mm_domain_populate(&d->td.d, NULL, hv_gfn(0),
					       RAM_PAGES, HV_MM_P2M_ORDER_4K,
					       NULL),
			 0);
	/* As an image does: pinned pages outlive a frame given back. */
	hv_gmem_init(&d->gmem, hv_mm_gpa_translate, &d->td.d, 48);
	hv_gmem_set_pinning(&d->gmem, hv_mm_gpa_pin, hv_mm_gpa_unpin);
	d->cfg = (struct hv_gnttab_config){
	    .mm = &d->td.d,
	    .max_grant_frames = o->max_grant_frames ? o->max_grant_frames : 4,
	    .max_maptrack_frames =
		o->max_maptrack_frames ? o->max_maptrack_frames : 2,
	    .v2 = o->v1_only ? NULL : &hv_gnttab_v2,
	    .transitive = !o->no_transitive,
	    .privileged = o->privileged && i == 0,
	    .ops = &w->ops,
	    .ctx = w,
	    .alloc = {world_alloc, world_free, w},
	};
	assert_int_equal(hv_gnttab_domain_create(&d->cfg, &d->g), 0);
	assert_int_equal(hv_gnttab_domain_id(d->g), gt_domid(i));
}

struct gt_world *gt_world_new(unsigned int n, const struct gt_opts *opts)
{
	static const struct gt_opts none;
	struct gt_world *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	assert_true(n <= MAX_DOMS);
	opts = opts ? opts : &none;
	test_machine_init(&w->m, opts->machine_pages ? opts->machine_pages
						     : MACHINE_PAGES);
	w->fail_after = -1;
	w->ops = (struct hv_gnttab_ops){get_domain, put_domain, phys_to_virt,
					cache_maint};
	w->xm = (struct hv_mm_xenmem){&hv_mm_xenmem_x86, xm_find,
				      xm_space_frame, xm_space_placed, w};
	w->ndom = n;
	for (unsigned int i = 0; i < n; i++) {
		dom_init(w, i, opts);
		assert_int_equal(gt_place(w, i, 0, GFN_GT), 0);
	}
	return w;
}

void gt_world_free(struct gt_world *w)
{
	/* Release all first, so no grant stays pinned by another domain. */
	for (unsigned int i = 0; i < w->ndom; i++)
		if (!w->dom[i].destroyed)
			hv_gnttab_domain_release(w->dom[i].g);
	for (unsigned int i = 0; i < w->ndom; i++)
		if (!w->dom[i].destroyed)
			assert_int_equal(hv_gnttab_domain_destroy(w->dom[i].g),
					 0);
	assert_int_equal(w->bytes, 0);
	assert_int_equal(w->gets, w->puts);
	for (unsigned int i = 0; i < w->ndom; i++)
		test_domain_fini(&w->dom[i].td);
	test_machine_fini(&w->m);
	free(w);
}

long gt_place(struct gt_world *w, unsigned int i, uint64_t idx, uint64_t gfn)
{
	struct gt_dom *d = gt_dom(w, i);
	struct xen_add_to_physmap xatp = {
	    .domid = DOMID_SELF,
	    .space = XENMAPSPACE_grant_table,
	    .idx = idx,
	    .gpfn = gfn,
	};

	assert_int_equal(
	    hv_gmem_copy_to(&d->gmem, ARGS_ADDR, &xatp, sizeof(xatp)), 0);
	return hv_mm_memory_op(&w->xm, &d->td.d, &d->gmem,
			       XENMEM_add_to_physmap, ARGS_ADDR);
}

void *gt_page(struct gt_world *w, unsigned int i, uint64_t gfn)
{
	void *p;

	assert_int_equal(hv_mm_gpa_translate(&gt_dom(w, i)->td.d, hv_gfn(gfn),
					     HV_GMEM_READ | HV_GMEM_WRITE, &p),
			 0);
	return p;
}

static struct hv_mm_p2m_info lookup(struct gt_world *w, unsigned int i,
				    uint64_t gfn)
{
	struct hv_mm_p2m_info info;

	assert_int_equal(
	    hv_mm_p2m_lookup(&gt_dom(w, i)->td.p2m, hv_gfn(gfn), &info), 0);
	return info;
}

uint64_t gt_mfn(struct gt_world *w, unsigned int i, uint64_t gfn)
{
	return hv_mfn_x(lookup(w, i, gfn).mfn);
}

enum hv_mm_p2m_type gt_type(struct gt_world *w, unsigned int i, uint64_t gfn)
{
	return lookup(w, i, gfn).type;
}

uint32_t gt_refs(struct gt_world *w, uint64_t mfn)
{
	struct hv_mm_page_info info;

	assert_int_equal(hv_mm_page_query(&w->m.heap, hv_mfn(mfn), &info), 0);
	return info.allocated ? info.refs : 0;
}

unsigned int gt_version(struct gt_world *w, unsigned int i)
{
	return gt_info(w, i).version;
}

struct hv_gnttab_info gt_info(struct gt_world *w, unsigned int i)
{
	struct hv_gnttab_info info;

	hv_gnttab_get_info(gt_dom(w, i)->g, &info);
	return info;
}

/* The guest's mapping of its entry `ref` (frames placed at GFN_GT). */
static void *entry(struct gt_world *w, unsigned int i, grant_ref_t ref)
{
	size_t size = gt_version(w, i) == 1 ? sizeof(grant_entry_v1_t)
					    : sizeof(grant_entry_v2_t);
	size_t per = HV_PAGE_SIZE / size;

	return (char *)gt_page(w, i, GFN_GT + ref / per) + (ref % per) * size;
}

static grant_status_t *status_word(struct gt_world *w, unsigned int i,
				   grant_ref_t ref)
{
	size_t per = HV_PAGE_SIZE / sizeof(grant_status_t);

	return (grant_status_t *)gt_page(w, i, GFN_STATUS + ref / per) +
	       ref % per;
}

/* As a guest does: everything else first, then the flags. */
static void publish(grant_entry_header_t *hdr, hv_domid_t to, uint16_t flags)
{
	hdr->domid = to;
	__atomic_store_n(&hdr->flags, flags, __ATOMIC_RELEASE);
}

void gt_grant(struct gt_world *w, unsigned int i, grant_ref_t ref,
	      hv_domid_t to, uint64_t gfn, uint16_t flags)
{
	if (gt_version(w, i) == 1) {
		grant_entry_v1_t *e = entry(w, i, ref);

		e->frame = (uint32_t)gfn;
		publish((grant_entry_header_t *)e, to, flags);
	} else {
		grant_entry_v2_t *e = entry(w, i, ref);

		e->full_page.frame = gfn;
		publish(&e->hdr, to, flags);
	}
}

void gt_grant_sub(struct gt_world *w, unsigned int i, grant_ref_t ref,
		  hv_domid_t to, uint64_t gfn, uint16_t off, uint16_t len)
{
	grant_entry_v2_t *e = entry(w, i, ref);

	assert_int_equal(gt_version(w, i), 2);
	e->sub_page.frame = gfn;
	e->sub_page.page_off = off;
	e->sub_page.length = len;
	publish(&e->hdr, to, GTF_permit_access | GTF_sub_page);
}

void gt_grant_trans(struct gt_world *w, unsigned int i, grant_ref_t ref,
		    hv_domid_t to, hv_domid_t trans_dom, grant_ref_t trans_ref)
{
	grant_entry_v2_t *e = entry(w, i, ref);

	assert_int_equal(gt_version(w, i), 2);
	e->transitive.trans_domid = trans_dom;
	e->transitive.gref = trans_ref;
	publish(&e->hdr, to, GTF_transitive);
}

uint16_t gt_status(struct gt_world *w, unsigned int i, grant_ref_t ref)
{
	uint16_t bits = GTF_reading | GTF_writing;

	if (gt_version(w, i) == 1)
		return ((grant_entry_header_t *)entry(w, i, ref))->flags & bits;
	return *status_word(w, i, ref) & bits;
}

bool gt_end_access(struct gt_world *w, unsigned int i, grant_ref_t ref)
{
	uint16_t busy = GTF_reading | GTF_writing;

	if (gt_version(w, i) == 1) {
		uint16_t *flags =
		    &((grant_entry_header_t *)entry(w, i, ref))->flags;
		uint16_t cur = __atomic_load_n(flags, __ATOMIC_ACQUIRE);

		do {
			if (cur & busy)
				return false;
		} while (!__atomic_compare_exchange_n(
		    flags, &cur, 0, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
		return true;
	}
	/* v2: revoke, then see whether the hypervisor still uses it. */
	__atomic_store_n(&((grant_entry_v2_t *)entry(w, i, ref))->hdr.flags, 0,
			 __ATOMIC_SEQ_CST);
	return !(__atomic_load_n(status_word(w, i, ref), __ATOMIC_SEQ_CST) &
		 busy);
}

int gt_call(struct gt_world *w, unsigned int i, unsigned int cmd, void *ops,
	    size_t size, unsigned int count)
{
	struct gt_dom *d = gt_dom(w, i);
	int rc;

	assert_true(size * count <= HV_PAGE_SIZE);
	assert_int_equal(
	    hv_gmem_copy_to(&d->gmem, ARGS_ADDR, ops, size * count), 0);
	rc = hv_gnttab_hypercall(d->g, &d->gmem, cmd, ARGS_ADDR, count);
	assert_int_equal(
	    hv_gmem_copy_from(&d->gmem, ops, ARGS_ADDR, size * count), 0);
	return rc;
}

int16_t gt_map(struct gt_world *w, unsigned int i, hv_domid_t dom,
	       grant_ref_t ref, uint64_t host_gfn, uint32_t flags,
	       grant_handle_t *handle)
{
	struct gnttab_map_grant_ref op = {
	    .host_addr = host_gfn << HV_PAGE_SHIFT,
	    .flags = flags,
	    .ref = ref,
	    .dom = dom,
	    .status = 99,
	    .handle = 0xdead,
	};

	assert_int_equal(
	    gt_call(w, i, GNTTABOP_map_grant_ref, &op, sizeof(op), 1), 0);
	if (handle)
		*handle = op.handle;
	return op.status;
}

int16_t gt_unmap(struct gt_world *w, unsigned int i, uint64_t host_gfn,
		 grant_handle_t handle)
{
	struct gnttab_unmap_grant_ref op = {
	    .host_addr = host_gfn << HV_PAGE_SHIFT,
	    .handle = handle,
	    .status = 99,
	};

	assert_int_equal(
	    gt_call(w, i, GNTTABOP_unmap_grant_ref, &op, sizeof(op), 1), 0);
	return op.status;
}

int16_t gt_copy(struct gt_world *w, unsigned int i,
		const struct gnttab_copy *op)
{
	struct gnttab_copy c = *op;

	c.status = 99;
	assert_int_equal(gt_call(w, i, GNTTABOP_copy, &c, sizeof(c), 1), 0);
	return c.status;
}

int gt_set_version(struct gt_world *w, unsigned int i, uint32_t version,
		   uint32_t *now)
{
	struct gnttab_set_version op = {.version = version};
	int rc = gt_call(w, i, GNTTABOP_set_version, &op, sizeof(op), 1);

	if (now)
		*now = op.version;
	return rc;
}
