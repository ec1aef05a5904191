/*
 * Each pCPU: its adapter state (libhv-hyp-arm: timer, GIC, stage 2), and
 * the start of every pCPU but the boot one: PSCI CPU_ON, then on the new
 * CPU its vectors and TPIDR_EL2, its own stack and the boot CPU's identity
 * map, and the core's loop, which waits for the domains (hv_hyp_start).
 */
#include "hyp.h"

static uint8_t stacks[HYP_MAX_PCPUS - 1][HYP_STACK_SIZE] HYP_NOINIT
    __attribute__((aligned(16)));
static uint32_t pcpus_up; /* pCPUs other than 0 ready to run */

void hyp_pcpu_init(struct hyp *h, unsigned int id)
{
	int err = hv_hyp_arm_pcpu_init(&h->arch.arm, &h->arch.pcpus[id]);

	if (err)
		hyp_panic(h, "pCPU %u: %s", id,
			  err == -HV_ENODEV
			      ? "no GIC redistributor of its own wakes up"
			      : "cannot configure stage-2 translation");
}

static struct hyp *hyp_of_pcpu(struct hv_hyp_arm_pcpu *pa)
{
	return hv_container_of(pa - pa->id, struct hyp, arch.pcpus[0]);
}

/* On the new CPU, MMU on (hv_arm_secondary_start). */
static void secondary_main(void *arg)
{
	struct hv_hyp_arm_pcpu *pa = arg;
	struct hyp *h = hyp_of_pcpu(pa);

	hv_arm_cpu_init(&pa->cpu, hyp_el2_fault, h);
	hyp_pcpu_init(h, pa->id);
	hv_atomic_fetch_add_u32(&pcpus_up, 1);
	hv_hyp_run(&h->core, pa->id);
}

void hyp_pcpus_start(struct hyp *h)
{
	for (unsigned int i = 1; i < h->nr_pcpus; i++) {
		struct hv_hyp_arm_pcpu *pa = &h->arch.pcpus[i];
		int64_t err;

		h->arch.start[i] = (struct hv_arm_secondary){
		    .stack_top = (uintptr_t)stacks[i - 1] + HYP_STACK_SIZE,
		    .l1 = h->arch.el2_l1,
		    .main = secondary_main,
		    .arg = pa,
		};
		err = hv_arm_cpu_start(pa->mpidr, &h->arch.start[i]);
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
