/*
 * The image's trace (option "trace"): a ring per pCPU for the core's
 * events (hv/trace.h), each drained by its own pCPU once half full, and
 * the rest at the end; the output is a trace file: its start (header and
 * event table), then records as they are drained.
 */
#include "hyp_common.h"

#include <hv/string.h>

/* 32 KiB of records per pCPU: a drain every 512 events. */
#define RING_RECORDS 1024

const char *hyp_option(const struct hyp *h, const char *name, size_t *len)
{
	size_t n = strlen(name);

	for (const char *s = h->plat.cmdline; *s;) {
		const char *word = s;

		while (*s && *s != ' ')
			s++;
		if (!strncmp(word, name, n) &&
		    (word + n == s || word[n] == '=')) {
			word += word + n == s ? n : n + 1;
			*len = (size_t)(s - word);
			return word;
		}
		while (*s == ' ')
			s++;
	}
	return NULL;
}

static uint64_t trace_now(struct hv_trace *t)
{
	const struct hyp_trace *ht = t->ctx;

	return (uint64_t)ht->h->arch_ops->now(&ht->h->core);
}

/* Out through the arch, a batch at a time, one pCPU at a time. */
static void trace_drain(struct hv_trace *t, struct hv_trace_ring *r)
{
	struct hyp_trace *ht = t->ctx;
	struct hv_trace_record batch[64];
	size_t n;

	hv_spin_lock(&ht->lock);
	while ((n = hv_trace_ring_read(r, batch, HV_ARRAY_SIZE(batch))))
		hyp_arch_trace_write(ht->h, batch, n * sizeof(batch[0]));
	hv_spin_unlock(&ht->lock);
}

void hyp_trace_init(struct hyp *h)
{
	size_t ring_bytes = RING_RECORDS * sizeof(struct hv_trace_record);
	struct hyp_trace *ht;
	char start[2048], where[sizeof(h->plat.cmdline)];
	const char *opt;
	size_t n;

	opt = hyp_option(h, "trace", &n);
	if (!opt)
		return;
	hv_strlcpy(where, opt, n + 1 < sizeof(where) ? n + 1 : sizeof(where));
	if (!hyp_arch_trace_open(h, where))
		hyp_panic(h, "trace: cannot write to \"%s\"", where);
	ht = hv_hyp_alloc(&h->core, sizeof(*ht));
	for (unsigned int i = 0; ht && i < h->nr_pcpus; i++) {
		void *records = hv_hyp_alloc(&h->core, ring_bytes);

		if (!records || hv_trace_ring_init(&ht->rings[i], records,
						   RING_RECORDS, (uint16_t)i))
			ht = NULL;
	}
	n = hv_trace_file_start(start, sizeof(start), h->arch_ops->name,
				h->nr_pcpus);
	if (!ht || !n)
		hyp_panic(h, "trace: no memory for its rings");
	hv_spin_init(&ht->lock);
	ht->h = h;
	ht->trace = (struct hv_trace){.rings = ht->rings,
				      .nr_rings = h->nr_pcpus,
				      .now = trace_now,
				      .drain = trace_drain,
				      .ctx = ht};
	hyp_arch_trace_write(h, start, n);
	h->trace = ht;
	h->core.trace = &ht->trace;
	hv_log_info(&h->log, "tracing: %u records per pCPU", RING_RECORDS);
}

void hyp_trace_fini(struct hyp *h)
{
	uint32_t lost = 0;

	if (!h->trace)
		return;
	for (unsigned int i = 0; i < h->nr_pcpus; i++) {
		trace_drain(&h->trace->trace, &h->trace->rings[i]);
		lost += h->trace->rings[i].lost;
	}
	hv_log_info(&h->log, "trace: %u records lost", lost);
}
