/*
 * hv/timerq.h - a queue of one-shot timers keyed by absolute time (ns).
 *
 * One queue per pCPU is the usual shape: the caller arms timers, programs
 * its hardware timer for hv_timerq_next_deadline(), and calls
 * hv_timerq_run() from the interrupt.  Timers are embedded in the caller's
 * structures; the queue never allocates.  Timers with the same expiry fire
 * in the order they were armed.  No locking: callers serialise access.
 */
#ifndef HV_TIMERQ_H
#define HV_TIMERQ_H

#include <hv/rbtree.h>
#include <hv/types.h>

HV_BEGIN_DECLS

struct hv_timer;

/* Called with the timer already disarmed, so it may re-arm itself. */
typedef void (*hv_timer_fn)(struct hv_timer *timer, hv_time_t now, void *data);

/* A one-shot timer, embedded in the caller's structure. */
struct hv_timer {
	struct hv_rb_node node; /* in its queue, by expiry, while armed */
	hv_time_t expires;	/* when it fires (ns) */
	hv_timer_fn fn;		/* what it calls then */
	void *data;		/* fn's last argument */
	uint64_t armed_in_run;	/* run generation when armed; see timerq.c */
};

/* A queue of timers, fired by hv_timerq_run. */
struct hv_timerq {
	struct hv_rb_tree timers;
	uint64_t run; /* how many hv_timerq_run calls have started */
};

/* An empty queue; a disarmed timer that will call fn(t, now, data). */
void hv_timerq_init(struct hv_timerq *q);
void hv_timer_init(struct hv_timer *t, hv_timer_fn fn, void *data);

/* Arm t to fire at `expires`; a timer already armed is moved. */
void hv_timerq_arm(struct hv_timerq *q, struct hv_timer *t, hv_time_t expires);
/* Disarm t; returns whether it was armed. */
bool hv_timerq_cancel(struct hv_timerq *q, struct hv_timer *t);
bool hv_timer_is_armed(const struct hv_timer *t);

/* The earliest expiry in the queue, or HV_TIME_NEVER when it is empty. */
hv_time_t hv_timerq_next_deadline(const struct hv_timerq *q);

/*
 * Fire every timer that expires at or before `now`, earliest first.
 * A timer that a callback arms (again) for a time at or before `now` fires
 * on the next call, not this one, so a callback cannot keep this call
 * looping.  Callbacks may arm and cancel any timer of the queue, but must
 * not call hv_timerq_run on it.
 * Returns the number of timers fired.
 */
size_t hv_timerq_run(struct hv_timerq *q, hv_time_t now);

HV_END_DECLS

#endif /* HV_TIMERQ_H */
