/*
 * The x86_64 part of building a domain (the core has populated its RAM at
 * guest-physical 0 and loaded the kernel and ramdisk): its ASID, the
 * start info in page 1, and each vCPU's VMCB, vCPU 0 set to enter the
 * kernel as Xen enters a PVH guest; the others wait, down, for the
 * guest's VCPUOP_initialise.
 */
#include "priv.h"

#include <hv/x86_npt.h>
#include <hv/x86_xen.h>

#include <xen/features.h>

static int vcpu_create(struct hv_hyp_vcpu *v, const struct hv_boot_domain *cfg)
{
	struct hv_hyp *core = v->dom->hyp;
	struct hv_x86_vmcb_setup setup = {
	    .entry = cfg->entry,
	    .start_info = HV_HYP_X86_START_INFO_GPA,
	    .ncr3 = hv_mm_p2m_root(&v->dom->p2m),
	    .asid = domain_arch(v->dom)->asid,
	    .iopm_pa = x86_of(core)->iopm,
	    .msrpm_pa = x86_of(core)->msrpm,
	};
	struct hv_x86_vmcb *vmcb = hv_hyp_alloc(core, HV_PAGE_SIZE);

	if (!vmcb)
		return -HV_ENOMEM;
	hv_x86_vcpu_init(&vcpu_arch(v)->cpu, vmcb,
			 core->arch->virt_to_phys(core, vmcb));
	hv_x86_vmcb_init_pvh(vcpu_arch(v)->cpu.vmcb, vcpu_arch(v)->cpu.gpr,
			     &setup);
	vcpu_arch(v)->pat = vcpu_arch(v)->cpu.vmcb->save.g_pat;
	hyp_x86_lapic_reset(v);
	return 0;
}

int hyp_x86_domain_init(struct hv_hyp_domain *d,
			const struct hv_boot_domain *cfg)
{
	const struct hv_x86_svm *svm = &pcpu_arch(&d->hyp->pcpus[0])->svm;
	int err;

	/* One ASID per domain; ASID 0 is the host's. */
	if (cfg->ram_base != 0 || cfg->vcpus > HV_HYP_X86_MAX_VCPUS ||
	    d->xen.id + 1u >= svm->nr_asids)
		return -HV_EINVAL;
	domain_arch(d)->asid = d->xen.id + 1u;
	hv_x86_pit2_reset(&domain_arch(d)->pit);
	/* Event upcalls can come as an interrupt (run.c), and each vCPU's
	 * pvclock is kept (time.c). */
	d->xen.features |=
	    1u << XENFEAT_hvm_callback_vector | 1u << XENFEAT_hvm_safe_pvclock;
	err = hv_hyp_x86_start_info(&d->guest_phys, cfg);
	for (unsigned int i = 0; i < d->nr_vcpus && !err; i++)
		err = vcpu_create(&d->vcpus[i], cfg);
	return err;
}

/* VCPUOP_initialise: v (down) starts from the guest's struct
 * vcpu_hvm_context, with vCPU 0's TSC, as Xen keeps a domain's TSCs in
 * step.  A CR4 with a bit the guest's CPUID does not offer is refused
 * (-EINVAL) as a MOV to CR4 would be (exit_cr.c). */
int hyp_x86_vcpu_initialise(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
			    uint64_t arg)
{
	struct vcpu_hvm_context ctx;
	struct vcpu_arch *a = vcpu_arch(v);
	int err;

	if (hv_gmem_copy_from(gm, &ctx, arg, sizeof(ctx)))
		return -HV_EFAULT;
	if ((ctx.mode == VCPU_HVM_MODE_32B ? ctx.cpu_regs.x86_32.cr4
					   : ctx.cpu_regs.x86_64.cr4) &
	    ~x86_of(v->dom->hyp)->cr4_valid)
		return -HV_EINVAL;
	err = hv_x86_load_hvm_context(a->cpu.vmcb, a->cpu.gpr, &ctx);
	if (err)
		return err;
	a->cpu.vmcb->control.tsc_offset =
	    vcpu_arch(&v->dom->vcpus[0])->cpu.vmcb->control.tsc_offset;
	a->upcall_pending = false;
	return 0;
}

void hyp_x86_domain_destroy(struct hv_hyp_domain *d)
{
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		hv_hyp_free(d->hyp, vcpu_arch(&d->vcpus[i])->cpu.vmcb,
			    HV_PAGE_SIZE);
}

/*
 * The domain's ASID tags its TLB entries; QEMU flushes everything on a
 * flush request anyway, so ask for that (TLB_CONTROL 1) at the next VMRUN
 * of each of its vCPUs (run.c).  A vCPU in the guest on another pCPU now
 * may still use what the P2M had: that pCPU is kicked out of the guest,
 * and this waits until it has left (it cannot enter again before the
 * caller drops the core's lock), so that the old frames are unreachable
 * when this returns.
 */
void hyp_x86_p2m_flush(struct hv_hyp_domain *d)
{
	struct hv_hyp *core = d->hyp;

	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		hv_atomic_store_u32(&vcpu_arch(&d->vcpus[i])->flush_tlb, 1);
	/* The requests are visible before in_guest is read (vcpu_run sets
	 * in_guest before it reads its request). */
	hv_mb();
	for (unsigned int i = 0; i < core->nr_pcpus; i++) {
		struct hv_hyp_pcpu *p = &core->pcpus[i];
		struct hv_hyp_x86_pcpu *pc = pcpu_arch(p);

		if (pc == hv_hyp_x86_pcpu_this() || !p->current ||
		    p->current->dom != d || !hv_atomic_load_u32(&pc->in_guest))
			continue;
		core->arch->kick(p);
		while (hv_atomic_load_u32(&pc->in_guest))
			hv_cpu_relax();
	}
}
