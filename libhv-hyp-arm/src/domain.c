/*
 * The AArch64 part of building a domain (the core has populated its RAM
 * and loaded the kernel and ramdisk): its VMID (domid + 1), its virtual
 * GIC, a device tree in the last 2 MiB of RAM, and vCPU 0 set to enter
 * the kernel as Xen enters one.
 */
#include "priv.h"

#include <hv/arm_guest_mem.h>
#include <hv/arm_stage2.h>

#include <libfdt.h>
#include <xen/features.h>

/* The guest's device tree lives in the last 2 MiB of its RAM
 * (docs/bundle.md); the tool keeps everything else out of there. */
#define DTB_AREA (2ull << 20)
/* Room to write it in first, from the heap while the domain is built.
 * Domains are built before their vCPUs run, with no vCPU loaded on this
 * pCPU: libfdt (which may use FP/SIMD registers) meets no guest state. */
#define FDT_BUF_SIZE (64 * 1024)

static int load_fdt(struct hv_hyp_domain *d, const struct hv_boot_domain *cfg,
		    hv_gpaddr_t dtb)
{
	void *buf = hv_hyp_alloc(d->hyp, FDT_BUF_SIZE);
	int err;

	if (!buf)
		return -HV_ENOMEM;
	err =
	    hv_hyp_arm_guest_fdt(buf, FDT_BUF_SIZE, cfg, &hv_hyp_arm_xen_layout,
				 cfg->has_ramdisk ? cfg->ramdisk.gpa : 0,
				 cfg->has_ramdisk ? cfg->ramdisk.len : 0);
	if (!err)
		err = hv_gmem_copy_to(&d->guest_phys, dtb, buf,
				      fdt_totalsize(buf));
	hv_hyp_free(d->hyp, buf, FDT_BUF_SIZE);
	return err;
}

/* Its vGIC: every SPI, every vCPU's redistributor; the virtual timer's
 * PPI forwarded hardware-linked. */
static int vgic_init(struct hv_hyp_domain *d)
{
	struct domain_arch *da = domain_arch(d);
	size_t size = d->nr_vcpus * sizeof(*da->vgic_cpus);

	hv_spin_init(&da->vgic_lock);
	da->vgic_cpus = hv_hyp_alloc(d->hyp, size);
	if (!da->vgic_cpus)
		return -HV_ENOMEM;
	if (hv_vgic_init(&da->vgic, da->vgic_cpus, d->nr_vcpus, da->spis,
			 HYP_ARM_NR_SPIS))
		return -HV_EINVAL;
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		hv_vgic_set_hw(&da->vgic, i, HV_ARM_PPI_VIRT_TIMER, true);
	return 0;
}

void hyp_arm_domain_destroy(struct hv_hyp_domain *d)
{
	struct domain_arch *da = domain_arch(d);

	if (da->vgic_cpus)
		hv_hyp_free(d->hyp, da->vgic_cpus,
			    d->nr_vcpus * sizeof(*da->vgic_cpus));
	da->vgic_cpus = NULL;
}

int hyp_arm_domain_init(struct hv_hyp_domain *d,
			const struct hv_boot_domain *cfg)
{
	hv_gpaddr_t dtb = cfg->ram_base + cfg->memory - DTB_AREA;
	int err;

	if (cfg->memory <= DTB_AREA || cfg->vcpus > HV_HYP_ARM_MAX_VCPUS)
		return -HV_EINVAL;
	domain_arch(d)->vmid = (uint16_t)(d->xen.id + 1);
	/* SMC and HVC #0 are SMCCC 1.2 calls here (exits.c), as on Xen,
	 * which says so to every Arm domain. */
	d->xen.features |= 1u << XENFEAT_ARM_SMCCC_supported;
	err = vgic_init(d);
	if (!err)
		err = load_fdt(d, cfg, dtb);
	if (err)
		return err;
	hv_arm_vcpu_reset(&vcpu_arch(&d->vcpus[0])->cpu, cfg->entry, dtb,
			  hv_mm_p2m_root(&d->p2m), domain_arch(d)->vmid, 0,
			  hv_arm_vcpu_default_hcr());
	return 0;
}

void hyp_arm_vcpu_start(struct hv_hyp_vcpu *v, uint64_t entry, uint64_t x0)
{
	hv_arm_vcpu_reset(
	    &vcpu_arch(v)->cpu, entry, x0, hv_mm_p2m_root(&v->dom->p2m),
	    domain_arch(v->dom)->vmid, v->id, hv_arm_vcpu_default_hcr());
	vcpu_arch(v)->ptimer = (struct hv_arm_ptimer){0}; /* disabled */
	hv_hyp_vcpu_set_state(v, HV_HYP_VCPU_RUNNABLE);
}

/* Stage-2 TLB entries are tagged by VMID: drop all of the domain's
 * (a range flush by IPA would need one TLBI per page). */
void hyp_arm_p2m_flush(struct hv_hyp_domain *d)
{
	hv_arm_tlb_flush_vmid(
	    hv_arm_stage2_vttbr(hv_mm_p2m_root(&d->p2m), domain_arch(d)->vmid));
}
