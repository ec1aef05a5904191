/*
 * The struct hvm_start_info a PVH kernel finds in %ebx, as Xen builds it:
 * version 1, with the command line, the ramdisk as the one module, and a
 * memory map of the domain's RAM, all in guest page 1 (docs/bundle.md).
 * The initial domain gets SIF_PRIVILEGED | SIF_INITDOMAIN, as Xen's PVH
 * dom0 does.
 */
#include "priv.h"

#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>

/* Page 1, in this order. */
struct start_page {
	struct hvm_start_info info;
	struct hvm_modlist_entry module;
	struct hvm_memmap_table_entry ram;
};

#define PAGE_END    (HV_HYP_X86_START_INFO_GPA + HV_PAGE_SIZE)
#define CMDLINE_GPA (HV_HYP_X86_START_INFO_GPA + sizeof(struct start_page))

int hv_hyp_x86_start_info(const struct hv_gmem *gm,
			  const struct hv_boot_domain *cfg)
{
	size_t cmdline_size = strlen(cfg->cmdline) + 1;
	struct start_page p;

	if (cmdline_size > PAGE_END - CMDLINE_GPA)
		return -HV_E2BIG;
	memset(&p, 0, sizeof(p));
	p.info.magic = XEN_HVM_START_MAGIC_VALUE;
	p.info.version = 1;
	p.info.flags = cfg->initdomain ? SIF_PRIVILEGED | SIF_INITDOMAIN : 0;
	p.info.cmdline_paddr = CMDLINE_GPA;
	if (cfg->has_ramdisk) {
		p.info.nr_modules = 1;
		p.info.modlist_paddr = HV_HYP_X86_START_INFO_GPA +
				       offsetof(struct start_page, module);
		p.module.paddr = cfg->ramdisk.gpa;
		p.module.size = cfg->ramdisk.len;
	}
	p.info.memmap_paddr =
	    HV_HYP_X86_START_INFO_GPA + offsetof(struct start_page, ram);
	p.info.memmap_entries = 1;
	p.ram.addr = cfg->ram_base;
	p.ram.size = cfg->memory;
	p.ram.type = XEN_HVM_MEMMAP_TYPE_RAM;

	if (hv_gmem_copy_to(gm, HV_HYP_X86_START_INFO_GPA, &p, sizeof(p)) ||
	    hv_gmem_copy_to(gm, CMDLINE_GPA, cfg->cmdline, cmdline_size))
		return -HV_EFAULT;
	return 0;
}
