/*
 * hv/sched.h - libhv-sched, vCPU scheduling: pools of pCPUs, schedulable
 * units, and Xen's policies (null, credit, credit2, RTDS, ARINC653).
 *
 * The model is Xen's.  Physical CPUs (pCPUs) are grouped in pools (Xen's
 * cpupools); each pool runs one policy.  A domain belongs to one pool and
 * owns units (vCPUs), which the caller embeds in its own vCPU structure.
 * The library never allocates and has no timers of its own:
 *
 *  - each pCPU calls hv_sched_do_schedule() when its timer fires or when it
 *    was kicked, runs the unit it is given until the time it is given, and
 *    arms its one timer for that time;
 *  - a unit changes state through hv_sched_wake(), hv_sched_sleep(),
 *    hv_sched_block() and hv_sched_yield();
 *  - when another pCPU must reschedule (a woken unit should preempt it, a
 *    running unit was put to sleep), the library calls the caller's kick
 *    callback: an IPI in an image, an event in a simulator.
 *
 * Time is hv_time_t, in nanoseconds, on one clock shared by every pCPU.
 * Errors are negative Xen errno values (-HV_EINVAL, ...), and a failed call
 * changes nothing.
 *
 * Locking (see docs/sched.md): every entry point takes the locks it needs.
 * Each pCPU uses one runqueue lock (shared by the pCPUs of a credit2
 * runqueue, or of a whole RTDS, null or ARINC653 pool); a unit is protected
 * by the lock of the runqueue it is on.  Configuration (pools, domains,
 * parameters) also takes its pool's lock.  Entry points may be called from
 * any pCPU concurrently, except that hv_sched_do_schedule() for one pCPU
 * must not run concurrently with itself or with adding or removing that
 * pCPU to or from a pool.  The kick callback is called with runqueue locks
 * held and must not call back into the library.
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

/* Bumped whenever the API changes incompatibly. */
#define HV_SCHED_API_VERSION 1

#include <hv/bitmap.h>
#include <hv/compiler.h>
#include <hv/error.h>
#include <hv/list.h>
#include <hv/log.h>
#include <hv/spinlock.h>
#include <hv/types.h>

HV_BEGIN_DECLS

/* pCPU numbers are 0 .. HV_SCHED_MAX_CPUS - 1. */
#define HV_SCHED_MAX_CPUS 256

/*
 * Policy-private space carried by every object, in 64-bit words.  Sized for
 * the largest built-in policy; a policy whose descriptor asks for more is
 * refused by hv_sched_pool_init() (see docs/sched.md for why the space is
 * fixed rather than caller-sized).
 */
#define HV_SCHED_UNIT_PRIV_WORDS 24
#define HV_SCHED_DOM_PRIV_WORDS	 12
#define HV_SCHED_PCPU_PRIV_WORDS 8
#define HV_SCHED_RUNQ_PRIV_WORDS 40
#define HV_SCHED_POOL_PRIV_WORDS 208

/* ARINC653: most minor frames in one major frame (Xen's limit). */
#define HV_SCHED_A653_MAX_FRAMES 64

struct hv_sched_policy; /* <hv/sched_impl.h> */

/* The policies, each in its own object file: naming one links it in. */
extern const struct hv_sched_policy hv_sched_null;
extern const struct hv_sched_policy hv_sched_credit;
extern const struct hv_sched_policy hv_sched_credit2;
extern const struct hv_sched_policy hv_sched_rtds;
extern const struct hv_sched_policy hv_sched_arinc653;

/* A set of pCPUs, for affinities and pool membership. */
struct hv_sched_cpumask {
	HV_DECLARE_BITMAP(bits, HV_SCHED_MAX_CPUS);
};

/* No pCPU in the set. */
static inline void hv_sched_cpumask_zero(struct hv_sched_cpumask *m)
{
	hv_bitmap_zero(m->bits, HV_SCHED_MAX_CPUS);
}

/* Every pCPU in the set. */
static inline void hv_sched_cpumask_fill(struct hv_sched_cpumask *m)
{
	hv_bitmap_fill(m->bits, HV_SCHED_MAX_CPUS);
}

/* cpu must be below HV_SCHED_MAX_CPUS. */
static inline void hv_sched_cpumask_set(struct hv_sched_cpumask *m,
					unsigned int cpu)
{
	hv_bitmap_set(m->bits, cpu);
}

/* Take pCPU cpu (below HV_SCHED_MAX_CPUS) out of the set. */
static inline void hv_sched_cpumask_clear(struct hv_sched_cpumask *m,
					  unsigned int cpu)
{
	hv_bitmap_clear(m->bits, cpu);
}

/* Whether pCPU cpu is in the set (false for any cpu beyond the mask). */
static inline bool hv_sched_cpumask_test(const struct hv_sched_cpumask *m,
					 unsigned int cpu)
{
	return cpu < HV_SCHED_MAX_CPUS && hv_bitmap_test(m->bits, cpu);
}

/*
 * The objects below are embedded in the caller's structures and belong to
 * the library between their init and destroy calls: callers read them only
 * through the functions in this header.  Their fields are public only so
 * that their size is known.
 */

/* A runqueue: a lock and what the policy keeps under it. */
struct hv_sched_runq {
	hv_spinlock_t lock;
	unsigned int id; /* the pCPU this runqueue is embedded in */
	uint64_t priv[HV_SCHED_RUNQ_PRIV_WORDS];
};

/* One pCPU; the caller hands an array of them to hv_sched_init(). */
struct hv_sched_pcpu {
	struct hv_sched *sched;
	struct hv_sched_pool *pool; /* NULL while in no pool */
	struct hv_sched_runq *rq;   /* the runqueue this pCPU uses */
	struct hv_sched_unit *curr; /* running unit; NULL when idle */
	unsigned int id;
	unsigned int socket, core;   /* topology, for credit2 runqueues */
	struct hv_sched_runq own_rq; /* used when a policy gives it one */
	uint64_t priv[HV_SCHED_PCPU_PRIV_WORDS];
};

/* Asks pCPU `cpu` to call hv_sched_do_schedule() soon. */
typedef void (*hv_sched_kick_fn)(void *opaque, unsigned int cpu);

/* What the library asks of the hypervisor that embeds it. */
struct hv_sched_ops {
	hv_sched_kick_fn kick;	  /* required */
	void *opaque;		  /* kick's first argument */
	const struct hv_log *log; /* rejected parameters are logged here */
};

/* The scheduler of one machine: its pCPUs and how to reach them. */
struct hv_sched {
	struct hv_sched_pcpu *pcpus;
	unsigned int nr_cpus;
	struct hv_sched_ops ops;
};

/* A cpupool: some pCPUs, one policy, the domains that run there. */
struct hv_sched_pool {
	struct hv_sched *sched;
	const struct hv_sched_policy *policy;
	hv_spinlock_t lock; /* membership and parameters */
	struct hv_sched_cpumask cpus;
	unsigned int nr_cpus;
	unsigned int place_cursor; /* where the next new unit is placed */
	struct hv_list doms;
	uint64_t priv[HV_SCHED_POOL_PRIV_WORDS];
};

/* A domain's scheduling state; embed it in the domain. */
struct hv_sched_dom {
	struct hv_sched_pool *pool;
	hv_domid_t domid;
	struct hv_list pool_node;
	struct hv_list units;
	unsigned int nr_units;
	uint64_t priv[HV_SCHED_DOM_PRIV_WORDS];
};

/* A schedulable unit (a vCPU); embed it in the vCPU. */
struct hv_sched_unit {
	struct hv_sched_dom *dom;
	hv_vcpuid_t id;
	struct hv_list dom_node;
	struct hv_sched_runq *rq; /* whose lock protects this unit */
	unsigned int cpu;	  /* runs, last ran or is queued for */
	bool runnable;		  /* awake: wants a pCPU */
	bool running;		  /* is some pCPU's curr */
	bool placing;		  /* being moved to another runqueue */
	struct hv_sched_cpumask hard, soft;
	uint64_t priv[HV_SCHED_UNIT_PRIV_WORDS];
};

/* ---- the machine ---- */

/*
 * Set up a scheduler for nr_cpus pCPUs (1..HV_SCHED_MAX_CPUS) described by
 * the caller's array pcpus[nr_cpus], numbered 0..nr_cpus-1.  Each pCPU
 * starts in no pool, on socket 0, core = its number.  ops->kick is required.
 * Returns 0, or -HV_EINVAL.
 */
int hv_sched_init(struct hv_sched *s, struct hv_sched_pcpu *pcpus,
		  unsigned int nr_cpus, const struct hv_sched_ops *ops);

/*
 * Tell where pCPU `cpu` sits (credit2 groups its runqueues by it).  The pCPU
 * must be in no pool.  Returns 0, -HV_EINVAL (no such pCPU) or -HV_EBUSY
 * (the pCPU is in a pool).
 */
int hv_sched_cpu_set_topology(struct hv_sched *s, unsigned int cpu,
			      unsigned int socket, unsigned int core);

/* ---- pools ---- */

/* credit2's runqueue arrangement, as Xen's credit2_runqueue= option. */
enum hv_sched_runq_layout {
	HV_SCHED_RUNQ_CPU = 0,	  /* one runqueue per pCPU */
	HV_SCHED_RUNQ_CORE = 1,	  /* per core */
	HV_SCHED_RUNQ_SOCKET = 2, /* per socket (Xen's default) */
	HV_SCHED_RUNQ_ALL = 3,	  /* one for the whole pool */
};

/* Pool-wide parameters (Xen's XEN_SYSCTL_SCHEDOP_putinfo). */
struct hv_sched_pool_params {
	/* credit: time slice, 1 ms .. 1 s; default 30 ms. */
	hv_time_t tslice;
	/*
	 * credit, credit2: a unit runs at least this long before a waking
	 * unit may preempt it; 0 (off) or 100 us .. 500 ms, and at most
	 * tslice for credit; default 1 ms.
	 */
	hv_time_t ratelimit;
	/* credit2: runqueue arrangement; may change only in an empty pool. */
	enum hv_sched_runq_layout runq_layout;
};

/*
 * Set up a pool running `policy`, with no pCPUs and no domains.
 * Returns 0, or -HV_EINVAL (bad argument, or a policy whose private data
 * does not fit the space above).
 */
int hv_sched_pool_init(struct hv_sched *s, struct hv_sched_pool *pool,
		       const struct hv_sched_policy *policy);

/* Tear down an empty pool.  Returns 0, or -HV_EBUSY (pCPUs or domains). */
int hv_sched_pool_destroy(struct hv_sched_pool *pool);

/*
 * Move pCPU `cpu` into (out of) the pool.  The pool must have no domains:
 * move them away first (hv_sched_dom_move).  Returns 0, -HV_EINVAL (no such
 * pCPU, or not in this pool for remove), or -HV_EBUSY (the pCPU is in
 * another pool, or the pool has domains).
 */
int hv_sched_pool_add_cpu(struct hv_sched_pool *pool, unsigned int cpu);
int hv_sched_pool_remove_cpu(struct hv_sched_pool *pool, unsigned int cpu);

/* The policy's name: "null", "credit", "credit2", "rtds", "arinc653". */
const char *hv_sched_pool_policy_name(const struct hv_sched_pool *pool);

/*
 * Policy-wide parameters.  Fields the policy does not use are ignored by
 * set and reported as their defaults by get.  set returns 0, -HV_EINVAL
 * (out of range; logged) or -HV_EBUSY (credit2 layout change in a pool
 * with domains).
 */
void hv_sched_pool_params_default(struct hv_sched_pool_params *p);
int hv_sched_pool_set_params(struct hv_sched_pool *pool,
			     const struct hv_sched_pool_params *p);
void hv_sched_pool_get_params(struct hv_sched_pool *pool,
			      struct hv_sched_pool_params *p);

/* ---- domains ---- */

/* Per-domain (and, for RTDS, per-unit) parameters. */
struct hv_sched_params {
	/* credit, credit2: relative share, 1..65535; default 256. */
	uint32_t weight;
	/*
	 * credit, credit2: most CPU the whole domain may use, in percent of
	 * one pCPU, 0 (no cap) .. 100 * its number of units; default 0.
	 */
	uint32_t cap;
	/* RTDS: period and budget, ns; 10 us <= budget <= period; default
	 * 10 ms and 4 ms. */
	hv_time_t period;
	hv_time_t budget;
};

/* Every parameter at its default (weight 256, no cap, RTDS 10 ms/4 ms). */
void hv_sched_params_default(struct hv_sched_params *p);

/*
 * Add a domain to the pool, with the policy's default parameters and no
 * units.  Returns 0, -HV_EINVAL, or -HV_EEXIST (domid already in the pool).
 */
int hv_sched_dom_init(struct hv_sched_pool *pool, struct hv_sched_dom *d,
		      hv_domid_t domid);

/* Remove a domain without units.  Returns 0 or -HV_EBUSY. */
int hv_sched_dom_destroy(struct hv_sched_dom *d);

/*
 * Set the domain's parameters (for RTDS: every unit's).  Checked in full
 * before anything changes.  Returns 0 or -HV_EINVAL (logged).
 */
int hv_sched_dom_set_params(struct hv_sched_dom *d,
			    const struct hv_sched_params *p);
void hv_sched_dom_get_params(struct hv_sched_dom *d, struct hv_sched_params *p);

/*
 * Move a domain to another pool (Xen's cpupool_move_domain); its parameters
 * become the new policy's defaults.  Every unit must be asleep and not
 * running, and stay so until this returns (keep the domain paused).  A unit
 * whose hard affinity has no pCPU in the new pool gets all pCPUs (logged), as
 * in Xen.  Returns 0, -HV_EINVAL, or -HV_EBUSY (a unit is awake or running, the
 * new pool has no pCPUs, or the domid is taken there).
 */
int hv_sched_dom_move(struct hv_sched_dom *d, struct hv_sched_pool *to);

/* ---- units ---- */

/* A unit's state (hv_sched_unit_get_state). */
/* A unit's state (hv_sched_unit_state). */
enum hv_sched_unit_state {
	HV_SCHED_UNIT_ASLEEP = 0,   /* not runnable, not running */
	HV_SCHED_UNIT_RUNNABLE = 1, /* waiting for a pCPU */
	HV_SCHED_UNIT_RUNNING = 2,  /* some pCPU's current unit */
};

/*
 * Add a unit to the domain.  It starts asleep, with hard and soft affinity
 * to every pCPU, placed on a pCPU of the pool.  Returns 0, or -HV_EINVAL
 * (bad argument, or a pool without pCPUs).
 */
int hv_sched_unit_init(struct hv_sched_dom *d, struct hv_sched_unit *u,
		       hv_vcpuid_t id);

/* Remove an asleep, not running unit.  Returns 0 or -HV_EBUSY. */
int hv_sched_unit_destroy(struct hv_sched_unit *u);

/*
 * Set hard (must run there) and soft (prefer to run there) affinity at time
 * `now`; NULL leaves that mask as it is.  The hard mask must contain a pCPU of
 * the pool; the soft mask must not be empty (if it misses the hard mask it is
 * ignored, as in Xen).  A running unit that may no longer stay is moved at
 * its pCPU's next decision (the pCPU is kicked).  Returns 0 or -HV_EINVAL
 * (logged).
 */
int hv_sched_unit_set_affinity(struct hv_sched_unit *u,
			       const struct hv_sched_cpumask *hard,
			       const struct hv_sched_cpumask *soft,
			       hv_time_t now);
void hv_sched_unit_get_affinity(struct hv_sched_unit *u,
				struct hv_sched_cpumask *hard,
				struct hv_sched_cpumask *soft);

/*
 * Per-unit parameters (RTDS only, Xen's XEN_DOMCTL_SCHEDOP_putvcpuinfo).
 * Returns 0, -HV_EINVAL (logged) or -HV_EOPNOTSUPP (other policies).
 */
int hv_sched_unit_set_params(struct hv_sched_unit *u,
			     const struct hv_sched_params *p);
int hv_sched_unit_get_params(struct hv_sched_unit *u,
			     struct hv_sched_params *p);

/*
 * Make the unit runnable (Xen's vcpu_wake), at time `now`.  Waking an
 * awake unit does nothing.  May kick a pCPU.  Returns 0 or -HV_EINVAL.
 */
int hv_sched_wake(struct hv_sched_unit *u, hv_time_t now);

/*
 * Make the unit not runnable (Xen's vcpu_sleep: pause, offline).  If it is
 * running, its pCPU is kicked and switches away at its next decision.
 * Sleeping an asleep unit does nothing.  Returns 0 or -HV_EINVAL.
 */
int hv_sched_sleep(struct hv_sched_unit *u, hv_time_t now);

/*
 * The running unit waits for an event (Xen's vcpu_block): it is no longer
 * runnable, and the caller, on the unit's pCPU, calls hv_sched_do_schedule
 * next (no kick).  Returns 0, or -HV_EINVAL (not running).
 */
int hv_sched_block(struct hv_sched_unit *u, hv_time_t now);

/*
 * The running unit offers its pCPU to others (Xen's vcpu_yield); the caller
 * calls hv_sched_do_schedule next.  Returns 0, or -HV_EINVAL (not running).
 */
int hv_sched_yield(struct hv_sched_unit *u, hv_time_t now);

/* Whether the unit is asleep, runnable or running. */
enum hv_sched_unit_state hv_sched_unit_state(struct hv_sched_unit *u);
/* The pCPU the unit runs on, last ran on, or is queued for. */
unsigned int hv_sched_unit_cpu(struct hv_sched_unit *u);

/* ---- the decision ---- */

struct hv_sched_decision {
	struct hv_sched_unit *unit; /* to run; NULL: idle */
	hv_time_t until;	    /* call again by then; HV_TIME_NEVER */
};

/*
 * Decide what pCPU `cpu` runs from `now`: the unit (NULL to idle) and the
 * time by which to call again (the caller arms its timer for it; a kick may
 * come earlier).  Calling early is harmless: the policy keeps the current
 * unit unless it has reason not to.  A pCPU in no pool idles.
 * Returns 0 or -HV_EINVAL.
 */
int hv_sched_do_schedule(struct hv_sched *s, unsigned int cpu, hv_time_t now,
			 struct hv_sched_decision *d);

/* ---- ARINC653 (these link in the arinc653 policy) ---- */

/* A minor frame: `runtime` ns owned by domain `domid`. */
struct hv_sched_a653_frame {
	hv_domid_t domid;
	hv_time_t runtime;
};

/*
 * Install a schedule: frames[0..nr-1] run back to back from the start of
 * every major frame of `major_frame` ns; what is left of a major frame is
 * idle.  Major frames start at `start` + k * major_frame.  During a frame,
 * each pCPU of the pool runs the first runnable unit of the owner placed on
 * it (or idles).  Frames may name domains not yet in the pool.  Returns 0,
 * -HV_EINVAL (not an ARINC653 pool, nr 0 or above HV_SCHED_A653_MAX_FRAMES,
 * a runtime <= 0, frames longer than the major frame, start < 0; logged).
 */
int hv_sched_arinc653_set_schedule(struct hv_sched_pool *pool,
				   const struct hv_sched_a653_frame *frames,
				   unsigned int nr, hv_time_t major_frame,
				   hv_time_t start);

/*
 * Copy the schedule out: at most `max` frames into frames, the number the
 * schedule has in *nr (0 when none was set; may exceed max), and, where not
 * NULL, the major frame and start.  Returns 0 or -HV_EINVAL (not ARINC653).
 */
int hv_sched_arinc653_get_schedule(struct hv_sched_pool *pool,
				   struct hv_sched_a653_frame *frames,
				   unsigned int max, unsigned int *nr,
				   hv_time_t *major_frame, hv_time_t *start);

/* The HV_SCHED_API_VERSION the library was built with. */
unsigned int hv_sched_api_version(void);

HV_END_DECLS

#endif /* HV_SCHED_H */
