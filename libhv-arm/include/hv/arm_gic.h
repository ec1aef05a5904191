/*
 * hv/arm_gic.h - the GICv3 pieces the hypervisor itself uses: its own
 * CPU interface (system registers), one redistributor, the distributor,
 * and the list registers through which virtual interrupts reach a guest.
 */
#ifndef HV_ARM_GIC_H
#define HV_ARM_GIC_H

#include <hv/arm_vcpu.h>

HV_BEGIN_DECLS

/* What an acknowledge returns with nothing pending. */
#define HV_ARM_INTID_SPURIOUS  1023
#define HV_ARM_PPI_HYP_TIMER   26 /* CNTHP: the hypervisor's tick */
#define HV_ARM_PPI_VIRT_TIMER  27 /* CNTV: a guest's virtual timer */
#define HV_ARM_PPI_PHYS_TIMER  30 /* CNTP: backs a guest's emulated one */
#define HV_ARM_PPI_MAINTENANCE 25 /* the virtual CPU interface's */

/* The GICv3 as one pCPU drives it. */
struct hv_arm_gic {
	uintptr_t gicd;	    /* distributor */
	uintptr_t gicr;	    /* this pCPU's redistributor (RD frame) */
	unsigned int nr_lr; /* list registers (ICH_VTR_EL2.ListRegs + 1) */
};

/*
 * Bring up the distributor (once, on the boot CPU), then this CPU's part
 * as hv_arm_gic_cpu_init() does.
 */
int hv_arm_gic_init(struct hv_arm_gic *gic, uintptr_t gicd, uintptr_t gicr,
		    const unsigned int *ppis, size_t nr_ppis);

/*
 * Bring up this CPU's redistributor (the one in the redistributor region
 * at `gicr` whose affinity is this CPU's MPIDR) and its system register
 * interface, with every interrupt group 1, and enable the given private
 * interrupts (SGIs and PPIs, INTID < 32).  EOImode is 1:
 * hv_arm_gic_ack() then hv_arm_gic_eoi() drops the priority, and
 * hv_arm_gic_deactivate() ends the interrupt, so that an interrupt
 * forwarded to a guest can be left for the guest to end.  Returns
 * -HV_ENODEV if no redistributor is this CPU's or it does not wake up.
 */
int hv_arm_gic_cpu_init(struct hv_arm_gic *gic, uintptr_t gicd, uintptr_t gicr,
			const unsigned int *ppis, size_t nr_ppis);

/* Take device interrupt `intid` (an SPI, >= 32, as its device-tree node
 * names it) on the CPU with affinity `mpidr`: group 1, the hypervisor's
 * priority, enabled. */
void hv_arm_gic_spi_enable(const struct hv_arm_gic *gic, unsigned int intid,
			   uint64_t mpidr);

/* Send SGI `intid` (< 16) to the CPU with affinity `mpidr`, after every
 * memory write made before it (ICC_SGI1R_EL1). */
void hv_arm_gic_send_sgi(uint64_t mpidr, unsigned int intid);

/* Acknowledge the highest-priority pending interrupt: its INTID, or
 * HV_ARM_INTID_SPURIOUS. */
unsigned int hv_arm_gic_ack(void);
void hv_arm_gic_eoi(unsigned int intid);
void hv_arm_gic_deactivate(unsigned int intid);

/* The loaded vCPU's list registers and ICH_HCR_EL2 only, between its
 * exits (the rest of its interface state stays loaded). */
void hv_arm_gic_lrs_read(const struct hv_arm_gic *gic,
			 struct hv_arm_vgic_regs *r);
void hv_arm_gic_lrs_write(const struct hv_arm_gic *gic,
			  const struct hv_arm_vgic_regs *r);

/* Switch the virtual CPU interface state with the vCPU (see
 * hv_arm_vcpu_load/put). */
void hv_arm_gic_vcpu_load(const struct hv_arm_gic *gic,
			  const struct hv_arm_vgic_regs *r);
void hv_arm_gic_vcpu_put(const struct hv_arm_gic *gic,
			 struct hv_arm_vgic_regs *r);

HV_END_DECLS

#endif /* HV_ARM_GIC_H */
