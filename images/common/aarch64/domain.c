/*
 * Building an AArch64 domain from its bundle entry: its own stage 2 (VMID
 * = domid + 1) with RAM at the guest's RAM base and the kernel and ramdisk
 * copied in (hyp_domain_create), a device tree in the last 2 MiB of RAM,
 * and vCPU 0 set to enter the kernel as Xen enters one.
 */
#include "hyp.h"

#include <hv/arm_guest_mem.h>
#include <hv/arm_stage2.h>

#include <libfdt.h>

/* The guest's device tree lives in the last 2 MiB of its RAM
 * (docs/bundle.md); the tool keeps everything else out of there. */
#define DTB_AREA (2ull << 20)

static uint64_t fdt_buf[64 * 1024 / 8]; /* aligned as libfdt wants */

static int load_fdt(struct domain *d, const struct hv_boot_domain *cfg,
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

int hyp_domain_build(struct hyp *h, struct domain *d,
		     const struct hv_boot_domain *cfg, hv_domid_t id)
{
	hv_gpaddr_t dtb = cfg->ram_base + cfg->memory - DTB_AREA;
	int err;

	if (cfg->memory <= DTB_AREA)
		return -HV_EINVAL;
	if (cfg->vcpus > HYP_MAX_VCPUS)
		return -HV_E2BIG;
	d->arch.vmid = (uint16_t)(id + 1); /* VMID 0 is nobody's */
	err = hyp_domain_create(h, d, cfg, id, &hv_arm_stage2_ipa40,
				HV_MM_P2M_ORDER_1G);
	if (!err)
		err = load_fdt(d, cfg, dtb);
	if (!err)
		err = hv_mm_alloc_pages(&h->heap, 0, HV_MM_NODE_ANY, 0, NULL,
					&d->shared_info);
	if (err)
		return err;

	d->nr_vcpus = cfg->vcpus;
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		d->vcpus[i].dom = d;
		d->vcpus[i].id = i;
		d->vcpus[i].state = VCPU_DOWN;
	}
	hyp_vcpu_start(&d->vcpus[0], cfg->entry, dtb);
	err = hyp_domain_start(h, d, cfg);
	if (!err)
		hv_log_info(&h->log,
			    "domain %s: %llu MiB at %#llx, entry %#llx",
			    cfg->name, (unsigned long long)(cfg->memory >> 20),
			    (unsigned long long)cfg->ram_base,
			    (unsigned long long)cfg->entry);
	return err;
}

void hyp_vcpu_start(struct vcpu *v, uint64_t entry, uint64_t x0)
{
	hv_arm_vcpu_reset(&v->arch.cpu, entry, x0, hv_mm_p2m_root(&v->dom->p2m),
			  v->dom->arch.vmid, v->id, hv_arm_vcpu_default_hcr());
	hyp_vcpu_set_state(v->dom->hyp, v, VCPU_RUNNABLE);
}

/* Stage-2 TLB entries are tagged by VMID: drop all of the domain's
 * (a range flush by IPA would need one TLBI per page). */
void hyp_arch_p2m_flush(struct domain *d)
{
	hv_arm_tlb_flush_vmid(d->vcpus[0].arch.cpu.vttbr);
}
