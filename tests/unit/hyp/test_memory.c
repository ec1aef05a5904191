/*
 * A guest's memory through the core: every XENMEM op goes to libhv-mm's
 * domain layer, the core answers the shared-info map space (x86 moves the
 * page when it is mapped again, Arm refuses with -EBUSY, as Xen 4.17+),
 * and whatever the guest did, destroy gives every frame back.
 */
#include "fake_arch.h"

#include <string.h>
#include <xen/memory.h>
#include <xen/xen.h>

#define MIB (1ull << 20)

static const struct hv_hyp_config rr = {.timeslice = HV_MSEC(1)};

static void never_runs(struct fake *f, struct hv_hyp_vcpu *v)
{
	(void)f;
	(void)v;
	fail();
}

static struct hv_hyp_vcpu *one_domain(struct fake *f, enum fake_flavour fl,
				      hv_domid_t id)
{
	struct hv_boot_domain cfg;

	fake_init(f, fl, 4096, 1, &rr, never_runs);
	fake_domain_config(&cfg, "mem", 4 * MIB, 1);
	return &fake_domain(f, &cfg, id)->vcpus[0];
}

static long add_to_physmap(struct hv_hyp_vcpu *v, hv_domid_t domid,
			   unsigned int space, uint64_t idx, uint64_t gpfn)
{
	struct xen_add_to_physmap x = {
	    .domid = domid, .space = space, .idx = idx, .gpfn = gpfn};

	return fake_op(v, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, &x,
		       sizeof(x));
}

static uint64_t pages(struct fake *f, struct hv_hyp_vcpu *v)
{
	return hv_mm_account_pages(&f->heap, &v->dom->mm.account);
}

/* The page the guest sees at gfn is the domain's shared-info page. */
static void assert_shared_info_at(struct fake *f, struct hv_hyp_vcpu *v,
				  uint64_t gfn)
{
	uint8_t *si = f->hyp.arch->phys_to_virt(
	    &f->hyp, hv_mfn_to_paddr(v->dom->shared_info));
	uint64_t mark = 0x5eed0000 + gfn, seen = 0;

	fake_poke(v->dom, gfn << HV_PAGE_SHIFT, &mark, sizeof(mark));
	memcpy(&seen, si, sizeof(seen));
	assert_int_equal(seen, mark);
	assert_int_equal(hv_gfn_x(v->dom->shared_info_gfn), gfn);
}

static void shared_info_moves_on_x86(void **state)
{
	struct fake f;
	struct hv_hyp_vcpu *v = one_domain(&f, FAKE_X86, 0);
	uint64_t before = pages(&f, v), dummy;

	(void)state;
	assert_int_equal(
	    add_to_physmap(v, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x100),
	    0);
	assert_shared_info_at(&f, v, 0x100);
	/* The RAM page it displaced went back to the heap. */
	assert_int_equal(pages(&f, v), before - 1);
	assert_int_equal(
	    add_to_physmap(v, 0, XENMAPSPACE_shared_info, 0, 0x200), 0);
	assert_shared_info_at(&f, v, 0x200);
	assert_int_equal(pages(&f, v), before - 2);
	/* Its old place is empty now. */
	assert_int_equal(hv_gmem_copy_from(&v->dom->guest_phys, &dummy,
					   0x100ull << HV_PAGE_SHIFT, 8),
			 -HV_EFAULT);
	fake_fini(&f);
}

static void shared_info_maps_once_on_arm(void **state)
{
	struct fake f;
	struct hv_hyp_vcpu *v = one_domain(&f, FAKE_ARM, 0);

	(void)state;
	assert_int_equal(
	    add_to_physmap(v, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x100),
	    0);
	assert_shared_info_at(&f, v, 0x100);
	assert_int_equal(
	    add_to_physmap(v, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x200),
	    -HV_EBUSY);
	assert_int_equal(
	    add_to_physmap(v, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0x100),
	    -HV_EBUSY);
	assert_shared_info_at(&f, v, 0x100);
	fake_fini(&f);
}

static void add_to_physmap_errors(void **state)
{
	struct fake f;
	struct hv_hyp_vcpu *v = one_domain(&f, FAKE_X86, 0);
	struct hv_boot_domain cfg;

	(void)state;
	fake_domain_config(&cfg, "other", 2 * MIB, 1);
	fake_domain(&f, &cfg, 5);
	assert_int_equal(
	    add_to_physmap(v, DOMID_SELF, XENMAPSPACE_shared_info, 1, 7),
	    -HV_EINVAL);
	assert_int_equal(
	    add_to_physmap(v, DOMID_SELF, XENMAPSPACE_gmfn_foreign, 0, 7),
	    -HV_ENOSYS);
	assert_int_equal(
	    add_to_physmap(v, DOMID_SELF, XENMAPSPACE_dev_mmio, 0, 7),
	    -HV_EACCES);
	assert_int_equal(add_to_physmap(v, 5, XENMAPSPACE_shared_info, 0, 7),
			 -HV_EPERM);
	assert_int_equal(add_to_physmap(v, 42, XENMAPSPACE_shared_info, 0, 7),
			 -HV_ESRCH);
	/* No grant-table extension: as a Xen without grant tables. */
	assert_int_equal(
	    add_to_physmap(v, DOMID_SELF, XENMAPSPACE_grant_table, 0, 7),
	    -HV_EINVAL);
	assert_int_equal(add_to_physmap(v, DOMID_SELF, 99, 0, 7), -HV_EINVAL);
	assert_int_equal(fake_hypercall(v, __HYPERVISOR_memory_op, 99, 0, 0),
			 -HV_ENOSYS);
	assert_int_equal(hv_gfn_x(v->dom->shared_info_gfn), HV_INVALID_FRAME);
	fake_fini(&f);
}

/* The same errors as Arm's Xen gives them. */
static void add_to_physmap_errors_arm(void **state)
{
	struct fake f;
	struct hv_hyp_vcpu *v = one_domain(&f, FAKE_ARM, 0);

	(void)state;
	assert_int_equal(add_to_physmap(v, DOMID_SELF, XENMAPSPACE_gmfn, 0, 7),
			 -HV_ENOSYS);
	assert_int_equal(add_to_physmap(v, DOMID_SELF, 99, 0, 7), -HV_ENOSYS);
	fake_fini(&f);
}

/* A balloon: a page given back and taken again, through libhv-mm. */
static void decrease_then_populate(void **state)
{
	struct fake f;
	struct hv_hyp_vcpu *v = one_domain(&f, FAKE_X86, 0);
	uint64_t before = pages(&f, v), word;

	(void)state;
	assert_int_equal(
	    fake_reservation(v, XENMEM_decrease_reservation, 0x300), 1);
	assert_int_equal(pages(&f, v), before - 1);
	assert_int_equal(hv_gmem_copy_from(&v->dom->guest_phys, &word,
					   0x300ull << HV_PAGE_SHIFT, 8),
			 -HV_EFAULT);
	/* Its limit is its configured memory: one page fits again. */
	assert_int_equal(fake_reservation(v, XENMEM_populate_physmap, 0x300),
			 1);
	assert_int_equal(pages(&f, v), before);
	assert_int_equal(fake_reservation(v, XENMEM_populate_physmap, 0x301),
			 0);
	fake_peek(v->dom, 0x300ull << HV_PAGE_SHIFT, &word, sizeof(word));
	assert_int_equal(word, 0); /* scrubbed */
	fake_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(shared_info_moves_on_x86),
	    cmocka_unit_test(shared_info_maps_once_on_arm),
	    cmocka_unit_test(add_to_physmap_errors),
	    cmocka_unit_test(add_to_physmap_errors_arm),
	    cmocka_unit_test(decrease_then_populate),
	};
	return cmocka_run_group_tests_name("hyp-memory", tests, NULL, NULL);
}
