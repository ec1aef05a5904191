/*
 * What the machine is, from the device tree the boot loader passed
 * (libhv-arm's reader): RAM and what firmware keeps of it, the UART, the
 * GIC, the CPUs, and where the domain bundle was loaded (the initrd).
 */
#include "hyp.h"

#include <hv/arm_platform.h>

#include <libfdt.h>

static uint64_t boot_mpidr(void)
{
	uint64_t v;

	__asm__ __volatile__("mrs %0, mpidr_el1" : "=r"(v));
	return v & HV_ARM_MPIDR_AFFINITY;
}

/* The console first, so that what is wrong with the rest can be said. */
void hyp_platform_probe(struct hyp *h, const void *fdt)
{
	struct hv_arm_platform p;
	char why[80];
	int err = hv_arm_platform_read(fdt, boot_mpidr(), &p, why, sizeof(why));

	if (!p.uart)
		hv_arm_semihost_exit(2);
	hv_pl011_init(&h->arch.uart, p.uart);
	h->arch.arm.console = &h->arch.uart;
	h->arch.arm.console_intid = p.uart_intid;
	hv_log_init(&h->log, hv_pl011_log_sink, &h->arch.uart,
		    h->config->log_level);
	hv_log_info(&h->log, "%s at %p, device tree at %#llx", h->config->name,
		    (void *)hyp_main, (unsigned long long)(uintptr_t)fdt);
	if (err)
		hyp_panic(h, "%s", why);
	if (!p.initrd.size)
		hyp_panic(h, "no domain bundle: boot with -initrd BUNDLE "
			     "(hvkit run does)");
	for (unsigned int i = 0; i < p.nr_ram; i++)
		h->plat.ram[i] = p.ram[i];
	h->plat.nr_ram = p.nr_ram;
	for (unsigned int i = 0; i < p.nr_reserved; i++)
		hyp_reserve(h, p.reserved[i].base, p.reserved[i].size);
	h->plat.bundle = p.initrd;
	hv_strlcpy(h->plat.cmdline, p.cmdline, sizeof(h->plat.cmdline));
	hyp_reserve(h, p.initrd.base, p.initrd.size);
	hyp_reserve(h, (uintptr_t)fdt, fdt_totalsize(fdt));
	/* QEMU's virt machine enters the image with no firmware before it,
	 * on fresh (zero) RAM; what QEMU and the image wrote is reserved. */
	h->plat.ram_zeroed =
	    fdt_node_check_compatible(fdt, 0, "linux,dummy-virt") == 0;
	h->arch.arm.gicd = p.gicd;
	h->arch.arm.gicr = p.gicr;
	if (p.cpus_listed > p.nr_cpus)
		hv_log_warn(&h->log,
			    "the device tree lists %u CPUs; this image runs "
			    "at most %u",
			    p.cpus_listed, p.nr_cpus);
	h->nr_pcpus = p.nr_cpus;
	for (unsigned int i = 0; i < p.nr_cpus; i++) {
		h->arch.pcpus[i].id = i;
		h->arch.pcpus[i].mpidr = p.cpus[i];
		h->pcpus[i].arch = &h->arch.pcpus[i];
	}
}
