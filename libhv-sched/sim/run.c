/*
 * The event loop: pCPUs decide, run and get kicked; units run bursts,
 * block and wake.  Every event is an hv_timer in one timer queue, so
 * events fire in time order, and in arming order at equal times.
 */
#include <stdlib.h>

#include "sim_internal.h"

static struct sim_unit *unit_of(struct hv_sim *sim, int i)
{
	return i >= 0 ? sim->units[i] : NULL;
}

/* Charge the running unit for the time since the last accounting. */
static void progress(struct sim_cpu *c)
{
	struct hv_sim *sim = c->sim;
	struct sim_unit *u = unit_of(sim, c->cur);
	hv_time_t dt = sim->now - c->since;

	c->since = sim->now;
	if (!u || dt <= 0)
		return;
	c->busy += dt;
	u->cpu_time += dt;
	if (hv_sched_cpumask_test(&u->su.soft, c->id))
		u->soft_time += dt;
	if (u->remaining != HV_TIME_NEVER)
		u->remaining -= dt;
}

static void record_latency(struct sim_unit *u, hv_time_t lat)
{
	if (u->nr_lat == u->lat_cap) {
		size_t cap = u->lat_cap ? 2 * u->lat_cap : 64;
		hv_time_t *p = realloc(u->lat, cap * sizeof(*p));

		if (!p)
			return; /* the sample is lost, the run goes on */
		u->lat = p;
		u->lat_cap = cap;
	}
	u->lat[u->nr_lat++] = lat;
}

static void check(struct sim_cpu *c, struct sim_unit *u,
		  struct hv_sched_decision *d)
{
	struct hv_sim *sim = c->sim;

	if (u && !hv_sched_cpumask_test(&u->su.hard, c->id))
		sim->st.hard_violations++;
	if (u && u->cpu != SIM_NO_CPU && u->cpu != (int)c->id)
		sim->st.double_runs++;
	if ((u && u->asleep) || d->until <= sim->now)
		sim->st.bad_decisions++;
	if (d->until <= sim->now)
		d->until = sim->now + HV_USEC(1);
}

static void switch_to(struct sim_cpu *c, struct sim_unit *u)
{
	struct hv_sim *sim = c->sim;
	int next = u ? u->index : SIM_NO_CPU;

	if (next == c->cur)
		return;
	sim->st.context_switches++;
	if (c->cur != SIM_NO_CPU) {
		struct sim_unit *prev = sim->units[c->cur];

		prev->cpu = SIM_NO_CPU;
		sim_hv_trace(sim, c->id, HV_TRACE_VCPU_STOP, prev,
			     prev->asleep ? SIM_STATE_BLOCKED
					  : SIM_STATE_RUNNABLE);
	}
	c->cur = next;
	sim_hv_trace(sim, c->id, u ? HV_TRACE_VCPU_RUN : HV_TRACE_PCPU_IDLE, u,
		     0);
	if (!u)
		return;
	u->cpu = (int)c->id;
	if (u->last_cpu != SIM_NO_CPU && u->last_cpu != (int)c->id) {
		u->migrations++;
		sim->st.migrations++;
	}
	u->last_cpu = (int)c->id;
	hv_sched_cpumask_set(&u->ran_on, c->id);
	if (u->waiting) {
		u->waiting = false;
		record_latency(u, sim->now - u->wake_time);
	}
}

/* The running unit used up its burst or job: it blocks. */
static void finish_burst(struct sim_cpu *c, struct sim_unit *u)
{
	struct hv_sim *sim = c->sim;

	if (hv_sched_block(&u->su, sim->now))
		sim->st.bad_decisions++;
	u->asleep = true;
	sim_hv_trace(sim, c->id, HV_TRACE_VCPU_STATE, u, SIM_STATE_BLOCKED);
	u->remaining = 0;
	if (u->w.kind == HV_SIM_IO_BOUND)
		hv_timerq_arm(&sim->q, &u->wake_timer,
			      sim->now + sim_draw(&u->rng, &u->w.sleep));
}

static void reschedule(struct sim_cpu *c)
{
	struct hv_sim *sim = c->sim;
	struct hv_sched_decision d;
	struct sim_unit *u;

	hv_timerq_cancel(&sim->q, &c->sched_timer);
	hv_timerq_cancel(&sim->q, &c->kick_timer);
	hv_timerq_cancel(&sim->q, &c->done_timer);
	if (c->instant != sim->now) {
		c->instant = sim->now;
		c->at_instant = 0;
	}
	c->at_instant++;
	progress(c);
	u = unit_of(sim, c->cur);
	/* A burst that ends now ends before the decision, whichever of the
	 * two events fired first. */
	if (u && u->remaining != HV_TIME_NEVER && u->remaining <= 0 &&
	    !u->asleep)
		finish_burst(c, u);
	hv_sched_do_schedule(&sim->sched, c->id, sim->now, &d);
	sim->st.decisions++;
	u = d.unit ? hv_container_of(d.unit, struct sim_unit, su) : NULL;
	check(c, u, &d);
	switch_to(c, u);
	if (d.until != HV_TIME_NEVER)
		hv_timerq_arm(&sim->q, &c->sched_timer, d.until);
	if (u && u->remaining != HV_TIME_NEVER)
		hv_timerq_arm(&sim->q, &c->done_timer,
			      sim->now + (u->remaining > 0 ? u->remaining : 0));
	if (sim->trace)
		sim->trace(sim->trace_opaque, c->id, sim->now, c->cur, d.until);
}

void sim_kick(void *opaque, unsigned int cpu)
{
	struct hv_sim *sim = opaque;
	struct sim_cpu *c = &sim->cpus[cpu];

	sim->st.kicks++;
	if (c->instant == sim->now &&
	    c->at_instant >= SIM_MAX_DECISIONS_PER_INSTANT) {
		sim->st.bad_decisions++;
		return;
	}
	if (!hv_timer_is_armed(&c->kick_timer) ||
	    c->kick_timer.expires > sim->now)
		hv_timerq_arm(&sim->q, &c->kick_timer, sim->now);
}

static void on_decide(struct hv_timer *t, hv_time_t now, void *data)
{
	(void)t;
	(void)now;
	reschedule(data);
}

static void wake(struct sim_unit *u, hv_time_t now, hv_time_t work)
{
	u->remaining = work;
	u->asleep = false;
	u->waiting = true;
	u->wake_time = now;
	u->wakeups++;
	/* Recorded where the wake is handled: the unit's last pCPU. */
	sim_hv_trace(u->sim, u->last_cpu >= 0 ? (unsigned int)u->last_cpu : 0,
		     HV_TRACE_VCPU_STATE, u, SIM_STATE_RUNNABLE);
	hv_sched_wake(&u->su, now);
}

/*
 * A periodic job is released.  A job with work left is a miss and is
 * replaced; one whose work ran out at this very instant is not.
 */
static void release(struct sim_unit *u, hv_time_t now)
{
	struct hv_sim *sim = u->sim;
	struct sim_cpu *c = u->cpu != SIM_NO_CPU ? &sim->cpus[u->cpu] : NULL;

	u->jobs++;
	hv_timerq_arm(&sim->q, &u->wake_timer, now + u->w.period);
	if (u->asleep) {
		wake(u, now, u->w.work);
		return;
	}
	if (c)
		progress(c);
	if (u->remaining > 0) {
		u->misses++;
		sim->st.misses++;
	}
	u->remaining = u->w.work;
	if (c)
		hv_timerq_arm(&sim->q, &c->done_timer, now + u->remaining);
}

static void on_wake(struct hv_timer *t, hv_time_t now, void *data)
{
	struct sim_unit *u = data;

	(void)t;
	switch (u->w.kind) {
	case HV_SIM_CPU_BOUND:
		wake(u, now, HV_TIME_NEVER);
		break;
	case HV_SIM_IO_BOUND:
		wake(u, now, sim_draw(&u->rng, &u->w.burst));
		break;
	case HV_SIM_PERIODIC:
		release(u, now);
		break;
	}
}

void sim_cpu_timers_init(struct sim_cpu *c)
{
	hv_timer_init(&c->sched_timer, on_decide, c);
	hv_timer_init(&c->kick_timer, on_decide, c);
	/* The end of a burst is handled by the decision it triggers. */
	hv_timer_init(&c->done_timer, on_decide, c);
}

void sim_unit_timer_init(struct sim_unit *u)
{
	hv_timer_init(&u->wake_timer, on_wake, u);
}

void sim_unit_start(struct sim_unit *u)
{
	hv_time_t at = u->w.start > u->sim->now ? u->w.start : u->sim->now;

	u->asleep = true;
	hv_timerq_arm(&u->sim->q, &u->wake_timer, at);
}

int hv_sim_run(struct hv_sim *sim, hv_time_t duration)
{
	hv_time_t end;

	if (!sim || duration < 0)
		return -HV_EINVAL;
	end = sim->now + duration;
	for (;;) {
		hv_time_t t = hv_timerq_next_deadline(&sim->q);

		if (t >= end)
			break;
		sim->now = t;
		hv_timerq_run(&sim->q, t);
	}
	sim->now = end;
	for (unsigned int i = 0; i < sim->nr_cpus; i++)
		progress(&sim->cpus[i]);
	sim->st.elapsed += duration;
	return 0;
}
