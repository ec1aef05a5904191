/*
 * Each pCPU's own EL2 state for the adapter: its timer, its GIC redistributor
 * and CPU interface, and stage-2 translation.
 */
#include "priv.h"

#include <hv/arm_guest_mem.h>
#include <hv/arm_stage2.h>

/* Interrupts private to each pCPU that it takes: its tick, a guest's
 * virtual timer, the timer behind a guest's emulated physical one, the
 * virtual CPU interface's maintenance interrupt, and kicks from the
 * others. */
static const unsigned int private_irqs[] = {
    HV_ARM_PPI_HYP_TIMER, HV_ARM_PPI_VIRT_TIMER, HV_ARM_PPI_PHYS_TIMER,
    HV_ARM_PPI_MAINTENANCE, HV_HYP_ARM_SGI_KICK};

int hv_hyp_arm_pcpu_init(struct hv_hyp_arm *a, struct hv_hyp_arm_pcpu *pc)
{
	struct hv_arm_timer own; /* the frequency is pCPU 0's to keep */
	int err;

	hv_arm_timer_init(pc->id == 0 ? &a->timer : &own);
	if (pc->id == 0)
		err = hv_arm_gic_init(&pc->gic, a->gicd, a->gicr, private_irqs,
				      HV_ARRAY_SIZE(private_irqs));
	else
		err = hv_arm_gic_cpu_init(&pc->gic, a->gicd, a->gicr,
					  private_irqs,
					  HV_ARRAY_SIZE(private_irqs));
	if (err)
		return err;
	if (pc->id == 0 && a->console_intid) {
		hv_arm_gic_spi_enable(&pc->gic, a->console_intid, pc->mpidr);
		hv_pl011_rx_enable(a->console);
	}
	if (hv_arm_stage2_enable(&hv_arm_stage2_ipa40) != 0)
		return -HV_EINVAL;
	return 0;
}

struct hv_hyp_arm_pcpu *hv_hyp_arm_pcpu_this(void)
{
	return hv_container_of(hv_arm_cpu_this(), struct hv_hyp_arm_pcpu, cpu);
}
