/*
 * From the entry to the run loop: an early map so libfdt can read the
 * device tree, the console, the machine, memory, the timer and GIC, the
 * domains from the bundle.  Failures before the console exists leave QEMU
 * with status 2 silently; after, they print "(hvkit) PANIC: ...".
 */
#include "hyp.h"

#include <hv/arm_boot.h>
#include <hv/arm_guest_mem.h>
#include <hv/arm_stage2.h>

#include <libfdt.h>

#define GIB (1ull << 30)

static struct hyp the_hyp;
static uint64_t early_l1[512] __attribute__((aligned(4096)));

void hyp_panic(struct hyp *h, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if (h->uart.regs) {
		va_start(ap, fmt);
		hv_vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		hv_log_err(&h->log, "PANIC: %s", msg);
	}
	hv_arm_semihost_exit(2);
}

void hyp_finish(struct hyp *h)
{
	bool all_poweroff = true;

	for (unsigned int i = 0; i < h->nr_domains; i++)
		all_poweroff &= h->domains[i].xen.shutdown_reason == 0;
	hv_log_info(&h->log, "all domains finished");
	hv_arm_semihost_exit(all_poweroff ? 0 : 1);
}

static void el2_fault(void *opaque, const struct hv_arm_hyp_fault *f)
{
	hyp_panic(opaque,
		  "exception at EL2: vector %u, ESR %#llx, ELR %#llx, FAR "
		  "%#llx",
		  f->vector, (unsigned long long)f->esr,
		  (unsigned long long)f->elr, (unsigned long long)f->far);
}

/* Until the device tree is read, map as RAM just the gigabytes that hold
 * the image and the device tree (both are certainly in RAM). */
static void early_mmu(uint64_t dtb)
{
	struct hv_arm_mem_range known[2] = {
		{HV_ALIGN_DOWN((uintptr_t)hyp_main, GIB), GIB},
		{HV_ALIGN_DOWN(dtb, GIB), GIB},
	};

	if (hv_arm_mmu_enable_identity(early_l1, known, 2) != 0)
		hv_arm_semihost_exit(2);
}

static void console_init(struct hyp *h, const void *fdt)
{
	int node;
	const fdt32_t *reg;
	int len;

	if (fdt_check_header(fdt) != 0)
		hv_arm_semihost_exit(2);
	node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011");
	reg = node < 0 ? NULL : fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < 8)
		hv_arm_semihost_exit(2);
	hv_pl011_init(&h->uart, (uintptr_t)fdt32_to_cpu(reg[0]) << 32 |
					fdt32_to_cpu(reg[1]));
	hv_log_init(&h->log, hv_pl011_log_sink, &h->uart,
		    h->config->log_level);
}

void hyp_domains_build(struct hyp *h)
{
	const void *bundle = (const void *)(uintptr_t)h->plat.bundle;
	struct hv_boot_error err;
	struct hv_boot_domain cfg;
	int n = hv_boot_bundle_open(bundle, h->plat.bundle_size, "aarch64",
				    &err);

	if (n < 0)
		hyp_panic(h, "%s", err.msg);
	if (n > HYP_MAX_DOMAINS)
		hyp_panic(h, "%d domains; this image runs at most %d", n,
			  HYP_MAX_DOMAINS);
	if (hv_arm_stage2_enable(&hv_arm_stage2_ipa40) != 0)
		hyp_panic(h, "cannot configure stage-2 translation");
	for (int i = 0; i < n; i++) {
		struct domain *d = &h->domains[i];
		int e;

		if (hv_boot_bundle_domain(bundle, (unsigned int)i, &cfg, &err))
			hyp_panic(h, "%s", err.msg);
		e = hyp_domain_build(h, d, &cfg, (hv_domid_t)i);
		if (e)
			hyp_panic(h, "cannot build domain %s: %s", cfg.name,
				  hv_core_strerror(e));
		hv_log_info(&h->log, "domain %s: %llu MiB at %#llx, entry %#llx",
			    cfg.name, (unsigned long long)(cfg.memory >> 20),
			    (unsigned long long)cfg.ram_base,
			    (unsigned long long)cfg.entry);
		h->nr_domains++;
		h->live_domains++;
	}
}

void hyp_main(const struct hyp_config *config, uint64_t dtb)
{
	static const unsigned int ppis[] = {HV_ARM_PPI_HYP_TIMER,
					    HV_ARM_PPI_VIRT_TIMER};
	struct hyp *h = &the_hyp;
	const void *fdt = (const void *)(uintptr_t)dtb;

	h->config = config;
	early_mmu(dtb);
	hv_arm_cpu_init(&h->cpu, el2_fault, h);
	console_init(h, fdt);
	hv_log_info(&h->log, "%s at %p, device tree at %#llx", config->name,
		    (void *)hyp_main, (unsigned long long)dtb);
	for (const struct hyp_extension *const *e = config->extensions; e && *e;
	     e++)
		hv_log_info(&h->log, "with %s", (*e)->name);
	hyp_platform_probe(h, fdt);
	hyp_memory_init(h, fdt);
	hv_arm_timer_init(&h->timer);
	if (hv_arm_gic_init(&h->gic, h->plat.gicd, h->plat.gicr, ppis,
			    HV_ARRAY_SIZE(ppis)))
		hyp_panic(h, "the GIC redistributor does not wake up");
	hyp_domains_build(h);
	hyp_run(h);
}
