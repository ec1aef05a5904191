/*
 * The run loop: round-robin over runnable vCPUs, each for a time slice
 * ended by the local APIC timer, and the dispatch of every guest exit.  A
 * guest that does something the hypervisor cannot allow or emulate
 * (triple-faults, touches unbacked memory with an instruction hvkit cannot
 * decode) is crashed with a message; the others go on.
 */
#include "hyp.h"

#include <hv/x86_exit.h>

#include <xen/sched.h>

static void load(struct hyp *h, struct vcpu *v)
{
	if (h->loaded == v)
		return;
	if (h->loaded)
		hv_x86_vcpu_put(&h->loaded->arch);
	h->loaded = v;
	if (v)
		hv_x86_vcpu_load(&v->arch);
}

static struct vcpu *pick(struct hyp *h)
{
	for (unsigned int i = 0; i < h->nr_domains; i++) {
		unsigned int n = (h->next + i) % h->nr_domains;
		struct vcpu *v = &h->domains[n].vcpu;

		if (v->state == VCPU_RUNNABLE) {
			h->next = (n + 1) % h->nr_domains;
			return v;
		}
	}
	return NULL;
}

void hyp_vcpu_block(struct hyp *h, struct vcpu *v)
{
	for (const struct hyp_extension *const *e = h->config->extensions;
	     e && *e; e++)
		if ((*e)->pending && (*e)->pending(v))
			return;
	v->state = VCPU_BLOCKED;
	h->resched = true;
}

/*
 * Nothing is runnable, and only a running vCPU could make a blocked one
 * runnable (no guest timers or device interrupts in these images): the
 * blocked domains would wait forever, as they would on Xen.  End them,
 * saying why, so that the run finishes.
 */
static void deadlock(struct hyp *h)
{
	for (unsigned int i = 0; i < h->nr_domains; i++) {
		struct vcpu *v = &h->domains[i].vcpu;

		if (v->state == VCPU_BLOCKED)
			hyp_crash(v, "blocked with nothing left to wake it "
				     "(every domain is blocked)");
	}
}

void hyp_crash(struct vcpu *v, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	hv_xen_domain_crash(&v->dom->xen, why);
}

static void skip(struct vcpu *v, unsigned int len)
{
	v->arch.vmcb->save.rip += len;
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
	if (v->arch.vmcb->save.rflags & HV_X86_RFLAGS_IF) {
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
	struct hv_x86_vmcb *vmcb = v->arch.vmcb;

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

void hyp_run(struct hyp *h)
{
	for (;;) {
		struct vcpu *v;

		if (h->live_domains == 0)
			hyp_finish(h);
		v = pick(h);
		if (!v) {
			deadlock(h);
			continue;
		}
		load(h, v);
		hv_x86_timer_set(&h->timer, hv_x86_timer_now(&h->timer) +
						h->config->timeslice);
		h->resched = false;
		while (!h->resched && v->state == VCPU_RUNNABLE)
			handle_exit(h, v, hv_x86_vcpu_run(&h->svm, &v->arch));
	}
}
