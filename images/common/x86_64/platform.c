/*
 * What the machine is, from the loader's hvm_start_info (libhv-x86's
 * reader): RAM, where the domain bundle was loaded (the first module),
 * the ACPI tables and a page below 1 MiB where the other CPUs start.  The
 * start info, its tables and the bundle are kept from the heap.
 */
#include "hyp.h"

#include <hv/x86_boot.h>
#include <hv/x86_pvh.h>

void hyp_platform_probe(struct hyp *h, hv_paddr_t start_info)
{
	struct hv_x86_pvh_platform p;
	char why[80];

	if (hv_x86_pvh_read(start_info, hv_x86_boot_map, NULL,
			    HV_X86_BOOT_MAP_LIMIT, &p, why, sizeof(why)))
		hyp_panic(h, "%s", why);
	if (p.ram_clipped)
		hv_log_warn(&h->log, "RAM above 4 GiB is not used");
	if (!p.module.size)
		hyp_panic(h, "no domain bundle: boot with -initrd BUNDLE "
			     "(hvkit run does)");
	for (unsigned int i = 0; i < p.nr_ram; i++)
		h->plat.ram[i] = p.ram[i];
	h->plat.nr_ram = p.nr_ram;
	for (unsigned int i = 0; i < p.nr_reserved; i++)
		hyp_reserve(h, p.reserved[i].base, p.reserved[i].size);
	h->plat.bundle = p.module;
	hv_strlcpy(h->plat.cmdline, p.cmdline, sizeof(h->plat.cmdline));
	hyp_reserve(h, p.module.base, p.module.size);
	h->arch.rsdp = p.rsdp;
	h->arch.trampoline = p.trampoline;
}
