/* The pCPU at EL2: vectors, per-CPU state, EL2's own faults. */
#include <hv/arm_boot.h>
#include <hv/arm_cpu.h>

#include "sysreg.h"
#include "vcpu_layout.h"

HV_STATIC_ASSERT(offsetof(struct hv_arm_cpu, running) == CPU_RUNNING,
		 "vectors.S reads cpu->running");
HV_STATIC_ASSERT(sizeof(struct hv_arm_hyp_fault) <= FAULT_FRAME_SIZE,
		 "vectors.S builds the fault frame");
HV_STATIC_ASSERT(offsetof(struct hv_arm_hyp_fault, vector) == FAULT_VECTOR,
		 "vectors.S stores the vector index");

extern const char hv_arm_vectors[];

/* Entered from vectors.S (hyp_fault) with the frame on the stack. */
HV_NORETURN void hv_arm_hyp_fault(const struct hv_arm_hyp_fault *fault);

void hv_arm_cpu_init(struct hv_arm_cpu *cpu, hv_arm_fault_fn fault,
		     void *opaque)
{
	cpu->running = NULL;
	cpu->fault = fault;
	cpu->opaque = opaque;
	hv_write_sysreg(tpidr_el2, (uintptr_t)cpu);
	hv_write_sysreg(vbar_el2, (uintptr_t)hv_arm_vectors);
	hv_isb();
}

struct hv_arm_cpu *hv_arm_cpu_this(void)
{
	return (struct hv_arm_cpu *)hv_read_sysreg(tpidr_el2);
}

void hv_arm_hyp_fault(const struct hv_arm_hyp_fault *fault)
{
	const struct hv_arm_cpu *cpu =
	    (const struct hv_arm_cpu *)hv_read_sysreg(tpidr_el2);

	if (cpu && cpu->fault)
		cpu->fault(cpu->opaque, fault);
	hv_arm_semihost_exit(2);
}
