/*
 * What a PVH kernel finds when it starts, as Xen gives it to a PVH guest:
 * the struct hvm_start_info in %ebx (version 1, with the command line, the
 * ramdisk as the one module and the memory map, all in guest page 1;
 * docs/bundle.md) and the ACPI tables in guest page 2, which the start
 * info's rsdp_paddr names and the memory map keeps out of the guest's RAM.
 * The initial domain gets SIF_PRIVILEGED | SIF_INITDOMAIN, as Xen's PVH
 * dom0 does.  XENMEM_memory_map answers the same map.
 */
#include "priv.h"

#include <hv/acpi.h>

#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>
#include <xen/memory.h>

/* Page 1, in this order. */
struct start_page {
	struct hvm_start_info info;
	struct hvm_modlist_entry module;
	struct hvm_memmap_table_entry memmap[HV_HYP_X86_MEMMAP_ENTRIES];
};

#define PAGE_END    (HV_HYP_X86_START_INFO_GPA + HV_PAGE_SIZE)
#define CMDLINE_GPA (HV_HYP_X86_START_INFO_GPA + sizeof(struct start_page))
#define ACPI_END    (HV_HYP_X86_ACPI_GPA + HV_HYP_X86_ACPI_SIZE)

/* The BIOS E820 entry XENMEM_memory_map's buffer holds: packed, 20 bytes. */
#define E820_ENTRY_SIZE 20

int hv_hyp_x86_memmap(
    uint64_t ram_size,
    struct hv_hyp_x86_memmap_entry map[HV_HYP_X86_MEMMAP_ENTRIES])
{
	if (ram_size <= ACPI_END)
		return -HV_EINVAL;
	map[0] = (struct hv_hyp_x86_memmap_entry){0, HV_HYP_X86_ACPI_GPA,
						  XEN_HVM_MEMMAP_TYPE_RAM};
	map[1] = (struct hv_hyp_x86_memmap_entry){HV_HYP_X86_ACPI_GPA,
						  HV_HYP_X86_ACPI_SIZE,
						  XEN_HVM_MEMMAP_TYPE_ACPI};
	map[2] = (struct hv_hyp_x86_memmap_entry){ACPI_END, ram_size - ACPI_END,
						  XEN_HVM_MEMMAP_TYPE_RAM};
	return 0;
}

/*
 * The tables straight into their guest page: vCPU n is processor n with
 * APIC ID n; no I/O APIC, since hvkit emulates none.
 */
static int acpi_tables(const struct hv_gmem *gm,
		       const struct hv_boot_domain *cfg, hv_gpaddr_t *rsdp)
{
	uint64_t apic_ids[HV_HYP_X86_MAX_VCPUS];
	struct hv_acpi_machine m = {
	    .arch = HV_ACPI_ARCH_X86,
	    .nr_vcpus = cfg->vcpus,
	    .cpu_ids = apic_ids,
	    .x86 = {.lapic_base = HV_HYP_X86_LAPIC_BASE},
	};
	struct hv_acpi_tables out;
	void *page;
	int err;

	if (cfg->vcpus > HV_HYP_X86_MAX_VCPUS)
		return -HV_EINVAL;
	for (unsigned int i = 0; i < cfg->vcpus; i++)
		apic_ids[i] = i;
	if (hv_gmem_map(gm, HV_HYP_X86_ACPI_GPA, HV_HYP_X86_ACPI_SIZE,
			HV_PAGE_SIZE, HV_GMEM_WRITE, &page))
		return -HV_EFAULT;
	err = hv_acpi_build(&m, page, HV_HYP_X86_ACPI_SIZE, HV_HYP_X86_ACPI_GPA,
			    &out);
	if (!err)
		*rsdp = out.rsdp_gpa;
	return err;
}

int hv_hyp_x86_start_info(const struct hv_gmem *gm,
			  const struct hv_boot_domain *cfg)
{
	size_t cmdline_size = strlen(cfg->cmdline) + 1;
	struct hv_hyp_x86_memmap_entry map[HV_HYP_X86_MEMMAP_ENTRIES];
	struct start_page p;
	hv_gpaddr_t rsdp;
	int err;

	if (cmdline_size > PAGE_END - CMDLINE_GPA)
		return -HV_E2BIG;
	err = hv_hyp_x86_memmap(cfg->memory, map);
	if (!err)
		err = acpi_tables(gm, cfg, &rsdp);
	if (err)
		return err;
	memset(&p, 0, sizeof(p));
	p.info.magic = XEN_HVM_START_MAGIC_VALUE;
	p.info.version = 1;
	p.info.flags = cfg->initdomain ? SIF_PRIVILEGED | SIF_INITDOMAIN : 0;
	p.info.cmdline_paddr = CMDLINE_GPA;
	p.info.rsdp_paddr = rsdp;
	if (cfg->has_ramdisk) {
		p.info.nr_modules = 1;
		p.info.modlist_paddr = HV_HYP_X86_START_INFO_GPA +
				       offsetof(struct start_page, module);
		p.module.paddr = cfg->ramdisk.gpa;
		p.module.size = cfg->ramdisk.len;
	}
	p.info.memmap_paddr =
	    HV_HYP_X86_START_INFO_GPA + offsetof(struct start_page, memmap);
	p.info.memmap_entries = HV_HYP_X86_MEMMAP_ENTRIES;
	for (unsigned int i = 0; i < HV_HYP_X86_MEMMAP_ENTRIES; i++) {
		p.memmap[i].addr = map[i].addr;
		p.memmap[i].size = map[i].size;
		p.memmap[i].type = map[i].type;
	}

	if (hv_gmem_copy_to(gm, HV_HYP_X86_START_INFO_GPA, &p, sizeof(p)) ||
	    hv_gmem_copy_to(gm, CMDLINE_GPA, cfg->cmdline, cmdline_size))
		return -HV_EFAULT;
	return 0;
}

/* Little-endian, as the guest reads it. */
static void put_le(uint8_t *p, uint64_t v, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

long hv_hyp_x86_memory_map(const struct hv_gmem *gm, uint64_t ram_size,
			   uint64_t arg)
{
	struct hv_hyp_x86_memmap_entry map[HV_HYP_X86_MEMMAP_ENTRIES];
	uint8_t e820[HV_HYP_X86_MEMMAP_ENTRIES][E820_ENTRY_SIZE];
	struct xen_memory_map mm;
	unsigned int n;
	int err;

	if (hv_gmem_copy_from(gm, &mm, arg, sizeof(mm)))
		return -HV_EFAULT;
	err = hv_hyp_x86_memmap(ram_size, map);
	if (err)
		return err;
	n = mm.nr_entries < HV_HYP_X86_MEMMAP_ENTRIES
		? mm.nr_entries
		: HV_HYP_X86_MEMMAP_ENTRIES;
	for (unsigned int i = 0; i < n; i++) {
		put_le(&e820[i][0], map[i].addr, 8);
		put_le(&e820[i][8], map[i].size, 8);
		put_le(&e820[i][16], map[i].type, 4);
	}
	mm.nr_entries = n;
	if (hv_gmem_copy_to(gm, (uint64_t)(uintptr_t)mm.buffer.p, e820,
			    n * sizeof(e820[0])) ||
	    hv_gmem_copy_to(gm, arg, &mm, sizeof(mm)))
		return -HV_EFAULT;
	return 0;
}
