/* Which vector carries a vCPU's event upcall (xen/arch/x86/hvm/irq.c's
 * choice between the per-vCPU vector and HVM_PARAM_CALLBACK_IRQ). */
#include <hv/x86_xen.h>

/* HVM_PARAM_CALLBACK_TYPE_VECTOR: <xen/hvm/params.h> declares it for x86
 * builds only, and this file builds everywhere. */
#define CALLBACK_TYPE_VECTOR 2u
#define CALLBACK_TYPE_SHIFT  56

uint8_t hv_x86_xen_upcall_vector(uint8_t vcpu_vector, uint64_t callback_irq)
{
	if (vcpu_vector)
		return vcpu_vector;
	if (callback_irq >> CALLBACK_TYPE_SHIFT == CALLBACK_TYPE_VECTOR)
		return (uint8_t)callback_irq;
	return 0;
}
