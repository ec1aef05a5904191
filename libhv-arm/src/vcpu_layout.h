/*
 * Offsets into struct hv_arm_vcpu and struct hv_arm_cpu for the assembly;
 * vcpu.c checks each against offsetof at compile time.
 */
#ifndef HV_ARM_VCPU_LAYOUT_H
#define HV_ARM_VCPU_LAYOUT_H

#define VCPU_X0	     0
#define VCPU_PC	     (31 * 8)
#define VCPU_PSTATE  (32 * 8)
#define VCPU_HOST    (33 * 8) /* x19..x30, then sp */
#define VCPU_HOST_SP (VCPU_HOST + 12 * 8)
#define VCPU_EXIT    (VCPU_HOST + 13 * 8) /* kind, esr, far, hpfar */

#define CPU_RUNNING 0

/* x0-x30, sp, elr, spsr, esr, far, vector; a multiple of 16 */
#define FAULT_FRAME_SIZE (38 * 8)
#define FAULT_VECTOR	 (36 * 8)

#endif
