/* The boot identity map as a map function (hv/x86_boot.h). */
#include <hv/x86_boot.h>

const void *hv_x86_boot_map(void *ctx, hv_paddr_t pa, size_t len)
{
	(void)ctx;
	if (pa + len < pa || pa + len > HV_X86_BOOT_MAP_LIMIT)
		return NULL;
	return (const void *)(uintptr_t)pa;
}
