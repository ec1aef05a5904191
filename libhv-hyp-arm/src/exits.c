/*
 * A vCPU's synchronous exits: hypercalls (HVC #0xEA1), SMCCC and PSCI
 * (HVC #0 or SMC #0), WFI/WFE, data aborts on the emulated UART and vGIC,
 * trapped system registers.  What Xen answers with an exception in the
 * guest (other HVC/SMC immediates, unknown system registers: undefined
 * instruction; an access nothing backs: data abort) is answered the same
 * way.  A guest that takes an exception hvkit does not emulate (an
 * instruction fetch from memory it does not own, say) is crashed with a
 * message; the others go on.
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
	case 0: /* SMCCC, PSCI among it */
		psci(v);
		break;
	default: /* as Xen: undefined instruction for the guest */
		hv_arm_vcpu_inject_undef(&vcpu_arch(v)->cpu);
		break;
	}
}

/* A trapped SMC's ELR is the smc itself.  As Xen's do_trap_smc: SMCCC
 * calls (#0) are answered as through HVC #0, an unknown function with
 * SMCCC's NOT_SUPPORTED (-1); any other immediate is no SMCCC call, so
 * the guest takes an undefined instruction at the smc. */
static void smc(struct hv_hyp_vcpu *v, uint64_t esr)
{
	if (hv_arm_esr_imm16(esr) != 0) {
		hv_arm_vcpu_inject_undef(&vcpu_arch(v)->cpu);
		return;
	}
	vcpu_arch(v)->cpu.pc += 4;
	psci(v);
}

/* A stage-2 fault on what nothing emulates: outside the domain's RAM, the
 * vGIC and the UART, or a register access they refuse.  As Xen, the
 * guest takes a data abort at the access and may handle it and go on. */
static void data_abort(struct hv_hyp_vcpu *v, const struct hv_arm_exit *e)
{
	struct hv_arm_dabt d;
	bool refused;

	hv_arm_decode_dabt(e->esr, e->hpfar, e->far, &d);
	if (hyp_arm_vpl011_access(v, &d))
		return;
	if (hyp_arm_vgic_mmio(v, &d, &refused) && !refused)
		return;
	hv_arm_vcpu_inject_dabt(&vcpu_arch(v)->cpu, e->far);
}

/* A fetch from what nothing backs (RAM is always mapped, so that is
 * everything else): as Xen, an instruction abort for the guest.  Unless
 * the fetch that failed is the abort's own vector: the guest would take
 * the same abort there forever (Xen lets it spin), so it is crashed. */
static void fetch_abort(struct hv_hyp_vcpu *v, const struct hv_arm_exit *e)
{
	struct hv_arm_vcpu *cpu = &vcpu_arch(v)->cpu;

	if (hv_arm_vcpu_sync_entry(cpu) == cpu->pc) {
		hv_hyp_crash(v,
			     "its exception vector at %#llx cannot be "
			     "fetched: nothing backs it",
			     (unsigned long long)cpu->pc);
		return;
	}
	hv_arm_vcpu_inject_iabt(cpu, e->far);
}

/* A trapped system register: a guest's SGIs (ICC_SGI1R_EL1, which
 * HCR_EL2.IMO traps) go through the vGIC, its physical timer (CNTP_*,
 * which CNTHCTL_EL2 traps) is emulated, the performance monitors and the
 * debug registers (which MDCR_EL2 traps) read as fixed values and ignore
 * writes; any other is an undefined instruction for the guest.  All as
 * on Xen. */
static void sysreg(struct hv_hyp_vcpu *v, uint64_t esr)
{
	struct domain_arch *da = domain_arch(v->dom);
	struct hv_arm_sysreg_access a;
	uint64_t kick, value;

	hv_arm_decode_sysreg(esr, &a);
	if (hv_arm_sysreg_withheld(&a, &value)) {
		if (a.read && a.reg < 31)
			vcpu_arch(v)->cpu.x[a.reg] = value;
		vcpu_arch(v)->cpu.pc += 4; /* ELR is the mrs/msr itself */
		return;
	}
	if (hyp_arm_ptimer_sysreg(v, &a)) {
		vcpu_arch(v)->cpu.pc += 4;
		return;
	}
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
	case HV_ARM_EC_SMC64:
		smc(v, e->esr);
		break;
	case HV_ARM_EC_WFX: /* ELR is the wfi/wfe itself, T32's 2 bytes */
		vcpu_arch(v)->cpu.pc += hv_arm_esr_insn_len(e->esr);
		if (hv_arm_esr_is_wfe(e->esr))
			hv_hyp_vcpu_yield(v);
		else if (!hyp_arm_vcpu_irq_pending(v))
			hv_hyp_vcpu_block(v);
		break;
	case HV_ARM_EC_DABT_LOWER:
		data_abort(v, e);
		break;
	case HV_ARM_EC_IABT_LOWER:
		fetch_abort(v, e);
		break;
	case HV_ARM_EC_SYSREG:
		sysreg(v, e->esr);
		break;
	case HV_ARM_EC_CP14_MR: /* a 32-bit task's debug registers */
	case HV_ARM_EC_CP14_LS:
	case HV_ARM_EC_CP14_64:
		hv_arm_vcpu_inject_undef(&vcpu_arch(v)->cpu);
		break;
	default:
		hv_hyp_crash(v,
			     "unhandled exception %s (ESR %#llx) at pc %#llx",
			     hv_arm_ec_name(ec), (unsigned long long)e->esr,
			     (unsigned long long)vcpu_arch(v)->cpu.pc);
		break;
	}
}
