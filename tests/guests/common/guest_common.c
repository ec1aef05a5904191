/* The architecture-neutral part of the test guests' runtime. */
#include "guest_common.h"

#include <hv/fmt.h>
#include <hv/string.h>

#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/xen.h>

static unsigned int checks, failures;

void guest_print(const char *s)
{
	guest_hypercall(__HYPERVISOR_console_io, CONSOLEIO_write, strlen(s),
			(unsigned long)s, 0, 0);
}

void guest_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	guest_print(buf);
}

void guest_yield(void)
{
	guest_hypercall(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, 0, 0);
}

void guest_shutdown(unsigned int reason)
{
	struct sched_shutdown s = {.reason = reason};

	guest_hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
			(unsigned long)&s, 0, 0, 0);
	for (;;)
		guest_print("shutdown returned!\n");
}

void guest_exit(int status)
{
	guest_shutdown(status == 0 ? SHUTDOWN_poweroff : SHUTDOWN_crash);
}

void guest_check(bool ok, const char *what, int line)
{
	checks++;
	if (!ok) {
		failures++;
		guest_printf("FAILED line %d: %s\n", line, what);
	}
}

void guest_check_eq(long long got, long long want, const char *what, int line)
{
	checks++;
	if (got != want) {
		failures++;
		guest_printf("FAILED line %d: %s is %lld, expected %lld\n",
			     line, what, got, want);
	}
}

int guest_test_result(void)
{
	guest_printf("%u checks, %u failed\n", checks, failures);
	guest_print(failures ? "Test result: FAILURE\n"
			     : "Test result: SUCCESS\n");
	return failures ? 1 : 0;
}

void guest_map_shared_info(void *page)
{
	struct xen_add_to_physmap x = {.domid = DOMID_SELF,
				       .space = XENMAPSPACE_shared_info,
				       .gpfn = (uintptr_t)page >> 12};

	CHECK_EQ(guest_hypercall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
				 (unsigned long)&x, 0, 0, 0),
		 0);
}

long guest_evtchn_op(unsigned int cmd, void *arg)
{
	return guest_hypercall(__HYPERVISOR_event_channel_op, cmd,
			       (unsigned long)arg, 0, 0, 0);
}

uint32_t guest_bind_offered_port(uint16_t domid, uint32_t port)
{
	struct evtchn_bind_interdomain b = {.remote_dom = domid,
					    .remote_port = port};
	long err;

	while ((err = guest_evtchn_op(EVTCHNOP_bind_interdomain, &b)) ==
	       -XEN_EINVAL)
		guest_yield();
	CHECK_EQ(err, 0);
	return err ? 0 : b.local_port;
}
