/*
 * hv/spinlock.h - a ticket spinlock, fair or not.
 *
 * Fair (HV_SPINLOCK_FAIR 1): CPUs get the lock in the order they asked for
 * it, so no CPU starves under contention.  Not fair (0): a locker takes
 * the lock only when nobody holds or waits for it, and otherwise waits
 * until it is free and tries again, as a test-and-set lock.
 *
 * Hosted builds are fair by default, freestanding ones are not.  An
 * hvkit image's CPUs are threads of QEMU that the host deschedules
 * whenever there are more of them than host cores: a fair lock hands the
 * lock to the waiter whose turn it is, and when that thread is not
 * running every CPU waits for the host to run it.  Measured on a two-core
 * host, Linux with four vCPUs on four pCPUs reaches its shell in 41 s on
 * arm64-xen and 10 s on x86-xen with the fair lock, 4.4 s and 4.0 s
 * without (one pCPU: 2.6 s).  Linux makes the same choice as a guest of
 * a hypervisor that cannot wake a waiting vCPU (virt_spin_lock).  Define
 * HV_SPINLOCK_FAIR to choose.  Both kinds may take the same lock and
 * exclude each other, but an unfair locker waits for as long as fair
 * ones keep queueing: code that shares a lock should be built one way.
 *
 * Holding a lock does not mask interrupts: code that takes a lock from an
 * interrupt handler must mask interrupts around it itself (that is the
 * arch library's business, not libhv-core's).
 *
 * In a hosted build (a library embedded in a program, its unit tests) the
 * lockers are threads the OS may preempt: a waiter that has spun a while
 * gives its CPU away, so that a preempted holder, or the preempted thread
 * whose turn is next, can run.  Without that, more threads than cores
 * make every hand-over wait for an OS time slice.
 */
#ifndef HV_SPINLOCK_H
#define HV_SPINLOCK_H

#include <hv/atomic.h>

#if __STDC_HOSTED__
#include <sched.h>
#endif

HV_BEGIN_DECLS

/* Spins before a hosted waiter starts yielding its CPU. */
#define HV_SPIN_HOSTED_SPINS 64

#ifndef HV_SPINLOCK_FAIR
/* 1: hv_spin_lock is fair; 0: not (above).  Define it to choose. */
#define HV_SPINLOCK_FAIR __STDC_HOSTED__
#endif

/* The tickets both kinds count: taken as next moves, given back as owner
 * follows it. */
typedef struct {
	uint32_t next;	/* the ticket the next locker draws */
	uint32_t owner; /* the ticket now holding the lock */
} hv_spinlock_t;

/* An unlocked lock, as a static initialiser (all zero is too). */
#define HV_SPINLOCK_INIT                                                       \
	{                                                                      \
		0, 0                                                           \
	}

/* Make l unlocked. */
static inline void hv_spin_init(hv_spinlock_t *l)
{
	l->next = 0;
	l->owner = 0;
}

/* Take the lock only if nobody holds or waits for it; true if taken. */
static inline bool hv_spin_trylock(hv_spinlock_t *l)
{
	uint32_t owner = hv_atomic_load_u32(&l->owner);
	uint32_t expected = owner;

	return hv_atomic_cmpxchg_u32(&l->next, &expected, owner + 1);
}

/* Whether someone holds l or waits for it (a hint: it may change at
 * once). */
static inline bool hv_spin_is_locked(hv_spinlock_t *l)
{
	return hv_atomic_load_u32(&l->next) != hv_atomic_load_u32(&l->owner);
}

/* A waiter's turn of spinning (hosted builds yield the CPU after a
 * while). */
static inline void hv_spin_wait(unsigned int *spins)
{
#if __STDC_HOSTED__
	if (++*spins > HV_SPIN_HOSTED_SPINS) {
		sched_yield();
		return;
	}
#else
	(void)spins;
#endif
	hv_cpu_relax();
}

/* The unfair lock's wait, out of line: every lock site inlines only
 * the first try (the waiting loop at each made arm64-xen 8 KiB
 * larger). */
void hv_spin_lock_contended(hv_spinlock_t *l);

/* Wait for l and take it. */
static inline void hv_spin_lock(hv_spinlock_t *l)
{
#if HV_SPINLOCK_FAIR
	uint32_t ticket = hv_atomic_fetch_add_u32(&l->next, 1);
	unsigned int spins = 0;

	while (hv_atomic_load_u32(&l->owner) != ticket)
		hv_spin_wait(&spins);
#else
	if (!hv_spin_trylock(l))
		hv_spin_lock_contended(l);
#endif
}

static inline void hv_spin_unlock(hv_spinlock_t *l)
{
	/* Only the holder writes owner, so a plain increment is enough. */
	hv_atomic_store_u32(&l->owner, l->owner + 1);
}

HV_END_DECLS

#endif /* HV_SPINLOCK_H */
