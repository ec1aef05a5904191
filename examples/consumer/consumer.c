/*
 * A program outside hvkit's tree that uses two of its libraries as an
 * installed user would: headers from <hv/...>, flags and archives from
 * pkg-config (hv-sched, hv-evtchn), nothing else of hvkit's build.
 *
 * One pCPU runs two domains of one vCPU each under libhv-sched's credit2.
 * "back" is blocked, waiting for an event; "front" sends it one over a
 * libhv-evtchn interdomain channel and then blocks itself.  The event's
 * notify callback wakes back's vCPU, so the next scheduling decision must
 * run back.  The program checks that, so running it is its test.
 */
#include <hv/evtchn.h>
#include <hv/sched.h>

#include <stdio.h>
#include <stdlib.h>

enum { FRONT, BACK, NR_DOMS };

static const char *const names[NR_DOMS] = {"front", "back"};
static struct hv_evtchn_domain *evtchn[NR_DOMS];
static struct hv_sched_unit units[NR_DOMS];
static hv_time_t now; /* ns; the program's clock, moved by hand */
static unsigned int kicks;

/* libhv-sched: pCPU `cpu` should decide again soon. */
static void kick(void *opaque, unsigned int cpu)
{
	(void)opaque;
	(void)cpu;
	kicks++;
}

/* libhv-evtchn: the other end of an interdomain channel. */
static struct hv_evtchn_domain *get_domain(void *ctx, hv_domid_t domid)
{
	(void)ctx;
	return domid < NR_DOMS ? evtchn[domid] : NULL;
}

/* libhv-evtchn: vCPU `vcpu` of `d` has an event pending; wake it. */
static void notify(void *ctx, struct hv_evtchn_domain *d, hv_vcpuid_t vcpu)
{
	(void)ctx;
	(void)vcpu;
	printf("%s: event pending, waking its vCPU\n",
	       names[hv_evtchn_domain_id(d)]);
	hv_sched_wake(&units[hv_evtchn_domain_id(d)], now);
}

/* Each domain's guest RAM: one page, frame 0, where its shared-info page
 * is (a real embedder walks its P2M here). */
static int translate(void *ctx, hv_gfn_t gfn, unsigned int access, void **page)
{
	(void)access;
	if (hv_gfn_x(gfn) != 0)
		return -HV_EFAULT;
	*page = ctx;
	return 0;
}

static void *alloc(void *opaque, size_t size, size_t align)
{
	(void)opaque;
	return aligned_alloc(align, (size + align - 1) / align * align);
}

static void release(void *opaque, void *ptr, size_t size)
{
	(void)opaque;
	(void)size;
	free(ptr);
}

static const struct hv_evtchn_ops evtchn_ops = {.get_domain = get_domain,
						.notify = notify};
static struct hv_gmem gmem[NR_DOMS];

static int domain_create(struct hv_sched_pool *pool, struct hv_sched_dom *sd,
			 hv_domid_t id)
{
	struct hv_evtchn_config cfg = {
	    .domid = id,
	    .nr_vcpus = 1,
	    .abi_2l = &hv_evtchn_2l,
	    .gmem = &gmem[id],
	    .ops = &evtchn_ops,
	    .alloc = {.alloc = alloc, .free = release},
	};
	void *ram = calloc(1, 4096);
	int err;

	if (!ram)
		return -HV_ENOMEM;
	hv_gmem_init(&gmem[id], translate, ram, 32);
	err = hv_evtchn_domain_create(&cfg, &evtchn[id]);
	/* the guest put its shared-info page at frame 0 */
	err = err ? err : hv_evtchn_map_shared_info(evtchn[id], 0);
	err = err ? err : hv_sched_dom_init(pool, sd, id);
	return err ? err : hv_sched_unit_init(sd, &units[id], 0);
}

/* Ask the scheduler what pCPU 0 runs now; -1 when it idles. */
static int running(struct hv_sched *s)
{
	struct hv_sched_decision dec;

	if (hv_sched_do_schedule(s, 0, now, &dec) || !dec.unit)
		return -1;
	return (int)dec.unit->dom->domid;
}

int main(void)
{
	static struct hv_sched_pcpu pcpu;
	static struct hv_sched sched;
	static struct hv_sched_pool pool;
	static struct hv_sched_dom doms[NR_DOMS];
	struct hv_sched_ops sched_ops = {.kick = kick};
	struct evtchn_alloc_unbound offer = {.dom = DOMID_SELF,
					     .remote_dom = FRONT};
	struct evtchn_bind_interdomain bind = {.remote_dom = BACK};
	struct evtchn_send send;
	int err, first, second;

	/* Both sides must see Xen's ABI alike; the headers checked ours. */
	if (hv_core_xen_interface_version() != __XEN_INTERFACE_VERSION__) {
		fprintf(stderr,
			"consumer: libhv-core speaks Xen interface "
			"%#x, this program %#x\n",
			hv_core_xen_interface_version(),
			(unsigned int)__XEN_INTERFACE_VERSION__);
		return 1;
	}
	err = hv_sched_init(&sched, &pcpu, 1, &sched_ops);
	err = err ? err : hv_sched_pool_init(&sched, &pool, &hv_sched_credit2);
	err = err ? err : hv_sched_pool_add_cpu(&pool, 0);
	err = err ? err : domain_create(&pool, &doms[FRONT], FRONT);
	err = err ? err : domain_create(&pool, &doms[BACK], BACK);
	/* back offers a port to front, which binds to it (and, as in Xen,
	 * finds the new port pending: front's vCPU wakes). */
	err = err ? err
		  : hv_evtchn_op(evtchn[BACK], EVTCHNOP_alloc_unbound, &offer);
	bind.remote_port = offer.port;
	err =
	    err ? err
		: hv_evtchn_op(evtchn[FRONT], EVTCHNOP_bind_interdomain, &bind);
	if (err) {
		fprintf(stderr, "consumer: set-up failed: %s\n",
			hv_core_strerror(err));
		return 1;
	}

	hv_sched_wake(&units[FRONT], now); /* awake already; back is not */
	first = running(&sched);
	printf("%s runs; back waits on port %u\n",
	       first >= 0 ? names[first] : "nothing", offer.port);

	now += 1000000; /* 1 ms later front sends, then blocks */
	send.port = bind.local_port;
	err = hv_evtchn_op(evtchn[FRONT], EVTCHNOP_send, &send);
	hv_sched_block(&units[FRONT], now);
	second = running(&sched);
	printf("%s runs (%u kicks)\n", second >= 0 ? names[second] : "nothing",
	       kicks);
	if (err || first != FRONT || second != BACK) {
		fprintf(stderr, "consumer: expected front, then back\n");
		return 1;
	}
	return 0;
}
