/*
 * Xen's compat ABI: a 32-bit x86 guest's hypercalls.  Xen's public
 * structures use xen_ulong_t, xen_pfn_t and guest handles, which are 32
 * bits wide for a 32-bit guest, so some structures lay out differently
 * there.  Two that hvkit reads are translated, through a bounce page the
 * guest cannot name (its pointers have 32 bits): struct
 * xen_add_to_physmap and xen_platform_parameters_t.  The other sub-ops
 * whose layout differs are refused until they are translated; every other
 * structure is the same in both ABIs.
 */
#include <hv/string.h>
#include <hv/xen.h>

#include <xen/grant_table.h>
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

/* The guest's memory, and the bounce page at HV_XEN_COMPAT_BOUNCE_ADDR. */
struct bounce {
	const struct hv_gmem *guest;
	void *page;
};

static int translate_bounce(void *ctx, hv_gfn_t frame, unsigned int access,
			    void **page)
{
	const struct bounce *b = ctx;

	if (hv_gfn_x(frame) == HV_XEN_COMPAT_BOUNCE_ADDR >> HV_PAGE_SHIFT) {
		*page = b->page;
		return 0;
	}
	return b->guest->translate(b->guest->ctx, frame, access, page);
}

/* Make the call with argument `index` pointing at the bounce page. */
static long bounced(const struct hv_gmem *gm, void *page, uint64_t nr,
		    const uint64_t args[5], unsigned int index,
		    hv_xen_dispatch_fn dispatch, void *ctx)
{
	struct bounce b = {.guest = gm, .page = page};
	struct hv_gmem view;
	uint64_t a[5];

	memcpy(a, args, sizeof(a));
	a[index] = HV_XEN_COMPAT_BOUNCE_ADDR;
	hv_gmem_init(&view, translate_bounce, &b, 64);
	return dispatch(ctx, &view, nr, a);
}

static long add_to_physmap(const struct hv_gmem *gm, void *page,
			   const uint64_t args[5], hv_xen_dispatch_fn dispatch,
			   void *ctx)
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
	memcpy(page, &x, sizeof(x));
	return bounced(gm, page, __HYPERVISOR_memory_op, args, 1, dispatch,
		       ctx);
}

static long platform_parameters(const struct hv_gmem *gm, void *page,
				const uint64_t args[5],
				hv_xen_dispatch_fn dispatch, void *ctx)
{
	xen_platform_parameters_t p;
	uint32_t virt_start;
	long ret =
	    bounced(gm, page, __HYPERVISOR_xen_version, args, 1, dispatch, ctx);

	if (ret)
		return ret;
	memcpy(&p, page, sizeof(p));
	virt_start = (uint32_t)p.virt_start;
	return hv_gmem_copy_to(gm, args[1], &virt_start,
			       COMPAT_PLATFORM_PARAMETERS_SIZE)
		   ? -HV_EFAULT
		   : 0;
}

/* Sub-ops whose 32-bit structures differ and are not translated yet. */
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

long hv_xen_compat_hypercall(const struct hv_gmem *gm, void *bounce_page,
			     uint64_t nr, const uint64_t args[5],
			     hv_xen_dispatch_fn dispatch, void *ctx)
{
	if (nr == __HYPERVISOR_memory_op && args[0] == XENMEM_add_to_physmap)
		return add_to_physmap(gm, bounce_page, args, dispatch, ctx);
	if (nr == __HYPERVISOR_xen_version &&
	    args[0] == XENVER_platform_parameters)
		return platform_parameters(gm, bounce_page, args, dispatch,
					   ctx);
	if (untranslated(nr, args[0]))
		return -HV_ENOSYS;
	return dispatch(ctx, gm, nr, args);
}
