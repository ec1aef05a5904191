/* hv/trace.h: the rings, the emit path and the trace file's start. */
#include <hv/error.h>
#include <hv/trace.h>

#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static const uint32_t no_args[HV_TRACE_ARGS];

static void init_refuses_bad_sizes(void **state)
{
	struct hv_trace_record recs[8];
	struct hv_trace_ring r;

	(void)state;
	assert_int_equal(hv_trace_ring_init(&r, recs, 0, 0), -HV_EINVAL);
	assert_int_equal(hv_trace_ring_init(&r, recs, 1, 0), -HV_EINVAL);
	assert_int_equal(hv_trace_ring_init(&r, recs, 6, 0), -HV_EINVAL);
	assert_int_equal(hv_trace_ring_init(&r, NULL, 8, 0), -HV_EINVAL);
	assert_int_equal(hv_trace_ring_init(&r, recs, 8, 3), 0);
	assert_int_equal(hv_trace_ring_used(&r), 0);
}

/* Records come out in order with everything the producer put in; a full
 * ring drops the new record, counts it and skips its sequence number. */
static void full_ring_drops_and_counts(void **state)
{
	struct hv_trace_record recs[4], out[8];
	struct hv_trace_ring r;
	const uint32_t args[HV_TRACE_ARGS] = {1, 2, 3, 4};

	(void)state;
	assert_int_equal(hv_trace_ring_init(&r, recs, 4, 7), 0);
	for (unsigned int i = 0; i < 4; i++)
		assert_true(
		    hv_trace_ring_write(&r, 100 + i, HV_TRACE_VCPU_RUN, args));
	assert_false(hv_trace_ring_write(&r, 104, HV_TRACE_VCPU_RUN, args));
	assert_int_equal(r.lost, 1);
	assert_int_equal(hv_trace_ring_used(&r), 4);
	assert_int_equal(hv_trace_ring_read(&r, out, 2), 2);
	assert_true(hv_trace_ring_write(&r, 105, HV_TRACE_VCPU_STOP, no_args));
	assert_int_equal(hv_trace_ring_read(&r, out + 2, 8), 3);
	for (unsigned int i = 0; i < 4; i++) {
		assert_int_equal(out[i].time, 100 + i);
		assert_int_equal(out[i].seq, i);
		assert_int_equal(out[i].cpu, 7);
		assert_int_equal(out[i].event, HV_TRACE_VCPU_RUN);
		assert_memory_equal(out[i].arg, args, sizeof(args));
	}
	assert_int_equal(out[4].seq, 5); /* 4 was lost */
	assert_int_equal(out[4].event, HV_TRACE_VCPU_STOP);
	assert_int_equal(hv_trace_ring_used(&r), 0);
}

/* Indexes wrap at 2^32 without losing count. */
static void indexes_wrap(void **state)
{
	struct hv_trace_record recs[4], out[4];
	struct hv_trace_ring r;

	(void)state;
	assert_int_equal(hv_trace_ring_init(&r, recs, 4, 0), 0);
	r.head = r.tail = UINT32_MAX - 1;
	for (unsigned int i = 0; i < 4; i++)
		assert_true(
		    hv_trace_ring_write(&r, i, HV_TRACE_PCPU_IDLE, no_args));
	assert_int_equal(hv_trace_ring_used(&r), 4);
	assert_int_equal(hv_trace_ring_read(&r, out, 4), 4);
	for (unsigned int i = 0; i < 4; i++)
		assert_int_equal(out[i].time, i);
}

struct fake_trace {
	struct hv_trace t;
	struct hv_trace_ring ring;
	struct hv_trace_record recs[8];
	struct hv_trace_record drained[64];
	size_t nr_drained;
	unsigned int drains;
	uint64_t clock;
};

static uint64_t fake_now(struct hv_trace *t)
{
	return ((struct fake_trace *)t->ctx)->clock++;
}

static void fake_drain(struct hv_trace *t, struct hv_trace_ring *r)
{
	struct fake_trace *f = t->ctx;

	f->drains++;
	f->nr_drained += hv_trace_ring_read(r, f->drained + f->nr_drained,
					    64 - f->nr_drained);
}

/* One 8-record ring, drained into f, on fake_now's clock. */
static void fake_trace_init(struct fake_trace *f)
{
	f->t = (struct hv_trace){.rings = &f->ring,
				 .nr_rings = 1,
				 .now = fake_now,
				 .drain = fake_drain,
				 .ctx = f};
	assert_int_equal(hv_trace_ring_init(&f->ring, f->recs, 8, 0), 0);
}

/* hv_trace_emit stamps the time and drains at half full, so a producer
 * that drains itself loses nothing; NULL traces nothing. */
static void emit_drains_at_half(void **state)
{
	struct fake_trace f = {0};

	(void)state;
	fake_trace_init(&f);
	for (uint32_t i = 0; i < 40; i++)
		hv_trace(&f.t, 0, HV_TRACE_HYPERCALL, 1, 0, i, 0);
	hv_trace(&f.t, 1, HV_TRACE_HYPERCALL, 1, 0, 99, 0); /* no ring 1 */
	hv_trace(NULL, 0, HV_TRACE_HYPERCALL, 1, 0, 99, 0);
	assert_int_equal(f.drains, 10);
	assert_int_equal(f.nr_drained, 40);
	assert_int_equal(f.ring.lost, 0);
	for (uint32_t i = 0; i < 40; i++) {
		assert_int_equal(f.drained[i].seq, i);
		assert_int_equal(f.drained[i].time, i);
		assert_int_equal(f.drained[i].arg[2], i);
	}
}

/* hv_trace_flush drains a ring that holds records, and does nothing
 * for an empty ring, a ring that is not there, or a NULL trace. */
static void flush_drains_what_is_there(void **state)
{
	struct fake_trace f = {0};

	(void)state;
	fake_trace_init(&f);
	hv_trace_flush(&f.t, 0);
	assert_int_equal(f.drains, 0);
	hv_trace(&f.t, 0, HV_TRACE_PCPU_IDLE, 0, 0, 0, 0);
	hv_trace_flush(&f.t, 1);
	hv_trace_flush(NULL, 0);
	assert_int_equal(f.drains, 0);
	hv_trace_flush(&f.t, 0);
	assert_int_equal(f.drains, 1);
	assert_int_equal(f.nr_drained, 1);
	assert_int_equal(f.drained[0].event, HV_TRACE_PCPU_IDLE);
	assert_int_equal(hv_trace_ring_used(&f.ring), 0);
}

#define THREAD_RECORDS 20000u

static void *producer(void *arg)
{
	struct hv_trace_ring *r = arg;

	for (uint32_t i = 0; i < THREAD_RECORDS; i++) {
		const uint32_t a[HV_TRACE_ARGS] = {i, ~i, i * 3, 7};

		while (!hv_trace_ring_write(r, i, HV_TRACE_VM_EXIT, a))
			sched_yield(); /* full: let the consumer run */
	}
	return NULL;
}

/* One producer and one consumer on two threads: every record arrives
 * whole and in order (the sequence numbers skip where the producer
 * retried a full ring). */
static void threads_lose_nothing(void **state)
{
	static struct hv_trace_record recs[64], out[16];
	struct hv_trace_ring r;
	pthread_t t;
	uint32_t next = 0, last_seq = 0;

	(void)state;
	assert_int_equal(hv_trace_ring_init(&r, recs, 64, 1), 0);
	assert_int_equal(pthread_create(&t, NULL, producer, &r), 0);
	while (next < THREAD_RECORDS) {
		size_t n = hv_trace_ring_read(&r, out, 16);

		if (!n)
			sched_yield(); /* empty: let the producer run */
		for (size_t i = 0; i < n; i++, next++) {
			assert_int_equal(out[i].time, next);
			assert_int_equal(out[i].arg[0], next);
			assert_int_equal(out[i].arg[1], ~next);
			assert_int_equal(out[i].arg[2], next * 3);
			assert_true(next == 0 || out[i].seq > last_seq);
			last_seq = out[i].seq;
		}
	}
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(hv_trace_ring_used(&r), 0);
}

/* The file's start describes every event of the table, by id. */
static void file_start_names_every_event(void **state)
{
	static unsigned char buf[8192];
	const struct hv_trace_file_header *h = (const void *)buf;
	const struct hv_trace_file_event *e = (const void *)(h + 1);
	size_t n = hv_trace_file_start_size();

	(void)state;
	assert_true(n <= sizeof(buf));
	assert_int_equal(hv_trace_file_start(buf, n - 1, "x86_64", 2), 0);
	assert_int_equal(hv_trace_file_start(buf, sizeof(buf), "x86_64", 2), n);
	assert_memory_equal(h->magic, HV_TRACE_FILE_MAGIC, 8);
	assert_int_equal(h->version, HV_TRACE_FILE_VERSION);
	assert_int_equal(h->header_size, sizeof(*h));
	assert_int_equal(h->record_size, 32);
	assert_int_equal(h->nr_cpus, 2);
	assert_string_equal(h->arch, "x86_64");
	assert_int_equal(n, sizeof(*h) + h->nr_events * sizeof(*e));
	assert_int_equal(e[0].id, HV_TRACE_DOMAIN_CREATE);
	assert_string_equal(e[0].name, "DOMAIN_CREATE");
	assert_string_equal(e[0].args[2], "weight");
	assert_int_equal(e[h->nr_events - 1].id, HV_TRACE_GNTTAB_OP);
	assert_string_equal(e[h->nr_events - 1].args[1], "cmd");
	for (uint32_t i = 1; i < h->nr_events; i++)
		assert_true(e[i].id > e[i - 1].id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(init_refuses_bad_sizes),
	    cmocka_unit_test(full_ring_drops_and_counts),
	    cmocka_unit_test(indexes_wrap),
	    cmocka_unit_test(emit_drains_at_half),
	    cmocka_unit_test(flush_drains_what_is_there),
	    cmocka_unit_test(threads_lose_nothing),
	    cmocka_unit_test(file_start_names_every_event),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
