/*
 * Two domains signalling each other through an interdomain event channel
 * (images that link event channels): "ping", the first domain, offers an
 * unbound port to the second and blocks until it is signalled; "pong"
 * (built with PONG) binds to it, signals, and blocks for the answer.
 * Neither is ever woken by anything but the other's event.
 */
#include "guest.h"

#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/memory.h>
#include <xen/sched.h>

#define PING_DOMID 0
#define PONG_DOMID 1
#define BITS	   (8 * sizeof(xen_ulong_t))

static struct shared_info shared __attribute__((aligned(4096)));

static bool pending(evtchn_port_t port)
{
	volatile xen_ulong_t *word = &shared.evtchn_pending[port / BITS];

	return *word & (xen_ulong_t)1 << (port % BITS);
}

/* As a guest's upcall handler does: clear the upcall flag and the
 * selector word, then the port (a later event sets all three again). */
static void consume(evtchn_port_t port)
{
	volatile struct vcpu_info *vi = &shared.vcpu_info[0];
	volatile xen_ulong_t *word = &shared.evtchn_pending[port / BITS];

	vi->evtchn_upcall_pending = 0;
	vi->evtchn_pending_sel = 0;
	*word &= ~((xen_ulong_t)1 << (port % BITS));
}

/* Block until `port` is pending, then consume it. */
static void wait_for(evtchn_port_t port)
{
	while (!pending(port))
		guest_hypercall(__HYPERVISOR_sched_op, SCHEDOP_block, 0, 0, 0,
				0);
	consume(port);
}

static void send(evtchn_port_t port)
{
	struct evtchn_send s = {.port = port};

	CHECK_EQ(guest_evtchn_op(EVTCHNOP_send, &s), 0);
}

static void errors(void)
{
	struct evtchn_send bad = {.port = 4000};

	CHECK_EQ(guest_evtchn_op(EVTCHNOP_send, &bad), -XEN_EINVAL);
	CHECK_EQ(guest_evtchn_op(99, &bad), -XEN_ENOSYS);
	CHECK_EQ(guest_hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_send,
				 0x20000000ul, 0, 0, 0),
		 -XEN_EFAULT);
}

#if !defined(PONG)
static void run(void)
{
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF,
					 .remote_dom = PONG_DOMID};

	CHECK_EQ(guest_evtchn_op(EVTCHNOP_alloc_unbound, &a), 0);
	guest_printf("offering port %u to domain %d\n", a.port, PONG_DOMID);
	wait_for(a.port);
	guest_print("pinged by the other domain\n");
	send(a.port);
}
#else
static void run(void)
{
	evtchn_port_t port =
	    guest_bind_offered_port(PING_DOMID, GUEST_FIRST_FREE_PORT);

	guest_printf("bound to port %u of domain %d as port %u\n",
		     GUEST_FIRST_FREE_PORT, PING_DOMID, port);
	/* As Xen, binding leaves the new port pending, in case the other
	 * side signalled before: take that one first. */
	CHECK(pending(port));
	consume(port);
	send(port);
	wait_for(port);
	guest_print("ponged back\n");
}
#endif

int main(void)
{
	guest_map_shared_info(&shared);
	errors();
	run();
	return guest_test_result();
}
