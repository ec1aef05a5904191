/* The unfair spin lock's wait (hv/spinlock.h). */
#include <hv/spinlock.h>

void hv_spin_lock_contended(hv_spinlock_t *l)
{
	unsigned int spins = 0;

	/* Reads while it is taken, so that waiters do not fight over the
	 * cache line; an atomic only when it looks free. */
	do {
		while (hv_spin_is_locked(l))
			hv_spin_wait(&spins);
	} while (!hv_spin_trylock(l));
}
