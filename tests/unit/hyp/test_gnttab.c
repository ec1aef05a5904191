/*
 * Grant tables through the core: one domain grants a page, another maps
 * it, a third copies to and from it; a granter whose page is still mapped
 * cannot be destroyed until the mapper is gone, and after everything is
 * destroyed every frame is back in the heap.
 */
#include "fake_arch.h"

#include <string.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/xen.h>

#define MIB	   (1ull << 20)
#define TABLE_GFN  0x100	/* where the granter places its table frame */
#define DATA_GFN   0x200	/* the granted page */
#define COPY_GFN   0x300	/* the copier's own page */
#define MAP_GPA	   (2048 * MIB) /* where the mapper maps it (no RAM) */
#define REF_MAPPER 8
#define REF_COPIER 9

static const struct hv_hyp_extension *const exts[] = {&hv_hyp_evtchn,
						      &hv_hyp_gnttab, NULL};
static const struct hv_hyp_config core = {.timeslice = HV_MSEC(1),
					  .extensions = exts};

static void never_runs(struct fake *f, struct hv_hyp_vcpu *v)
{
	(void)f;
	(void)v;
	fail();
}

static long gnttab_op(struct hv_hyp_vcpu *v, unsigned int cmd, void *op,
		      size_t len)
{
	return fake_op(v, __HYPERVISOR_grant_table_op, cmd, op, len);
}

static void place_table(struct hv_hyp_vcpu *v)
{
	struct xen_add_to_physmap x = {.domid = DOMID_SELF,
				       .space = XENMAPSPACE_grant_table,
				       .idx = 0,
				       .gpfn = TABLE_GFN};

	assert_int_equal(fake_op(v, __HYPERVISOR_memory_op,
				 XENMEM_add_to_physmap, &x, sizeof(x)),
			 0);
}

static void grant(struct hv_hyp_domain *d, grant_ref_t ref, domid_t to)
{
	grant_entry_v1_t e = {
	    .flags = GTF_permit_access, .domid = to, .frame = DATA_GFN};

	fake_poke(d,
		  ((hv_gpaddr_t)TABLE_GFN << HV_PAGE_SHIFT) + ref * sizeof(e),
		  &e, sizeof(e));
}

/* The host page the mapper's P2M shows at MAP_GPA: the granted frame. */
static char *mapped_page(struct fake *f, struct hv_hyp_domain *mapper,
			 struct hv_hyp_domain *granter)
{
	struct hv_mm_p2m_info m, g;

	assert_int_equal(
	    hv_mm_p2m_lookup(&mapper->p2m, hv_gpaddr_to_gfn(MAP_GPA), &m), 0);
	assert_int_equal(m.type, HV_MM_P2M_GRANT_RW);
	assert_int_equal(hv_mm_p2m_lookup(&granter->p2m, hv_gfn(DATA_GFN), &g),
			 0);
	assert_int_equal(hv_mfn_x(m.mfn), hv_mfn_x(g.mfn));
	return f->hyp.arch->phys_to_virt(&f->hyp, hv_mfn_to_paddr(m.mfn));
}

static void grant_map_copy_and_teardown(void **state)
{
	struct fake f;
	struct hv_boot_domain cfg;
	struct hv_hyp_domain *granter, *mapper, *copier;
	struct hv_hyp_vcpu *gv, *mv, *cv;
	struct gnttab_map_grant_ref map = {.host_addr = MAP_GPA,
					   .flags = GNTMAP_host_map,
					   .ref = REF_MAPPER,
					   .dom = 0};
	struct gnttab_unmap_grant_ref unmap = {.host_addr = MAP_GPA};
	struct gnttab_copy copy;
	char buf[32], *page;

	(void)state;
	fake_init(&f, FAKE_X86, 16384, 1, &core, never_runs);
	fake_domain_config(&cfg, "granter", 4 * MIB, 1);
	granter = fake_domain(&f, &cfg, 0);
	fake_domain_config(&cfg, "mapper", 4 * MIB, 1);
	mapper = fake_domain(&f, &cfg, 1);
	fake_domain_config(&cfg, "copier", 4 * MIB, 1);
	copier = fake_domain(&f, &cfg, 2);
	gv = &granter->vcpus[0];
	mv = &mapper->vcpus[0];
	cv = &copier->vcpus[0];

	place_table(gv);
	fake_poke(granter, (hv_gpaddr_t)DATA_GFN << HV_PAGE_SHIFT,
		  "from the granter", 17);
	/* Before the grant: refused, nothing mapped. */
	assert_int_equal(
	    gnttab_op(mv, GNTTABOP_map_grant_ref, &map, sizeof(map)), 0);
	assert_int_not_equal(map.status, GNTST_okay);
	grant(granter, REF_MAPPER, 1);
	grant(granter, REF_COPIER, 2);

	/* The mapper sees the page and writes into it. */
	assert_int_equal(
	    gnttab_op(mv, GNTTABOP_map_grant_ref, &map, sizeof(map)), 0);
	assert_int_equal(map.status, GNTST_okay);
	page = mapped_page(&f, mapper, granter);
	assert_string_equal(page, "from the granter");
	memcpy(page + 1024, "from the mapper", 16);
	/* Its grant is not the copier's to map. */
	map.ref = REF_COPIER;
	assert_int_equal(
	    gnttab_op(mv, GNTTABOP_map_grant_ref, &map, sizeof(map)), 0);
	assert_int_equal(map.status, GNTST_general_error); /* as Xen */
	map.ref = REF_MAPPER;

	/* The copier copies out of it, and into it. */
	memset(&copy, 0, sizeof(copy));
	copy.source.u.ref = REF_COPIER;
	copy.source.domid = 0;
	copy.dest.u.gmfn = COPY_GFN;
	copy.dest.domid = DOMID_SELF;
	copy.len = 17;
	copy.flags = GNTCOPY_source_gref;
	assert_int_equal(gnttab_op(cv, GNTTABOP_copy, &copy, sizeof(copy)), 0);
	assert_int_equal(copy.status, GNTST_okay);
	fake_peek(copier, (hv_gpaddr_t)COPY_GFN << HV_PAGE_SHIFT, buf, 17);
	assert_string_equal(buf, "from the granter");
	fake_poke(copier, (hv_gpaddr_t)COPY_GFN << HV_PAGE_SHIFT,
		  "from the copier", 16);
	memset(&copy, 0, sizeof(copy));
	copy.source.u.gmfn = COPY_GFN;
	copy.source.domid = DOMID_SELF;
	copy.dest.u.ref = REF_COPIER;
	copy.dest.domid = 0;
	copy.dest.offset = 2048;
	copy.len = 16;
	copy.flags = GNTCOPY_dest_gref;
	assert_int_equal(gnttab_op(cv, GNTTABOP_copy, &copy, sizeof(copy)), 0);
	assert_int_equal(copy.status, GNTST_okay);
	/* ...and the granter reads both answers in its own page. */
	fake_peek(granter, ((hv_gpaddr_t)DATA_GFN << HV_PAGE_SHIFT) + 1024, buf,
		  16);
	assert_string_equal(buf, "from the mapper");
	fake_peek(granter, ((hv_gpaddr_t)DATA_GFN << HV_PAGE_SHIFT) + 2048, buf,
		  16);
	assert_string_equal(buf, "from the copier");

	/* The granter goes first: it cannot be destroyed while mapped. */
	hv_xen_domain_shutdown(&granter->xen, SHUTDOWN_poweroff);
	assert_int_equal(hv_hyp_domain_destroy(granter), -HV_EBUSY);
	assert_ptr_equal(hv_hyp_domain_get(&f.hyp, 0), granter);
	/* The mapper unmaps; then it and the granter go. */
	unmap.handle = map.handle;
	assert_int_equal(
	    gnttab_op(mv, GNTTABOP_unmap_grant_ref, &unmap, sizeof(unmap)), 0);
	assert_int_equal(unmap.status, GNTST_okay);
	assert_int_equal(hv_hyp_domain_destroy(granter), 0);
	fake_fini(&f); /* every frame back */
}

/* Domain 0 grants a page that domain 1 maps, then both end: 1 crashes
 * with the page still mapped, 0 powers off. */
static void granter_mapped_then_both_end(struct fake *f,
					 struct hv_hyp_domain **granter,
					 struct hv_hyp_domain **mapper)
{
	struct hv_boot_domain cfg;
	struct gnttab_map_grant_ref map = {.host_addr = MAP_GPA,
					   .flags = GNTMAP_host_map,
					   .ref = REF_MAPPER,
					   .dom = 0};

	fake_init(f, FAKE_ARM, 16384, 1, &core, never_runs);
	fake_domain_config(&cfg, "granter", 4 * MIB, 1);
	*granter = fake_domain(f, &cfg, 0);
	fake_domain_config(&cfg, "mapper", 4 * MIB, 1);
	*mapper = fake_domain(f, &cfg, 1);
	place_table(&(*granter)->vcpus[0]);
	grant(*granter, REF_MAPPER, 1);
	assert_int_equal(gnttab_op(&(*mapper)->vcpus[0], GNTTABOP_map_grant_ref,
				   &map, sizeof(map)),
			 0);
	assert_int_equal(map.status, GNTST_okay);
	hv_xen_domain_crash(&(*mapper)->xen, "test");
	hv_xen_domain_shutdown(&(*granter)->xen, SHUTDOWN_poweroff);
}

/* A mapper that dies with the page still mapped lets go of it when it is
 * destroyed; then the granter can go too. */
static void mapper_destroyed_while_mapping(void **state)
{
	struct fake f;
	struct hv_hyp_domain *granter, *mapper;

	(void)state;
	granter_mapped_then_both_end(&f, &granter, &mapper);
	assert_int_equal(hv_hyp_domain_destroy(granter), -HV_EBUSY);
	assert_int_equal(hv_hyp_domain_destroy(mapper), 0);
	assert_int_equal(hv_hyp_domain_destroy(granter), 0);
	fake_fini(&f);
}

/* hv_hyp_destroy_all() finds that order itself: the granter (domain 0,
 * tried first) goes once the mapper has. */
static void destroy_all_ends_the_mapper_first(void **state)
{
	struct fake f;
	struct hv_hyp_domain *granter, *mapper;

	(void)state;
	granter_mapped_then_both_end(&f, &granter, &mapper);
	assert_int_equal(hv_hyp_destroy_all(&f.hyp), 0);
	assert_null(hv_hyp_domain_get(&f.hyp, 0));
	assert_null(hv_hyp_domain_get(&f.hyp, 1));
	fake_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(grant_map_copy_and_teardown),
	    cmocka_unit_test(mapper_destroyed_while_mapping),
	    cmocka_unit_test(destroy_all_ends_the_mapper_first),
	};
	return cmocka_run_group_tests_name("hyp-gnttab", tests, NULL, NULL);
}
