/*
 * hv/trace.h - trace records from any library, in per-pCPU rings.
 *
 * A record is 32 bytes: when (ns on the recorder's clock), which pCPU,
 * its sequence number there, an event id from the one table below and up
 * to four 32-bit arguments.  Each pCPU writes its own ring (one producer)
 * and one consumer drains it (the same pCPU or another): both sides are
 * lock-free.  A full ring drops the new record but still counts it, so a
 * reader sees the gap in the sequence numbers.
 *
 * Code that traces holds a `struct hv_trace *` that is NULL when nothing
 * collects the records: the cost is then one test per event.  With a
 * trace, hv_trace_emit writes one record and, once its ring is half
 * full, hands the ring to the trace's `drain` callback (the image writes
 * the records out).
 *
 * A trace file (hvkit run --trace) is a struct hv_trace_file_header, the
 * event table as struct hv_trace_file_event entries, then records in the
 * order they were drained (each pCPU's in sequence; sort by time).
 */
#ifndef HV_TRACE_H
#define HV_TRACE_H

#include <hv/compiler.h>
#include <hv/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

HV_BEGIN_DECLS

/*
 * The event table: X(NAME, id, "arg0", "arg1", "arg2", "arg3"), an empty
 * string for an unused argument.  Ids are stable: a trace file names the
 * events it holds, but tools match on ids.  "dom"/"vcpu" are a domain id
 * and a vCPU number in it; times are ns.
 */
#define HV_TRACE_EVENTS(X)                                                     \
	/* A domain was built: its id, vCPUs, credit weight and cap. */        \
	X(DOMAIN_CREATE, 1, "dom", "vcpus", "weight", "cap")                   \
	/* Its name's first 12 bytes (NUL-padded, little-endian words). */     \
	X(DOMAIN_NAME, 2, "dom", "name0", "name1", "name2")                    \
	/* It shut down (SHUTDOWN_* of <xen/sched.h>). */                      \
	X(DOMAIN_SHUTDOWN, 3, "dom", "reason", "", "")                         \
	/* The pCPU starts running the vCPU. */                                \
	X(VCPU_RUN, 4, "dom", "vcpu", "", "")                                  \
	/* The pCPU stops running it; its state then (enum hv_hyp_vcpu_state). \
	 */                                                                    \
	X(VCPU_STOP, 5, "dom", "vcpu", "state", "")                            \
	/* The vCPU's state changed: 1 runnable (a wake-up), 2 blocked, ... */ \
	X(VCPU_STATE, 6, "dom", "vcpu", "state", "")                           \
	/* A VM exit handled: the arch's reason (Arm: ESR_EL2.EC, or 0x100 +   \
	 * the IRQ; x86: the SVM exit code) and ns from exit to re-entry. */   \
	X(VM_EXIT, 7, "dom", "vcpu", "reason", "cost")                         \
	/* The pCPU has nothing to run: idle until its next VCPU_RUN. */       \
	X(PCPU_IDLE, 8, "", "", "", "")                                        \
	/* A port of dom became pending, for its vCPU (a send, a VIRQ). */     \
	X(EVTCHN_RAISED, 9, "dom", "vcpu", "port", "")                         \
	/* A hypercall from the vCPU: its number and the result (as int32). */ \
	X(HYPERCALL, 10, "dom", "vcpu", "nr", "ret")                           \
	/* An event upcall signalled to the vCPU. */                           \
	X(EVTCHN_UPCALL, 11, "dom", "vcpu", "", "")                            \
	/* grant_table_op from dom: the sub-op, its count and the result. */   \
	X(GNTTAB_OP, 12, "dom", "cmd", "count", "ret")

/* The table's ids: HV_TRACE_DOMAIN_CREATE, ... */
enum hv_trace_event {
/* One enumerator from one entry of the table. */
#define HV_TRACE_ENUM(name, id, a0, a1, a2, a3) HV_TRACE_##name = id,
	HV_TRACE_EVENTS(HV_TRACE_ENUM)
#undef HV_TRACE_ENUM
};

/* Arguments a record carries. */
#define HV_TRACE_ARGS 4

/* One event, as it is recorded and written to a trace file. */
struct hv_trace_record {
	uint64_t time;	/* ns */
	uint32_t seq;	/* per pCPU, from 0; a gap is a lost record */
	uint16_t event; /* enum hv_trace_event */
	uint16_t cpu;	/* the pCPU that recorded it */
	uint32_t arg[HV_TRACE_ARGS]; /* as the event table names them */
};
HV_STATIC_ASSERT(sizeof(struct hv_trace_record) == 32, "record size");

/* One pCPU's ring: `size` records (a power of two) at `records`. */
struct hv_trace_ring {
	struct hv_trace_record *records;
	uint32_t size;
	uint32_t head; /* the next record written (producer's) */
	uint32_t tail; /* the next record read (consumer's) */
	uint32_t seq;  /* the next sequence number */
	uint32_t lost; /* records dropped because the ring was full */
	uint16_t cpu;  /* whose it is: written into its records */
};

/* Where events go: a ring per pCPU, a clock and a consumer.  Its owner
 * sets it up; tracing code holds a pointer to it, or NULL. */
struct hv_trace {
	struct hv_trace_ring *rings; /* one per pCPU, by pCPU number */
	unsigned int nr_rings;	     /* events for other pCPUs are dropped */
	/* The clock of the records (ns). */
	uint64_t (*now)(struct hv_trace *t);
	/* Called by the producer once its ring is half full: take records
	 * out with hv_trace_ring_read.  May be NULL (another consumer). */
	void (*drain)(struct hv_trace *t, struct hv_trace_ring *r);
	void *ctx; /* the owner's */
};

/* An empty ring over `records` (size: a power of two, at least 2). */
int hv_trace_ring_init(struct hv_trace_ring *r, struct hv_trace_record *records,
		       uint32_t size, uint16_t cpu);

/* Append one record (the producer alone); false if the ring was full and
 * it was dropped (its sequence number is used all the same). */
bool hv_trace_ring_write(struct hv_trace_ring *r, uint64_t time, uint16_t event,
			 const uint32_t arg[HV_TRACE_ARGS]);

/* Take up to `max` records, oldest first (the consumer alone): how many. */
size_t hv_trace_ring_read(struct hv_trace_ring *r, struct hv_trace_record *out,
			  size_t max);

/* Records waiting in the ring. */
uint32_t hv_trace_ring_used(const struct hv_trace_ring *r);

/* Record `event` on pCPU `cpu`'s ring, draining it when half full. */
void hv_trace_emit(struct hv_trace *t, unsigned int cpu, uint16_t event,
		   uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3);

/* Drain pCPU `cpu`'s ring now through t->drain, if it holds records
 * (the ring's producer, between its events: before it sleeps, say);
 * nothing when t is NULL, has no drain or no such ring. */
void hv_trace_flush(struct hv_trace *t, unsigned int cpu);

/* The same, or nothing when t is NULL: what tracing code calls. */
static inline void hv_trace(struct hv_trace *t, unsigned int cpu,
			    uint16_t event, uint32_t a0, uint32_t a1,
			    uint32_t a2, uint32_t a3)
{
	if (t)
		hv_trace_emit(t, cpu, event, a0, a1, a2, a3);
}

/* The trace file's start. */
#define HV_TRACE_FILE_MAGIC   "HVTRACE\0"
#define HV_TRACE_FILE_VERSION 1

/* The first bytes of a trace file (little-endian). */
struct hv_trace_file_header {
	char magic[8];	      /* HV_TRACE_FILE_MAGIC */
	uint32_t version;     /* HV_TRACE_FILE_VERSION */
	uint32_t header_size; /* this struct's */
	uint32_t record_size; /* struct hv_trace_record's */
	uint32_t nr_events;   /* struct hv_trace_file_event entries next */
	uint32_t nr_cpus;     /* pCPUs that record */
	uint32_t reserved;
	char arch[16]; /* "aarch64", "x86_64", "sim", ... (NUL-padded) */
};

/* One entry of the event table in a trace file (strings NUL-padded). */
struct hv_trace_file_event {
	uint32_t id;		      /* enum hv_trace_event */
	char name[28];		      /* "DOMAIN_CREATE", ... */
	char args[HV_TRACE_ARGS][16]; /* each argument's name, or "" */
};

/*
 * Write a trace file's start (header and event table) into buf: its
 * size in bytes, or 0 if `size` is too small (hv_trace_file_start_size).
 */
size_t hv_trace_file_start(void *buf, size_t size, const char *arch,
			   unsigned int nr_cpus);
size_t hv_trace_file_start_size(void);

HV_END_DECLS

#endif /* HV_TRACE_H */
