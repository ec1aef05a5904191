/*
 * hvm_op: HVMOP_get_param and HVMOP_set_param, as Xen on x86 answers them
 * for an HVM/PVH domain asking about itself (xen/arch/x86/hvm/hvm.c:
 * hvmop_get_param, hvmop_set_param and their permission checks), and
 * HVMOP_set_evtchn_upcall_vector.  Xen on Arm (xen/arch/arm/hvm.c:
 * do_hvm_op) has only the first two, in the same order of checks, and
 * lets a domain read and set any of its own parameters.  A parameter the
 * domain was never given reads as 0.
 */
/* DM_DOMAIN and BUFIOREQ_EVTCHN are only defined for the toolstack
 * (before <hv/xen.h>, which includes the same header). */
#define __XEN_TOOLS__
#include <hv/xen.h>

#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>

#include "xen_internal.h"

/* What a guest may read of its own parameters. */
static int get_allowed(const struct hv_xen_domain *d, uint32_t index)
{
	if (d->arch == HV_XEN_ARCH_ARM)
		return 0;
	switch (index) {
	case HVM_PARAM_CALLBACK_IRQ:
	case HVM_PARAM_VM86_TSS:
	case HVM_PARAM_VM86_TSS_SIZED:
	case HVM_PARAM_ACPI_IOPORTS_LOCATION:
	case HVM_PARAM_VM_GENERATION_ID_ADDR:
	case HVM_PARAM_STORE_PFN:
	case HVM_PARAM_STORE_EVTCHN:
	case HVM_PARAM_CONSOLE_PFN:
	case HVM_PARAM_CONSOLE_EVTCHN:
	case HVM_PARAM_ALTP2M:
	case HVM_PARAM_X87_FIP_WIDTH:
		return 0;
	case HVM_PARAM_DM_DOMAIN:
	case HVM_PARAM_BUFIOREQ_EVTCHN:
		return -HV_ENODATA; /* no device model: nothing to tell */
	default:
		return -HV_EPERM; /* the toolstack's alone */
	}
}

/* What a guest may set of its own parameters, and the values it may. */
static int set_allowed(const struct hv_xen_domain *d, uint32_t index,
		       uint64_t value)
{
	if (d->arch == HV_XEN_ARCH_ARM)
		return 0;
	switch (index) {
	case HVM_PARAM_CALLBACK_IRQ:
	case HVM_PARAM_VM86_TSS:
	case HVM_PARAM_VM86_TSS_SIZED:
	case HVM_PARAM_ACPI_IOPORTS_LOCATION:
	case HVM_PARAM_VM_GENERATION_ID_ADDR:
	case HVM_PARAM_STORE_EVTCHN:
	case HVM_PARAM_CONSOLE_EVTCHN:
		return 0;
	case HVM_PARAM_X87_FIP_WIDTH:
		return value == 0 || value == 4 || value == 8 ? 0 : -HV_EINVAL;
	default:
		/* Including STORE_PFN and CONSOLE_PFN (set by the builder),
		 * DM_DOMAIN and BUFIOREQ_EVTCHN. */
		return -HV_EPERM;
	}
}

/* Read the guest's xen_hvm_param at arg and check it names one of d's own
 * parameters; Xen's order: the index first, then which domain. */
static int read_param(struct hv_xen_domain *d, const struct hv_gmem *gm,
		      uint64_t arg, struct xen_hvm_param *a)
{
	if (hv_gmem_copy_from(gm, a, arg, sizeof(*a)))
		return -HV_EFAULT;
	if (a->index >= HVM_NR_PARAMS)
		return -HV_EINVAL;
	if (a->domid == DOMID_SELF || a->domid == d->id)
		return 0;
	if (a->domid >= DOMID_FIRST_RESERVED ||
	    !d->ops->domain_exists(d->opaque, a->domid))
		return -HV_ESRCH;
	return -HV_EPERM;
}

static long get_param(struct hv_xen_domain *d, const struct hv_gmem *gm,
		      uint64_t arg)
{
	struct xen_hvm_param a;
	int err = read_param(d, gm, arg, &a);

	if (!err)
		err = get_allowed(d, a.index);
	if (err)
		return err;
	a.value = d->hvm_params[a.index];
	return hv_gmem_copy_to(gm, arg, &a, sizeof(a)) ? -HV_EFAULT : 0;
}

static long set_param(struct hv_xen_domain *d, const struct hv_gmem *gm,
		      uint64_t arg)
{
	struct xen_hvm_param a;
	int err = read_param(d, gm, arg, &a);

	if (!err)
		err = set_allowed(d, a.index, a.value);
	if (err)
		return err;
	d->hvm_params[a.index] = a.value;
	return 0;
}

/*
 * Xen's HVMOP_set_evtchn_upcall_vector and its argument are declared for
 * x86 builds only (<xen/hvm/hvm_op.h>), and this file builds for every
 * architecture: the number and the two fields' offsets are Xen's ABI
 * (tests/unit/xen checks them against the header).
 */
#define SET_EVTCHN_UPCALL_VECTOR 23
struct upcall_vector_arg {
	uint32_t vcpu;
	uint8_t vector;
};

/* As Xen's hvmop_set_evtchn_upcall_vector: vectors below 0x10 are the
 * exceptions', refused before the vCPU is looked up. */
static long set_upcall_vector(struct hv_xen_domain *d, const struct hv_gmem *gm,
			      uint64_t arg)
{
	struct upcall_vector_arg a;

	if (!d->ops->set_upcall_vector)
		return -HV_ENOSYS;
	if (hv_gmem_copy_from(gm, &a, arg, sizeof(a)))
		return -HV_EFAULT;
	if (a.vector < 0x10)
		return -HV_EINVAL;
	return d->ops->set_upcall_vector(d->opaque, d, a.vcpu, a.vector);
}

long hv_xen_hvm_op(struct hv_xen_domain *d, const struct hv_gmem *gm,
		   uint64_t cmd, uint64_t arg)
{
	switch (cmd) {
	case HVMOP_set_param:
		return set_param(d, gm, arg);
	case HVMOP_get_param:
		return get_param(d, gm, arg);
	case SET_EVTCHN_UPCALL_VECTOR:
		if (d->arch != HV_XEN_ARCH_X86_HVM)
			return -HV_ENOSYS;
		return set_upcall_vector(d, gm, arg);
	default:
		return -HV_ENOSYS;
	}
}
