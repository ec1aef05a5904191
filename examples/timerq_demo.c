/*
 * timerq_demo - embedding libhv-core's timer queue in your own program.
 *
 * The queue only keeps timers in order and calls them; it has no clock of
 * its own and never allocates.  Your program owns the clock and the timer
 * memory.  The loop is always the same:
 *
 *	1. ask the queue for its next deadline;
 *	2. wait until then (a hypervisor programs a one-shot hardware timer;
 *	   this demo just moves a simulated clock forward);
 *	3. let hv_timerq_run() fire everything that is due.
 *
 * It prints each timer as it fires, then checks the order against the
 * expected one and exits non-zero if it differs (it is also a test).
 */
#include <stdio.h>
#include <string.h>

#include <hv/timerq.h>

/* Your own structure, with the timer embedded in it. */
struct job {
	struct hv_timer timer;
	const char *name;
	hv_time_t period;    /* 0 for a one-shot */
	struct job *cancels; /* a job to cancel when this one fires */
};

/* Everything the callbacks need, passed as their data pointer. */
struct demo {
	struct hv_timerq q;
	char log[1024]; /* "<ms> <name>\n" per firing, to check the order */
	size_t len;
};

static void job_fire(struct hv_timer *t, hv_time_t now, void *data)
{
	struct job *job = hv_container_of(t, struct job, timer);
	struct demo *d = data;

	printf("  %5lld ms  %s\n", (long long)(now / HV_MSEC(1)), job->name);
	d->len += (size_t)snprintf(d->log + d->len, sizeof(d->log) - d->len,
				   "%lld %s\n", (long long)(now / HV_MSEC(1)),
				   job->name);

	/* The timer is already disarmed, so a periodic job re-arms itself.
	 * Counting from its expiry, not from `now`, keeps the period from
	 * drifting when the callback runs late. */
	if (job->period)
		hv_timerq_arm(&d->q, t, t->expires + job->period);
	if (job->cancels && hv_timerq_cancel(&d->q, &job->cancels->timer))
		printf("             (%s cancelled %s)\n", job->name,
		       job->cancels->name);
}

/*
 * What the run below must print.  At 500 and 1000 ms two timers are due at
 * once: they fire in the order they were armed, and "sample" re-armed
 * itself (at 250 and 750 ms) before "heartbeat" did (at 400 and 900 ms).
 */
static const char expected[] = "100 heartbeat\n"
			       "200 heartbeat\n"
			       "250 sample\n"
			       "300 heartbeat\n"
			       "350 boot-done\n"
			       "400 heartbeat\n"
			       "500 sample\n"
			       "500 heartbeat\n"
			       "600 heartbeat\n"
			       "700 heartbeat\n"
			       "750 sample\n"
			       "800 heartbeat\n"
			       "900 heartbeat\n"
			       "1000 sample\n"
			       "1000 heartbeat\n";

int main(void)
{
	struct demo d = {0};
	struct job heartbeat = {.name = "heartbeat", .period = HV_MSEC(100)};
	struct job sample = {.name = "sample", .period = HV_MSEC(250)};
	struct job boot = {.name = "boot-done"};
	/* A timeout that never fires: "sample" cancels it first, as a
	 * reply that arrives in time cancels its timeout. */
	struct job timeout = {.name = "timeout"};
	const hv_time_t end = HV_MSEC(1000);
	hv_time_t now;

	sample.cancels = &timeout;
	hv_timerq_init(&d.q);
	hv_timer_init(&heartbeat.timer, job_fire, &d);
	hv_timer_init(&sample.timer, job_fire, &d);
	hv_timer_init(&boot.timer, job_fire, &d);
	hv_timer_init(&timeout.timer, job_fire, &d);

	/* Expiries are absolute times in ns on the caller's clock. */
	hv_timerq_arm(&d.q, &heartbeat.timer, HV_MSEC(100));
	hv_timerq_arm(&d.q, &sample.timer, HV_MSEC(250));
	hv_timerq_arm(&d.q, &boot.timer, HV_MSEC(350));
	hv_timerq_arm(&d.q, &timeout.timer, HV_MSEC(600));

	printf("timerq_demo: simulated clock, 0 to %lld ms\n",
	       (long long)(end / HV_MSEC(1)));
	/* A tickless loop: sleep exactly until the next deadline. */
	while ((now = hv_timerq_next_deadline(&d.q)) <= end)
		hv_timerq_run(&d.q, now);

	if (strcmp(d.log, expected) != 0) {
		fprintf(stderr, "wrong order; fired:\n%s\nexpected:\n%s", d.log,
			expected);
		return 1;
	}
	return 0;
}
