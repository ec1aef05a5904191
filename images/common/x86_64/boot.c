/*
 * From the PVH entry to the run loop: descriptor tables and traps, the
 * console, the machine from hvm_start_info, memory, the timer, SVM, the
 * domains from the bundle.  Failures before the console exists leave QEMU
 * with status 2 silently; after, they print "(hvkit) PANIC: ...".
 */
#include "hyp.h"

#include <hv/x86_boot.h>
#include <hv/x86_exit.h>

static struct hyp the_hyp;

void hyp_panic(struct hyp *h, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if (h->uart.port) {
		va_start(ap, fmt);
		hv_vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		hv_log_err(&h->log, "PANIC: %s", msg);
	}
	hv_x86_debug_exit(2);
}

void hyp_finish(struct hyp *h)
{
	bool all_poweroff = true;

	for (unsigned int i = 0; i < h->nr_domains; i++)
		all_poweroff &= h->domains[i].xen.shutdown_reason == 0;
	hv_log_info(&h->log, "all domains finished");
	hv_x86_debug_exit(all_poweroff ? 0 : 1);
}

static void hyp_fault(void *opaque, const struct hv_x86_trap_frame *f,
		      uint64_t cr2)
{
	hyp_panic(opaque,
		  "exception %s in the hypervisor at rip %#llx (error %#llx, "
		  "cr2 %#llx, rsp %#llx)",
		  hv_x86_exception_name((unsigned int)f->vector),
		  (unsigned long long)f->rip, (unsigned long long)f->error_code,
		  (unsigned long long)cr2, (unsigned long long)f->rsp);
}

/* The only interrupt is the preemption tick; 0xff is the APIC's spurious
 * vector and 2 an NMI (exited on, then taken here), which take no EOI. */
static void hyp_irq(void *opaque, unsigned int vector)
{
	struct hyp *h = opaque;

	if (vector == 0xff || vector == 2)
		return;
	hv_x86_timer_eoi(&h->timer);
	if (vector == HYP_TIMER_VECTOR)
		h->resched = true;
}

void hyp_domains_build(struct hyp *h)
{
	const void *bundle = (const void *)(uintptr_t)h->plat.bundle;
	struct hv_boot_error err;
	struct hv_boot_domain cfg;
	int n =
	    hv_boot_bundle_open(bundle, h->plat.bundle_size, "x86_64", &err);

	if (n < 0)
		hyp_panic(h, "%s", err.msg);
	if (n > HYP_MAX_DOMAINS)
		hyp_panic(h, "%d domains; this image runs at most %d", n,
			  HYP_MAX_DOMAINS);
	for (int i = 0; i < n; i++) {
		struct domain *d = &h->domains[i];
		int e;

		if (hv_boot_bundle_domain(bundle, (unsigned int)i, &cfg, &err))
			hyp_panic(h, "%s", err.msg);
		e = hyp_domain_build(h, d, &cfg, (hv_domid_t)i);
		if (e)
			hyp_panic(h, "cannot build domain %s: %s", cfg.name,
				  hv_core_strerror(e));
		hv_log_info(&h->log, "domain %s: %llu MiB, entry %#llx%s",
			    cfg.name, (unsigned long long)(cfg.memory >> 20),
			    (unsigned long long)cfg.entry,
			    cfg.initdomain ? ", initial domain" : "");
		h->nr_domains++;
		h->live_domains++;
	}
}

void hyp_main(const struct hyp_config *config, hv_paddr_t start_info)
{
	struct hyp *h = &the_hyp;
	int err;

	h->config = config;
	hv_x86_cpu_init(&h->cpu, hyp_fault, hyp_irq, h);
	hv_x86_uart_init(&h->uart, HV_X86_COM1);
	hv_log_init(&h->log, hv_x86_uart_log_sink, &h->uart, config->log_level);
	hv_log_info(&h->log, "%s at %p, start info at %#llx", config->name,
		    (void *)hyp_main, (unsigned long long)start_info);
	for (const struct hyp_extension *const *e = config->extensions; e && *e;
	     e++)
		hv_log_info(&h->log, "with %s", (*e)->name);
	hyp_platform_probe(h, start_info);
	hyp_memory_init(h);
	err = hv_x86_timer_init(&h->timer, HV_X86_LAPIC_HZ_QEMU,
				HYP_TIMER_VECTOR);
	if (err)
		hyp_panic(h, "no usable local APIC timer");
	hv_log_info(&h->log, "TSC at %llu kHz",
		    (unsigned long long)(h->timer.tsc_hz / 1000));
	hyp_svm_init(h);
	hyp_domains_build(h);
	hyp_run(h);
}
