/*
 * libhv-hyp's private interface, shared by its source files.
 */
#ifndef HV_HYP_PRIV_H
#define HV_HYP_PRIV_H

#include <hv/hyp.h>

/* What libhv-xen asks of the core (xen_ops.c). */
extern const struct hv_xen_ops hyp_xen_ops;
/* A domain's P2M: tables from the heap, flushes through the arch. */
extern const struct hv_mm_p2m_ops hyp_p2m_ops;

static inline hv_time_t hyp_now(struct hv_hyp *h)
{
	return h->arch->now(h);
}

/* An event for the trace, on the ring of the pCPU whose loop holds the
 * core's lock (pCPU 0's while the domains are built). */
static inline void hyp_trace(struct hv_hyp *h, uint16_t event, uint32_t a0,
			     uint32_t a1, uint32_t a2, uint32_t a3)
{
	hv_trace(h->trace, h->lock_pcpu ? h->lock_pcpu->id : 0, event, a0, a1,
		 a2, a3);
}

/* The pCPU v is on, if it is running it now; else NULL. */
struct hv_hyp_pcpu *hyp_vcpu_running_on(struct hv_hyp_vcpu *v);
/* Its RUNSTATE_* by its state and whether a pCPU runs it. */
unsigned int hyp_vcpu_runstate(struct hv_hyp_vcpu *v);

/* The domain's hard affinity from cfg->cpus into mask (HV_HYP_MAX_PCPUS
 * bits): 0, or -HV_EINVAL, logged naming the domain and the field. */
int hyp_affinity_parse(struct hv_hyp *h, const struct hv_boot_domain *cfg,
		       unsigned long *mask);

/* Whether v may run on p (its domain's hard affinity). */
static inline bool hyp_vcpu_may_run(const struct hv_hyp_vcpu *v,
				    const struct hv_hyp_pcpu *p)
{
	return hv_bitmap_test(v->dom->cpus, p->id);
}

/* v runs again: a copy of its runstate where it registered one, through
 * the arch's guest_vmem (vcpu_op.c). */
void hyp_runstate_area_update(struct hv_hyp_vcpu *v);

/* h->lock taken by pCPU p (recording that p holds it), and given back
 * with the kicks deferred meanwhile sent (run.c). */
void hyp_lock(struct hv_hyp *h, struct hv_hyp_pcpu *p);
void hyp_unlock(struct hv_hyp *h);

/* Whether an extension has an event for v that must not wait. */
bool hyp_vcpu_event_pending(struct hv_hyp_vcpu *v);

/* Where a pCPU is in hv_hyp_run (its stage): hv_hyp_start kicks those
 * waiting; hv_hyp_destroy_all waits until every one has left. */
enum hyp_pcpu_stage {
	HYP_PCPU_OUTSIDE, /* not yet in hv_hyp_run */
	HYP_PCPU_WAITING, /* in it, idle until hv_hyp_start */
	HYP_PCPU_RUNNING,
	HYP_PCPU_LEFT, /* returned from it */
};

/* Ask pCPU p to look at its run queue: itself at its next exit, another
 * through the arch's kick. */
void hyp_pcpu_resched(struct hv_hyp *h, struct hv_hyp_pcpu *p);

/* The extensions, as an array, and how many. */
static inline const struct hv_hyp_extension *
hyp_extension(const struct hv_hyp *h, unsigned int i)
{
	return h->config->extensions ? h->config->extensions[i] : NULL;
}

/* Every extension `e` of h, with its index i. */
#define hyp_for_each_extension(h, i, e)                                        \
	for ((i) = 0; ((e) = hyp_extension((h), (i))) != NULL; (i)++)

/* VCPUOP (vcpu_op.c): the hypercall; v's runstate becomes `state`
 * (RUNSTATE_*) at `now`; VIRQ `virq` raised on v through the extensions;
 * v set or moved a timer (its pCPU looks at the timers after this exit). */
long hyp_vcpu_op(struct hv_hyp_vcpu *v, const struct hv_gmem *gm, uint64_t cmd,
		 uint64_t vcpuid, uint64_t arg);
void hyp_runstate_set(struct hv_hyp_vcpu *v, unsigned int state, hv_time_t now);
void hyp_raise_virq(struct hv_hyp_vcpu *v, uint32_t virq);
/* CONSOLEIO_read for the initial domain (console.c). */
long hyp_console_read(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
		      uint64_t count, uint64_t buffer);
bool hyp_console_can_wake(struct hv_hyp *h);
/* A domain reads typed input (hv_hyp_console_wanted). */
void hyp_console_wanted(struct hv_hyp *h);
static inline void hyp_timers_changed(struct hv_hyp_vcpu *v)
{
	v->dom->hyp->pcpus[v->pcpu].tick = true;
}

/*
 * For the extensions: allocator callbacks over hv_hyp_alloc (opaque: the
 * struct hv_hyp; alignment is a page's), and extension e's state in
 * domain `id` (NULL: no such domain, or one still being built).
 */
void *hyp_ext_alloc(void *opaque, size_t size, size_t align);
void hyp_ext_free(void *opaque, void *ptr, size_t size);
void *hyp_ext_state(struct hv_hyp *h, hv_domid_t id,
		    const struct hv_hyp_extension *e);
/* Extension e's state in d, which may be being built (NULL: e is not in
 * the image, or has not made d's yet). */
void *hyp_domain_ext(struct hv_hyp_domain *d, const struct hv_hyp_extension *e);

/* SCHEDOP_poll (poll.c). */
long hyp_sched_poll(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
		    uint64_t arg);

/* XENMEM: hv_mm_memory_op with the core's callbacks (memory.c). */
long hyp_memory_op(struct hv_hyp_vcpu *v, const struct hv_gmem *gm,
		   uint64_t cmd, uint64_t arg);

#endif /* HV_HYP_PRIV_H */
