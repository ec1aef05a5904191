/*
 * hvm_op (x86 semantics): HVMOP_get_param and HVMOP_set_param in Xen's
 * order of checks, what a guest may read and set of its own parameters,
 * and the values it may set; HVMOP_set_evtchn_upcall_vector.
 */
/* DM_DOMAIN and BUFIOREQ_EVTCHN are defined for the toolstack only (and
 * <hv/xen.h> includes the header that defines them). */
#define __XEN_TOOLS__
#include "fake_guest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <xen/xen.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#define ARG_PAGE 2

static struct fake_guest g;

static int setup(void **state)
{
	(void)state;
	fake_guest_init(&g, "pvh");
	return 0;
}

/* One call with the struct at page `page`; *value in and out. */
static long param_at(unsigned int page, unsigned int op, domid_t domid,
		     uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = {
	    .domid = domid, .index = index, .value = *value};
	long ret;

	memcpy(&g.mem[page][16], &p, sizeof(p));
	ret = call(&g, __HYPERVISOR_hvm_op, op, gaddr(page, 16), 0);
	memcpy(&p, &g.mem[page][16], sizeof(p));
	*value = p.value;
	return ret;
}

static long param(unsigned int op, domid_t domid, uint32_t index,
		  uint64_t *value)
{
	return param_at(ARG_PAGE, op, domid, index, value);
}

static void unset_params_read_as_zero(void **state)
{
	static const uint32_t readable[] = {
	    HVM_PARAM_CALLBACK_IRQ,	     HVM_PARAM_VM86_TSS,
	    HVM_PARAM_VM86_TSS_SIZED,	     HVM_PARAM_ACPI_IOPORTS_LOCATION,
	    HVM_PARAM_VM_GENERATION_ID_ADDR, HVM_PARAM_STORE_PFN,
	    HVM_PARAM_STORE_EVTCHN,	     HVM_PARAM_CONSOLE_PFN,
	    HVM_PARAM_CONSOLE_EVTCHN,	     HVM_PARAM_ALTP2M,
	    HVM_PARAM_X87_FIP_WIDTH,
	};

	(void)state;
	for (unsigned int i = 0; i < sizeof(readable) / sizeof(readable[0]);
	     i++) {
		uint64_t v = 99;

		assert_int_equal(
		    param(HVMOP_get_param, DOMID_SELF, readable[i], &v), 0);
		assert_true(v == 0);
	}
}

static void what_the_image_gave_reads_back(void **state)
{
	uint64_t v = 0;

	(void)state;
	g.dom.hvm_params[HVM_PARAM_CONSOLE_PFN] = 0xfeffe;
	assert_int_equal(
	    param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_CONSOLE_PFN, &v), 0);
	assert_true(v == 0xfeffe);
	/* The domain's own id works as DOMID_SELF does. */
	v = 0;
	assert_int_equal(
	    param(HVMOP_get_param, g.dom.id, HVM_PARAM_CONSOLE_PFN, &v), 0);
	assert_true(v == 0xfeffe);
}

static void settable_params(void **state)
{
	static const uint32_t settable[] = {
	    HVM_PARAM_CALLBACK_IRQ,	     HVM_PARAM_VM86_TSS,
	    HVM_PARAM_VM86_TSS_SIZED,	     HVM_PARAM_ACPI_IOPORTS_LOCATION,
	    HVM_PARAM_VM_GENERATION_ID_ADDR, HVM_PARAM_STORE_EVTCHN,
	    HVM_PARAM_CONSOLE_EVTCHN,
	};

	(void)state;
	for (unsigned int i = 0; i < sizeof(settable) / sizeof(settable[0]);
	     i++) {
		uint64_t v = 0x100000000ull + i;

		assert_int_equal(
		    param(HVMOP_set_param, DOMID_SELF, settable[i], &v), 0);
		assert_true(g.dom.hvm_params[settable[i]] == v);
		v = 0;
		assert_int_equal(
		    param(HVMOP_get_param, DOMID_SELF, settable[i], &v), 0);
		assert_true(v == 0x100000000ull + i);
	}
}

static void fip_width_takes_0_4_or_8(void **state)
{
	(void)state;
	for (uint64_t w = 0; w <= 9; w++) {
		uint64_t v = w;
		long want = (w == 0 || w == 4 || w == 8) ? 0 : -HV_EINVAL;

		assert_int_equal(param(HVMOP_set_param, DOMID_SELF,
				       HVM_PARAM_X87_FIP_WIDTH, &v),
				 want);
	}
	assert_true(g.dom.hvm_params[HVM_PARAM_X87_FIP_WIDTH] == 8);
}

static void toolstack_params_are_refused(void **state)
{
	uint64_t v = 1;

	(void)state;
	/* Reads of the toolstack's parameters. */
	assert_int_equal(
	    param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_IOREQ_PFN, &v),
	    -HV_EPERM);
	assert_int_equal(
	    param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_VIRIDIAN, &v),
	    -HV_EPERM);
	/* No device model: nothing to tell. */
	assert_int_equal(
	    param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_DM_DOMAIN, &v),
	    -HV_ENODATA);
	assert_int_equal(
	    param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_BUFIOREQ_EVTCHN, &v),
	    -HV_ENODATA);
	/* Sets: the builder's pfns, the device model's, everything else. */
	assert_int_equal(
	    param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_STORE_PFN, &v),
	    -HV_EPERM);
	assert_int_equal(
	    param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_CONSOLE_PFN, &v),
	    -HV_EPERM);
	assert_int_equal(
	    param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_DM_DOMAIN, &v),
	    -HV_EPERM);
	assert_int_equal(
	    param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_BUFIOREQ_EVTCHN, &v),
	    -HV_EPERM);
	assert_int_equal(
	    param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_ALTP2M, &v),
	    -HV_EPERM);
	assert_true(g.dom.hvm_params[HVM_PARAM_STORE_PFN] == 0);
}

static void checks_in_xens_order(void **state)
{
	uint64_t v = 1;

	(void)state;
	/* A bad pointer first, for reading and for writing the answer. */
	assert_int_equal(call(&g, __HYPERVISOR_hvm_op, HVMOP_get_param,
			      gaddr(HOLE_PAGE, 0), 0),
			 -HV_EFAULT);
	assert_int_equal(call(&g, __HYPERVISOR_hvm_op, HVMOP_set_param,
			      gaddr(GUEST_PAGES, 0), 0),
			 -HV_EFAULT);
	assert_int_equal(param_at(RO_PAGE, HVMOP_get_param, DOMID_SELF,
				  HVM_PARAM_CALLBACK_IRQ, &v),
			 -HV_EFAULT);
	/* The index before the domain. */
	assert_int_equal(param(HVMOP_get_param, 999, HVM_NR_PARAMS, &v),
			 -HV_EINVAL);
	assert_int_equal(param(HVMOP_set_param, DOMID_SELF, UINT32_MAX, &v),
			 -HV_EINVAL);
	/* No such domain, then another domain. */
	assert_int_equal(
	    param(HVMOP_get_param, 999, HVM_PARAM_CALLBACK_IRQ, &v), -HV_ESRCH);
	assert_int_equal(
	    param(HVMOP_get_param, DOMID_IO, HVM_PARAM_CALLBACK_IRQ, &v),
	    -HV_ESRCH);
	assert_int_equal(
	    param(HVMOP_set_param, OTHER_DOMID, HVM_PARAM_CALLBACK_IRQ, &v),
	    -HV_EPERM);
	assert_int_equal(
	    param(HVMOP_get_param, OTHER_DOMID, HVM_PARAM_CALLBACK_IRQ, &v),
	    -HV_EPERM);
}

static void unknown_hvmops_are_enosys(void **state)
{
	(void)state;
	assert_int_equal(
	    call(&g, __HYPERVISOR_hvm_op, 99, gaddr(ARG_PAGE, 0), 0),
	    -HV_ENOSYS);
	assert_int_equal(call(&g, __HYPERVISOR_hvm_op, UINT64_MAX, 0, 0),
			 -HV_ENOSYS);
}

static long upcall_vector(uint32_t vcpu, uint8_t vector)
{
	xen_hvm_evtchn_upcall_vector_t a = {.vcpu = vcpu, .vector = vector};

	memcpy(&g.mem[ARG_PAGE][8], &a, sizeof(a));
	return call(&g, __HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector,
		    gaddr(ARG_PAGE, 8), 0);
}

static void upcall_vector_goes_to_the_image(void **state)
{
	(void)state;
	assert_int_equal(upcall_vector(1, 0xf3), 0);
	assert_int_equal(g.upcall_sets, 1);
	assert_int_equal(g.upcall_vcpu, 1);
	assert_int_equal(g.upcall_vector, 0xf3);
	assert_int_equal(upcall_vector(0, 0x10), 0);
	assert_int_equal(g.upcall_vector, 0x10);
}

/* Xen's order: the pointer, the vector (exceptions' vectors refused),
 * then the vCPU. */
static void upcall_vector_checks(void **state)
{
	(void)state;
	assert_int_equal(call(&g, __HYPERVISOR_hvm_op,
			      HVMOP_set_evtchn_upcall_vector,
			      gaddr(HOLE_PAGE, 0), 0),
			 -HV_EFAULT);
	assert_int_equal(upcall_vector(0, 0x0f), -HV_EINVAL);
	assert_int_equal(upcall_vector(0, 0), -HV_EINVAL);
	assert_int_equal(upcall_vector(99, 0x0f), -HV_EINVAL);
	assert_int_equal(upcall_vector(GUEST_VCPUS, 0x20), -HV_ENOENT);
	assert_int_equal(upcall_vector(UINT32_MAX, 0x20), -HV_ENOENT);
	assert_int_equal(g.upcall_sets, 0);
}

/* An image that gives no per-vCPU vectors: -ENOSYS, as Xen for a domain
 * created without them. */
static void upcall_vector_without_the_op(void **state)
{
	struct hv_xen_ops ops = *g.dom.ops;

	(void)state;
	ops.set_upcall_vector = NULL;
	g.dom.ops = &ops;
	assert_int_equal(upcall_vector(0, 0xf3), -HV_ENOSYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(unset_params_read_as_zero, setup),
	    cmocka_unit_test_setup(what_the_image_gave_reads_back, setup),
	    cmocka_unit_test_setup(settable_params, setup),
	    cmocka_unit_test_setup(fip_width_takes_0_4_or_8, setup),
	    cmocka_unit_test_setup(toolstack_params_are_refused, setup),
	    cmocka_unit_test_setup(checks_in_xens_order, setup),
	    cmocka_unit_test_setup(unknown_hvmops_are_enosys, setup),
	    cmocka_unit_test_setup(upcall_vector_goes_to_the_image, setup),
	    cmocka_unit_test_setup(upcall_vector_checks, setup),
	    cmocka_unit_test_setup(upcall_vector_without_the_op, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
