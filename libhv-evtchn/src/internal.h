/*
 * libhv-evtchn private state, shared by the core and the ABI files.
 *
 * Locking, the one rule everything relies on:
 *  - d->lock serialises every change to d's channels (binding, closing,
 *    vCPU and priority changes, ABI switches, guest mappings) and is held
 *    by every sender on d's own ports (IPI send, hypervisor raises);
 *  - an interdomain channel changes state only with both domains' locks
 *    held (taken in address order), so a sender holding its own domain's
 *    lock may read its peer's channel and set it pending without the
 *    peer's lock;
 *  - hence set_pending on domain d runs under d->lock or under the lock of
 *    a domain with a bound channel to d; the ABI code makes concurrent
 *    set_pendings safe with atomics (2-level) or per-queue locks (FIFO).
 * Fields read by remote senders without d->lock (abi, abi_state, shared,
 * vcpu[].info, a channel's notify_vcpu and priority) are written with
 * release stores and read with acquire loads or atomically.
 */
#ifndef EVTCHN_INTERNAL_H
#define EVTCHN_INTERNAL_H

#include <hv/atomic.h>
#include <hv/error.h>
#include <hv/evtchn.h>
#include <hv/spinlock.h>

/* Channel states; Xen's ECS_*. */
enum chn_state {
	CHN_FREE = 0,
	CHN_RESERVED, /* port 0 */
	CHN_UNBOUND,
	CHN_INTERDOMAIN,
	CHN_PIRQ,
	CHN_VIRQ,
	CHN_IPI,
};

struct chn {
	uint8_t state;	      /* enum chn_state; changed under d->lock */
	uint8_t priority;     /* FIFO priority, EVTCHN_FIFO_PRIORITY_* */
	uint8_t stashed;      /* raised while the ABI had nowhere to put it */
	uint8_t hypervisor;   /* UNBOUND: the hypervisor's (sends go to it) */
	uint32_t notify_vcpu; /* vCPU to notify; read without the lock */
	uint32_t fifo_lastq;  /* FIFO queue last linked on: vcpu << 4 | prio */
	union {
		hv_domid_t unbound_domid; /* UNBOUND: who may bind to it */
		uint32_t remote_port;	  /* INTERDOMAIN */
		uint32_t virq;		  /* VIRQ */
		uint32_t pirq;		  /* PIRQ */
	} u;
	struct hv_evtchn_domain *remote; /* INTERDOMAIN: the peer */
};

/*
 * Channels live in buckets of CHNS_PER_BUCKET, allocated when the first
 * port in them is needed; groups of bucket pointers likewise.  Nothing is
 * freed before the domain is destroyed, so a channel pointer stays valid
 * for the domain's lifetime.
 */
#define CHNS_PER_BUCKET	  64u
#define BUCKETS_PER_GROUP 64u
#define PORTS_PER_GROUP	  (CHNS_PER_BUCKET * BUCKETS_PER_GROUP)
#define NR_GROUPS	  (EVTCHN_FIFO_NR_CHANNELS / PORTS_PER_GROUP)

struct bucket {
	uint32_t used; /* channels not CHN_FREE */
	struct chn chn[CHNS_PER_BUCKET];
};

struct evtchn_vcpu {
	struct vcpu_info *info;	      /* registered, or NULL: default */
	uint64_t info_pin;	      /* info's hv_gmem pin */
	uint32_t virq_port[NR_VIRQS]; /* 0: unbound; globals on vCPU 0 */
};

struct hv_evtchn_domain {
	hv_spinlock_t lock;
	uint32_t pins; /* in-flight peers' closes; destroy waits for 0 */
	struct hv_evtchn_config cfg;
	bool dying;
	uint32_t valid_ports; /* ports with a bucket; grows, never shrinks */
	uint32_t bound;	      /* channels in a bound state */
	uint32_t free_bucket; /* no bucket below this has a free channel */
	const struct hv_evtchn_abi *abi; /* delivery ABI now, or NULL */
	void *abi_state;		 /* the ABI's per-domain state */
	struct shared_info *shared;	 /* mapped shared-info page or NULL */
	uint64_t shared_pin;		 /* shared's hv_gmem pin */
	struct evtchn_vcpu *vcpu;	 /* cfg.nr_vcpus of them */
	uint32_t *pirq_port;		 /* cfg.nr_pirqs of them; 0 unbound */
	struct bucket **group[NR_GROUPS];
};

/* Pointer publication between the locked writer and lock-free readers. */
#define evtchn_load_ptr(p)     __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define evtchn_store_ptr(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

/* Memory from the caller's allocator, zeroed; NULL on failure. */
void *evtchn_zalloc(const struct hv_evtchn_domain *d, size_t size);
void evtchn_free(const struct hv_evtchn_domain *d, void *ptr, size_t size);

/* --- port table (table.c) --- */

static inline struct chn *evtchn_chn(const struct hv_evtchn_domain *d,
				     uint32_t port)
{
	struct bucket **grp =
	    evtchn_load_ptr(&d->group[port / PORTS_PER_GROUP]);
	struct bucket *b =
	    evtchn_load_ptr(&grp[(port % PORTS_PER_GROUP) / CHNS_PER_BUCKET]);

	return &b->chn[port % CHNS_PER_BUCKET];
}

/* Ports the domain may bind now: the ABI's and the configured limit
 * (Xen's max_evtchns). */
uint32_t evtchn_port_limit(const struct hv_evtchn_domain *d);
/* A port with a channel behind it (Xen's port_is_valid). */
bool evtchn_port_valid(const struct hv_evtchn_domain *d, uint32_t port);
/* The lowest free port, without allocating: -HV_ENOSPC, or -HV_EINVAL
 * while the domain is dying.  Under d->lock. */
int evtchn_find_free(struct hv_evtchn_domain *d);
/* Bind free port `port` in `state` to vCPU `vcpu`, allocating its bucket
 * first (-HV_ENOMEM, nothing changed).  Under d->lock. */
int evtchn_claim(struct hv_evtchn_domain *d, uint32_t port,
		 enum chn_state state, hv_vcpuid_t vcpu, struct chn **out);
/* Return a bound channel to CHN_FREE, clearing its pending state. */
void evtchn_release(struct hv_evtchn_domain *d, struct chn *chn, uint32_t port);
void evtchn_table_destroy(struct hv_evtchn_domain *d);

static inline bool chn_is_bound(const struct chn *chn)
{
	return chn->state > CHN_RESERVED;
}

/* --- locking (domain.c) --- */

void evtchn_lock_pair(struct hv_evtchn_domain *a, struct hv_evtchn_domain *b);
void evtchn_unlock_pair(struct hv_evtchn_domain *a, struct hv_evtchn_domain *b);

/* --- delivery (deliver.c) --- */

/* Make a channel of d pending for vCPU vcpu through d's ABI, or stash it
 * in the channel when the ABI has nowhere to put it yet. */
void evtchn_set_pending(struct hv_evtchn_domain *d, hv_vcpuid_t vcpu,
			struct chn *chn, uint32_t port);
/* Let go of the shared-info page and the vcpu_infos (domain destroy). */
void evtchn_unpin_mappings(struct hv_evtchn_domain *d);
/* Redeliver events stashed on ports [first, last). Under d->lock. */
void evtchn_replay_stashed(struct hv_evtchn_domain *d, uint32_t first,
			   uint32_t last);
/* The vcpu_info of vCPU vcpu: registered, in the shared-info page, or
 * NULL. */
struct vcpu_info *evtchn_vcpu_info(const struct hv_evtchn_domain *d,
				   hv_vcpuid_t vcpu);
/* Set vCPU vcpu's upcall pending and notify the caller on 0 -> 1. */
void evtchn_mark_upcall(struct hv_evtchn_domain *d, hv_vcpuid_t vcpu);

static inline uint32_t chn_notify_vcpu(const struct chn *chn)
{
	return hv_atomic_load_relaxed_u32(&chn->notify_vcpu);
}

/* Per-vCPU VIRQs, the "V." ones of <xen/xen.h>; every other is global. */
static inline bool evtchn_virq_is_global(uint32_t virq)
{
	switch (virq) {
	case VIRQ_TIMER:
	case VIRQ_DEBUG:
	case VIRQ_XENOPROF:
	case VIRQ_XENPMU:
		return false;
	default:
		return true;
	}
}

/* --- operations (one file each) --- */

int evtchn_alloc_unbound(struct hv_evtchn_domain *d,
			 struct evtchn_alloc_unbound *op);
int evtchn_bind_interdomain(struct hv_evtchn_domain *d,
			    struct evtchn_bind_interdomain *op);
int evtchn_bind_virq(struct hv_evtchn_domain *d, struct evtchn_bind_virq *op);
int evtchn_bind_ipi(struct hv_evtchn_domain *d, struct evtchn_bind_ipi *op);
int evtchn_bind_pirq(struct hv_evtchn_domain *d, struct evtchn_bind_pirq *op);
int evtchn_close(struct hv_evtchn_domain *d, uint32_t port);
int evtchn_send(struct hv_evtchn_domain *d, uint32_t port);
int evtchn_status(struct hv_evtchn_domain *d, struct evtchn_status *op);
int evtchn_bind_vcpu(struct hv_evtchn_domain *d,
		     const struct evtchn_bind_vcpu *op);
int evtchn_unmask(struct hv_evtchn_domain *d, uint32_t port);
int evtchn_reset(struct hv_evtchn_domain *d, const struct evtchn_reset *op);
int evtchn_reset_domain(struct hv_evtchn_domain *d);
int evtchn_init_control(struct hv_evtchn_domain *d,
			struct evtchn_init_control *op);
int evtchn_expand_array(struct hv_evtchn_domain *d,
			const struct evtchn_expand_array *op);
int evtchn_set_priority(struct hv_evtchn_domain *d,
			const struct evtchn_set_priority *op);

/*
 * The domain an op names by `dom` as seen by caller d: d itself for
 * DOMID_SELF or d's own id, else one from get_domain (-HV_ESRCH) that
 * evtchn_put_target must release.
 */
int evtchn_get_target(struct hv_evtchn_domain *d, hv_domid_t dom,
		      struct hv_evtchn_domain **out);
void evtchn_put_target(struct hv_evtchn_domain *d,
		       struct hv_evtchn_domain *target);
/* Xen's XSM_TARGET default: acting on another domain needs privilege. */
static inline bool evtchn_may_target(const struct hv_evtchn_domain *d,
				     const struct hv_evtchn_domain *target)
{
	return d == target || d->cfg.privileged;
}

#endif /* EVTCHN_INTERNAL_H */
