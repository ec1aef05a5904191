/*
 * What SCHEDOP_poll needs of the library: whether a port is pending,
 * masked or not, and a callback for every port that becomes pending
 * (Xen's evtchn_check_pollers), in both ABIs.
 */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#include <cmocka.h>

static struct {
	unsigned int calls;
	hv_domid_t domid;
	hv_vcpuid_t vcpu;
	evtchn_port_t port;
} raised;

static void record_raised(void *ctx, struct hv_evtchn_domain *d,
			  hv_vcpuid_t vcpu, evtchn_port_t port)
{
	(void)ctx;
	raised.calls++;
	raised.domid = hv_evtchn_domain_id(d);
	raised.vcpu = vcpu;
	raised.port = port;
}

static void check_poll_view(bool fifo)
{
	struct dom_opts o = {.nr_vcpus = 2};
	struct world *w = world_new(1, &o);
	struct fake_dom *fd = dom(w, 0);
	evtchn_port_t port;

	w->ops.raised = record_raised;
	memset(&raised, 0, sizeof(raised));
	if (fifo)
		setup_fifo(fd, 1);
	port = bind_ipi(fd, 1);
	assert_int_equal(hv_evtchn_port_pending(fd->d, port), 0);
	/* Unbound and in range: not pending; past the ABI: -EINVAL. */
	assert_int_equal(hv_evtchn_port_pending(fd->d, port + 1), 0);
	assert_int_equal(hv_evtchn_port_pending(fd->d, fifo ? 1u << 17 : 4096),
			 -HV_EINVAL);
	/* Masked, it raises no upcall but still counts for a poller. */
	if (fifo)
		*fifo_word(fd, port) |= 1u << EVTCHN_FIFO_MASKED;
	else
		l2_set_mask(fd, port, true);
	send_port(fd, port);
	assert_int_equal(hv_evtchn_port_pending(fd->d, port), 1);
	assert_int_equal(raised.calls, 1);
	assert_int_equal(raised.domid, 0);
	assert_int_equal(raised.vcpu, 1);
	assert_int_equal(raised.port, port);
	assert_int_equal(dom(w, 0)->notified[1], 0);
	world_free(w);
}

static void two_level(void **state)
{
	(void)state;
	check_poll_view(false);
}

static void fifo(void **state)
{
	(void)state;
	check_poll_view(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(two_level),
	    cmocka_unit_test(fifo),
	};
	return cmocka_run_group_tests_name("evtchn-poll", tests, NULL, NULL);
}
