/*
 * Two domains exchange events over an interdomain channel (the -xen
 * images).
 * Built twice: as "ping" (domain 0), which offers a port to domain 1, and
 * as "pong" (domain 1), which binds to it.  Each waits for events with
 * SCHEDOP_block and drains them with libhv-evtchn-guest's 2-level
 * consumer, as a guest kernel's upcall handler would.  Each waits for the
 * other's event before it sends its own, so one event lost or delivered
 * twice leaves a domain waiting forever: the run fails.  -DROUNDS=N sets
 * the rounds (3 by default); only the first three and the last print.
 */
#include "guest.h"

#include <hv/bitmap.h>
#include <hv/evtchn_guest.h>

#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/xen.h>

#ifndef ROUNDS
#define ROUNDS 3
#endif
#define PING_DOMID 0
#define PONG_DOMID 1

static struct shared_info shared __attribute__((aligned(4096)));
static uint8_t shared_pad[4096 - sizeof(struct shared_info)]
    __attribute__((used));
static HV_DECLARE_BITMAP(arrived, EVTCHN_2L_NR_CHANNELS);
static struct hv_evtchn_guest_2l events;

static int evtchn_op(void *opaque, unsigned int cmd, void *arg)
{
	(void)opaque;
	return (int)guest_evtchn_op(cmd, arg);
}

static void handler(void *opaque, evtchn_port_t port)
{
	(void)opaque;
	hv_bitmap_set(arrived, port);
}

static const struct hv_evtchn_guest_ops ops = {
    .hypercall = evtchn_op,
    .handler = handler,
};

static void map_shared_info(void)
{
	guest_map_shared_info(&shared);
	hv_evtchn_guest_2l_init(&events, &shared, &shared.vcpu_info[0], NULL,
				&ops);
}

/* Sleep until `port` has an event, then consume it. */
static void wait_for(evtchn_port_t port)
{
	for (;;) {
		hv_evtchn_guest_2l_drain(&events);
		if (hv_bitmap_test(arrived, port))
			break;
		guest_hypercall(__HYPERVISOR_sched_op, SCHEDOP_block, 0, 0, 0,
				0);
	}
	hv_bitmap_clear(arrived, port);
}

static bool loud(int round)
{
	return round <= 3 || round == ROUNDS;
}

static void send(evtchn_port_t port)
{
	struct evtchn_send s = {.port = port};

	CHECK_EQ(evtchn_op(NULL, EVTCHNOP_send, &s), 0);
}

#ifdef PING
static int run(void)
{
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF,
					 .remote_dom = PONG_DOMID};
	/* Xen stores remote_dom unchecked (a port may be offered before its
	 * peer exists) but looks up `dom`: a domain that is not there. */
	struct evtchn_alloc_unbound nobody = {.dom = 77,
					      .remote_dom = PONG_DOMID};
	struct evtchn_send bad = {.port = 1000};
	struct evtchn_close c;

	CHECK_EQ(evtchn_op(NULL, EVTCHNOP_alloc_unbound, &a), 0);
	guest_printf("ping: port %u offered to domain %d\n", a.port,
		     PONG_DOMID);
	for (int i = 1; i <= ROUNDS; i++) {
		wait_for(a.port);
		if (loud(i))
			guest_printf("ping: event %d from pong\n", i);
		send(a.port);
	}
	CHECK_EQ(evtchn_op(NULL, EVTCHNOP_send, &bad), -XEN_EINVAL);
	CHECK_EQ(evtchn_op(NULL, EVTCHNOP_alloc_unbound, &nobody), -XEN_ESRCH);
	c.port = a.port;
	CHECK_EQ(evtchn_op(NULL, EVTCHNOP_close, &c), 0);
	return 0;
}
#else
static int run(void)
{
	evtchn_port_t port =
	    guest_bind_offered_port(PING_DOMID, GUEST_FIRST_FREE_PORT);

	guest_printf("pong: bound to ping's port %u as port %u\n",
		     GUEST_FIRST_FREE_PORT, port);
	/* As Xen does, binding made our port pending (a notification sent
	 * before the bind is not lost): consume that one, or we would take it
	 * for ping's first reply and run a round ahead. */
	wait_for(port);
	for (int i = 1; i <= ROUNDS; i++) {
		send(port);
		wait_for(port);
		if (loud(i))
			guest_printf("pong: reply %d from ping\n", i);
	}
	return 0;
}
#endif

int main(void)
{
	map_shared_info();
	run();
	return guest_test_result();
}
