/*
 * hv/spinlock.h - a fair (ticket) spinlock.
 *
 * CPUs get the lock in the order they asked for it, so no pCPU starves
 * under contention.  Holding it does not mask interrupts: code that takes a
 * lock from an interrupt handler must mask interrupts around it itself
 * (that is the arch library's business, not libhv-core's).
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

/* A ticket lock: waiters take it in the order they came. */
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

/* Wait for l and take it (hosted builds yield the CPU after a while). */
static inline void hv_spin_lock(hv_spinlock_t *l)
{
	uint32_t ticket = hv_atomic_fetch_add_u32(&l->next, 1);
#if __STDC_HOSTED__
	unsigned int spins = 0;
#endif

	while (hv_atomic_load_u32(&l->owner) != ticket) {
#if __STDC_HOSTED__
		if (++spins > HV_SPIN_HOSTED_SPINS) {
			sched_yield();
			continue;
		}
#endif
		hv_cpu_relax();
	}
}

/* Take the lock only if nobody holds or waits for it; true if taken. */
static inline bool hv_spin_trylock(hv_spinlock_t *l)
{
	uint32_t owner = hv_atomic_load_u32(&l->owner);
	uint32_t expected = owner;

	return hv_atomic_cmpxchg_u32(&l->next, &expected, owner + 1);
}

static inline void hv_spin_unlock(hv_spinlock_t *l)
{
	/* Only the holder writes owner, so a plain increment is enough. */
	hv_atomic_store_u32(&l->owner, l->owner + 1);
}

/* Whether someone holds l (a hint: it may change at once). */
static inline bool hv_spin_is_locked(hv_spinlock_t *l)
{
	return hv_atomic_load_u32(&l->next) != hv_atomic_load_u32(&l->owner);
}

HV_END_DECLS

#endif /* HV_SPINLOCK_H */
