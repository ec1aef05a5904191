/*
 * The AArch64 part of building a domain (the core has populated its RAM
 * and loaded the kernel and ramdisk): its VMID (domid + 1), a device tree
 * in the last 2 MiB of RAM, and vCPU 0 set to enter the kernel as Xen
 * enters one.
 */
#include "hyp.h"

#include <hv/arm_guest_mem.h>
#include <hv/arm_stage2.h>

#include <libfdt.h>

/* The guest's device tree lives in the last 2 MiB of its RAM
 * (docs/bundle.md); the tool keeps everything else out of there. */
#define DTB_AREA (2ull << 20)

/* One for all domains: they are built on pCPU 0 before any other pCPU
 * leaves its wait (core.c), and libfdt's FP/SIMD use then meets no guest
 * state.  Aligned as libfdt wants. */
static uint64_t fdt_buf[64 * 1024 / 8];

static int load_fdt(struct hv_hyp_domain *d, const struct hv_boot_domain *cfg,
		    hv_gpaddr_t dtb)
{
	int err = hyp_guest_fdt(fdt_buf, sizeof(fdt_buf), cfg, &hyp_xen_layout,
				cfg->has_ramdisk ? cfg->ramdisk.gpa : 0,
				cfg->has_ramdisk ? cfg->ramdisk.len : 0);

	if (err)
		return err;
	return hv_gmem_copy_to(&d->guest_phys, dtb, fdt_buf,
			       fdt_totalsize(fdt_buf));
}

int hyp_domain_init(struct hv_hyp_domain *d, const struct hv_boot_domain *cfg)
{
	hv_gpaddr_t dtb = cfg->ram_base + cfg->memory - DTB_AREA;
	int err;

	if (cfg->memory <= DTB_AREA || cfg->vcpus > HYP_MAX_VCPUS)
		return -HV_EINVAL;
	domain_arch(d)->vmid = (uint16_t)(d->xen.id + 1); /* VMID 0: nobody */
	err = load_fdt(d, cfg, dtb);
	if (err)
		return err;
	hv_arm_vcpu_reset(&vcpu_arch(&d->vcpus[0])->cpu, cfg->entry, dtb,
			  hv_mm_p2m_root(&d->p2m), domain_arch(d)->vmid, 0,
			  hv_arm_vcpu_default_hcr());
	return 0;
}

void hyp_vcpu_start(struct hv_hyp_vcpu *v, uint64_t entry, uint64_t x0)
{
	hv_arm_vcpu_reset(
	    &vcpu_arch(v)->cpu, entry, x0, hv_mm_p2m_root(&v->dom->p2m),
	    domain_arch(v->dom)->vmid, v->id, hv_arm_vcpu_default_hcr());
	hv_hyp_vcpu_set_state(v, HV_HYP_VCPU_RUNNABLE);
}

/* Stage-2 TLB entries are tagged by VMID: drop all of the domain's
 * (a range flush by IPA would need one TLBI per page). */
void hyp_p2m_flush(struct hv_hyp_domain *d)
{
	hv_arm_tlb_flush_vmid(
	    hv_arm_stage2_vttbr(hv_mm_p2m_root(&d->p2m), domain_arch(d)->vmid));
}
