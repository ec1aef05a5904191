/*
 * vCPUs blocking and waking, and the schedulers over them: an event wakes
 * a blocked vCPU (and one with an event pending does not block), a guest
 * timer wakes it on time whether others run or the pCPU idles, domains
 * blocked with nothing to wake them are ended, the round-robin takes
 * strict turns, and credit2 shares by weight.
 */
#include "fake_arch.h"

#include <hv/sched.h>

#include <stdio.h>
#include <string.h>
#include <xen/event_channel.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/xen.h>

#define MIB (1ull << 20)

static const struct hv_hyp_extension *const with_evtchn[] = {&hv_hyp_evtchn,
							     NULL};
static const struct hv_hyp_scheduler credit2 =
    HV_HYP_LIBHV_SCHEDULER(&hv_sched_credit2);

static long evtchn_op(struct hv_hyp_vcpu *v, unsigned int cmd, void *arg,
		      size_t len)
{
	return fake_op(v, __HYPERVISOR_event_channel_op, cmd, arg, len);
}

/* Events need the shared-info page (the 2-level ABI's bits): out of the
 * way of the scratch pages at the end of RAM. */
#define SHARED_INFO_GFN 0x300

/*
 * Event wake-up: "waiter" (domain 1) offers a port and blocks; "sender"
 * (domain 0) waits until it is blocked, binds to the port and sends.
 */
static struct {
	evtchn_port_t port; /* the waiter's, once offered */
	enum hv_hyp_vcpu_state waiter_at_send;
	unsigned int upcalls_before_send;
} ev;

static void waiter(struct hv_hyp_vcpu *v)
{
	evtchn_alloc_unbound_t a = {.dom = DOMID_SELF, .remote_dom = 0};

	switch (fake_vcpu(v)->exits) {
	case 0:
		fake_map_shared_info(v, SHARED_INFO_GFN);
		assert_int_equal(
		    evtchn_op(v, EVTCHNOP_alloc_unbound, &a, sizeof(a)), 0);
		ev.port = a.port;
		break;
	case 1:
		assert_int_equal(fake_block(v), 0);
		assert_int_equal(v->state, HV_HYP_VCPU_BLOCKED);
		break;
	default:
		assert_int_equal(fake_poweroff(v), 0);
		break;
	}
}

static void sender(struct hv_hyp_vcpu *v)
{
	struct hv_hyp_vcpu *w = &hv_hyp_domain_get(v->dom->hyp, 1)->vcpus[0];
	evtchn_bind_interdomain_t b = {.remote_dom = 1};
	evtchn_send_t s;

	if (fake_vcpu(v)->exits == 0)
		fake_map_shared_info(v, SHARED_INFO_GFN);
	if (!ev.port || w->state != HV_HYP_VCPU_BLOCKED)
		return; /* spin */
	b.remote_port = ev.port;
	assert_int_equal(evtchn_op(v, EVTCHNOP_bind_interdomain, &b, sizeof(b)),
			 0);
	ev.waiter_at_send = w->state;
	ev.upcalls_before_send = fake_vcpu(w)->upcalls;
	s.port = b.local_port;
	assert_int_equal(evtchn_op(v, EVTCHNOP_send, &s, sizeof(s)), 0);
	assert_int_equal(fake_poweroff(v), 0);
}

static void by_domain(struct fake *f, struct hv_hyp_vcpu *v)
{
	(void)f;
	if (v->dom->xen.id == 0)
		sender(v);
	else
		waiter(v);
}

static void check_event_wakes(const struct hv_hyp_config *core)
{
	struct fake f;
	struct hv_boot_domain cfg;
	struct hv_hyp_domain *w;

	memset(&ev, 0, sizeof(ev));
	fake_init(&f, FAKE_X86, 8192, 1, core, by_domain);
	fake_domain_config(&cfg, "sender", 4 * MIB, 1);
	fake_domain(&f, &cfg, 0);
	fake_domain_config(&cfg, "waiter", 4 * MIB, 1);
	w = fake_domain(&f, &cfg, 1);
	assert_int_equal(fake_run(&f), 0);
	assert_int_equal(ev.waiter_at_send, HV_HYP_VCPU_BLOCKED);
	assert_int_equal(ev.upcalls_before_send, 0);
	assert_int_equal(fake_vcpu(&w->vcpus[0])->upcalls, 1);
	assert_int_equal(fake_vcpu(&w->vcpus[0])->exits, 3);
	fake_fini(&f);
}

static void event_wakes_blocked_vcpu(void **state)
{
	struct hv_hyp_config rr = {.timeslice = HV_MSEC(1),
				   .extensions = with_evtchn};
	struct hv_hyp_config c2 = {.extensions = with_evtchn,
				   .scheduler = &credit2};

	(void)state;
	check_event_wakes(&rr);
	check_event_wakes(&c2);
}

/* A vCPU with an event pending does not block (Xen's vcpu_block). */
static void self_notify_then_block(struct fake *f, struct hv_hyp_vcpu *v)
{
	evtchn_bind_ipi_t b = {.vcpu = 0};
	evtchn_send_t s;

	(void)f;
	if (fake_vcpu(v)->exits > 0) {
		assert_int_equal(fake_poweroff(v), 0);
		return;
	}
	fake_map_shared_info(v, SHARED_INFO_GFN);
	assert_int_equal(evtchn_op(v, EVTCHNOP_bind_ipi, &b, sizeof(b)), 0);
	s.port = b.port;
	assert_int_equal(evtchn_op(v, EVTCHNOP_send, &s, sizeof(s)), 0);
	assert_int_equal(fake_block(v), 0);
	assert_int_equal(v->state, HV_HYP_VCPU_RUNNABLE);
}

static void pending_event_keeps_vcpu_running(void **state)
{
	struct hv_hyp_config rr = {.timeslice = HV_MSEC(1),
				   .extensions = with_evtchn};
	struct fake f;
	struct hv_boot_domain cfg;

	(void)state;
	fake_init(&f, FAKE_ARM, 4096, 1, &rr, self_notify_then_block);
	fake_domain_config(&cfg, "self", 4 * MIB, 1);
	fake_domain(&f, &cfg, 0);
	assert_int_equal(fake_run(&f), 0);
	fake_fini(&f);
}

/*
 * Timer wake-up: domain 0 sets its guest timer 5 ms ahead and blocks;
 * with `spinner`, domain 1 keeps the pCPU busy for 20 ms meanwhile.
 */
#define TIMER_NS HV_MSEC(5)

static void sleeper_or_spinner(struct fake *f, struct hv_hyp_vcpu *v)
{
	struct fake_vcpu *fv = fake_vcpu(v);

	if (v->dom->xen.id == 1) {
		if (f->now >= HV_MSEC(20))
			assert_int_equal(fake_poweroff(v), 0);
		return;
	}
	if (fv->exits == 0) {
		fv->wake_at = f->now + TIMER_NS;
		fv->scratch[0] = (uint64_t)fv->wake_at;
		assert_int_equal(fake_block(v), 0);
	} else {
		fv->wake_at = HV_TIME_NEVER; /* the guest acks its timer */
		assert_int_equal(fake_poweroff(v), 0);
	}
}

static void check_timer_wakes(const struct hv_hyp_config *core, bool spinner,
			      hv_time_t late_by)
{
	struct fake f;
	struct hv_boot_domain cfg;
	struct fake_vcpu *fv;
	hv_time_t due;

	fake_init(&f, FAKE_X86, 8192, 1, core, sleeper_or_spinner);
	f.exit_ns = 10000;
	fake_domain_config(&cfg, "sleeper", 4 * MIB, 1);
	fv = fake_vcpu(&fake_domain(&f, &cfg, 0)->vcpus[0]);
	if (spinner) {
		fake_domain_config(&cfg, "spinner", 4 * MIB, 1);
		fake_domain(&f, &cfg, 1);
	}
	assert_int_equal(fake_run(&f), 0);
	due = (hv_time_t)fv->scratch[0];
	assert_true(fv->woke >= due);
	assert_true(fv->woke <= due + late_by);
	fake_fini(&f);
}

static void timer_wakes_blocked_vcpu_on_time(void **state)
{
	struct hv_hyp_config rr = {.timeslice = HV_MSEC(1)};
	struct hv_hyp_config c2 = {.scheduler = &credit2};

	(void)state;
	/* Alone: the pCPU idles until the timer, then one exit. */
	check_timer_wakes(&rr, false, 10000);
	check_timer_wakes(&c2, false, 10000);
	/* Beside a spinner: the tick set for the wake-up ends its slice. */
	check_timer_wakes(&rr, true, 2 * 10000);
	check_timer_wakes(&c2, true, 2 * 10000);
}

static void block_forever(struct fake *f, struct hv_hyp_vcpu *v)
{
	(void)f;
	assert_int_equal(fake_block(v), 0);
}

/* Nothing can ever wake them: ended, saying why, and the run ends. */
static void stuck_domains_are_ended(void **state)
{
	struct hv_hyp_config rr = {.timeslice = HV_MSEC(1)};
	struct fake f;
	struct hv_boot_domain cfg;

	(void)state;
	fake_init(&f, FAKE_X86, 8192, 1, &rr, block_forever);
	fake_domain_config(&cfg, "stuck-a", 4 * MIB, 1);
	fake_domain(&f, &cfg, 0);
	fake_domain_config(&cfg, "stuck-b", 4 * MIB, 1);
	fake_domain(&f, &cfg, 1);
	assert_int_equal(fake_run(&f), 1);
	assert_true(fake_console_has(&f, "domain stuck-a crashed: blocked "
					 "with nothing left to wake it"));
	assert_true(fake_console_has(&f, "domain stuck-b crashed"));
	fake_fini(&f);
}

/* Round-robin: three domains that yield after each line take turns. */
static void line_then_yield(struct fake *f, struct hv_hyp_vcpu *v)
{
	char line[32];
	unsigned int n = fake_vcpu(v)->exits;

	(void)f;
	if (n == 3) {
		assert_int_equal(fake_poweroff(v), 0);
		return;
	}
	snprintf(line, sizeof(line), "%u\n", n);
	assert_int_equal(fake_print(v, line), 0);
	assert_int_equal(
	    fake_hypercall(v, __HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0), 0);
}

static void round_robin_takes_turns(void **state)
{
	struct hv_hyp_config rr = {.timeslice = HV_MSEC(1)};
	struct fake f;
	struct hv_boot_domain cfg;
	const char *expect = "(a) 0\n(b) 0\n(c) 0\n(a) 1\n(b) 1\n(c) 1\n"
			     "(a) 2\n(b) 2\n(c) 2\n";
	char got[128] = "";

	(void)state;
	fake_init(&f, FAKE_ARM, 8192, 1, &rr, line_then_yield);
	for (hv_domid_t i = 0; i < 3; i++) {
		char name[2] = {(char)('a' + i), 0};

		fake_domain_config(&cfg, name, 2 * MIB, 1);
		fake_domain(&f, &cfg, i);
	}
	assert_int_equal(fake_run(&f), 0);
	/* The lines, without the hypervisor's own. */
	for (const char *l = f.console; *l;) {
		const char *e = strchr(l, '\n');

		if (l[0] == '(' && l[2] == ')')
			strncat(got, l, (size_t)(e - l + 1));
		l = e + 1;
	}
	assert_string_equal(got, expect);
	fake_fini(&f);
}

/* credit2: two spinning domains of weight 256 and 512 share the pCPU
 * 1:2 by the time they get. */
static void credit2_shares_by_weight(void **state)
{
	struct hv_hyp_config c2 = {.scheduler = &credit2};
	struct fake f;
	double light, heavy;

	(void)state;
	fake_init(&f, FAKE_X86, 8192, 1, &c2, fake_spin_until_200ms);
	fake_weighted_pair(&f, "light");
	assert_int_equal(fake_run(&f), 0);
	light = fake_vcpu(&hv_hyp_domain_get(&f.hyp, 0)->vcpus[0])->exits;
	heavy = fake_vcpu(&hv_hyp_domain_get(&f.hyp, 1)->vcpus[0])->exits;
	print_message("light %.0f heavy %.0f exits\n", light, heavy);
	assert_true(heavy / light > 1.8 && heavy / light < 2.2);
	fake_fini(&f);
}

/*
 * A wake-up from outside every loop (input, as an arch's idle finds it in
 * its UART) of a vCPU whose pCPU saw nothing runnable when it stopped:
 * "reader", pinned to pCPU 1, blocks with nothing but input to wake it;
 * pCPU 0, idle with no deadline, takes input that wakes reader.  pCPU
 * 1, idle with no deadline too, must be asked to run it: the scheduler
 * has to hear that pCPU 1 went idle when reader blocked, or it takes the
 * wake-up for that of a vCPU still running there and asks nobody.
 */
static struct {
	bool typed, lost;
} rd;

static void reader(struct fake *f, struct hv_hyp_vcpu *v)
{
	(void)f;
	if (fake_vcpu(v)->exits == 0)
		assert_int_equal(fake_block(v), 0);
	else
		assert_int_equal(fake_poweroff(v), 0);
}

/* The arch's console input (the lock held): it wakes reader. */
static void input_wakes_reader(struct hv_hyp_domain *d, const char *s,
			       size_t len)
{
	(void)s;
	(void)len;
	hv_hyp_vcpu_wake(&d->vcpus[0]);
}

/* The reader, runnable, is on no pCPU, and pCPU 1 was not asked to look. */
static bool reader_left_waiting(struct fake *f)
{
	struct hv_hyp_vcpu *v = &hv_hyp_domain_get(&f->hyp, 0)->vcpus[0];

	return v->state == HV_HYP_VCPU_RUNNABLE && !f->pcpus[1].current &&
	       !f->pcpus[1].resched;
}

/* On pCPU 0: once reader has blocked, type; when pCPU 0 idles again,
 * see whether reader was left waiting (and then let pCPU 1 run it, so
 * that the test ends). */
static bool type_once_reader_blocks(struct fake *f, struct hv_hyp_pcpu *p,
				    hv_time_t until)
{
	struct hv_hyp_vcpu *v = &hv_hyp_domain_get(&f->hyp, 0)->vcpus[0];

	if (p->id != 0 || until != HV_TIME_NEVER)
		return false;
	if (!rd.typed) {
		while (__atomic_load_n(&v->state, __ATOMIC_ACQUIRE) !=
		       HV_HYP_VCPU_BLOCKED)
			sched_yield();
		rd.typed = true;
		hv_hyp_console_input(p, "x", 1);
		return true;
	}
	hv_spin_lock(&f->hyp.lock);
	if (reader_left_waiting(f)) {
		rd.lost = true;
		f->pcpus[1].resched = true;
	}
	hv_spin_unlock(&f->hyp.lock);
	return false;
}

static void input_wakes_vcpu_of_idle_pcpu(void **state)
{
	struct hv_hyp_config c2 = {.scheduler = &credit2};
	struct hv_boot_domain cfg;
	struct fake f;

	(void)state;
	memset(&rd, 0, sizeof(rd));
	fake_init(&f, FAKE_ARM, 8192, 2, &c2, reader);
	f.ops.console_input = input_wakes_reader;
	f.idle_hook = type_once_reader_blocks;
	fake_domain_config(&cfg, "reader", 4 * MIB, 1);
	cfg.cpus = "1";
	fake_domain(&f, &cfg, 0);
	assert_int_equal(fake_run(&f), 0);
	assert_true(rd.typed);
	assert_false(rd.lost);
	fake_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(event_wakes_blocked_vcpu),
	    cmocka_unit_test(pending_event_keeps_vcpu_running),
	    cmocka_unit_test(timer_wakes_blocked_vcpu_on_time),
	    cmocka_unit_test(stuck_domains_are_ended),
	    cmocka_unit_test(round_robin_takes_turns),
	    cmocka_unit_test(credit2_shares_by_weight),
	    cmocka_unit_test(input_wakes_vcpu_of_idle_pcpu),
	};
	return cmocka_run_group_tests_name("hyp-sched", tests, NULL, NULL);
}
