/*
 * A vCPU's synchronous exits: hypercalls (HVC #0xEA1), PSCI (HVC #0 or a
 * trapped SMC), WFI/WFE, data aborts on the emulated UART, trapped system
 * registers.  A guest that does something the hypervisor cannot allow
 * (touches memory it does not own, takes an exception hvkit does not
 * emulate) is crashed with a message; the others go on.
 */
#include "priv.h"

#include <hv/arm_psci.h>

#include <xen/sched.h>
#include <xen/xen.h>

/* HVC #0xEA1: x16 is the hypercall's number, x0-x4 its arguments, its
 * pointers guest-virtual. */
static void hypercall(struct hv_hyp_vcpu *v)
{
	uint64_t *x = vcpu_arch(v)->cpu.x;
	struct hv_gmem gm;

	hyp_arm_gmem_guest_va(&gm, v);
	x[0] = (uint64_t)hv_hyp_hypercall(v, &gm, x[16], x);
}

static void psci(struct hv_hyp_vcpu *v)
{
	struct hv_hyp_domain *d = v->dom;
	struct hv_arm_psci_call call = {.fid = vcpu_arch(v)->cpu.x[0],
					.arg = {vcpu_arch(v)->cpu.x[1],
						vcpu_arch(v)->cpu.x[2],
						vcpu_arch(v)->cpu.x[3]}};
	struct hv_arm_psci_result r;
	HV_DECLARE_BITMAP(online, HV_HYP_ARM_MAX_VCPUS) = {0};

	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		if (d->vcpus[i].state != HV_HYP_VCPU_DOWN)
			hv_bitmap_set(online, i);
	hv_arm_psci(&call, d->nr_vcpus, online, &r);
	switch (r.action) {
	case HV_PSCI_ACT_SUSPEND:
		hv_hyp_vcpu_block(v);
		break;
	case HV_PSCI_ACT_CPU_ON:
		/* A stopped vCPU: the core left its state in memory. */
		hyp_arm_vcpu_start(&d->vcpus[r.target], r.entry, r.context);
		break;
	case HV_PSCI_ACT_CPU_OFF:
		hv_hyp_vcpu_set_state(v, HV_HYP_VCPU_DOWN);
		break;
	case HV_PSCI_ACT_SYSTEM_OFF:
		hv_xen_domain_shutdown(&d->xen, SHUTDOWN_poweroff);
		break;
	case HV_PSCI_ACT_SYSTEM_RESET:
		hv_xen_domain_shutdown(&d->xen, SHUTDOWN_reboot);
		break;
	case HV_PSCI_ACT_NONE:
		break;
	}
	vcpu_arch(v)->cpu.x[0] = (uint64_t)r.ret;
}

static void hvc(struct hv_hyp_vcpu *v, uint64_t esr)
{
	switch (hv_arm_esr_imm16(esr)) {
	case XEN_HYPERCALL_TAG:
		hypercall(v);
		break;
	case 0: /* SMCCC: PSCI */
		psci(v);
		break;
	default: /* as Xen: undefined instruction for the guest */
		hv_arm_vcpu_inject_undef(&vcpu_arch(v)->cpu);
		break;
	}
}

static void data_abort(struct hv_hyp_vcpu *v, const struct hv_arm_exit *e)
{
	struct hv_arm_dabt d;
	bool refused;

	hv_arm_decode_dabt(e->esr, e->hpfar, e->far, &d);
	if (hyp_arm_vpl011_access(v, &d))
		return;
	if (hyp_arm_vgic_mmio(v, &d, &refused)) {
		if (refused)
			hv_hyp_crash(v,
				     "%u-byte %s at GIC IPA %#llx refused "
				     "(pc %#llx)",
				     d.size, d.write ? "write" : "read",
				     (unsigned long long)d.ipa,
				     (unsigned long long)vcpu_arch(v)->cpu.pc);
		return;
	}
	hv_hyp_crash(v, "%s at IPA %#llx, outside its memory (pc %#llx)",
		     d.write ? "write" : "read", (unsigned long long)d.ipa,
		     (unsigned long long)vcpu_arch(v)->cpu.pc);
}

/* A trapped system register: a guest's SGIs (ICC_SGI1R_EL1, which
 * HCR_EL2.IMO traps) go through the vGIC; any other is an undefined
 * instruction for the guest, as on Xen. */
static void sysreg(struct hv_hyp_vcpu *v, uint64_t esr)
{
	struct domain_arch *da = domain_arch(v->dom);
	struct hv_arm_sysreg_access a;
	uint64_t kick;

	hv_arm_decode_sysreg(esr, &a);
	if (a.read || hv_arm_sysreg_id(&a) != HV_ARM_SYSREG(3, 0, 12, 11, 5)) {
		hv_arm_vcpu_inject_undef(&vcpu_arch(v)->cpu);
		return;
	}
	hv_spin_lock(&da->vgic_lock);
	kick = hv_vgic_sgi(&da->vgic, v->id,
			   a.reg < 31 ? vcpu_arch(v)->cpu.x[a.reg] : 0);
	hv_spin_unlock(&da->vgic_lock);
	vcpu_arch(v)->cpu.pc += 4; /* ELR is the msr itself */
	hyp_arm_vgic_kick(v->dom, kick);
}

void hyp_arm_sync_exit(struct hv_hyp_vcpu *v)
{
	const struct hv_arm_exit *e = &vcpu_arch(v)->cpu.exit;
	unsigned int ec = hv_arm_esr_ec(e->esr);

	switch (ec) {
	case HV_ARM_EC_HVC64:
		hvc(v, e->esr);
		break;
	case HV_ARM_EC_SMC64: /* trapped: ELR is the smc itself */
		vcpu_arch(v)->cpu.pc += 4;
		psci(v);
		break;
	case HV_ARM_EC_WFX: /* ELR is the wfi/wfe itself */
		vcpu_arch(v)->cpu.pc += 4;
		if (hv_arm_esr_is_wfe(e->esr))
			hv_hyp_vcpu_yield(v);
		else if (!hyp_arm_vcpu_irq_pending(v))
			hv_hyp_vcpu_block(v);
		break;
	case HV_ARM_EC_DABT_LOWER:
		data_abort(v, e);
		break;
	case HV_ARM_EC_SYSREG:
		sysreg(v, e->esr);
		break;
	default:
		hv_hyp_crash(v,
			     "unhandled exception %s (ESR %#llx) at pc %#llx",
			     hv_arm_ec_name(ec), (unsigned long long)e->esr,
			     (unsigned long long)vcpu_arch(v)->cpu.pc);
		break;
	}
}
