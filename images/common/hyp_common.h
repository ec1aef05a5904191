/*
 * What an image adds around the core (libhv-hyp): the machine as the boot
 * loader describes it, the page allocator over its RAM, the recipe's
 * choices, and the steps every image takes from boot to the core's run
 * loop.  Recipes include their architecture's hyp.h, which includes this.
 *
 * The architecture's hyp_arch.h defines struct hyp_arch (the machine's
 * devices and virtualisation state, each pCPU's included) and:
 *   HYP_MAX_RAM_RANGES     RAM ranges the platform may report
 * Its boot sets struct hyp's arch_ops and arch_ctx (the core's adapter and
 * its context) and defines the hyp_arch_* hooks declared below.
 */
#ifndef HYP_COMMON_H
#define HYP_COMMON_H

#include <hv/boot.h>
#include <hv/core.h>
#include <hv/hyp.h>
#include <hv/mm_heap.h>

#include "hyp_arch.h"

#define HYP_MAX_RESERVED 8

/* A static object the image's entry does not zero (the other pCPUs'
 * stacks): the linker script places .bss.hv.noinit outside .bss, whose
 * zeroing, a loop under TCG, is part of every boot.  (No C variable's
 * own section, .bss.NAME with -fdata-sections, can have that name.) */
#define HYP_NOINIT __attribute__((section(".bss.hv.noinit")))

/* What the recipe chooses: its name, how much it logs, and the core's
 * configuration (scheduler, extensions, time slice). */
struct hyp_config {
	const char *name;
	enum hv_log_level log_level;
	struct hv_hyp_config core;
};

/* The machine, as the boot loader describes it. */
struct hyp_platform {
	struct hv_mem_range ram[HYP_MAX_RAM_RANGES];
	unsigned int nr_ram;
	struct hv_mem_range reserved[HYP_MAX_RESERVED]; /* kept from the heap */
	unsigned int nr_reserved;
	struct hv_mem_range bundle; /* the domains to build */
	/* RAM outside `reserved` is all zero: no scrub.  The platform's
	 * own judgement, or the image's option "ram-zeroed". */
	bool ram_zeroed;
	char cmdline[256]; /* the image's options (QEMU's -append) */
};

/* The trace's records, streamed out by the arch (trace.c). */
struct hyp_trace {
	struct hv_trace trace;
	struct hv_trace_ring rings[HV_HYP_MAX_PCPUS];
	hv_spinlock_t lock; /* the output is shared */
	struct hyp *h;
};

struct hyp {
	struct hv_hyp core;
	struct hv_hyp_config core_config;	/* the recipe's, completed */
	const struct hv_hyp_arch_ops *arch_ops; /* the arch's adapter */
	void *arch_ctx;				/* and its context */
	/* The pCPUs that run the core's loop: the arch's boot sets
	 * nr_pcpus and each one's arch pointer before hyp_core_run(). */
	struct hv_hyp_pcpu pcpus[HV_HYP_MAX_PCPUS];
	unsigned int nr_pcpus;
	struct hyp_arch arch;
	const struct hyp_config *config;
	struct hyp_platform plat;
	struct hv_log log; /* the console; no sink until it exists */
	struct hv_mm_heap heap;
	struct hv_mm_node node;
	struct hyp_trace *trace; /* option "trace"; NULL: off */
};

/* Stop: print "(hvkit) error: PANIC: ..." (once the console exists) and leave
 * QEMU with status 2 (finish.c). */
HV_NORETURN void hyp_panic(struct hyp *h, const char *fmt, ...) HV_PRINTF(2, 3);

/* Memory (heap.c): keep [base, base + size) from the heap; then the heap
 * over RAM minus what is kept, with its frame table right after the image
 * (the core and its adapter take their pages from it). */
void hyp_reserve(struct hyp *h, hv_paddr_t base, uint64_t size);
void hyp_heap_init(struct hyp *h);

/* The core (core.c): set up over the heap with the arch's adapter, on
 * every pCPU (each with its arch pointer), before the others start (each
 * then enters hv_hyp_run); then, on pCPU 0, build every domain of the
 * bundle, run until they have all finished and leave QEMU with the core's
 * status (0: every domain powered off). */
void hyp_core_init(struct hyp *h, unsigned int p2m_max_order);
HV_NORETURN void hyp_core_run(struct hyp *h);

/* The hooks each architecture implements: leave QEMU with `status`
 * (semihosting on Arm, the debug-exit port on x86); the time (ns, on the
 * core's clock) of the image's first instruction. */
HV_NORETURN void hyp_arch_exit(unsigned int status);
hv_time_t hyp_arch_boot_time(struct hyp *h);

/* Option `name` of the image's command line (a word "name" or
 * "name=value"): its value (len bytes, not NUL-terminated; empty for a
 * bare word), or NULL if absent. */
const char *hyp_option(const struct hyp *h, const char *name, size_t *len);

/*
 * The trace (trace.c), with option "trace=FILE": rings for the core's
 * events from the heap, streamed out through the arch's trace channel,
 * which hyp_arch_trace_open opens (false: none) and hyp_arch_trace_write
 * writes (Arm: host file FILE through semihosting; x86: an isa-debugcon
 * port, whose chardev QEMU writes to FILE; hvkit run --trace FILE adds
 * the option and the device).  hyp_trace_init before
 * the domains are built, hyp_trace_fini once every pCPU has left its
 * loop: it writes out what is left.
 */
void hyp_trace_init(struct hyp *h);
void hyp_trace_fini(struct hyp *h);
bool hyp_arch_trace_open(struct hyp *h, const char *file);
void hyp_arch_trace_write(struct hyp *h, const void *buf, size_t len);

#endif
