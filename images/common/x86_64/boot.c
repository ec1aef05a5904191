/*
 * From the PVH entry to the run loop: descriptor tables and traps, the
 * console, the machine from hvm_start_info, memory, the timer, the CPUs,
 * the core with libhv-hyp-x86 as its adapter, the boot CPU's SVM, the
 * other pCPUs, the domains from the bundle.  Failures before the console
 * exists leave QEMU with status 2 silently; after, they print
 * "(hvkit) error: PANIC: ..." (hyp_panic).  And two hooks: leaving QEMU (the
 * debug-exit port) and the boot's start time.
 */
#include "hyp.h"

#include <hv/x86_boot.h>
#include <hv/x86_exit.h>

static struct hyp the_hyp;

void hyp_arch_exit(unsigned int status)
{
	hv_x86_debug_exit((uint8_t)status);
}

bool hyp_arch_trace_open(struct hyp *h, const char *file)
{
	(void)h;
	(void)file; /* QEMU's chardev writes it */
	return hv_x86_debugcon_present(HV_X86_TRACE_PORT);
}

void hyp_arch_trace_write(struct hyp *h, const void *buf, size_t len)
{
	(void)h;
	hv_x86_debugcon_write(HV_X86_TRACE_PORT, buf, len);
}

hv_time_t hyp_arch_boot_time(struct hyp *h)
{
	return hv_x86_ticks_to_ns(hv_x86_boot_tsc, h->arch.x86.timer.tsc_hz);
}

static void hyp_fault(void *opaque, const struct hv_x86_trap_frame *f,
		      uint64_t cr2)
{
	struct hv_hyp_x86_pcpu *pc = opaque;

	hyp_panic(hyp_of_pcpu(pc),
		  "exception %s in the hypervisor on pCPU %u at rip %#llx "
		  "(error %#llx, cr2 %#llx, rsp %#llx)",
		  hv_x86_exception_name((unsigned int)f->vector), pc->id,
		  (unsigned long long)f->rip, (unsigned long long)f->error_code,
		  (unsigned long long)cr2, (unsigned long long)f->rsp);
}

/* Interrupts are the adapter's: the pCPU's tick and kicks. */
void hyp_cpu_init(struct hv_hyp_x86_pcpu *pc)
{
	hv_x86_cpu_init(&pc->cpu, hyp_fault, hv_hyp_x86_irq, pc);
}

void hyp_main(const struct hyp_config *config, hv_paddr_t start_info)
{
	struct hyp *h = &the_hyp;
	int err;

	h->config = config;
	hyp_cpu_init(&h->arch.pcpus[0]);
	hv_x86_uart_init(&h->arch.uart, HV_X86_COM1);
	h->arch.x86.console = &h->arch.uart;
	hv_log_init(&h->log, hv_x86_uart_log_sink, &h->arch.uart,
		    config->log_level);
	hv_log_info(&h->log, "%s at %p, start info at %#llx", config->name,
		    (void *)hyp_main, (unsigned long long)start_info);
	hyp_platform_probe(h, start_info);
	hyp_heap_init(h);
	err = hv_x86_timer_init(&h->arch.x86.timer, HV_X86_LAPIC_HZ_QEMU,
				HV_HYP_X86_TIMER_VECTOR);
	if (err)
		hyp_panic(h, "no usable local APIC timer");
	hv_log_info(&h->log, "TSC at %llu kHz",
		    (unsigned long long)(h->arch.x86.timer.tsc_hz / 1000));
	hyp_pcpus_find(h);
	h->arch_ops = &hv_hyp_x86_ops;
	h->arch_ctx = &h->arch.x86;
	hyp_core_init(h, hv_hyp_x86_p2m_max_order());
	if (hv_hyp_x86_init(&h->core))
		hyp_panic(h, "no memory for the SVM state");
	hyp_pcpu_init(h, &h->arch.pcpus[0]);
	hv_log_info(&h->log, "SVM with nested paging, %u ASIDs%s",
		    h->arch.pcpus[0].svm.nr_asids,
		    h->arch.pcpus[0].svm.npt_1g ? ", 1 GiB nested pages" : "");
	hyp_pcpus_start(h);
	hyp_core_run(h);
}
