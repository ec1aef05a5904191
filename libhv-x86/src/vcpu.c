/* A vCPU's starting state (portable, unit-tested). */
#include <hv/string.h>
#include <hv/x86_svm.h>

/* FXSAVE image offsets and a reset CPU's values (AMD APM vol. 2, 11.4.4
 * "Saving Media and x87 State"). */
#define FX_FCW	    0
#define FX_MXCSR    24
#define FCW_RESET   0x037fu
#define MXCSR_RESET 0x1f80u

void hv_x86_vcpu_init(struct hv_x86_vcpu *v, struct hv_x86_vmcb *vmcb,
		      hv_paddr_t vmcb_pa)
{
	uint16_t fcw = FCW_RESET;
	uint32_t mxcsr = MXCSR_RESET;

	memset(v, 0, sizeof(*v));
	v->vmcb = vmcb;
	v->vmcb_pa = vmcb_pa;
	memcpy(&v->fxsave[FX_FCW], &fcw, sizeof(fcw));
	memcpy(&v->fxsave[FX_MXCSR], &mxcsr, sizeof(mxcsr));
}
