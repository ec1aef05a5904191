/*
 * Guest-linear access (hypercall pointers, instruction fetches): through
 * the vCPU's own page tables first when its paging is on, then the
 * domain's P2M, so a guest can only ever name its own RAM.
 */
#include "priv.h"

#include <hv/x86_paging.h>

static int read_pte(void *ctx, hv_gpaddr_t gpa, unsigned int size,
		    uint64_t *val)
{
	void *page;

	if (hv_mm_gpa_translate(ctx, hv_gpaddr_to_gfn(gpa), HV_GMEM_READ,
				&page))
		return -HV_EFAULT;
	*val = 0;
	memcpy(val, (char *)page + (gpa & (HV_PAGE_SIZE - 1)), size);
	return 0;
}

int hyp_x86_linear_to_gpa(struct hv_hyp_vcpu *v, uint64_t linear,
			  unsigned int access, hv_gpaddr_t *gpa)
{
	const struct hv_x86_vmcb_save *s = &vcpu_arch(v)->cpu.vmcb->save;
	struct hv_x86_paging paging = {s->cr0, s->cr3, s->cr4, s->efer};

	return hv_x86_guest_linear_to_phys(&paging, linear, access, read_pte,
					   &v->dom->mm, gpa);
}

static int translate_linear(void *ctx, hv_gfn_t frame, unsigned int access,
			    void **page)
{
	struct hv_hyp_vcpu *v = ctx;
	hv_gpaddr_t gpa;
	int err = hyp_x86_linear_to_gpa(
	    v, hv_gfn_x(frame) << HV_PAGE_SHIFT,
	    (access & HV_GMEM_WRITE) ? HV_X86_ACCESS_WRITE : 0, &gpa);

	/* A pointer the guest cannot reach is -EFAULT to it, either way. */
	return err ? -HV_EFAULT
		   : hv_mm_gpa_translate(&v->dom->mm, hv_gpaddr_to_gfn(gpa),
					 access, page);
}

void hyp_x86_gmem_linear(struct hv_gmem *gm, struct hv_hyp_vcpu *v)
{
	/* Outside long mode a linear address has 32 bits: a wider pointer
	 * faults rather than wrapping. */
	bool long_mode = vcpu_arch(v)->cpu.vmcb->save.efer & HV_X86_EFER_LMA;

	hv_gmem_init(gm, translate_linear, v, long_mode ? 64 : 32);
}
