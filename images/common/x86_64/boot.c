/*
 * From the PVH entry to the run loop: descriptor tables and traps, the
 * console, the machine from hvm_start_info, memory, the timer, SVM, the
 * other pCPUs, the domains from the bundle.  Failures before the console exists
 * leave QEMU with status 2 silently; after, they print "(hvkit) PANIC: ..."
 * (hyp_panic).  And two hooks: leaving QEMU (the debug-exit port) and
 * console output (COM1).
 */
#include "hyp.h"

#include <hv/x86_boot.h>
#include <hv/x86_exit.h>

static struct hyp the_hyp;

void hyp_arch_exit(unsigned int status)
{
	hv_x86_debug_exit((uint8_t)status);
}

void hyp_arch_console_write(struct hv_hyp *core, const char *s, size_t len)
{
	hv_x86_uart_write(&hyp_of(core)->arch.uart, s, len);
}

void *hyp_phys_to_virt(struct hv_hyp *core, hv_paddr_t pa)
{
	(void)core;
	return (void *)(uintptr_t)pa;
}

hv_paddr_t hyp_virt_to_phys(struct hv_hyp *core, const void *p)
{
	(void)core;
	return (uintptr_t)p;
}

hv_time_t hyp_arch_boot_time(struct hyp *h)
{
	return hv_x86_ticks_to_ns(hv_x86_boot_tsc, h->arch.timer.tsc_hz);
}

static void hyp_fault(void *opaque, const struct hv_x86_trap_frame *f,
		      uint64_t cr2)
{
	struct hyp_pcpu_arch *pa = opaque;

	hyp_panic(hyp_of_pcpu(pa),
		  "exception %s in the hypervisor on pCPU %u at rip %#llx "
		  "(error %#llx, cr2 %#llx, rsp %#llx)",
		  hv_x86_exception_name((unsigned int)f->vector), pa->id,
		  (unsigned long long)f->rip, (unsigned long long)f->error_code,
		  (unsigned long long)cr2, (unsigned long long)f->rsp);
}

/* The interrupts are the pCPU's own preemption tick and kicks from the
 * others (which only wake the pCPU or make its guest exit); 0xff is the
 * APIC's spurious vector and 2 an NMI (exited on, then taken here), which
 * take no EOI. */
static void hyp_irq(void *opaque, unsigned int vector)
{
	struct hyp_pcpu_arch *pa = opaque;
	struct hyp *h = hyp_of_pcpu(pa);

	if (vector == 0xff || vector == 2)
		return;
	hv_x86_timer_eoi(&h->arch.timer);
	if (vector == HYP_TIMER_VECTOR)
		hv_hyp_tick(&h->pcpus[pa->id]);
}

void hyp_cpu_init(struct hyp_pcpu_arch *pa)
{
	hv_x86_cpu_init(&pa->cpu, hyp_fault, hyp_irq, pa);
}

void hyp_main(const struct hyp_config *config, hv_paddr_t start_info)
{
	struct hyp *h = &the_hyp;
	int err;

	h->config = config;
	hyp_cpu_init(&h->arch.pcpus[0]);
	hv_x86_uart_init(&h->arch.uart, HV_X86_COM1);
	hv_log_init(&h->log, hv_x86_uart_log_sink, &h->arch.uart,
		    config->log_level);
	hv_log_info(&h->log, "%s at %p, start info at %#llx", config->name,
		    (void *)hyp_main, (unsigned long long)start_info);
	hyp_platform_probe(h, start_info);
	hyp_heap_init(h);
	err = hv_x86_timer_init(&h->arch.timer, HV_X86_LAPIC_HZ_QEMU,
				HYP_TIMER_VECTOR);
	if (err)
		hyp_panic(h, "no usable local APIC timer");
	hv_log_info(&h->log, "TSC at %llu kHz",
		    (unsigned long long)(h->arch.timer.tsc_hz / 1000));
	hyp_svm_init(h);
	h->arch_ops = &hyp_arch_ops;
	h->arch_ctx = h;
	hyp_pcpus_find(h);
	hyp_core_init(h, h->arch.pcpus[0].svm.npt_1g ? HV_MM_P2M_ORDER_1G
						     : HV_MM_P2M_ORDER_2M);
	hyp_pcpus_start(h);
	hyp_core_run(h);
}
