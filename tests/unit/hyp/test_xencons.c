/*
 * The Xen console ring (hv_hyp_xencons) on the fake architecture: the
 * parameters a guest reads, output drained and printed as the domain's
 * lines, index wrap-around, a guest that lies about its indices (no more
 * than one ring taken, nothing else touched, the others go on), typed
 * input delivered into in[] with a notification, and every page back.
 */
#include "fake_arch.h"

#include <stddef.h>
#include <string.h>
#include <xen/event_channel.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/io/console.h>

#define MIB		(1ull << 20)
#define SHARED_INFO_GFN (FAKE_RAM_BASE + 16)
#define RING(field)	offsetof(struct xencons_interface, field)

static const struct hv_hyp_extension *const exts[] = {&hv_hyp_evtchn,
						      &hv_hyp_xencons, NULL};
static const struct hv_hyp_config rr = {.timeslice = HV_MSEC(1),
					.extensions = exts};

static uint64_t param(struct hv_hyp_vcpu *v, uint32_t index)
{
	struct xen_hvm_param p = {.domid = DOMID_SELF, .index = index};

	assert_int_equal(
	    fake_op(v, __HYPERVISOR_hvm_op, HVMOP_get_param, &p, sizeof(p)), 0);
	return p.value;
}

struct guest {
	struct hv_hyp_domain *d;
	struct hv_hyp_vcpu *v;
	hv_gpaddr_t ring;
	evtchn_port_t port;
};

static void build(struct fake *f, enum fake_flavour flavour, struct guest *g,
		  unsigned int n)
{
	static const char *const names[] = {"first", "second"};
	struct hv_boot_domain cfg;

	fake_init(f, flavour, 8192, 1, &rr, NULL);
	for (unsigned int i = 0; i < n; i++) {
		fake_domain_config(&cfg, names[i], 4 * MIB, 1);
		g[i].d = fake_domain(f, &cfg, (hv_domid_t)i);
		g[i].v = &g[i].d->vcpus[0];
		fake_map_shared_info(g[i].v, SHARED_INFO_GFN);
		g[i].ring = param(g[i].v, HVM_PARAM_CONSOLE_PFN)
			    << HV_PAGE_SHIFT;
		g[i].port =
		    (evtchn_port_t)param(g[i].v, HVM_PARAM_CONSOLE_EVTCHN);
	}
}

static uint32_t idx(struct guest *g, size_t off)
{
	uint32_t i;

	fake_peek(g->d, g->ring + off, &i, sizeof(i));
	return i;
}

static void set_idx(struct guest *g, size_t off, uint32_t i)
{
	fake_poke(g->d, g->ring + off, &i, sizeof(i));
}

/* The guest's side of writing: bytes at out[prod..], out_prod moved, the
 * port notified (as Linux's hvc_xen does). */
static void guest_write(struct guest *g, const char *s)
{
	uint32_t prod = idx(g, RING(out_prod));

	for (size_t i = 0; s[i]; i++, prod++)
		fake_poke(g->d, g->ring + RING(out) + (prod & 2047), &s[i], 1);
	set_idx(g, RING(out_prod), prod);
}

static void notify(struct guest *g)
{
	struct evtchn_send send = {.port = g->port};

	assert_int_equal(fake_op(g->v, __HYPERVISOR_event_channel_op,
				 EVTCHNOP_send, &send, sizeof(send)),
			 0);
}

static void params_name_the_ring_and_a_port_to_the_hypervisor(void **state)
{
	struct fake f;
	struct guest g;
	struct evtchn_status st = {.dom = DOMID_SELF};

	(void)state;
	build(&f, FAKE_ARM, &g, 1);
	assert_true(g.ring == FAKE_ARM_CONSOLE_RING_GPA);
	assert_true(g.port != 0);
	st.port = g.port;
	assert_int_equal(fake_op(g.v, __HYPERVISOR_event_channel_op,
				 EVTCHNOP_status, &st, sizeof(st)),
			 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, DOMID_XEN);
	/* A fresh ring: every index 0. */
	assert_int_equal(idx(&g, RING(out_prod)), 0);
	assert_int_equal(idx(&g, RING(in_prod)), 0);
	fake_fini(&f);

	build(&f, FAKE_X86, &g, 1);
	assert_true(g.ring == FAKE_X86_CONSOLE_RING_GPA);
	fake_fini(&f);
}

static void output_is_printed_and_consumed(void **state)
{
	struct fake f;
	struct guest g;
	unsigned int upcalls;

	(void)state;
	build(&f, FAKE_ARM, &g, 1);
	guest_write(&g, "hello\nworld\n");
	upcalls = fake_vcpu(g.v)->upcalls;
	assert_false(hv_hyp_console_wanted(&f.hyp));
	notify(&g);
	/* A guest that writes through its ring reads from it too. */
	assert_true(hv_hyp_console_wanted(&f.hyp));
	assert_true(fake_console_has(&f, "(first) hello\n(first) world\n"));
	assert_int_equal(idx(&g, RING(out_cons)), 12);
	assert_int_equal(fake_vcpu(g.v)->upcalls, upcalls + 1);
	/* Nothing new: nothing printed twice. */
	notify(&g);
	assert_int_equal(idx(&g, RING(out_cons)), 12);
	fake_fini(&f);
}

static void indices_wrap_around(void **state)
{
	struct fake f;
	struct guest g;

	(void)state;
	build(&f, FAKE_X86, &g, 1);
	/* Free-running 32-bit indices just below their own wrap, and the
	 * bytes across the ring's end. */
	set_idx(&g, RING(out_cons), UINT32_MAX - 4);
	set_idx(&g, RING(out_prod), UINT32_MAX - 4);
	guest_write(&g, "across the end\n");
	notify(&g);
	assert_true(fake_console_has(&f, "(first) across the end\n"));
	assert_int_equal(idx(&g, RING(out_cons)), 10);
	fake_fini(&f);
}

static void a_lying_guest_gets_one_ring_and_the_others_go_on(void **state)
{
	struct fake f;
	struct guest g[2];

	(void)state;
	build(&f, FAKE_ARM, g, 2);
	set_idx(&g[0], RING(out_cons), 0);
	set_idx(&g[0], RING(out_prod), 100000);
	notify(&g[0]);
	assert_int_equal(idx(&g[0], RING(out_cons)), 2048);
	/* Input into a ring whose indices lie: nothing written anywhere. */
	set_idx(&g[0], RING(in_cons), 0);
	set_idx(&g[0], RING(in_prod), 5000);
	hv_hyp_console_input(&f.pcpus[0], "x", 1);
	assert_int_equal(idx(&g[0], RING(in_prod)), 5000);
	/* The other domain and the hypervisor carry on. */
	guest_write(&g[1], "still here\n");
	notify(&g[1]);
	assert_true(fake_console_has(&f, "(second) still here\n"));
	assert_int_equal(hv_hyp_live_domains(&f.hyp), 2);
	fake_fini(&f);
}

static void input_goes_into_the_ring_with_a_notification(void **state)
{
	struct fake f;
	struct guest g[2];
	char in[4] = {0};
	unsigned int upcalls;

	(void)state;
	build(&f, FAKE_ARM, g, 2);
	upcalls = fake_vcpu(g[0].v)->upcalls;
	hv_hyp_console_input(&f.pcpus[0], "ls\r", 3);
	fake_peek(g[0].d, g[0].ring + RING(in), in, 3);
	assert_string_equal(in, "ls\r");
	assert_int_equal(idx(&g[0], RING(in_prod)), 3);
	assert_int_equal(fake_vcpu(g[0].v)->upcalls, upcalls + 1);
	/* Only the domain that has the console. */
	assert_int_equal(idx(&g[1], RING(in_prod)), 0);
	/* A nearly full ring takes what fits, across its end. */
	set_idx(&g[0], RING(in_cons), 1025);
	set_idx(&g[0], RING(in_prod), 2047);
	hv_hyp_console_input(&f.pcpus[0], "abcde", 5);
	assert_int_equal(idx(&g[0], RING(in_prod)), 2049);
	fake_peek(g[0].d, g[0].ring + RING(in) + 1023, in, 1);
	fake_peek(g[0].d, g[0].ring + RING(in), in + 1, 1);
	assert_memory_equal(in, "ab", 2);
	fake_fini(&f);
}

/* The guest of a_domain_using_its_ring_waits_for_input: it writes a
 * prompt through its ring, takes the event that comes back and blocks
 * with nothing else to wake it; woken, it finds what was typed. */
static struct guest *waiting;

static void prompt_then_block(struct fake *f, struct hv_hyp_vcpu *v)
{
	(void)f;
	if (fake_vcpu(v)->exits == 0) {
		guest_write(waiting, "/ # ");
		notify(waiting);
		fake_ack_events(v);
		assert_int_equal(fake_block(v), 0);
		return;
	}
	assert_int_equal(idx(waiting, RING(in_prod)), 3);
	assert_int_equal(fake_poweroff(v), 0);
}

static void a_domain_using_its_ring_waits_for_input(void **state)
{
	struct fake f;
	struct guest g;

	(void)state;
	build(&f, FAKE_X86, &g, 1);
	waiting = &g;
	f.guest = prompt_then_block;
	f.ops.console_rx = true;
	assert_int_equal(fake_run_typing(&f, "ls\r"), 0);
	fake_fini(&f);
}

static void needs_event_channels_first(void **state)
{
	static const struct hv_hyp_extension *const alone[] = {&hv_hyp_xencons,
							       NULL};
	static const struct hv_hyp_config cfg_alone = {.timeslice = HV_MSEC(1),
						       .extensions = alone};
	struct hv_boot_domain cfg;
	struct fake f;

	(void)state;
	fake_init(&f, FAKE_ARM, 4096, 1, &cfg_alone, NULL);
	fake_domain_config(&cfg, "lonely", 4 * MIB, 1);
	assert_int_equal(hv_hyp_domain_create(&f.hyp, &cfg, 0, NULL),
			 -HV_EINVAL);
	assert_true(fake_log_has(&f, "domain lonely: the console ring needs"));
	fake_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(params_name_the_ring_and_a_port_to_the_hypervisor),
	    cmocka_unit_test(output_is_printed_and_consumed),
	    cmocka_unit_test(indices_wrap_around),
	    cmocka_unit_test(a_lying_guest_gets_one_ring_and_the_others_go_on),
	    cmocka_unit_test(input_goes_into_the_ring_with_a_notification),
	    cmocka_unit_test(a_domain_using_its_ring_waits_for_input),
	    cmocka_unit_test(needs_event_channels_first),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
