/* The local APIC's Interrupt Command Register encodings (portable,
 * unit-tested; AMD APM vol. 2, 16.5, "Interrupt Command Register"). */
#include <hv/x86_lapic.h>

#define ICR_MODE_FIXED	 (0u << 8)
#define ICR_MODE_INIT	 (5u << 8)
#define ICR_MODE_STARTUP (6u << 8)
#define ICR_LEVEL_ASSERT (1u << 14)
#define ICR_DEST_SHIFT	 24
#define LOW_MEMORY_END	 0x100000u

uint32_t hv_x86_icr_fixed(uint8_t vector)
{
	return ICR_MODE_FIXED | ICR_LEVEL_ASSERT | vector;
}

uint32_t hv_x86_icr_init(void)
{
	return ICR_MODE_INIT | ICR_LEVEL_ASSERT;
}

uint32_t hv_x86_icr_startup(hv_paddr_t page)
{
	if (page % HV_PAGE_SIZE || page >= LOW_MEMORY_END)
		return 0;
	return ICR_MODE_STARTUP | ICR_LEVEL_ASSERT | (uint32_t)(page >> 12);
}

uint32_t hv_x86_icr_dest(uint32_t apic_id)
{
	return apic_id > 0xff ? 0 : apic_id << ICR_DEST_SHIFT;
}
