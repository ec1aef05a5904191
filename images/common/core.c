/*
 * From the platform to the core: libhv-hyp set up over the image's heap
 * with the arch's adapter and the recipe's choices, every domain of the
 * boot bundle built, and the core's run loop on pCPU 0 (the others are in
 * theirs, waiting for hv_hyp_start) until every domain has finished.
 */
#include "hyp_common.h"

static void domains_build(struct hyp *h)
{
	struct hv_boot_error err;

	if (hv_hyp_build_bundle(&h->core,
				(const void *)(uintptr_t)h->plat.bundle.base,
				h->plat.bundle.size, &err) < 0)
		hyp_panic(h, "%s", err.msg);
}

static uint64_t free_frames(struct hyp *h)
{
	struct hv_mm_heap_stats st;

	if (hv_mm_heap_get_stats(&h->heap, 0, &st))
		return 0;
	return st.free_pages;
}

/*
 * Destroy every domain and the core, and say whether every frame the
 * domains took came back to the heap: a leak check on every run, which
 * the QEMU tests read.
 */
static void teardown(struct hyp *h, uint64_t free_before)
{
	uint64_t after;

	if (hv_hyp_destroy_all(&h->core))
		hyp_panic(h, "cannot destroy every domain");
	hyp_trace_fini(h); /* every pCPU has left its loop */
	after = free_frames(h);
	if (hv_hyp_fini(&h->core))
		hyp_panic(h, "cannot stop the core");
	if (after == free_before)
		hv_log_info(&h->log,
			    "all domains destroyed: every frame is back in "
			    "the heap (%llu free)",
			    (unsigned long long)after);
	else
		hv_log_warn(&h->log,
			    "all domains destroyed: %lld frames missing from "
			    "the heap",
			    (long long)(free_before - after));
}

void hyp_core_init(struct hyp *h, unsigned int p2m_max_order)
{
	const struct hv_hyp_extension *const *e = h->config->core.extensions;
	int err;

	for (; e && *e; e++)
		hv_log_info(&h->log, "with %s", (*e)->name);
	h->core_config = h->config->core;
	h->core_config.p2m_max_order = p2m_max_order;
	err = hv_hyp_init(&h->core, &h->core_config, h->arch_ops, h->arch_ctx,
			  &h->heap, &h->log, h->pcpus, h->nr_pcpus);
	if (err)
		hyp_panic(h, "cannot start the core: %s",
			  hv_core_strerror(err));
}

void hyp_core_run(struct hyp *h)
{
	uint64_t free_before;
	size_t len;
	int err;

	hyp_trace_init(h);
	/* What the core and the trace took stays until after teardown. */
	free_before = free_frames(h);
	domains_build(h);
	/* Once, before the first domain runs: the image's own boot. */
	hv_log_info(
	    &h->log, "booted in %lld us",
	    (long long)(h->arch_ops->now(&h->core) - hyp_arch_boot_time(h)) /
		1000);
	/* The option "fault-test" (the bare word): an exception in the
	 * hypervisor, on purpose (UD2 on x86, BRK on AArch64), so that a
	 * test sees the fault path report it rather than the machine
	 * resetting. */
	if (hyp_option(h, "fault-test", &len) && len == 0)
		__builtin_trap();
	hv_hyp_start(&h->core);
	err = hv_hyp_run(&h->core, 0);
	hv_log_info(&h->log, "all domains finished");
	teardown(h, free_before);
	hyp_arch_exit((unsigned int)err);
}
