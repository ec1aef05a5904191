/*
 * From the entry to the run loop: an early map so libfdt can read the
 * device tree, the console, the machine, memory, the boot pCPU's timer,
 * GIC and stage-2 translation, the core with libhv-hyp-arm as its
 * adapter, the other pCPUs, the domains from the bundle.  Failures before
 * the console exists leave QEMU with status 2 silently; after, they print
 * "(hvkit) error: PANIC: ..." (hyp_panic).  And two hooks: leaving QEMU
 * (semihosting) and the boot's start time.
 */
#include "hyp.h"

#include <hv/arm_boot.h>

#define GIB (1ull << 30)

static struct hyp the_hyp;
static uint64_t early_l1[512] __attribute__((aligned(4096)));

void hyp_arch_exit(unsigned int status)
{
	hv_arm_semihost_exit(status);
}

/* The trace goes to a host file, through semihosting. */
bool hyp_arch_trace_open(struct hyp *h, const char *file)
{
	h->arch.trace_handle = hv_arm_semihost_open(file, strlen(file));
	return h->arch.trace_handle >= 0;
}

void hyp_arch_trace_write(struct hyp *h, const void *buf, size_t len)
{
	hv_arm_semihost_write(h->arch.trace_handle, buf, len);
}

hv_time_t hyp_arch_boot_time(struct hyp *h)
{
	return hv_arm_ticks_to_ns(&h->arch.arm.timer, hv_arm_boot_count);
}

void hyp_el2_fault(void *opaque, const struct hv_arm_hyp_fault *f)
{
	const struct hv_hyp_arm_pcpu *pa = hv_hyp_arm_pcpu_this();

	hyp_panic(opaque,
		  "exception at EL2 on pCPU %u: vector %u, ESR %#llx, ELR "
		  "%#llx, FAR %#llx",
		  pa->id, f->vector, (unsigned long long)f->esr,
		  (unsigned long long)f->elr, (unsigned long long)f->far);
}

/* Until the device tree is read, map as RAM just the gigabytes that hold
 * the image and the device tree (both are certainly in RAM). */
static void early_mmu(uint64_t dtb)
{
	struct hv_mem_range known[2] = {
	    {HV_ALIGN_DOWN((uintptr_t)hyp_main, GIB), GIB},
	    {HV_ALIGN_DOWN(dtb, GIB), GIB},
	};

	if (hv_arm_mmu_enable_identity(early_l1, known, 2) != 0)
		hv_arm_semihost_exit(2);
}

void hyp_main(const struct hyp_config *config, uint64_t dtb)
{
	struct hyp *h = &the_hyp;
	const void *fdt = (const void *)(uintptr_t)dtb;

	h->config = config;
	early_mmu(dtb);
	hv_arm_cpu_init(&h->arch.pcpus[0].cpu, hyp_el2_fault, h);
	hyp_platform_probe(h, fdt);
	hyp_memory_init(h);
	hyp_pcpu_init(h, 0);
	h->arch_ops = &hv_hyp_arm_ops;
	h->arch_ctx = &h->arch.arm;
	hyp_core_init(h, HV_MM_P2M_ORDER_1G);
	hyp_pcpus_start(h);
	hyp_core_run(h);
}
