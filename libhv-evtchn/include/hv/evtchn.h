/*
 * hv/evtchn.h - libhv-evtchn, Xen event channels: per-domain channel state,
 * every EVTCHNOP of <xen/event_channel.h>, and the 2-level and FIFO delivery
 * ABIs.
 *
 * A hypervisor creates one struct hv_evtchn_domain per guest, routes the
 * guest's event_channel_op hypercall to hv_evtchn_hypercall(), tells the
 * library where the guest put its shared-info page and vcpu_info areas, and
 * raises VIRQs and PIRQs with hv_evtchn_raise_*().  The library calls back
 * through struct hv_evtchn_ops when a vCPU needs an upcall, and to find
 * other domains for interdomain channels.  Everything it keeps comes from
 * the caller's allocator; everything it shares with the guest is reached
 * through the domain's struct hv_gmem.
 *
 * Return values: 0 (or a port number where said) on success, or a negative
 * HV_E* value, which is the value Xen returns in the same situation.
 *
 * Locking: calls on different domains, and calls on the same domain from
 * different CPUs, may run concurrently; the library serialises what needs
 * it.  Callbacks are called with library locks held and must not call back
 * into libhv-evtchn.
 */
#ifndef HV_EVTCHN_H
#define HV_EVTCHN_H

/* Bumped whenever the API changes incompatibly; 0 while it is unstable. */
#define HV_EVTCHN_API_VERSION 1

#include <hv/error.h>
#include <hv/gmem.h>
#include <hv/log.h>
#include <hv/types.h>
#include <hv/xen_interface.h>
#include <stdbool.h>

#include <xen/xen.h>
#include <xen/event_channel.h>

HV_BEGIN_DECLS

/* The HV_EVTCHN_API_VERSION the library was built with. */
unsigned int hv_evtchn_api_version(void);

struct hv_evtchn_domain;

/*
 * Delivery ABIs.  A domain uses the 2-level ABI (shared-info bitmaps) until
 * the guest issues EVTCHNOP_init_control, then the FIFO ABI (event array and
 * per-vCPU control blocks) until EVTCHNOP_reset.  Each lives in its own
 * object file and is reached only through these descriptors: an image that
 * names only one links only one.
 */
struct hv_evtchn_abi;
extern const struct hv_evtchn_abi hv_evtchn_2l;
extern const struct hv_evtchn_abi hv_evtchn_fifo;

/* Highest vCPU count a domain may have (the FIFO code packs vCPU ids). */
#define HV_EVTCHN_MAX_VCPUS 65536u

/*
 * Memory for the library's own state: channel buckets, per-vCPU state, FIFO
 * queues.  alloc returns `size` bytes aligned to `align` (a power of two,
 * at most 64) or NULL; the library zeroes what it gets.  free gets back the
 * pointer and the size it was allocated with.
 */
struct hv_evtchn_alloc {
	void *(*alloc)(void *opaque, size_t size, size_t align);
	void (*free)(void *opaque, void *ptr, size_t size);
	void *opaque;
};

/* What the library asks of the hypervisor that embeds it. */
struct hv_evtchn_ops {
	/*
	 * The domain with id `domid` (never DOMID_SELF), held for the library
	 * until put_domain, or NULL if there is none (the op then fails with
	 * -HV_ESRCH, Xen's answer for a missing domain).
	 */
	struct hv_evtchn_domain *(*get_domain)(void *ctx, hv_domid_t domid);
	/* Release a domain get_domain returned; may be NULL. */
	void (*put_domain)(void *ctx, struct hv_evtchn_domain *d);
	/*
	 * vCPU `vcpu` of `d` has a new event upcall pending (its vcpu_info's
	 * evtchn_upcall_pending went from 0 to 1, or it has no vcpu_info):
	 * inject the upcall or wake the vCPU.  Called with locks held.
	 */
	void (*notify)(void *ctx, struct hv_evtchn_domain *d, hv_vcpuid_t vcpu);
	/*
	 * Optional: port `port` of `d` (notifying vCPU `vcpu`) became pending,
	 * masked or not: what wakes a vCPU in SCHEDOP_poll on it, as Xen's
	 * evtchn_check_pollers.  Called with locks held.
	 */
	void (*raised)(void *ctx, struct hv_evtchn_domain *d, hv_vcpuid_t vcpu,
		       evtchn_port_t port);
	/*
	 * Optional: `d` sent on port `port`, whose other end is the
	 * hypervisor (hv_evtchn_alloc_hypervisor).  Called with no library
	 * lock held, so it may answer with hv_evtchn_raise().
	 */
	void (*hypervisor_send)(void *ctx, struct hv_evtchn_domain *d,
				evtchn_port_t port);
};

/* One domain's event channels, as hv_evtchn_domain_create takes them. */
struct hv_evtchn_config {
	hv_domid_t domid;      /* this domain's id, < DOMID_FIRST_RESERVED */
	unsigned int nr_vcpus; /* 1..HV_EVTCHN_MAX_VCPUS */
	unsigned int nr_pirqs; /* PIRQs 0..nr_pirqs-1 may be bound */
	/* Highest port the domain may bind, as Xen's max_evtchn_port; 0 for
	 * the limit of the ABI in use (4,095 2-level, 131,071 FIFO). */
	unsigned int max_port;
	/* May name another domain in alloc_unbound, status and reset (Xen's
	 * XSM_TARGET check for a control domain). */
	bool privileged;
	/* The ABIs this domain may use: &hv_evtchn_2l, &hv_evtchn_fifo or
	 * NULL (at least one).  With no 2-level ABI, events raised before
	 * EVTCHNOP_init_control wait in the hypervisor until the guest's
	 * event array has a word for them. */
	const struct hv_evtchn_abi *abi_2l;
	const struct hv_evtchn_abi *abi_fifo;
	/* Guest-physical memory: shared info, vcpu_info, FIFO control blocks
	 * and event-array pages are mapped through it and kept mapped, each
	 * pinned (hv_gmem_map_pinned) until the domain goes (the FIFO pages
	 * until EVTCHNOP_reset, the shared-info page until it moves): give
	 * it pinning if the guest can give frames back.  A moved shared-info
	 * page is unpinned at once while a remote sender may still write it:
	 * make it a page that outlives the domain (as Xen's own is). */
	const struct hv_gmem *gmem;
	const struct hv_evtchn_ops *ops; /* get_domain and notify required */
	void *ctx;			 /* passed to every ops callback */
	struct hv_evtchn_alloc alloc;
	const struct hv_log *log; /* NULL: silent */
};

/*
 * Create a domain's event-channel state in memory from cfg->alloc.  Port 0
 * is reserved, as in Xen; the domain starts on the 2-level ABI (or on none,
 * without abi_2l).  cfg is copied, but what its pointers name must outlive
 * the domain.  -HV_EINVAL for a bad configuration, -HV_ENOMEM.
 */
int hv_evtchn_domain_create(const struct hv_evtchn_config *cfg,
			    struct hv_evtchn_domain **out);

/*
 * Close every channel (peers' interdomain ends become unbound), release
 * the guest mappings and free everything.  Call it only once get_domain
 * no longer returns d and every reference it handed out has been put; it
 * waits for other domains' in-flight closes of channels to d.
 */
void hv_evtchn_domain_destroy(struct hv_evtchn_domain *d);

/* The domain's id, as configured. */
hv_domid_t hv_evtchn_domain_id(const struct hv_evtchn_domain *d);

/* Ports bound now (any state but closed), not counting reserved port 0. */
unsigned int hv_evtchn_bound_ports(const struct hv_evtchn_domain *d);

/*
 * The guest placed its shared-info page (struct shared_info) at guest
 * physical address gaddr (page aligned).  2-level pending and mask bitmaps
 * live there from now on, and the vcpu_info of each vCPU below
 * XEN_LEGACY_MAX_VCPUS that registered none.  Events raised while no page
 * was mapped are made pending in it.  Contents are not copied from a
 * previous page.  -HV_EINVAL if misaligned, -HV_EFAULT if not mapped
 * writable.
 */
int hv_evtchn_map_shared_info(struct hv_evtchn_domain *d, uint64_t gaddr);

/*
 * vCPU `vcpu` registered its vcpu_info at gaddr (VCPUOP_register_vcpu_info;
 * 8-byte aligned, within one page).  As Xen does, the old contents are
 * copied over (gaddr may overlap them) and every selector bit is set, so
 * that no event is lost.
 * -HV_ENOENT for a bad vCPU, -HV_EINVAL if already registered or
 * misaligned or crossing a page, -HV_EFAULT if not mapped writable.
 */
int hv_evtchn_map_vcpu_info(struct hv_evtchn_domain *d, hv_vcpuid_t vcpu,
			    uint64_t gaddr);

/*
 * Whether port `port` of d is bound and pending (masked or not), for
 * SCHEDOP_poll; -HV_EINVAL if the port is beyond the domain's ABI.
 */
int hv_evtchn_port_pending(struct hv_evtchn_domain *d, evtchn_port_t port);

/* Whether vCPU `vcpu`'s evtchn_upcall_pending is set (false without a
 * vcpu_info or for a bad vCPU): an image's "events need delivery". */
bool hv_evtchn_upcall_pending(const struct hv_evtchn_domain *d,
			      hv_vcpuid_t vcpu);

/*
 * The guest's HYPERVISOR_event_channel_op(cmd, arg): reads the op struct at
 * guest address `arg` through `args` (the calling vCPU's view of its
 * memory, for hypercall arguments), performs it as domain d and writes the
 * OUT fields back.  Unknown cmd: -HV_ENOSYS; unreadable or unwritable
 * argument: -HV_EFAULT, checked before anything changes; otherwise what
 * hv_evtchn_op returns.
 */
int hv_evtchn_hypercall(struct hv_evtchn_domain *d, const struct hv_gmem *args,
			unsigned int cmd, uint64_t arg);

/*
 * One EVTCHNOP performed by domain d on an op struct in hypervisor memory
 * (struct evtchn_alloc_unbound for EVTCHNOP_alloc_unbound, and so on):
 * what hv_evtchn_hypercall does after copying in.  For the hypervisor's own
 * use, e.g. to allocate a guest's console or xenstore port at build time.
 * Errors as Xen's (see docs/evtchn.md for each op's list):
 *   -HV_EINVAL   bad port, wrong channel state, bad VIRQ or PIRQ, bad
 *                FIFO control-block offset, unmappable guest frame
 *   -HV_ENOENT   vCPU out of range
 *   -HV_EEXIST   VIRQ or PIRQ already bound
 *   -HV_ENOSPC   no free port below the limit, event array full
 *   -HV_ESRCH    no such domain
 *   -HV_EPERM    naming another domain without cfg.privileged
 *   -HV_EACCES   set_priority on a closed port
 *   -HV_EAGAIN   reset raced with a new binding
 *   -HV_ENOSYS   unknown cmd; set_priority outside FIFO
 *   -HV_EOPNOTSUPP  init_control/expand_array without the FIFO ABI
 *   -HV_ENOMEM   the allocator failed
 * A failed op changes nothing.
 */
int hv_evtchn_op(struct hv_evtchn_domain *d, unsigned int cmd, void *op);

/*
 * A port of d whose other end is the hypervisor, for a backend living in
 * it (Xen's console or xenstore ring): unbound, offered to DOMID_XEN as
 * EVTCHNOP_status tells the guest, so no domain can bind it; the guest's
 * EVTCHNOP_send on it calls ops->hypervisor_send, and hv_evtchn_raise()
 * notifies the guest.  Notifying vCPU 0.  The guest may close it like any
 * port (the backend then hears nothing more).  The port, or -HV_ENOSPC,
 * -HV_EINVAL (the domain is dying), -HV_ENOMEM.
 */
int hv_evtchn_alloc_hypervisor(struct hv_evtchn_domain *d);

/*
 * Make port `port` of d pending, as if its peer had sent on it: for the
 * hypervisor's own channels (a console or xenstore backend living in the
 * hypervisor).  -HV_EINVAL if the port is invalid or closed.
 */
int hv_evtchn_raise(struct hv_evtchn_domain *d, evtchn_port_t port);

/*
 * Raise VIRQ `virq` (VIRQ_*): a per-vCPU VIRQ on vCPU `vcpu`, a global one
 * (vcpu must be 0) on whichever vCPU its channel notifies.  Returns 1 if an
 * event was raised, 0 if the guest has not bound the VIRQ; -HV_EINVAL for
 * a bad VIRQ or a global VIRQ with vcpu != 0, -HV_ENOENT for a bad vCPU.
 */
int hv_evtchn_raise_virq(struct hv_evtchn_domain *d, uint32_t virq,
			 hv_vcpuid_t vcpu);

/* Raise PIRQ `pirq`: 1 if raised, 0 if unbound, -HV_EINVAL if out of
 * range. */
int hv_evtchn_raise_pirq(struct hv_evtchn_domain *d, uint32_t pirq);

HV_END_DECLS

#endif /* HV_EVTCHN_H */
