/*
 * The freestanding side of an installed hvkit: code for an image of your
 * own, built with the flags of lib/hvkit/ARCH/pkgconfig/hv-sched.pc and
 * linked (ld.lld, no libc) against lib/hvkit/ARCH/libhv-*.a.  The link
 * is the test: every symbol it reaches must come from the archives that
 * pkg-config --libs names.  It is not run (it would need a machine).
 */
#include <hv/core.h>
#include <hv/sched.h>

void consumer_entry(void);

static struct hv_timerq queue;
static struct hv_timer tick;
static char line[64];

static void ticked(struct hv_timer *t, hv_time_t now, void *data)
{
	(void)t;
	(void)data;
	hv_snprintf(line, sizeof(line), "tick at %lld ns", (long long)now);
}

/* What an image's entry might do with libhv-core and libhv-sched. */
void consumer_entry(void)
{
	struct hv_sched_params p;

	hv_sched_params_default(&p);
	hv_timerq_init(&queue);
	hv_timer_init(&tick, ticked, NULL);
	hv_timerq_arm(&queue, &tick, HV_MSEC(p.weight));
	hv_timerq_run(&queue, HV_SEC(1));
	for (;;)
		;
}
