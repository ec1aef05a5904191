/*
 * Event-channel ping-pong between two domains where each takes its events
 * as interrupts (images that link event channels): "ping-irq", the first
 * domain, asks for its upcall on a per-vCPU vector
 * (HVMOP_set_evtchn_upcall_vector), offers a port and halts until its
 * interrupt handler has seen the other domain's event, then answers;
 * "pong-irq" (built with PONG) asks for the domain-wide callback vector
 * (HVM_PARAM_CALLBACK_IRQ), binds, signals and halts for the answer.
 * Neither looks at its pending bits outside the handler.  Built with SPIN,
 * ping waits running, interrupts on, rather than halted: on several pCPUs
 * the event comes from another pCPU while it runs there.
 */
#include "guest.h"

#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/memory.h>
#include <xen/sched.h>

#define PING_DOMID 0
#define PONG_DOMID 1
#define VECTOR	   0xe0

static struct shared_info shared __attribute__((aligned(4096)));
static volatile xen_ulong_t received; /* ports the handler took */
static volatile unsigned int interrupts;

/* The upcall: clear the flag and selector, take every pending port
 * (ports here are all below 64: one word). */
static void upcall(unsigned int vector)
{
	volatile struct vcpu_info *vi = &shared.vcpu_info[0];
	volatile xen_ulong_t *word = &shared.evtchn_pending[0];
	xen_ulong_t bits;

	CHECK_EQ(vector, VECTOR);
	interrupts++;
	vi->evtchn_upcall_pending = 0;
	vi->evtchn_pending_sel = 0;
	bits = *word;
	*word &= ~bits;
	received |= bits;
}

static long hvm_op(unsigned long op, void *arg)
{
	return guest_hypercall(__HYPERVISOR_hvm_op, op, (unsigned long)arg, 0,
			       0, 0);
}

/* Halt (or spin, with SPIN), interrupts on, until the handler has taken
 * `port`. */
static void wait_for(evtchn_port_t port)
{
	xen_ulong_t bit = (xen_ulong_t)1 << port;

#ifdef SPIN
	volatile xen_ulong_t *pending = &shared.evtchn_pending[0];
	uint64_t seen = 0, taken;

	__asm__ __volatile__("sti" ::: "memory");
	while (!(received & bit)) {
		if (!seen && (*pending & bit))
			seen = guest_ticks();
		__asm__ __volatile__("pause" ::: "memory");
	}
	taken = guest_ticks();
	__asm__ __volatile__("cli" ::: "memory");
	/* From the event in shared memory to the interrupt: how promptly
	 * it reaches a running vCPU (not checked: a loaded host varies). */
	if (seen)
		guest_printf("interrupt %llu us after the event was pending\n",
			     (unsigned long long)((taken - seen) * 1000000 /
						  guest_ticks_per_sec()));
#else
	while (!(received & bit))
		__asm__ __volatile__("sti; hlt; cli" ::: "memory");
#endif
	received &= ~bit;
}

static void send(evtchn_port_t port)
{
	struct evtchn_send s = {.port = port};

	CHECK_EQ(guest_evtchn_op(EVTCHNOP_send, &s), 0);
}

#if !defined(PONG)
static void take_interrupts(void)
{
	struct xen_hvm_evtchn_upcall_vector a = {.vcpu = 0, .vector = VECTOR};

	CHECK_EQ(hvm_op(HVMOP_set_evtchn_upcall_vector, &a), 0);
}

static void run(void)
{
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF,
					 .remote_dom = PONG_DOMID};

	CHECK_EQ(guest_evtchn_op(EVTCHNOP_alloc_unbound, &a), 0);
	guest_printf("offering port %u to domain %d\n", a.port, PONG_DOMID);
	wait_for(a.port);
	guest_printf("pinged by the other domain (%u interrupts)\n",
		     interrupts);
	send(a.port);
}
#else
static void take_interrupts(void)
{
	struct xen_hvm_param p = {
	    .domid = DOMID_SELF,
	    .index = HVM_PARAM_CALLBACK_IRQ,
	    .value = (uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56 | VECTOR};

	CHECK_EQ(hvm_op(HVMOP_set_param, &p), 0);
}

static void run(void)
{
	evtchn_port_t port =
	    guest_bind_offered_port(PING_DOMID, GUEST_FIRST_FREE_PORT);

	guest_printf("bound to port %u of domain %d as port %u\n",
		     GUEST_FIRST_FREE_PORT, PING_DOMID, port);
	/* Binding leaves the port pending (as Xen): its interrupt first. */
	wait_for(port);
	send(port);
	wait_for(port);
	guest_printf("ponged back (%u interrupts)\n", interrupts);
}
#endif

int main(void)
{
	guest_irq_handler = upcall;
	guest_map_shared_info(&shared);
	take_interrupts();
	run();
	CHECK(interrupts >= 1);
	return guest_test_result();
}
