/*
 * From the platform to the core: libhv-hyp set up over the image's heap
 * with the arch's adapter and the recipe's choices, every domain of the
 * boot bundle built, and the core's run loop on every pCPU until they have
 * finished.  pCPU 0 builds the domains while the others idle, and
 * destroys them once the others have left the loop.
 */
#include "hyp_common.h"

static void domains_build(struct hyp *h)
{
	struct hv_boot_error err;

	if (hv_hyp_build_bundle(&h->core,
				(const void *)(uintptr_t)h->plat.bundle,
				h->plat.bundle_size, &err) < 0)
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

/* Every pCPU but `self` looks again (at its run queue, or at the flags
 * below): an idle one may wait for nothing else. */
static void kick_others(struct hyp *h, unsigned int self)
{
	for (unsigned int i = 0; i < h->nr_pcpus; i++)
		if (i != self && h->core.arch->kick)
			h->core.arch->kick(&h->pcpus[i]);
}

void hyp_core_secondary(struct hyp *h, unsigned int cpu)
{
	while (!hv_atomic_load_u32(&h->core_started))
		h->arch_ops->idle(&h->pcpus[cpu], HV_TIME_NEVER);
	hv_hyp_run(&h->core, cpu);
	/* The others may idle with no timer set: the last domain's end
	 * reaches them only this way. */
	kick_others(h, cpu);
	hv_atomic_fetch_add_u32(&h->pcpus_done, 1);
}

/* The core's loop on pCPU 0, with the others; its status. */
static int run_all(struct hyp *h)
{
	int status;

	hv_atomic_store_u32(&h->core_started, 1);
	kick_others(h, 0);
	status = hv_hyp_run(&h->core, 0);
	kick_others(h, 0);
	/* Nobody may hold a vCPU's state while the domains are destroyed. */
	while (hv_atomic_load_u32(&h->pcpus_done) != h->nr_pcpus - 1)
		hv_cpu_relax();
	return status;
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
	/* What the core took at init stays until after teardown. */
	uint64_t free_before = free_frames(h);
	int err;

	domains_build(h);
	/* Once, before the first domain runs: the image's own boot. */
	hv_log_info(
	    &h->log, "booted in %lld us",
	    (long long)(h->arch_ops->now(&h->core) - hyp_arch_boot_time(h)) /
		1000);
	err = run_all(h);
	hv_log_info(&h->log, "all domains finished");
	teardown(h, free_before);
	hyp_arch_exit((unsigned int)err);
}
