/*
 * Every hypercall the x86 images answer, with good and bad arguments,
 * checked against Xen's answers (errors come back as negative Xen errno
 * values).  Built three ways: 64-bit, 32-bit without paging and 32-bit
 * with paging (GUEST_PAGING).  With paging on, every pointer is passed
 * through an alias mapping (guest_alias), so the hypervisor must walk the
 * guest's page tables to find the memory.
 */
#include "guest.h"

#include <hv/string.h>

#include <xen/errno.h>
#include <xen/features.h>
#include <xen/hvm/hvm_op.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/version.h>
/* DM_DOMAIN is only defined for the toolstack. */
#define __XEN_TOOLS__
#include <xen/hvm/params.h>

/* Guest addresses nothing backs: beyond the 16 MiB of RAM. */
#define UNMAPPED	0x20000000ul
#define NOT_IMPLEMENTED 99
#define NO_SUCH_DOMAIN	100 /* more domains than an image runs */

#if defined(__x86_64__) || defined(GUEST_PAGING)
#define PAGING 1
#else
#define PAGING 0
#endif

static long hc(unsigned long nr, unsigned long a0, unsigned long a1,
	       unsigned long a2)
{
	return guest_hypercall(nr, a0, a1, a2, 0, 0);
}

/* Where the hypervisor must look for `p`. */
static unsigned long ptr(const void *p)
{
	return guest_alias(p);
}

static void console_io(void)
{
	static const char msg[] = "console_io: writing works\n";

	CHECK_EQ(hc(__HYPERVISOR_console_io, CONSOLEIO_write, sizeof(msg) - 1,
		    ptr(msg)),
		 0);
	CHECK_EQ(hc(__HYPERVISOR_console_io, CONSOLEIO_write, 0, UNMAPPED), 0);
	CHECK_EQ(hc(__HYPERVISOR_console_io, CONSOLEIO_write, 8, UNMAPPED),
		 -XEN_EFAULT);
	CHECK_EQ(hc(__HYPERVISOR_console_io, CONSOLEIO_read, 8, ptr(msg)),
		 -XEN_EPERM);
	CHECK_EQ(hc(__HYPERVISOR_console_io, NOT_IMPLEMENTED, 0, 0),
		 -XEN_EPERM);
#if defined(__x86_64__)
	/* 64-bit pointers are never cut to 32 bits: 4 GiB above a good
	 * buffer, or non-canonical, is a bad one. */
	CHECK_EQ(hc(__HYPERVISOR_console_io, CONSOLEIO_write, 8,
		    (1ul << 32) + (uintptr_t)msg),
		 -XEN_EFAULT);
	CHECK_EQ(hc(__HYPERVISOR_console_io, CONSOLEIO_write, 8,
		    (1ul << 47) + (uintptr_t)msg),
		 -XEN_EFAULT);
#endif
}

static void sched_op(void)
{
	struct sched_shutdown code = {.reason = SHUTDOWN_reboot};
	struct sched_remote_shutdown self = {.domain_id = DOMID_SELF};
	struct sched_remote_shutdown other = {.domain_id = NO_SUCH_DOMAIN};

	CHECK_EQ(hc(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0), 0);
	CHECK_EQ(hc(__HYPERVISOR_sched_op, SCHEDOP_shutdown, UNMAPPED, 0),
		 -XEN_EFAULT);
	CHECK_EQ(
	    hc(__HYPERVISOR_sched_op, SCHEDOP_shutdown_code, ptr(&code), 0), 0);
	CHECK_EQ(
	    hc(__HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, ptr(&self), 0),
	    -XEN_ESRCH);
	CHECK_EQ(
	    hc(__HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, ptr(&other), 0),
	    -XEN_ESRCH);
	CHECK_EQ(hc(__HYPERVISOR_sched_op, SCHEDOP_pin_override, 0, 0),
		 -XEN_EPERM);
	CHECK_EQ(hc(__HYPERVISOR_sched_op, NOT_IMPLEMENTED, 0, 0), -XEN_ENOSYS);
}

static void xen_version(void)
{
	static xen_extraversion_t extra;
	static xen_feature_info_t fi;
	/* A 32-bit guest's platform parameters are 4 bytes: the word after
	 * them must stay as it is. */
	static uint32_t params[2] = {0xdeadbeef, 0x5a5a5a5a};

	CHECK_EQ(hc(__HYPERVISOR_xen_version, XENVER_version, 0, 0) >> 16, 4);
	CHECK_EQ(
	    hc(__HYPERVISOR_xen_version, XENVER_extraversion, ptr(extra), 0),
	    0);
	CHECK(strcmp(extra, "-hvkit") == 0);
	CHECK_EQ(hc(__HYPERVISOR_xen_version, XENVER_extraversion, UNMAPPED, 0),
		 -XEN_EFAULT);
	CHECK_EQ(hc(__HYPERVISOR_xen_version, XENVER_get_features, ptr(&fi), 0),
		 0);
	CHECK(fi.submap & 1u << XENFEAT_auto_translated_physmap);
	fi.submap_idx = 1;
	CHECK_EQ(hc(__HYPERVISOR_xen_version, XENVER_get_features, ptr(&fi), 0),
		 -XEN_EINVAL);
	CHECK_EQ(hc(__HYPERVISOR_xen_version, XENVER_platform_parameters,
		    ptr(params), 0),
		 0);
	CHECK_EQ(params[0], 0);
	CHECK_EQ(params[1], sizeof(long) == 8 ? 0 : 0x5a5a5a5a);
	CHECK_EQ(hc(__HYPERVISOR_xen_version, XENVER_pagesize, 0, 0), 4096);
	CHECK_EQ(hc(__HYPERVISOR_xen_version, XENVER_build_id, 0, 0),
		 -XEN_EPERM);
	CHECK_EQ(hc(__HYPERVISOR_xen_version, NOT_IMPLEMENTED, 0, 0),
		 -XEN_ENOSYS);
	if (PAGING) {
		/* Read-only for the guest kernel (CR0.WP): not writable for
		 * the hypervisor on its behalf either. */
		unsigned long ro = (uintptr_t)guest_ro_page;

		CHECK_EQ(
		    hc(__HYPERVISOR_xen_version, XENVER_extraversion, ro, 0),
		    -XEN_EFAULT);
		CHECK_EQ(hc(__HYPERVISOR_console_io, CONSOLEIO_write, 1, ro),
			 0);
	}
}

/* Two page-aligned frames of our own RAM for the shared-info page. */
static uint8_t frames[2][4096] __attribute__((aligned(4096)));

static long add_to_physmap(unsigned int space, unsigned long idx,
			   unsigned long gpfn)
{
	static struct xen_add_to_physmap x;

	x.domid = DOMID_SELF;
	x.space = space;
	x.idx = idx;
	x.gpfn = gpfn;
	return hc(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, ptr(&x), 0);
}

static void memory_op(void)
{
	volatile uint32_t *first = (volatile uint32_t *)frames[0];
	volatile uint32_t *second = (volatile uint32_t *)frames[1];

	frames[0][0] = 0x77;
	CHECK_EQ(add_to_physmap(XENMAPSPACE_shared_info, 0,
				(uintptr_t)frames[0] >> 12),
		 0);
	/* The page is there, zeroed by the hypervisor, and ours to write. */
	CHECK_EQ(first[0], 0);
	first[0] = 0x1234;
	CHECK_EQ(first[0], 0x1234);
	/* Mapping it again moves it: the old frame is left empty, and reads
	 * there give all ones, as from any address nothing backs. */
	CHECK_EQ(add_to_physmap(XENMAPSPACE_shared_info, 0,
				(uintptr_t)frames[1] >> 12),
		 0);
	CHECK_EQ(second[0], 0x1234);
	CHECK_EQ(guest_read32(first), 0xffffffff);
	CHECK_EQ(add_to_physmap(XENMAPSPACE_shared_info, 1,
				(uintptr_t)frames[1] >> 12),
		 -XEN_EINVAL);
	CHECK_EQ(add_to_physmap(XENMAPSPACE_gmfn_foreign, 0,
				(uintptr_t)frames[1] >> 12),
		 -XEN_ENOSYS);
	CHECK_EQ(hc(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, UNMAPPED, 0),
		 -XEN_EFAULT);
	CHECK_EQ(hc(__HYPERVISOR_memory_op, NOT_IMPLEMENTED, 0, 0),
		 -XEN_ENOSYS);
#if !defined(__x86_64__)
	/* 32-bit layouts hvkit does not translate yet are refused, not
	 * misread. */
	CHECK_EQ(hc(__HYPERVISOR_memory_op, XENMEM_populate_physmap,
		    ptr(frames[1]), 0),
		 -XEN_ENOSYS);
	CHECK_EQ(hc(__HYPERVISOR_grant_table_op, GNTTABOP_query_size,
		    ptr(frames[1]), 1),
		 -XEN_ENOSYS);
#endif
}

static long hvm_param(unsigned int op, domid_t domid, uint32_t index,
		      uint64_t *value)
{
	static struct xen_hvm_param p;
	long ret;

	p.domid = domid;
	p.index = index;
	p.value = *value;
	ret = hc(__HYPERVISOR_hvm_op, op, ptr(&p), 0);
	*value = p.value;
	return ret;
}

/* Our domain id, from Xen's HVM CPUID leaf. */
static domid_t self(void)
{
	uint32_t r[4];

	guest_cpuid(0x40000004u, 0, r);
	return (domid_t)r[2];
}

static void hvm_op(void)
{
	uint64_t v = 77;

	CHECK_EQ(
	    hvm_param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_STORE_PFN, &v), 0);
	CHECK_EQ(v, 0); /* no xenstore here */
	v = 5;
	CHECK_EQ(
	    hvm_param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &v),
	    0);
	v = 0;
	CHECK_EQ(hvm_param(HVMOP_get_param, self(), HVM_PARAM_CALLBACK_IRQ, &v),
		 0);
	CHECK_EQ(v, 5);
	CHECK_EQ(
	    hvm_param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_STORE_PFN, &v),
	    -XEN_EPERM);
	CHECK_EQ(
	    hvm_param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_IOREQ_PFN, &v),
	    -XEN_EPERM);
	CHECK_EQ(
	    hvm_param(HVMOP_get_param, DOMID_SELF, HVM_PARAM_DM_DOMAIN, &v),
	    -XEN_ENODATA);
	CHECK_EQ(
	    hvm_param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_DM_DOMAIN, &v),
	    -XEN_EPERM);
	v = 3;
	CHECK_EQ(
	    hvm_param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_X87_FIP_WIDTH, &v),
	    -XEN_EINVAL);
	v = 4;
	CHECK_EQ(
	    hvm_param(HVMOP_set_param, DOMID_SELF, HVM_PARAM_X87_FIP_WIDTH, &v),
	    0);
	CHECK_EQ(hvm_param(HVMOP_get_param, DOMID_SELF, HVM_NR_PARAMS, &v),
		 -XEN_EINVAL);
	CHECK_EQ(hvm_param(HVMOP_get_param, NO_SUCH_DOMAIN,
			   HVM_PARAM_CALLBACK_IRQ, &v),
		 -XEN_ESRCH);
	CHECK_EQ(hc(__HYPERVISOR_hvm_op, HVMOP_get_param, UNMAPPED, 0),
		 -XEN_EFAULT);
	CHECK_EQ(hc(__HYPERVISOR_hvm_op, NOT_IMPLEMENTED, 0, 0), -XEN_ENOSYS);
}

static void unknown_hypercalls(void)
{
	CHECK_EQ(hc(NOT_IMPLEMENTED, 0, 0, 0), -XEN_ENOSYS);
	CHECK_EQ(hc(__HYPERVISOR_mmu_update, 0, 0, 0),
		 -XEN_ENOSYS); /* PV only */
}

int main(void)
{
	if (PAGING)
		guest_paging_enable();
	console_io();
	sched_op();
	xen_version();
	memory_op();
	hvm_op();
	unknown_hypercalls();
	return guest_test_result();
}
