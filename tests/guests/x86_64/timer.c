/*
 * A vCPU timer taken as an interrupt (images that link event channels):
 * VIRQ_TIMER bound to a port, a singleshot timer set, the vCPU blocked,
 * and the event delivered as Xen's upcall on the vector the guest chose:
 * first the domain's HVM_PARAM_CALLBACK_IRQ vector, blocking in
 * SCHEDOP_block with interrupts off (the interrupt comes when it turns
 * them on: an interrupt window), then a per-vCPU vector
 * (HVMOP_set_evtchn_upcall_vector), which takes precedence, blocking in
 * HLT with interrupts on.  Each wake-up must come no earlier than the
 * timer's delay, by the TSC, and each timer must raise one interrupt.
 */
#include "guest.h"

#include <xen/arch-x86/cpuid.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/features.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>

#define CALLBACK_VECTOR 0xf3
#define VCPU_VECTOR	0xf4
#define DELAY_NS	5000000ull /* 5 ms */

static struct shared_info shared __attribute__((aligned(4096)));
static evtchn_port_t timer_port;
static volatile unsigned int interrupts, timer_events, last_vector;

/* The upcall, as a guest's handler takes it: clear the upcall flag and
 * the selector, then take every pending port. */
static void upcall(unsigned int vector)
{
	volatile struct vcpu_info *vi = &shared.vcpu_info[0];
	volatile xen_ulong_t *word = &shared.evtchn_pending[0];
	xen_ulong_t bits;

	interrupts++;
	last_vector = vector;
	vi->evtchn_upcall_pending = 0;
	vi->evtchn_pending_sel = 0;
	bits = *word;
	*word &= ~bits;
	if (bits & (xen_ulong_t)1 << timer_port)
		timer_events++;
}

static void bind_timer(void)
{
	struct evtchn_bind_virq b = {.virq = VIRQ_TIMER, .vcpu = 0};

	CHECK_EQ(guest_hypercall(__HYPERVISOR_event_channel_op,
				 EVTCHNOP_bind_virq, (unsigned long)&b, 0, 0,
				 0),
		 0);
	timer_port = b.port;
	CHECK(timer_port < 8 * sizeof(xen_ulong_t));
}

/* Xen's system time, ns, from the TSC at the frequency Xen's CPUID leaf
 * gives in kHz: rounded down, that frequency makes this clock run a
 * little ahead of the hypervisor's, so a deadline can only come later. */
static uint64_t now_ns(void)
{
	return guest_ticks() * 1000000ull / (guest_ticks_per_sec() / 1000);
}

static void set_timer(uint64_t deadline)
{
	struct vcpu_set_singleshot_timer t = {.timeout_abs_ns = deadline};

	CHECK_EQ(guest_hypercall(__HYPERVISOR_vcpu_op,
				 VCPUOP_set_singleshot_timer, 0,
				 (unsigned long)&t, 0, 0),
		 0);
}

static long hvm_op(unsigned long op, void *arg)
{
	return guest_hypercall(__HYPERVISOR_hvm_op, op, (unsigned long)arg, 0,
			       0, 0);
}

static long set_vcpu_vector(uint32_t vcpu, uint8_t vector)
{
	struct xen_hvm_evtchn_upcall_vector a = {.vcpu = vcpu,
						 .vector = vector};

	return hvm_op(HVMOP_set_evtchn_upcall_vector, &a);
}

static void report(const char *how, uint64_t start)
{
	uint64_t elapsed =
	    (guest_ticks() - start) * 1000000000ull / guest_ticks_per_sec();

	guest_printf("%s: woke after %llu us (timer %llu us), vector %#x\n",
		     how, (unsigned long long)(elapsed / 1000),
		     (unsigned long long)(DELAY_NS / 1000), last_vector);
	CHECK(elapsed >= DELAY_NS);
}

/* The callback vector; SCHEDOP_block with interrupts off, as a guest
 * that checks for work first does: the event wakes the vCPU, the
 * interrupt waits for STI. */
static void block_with_callback_vector(void)
{
	struct xen_hvm_param p = {
	    .domid = DOMID_SELF,
	    .index = HVM_PARAM_CALLBACK_IRQ,
	    .value = (uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56 |
		     CALLBACK_VECTOR};
	uint64_t start;

	CHECK_EQ(hvm_op(HVMOP_set_param, &p), 0);
	start = guest_ticks();
	set_timer(now_ns() + DELAY_NS);
	while (!timer_events) {
		guest_hypercall(__HYPERVISOR_sched_op, SCHEDOP_block, 0, 0, 0,
				0);
		CHECK_EQ(interrupts, 0);
		__asm__ __volatile__("sti; nop; cli" ::: "memory");
	}
	report("SCHEDOP_block", start);
	CHECK_EQ(interrupts, 1);
	CHECK_EQ(last_vector, CALLBACK_VECTOR);
}

/* The per-vCPU vector, preferred; HLT with interrupts on ("sti; hlt":
 * no interrupt can come between them). */
static void halt_with_vcpu_vector(void)
{
	uint64_t start;

	CHECK_EQ(set_vcpu_vector(0, 0x0f), -XEN_EINVAL);
	CHECK_EQ(set_vcpu_vector(1, VCPU_VECTOR), -XEN_ENOENT);
	CHECK_EQ(set_vcpu_vector(0, VCPU_VECTOR), 0);
	CHECK_EQ(interrupts, 1); /* nothing was pending: no upcall */
	start = guest_ticks();
	set_timer(now_ns() + DELAY_NS);
	while (timer_events < 2)
		__asm__ __volatile__("sti; hlt; cli" ::: "memory");
	report("HLT", start);
	CHECK_EQ(interrupts, 2);
	CHECK_EQ(last_vector, VCPU_VECTOR);
}

/* Xen's way of saying the callback vector works. */
static void advertised(void)
{
	xen_feature_info_t fi = {.submap_idx = 0};
	uint32_t r[4];

	CHECK_EQ(guest_hypercall(__HYPERVISOR_xen_version, XENVER_get_features,
				 (unsigned long)&fi, 0, 0, 0),
		 0);
	CHECK(fi.submap & 1u << XENFEAT_hvm_callback_vector);
	guest_cpuid(XEN_CPUID_LEAF(4), 0, r);
	CHECK(r[0] & XEN_HVM_CPUID_UPCALL_VECTOR);
}

int main(void)
{
	uint64_t until;

	advertised();
	guest_irq_handler = upcall;
	guest_map_shared_info(&shared);
	bind_timer();
	block_with_callback_vector();
	halt_with_vcpu_vector();
	/* Nothing more comes: one interrupt per timer. */
	until = guest_ticks() + guest_ticks_per_sec() / 50;
	__asm__ __volatile__("sti" ::: "memory");
	while (guest_ticks() < until)
		guest_yield();
	__asm__ __volatile__("cli" ::: "memory");
	CHECK_EQ(interrupts, 2);
	CHECK_EQ(timer_events, 2);
	return guest_test_result();
}
