/*
 * Each pCPU's own EL2 state (its timer registers, its GIC redistributor
 * and CPU interface, stage-2 translation), and the start of every pCPU
 * but the boot one: PSCI CPU_ON, then on the new CPU its vectors and
 * TPIDR_EL2, its own stack and the boot CPU's identity map, and a wait in
 * hyp_core_secondary() for the domains.
 */
#include "hyp.h"

#include <hv/arm_guest_mem.h>
#include <hv/arm_stage2.h>

static uint8_t stacks[HYP_MAX_PCPUS - 1][HYP_STACK_SIZE]
    __attribute__((aligned(16)));
static uint32_t pcpus_up; /* pCPUs other than 0 ready to run */

/* Interrupts private to each pCPU that it takes: its tick, a guest's
 * virtual timer, and kicks from the others. */
static const unsigned int private_irqs[] = {
    HV_ARM_PPI_HYP_TIMER, HV_ARM_PPI_VIRT_TIMER, HYP_SGI_KICK};

void hyp_pcpu_init(struct hyp *h, unsigned int id)
{
	struct hyp_pcpu_arch *pa = &h->arch.pcpus[id];
	struct hv_arm_timer own; /* the frequency is the boot CPU's to keep */
	int err;

	hv_arm_timer_init(id == 0 ? &h->arch.timer : &own);
	err = id == 0
		  ? hv_arm_gic_init(&pa->gic, h->arch.gicd, h->arch.gicr,
				    private_irqs, HV_ARRAY_SIZE(private_irqs))
		  : hv_arm_gic_cpu_init(&pa->gic, h->arch.gicd, h->arch.gicr,
					private_irqs,
					HV_ARRAY_SIZE(private_irqs));
	if (err)
		hyp_panic(
		    h, "pCPU %u: no GIC redistributor of its own wakes up", id);
	if (hv_arm_stage2_enable(&hv_arm_stage2_ipa40) != 0)
		hyp_panic(h, "pCPU %u: cannot configure stage-2 translation",
			  id);
}

static struct hyp *hyp_of_pcpu(struct hyp_pcpu_arch *pa)
{
	return hv_container_of(pa - pa->id, struct hyp, arch.pcpus[0]);
}

/* On the new CPU, MMU on (hv_arm_secondary_start). */
static void secondary_main(void *arg)
{
	struct hyp_pcpu_arch *pa = arg;
	struct hyp *h = hyp_of_pcpu(pa);

	hv_arm_cpu_init(&pa->cpu, hyp_el2_fault, h);
	hyp_pcpu_init(h, pa->id);
	hv_atomic_fetch_add_u32(&pcpus_up, 1);
	hyp_core_secondary(h, pa->id);
}

void hyp_pcpus_start(struct hyp *h)
{
	for (unsigned int i = 0; i < h->nr_pcpus; i++) {
		h->arch.pcpus[i].id = i;
		h->pcpus[i].arch = &h->arch.pcpus[i];
	}
	for (unsigned int i = 1; i < h->nr_pcpus; i++) {
		struct hyp_pcpu_arch *pa = &h->arch.pcpus[i];
		int64_t err;

		pa->start = (struct hv_arm_secondary){
		    .stack_top = (uintptr_t)stacks[i - 1] + HYP_STACK_SIZE,
		    .l1 = h->arch.el2_l1,
		    .main = secondary_main,
		    .arg = pa,
		};
		err = hv_arm_cpu_start(pa->mpidr, &pa->start);
		if (err)
			hyp_panic(h, "cannot start CPU %#llx: PSCI error %lld",
				  (unsigned long long)pa->mpidr,
				  (long long)err);
	}
	/* A kick reaches only a pCPU whose redistributor is awake. */
	while (hv_atomic_load_u32(&pcpus_up) != h->nr_pcpus - 1)
		hv_cpu_relax();
	hv_log_info(&h->log, "%u pCPU%s", h->nr_pcpus,
		    h->nr_pcpus == 1 ? "" : "s");
}
