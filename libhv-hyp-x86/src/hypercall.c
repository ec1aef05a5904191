/*
 * VMMCALL: a Xen hypercall, through the hypercall page or direct.  The
 * guest's mode picks the register convention and how pointers read
 * (guest-linear, through its page tables when paging is on); a 32-bit
 * guest's structures are translated where their layout differs (libhv-xen's
 * hv_xen_compat_hypercall) through a page the guest cannot name, one per
 * pCPU (hv_hyp_x86_init): exits are handled under the core's one lock
 * today, but a page shared by pCPUs would be wrong the day they are not.
 * As Xen: from CPL > 0 or virtual-8086 mode, -EPERM.
 */
#include "priv.h"

#include <hv/x86_xen.h>

#include <xen/memory.h>

#define VMMCALL_LEN 3
/* memory_op's sub-op; the bits above are a continuation's progress. */
#define MEMOP_CMD_MASK 0x3f

/*
 * The memory map is the adapter's (start_info.c), so XENMEM_memory_map is
 * answered here; a 32-bit guest's xen_memory_map lays out differently and
 * is refused by the compat layer before it gets here, as every memory_op
 * it does not translate.
 */
static long hypercall(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
		      uint64_t nr, const uint64_t args[5])
{
	if (nr == __HYPERVISOR_memory_op &&
	    (args[0] & MEMOP_CMD_MASK) == XENMEM_memory_map)
		return hv_hyp_x86_memory_map(gm, v->dom->ram_size, args[1]);
	return hv_hyp_hypercall(v, gm, nr, args);
}

static long dispatch(void *ctx, const struct hv_gmem *gm, uint64_t nr,
		     const uint64_t args[5])
{
	return hv_hyp_hypercall(ctx, gm, nr, args);
}

void hyp_x86_exit_vmmcall(struct hv_hyp_x86_pcpu *pc, struct hv_hyp_vcpu *v)
{
	struct hv_x86_vmcb *vmcb = vcpu_arch(v)->cpu.vmcb;
	enum hv_x86_mode mode = hv_x86_vmcb_mode(vmcb);
	uint64_t nr, args[5];
	struct hv_gmem gm;
	long ret;

	hv_x86_vmcb_skip(vmcb, VMMCALL_LEN);
	if (mode == HV_X86_MODE_VM86 || hv_x86_vmcb_cpl(vmcb) > 0) {
		vcpu_arch(v)->cpu.gpr[HV_X86_RAX] = (uint64_t)(long)-HV_EPERM;
		return;
	}
	hv_x86_xen_hypercall_args(vcpu_arch(v)->cpu.gpr,
				  mode == HV_X86_MODE_LONG64, &nr, args);
	hyp_x86_gmem_linear(&gm, v);
	if (mode == HV_X86_MODE_LONG64)
		ret = hypercall(v, &gm, nr, args);
	else
		ret = hv_xen_compat_hypercall(&gm, pc->bounce, nr, args,
					      dispatch, v);
	vcpu_arch(v)->cpu.gpr[HV_X86_RAX] = (uint64_t)ret;
}
