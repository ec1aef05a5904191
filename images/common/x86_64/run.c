/*
 * The x86_64 half of the run loop (hyp_run, sched.c): loading a vCPU, the
 * local APIC timer that ends its slice, running it and dispatching every
 * guest exit, and ending what can never run again.  A guest that does
 * something the hypervisor cannot allow or emulate (triple-faults, touches
 * unbacked memory with an instruction hvkit cannot decode) is crashed with
 * a message; the others go on.
 */
#include "hyp.h"

#include <hv/x86_exit.h>

#include <xen/sched.h>

void hyp_arch_vcpu_load(struct hyp *h, struct vcpu *v)
{
	if (h->loaded == v)
		return;
	if (h->loaded)
		hv_x86_vcpu_put(&h->loaded->arch.cpu);
	h->loaded = v;
	if (v)
		hv_x86_vcpu_load(&v->arch.cpu);
}

/*
 * Nothing is runnable, and only a running vCPU could make a blocked one
 * runnable (no guest timers or device interrupts in these images): the
 * blocked domains would wait forever, as they would on Xen.  End them,
 * saying why, so that the run finishes.
 */
void hyp_arch_idle(struct hyp *h)
{
	for (unsigned int i = 0; i < h->nr_domains; i++) {
		struct vcpu *v = &h->domains[i].vcpus[0];

		if (v->state == VCPU_BLOCKED)
			hyp_crash(v, "blocked with nothing left to wake it "
				     "(every domain is blocked)");
	}
}

static void skip(struct vcpu *v, unsigned int len)
{
	v->arch.cpu.vmcb->save.rip += len;
}

/*
 * As Xen's hvm_hlt: with interrupts on, HLT blocks the vCPU until it has
 * work; with them off nothing but an NMI could ever wake it, which Xen
 * takes as the guest's wish to stop: the vCPU goes down, and a domain
 * whose last vCPU is down is powered off.
 */
static void halt(struct hyp *h, struct vcpu *v)
{
	skip(v, 1);
	if (v->arch.cpu.vmcb->save.rflags & HV_X86_RFLAGS_IF) {
		hyp_vcpu_block(h, v);
		return;
	}
	hv_log_info(&h->log,
		    "domain %s: its last vCPU halted with "
		    "interrupts off: powering it off",
		    v->dom->xen.name);
	hv_xen_domain_shutdown(&v->dom->xen, SHUTDOWN_poweroff);
}

static void handle_exit(struct hyp *h, struct vcpu *v, uint64_t code)
{
	struct hv_x86_vmcb *vmcb = v->arch.cpu.vmcb;

	hv_x86_vmcb_reinject(vmcb);
	switch (code) {
	case HV_X86_EXIT_INTR:
		hv_x86_take_interrupts();
		break;
	case HV_X86_EXIT_NMI:
	case HV_X86_EXIT_SMI:
	case HV_X86_EXIT_INIT:
		break; /* the host's; nothing for the guest */
	case HV_X86_EXIT_CPUID:
		hyp_exit_cpuid(h, v);
		break;
	case HV_X86_EXIT_MSR:
		hyp_exit_msr(h, v);
		break;
	case HV_X86_EXIT_IOIO:
		hyp_exit_ioio(h, v);
		break;
	case HV_X86_EXIT_VMMCALL:
		hyp_exit_vmmcall(h, v);
		break;
	case HV_X86_EXIT_HLT:
		halt(h, v);
		break;
	case HV_X86_EXIT_NPF:
		hyp_exit_npf(h, v);
		break;
	case HV_X86_EXIT_SHUTDOWN:
		hyp_crash(v, "triple fault at rip %#llx",
			  (unsigned long long)vmcb->save.rip);
		break;
	case HV_X86_EXIT_VMRUN:
	case HV_X86_EXIT_VMLOAD:
	case HV_X86_EXIT_VMSAVE:
	case HV_X86_EXIT_STGI:
	case HV_X86_EXIT_CLGI:
	case HV_X86_EXIT_SKINIT:
	case HV_X86_EXIT_INVLPGA:
	case HV_X86_EXIT_MONITOR:
	case HV_X86_EXIT_MWAIT:
	case HV_X86_EXIT_MWAIT_COND:
	case HV_X86_EXIT_XSETBV:
		/* Not offered to guests (CPUID hides them): as Xen without
		 * nested virtualisation, #UD. */
		hv_x86_vmcb_inject_exception(vmcb, HV_X86_VEC_UD, false, 0);
		break;
	default:
		if (hv_x86_exit_is_invalid(code))
			hyp_crash(v,
				  "VMRUN refused its state (VMEXIT_INVALID) "
				  "at rip %#llx",
				  (unsigned long long)vmcb->save.rip);
		else
			hyp_crash(v, "unhandled exit %s (%#llx) at rip %#llx",
				  hv_x86_exit_name(code),
				  (unsigned long long)code,
				  (unsigned long long)vmcb->save.rip);
		break;
	}
}

hv_time_t hyp_arch_now(struct hyp *h)
{
	return hv_x86_timer_now(&h->arch.timer);
}

void hyp_arch_timer_set(struct hyp *h, hv_time_t deadline)
{
	hv_x86_timer_set(&h->arch.timer, deadline);
}

void hyp_arch_vcpu_run(struct hyp *h, struct vcpu *v)
{
	handle_exit(h, v, hv_x86_vcpu_run(&h->arch.svm, &v->arch.cpu));
}
