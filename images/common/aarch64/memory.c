/*
 * Memory: the EL2 identity map over the RAM the device tree reports (every
 * pCPU's), then the page allocator over that RAM minus everything already
 * in use (the image, the device tree, the bundle, reserved regions, the
 * frame table; heap.c).
 */
#include "hyp.h"

#include <hv/arm_boot.h>

static uint64_t el2_l1[512] __attribute__((aligned(4096)));

void hyp_memory_init(struct hyp *h)
{
	if (hv_arm_mmu_enable_identity(el2_l1, h->plat.ram, h->plat.nr_ram))
		hyp_panic(h, "RAM beyond the 512 GiB the EL2 map covers");
	h->arch.el2_l1 = el2_l1; /* the other pCPUs' too */
	hyp_heap_init(h);
}
