/*
 * Building an x86_64 domain from its bundle entry: nested paging with its
 * own ASID, RAM at guest-physical 0 with the kernel and ramdisk copied in
 * (hyp_domain_create), the start info in page 1, and the vCPU set to
 * enter the kernel as Xen enters a PVH guest.
 */
#include "hyp.h"

#include <hv/x86_npt.h>

static int vcpu_create(struct hyp *h, struct domain *d,
		       const struct hv_boot_domain *cfg)
{
	struct vcpu *v = &d->vcpus[0];
	struct hv_x86_vmcb_setup setup = {
	    .entry = cfg->entry,
	    .start_info = HYP_START_INFO_GPA,
	    .ncr3 = hv_mm_p2m_root(&d->p2m),
	    .asid = d->arch.asid,
	    .iopm_pa = h->arch.iopm,
	    .msrpm_pa = h->arch.msrpm,
	};
	hv_paddr_t vmcb;
	int err = hyp_alloc_page(h, 0, &vmcb);

	if (err)
		return err;
	hv_x86_vcpu_init(&v->arch.cpu, (struct hv_x86_vmcb *)(uintptr_t)vmcb,
			 vmcb);
	hv_x86_vmcb_init_pvh(v->arch.cpu.vmcb, v->arch.cpu.gpr, &setup);
	d->nr_vcpus = 1;
	v->dom = d;
	v->id = 0;
	v->state = VCPU_RUNNABLE;
	v->arch.pat = v->arch.cpu.vmcb->save.g_pat;
	return 0;
}

int hyp_domain_build(struct hyp *h, struct domain *d,
		     const struct hv_boot_domain *cfg, hv_domid_t id)
{
	unsigned int max_order =
	    h->arch.svm.npt_1g ? HV_MM_P2M_ORDER_1G : HV_MM_P2M_ORDER_2M;
	int err;

	/* One ASID per domain; ASID 0 is the host's. */
	if (cfg->ram_base != 0 || id + 1u >= h->arch.svm.nr_asids)
		return -HV_EINVAL;
	d->arch.asid = id + 1u;
	err = hyp_domain_create(h, d, cfg, id, &hv_x86_npt, max_order);
	if (!err)
		err = hyp_start_info(&d->guest_phys, cfg);
	if (!err)
		err = hv_mm_alloc_pages(&h->heap, 0, HV_MM_NODE_ANY, 0, NULL,
					&d->shared_info);
	if (!err)
		err = vcpu_create(h, d, cfg);
	if (!err)
		err = hyp_domain_start(h, d, cfg);
	if (!err)
		hv_log_info(&h->log, "domain %s: %llu MiB, entry %#llx%s",
			    cfg->name, (unsigned long long)(cfg->memory >> 20),
			    (unsigned long long)cfg->entry,
			    cfg->initdomain ? ", initial domain" : "");
	return err;
}

/* The domain's ASID tags its TLB entries; QEMU flushes everything on a
 * flush request anyway, so ask for that (TLB_CONTROL 1) at the next
 * VMRUN of the domain's vCPU. */
void hyp_arch_p2m_flush(struct domain *d)
{
	d->vcpus[0].arch.cpu.vmcb->control.tlb_control = HV_X86_TLB_FLUSH_ALL;
}
