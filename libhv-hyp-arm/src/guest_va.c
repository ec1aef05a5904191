/*
 * The guest-memory accessor for hypercall arguments, which on Arm are
 * guest-virtual addresses: translated by the MMU itself (AT S12E1R/W)
 * through the loaded vCPU's stage 1 and its domain's stage 2, so a guest
 * can only ever name its own memory.
 */
#include "priv.h"

#include <hv/arm_guest_mem.h>

static int translate_va(void *ctx, hv_gfn_t frame, unsigned int access,
			void **page)
{
	hv_paddr_t pa;
	int err;

	(void)ctx;
	err = hv_arm_guest_va_to_pa(hv_gfn_x(frame) << HV_PAGE_SHIFT,
				    access & HV_GMEM_WRITE, &pa);
	if (!err)
		*page = (void *)(uintptr_t)pa; /* EL2's identity map */
	return err;
}

void hyp_arm_gmem_guest_va(struct hv_gmem *gm, struct hv_hyp_vcpu *v)
{
	hv_gmem_init(gm, translate_va, v, 64);
}
