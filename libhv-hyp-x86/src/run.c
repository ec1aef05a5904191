/*
 * The x86_64 adapter's run-loop ops (the core's struct hv_hyp_arch_ops):
 * loading a vCPU, the local APIC timer that ends its slice, running it
 * and dispatching every guest exit, halting when nothing is runnable,
 * kicking another pCPU (a fixed IPI, which ends its HLT or makes its
 * guest exit), and the pCPU's interrupts (hv_hyp_x86_irq).  Each op runs
 * on the pCPU it is given and touches only that pCPU's APIC; what reaches
 * a vCPU from elsewhere (an upcall, a TLB flush) waits in its vcpu_arch
 * until the pCPU that enters it next.  A guest that does something the
 * hypervisor cannot allow or emulate (triple-faults, touches unbacked
 * memory with an instruction hvkit cannot decode) is crashed with a
 * message; the others go on.
 */
#include "priv.h"

#include <hv/x86_exit.h>
#include <hv/x86_lapic.h>
#include <hv/x86_npt.h>
#include <hv/x86_xen.h>

#include <xen/sched.h>

/*
 * A vCPU's domain shares its ASID with its other vCPUs, and each pCPU's
 * TLB keeps what the last vCPU of that ASID left: a vCPU that comes to a
 * pCPU from elsewhere (or after another) flushes its ASID at its VMRUN.
 * Its pvclock is rewritten, as Xen does when it schedules a vCPU.
 */
static void vcpu_load(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v)
{
	if (p->loaded)
		hv_x86_vcpu_put(&vcpu_arch(p->loaded)->cpu);
	if (!v)
		return;
	hv_x86_vcpu_load(&vcpu_arch(v)->cpu);
	hyp_x86_time_update(v);
	if (vcpu_arch(v)->cpu.vmcb->control.tlb_control == HV_X86_TLB_NONE)
		vcpu_arch(v)->cpu.vmcb->control.tlb_control =
		    HV_X86_TLB_FLUSH_ASID;
}

static hv_time_t now(struct hv_hyp *core)
{
	return hv_x86_timer_now(&x86_of(core)->timer);
}

/*
 * What is typed at the console UART, for the domain that has the console.
 * The UART is polled (hvkit programs no I/O APIC for its interrupt), by
 * pCPU 0 alone so that bytes keep their order: after each interrupt that
 * makes its guest exit (its tick among them) and each time it idles,
 * which, once a domain reads input (hv_hyp_console_wanted), it does for
 * at most CONSOLE_POLL at a time: before that, waking would only add a
 * contender for the core's lock.  A byte waits in the UART's 16-byte
 * FIFO meanwhile; QEMU stops reading its input while the FIFO is full,
 * so nothing typed is lost.
 */
#define CONSOLE_POLL HV_MSEC(10)

static void console_poll(struct hv_hyp_pcpu *p)
{
	char buf[16];
	size_t n;

	if (p->id != 0)
		return;
	n = hv_x86_uart_read(x86_of(p->hyp)->console, buf, sizeof(buf));
	if (n)
		hv_hyp_console_input(p, buf, n);
}

/* Nothing to run: halt until the timer (set to `until`) or another
 * interrupt.  STI's one-instruction shadow makes "sti; hlt" atomic: an
 * interrupt already pending wakes the HLT. */
static void idle(struct hv_hyp_pcpu *p, hv_time_t until)
{
	if (p->id == 0 && hv_hyp_console_wanted(p->hyp)) {
		hv_time_t poll = now(p->hyp) + CONSOLE_POLL;

		if (poll < until)
			until = poll;
	}
	hv_x86_timer_set(&x86_of(p->hyp)->timer, until);
	__asm__ __volatile__("sti; hlt; cli" ::: "memory");
	console_poll(p);
}

#define CACHE_INSN_LEN 2 /* invd: 0f 08, wbinvd: 0f 09 */

static void skip(struct hv_hyp_vcpu *v, unsigned int len)
{
	hv_x86_vmcb_skip(vcpu_arch(v)->cpu.vmcb, len);
}

static bool other_vcpu_up(struct hv_hyp_vcpu *v)
{
	for (unsigned int i = 0; i < v->dom->nr_vcpus; i++)
		if (i != v->id && v->dom->vcpus[i].state != HV_HYP_VCPU_DOWN)
			return true;
	return false;
}

/*
 * As Xen's hvm_hlt: with interrupts on, HLT blocks the vCPU until it has
 * work (an event, delivered as its upcall interrupt when it has a vector);
 * with them off nothing but an NMI could ever wake it, which Xen takes as
 * the guest's wish to stop: the vCPU goes down, and a domain whose last
 * vCPU is down is powered off.
 */
static void halt(struct hv_hyp_vcpu *v)
{
	skip(v, 1);
	if (vcpu_arch(v)->cpu.vmcb->save.rflags & HV_X86_RFLAGS_IF) {
		/* An interrupt its APIC has for it now ends the HLT at once. */
		if (!hyp_x86_lapic_has_work(v, now(v->dom->hyp)))
			hv_hyp_vcpu_block(v);
		return;
	}
	if (other_vcpu_up(v)) {
		hv_hyp_vcpu_set_state(v, HV_HYP_VCPU_DOWN);
		return;
	}
	hv_log_info(&v->dom->hyp->log,
		    "domain %s: its last vCPU halted with "
		    "interrupts off: powering it off",
		    v->dom->xen.name);
	hv_xen_domain_shutdown(&v->dom->xen, SHUTDOWN_poweroff);
}

/* Where v's event upcalls go: its own vector, else the domain's
 * callback vector, else nowhere (0). */
static uint8_t upcall_vector(struct hv_hyp_vcpu *v)
{
	return hv_x86_xen_upcall_vector(
	    v->upcall_vector, v->dom->xen.hvm_params[HVM_PARAM_CALLBACK_IRQ]);
}

/* Make pCPU p look at its state soon: a fixed IPI on the kick vector,
 * which ends its `sti; hlt` or makes its guest exit (the INTR
 * intercept).  The pCPU this runs on looks anyway. */
static void kick(struct hv_hyp_pcpu *p)
{
	struct hv_hyp_x86_pcpu *pc = pcpu_arch(p);

	if (pc != hv_hyp_x86_pcpu_this())
		hv_x86_lapic_send(x86_of(p->hyp)->timer.lapic, pc->apic_id,
				  hv_x86_icr_fixed(HV_HYP_X86_KICK_VECTOR));
}

/* The core's upcall op (lock held): an event is pending for v.  Without a
 * vector the guest learns of it only by looking (after a wake-up), as
 * before vectors existed.  Its own vector goes to its local APIC when the
 * guest has enabled it (lapic.c).  Otherwise v's next entry injects it;
 * if v runs on another pCPU now, that pCPU is kicked so that the entry
 * comes at once. */
static void upcall(struct hv_hyp_vcpu *v)
{
	struct hv_hyp_pcpu *p = &v->dom->hyp->pcpus[v->pcpu];

	if (!upcall_vector(v) ||
	    (v->upcall_vector && hyp_x86_lapic_upcall(v, v->upcall_vector)))
		return;
	hv_atomic_store_u32(&vcpu_arch(v)->upcall_pending, 1);
	if (p->current == v)
		kick(p);
}

/* Before entering v (no lock): the waiting upcall as an external
 * interrupt if the guest can take it now, else an interrupt window to
 * come back for it.  An upcall that comes meanwhile needs no injection
 * of its own: its event is in shared memory before the guest's handler
 * runs for this one. */
static void deliver_upcall(struct hv_hyp_vcpu *v)
{
	struct vcpu_arch *a = vcpu_arch(v);
	uint8_t vector = upcall_vector(v);

	if (!hv_atomic_load_u32(&a->upcall_pending))
		return;
	if (!vector || hyp_x86_inject_intr(v, vector))
		hv_atomic_store_u32(&a->upcall_pending, 0);
}

static void vcpu_exit(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v)
{
	struct hv_x86_vmcb *vmcb = vcpu_arch(v)->cpu.vmcb;
	uint64_t code = vcpu_arch(v)->exit_code;

	hv_x86_vmcb_reinject(vmcb);
	switch (code) {
	case HV_X86_EXIT_INTR:
		hv_x86_take_interrupts();
		console_poll(p);
		break;
	case HV_X86_EXIT_VINTR:
		/* The window asked for by deliver_upcall opened: the
		 * interrupt goes in at the next entry. */
		hv_x86_vmcb_close_window(vmcb);
		break;
	case HV_X86_EXIT_NMI:
	case HV_X86_EXIT_SMI:
	case HV_X86_EXIT_INIT:
		break; /* the host's; nothing for the guest */
	case HV_X86_EXIT_CPUID:
		hyp_x86_exit_cpuid(v);
		break;
	case HV_X86_EXIT_CR4_WRITE:
		hyp_x86_exit_cr4_write(v);
		break;
	case HV_X86_EXIT_MSR:
		hyp_x86_exit_msr(v);
		break;
	case HV_X86_EXIT_IOIO:
		hyp_x86_exit_ioio(v);
		break;
	case HV_X86_EXIT_VMMCALL:
		hyp_x86_exit_vmmcall(pcpu_arch(p), v);
		hyp_x86_time_update(v);
		break;
	case HV_X86_EXIT_HLT:
		halt(v);
		break;
	case HV_X86_EXIT_NPF:
		hyp_x86_exit_npf(v);
		break;
	case HV_X86_EXIT_SHUTDOWN:
		hv_hyp_crash(v, "triple fault at rip %#llx",
			     (unsigned long long)vmcb->save.rip);
		break;
	case HV_X86_EXIT_INVD:
	case HV_X86_EXIT_WBINVD:
		/* As Xen with no device of the guest's to write back for:
		 * nothing.  On a CPU, INVD would drop every domain's dirty
		 * lines, and WBINVD stall the others for a flush. */
		skip(v, CACHE_INSN_LEN);
		break;
	case HV_X86_EXIT_RDPMC:
		/* No counter to read: what a CPU says to an index it lacks,
		 * rather than the host's counters. */
		hv_x86_vmcb_inject_exception(vmcb, HV_X86_VEC_GP, true, 0);
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
			hv_hyp_crash(v,
				     "VMRUN refused its state (VMEXIT_INVALID) "
				     "at rip %#llx",
				     (unsigned long long)vmcb->save.rip);
		else
			hv_hyp_crash(
			    v, "unhandled exit %s (%#llx) at rip %#llx",
			    hv_x86_exit_name(code), (unsigned long long)code,
			    (unsigned long long)vmcb->save.rip);
		break;
	}
}

/* v's APIC timer, if it comes before the pCPU's own deadline, ends the
 * run for itself: the tick that follows brings v back here, where it
 * fires.  Its interrupt goes in after the upcall, or waits for a window. */
static void lapic_deliver(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v)
{
	hv_time_t t = now(p->hyp);
	hv_time_t timer;

	hyp_x86_lapic_deliver(v, t);
	timer = hyp_x86_lapic_wake_time(p, v);
	if (timer < pcpu_arch(p)->deadline)
		hv_x86_timer_set(&x86_of(p->hyp)->timer, timer);
}

/* No lock held.  in_guest is set before the flush request is read (the
 * exchange orders them): a P2M change either is seen here or sees this
 * pCPU in the guest (hyp_x86_p2m_flush). */
static void vcpu_run(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v)
{
	struct hv_hyp_x86_pcpu *pc = pcpu_arch(p);
	struct vcpu_arch *a = vcpu_arch(v);

	hv_atomic_store_u32(&pc->in_guest, 1);
	if (hv_atomic_xchg_u32(&a->flush_tlb, 0))
		a->cpu.vmcb->control.tlb_control = HV_X86_TLB_FLUSH_ALL;
	deliver_upcall(v);
	lapic_deliver(p, v);
	a->exit_code = hv_x86_vcpu_run(&pc->svm, &a->cpu);
	hv_atomic_store_u32(&pc->in_guest, 0);
}

static void timer_set(struct hv_hyp_pcpu *p, hv_time_t deadline)
{
	pcpu_arch(p)->deadline = deadline;
	hv_x86_timer_set(&x86_of(p->hyp)->timer, deadline);
}

/* The pCPU's interrupts: its tick and kicks from the others (which only
 * wake it or make its guest exit); 0xff is the APIC's spurious vector and
 * 2 an NMI (exited on, then taken here), which take no EOI. */
void hv_hyp_x86_irq(void *opaque, unsigned int vector)
{
	struct hv_hyp_x86_pcpu *pc = opaque;

	if (vector == 0xff || vector == 2)
		return;
	hv_x86_timer_eoi(&x86_of(pc->pcpu->hyp)->timer);
	if (vector == HV_HYP_X86_TIMER_VECTOR)
		hv_hyp_tick(pc->pcpu);
}

/* For the trace: the SVM exit code (VMEXIT_*). */
static uint32_t exit_reason(struct hv_hyp_vcpu *v)
{
	return (uint32_t)vcpu_arch(v)->exit_code;
}

static void console_write(struct hv_hyp *core, const char *s, size_t len)
{
	hv_x86_uart_write(x86_of(core)->console, s, len);
}

const struct hv_hyp_arch_ops hv_hyp_x86_ops = {
    .name = "x86_64",
    .p2m_format = &hv_x86_npt,
    .xenmem_abi = &hv_mm_xenmem_x86,
    .xen_arch = HV_XEN_ARCH_X86_HVM,
    .shared_info_moves = true, /* as Xen on x86 */
    /* Xen's console special page (frame 0xfefff, just below the special
     * region's end at 0xff000), beyond the RAM of domains under 4 GiB. */
    .console_ring_gpa = 0xfefff000,
    .vcpu_ops = HV_HYP_VCPU_OPS_X86_HVM,
    .vcpu_op_refused = -HV_ENOSYS,
    .domain_size = sizeof(struct domain_arch),
    .vcpu_size = sizeof(struct vcpu_arch),
    .domain_init = hyp_x86_domain_init,
    .domain_destroy = hyp_x86_domain_destroy,
    .vcpu_load = vcpu_load,
    .vcpu_run = vcpu_run,
    .vcpu_exit = vcpu_exit,
    .exit_reason = exit_reason,
    .vcpu_wake_time = hyp_x86_lapic_wake_time,
    .now = now,
    .timer_set = timer_set,
    .idle = idle,
    .kick = kick,
    .p2m_flush = hyp_x86_p2m_flush,
    .upcall = upcall,
    .vcpu_initialise = hyp_x86_vcpu_initialise,
    .guest_vmem = hyp_x86_gmem_linear,
    .console_write = console_write,
    .console_rx = true, /* console_poll */
    /* The hypervisor runs on an identity map. */
    .phys_to_virt = hv_hyp_identity_phys_to_virt,
    .virt_to_phys = hv_hyp_identity_virt_to_phys,
};
