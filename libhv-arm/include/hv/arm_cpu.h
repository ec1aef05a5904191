/*
 * hv/arm_cpu.h - the physical CPU at EL2: exception vectors and the
 * per-CPU state they find through TPIDR_EL2.
 */
#ifndef HV_ARM_CPU_H
#define HV_ARM_CPU_H

#include <hv/arm_vcpu.h>

HV_BEGIN_DECLS

/* What an exception taken at EL2 itself (a hypervisor bug) looked like. */
struct hv_arm_hyp_fault {
	uint64_t x[31];
	uint64_t sp, elr, spsr, esr, far;
	unsigned int vector; /* offset in the vector table / 0x80 */
};

/* Where such an exception is reported (it must not return to it). */
typedef void (*hv_arm_fault_fn)(void *opaque,
				const struct hv_arm_hyp_fault *fault);

/* The first field is read by the exception vectors (vectors.S). */
struct hv_arm_cpu {
	struct hv_arm_vcpu *running; /* the vCPU entered last, or NULL */
	hv_arm_fault_fn fault;	     /* EL2's own exceptions go here */
	void *opaque;
};

/*
 * Install libhv-arm's EL2 exception vectors and make `cpu` this pCPU's
 * state (TPIDR_EL2).  `fault` is called for an exception taken at EL2
 * (not for guest exits) and must not return; if it does, or is NULL, the
 * CPU leaves QEMU through semihosting with status 2.
 */
void hv_arm_cpu_init(struct hv_arm_cpu *cpu, hv_arm_fault_fn fault,
		     void *opaque);

/* This pCPU's state: what hv_arm_cpu_init() made it. */
struct hv_arm_cpu *hv_arm_cpu_this(void);

HV_END_DECLS

#endif /* HV_ARM_CPU_H */
