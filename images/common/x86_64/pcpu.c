/*
 * The pCPUs: the boot CPU and every other CPU ACPI's MADT lists (through
 * hvm_start_info's rsdp_paddr, which QEMU gives on microvm and pc), at
 * most HYP_MAX_PCPUS; without a MADT the boot CPU runs alone.  The others
 * start through the AP trampoline (INIT-SIPI-SIPI, libhv-x86's
 * hv/x86_smp.h), one at a time, each on its own stack; on the new CPU
 * its own descriptor tables and GS base, its local APIC, its SVM
 * (libhv-hyp-x86), then the core's loop, which waits for the domains.
 */
#include "hyp.h"

#include <hv/x86_boot.h>
#include <hv/x86_lapic.h>
#include <hv/x86_madt.h>
#include <hv/x86_smp.h>

static uint8_t stacks[HYP_MAX_PCPUS - 1][HYP_STACK_SIZE] HYP_NOINIT
    __attribute__((aligned(16)));
static uint32_t pcpus_up; /* pCPUs other than 0 ready to run */

/* pCPU 0 is the boot CPU; the others in the MADT's order. */
static void find_cpus(struct hyp *h)
{
	uint32_t ids[HYP_MAX_PCPUS];
	int n = hv_x86_acpi_cpus_boot_first(
	    h->arch.rsdp, hv_x86_boot_map, NULL,
	    hv_x86_lapic_id(h->arch.x86.timer.lapic), ids, HYP_MAX_PCPUS,
	    &h->nr_pcpus);

	if (n < 0)
		hv_log_warn(&h->log,
			    "no CPUs from ACPI's MADT (%s): only the boot CPU "
			    "runs",
			    hv_core_strerror(n));
	else if ((unsigned int)n > h->nr_pcpus)
		hv_log_warn(&h->log, "%d CPUs; this image runs %u", n,
			    h->nr_pcpus);
	for (unsigned int i = 0; i < h->nr_pcpus; i++)
		h->arch.pcpus[i].apic_id = ids[i];
}

void hyp_pcpu_init(struct hyp *h, struct hv_hyp_x86_pcpu *pc)
{
	if (hv_hyp_x86_pcpu_init(pc))
		hyp_panic(h,
			  "pCPU %u has no SVM with nested paging "
			  "(QEMU: -cpu qemu64,+svm,+npt)",
			  pc->id);
}

/* On the new CPU, in long mode on the boot CPU's page tables. */
static void secondary_main(void *arg)
{
	struct hv_hyp_x86_pcpu *pc = arg;
	struct hyp *h = hyp_of_pcpu(pc);

	hyp_cpu_init(pc);
	if (hv_x86_timer_init_secondary(&h->arch.x86.timer))
		hyp_panic(h, "pCPU %u: no local APIC like the boot CPU's",
			  pc->id);
	hyp_pcpu_init(h, pc);
	hv_atomic_fetch_add_u32(&pcpus_up, 1);
	hv_hyp_run(&h->core, pc->id);
}

static void start(struct hyp *h, struct hv_hyp_x86_pcpu *pc)
{
	const struct hv_x86_ap ap = {
	    .apic_id = pc->apic_id,
	    .stack_top = (uintptr_t)stacks[pc->id - 1] + HYP_STACK_SIZE,
	    .main = secondary_main,
	    .arg = pc,
	};

	if (hv_x86_ap_start(&h->arch.x86.timer, h->arch.trampoline, &ap))
		hyp_panic(h, "the CPU with APIC ID %u did not start",
			  pc->apic_id);
}

void hyp_pcpus_find(struct hyp *h)
{
	find_cpus(h);
	if (h->nr_pcpus > 1 &&
	    hv_x86_ap_trampoline_install(h->arch.trampoline)) {
		hv_log_warn(&h->log, "no page below 1 MiB for the AP "
				     "trampoline: only the boot CPU runs");
		h->nr_pcpus = 1;
	}
	for (unsigned int i = 0; i < h->nr_pcpus; i++) {
		h->arch.pcpus[i].id = i;
		h->pcpus[i].arch = &h->arch.pcpus[i];
	}
}

void hyp_pcpus_start(struct hyp *h)
{
	for (unsigned int i = 1; i < h->nr_pcpus; i++)
		start(h, &h->arch.pcpus[i]);
	/* A kick reaches only a pCPU whose APIC is set up. */
	while (hv_atomic_load_u32(&pcpus_up) != h->nr_pcpus - 1)
		hv_cpu_relax();
	hv_log_info(&h->log, "%u pCPU%s", h->nr_pcpus,
		    h->nr_pcpus == 1 ? "" : "s");
}
