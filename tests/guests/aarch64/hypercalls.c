/*
 * Every hypercall arm64-mini answers, with good and bad arguments, checked
 * against Xen's answers (errors come back as negative Xen errno values).
 */
#include "guest.h"

#include <hv/string.h>

#include <xen/errno.h>
#include <xen/features.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xen/xen.h>

/* Guest-physical addresses nothing backs: below RAM, and far above. */
#define UNMAPPED	((unsigned long)0x20000000)
#define FAR_AWAY	((unsigned long)1 << 47)
#define NOT_IMPLEMENTED 99

static unsigned int undef_exceptions;
static uint64_t undef_esr, undef_elr;

extern const char guest_vectors[];
uint64_t guest_sync_exception(uint64_t esr, uint64_t elr);

uint64_t guest_sync_exception(uint64_t esr, uint64_t elr)
{
	undef_exceptions++;
	undef_esr = esr;
	undef_elr = elr;
	return elr;
}

static long hc(unsigned long nr, unsigned long a0, unsigned long a1,
	       unsigned long a2)
{
	return guest_hypercall(nr, a0, a1, a2, 0, 0);
}

static void console_io(void)
{
	static const char msg[] = "console_io: writing works\n";

	CHECK_EQ(hc(__HYPERVISOR_console_io, CONSOLEIO_write, sizeof(msg) - 1,
		    (unsigned long)msg),
		 0);
	CHECK_EQ(hc(__HYPERVISOR_console_io, CONSOLEIO_write, 0, UNMAPPED), 0);
	CHECK_EQ(hc(__HYPERVISOR_console_io, CONSOLEIO_write, 8, UNMAPPED),
		 -XEN_EFAULT);
	CHECK_EQ(hc(__HYPERVISOR_console_io, CONSOLEIO_write, 8, FAR_AWAY),
		 -XEN_EFAULT);
	CHECK_EQ(hc(__HYPERVISOR_console_io, CONSOLEIO_read, 8,
		    (unsigned long)&undef_esr),
		 -XEN_EPERM);
	CHECK_EQ(hc(__HYPERVISOR_console_io, NOT_IMPLEMENTED, 0, 0),
		 -XEN_EPERM);
}

static void sched_op(void)
{
	struct sched_shutdown code = {.reason = SHUTDOWN_reboot};
	struct sched_remote_shutdown self = {.domain_id = DOMID_SELF};

	CHECK_EQ(hc(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0), 0);
	CHECK_EQ(hc(__HYPERVISOR_sched_op, SCHEDOP_shutdown, UNMAPPED, 0),
		 -XEN_EFAULT);
	CHECK_EQ(hc(__HYPERVISOR_sched_op, SCHEDOP_shutdown_code,
		    (unsigned long)&code, 0),
		 0);
	CHECK_EQ(hc(__HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
		    (unsigned long)&self, 0),
		 -XEN_ESRCH);
	CHECK_EQ(hc(__HYPERVISOR_sched_op, SCHEDOP_pin_override, 0, 0),
		 -XEN_EPERM);
	CHECK_EQ(hc(__HYPERVISOR_sched_op, NOT_IMPLEMENTED, 0, 0), -XEN_ENOSYS);
}

static void xen_version(void)
{
	xen_extraversion_t extra;
	xen_feature_info_t fi = {.submap_idx = 0};

	CHECK_EQ(hc(__HYPERVISOR_xen_version, XENVER_version, 0, 0) >> 16, 4);
	CHECK_EQ(hc(__HYPERVISOR_xen_version, XENVER_extraversion,
		    (unsigned long)extra, 0),
		 0);
	CHECK(strcmp(extra, "-hvkit") == 0);
	CHECK_EQ(hc(__HYPERVISOR_xen_version, XENVER_extraversion, UNMAPPED, 0),
		 -XEN_EFAULT);
	CHECK_EQ(hc(__HYPERVISOR_xen_version, XENVER_get_features,
		    (unsigned long)&fi, 0),
		 0);
	/* What Xen answers an Arm domU. */
	CHECK_EQ(fi.submap, 1u << XENFEAT_writable_page_tables |
				1u << XENFEAT_auto_translated_physmap |
				1u << XENFEAT_ARM_SMCCC_supported |
				1u << XENFEAT_not_direct_mapped);
	fi.submap_idx = 1;
	CHECK_EQ(hc(__HYPERVISOR_xen_version, XENVER_get_features,
		    (unsigned long)&fi, 0),
		 -XEN_EINVAL);
	CHECK_EQ(hc(__HYPERVISOR_xen_version, XENVER_pagesize, 0, 0), 4096);
	CHECK_EQ(hc(__HYPERVISOR_xen_version, XENVER_build_id, 0, 0),
		 -XEN_EPERM);
	CHECK_EQ(hc(__HYPERVISOR_xen_version, NOT_IMPLEMENTED, 0, 0),
		 -XEN_ENOSYS);
}

/* A page-aligned frame of our own RAM for the shared-info page. */
static uint8_t shared_info_frame[4096] __attribute__((aligned(4096)));

static long add_to_physmap(unsigned int space, unsigned long idx,
			   unsigned long gpfn)
{
	struct xen_add_to_physmap x = {
	    .domid = DOMID_SELF, .space = space, .idx = idx, .gpfn = gpfn};

	return hc(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
		  (unsigned long)&x, 0);
}

static void memory_op(void)
{
	unsigned long gpfn = (unsigned long)shared_info_frame >> 12;
	volatile uint64_t *si = (volatile uint64_t *)shared_info_frame;

	CHECK_EQ(add_to_physmap(XENMAPSPACE_shared_info, 0, gpfn), 0);
	/* The page is there, zeroed by the hypervisor, and ours to write. */
	CHECK_EQ(si[0], 0);
	si[0] = 0x1234;
	CHECK_EQ(si[0], 0x1234);
	CHECK_EQ(add_to_physmap(XENMAPSPACE_shared_info, 1, gpfn), -XEN_EINVAL);
	CHECK_EQ(add_to_physmap(XENMAPSPACE_gmfn, 0, gpfn), -XEN_ENOSYS);
	CHECK_EQ(hc(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, UNMAPPED, 0),
		 -XEN_EFAULT);
	CHECK_EQ(hc(__HYPERVISOR_memory_op, NOT_IMPLEMENTED, 0, 0),
		 -XEN_ENOSYS);
}

static void unknown_hypercalls_and_tags(void)
{
	uint64_t after_hvc;

	CHECK_EQ(hc(NOT_IMPLEMENTED, 0, 0, 0), -XEN_ENOSYS);
	CHECK_EQ(hc(__HYPERVISOR_mmu_update, 0, 0, 0),
		 -XEN_ENOSYS); /* PV only */
	/* An hvc without Xen's tag is an undefined instruction for the
	 * guest, as in Xen, which reports it with ELR_EL1 already past the
	 * hvc (its trap handler has advanced the PC). */
	__asm__ __volatile__("msr vbar_el1, %0; isb" ::"r"(guest_vectors));
	__asm__ __volatile__("adr %0, 1f\n"
			     "hvc #0x1234\n"
			     "1:"
			     : "=r"(after_hvc)
			     :
			     : "memory");
	CHECK_EQ(undef_exceptions, 1);
	CHECK_EQ(undef_esr >> 26, 0); /* EC 0: unknown reason */
	CHECK_EQ(undef_elr, after_hvc);
}

int main(void)
{
	console_io();
	sched_op();
	xen_version();
	memory_op();
	unknown_hypercalls_and_tags();
	return guest_test_result();
}
