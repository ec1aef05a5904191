/*
 * The core's trace (struct hv_hyp.trace): two spinning domains of weight
 * 256 and 512 under credit2 on one pCPU, every record drained into an
 * array.  From the records alone: both domains with their weights and
 * names, run time shared 1:2, every exit with its reason and cost, the
 * hypercalls and the shutdowns, and no record lost.
 */
#include "fake_arch.h"

#include <hv/sched.h>

#include <stdio.h>
#include <string.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <xen/xen.h>

#define MIB	     (1ull << 20)
#define MAX_RECORDS  200000
#define EXIT_REASON  0x7b
#define RING_RECORDS 256

static const struct hv_hyp_scheduler credit2 =
    HV_HYP_LIBHV_SCHEDULER(&hv_sched_credit2);

static struct {
	struct hv_trace t;
	struct hv_trace_ring ring;
	struct hv_trace_record ring_records[RING_RECORDS];
	struct hv_trace_record got[MAX_RECORDS];
	size_t nr;
	struct fake *f;
} tr;

static uint64_t trace_now(struct hv_trace *t)
{
	(void)t;
	return (uint64_t)tr.f->now;
}

static void trace_drain(struct hv_trace *t, struct hv_trace_ring *r)
{
	(void)t;
	tr.nr += hv_trace_ring_read(r, tr.got + tr.nr, MAX_RECORDS - tr.nr);
}

static uint32_t exit_reason(struct hv_hyp_vcpu *v)
{
	return EXIT_REASON + v->dom->xen.id;
}

static void trace_on(struct fake *f)
{
	tr.f = f;
	tr.nr = 0;
	assert_int_equal(
	    hv_trace_ring_init(&tr.ring, tr.ring_records, RING_RECORDS, 0), 0);
	tr.t = (struct hv_trace){.rings = &tr.ring,
				 .nr_rings = 1,
				 .now = trace_now,
				 .drain = trace_drain};
	f->hyp.trace = &tr.t;
	f->ops.exit_reason = exit_reason;
}

/* The records of one event. */
static size_t count(uint16_t event)
{
	size_t n = 0;

	for (size_t i = 0; i < tr.nr; i++)
		n += tr.got[i].event == event;
	return n;
}

static const struct hv_trace_record *find(uint16_t event, uint32_t dom)
{
	for (size_t i = 0; i < tr.nr; i++)
		if (tr.got[i].event == event && tr.got[i].arg[0] == dom)
			return &tr.got[i];
	return NULL;
}

/* ns each domain ran, from its VCPU_RUN to the VCPU_STOP after it. */
static void run_time(uint64_t ran[2])
{
	uint64_t since = 0;
	int on = -1;

	for (size_t i = 0; i < tr.nr; i++) {
		const struct hv_trace_record *r = &tr.got[i];

		if (r->event == HV_TRACE_VCPU_RUN) {
			assert_int_equal(on, -1); /* one vCPU at a time */
			on = (int)r->arg[0];
			since = r->time;
		} else if (r->event == HV_TRACE_VCPU_STOP) {
			assert_int_equal(on, (int)r->arg[0]);
			ran[on] += r->time - since;
			on = -1;
		}
	}
	assert_int_equal(on, -1);
}

static void credit2_run_is_traced(void **state)
{
	struct hv_hyp_config c2 = {.scheduler = &credit2};
	struct fake f;
	const struct hv_trace_record *r;
	uint64_t ran[2] = {0, 0};
	size_t exits = 0;
	char name[13] = {0};

	(void)state;
	fake_init(&f, FAKE_X86, 8192, 1, &c2, fake_spin_until_200ms);
	trace_on(&f);
	fake_weighted_pair(&f, "light-domain");
	assert_int_equal(fake_run(&f), 0);
	trace_drain(&tr.t, &tr.ring);

	/* Nothing lost: the sequence numbers run on, none skipped. */
	assert_int_equal(tr.ring.lost, 0);
	for (size_t i = 0; i < tr.nr; i++)
		assert_int_equal(tr.got[i].seq, i);

	r = find(HV_TRACE_DOMAIN_CREATE, 1);
	assert_non_null(r);
	assert_int_equal(r->arg[1], 1);	  /* vCPUs */
	assert_int_equal(r->arg[2], 512); /* weight */
	r = find(HV_TRACE_DOMAIN_NAME, 0);
	assert_non_null(r);
	memcpy(name, &r->arg[1], 12);
	assert_string_equal(name, "light-domain");

	run_time(ran);
	print_message("ran light %llu heavy %llu ns\n",
		      (unsigned long long)ran[0], (unsigned long long)ran[1]);
	assert_true((double)ran[1] / (double)ran[0] > 1.8 &&
		    (double)ran[1] / (double)ran[0] < 2.2);

	for (size_t i = 0; i < tr.nr; i++) {
		r = &tr.got[i];
		if (r->event != HV_TRACE_VM_EXIT)
			continue;
		exits++;
		assert_int_equal(r->arg[2], EXIT_REASON + r->arg[0]);
		assert_int_equal(r->arg[3], 10000); /* f.exit_ns */
	}
	assert_int_equal(
	    exits,
	    fake_vcpu(&hv_hyp_domain_get(&f.hyp, 0)->vcpus[0])->exits +
		fake_vcpu(&hv_hyp_domain_get(&f.hyp, 1)->vcpus[0])->exits);

	/* Each domain's poweroff: the hypercall and the shutdown. */
	assert_int_equal(count(HV_TRACE_DOMAIN_SHUTDOWN), 2);
	r = find(HV_TRACE_HYPERCALL, 1);
	assert_non_null(r);
	assert_int_equal(r->arg[2], __HYPERVISOR_sched_op);
	assert_int_equal(r->arg[3], 0);
	assert_int_equal(find(HV_TRACE_DOMAIN_SHUTDOWN, 1)->arg[1],
			 SHUTDOWN_poweroff);
	fake_fini(&f);
}

/* A vCPU that binds an IPI port and sends on it: the port raised and
 * the upcall are in the trace, with the hypercalls. */
static evtchn_port_t ipi_port;

static void ipi_self(struct fake *f, struct hv_hyp_vcpu *v)
{
	evtchn_bind_ipi_t b = {.vcpu = 0};
	evtchn_send_t send;

	(void)f;
	switch (fake_vcpu(v)->exits) {
	case 0:
		fake_map_shared_info(v, 0x300);
		assert_int_equal(fake_op(v, __HYPERVISOR_event_channel_op,
					 EVTCHNOP_bind_ipi, &b, sizeof(b)),
				 0);
		ipi_port = b.port;
		break;
	case 1:
		send.port = ipi_port;
		assert_int_equal(fake_op(v, __HYPERVISOR_event_channel_op,
					 EVTCHNOP_send, &send, sizeof(send)),
				 0);
		break;
	default:
		assert_int_equal(fake_poweroff(v), 0);
	}
}

static void events_are_traced(void **state)
{
	static const struct hv_hyp_extension *const with_evtchn[] = {
	    &hv_hyp_evtchn, NULL};
	struct hv_hyp_config c = {.extensions = with_evtchn};
	struct fake f;
	struct hv_boot_domain cfg;
	const struct hv_trace_record *r;

	(void)state;
	fake_init(&f, FAKE_X86, 8192, 1, &c, ipi_self);
	trace_on(&f);
	fake_domain_config(&cfg, "ipi", 4 * MIB, 1);
	fake_domain(&f, &cfg, 0);
	assert_int_equal(fake_run(&f), 0);
	trace_drain(&tr.t, &tr.ring);
	r = find(HV_TRACE_EVTCHN_RAISED, 0);
	assert_non_null(r);
	assert_int_equal(r->arg[1], 0); /* vCPU */
	assert_int_equal(r->arg[2], ipi_port);
	assert_non_null(find(HV_TRACE_EVTCHN_UPCALL, 0));
	/* add_to_physmap, bind_ipi, send, shutdown */
	assert_int_equal(count(HV_TRACE_HYPERCALL), 4);
	fake_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(credit2_run_is_traced),
	    cmocka_unit_test(events_are_traced),
	};
	return cmocka_run_group_tests_name("hyp-trace", tests, NULL, NULL);
}
