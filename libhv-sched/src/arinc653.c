/*
 * The ARINC653 policy, after Xen's sched_arinc653: static time
 * partitioning.  A major frame is cut into minor frames, each owned by one
 * domain, run back to back from the major frame's start; the rest of the
 * major frame is idle.  The schedule repeats exactly: frame boundaries are
 * computed from absolute time (start + k * major_frame + offset), so they
 * never drift, whatever happens to the units.
 *
 * During a frame, each pCPU of the pool runs the first runnable unit of
 * the owner that is placed on it (units are placed round robin when they
 * are created), or idles: time given to a partition is never given to
 * another.  Xen names a vCPU per frame; here a frame names a domain, and
 * a domain with one unit per pCPU runs on all of them at once.
 *
 * One runqueue lock serves the pool.  The schedule lives in the pool's
 * private area and changes with every runqueue lock held.
 */
#include <hv/error.h>
#include <hv/sched_impl.h>
#include <hv/string.h>

struct a653_slot {
	hv_domid_t domid;
	hv_time_t runtime;
	struct hv_sched_dom *owner; /* NULL while domid is not in the pool */
};

struct a653_pool {
	struct a653_slot frames[HV_SCHED_A653_MAX_FRAMES];
	unsigned int nr;
	hv_time_t major, start;
};

HV_STATIC_ASSERT(sizeof(struct a653_pool) <=
		     sizeof(((struct hv_sched_pool *)0)->priv),
		 "arinc653 pool data");

static struct a653_pool *ap(struct hv_sched_pool *pool)
{
	return hv_sched_pool_priv(pool);
}

/* The pool's one runqueue, or NULL while it has no pCPUs. */
static struct hv_sched_runq *pool_rq(struct hv_sched_pool *pool)
{
	unsigned int first = hv_sched_pool_first_cpu(pool);

	return first < HV_SCHED_MAX_CPUS ? hv_sched_pcpu_of(pool, first)->rq
					 : NULL;
}

/*
 * The frame in force at `now`: its owner (NULL: idle) and when it ends.
 * Before the first major frame, or without a schedule, the pCPU idles
 * until the first major frame (or for ever).
 */
static struct hv_sched_dom *frame_at(struct a653_pool *a, hv_time_t now,
				     hv_time_t *end)
{
	hv_time_t base, off, acc = 0;

	if (a->nr == 0) {
		*end = HV_TIME_NEVER;
		return NULL;
	}
	if (now < a->start) {
		*end = a->start;
		return NULL;
	}
	base = a->start + (now - a->start) / a->major * a->major;
	off = now - base;
	for (unsigned int i = 0; i < a->nr; i++) {
		acc += a->frames[i].runtime;
		if (off < acc) {
			*end = base + acc;
			return a->frames[i].owner;
		}
	}
	*end = base + a->major;
	return NULL;
}

/* The first runnable unit of d placed on cpu. */
static struct hv_sched_unit *unit_on(struct hv_sched_dom *d, unsigned int cpu)
{
	struct hv_list *pos;

	hv_list_for_each (pos, &d->units) {
		struct hv_sched_unit *u =
		    hv_list_entry(pos, struct hv_sched_unit, dom_node);

		if (u->cpu == cpu && u->runnable)
			return u;
	}
	return NULL;
}

static void a653_do_schedule(struct hv_sched_pool *pool,
			     struct hv_sched_pcpu *pc, hv_time_t now,
			     struct hv_sched_decision *d)
{
	struct hv_sched_dom *owner = frame_at(ap(pool), now, &d->until);

	d->unit = owner ? unit_on(owner, pc->id) : NULL;
}

static void a653_wake(struct hv_sched_pool *pool, struct hv_sched_unit *u,
		      hv_time_t now, unsigned int flags)
{
	hv_time_t end;

	(void)flags;
	if (!u->running && frame_at(ap(pool), now, &end) == u->dom)
		hv_sched_kick(pool, u->cpu);
}

/* Bind (or unbind) the frames naming d's domid to d. */
static void bind_frames(struct hv_sched_pool *pool, struct hv_sched_dom *d,
			struct hv_sched_dom *owner)
{
	struct hv_sched_runq *rq = pool_rq(pool);
	struct a653_pool *a = ap(pool);

	if (rq)
		hv_spin_lock(&rq->lock);
	for (unsigned int i = 0; i < a->nr; i++)
		if (a->frames[i].domid == d->domid)
			a->frames[i].owner = owner;
	if (rq)
		hv_spin_unlock(&rq->lock);
}

static void a653_dom_init(struct hv_sched_pool *pool, struct hv_sched_dom *d)
{
	bind_frames(pool, d, d);
}

static void a653_dom_destroy(struct hv_sched_pool *pool, struct hv_sched_dom *d)
{
	bind_frames(pool, d, NULL);
}

static void a653_pool_setup(struct hv_sched_pool *pool)
{
	unsigned int first = hv_sched_pool_first_cpu(pool);
	struct hv_sched_runq *rq;

	if (first >= HV_SCHED_MAX_CPUS)
		return;
	rq = &hv_sched_pcpu_of(pool, first)->own_rq;
	for (unsigned int c = first; c < HV_SCHED_MAX_CPUS;
	     c = hv_sched_pool_next_cpu(pool, c))
		hv_sched_pcpu_set_rq(hv_sched_pcpu_of(pool, c), rq);
}

const struct hv_sched_policy hv_sched_arinc653 = {
    .name = "arinc653",
    .pool_priv_size = sizeof(struct a653_pool),
    .pool_setup = a653_pool_setup,
    .dom_init = a653_dom_init,
    .dom_destroy = a653_dom_destroy,
    .wake = a653_wake,
    .do_schedule = a653_do_schedule,
};

/* ---- the schedule ---- */

static int check_schedule(struct hv_sched_pool *pool,
			  const struct hv_sched_a653_frame *frames,
			  unsigned int nr, hv_time_t major, hv_time_t start)
{
	hv_time_t total = 0;

	if (nr == 0 || nr > HV_SCHED_A653_MAX_FRAMES || major <= 0 ||
	    start < 0) {
		hv_log_warn(hv_sched_log(pool),
			    "sched arinc653: need 1..%u frames, a positive "
			    "major frame and start >= 0",
			    HV_SCHED_A653_MAX_FRAMES);
		return -HV_EINVAL;
	}
	for (unsigned int i = 0; i < nr; i++) {
		if (frames[i].runtime <= 0 ||
		    frames[i].runtime > major - total) {
			hv_log_warn(hv_sched_log(pool),
				    "sched arinc653: frame %u (%lld ns) does "
				    "not fit the %lld ns major frame",
				    i, (long long)frames[i].runtime,
				    (long long)major);
			return -HV_EINVAL;
		}
		total += frames[i].runtime;
	}
	return 0;
}

static struct hv_sched_dom *find_dom(struct hv_sched_pool *pool,
				     hv_domid_t domid)
{
	struct hv_list *pos;

	hv_list_for_each (pos, &pool->doms) {
		struct hv_sched_dom *d =
		    hv_list_entry(pos, struct hv_sched_dom, pool_node);

		if (d->domid == domid)
			return d;
	}
	return NULL;
}

static void install(struct hv_sched_pool *pool,
		    const struct hv_sched_a653_frame *frames, unsigned int nr,
		    hv_time_t major, hv_time_t start)
{
	struct a653_pool *a = ap(pool);

	for (unsigned int i = 0; i < nr; i++) {
		a->frames[i].domid = frames[i].domid;
		a->frames[i].runtime = frames[i].runtime;
		a->frames[i].owner = find_dom(pool, frames[i].domid);
	}
	a->nr = nr;
	a->major = major;
	a->start = start;
}

int hv_sched_arinc653_set_schedule(struct hv_sched_pool *pool,
				   const struct hv_sched_a653_frame *frames,
				   unsigned int nr, hv_time_t major_frame,
				   hv_time_t start)
{
	struct hv_sched_runq *rq;
	int rc;

	if (!pool || pool->policy != &hv_sched_arinc653 || !frames)
		return -HV_EINVAL;
	rc = check_schedule(pool, frames, nr, major_frame, start);
	if (rc)
		return rc;
	hv_spin_lock(&pool->lock);
	rq = pool_rq(pool);
	if (rq)
		hv_spin_lock(&rq->lock);
	install(pool, frames, nr, major_frame, start);
	/* Every pCPU re-decides under the new schedule. */
	for (unsigned int c = hv_sched_pool_first_cpu(pool);
	     c < HV_SCHED_MAX_CPUS; c = hv_sched_pool_next_cpu(pool, c))
		hv_sched_kick(pool, c);
	if (rq)
		hv_spin_unlock(&rq->lock);
	hv_spin_unlock(&pool->lock);
	return 0;
}

int hv_sched_arinc653_get_schedule(struct hv_sched_pool *pool,
				   struct hv_sched_a653_frame *frames,
				   unsigned int max, unsigned int *nr,
				   hv_time_t *major_frame, hv_time_t *start)
{
	struct a653_pool *a;
	struct hv_sched_runq *rq;

	if (!pool || pool->policy != &hv_sched_arinc653 || !nr ||
	    (max && !frames))
		return -HV_EINVAL;
	a = ap(pool);
	hv_spin_lock(&pool->lock);
	rq = pool_rq(pool);
	if (rq)
		hv_spin_lock(&rq->lock);
	for (unsigned int i = 0; i < a->nr && i < max; i++) {
		frames[i].domid = a->frames[i].domid;
		frames[i].runtime = a->frames[i].runtime;
	}
	*nr = a->nr;
	if (major_frame)
		*major_frame = a->major;
	if (start)
		*start = a->start;
	if (rq)
		hv_spin_unlock(&rq->lock);
	hv_spin_unlock(&pool->lock);
	return 0;
}
