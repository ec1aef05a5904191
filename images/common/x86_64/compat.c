/*
 * A 32-bit guest's hypercalls.  Xen's public structures use xen_ulong_t
 * and xen_pfn_t, which are 32 bits wide for a 32-bit guest (Xen's
 * "compat" ABI), so two of the structures hvkit reads have another
 * layout there: struct xen_add_to_physmap and xen_platform_parameters_t.
 * Those are translated through a bounce page the guest cannot name (its
 * pointers have 32 bits).  Other sub-ops whose 32-bit structures differ
 * (reservations and their extent lists, SCHEDOP_poll, runstate info,
 * grant-table ops) are not translated yet: they are refused with -ENOSYS,
 * as sub-ops Xen lacks are, rather than misread.  The rest have the same
 * layout in both ABIs.
 */
#include "hyp.h"

#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/xen.h>

/* struct xen_add_to_physmap with 32-bit idx and gpfn. */
struct compat_add_to_physmap {
	uint16_t domid;
	uint16_t size;
	uint32_t space;
	uint32_t idx;
	uint32_t gpfn;
};

/* xen_platform_parameters_t: virt_start is 32 bits. */
#define COMPAT_PLATFORM_PARAMETERS_SIZE 4

#define BOUNCE_ADDR (1ull << 63)

static uint8_t bounce_page[HV_PAGE_SIZE] __attribute__((aligned(4096)));

/* The guest's address space, plus the bounce page at BOUNCE_ADDR. */
static int translate_bounce(void *ctx, hv_gfn_t frame, unsigned int access,
			    void **page)
{
	const struct hv_gmem *guest = ctx;

	if (hv_gfn_x(frame) == BOUNCE_ADDR >> HV_PAGE_SHIFT) {
		*page = bounce_page;
		return 0;
	}
	return guest->translate(guest->ctx, frame, access, page);
}

/* Make the call with argument `index` pointing at the bounce page. */
static long bounced(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
		    uint64_t nr, const uint64_t args[5], unsigned int index)
{
	uint64_t a[5];
	struct hv_gmem bounce;

	memcpy(a, args, sizeof(a));
	a[index] = BOUNCE_ADDR;
	hv_gmem_init(&bounce, translate_bounce, (void *)gm, 64);
	return hv_hyp_hypercall(v, &bounce, nr, a);
}

static long add_to_physmap(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
			   const uint64_t args[5])
{
	struct compat_add_to_physmap c;
	struct xen_add_to_physmap x;

	if (hv_gmem_copy_from(gm, &c, args[1], sizeof(c)))
		return -HV_EFAULT;
	memset(&x, 0, sizeof(x));
	x.domid = c.domid;
	x.size = c.size;
	x.space = c.space;
	x.idx = c.idx;
	x.gpfn = c.gpfn;
	memcpy(bounce_page, &x, sizeof(x));
	return bounced(v, gm, __HYPERVISOR_memory_op, args, 1);
}

static long platform_parameters(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
				const uint64_t args[5])
{
	xen_platform_parameters_t p;
	uint32_t virt_start;
	long ret = bounced(v, gm, __HYPERVISOR_xen_version, args, 1);

	if (ret)
		return ret;
	memcpy(&p, bounce_page, sizeof(p));
	virt_start = (uint32_t)p.virt_start;
	return hv_gmem_copy_to(gm, args[1], &virt_start,
			       COMPAT_PLATFORM_PARAMETERS_SIZE)
		   ? -HV_EFAULT
		   : 0;
}

static bool untranslated(uint64_t nr, uint64_t cmd)
{
	switch (nr) {
	case __HYPERVISOR_memory_op:
		return cmd != XENMEM_current_reservation &&
		       cmd != XENMEM_maximum_reservation &&
		       cmd != XENMEM_maximum_gpfn;
	case __HYPERVISOR_sched_op:
		return cmd == SCHEDOP_poll;
	case __HYPERVISOR_vcpu_op:
		return cmd == VCPUOP_get_runstate_info;
	case __HYPERVISOR_grant_table_op:
		return true;
	default:
		return false;
	}
}

long hyp_compat_hypercall(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
			  uint64_t nr, const uint64_t args[5])
{
	if (nr == __HYPERVISOR_memory_op && args[0] == XENMEM_add_to_physmap)
		return add_to_physmap(v, gm, args);
	if (nr == __HYPERVISOR_xen_version &&
	    args[0] == XENVER_platform_parameters)
		return platform_parameters(v, gm, args);
	if (untranslated(nr, args[0]))
		return -HV_ENOSYS;
	return hv_hyp_hypercall(v, gm, nr, args);
}
