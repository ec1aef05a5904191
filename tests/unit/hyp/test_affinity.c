/*
 * Hard affinity (a domain's `cpus`), on four pCPU threads: a `cpus` that
 * names no pCPU of the machine is refused with the domain and the field
 * named; vCPUs run only where their domain's `cpus` allows, under both
 * schedulers; an event-channel ping-pong between domains pinned to pCPUs
 * 1 and 2 loses no event, and no wake-up kicks a pCPU other than theirs.
 */
#include "fake_arch.h"

#include <hv/sched.h>

#include <string.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xen/xen.h>

#define MIB   (1ull << 20)
#define PCPUS 4

static const struct hv_hyp_extension *const with_evtchn[] = {&hv_hyp_evtchn,
							     NULL};
static const struct hv_hyp_scheduler credit2 =
    HV_HYP_LIBHV_SCHEDULER(&hv_sched_credit2);

static void nothing(struct fake *f, struct hv_hyp_vcpu *v)
{
	(void)f;
	(void)v;
}

/* Each bad `cpus` is refused, says why, and takes nothing. */
static void bad_cpus_are_refused_naming_the_domain(void **state)
{
	static const struct {
		const char *cpus, *message;
	} bad[] = {
	    {"4", "domain pinned: cpus \"4\": no such pCPU 4 (pCPUs are 0-3)"},
	    {"0-9", "domain pinned: cpus \"0-9\": no such pCPU 9"},
	    {"1,^1", "domain pinned: cpus \"1,^1\": names no pCPU"},
	    {"3-1", "domain pinned: cpus \"3-1\": expected \"all\" or pCPU "
		    "numbers and ranges such as \"0-3,^1\""},
	    {"x", "domain pinned: cpus \"x\": expected"},
	    {"1,", "domain pinned: cpus \"1,\": expected"},
	};
	struct hv_hyp_config rr = {.timeslice = HV_MSEC(1)};
	struct hv_boot_domain cfg;
	struct fake f;
	uint64_t before;

	(void)state;
	fake_init(&f, FAKE_ARM, 8192, PCPUS, &rr, nothing);
	before = fake_free_pages(&f);
	fake_domain_config(&cfg, "pinned", 4 * MIB, 2);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cfg.cpus = bad[i].cpus;
		assert_int_equal(hv_hyp_domain_create(&f.hyp, &cfg, 0, NULL),
				 -HV_EINVAL);
		if (!fake_log_has(&f, bad[i].message))
			fail_msg("cpus \"%s\": no \"%s\" in:\n%s", bad[i].cpus,
				 bad[i].message, f.log);
		assert_null(hv_hyp_domain_get(&f.hyp, 0));
		assert_int_equal(fake_free_pages(&f), before);
	}
	fake_fini(&f);
}

static void check_masks(const char *cpus, unsigned long want)
{
	struct hv_hyp_config rr = {.timeslice = HV_MSEC(1)};
	struct hv_boot_domain cfg;
	struct hv_hyp_domain *d;
	struct fake f;

	fake_init(&f, FAKE_ARM, 8192, PCPUS, &rr, nothing);
	fake_domain_config(&cfg, "pinned", 4 * MIB, 1);
	cfg.cpus = cpus;
	d = fake_domain(&f, &cfg, 0);
	assert_int_equal(d->cpus[0], want);
	fake_fini(&f);
}

/* xl's syntax: items applied in order to an empty set; none is all. */
static void cpus_in_xl_syntax(void **state)
{
	(void)state;
	check_masks(NULL, 0xf);
	check_masks("all", 0xf);
	check_masks("2", 0x4);
	check_masks("0-3,^1", 0xd);
	check_masks(" 3 , 0 ", 0x9);
	check_masks("0-2,^0-1,3", 0xc);
}

/* Work with yields and timed blocks, as the SMP test's guests do. */
#define WORK 200

static void worker(struct fake *f, struct hv_hyp_vcpu *v)
{
	struct fake_vcpu *fv = fake_vcpu(v);
	unsigned int n = fv->exits;

	if (n == 0 && v->id == 0)
		hv_hyp_vcpu_set_state(&v->dom->vcpus[1], HV_HYP_VCPU_RUNNABLE);
	fv->wake_at = HV_TIME_NEVER;
	if (n < WORK) {
		fv->scratch[0]++;
		if (n % 7 == 3) {
			fv->wake_at = f->now + HV_USEC(50);
			assert_int_equal(fake_block(v), 0);
		} else if (n % 5 == 0) {
			assert_int_equal(fake_hypercall(v,
							__HYPERVISOR_sched_op,
							SCHEDOP_yield, 0, 0),
					 0);
		}
		return;
	}
	hv_hyp_vcpu_set_state(v, HV_HYP_VCPU_DOWN);
	if (v->dom->vcpus[0].state == HV_HYP_VCPU_DOWN &&
	    v->dom->vcpus[1].state == HV_HYP_VCPU_DOWN)
		assert_int_equal(fake_poweroff(v), 0);
}

static void check_vcpus_stay_within(const struct hv_hyp_config *core)
{
	static const struct {
		const char *cpus;
		unsigned int mask;
	} doms[] = {{"1", 0x2}, {"2-3", 0xc}, {"0,3", 0x9}, {"all", 0xf}};
	struct hv_boot_domain cfg;
	struct fake f;

	fake_init(&f, FAKE_ARM, 32768, PCPUS, core, worker);
	for (hv_domid_t i = 0; i < 4; i++) {
		fake_domain_config(&cfg, doms[i].cpus, 4 * MIB, 2);
		cfg.cpus = doms[i].cpus;
		fake_domain(&f, &cfg, i);
	}
	assert_int_equal(fake_run(&f), 0);
	for (hv_domid_t i = 0; i < 4; i++) {
		struct hv_hyp_domain *d = hv_hyp_domain_get(&f.hyp, i);

		for (unsigned int j = 0; j < 2; j++) {
			struct fake_vcpu *fv = fake_vcpu(&d->vcpus[j]);

			assert_int_equal(fv->scratch[0], WORK);
			assert_int_not_equal(fv->pcpus_seen, 0);
			assert_int_equal(fv->pcpus_seen & ~doms[i].mask, 0);
		}
	}
	fake_fini(&f);
}

static void vcpus_run_only_where_allowed(void **state)
{
	struct hv_hyp_config rr = {.timeslice = HV_USEC(20)};
	struct hv_hyp_config c2 = {.scheduler = &credit2};

	(void)state;
	check_vcpus_stay_within(&rr);
	check_vcpus_stay_within(&c2);
}

/*
 * The ping-pong of the QEMU test, on the fake: "pong" (domain 1) binds to
 * the port "ping" (domain 0) offers and sends first; each answers every
 * event it takes, and blocks in between.  An event lost leaves both
 * blocked (the core then ends them), one delivered twice ends a domain a
 * round early; each counts the rounds it saw.
 */
#define ROUNDS 300

static struct {
	evtchn_port_t offered; /* ping's port, once offered */
	evtchn_port_t port[2]; /* each domain's end */
	unsigned int rounds[2];
	unsigned int upcalls_seen[2];
} pp;

static long evtchn_op(struct hv_hyp_vcpu *v, unsigned int cmd, void *arg,
		      size_t len)
{
	return fake_op(v, __HYPERVISOR_event_channel_op, cmd, arg, len);
}

static void send(struct hv_hyp_vcpu *v, unsigned int me)
{
	evtchn_send_t s = {.port = pp.port[me]};

	assert_int_equal(evtchn_op(v, EVTCHNOP_send, &s, sizeof(s)), 0);
}

/* Take what arrived; true if it was an event (a new upcall). */
static bool take_event(struct hv_hyp_vcpu *v, unsigned int me)
{
	unsigned int upcalls = fake_vcpu(v)->upcalls;
	bool got = upcalls != pp.upcalls_seen[me];

	pp.upcalls_seen[me] = upcalls;
	fake_ack_events(v);
	return got;
}

static bool set_up(struct hv_hyp_vcpu *v, unsigned int me)
{
	evtchn_alloc_unbound_t a = {.dom = DOMID_SELF, .remote_dom = 1};
	evtchn_bind_interdomain_t b = {.remote_dom = 0};

	if (fake_vcpu(v)->exits == 0)
		fake_map_shared_info(v, 0x300);
	if (me == 0 && !pp.offered) {
		assert_int_equal(
		    evtchn_op(v, EVTCHNOP_alloc_unbound, &a, sizeof(a)), 0);
		pp.port[0] = a.port;
		pp.offered = a.port;
		return true;
	}
	if (me == 1 && !pp.port[1]) {
		if (!pp.offered)
			return true; /* spin until ping offers */
		b.remote_port = pp.offered;
		assert_int_equal(
		    evtchn_op(v, EVTCHNOP_bind_interdomain, &b, sizeof(b)), 0);
		pp.port[1] = b.local_port;
		take_event(v, me); /* binding made the port pending, as Xen */
		send(v, me);
		return true;
	}
	return false;
}

static void ping_pong(struct fake *f, struct hv_hyp_vcpu *v)
{
	unsigned int me = v->dom->xen.id;

	(void)f;
	if (!set_up(v, me) && take_event(v, me)) {
		pp.rounds[me]++;
		if (me == 0 || pp.rounds[me] < ROUNDS)
			send(v, me);
		if (pp.rounds[me] == ROUNDS) {
			assert_int_equal(fake_poweroff(v), 0);
			return;
		}
	}
	if (me == 0 || pp.port[1])
		assert_int_equal(fake_block(v), 0);
}

static void check_ping_pong(const struct hv_hyp_config *core)
{
	struct hv_boot_domain cfg;
	struct hv_hyp_domain *ping, *pong;
	struct fake f;

	memset(&pp, 0, sizeof(pp));
	fake_init(&f, FAKE_ARM, 8192, PCPUS, core, ping_pong);
	fake_domain_config(&cfg, "ping", 4 * MIB, 1);
	cfg.cpus = "1";
	ping = fake_domain(&f, &cfg, 0);
	fake_domain_config(&cfg, "pong", 4 * MIB, 1);
	cfg.cpus = "2";
	pong = fake_domain(&f, &cfg, 1);
	assert_int_equal(fake_run(&f), 0);
	assert_int_equal(pp.rounds[0], ROUNDS);
	assert_int_equal(pp.rounds[1], ROUNDS);
	assert_int_equal(fake_vcpu(&ping->vcpus[0])->pcpus_seen, 1u << 1);
	assert_int_equal(fake_vcpu(&pong->vcpus[0])->pcpus_seen, 1u << 2);
	/* Every wake-up kicked the one pCPU its vCPU may run on, each
	 * round at most once, and never a pCPU where nothing may run: those
	 * only heard of the last domain's end. */
	assert_int_equal(f.kicks[0], 1);
	assert_int_equal(f.kicks[3], 1);
	assert_in_range(f.kicks[1], 1, ROUNDS + 3);
	assert_in_range(f.kicks[2], 1, ROUNDS + 3);
	fake_fini(&f);
}

static void pinned_ping_pong_kicks_only_its_pcpus(void **state)
{
	struct hv_hyp_config rr = {.timeslice = HV_MSEC(1),
				   .extensions = with_evtchn};
	struct hv_hyp_config c2 = {.extensions = with_evtchn,
				   .scheduler = &credit2};

	(void)state;
	check_ping_pong(&rr);
	check_ping_pong(&c2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(bad_cpus_are_refused_naming_the_domain),
	    cmocka_unit_test(cpus_in_xl_syntax),
	    cmocka_unit_test(vcpus_run_only_where_allowed),
	    cmocka_unit_test(pinned_ping_pong_kicks_only_its_pcpus),
	};
	return cmocka_run_group_tests_name("hyp-affinity", tests, NULL, NULL);
}
