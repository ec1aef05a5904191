/*
 * hv/hyp.h - libhv-hyp, the hypervisor core: what turns hvkit's libraries
 * into a hypervisor.  Domains and their lifecycle, vCPUs and their states,
 * pCPUs and the run loop over a scheduler, hypercall dispatch through
 * link-time extensions, and each domain's memory through libhv-mm's domain
 * layer.
 *
 * The core knows no architecture.  Everything that touches a CPU (entering
 * a guest, handling its exits, timers, TLBs, interrupts) is behind one ops
 * struct, struct hv_hyp_arch_ops, that an architecture adapter implements:
 * the AArch64 and x86_64 images have theirs, and tests/unit/hyp has a fake
 * one that runs the whole core in host unit tests.
 *
 * Memory: every byte the core uses comes from the caller's libhv-mm heap
 * (domain and vCPU structures, shared-info pages, P2M tables, guest RAM,
 * the scheduler's and extensions' state), and hv_hyp_domain_destroy()
 * gives all of a domain's back.  No global state: every call names its
 * struct hv_hyp, domain or vCPU.
 *
 * Locking: the core's state (domains, vCPU states, the scheduler) is
 * under one lock, h->lock, taken by the run loop around everything but
 * running a guest and idling.  The arch ops are called with it held
 * except vcpu_run and idle; the functions below that act on a domain or
 * vCPU expect it held (they are called from exit handling, which holds it).
 */
#ifndef HV_HYP_H
#define HV_HYP_H

/* Bumped whenever the API changes incompatibly; 0 while it is unstable. */
#define HV_HYP_API_VERSION 0

#include <hv/boot.h>
#include <hv/core.h>
#include <hv/mm_heap.h>
#include <hv/mm_p2m.h>
#include <hv/mm_xenmem.h>
#include <hv/spinlock.h>
#include <hv/trace.h>
#include <hv/xen.h>

HV_BEGIN_DECLS

/* The core's limits: domains, vCPUs per domain, extensions an image may
 * name, pCPUs. */
#define HV_HYP_MAX_DOMAINS    64
#define HV_HYP_MAX_VCPUS      128 /* per domain */
#define HV_HYP_MAX_EXTENSIONS 4
#define HV_HYP_MAX_PCPUS      64
/* Bytes of typed input kept for CONSOLEIO_read (Xen's SERIAL_RX_SIZE; a
 * power of two). */
#define HV_HYP_CONSOLE_RX 128

struct hv_hyp;
struct hv_hyp_domain;
struct hv_hyp_pcpu;
struct hv_hyp_vcpu;

/* Where a vCPU is in its life, as the core and the scheduler see it. */
enum hv_hyp_vcpu_state {
	HV_HYP_VCPU_DOWN,     /* not started, or stopped */
	HV_HYP_VCPU_RUNNABLE, /* running or waiting for a pCPU */
	HV_HYP_VCPU_BLOCKED,  /* waiting for an event or its timer */
};

/* Members other than those marked are the core's. */
struct hv_hyp_vcpu {
	struct hv_hyp_domain *dom; /* public */
	hv_vcpuid_t id;		   /* public */
	void *arch;		   /* public: the arch's vcpu_size bytes */
	enum hv_hyp_vcpu_state state;
	bool initialised;  /* has a context to start from (VCPUOP_up) */
	unsigned int pcpu; /* where it runs, or ran last */
	void *sched;	   /* the scheduler's */
	/* Its timers (VCPUOP): each raises VIRQ_TIMER; HV_TIME_NEVER or 0
	 * when not set. */
	hv_time_t singleshot;		   /* deadline */
	hv_time_t periodic, periodic_next; /* period, next deadline */
	/* Runstate (VCPUOP_get_runstate_info): RUNSTATE_*, since when, and
	 * ns spent in each; and where the guest asked for a copy. */
	unsigned int runstate;
	hv_time_t runstate_entry;
	uint64_t runstate_time[4];
	uint64_t runstate_area;
	/* public: VCPUOP_register_vcpu_info moved its vcpu_info to
	 * guest-physical vcpu_info_gpa (checked to lie in one page of its
	 * RAM); else it is the shared-info page's, if any. */
	bool vcpu_info_registered;
	hv_gpaddr_t vcpu_info_gpa;
	/* SCHEDOP_poll: blocked on one port (poll_port) or on any (-1),
	 * until poll_deadline at the latest. */
	bool polling;
	int64_t poll_port;
	hv_time_t poll_deadline;
	/* public: the interrupt vector it takes event upcalls on
	 * (HVMOP_set_evtchn_upcall_vector, x86), or 0 for none. */
	uint8_t upcall_vector;
};

/* A domain: Xen's view of it, its memory and vCPUs, and what the arch,
 * the extensions and the scheduler keep for it. */
struct hv_hyp_domain {
	struct hv_hyp *hyp;	   /* public */
	struct hv_xen_domain xen;  /* public: id, name, shutdown state */
	struct hv_mm_p2m p2m;	   /* public: hv_mm_p2m_root() for the arch */
	struct hv_mm_domain mm;	   /* public: its memory (libhv-mm) */
	struct hv_gmem guest_phys; /* public: its RAM by guest-physical
				      address */
	void *arch;		   /* public: the arch's domain_size bytes */
	hv_gpaddr_t ram_base;	   /* public: guest RAM, one range */
	uint64_t ram_size;	   /* public: bytes */
	unsigned int nr_vcpus;	   /* public */
	struct hv_hyp_vcpu *vcpus; /* public: nr_vcpus of them */
	/* public: the initial domain (its configuration's initdomain),
	 * which may read the hypervisor's console (CONSOLEIO_read), as Xen
	 * lets its control domain. */
	bool privileged;
	bool console_read; /* it has made a CONSOLEIO_read */
	/* public: the pCPUs its vCPUs may run on (hard affinity, from its
	 * configuration's `cpus`; every pCPU when not given). */
	HV_DECLARE_BITMAP(cpus, HV_HYP_MAX_PCPUS);
	hv_mfn_t shared_info;		  /* its shared-info page */
	hv_gfn_t shared_info_gfn;	  /* where the guest mapped it, or
					     HV_INVALID_FRAME */
	void *ext[HV_HYP_MAX_EXTENSIONS]; /* each extension's state */
	void *sched;			  /* the scheduler's */
	unsigned int built;		  /* what teardown must undo */
	size_t alloc_size;		  /* of this block, for destroy */
};

/* A physical CPU running the core's run loop. */
struct hv_hyp_pcpu {
	struct hv_hyp *hyp;	     /* public */
	unsigned int id;	     /* public: 0 .. nr_pcpus - 1 */
	void *arch;		     /* public: the arch's, given at init */
	struct hv_hyp_vcpu *current; /* what it runs, or NULL */
	struct hv_hyp_vcpu *loaded;  /* whose state it holds */
	bool resched;		     /* leave current at its next exit */
	bool tick;		     /* look at the timers after it */
	uint32_t stage; /* where it is in hv_hyp_run (hv_hyp_start) */
};

/*
 * An architecture adapter.  The core calls each op with h->lock held,
 * except vcpu_run and idle.  Ops marked optional may be NULL.
 */
struct hv_hyp_arch_ops {
	const char *name; /* the bundle architecture: "x86_64", "aarch64" */
	const struct hv_mm_p2m_format *p2m_format;
	const struct hv_mm_xenmem_abi *xenmem_abi;
	/* Which Xen its guests expect where Xen's answers differ (libhv-xen:
	 * hvm_op, XENVER_capabilities). */
	enum hv_xen_arch xen_arch;
	/* Mapping the shared-info page again moves it (Xen on x86) or fails
	 * with -EBUSY (Xen 4.17+ on Arm). */
	bool shared_info_moves;
	size_t domain_size, vcpu_size; /* the arch's state, zeroed for it */

	/* A domain whose memory is populated and loaded and whose vCPUs
	 * exist (all down): set up what the arch needs (VMID or ASID, the
	 * guest's device tree or start info, per-vCPU state) and reset
	 * vCPU 0 to the kernel's entry.  0 or -HV_E*; on failure
	 * domain_destroy is still called. */
	int (*domain_init)(struct hv_hyp_domain *d,
			   const struct hv_boot_domain *cfg);
	/* Optional: release what domain_init took (back to the heap). */
	void (*domain_destroy)(struct hv_hyp_domain *d);
	/* Make v's guest state the pCPU's (NULL: nobody's). */
	void (*vcpu_load)(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v);
	/* Run the loaded v until it exits (no lock held), then handle the
	 * exit (lock held). */
	void (*vcpu_run)(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v);
	void (*vcpu_exit)(struct hv_hyp_pcpu *p, struct hv_hyp_vcpu *v);
	/* Optional: when a blocked v wakes by itself (its guest timer), or
	 * HV_TIME_NEVER. */
	hv_time_t (*vcpu_wake_time)(struct hv_hyp_pcpu *p,
				    struct hv_hyp_vcpu *v);
	/* Time in ns, and the pCPU's timer deadline (it calls
	 * hv_hyp_tick() when it fires). */
	hv_time_t (*now)(struct hv_hyp *h);
	void (*timer_set)(struct hv_hyp_pcpu *p, hv_time_t deadline);
	/* Nothing to run: wait until an interrupt (the timer, set to
	 * `until` first, or a kick).  No lock held. */
	void (*idle)(struct hv_hyp_pcpu *p, hv_time_t until);
	/* Make pCPU p look at its run queue soon (an IPI); optional with
	 * one pCPU only (hv_hyp_start wakes the others with it). */
	void (*kick)(struct hv_hyp_pcpu *p);
	/* Drop the TLB entries the domain's P2M may have left. */
	void (*p2m_flush)(struct hv_hyp_domain *d);
	/* Optional: tell v an event is pending (Xen's upcall: a PPI on Arm,
	 * the callback vector on x86).  Also called when v is given an
	 * upcall vector while it has an event pending, as Xen does. */
	void (*upcall)(struct hv_hyp_vcpu *v);
	/* The VCPUOP sub-ops this architecture's guests may make (bit n:
	 * VCPUOP n; HV_HYP_VCPU_OPS_X86_HVM or _ARM) and what the others
	 * get (-HV_ENOSYS on x86, -HV_EINVAL on Arm). */
	uint32_t vcpu_ops;
	int vcpu_op_refused;
	/* Optional: v's memory as its hypercall pointers name it (v is
	 * loaded on this pCPU), for what the core keeps current there: the
	 * runstate area it registered, updated each time it runs. */
	void (*guest_vmem)(struct hv_gmem *gm, struct hv_hyp_vcpu *v);
	/* Optional: VCPUOP_initialise, from the guest context at `arg`
	 * (read through gm) for v, which is down: 0 or -HV_E*. */
	int (*vcpu_initialise)(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
			       uint64_t arg);
	/* Optional: input typed at the hypervisor's console for d (the
	 * bytes it cannot take are dropped, as by a UART's full FIFO). */
	void (*console_input)(struct hv_hyp_domain *d, const char *s,
			      size_t len);
	/* The arch passes what is typed at the hypervisor's console to
	 * hv_hyp_console_input (from an interrupt or by polling), so the
	 * domain that has the console, blocked, may yet be woken by input
	 * if it reads it (CONSOLEIO_read, an extension's console_listening). */
	bool console_rx;
	/* Where hv_hyp_xencons puts a domain's console ring page, outside
	 * its RAM: Xen's place for it (Arm: GUEST_MAGIC_BASE; x86 HVM: the
	 * console special page, frame 0xfefff); 0 for none. */
	hv_gpaddr_t console_ring_gpa;
	/* Write bytes to the hypervisor's console (guests' lines). */
	void (*console_write)(struct hv_hyp *h, const char *s, size_t len);
	/* The hypervisor's pointer to machine address pa (as the heap's
	 * phys_to_virt), and back. */
	void *(*phys_to_virt)(struct hv_hyp *h, hv_paddr_t pa);
	hv_paddr_t (*virt_to_phys)(struct hv_hyp *h, const void *p);
	/* For the trace (HV_TRACE_VM_EXIT): why v's last exit happened, in
	 * the arch's numbering.  May be NULL (reason 0). */
	uint32_t (*exit_reason)(struct hv_hyp_vcpu *v);
};

/*
 * A subsystem an image links in (event channels, grant tables, ...):
 * hooks the core calls at each point.  Each extension lives in its own
 * object file and is reached only through its descriptor, so an image
 * that names none links none.  Every hook may be NULL.
 */
struct hv_hyp_extension {
	const char *name;
	/* After the domain is built, before it runs: its state in *state,
	 * and 0; or -HV_E*. */
	int (*domain_create)(struct hv_hyp_domain *d, void **state);
	/* Destroying the domain: let go of what it holds of other domains'
	 * (idempotent); -HV_EBUSY while others still hold some of its own
	 * (the domain cannot go yet), else 0. */
	int (*domain_release)(struct hv_hyp_domain *d, void *state);
	/* The domain goes away: give back what domain_create took. */
	void (*domain_destroy)(struct hv_hyp_domain *d, void *state);
	/* The hypercalls offered to `hypercall`: bit n for __HYPERVISOR_n
	 * (Xen's numbers are below 64; none above reaches an extension).
	 * Only these reach it, so that the others (a guest's null
	 * hypercall, the console) pay nothing for the extension; a
	 * `hypercall` hook with none is refused by hv_hyp_init. */
	uint64_t hypercalls;
	/* One of them: true (and *ret) if this extension answers it, false
	 * to let the core go on (to the next extension, then its own). */
	bool (*hypercall)(struct hv_hyp_vcpu *v, uint64_t nr,
			  const uint64_t args[5], const struct hv_gmem *gm,
			  long *ret);
	/* XENMAPSPACE_grant_table frame idx (as libhv-mm's space_frame). */
	int (*grant_frame)(struct hv_hyp_domain *d, void *state, uint64_t idx,
			   hv_mfn_t *mfn, hv_gfn_t *where);
	void (*grant_frame_placed)(struct hv_hyp_domain *d, void *state,
				   uint64_t idx, hv_gfn_t gfn);
	/* The domain mapped its shared-info page at `gpa`. */
	void (*shared_info_mapped)(struct hv_hyp_domain *d, void *state,
				   hv_gpaddr_t gpa);
	/* v registered its vcpu_info at guest-physical gpa (checked to lie
	 * in one page): 0 or -HV_E*. */
	int (*vcpu_info_mapped)(struct hv_hyp_vcpu *v, void *state,
				hv_gpaddr_t gpa);
	/* Raise VIRQ `virq` (VIRQ_TIMER from v's timers) on v. */
	void (*raise_virq)(struct hv_hyp_vcpu *v, void *state, uint32_t virq);
	/* Whether v has an event that must not wait behind a block. */
	bool (*pending)(struct hv_hyp_vcpu *v, void *state);
	/* SCHEDOP_poll: whether port `port` of v's domain is pending (1),
	 * not (0), or beyond its ports (-HV_EINVAL).  The extension that
	 * answers it tells the core of every port raised
	 * (hv_hyp_port_raised). */
	int (*port_pending)(struct hv_hyp_vcpu *v, void *state, uint32_t port);
	/* d sent on port `port`, whose other end is the hypervisor
	 * (hv_evtchn_alloc_hypervisor; told by the event-channel
	 * extension). */
	void (*port_sent)(struct hv_hyp_domain *d, void *state, uint32_t port);
	/* Input typed at the hypervisor's console for d, the domain that has
	 * it (as the arch's console_input). */
	void (*console_input)(struct hv_hyp_domain *d, void *state,
			      const char *s, size_t len);
	/* Whether d has shown it takes typed input through this extension
	 * (hv_hyp_xencons: it has written through its ring), so that a
	 * blocked d may yet be woken by it. */
	bool (*console_listening)(struct hv_hyp_domain *d, void *state);
};

/* VCPUOP sub-ops as Xen offers them to an x86 HVM/PVH guest and to an Arm
 * guest (bit n: VCPUOP n, from <xen/vcpu.h>). */
#define HV_HYP_VCPU_OPS_X86_HVM 0x07ffu /* 0..10 */
#define HV_HYP_VCPU_OPS_ARM	0x0420u /* register_runstate, _vcpu_info */

/* Event channels (libhv-evtchn, 2-level and FIFO). */
extern const struct hv_hyp_extension hv_hyp_evtchn;
/* Grant tables (libhv-gnttab, v1 and v2): grant_table_op and the
 * XENMAPSPACE_grant_table frames. */
extern const struct hv_hyp_extension hv_hyp_gnttab;
/* Xen's PV console (Linux's hvc0) for every domain: a ring page and a
 * port whose other end is the core (HVM_PARAM_CONSOLE_PFN and _EVTCHN),
 * printed as the domain's console lines; typed input goes into the ring
 * of the domain that has the console.  Needs hv_hyp_evtchn before it in
 * the list and the arch's console_ring_gpa. */
extern const struct hv_hyp_extension hv_hyp_xencons;

/*
 * How pCPUs are shared among vCPUs.  hv_hyp_round_robin is the smallest;
 * HV_HYP_LIBHV_SCHEDULER(&hv_sched_credit2) runs a libhv-sched policy and
 * links only that policy.
 */
struct hv_hyp_scheduler {
	const char *name;
	/* Before any domain: 0 or -HV_E*; and after the last. */
	int (*init)(struct hv_hyp *h);
	void (*fini)(struct hv_hyp *h);
	/* A built domain joins (its vCPUs all down), with its configured
	 * weight and cap; and leaves. */
	int (*domain_add)(struct hv_hyp_domain *d,
			  const struct hv_boot_domain *cfg);
	void (*domain_remove)(struct hv_hyp_domain *d);
	/* What pCPU p runs from `now`, and until when (*until is
	 * HV_TIME_NEVER on entry); or NULL to idle, with *until when to
	 * ask again (unchanged: at the next wake-up). */
	struct hv_hyp_vcpu *(*pick)(struct hv_hyp_pcpu *p, hv_time_t now,
				    hv_time_t *until);
	/* v's state changed (hv_hyp_vcpu_set_state).  The scheduler alone
	 * chooses which pCPU takes a vCPU that became runnable and asks it
	 * to look (the core kicks no idle pCPU by itself).  pick gives a pCPU
	 * only vCPUs whose domain's `cpus` has it. */
	void (*state_changed)(struct hv_hyp_vcpu *v);
	/* The running v gives up the rest of its slice. */
	void (*yield)(struct hv_hyp_vcpu *v);
	const void *policy; /* HV_HYP_LIBHV_SCHEDULER's */
};

extern const struct hv_hyp_scheduler hv_hyp_round_robin;

/* A libhv-sched policy as the core's scheduler (sched_libhv.c). */
int hv_hyp_libhv_init(struct hv_hyp *h);
void hv_hyp_libhv_fini(struct hv_hyp *h);
int hv_hyp_libhv_domain_add(struct hv_hyp_domain *d,
			    const struct hv_boot_domain *cfg);
void hv_hyp_libhv_domain_remove(struct hv_hyp_domain *d);
struct hv_hyp_vcpu *hv_hyp_libhv_pick(struct hv_hyp_pcpu *p, hv_time_t now,
				      hv_time_t *until);
void hv_hyp_libhv_state_changed(struct hv_hyp_vcpu *v);
void hv_hyp_libhv_yield(struct hv_hyp_vcpu *v);
#define HV_HYP_LIBHV_SCHEDULER(policy_descriptor)                              \
	{                                                                      \
		.name = "libhv-sched", .init = hv_hyp_libhv_init,              \
		.fini = hv_hyp_libhv_fini,                                     \
		.domain_add = hv_hyp_libhv_domain_add,                         \
		.domain_remove = hv_hyp_libhv_domain_remove,                   \
		.pick = hv_hyp_libhv_pick,                                     \
		.state_changed = hv_hyp_libhv_state_changed,                   \
		.yield = hv_hyp_libhv_yield, .policy = (policy_descriptor),    \
	}

/* What the image chooses. */
struct hv_hyp_config {
	const char *name;    /* printed at boot */
	hv_time_t timeslice; /* the round-robin's slice, ns */
	/* NULL-terminated (at most HV_HYP_MAX_EXTENSIONS), or NULL. */
	const struct hv_hyp_extension *const *extensions;
	/* NULL: hv_hyp_round_robin. */
	const struct hv_hyp_scheduler *scheduler;
	/* Largest P2M mapping for guest RAM (HV_MM_P2M_ORDER_*). */
	unsigned int p2m_max_order;
};

/* Members other than those marked are the core's. */
struct hv_hyp {
	const struct hv_hyp_config *config; /* public */
	const struct hv_hyp_arch_ops *arch; /* public */
	void *arch_ctx;			    /* public: the arch's, at init */
	struct hv_mm_heap *heap;	    /* public */
	struct hv_log log;		    /* public: the console */
	struct hv_hyp_pcpu *pcpus;	    /* public */
	unsigned int nr_pcpus;		    /* public */
	hv_spinlock_t lock;
	struct hv_hyp_pcpu *lock_pcpu; /* whose run loop holds lock, or NULL */
	/* pCPUs to kick once lock_pcpu gives the lock back. */
	HV_DECLARE_BITMAP(kicks, HV_HYP_MAX_PCPUS);
	const struct hv_hyp_scheduler *sched;
	void *sched_state;
	unsigned int rr_next; /* the round-robin's position */
	uint32_t started;     /* hv_hyp_start: the pCPUs may run */
	unsigned int live_domains;
	struct hv_hyp_domain *domains[HV_HYP_MAX_DOMAINS];
	uint64_t ext_hypercalls; /* every extension's `hypercalls` */
	/* public: where the core's events go (hv/trace.h), one ring per
	 * pCPU; NULL (as hv_hyp_init leaves it): not traced.  Set before
	 * the first domain is built. */
	struct hv_trace *trace;
	/* Typed input waiting for the initial domain's CONSOLEIO_read (Xen's
	 * serial_rx_ring): indices run free, a byte typed while it is full
	 * is dropped. */
	char console_rx[HV_HYP_CONSOLE_RX];
	uint32_t console_rx_prod, console_rx_cons;
	uint32_t console_wanted; /* hv_hyp_console_wanted (atomic) */
};

/*
 * Set up the core: `pcpus` (nr_pcpus of them, each with its arch pointer
 * set) run the loop; `heap` gives all memory; the console is `log` (its
 * sink writes the hypervisor's console; copied).  Starts the scheduler.
 * 0, -HV_EINVAL (missing ops, bad counts, an extension's hypercall hook
 * without its numbers), or the scheduler's error.
 */
int hv_hyp_init(struct hv_hyp *h, const struct hv_hyp_config *config,
		const struct hv_hyp_arch_ops *arch, void *arch_ctx,
		struct hv_mm_heap *heap, const struct hv_log *log,
		struct hv_hyp_pcpu *pcpus, unsigned int nr_pcpus);

/*
 * Give back what hv_hyp_init took (the scheduler's state): 0, or -HV_EBUSY
 * while a domain exists.
 */
int hv_hyp_fini(struct hv_hyp *h);

/*
 * Build domain `id` from its configuration: its structures, a P2M of the
 * arch's format, RAM at cfg->ram_base populated through libhv-mm (largest
 * mappings first), the kernel's segments and ramdisk copied in, the
 * shared-info page, the arch's domain_init, the extensions, the
 * scheduler; vCPU 0 runnable.  On failure everything taken is given back.
 * 0, -HV_EEXIST (id taken), -HV_EINVAL (id, vcpus or memory out of range,
 * or a `cpus` that does not name pCPUs of this machine: logged with the
 * domain's name), -HV_ENOMEM, or an arch's or extension's error.
 */
int hv_hyp_domain_create(struct hv_hyp *h, const struct hv_boot_domain *cfg,
			 hv_domid_t id, struct hv_hyp_domain **out);

/*
 * Destroy a domain that has shut down: its vCPUs leave the scheduler and
 * every frame it had goes back to the heap.  -HV_EBUSY, with nothing
 * freed, if it has not shut down, one of its vCPUs is on a pCPU, or other
 * domains still map its grants (it has let go of theirs: destroy them,
 * then it, as Xen keeps such a domain until they are gone).
 */
int hv_hyp_domain_destroy(struct hv_hyp_domain *d);

/*
 * Build every domain of a boot bundle (libhv-boot's format) for the
 * core's architecture, domain i of the bundle with id i, each logged.
 * The number built, or the first error with err->msg saying which domain
 * and why (-HV_EINVAL for a bad bundle, or hv_hyp_domain_create()'s);
 * the domains built before it stay, for hv_hyp_destroy_all().
 */
int hv_hyp_build_bundle(struct hv_hyp *h, const void *bundle, size_t size,
			struct hv_boot_error *err);

/*
 * Destroy every domain, each after those that map its grants: 0, or
 * -HV_EBUSY if some cannot go (not shut down, or on a pCPU), which stay.
 * Once the core is started (hv_hyp_start), first waits until every pCPU's
 * hv_hyp_run has returned: none may still hold a vCPU's state, or look at
 * the scheduler's, while its domain goes.
 */
int hv_hyp_destroy_all(struct hv_hyp *h);

/* The domain with id `id`, or NULL. */
struct hv_hyp_domain *hv_hyp_domain_get(struct hv_hyp *h, hv_domid_t id);

/*
 * A hypercall from v, its pointers read through gm: the image's
 * extensions first, then memory_op (libhv-mm), then libhv-xen, which
 * answers -ENOSYS for anything nobody handles.  Returns what the guest
 * gets in its result register.
 */
long hv_hyp_hypercall(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
		      uint64_t nr, const uint64_t args[5]);

/* vCPU state changes, each told to the scheduler.  Blocking a vCPU that
 * has an event pending does nothing (as Xen's vcpu_block); waking one
 * that is not blocked does nothing; start takes a down vCPU (whose
 * registers the arch has reset) to runnable. */
void hv_hyp_vcpu_set_state(struct hv_hyp_vcpu *v, enum hv_hyp_vcpu_state s);
void hv_hyp_vcpu_block(struct hv_hyp_vcpu *v);
void hv_hyp_vcpu_wake(struct hv_hyp_vcpu *v);
void hv_hyp_vcpu_yield(struct hv_hyp_vcpu *v);

/* An event is pending for v: the arch's upcall, and v wakes. */
void hv_hyp_vcpu_notify(struct hv_hyp_vcpu *v);

/* Port `port` of d became pending, masked or not: vCPUs polling it wake
 * (for the extension that answers port_pending). */
void hv_hyp_port_raised(struct hv_hyp_domain *d, uint32_t port);

/* Crash v's domain, saying why; the other domains go on. */
void hv_hyp_crash(struct hv_hyp_vcpu *v, const char *fmt, ...) HV_PRINTF(2, 3);

/* Make pCPU p leave its guest or its idle soon (the arch's kick), for an
 * interrupt for the vCPU it runs: not p itself if its loop is the one
 * holding the lock (it is between exits), and only once the lock is
 * given back. */
void hv_hyp_pcpu_kick(struct hv_hyp_pcpu *p);

/*
 * Input typed at the hypervisor's console, received on pCPU p: for the
 * lowest-numbered domain still running, through the arch's console_input
 * and every extension's (hv_hyp_xencons: its console ring); if that is
 * the initial domain, also for its CONSOLEIO_read, with VIRQ_CONSOLE
 * raised on its vCPU 0 each time, as Xen does for its control domain.
 * From an exit p's loop handles (the lock held), or from p's idle or an
 * interrupt outside the loop (it takes the lock).
 */
void hv_hyp_console_input(struct hv_hyp_pcpu *p, const char *s, size_t len);

/* Whether a domain has shown it reads typed input (a CONSOLEIO_read, a
 * write through its console ring): until then an arch that polls for
 * input need not, as what is typed would not be read.  Any pCPU, with
 * or without the lock. */
bool hv_hyp_console_wanted(struct hv_hyp *h);

/* The pCPU's timer fired: a slice may be over, a vCPU timer due. */
void hv_hyp_tick(struct hv_hyp_pcpu *p);

/*
 * Several pCPUs: each calls hv_hyp_run as soon as its arch state is set
 * up, before the domains exist, and idles there (the arch's idle, woken
 * by a kick) until one pCPU, having built the domains, calls
 * hv_hyp_start; that one then calls hv_hyp_run itself.  The last
 * domain's end kicks every pCPU, so each leaves its loop; the pCPU that
 * destroys the domains (hv_hyp_destroy_all) waits for them all first.
 *
 * hv_hyp_start: the domains are built; every pCPU's hv_hyp_run may begin
 * (those already waiting in it are kicked).  Called without h->lock,
 * before hv_hyp_run on its caller's pCPU; with one pCPU too.
 */
void hv_hyp_start(struct hv_hyp *h);

/*
 * The run loop of pCPU `cpu`: waits for hv_hyp_start, then picks, runs,
 * handles exits, idles, until no domain is live.  Returns 0 when every
 * domain powered off, else 1.
 */
int hv_hyp_run(struct hv_hyp *h, unsigned int cpu);

/* Domains not yet shut down. */
unsigned int hv_hyp_live_domains(const struct hv_hyp *h);

/*
 * Memory for the core and its adapters: `size` bytes from the heap,
 * page-aligned and zeroed (whole pages are taken); NULL if none.
 */
void *hv_hyp_alloc(struct hv_hyp *h, size_t size);
void hv_hyp_free(struct hv_hyp *h, void *p, size_t size);

/* The phys_to_virt and virt_to_phys ops of an arch whose hypervisor runs
 * on an identity map: a machine address is its own pointer. */
void *hv_hyp_identity_phys_to_virt(struct hv_hyp *h, hv_paddr_t pa);
hv_paddr_t hv_hyp_identity_virt_to_phys(struct hv_hyp *h, const void *p);

/* The HV_HYP_API_VERSION the library was built with. */
unsigned int hv_hyp_api_version(void);

HV_END_DECLS

#endif /* HV_HYP_H */
