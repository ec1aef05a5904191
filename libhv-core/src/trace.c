/*
 * Trace rings (hv/trace.h).  head and tail only grow (modulo 2^32); the
 * ring holds head - tail records.  The producer publishes a record by
 * storing head with release order after writing it; the consumer frees
 * slots by storing tail with release order after reading them.  Each
 * side reads the other's index with acquire order, so it sees the
 * record (or the free slot) the index covers.
 */
#include <hv/atomic.h>
#include <hv/error.h>
#include <hv/string.h>
#include <hv/trace.h>

int hv_trace_ring_init(struct hv_trace_ring *r, struct hv_trace_record *records,
		       uint32_t size, uint16_t cpu)
{
	if (!records || size < 2 || (size & (size - 1)) != 0)
		return -HV_EINVAL;
	memset(r, 0, sizeof(*r));
	r->records = records;
	r->size = size;
	r->cpu = cpu;
	return 0;
}

uint32_t hv_trace_ring_used(const struct hv_trace_ring *r)
{
	return hv_atomic_load_u32((uint32_t *)&r->head) -
	       hv_atomic_load_u32((uint32_t *)&r->tail);
}

bool hv_trace_ring_write(struct hv_trace_ring *r, uint64_t time, uint16_t event,
			 const uint32_t arg[HV_TRACE_ARGS])
{
	uint32_t head = r->head; /* only this side writes it */
	struct hv_trace_record *rec;

	if (head - hv_atomic_load_u32(&r->tail) == r->size) {
		r->seq++;
		r->lost++;
		return false;
	}
	rec = &r->records[head & (r->size - 1)];
	rec->time = time;
	rec->seq = r->seq++;
	rec->event = event;
	rec->cpu = r->cpu;
	memcpy(rec->arg, arg, sizeof(rec->arg));
	hv_atomic_store_u32(&r->head, head + 1);
	return true;
}

size_t hv_trace_ring_read(struct hv_trace_ring *r, struct hv_trace_record *out,
			  size_t max)
{
	uint32_t tail = r->tail; /* only this side writes it */
	uint32_t avail = hv_atomic_load_u32(&r->head) - tail;
	size_t n = avail < max ? avail : max;

	for (size_t i = 0; i < n; i++)
		out[i] = r->records[(tail + i) & (r->size - 1)];
	hv_atomic_store_u32(&r->tail, tail + (uint32_t)n);
	return n;
}

void hv_trace_emit(struct hv_trace *t, unsigned int cpu, uint16_t event,
		   uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
	const uint32_t arg[HV_TRACE_ARGS] = {a0, a1, a2, a3};
	struct hv_trace_ring *r;

	if (cpu >= t->nr_rings)
		return;
	r = &t->rings[cpu];
	hv_trace_ring_write(r, t->now(t), event, arg);
	if (t->drain && hv_trace_ring_used(r) >= r->size / 2)
		t->drain(t, r);
}

void hv_trace_flush(struct hv_trace *t, unsigned int cpu)
{
	if (t && t->drain && cpu < t->nr_rings &&
	    hv_trace_ring_used(&t->rings[cpu]))
		t->drain(t, &t->rings[cpu]);
}

struct event_desc {
	uint32_t id;
	const char *name;
	const char *args[HV_TRACE_ARGS];
};

static const struct event_desc events[] = {
#define HV_TRACE_DESC(name, id, a0, a1, a2, a3) {id, #name, {a0, a1, a2, a3}},
    HV_TRACE_EVENTS(HV_TRACE_DESC)
#undef HV_TRACE_DESC
};

size_t hv_trace_file_start_size(void)
{
	return sizeof(struct hv_trace_file_header) +
	       HV_ARRAY_SIZE(events) * sizeof(struct hv_trace_file_event);
}

size_t hv_trace_file_start(void *buf, size_t size, const char *arch,
			   unsigned int nr_cpus)
{
	struct hv_trace_file_header *h = buf;
	struct hv_trace_file_event *e = (struct hv_trace_file_event *)(h + 1);

	if (size < hv_trace_file_start_size())
		return 0;
	memset(buf, 0, hv_trace_file_start_size());
	memcpy(h->magic, HV_TRACE_FILE_MAGIC, sizeof(h->magic));
	h->version = HV_TRACE_FILE_VERSION;
	h->header_size = sizeof(*h);
	h->record_size = sizeof(struct hv_trace_record);
	h->nr_events = HV_ARRAY_SIZE(events);
	h->nr_cpus = nr_cpus;
	hv_strlcpy(h->arch, arch, sizeof(h->arch));
	for (size_t i = 0; i < HV_ARRAY_SIZE(events); i++) {
		e[i].id = events[i].id;
		hv_strlcpy(e[i].name, events[i].name, sizeof(e[i].name));
		for (unsigned int a = 0; a < HV_TRACE_ARGS; a++)
			hv_strlcpy(e[i].args[a], events[i].args[a],
				   sizeof(e[i].args[a]));
	}
	return hv_trace_file_start_size();
}
