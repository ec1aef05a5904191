/*
 * hv/x86_lapic.h - inter-processor interrupts through the local APIC
 * (xAPIC, AMD APM vol. 2, 16.5 "Interprocessor Interrupts"): the
 * Interrupt Command Register's encodings, which are pure and tested on the
 * host, and sending them on this CPU, which only x86_64 images link.
 *
 * An IPI is two 32-bit writes: the destination's APIC ID in bits 31:24 of
 * ICR high (offset 0x310), then ICR low (0x300), whose write sends it.
 * Only physical destination mode and no shorthand are used: every IPI
 * names one CPU by its APIC ID.
 */
#ifndef HV_X86_LAPIC_H
#define HV_X86_LAPIC_H

#include <hv/types.h>

HV_BEGIN_DECLS

/* ICR low for a fixed interrupt on `vector` (32..255 to be useful), edge
 * triggered, level asserted. */
uint32_t hv_x86_icr_fixed(uint8_t vector);

/* ICR low for an INIT: the target CPU resets and waits for a STARTUP. */
uint32_t hv_x86_icr_init(void);

/* ICR low for a STARTUP (SIPI): a CPU waiting after INIT starts in real
 * mode at CS:IP = (page >> 4):0.  `page` must be 4 KiB aligned and below
 * 1 MiB; 0 (no valid ICR value) otherwise. */
uint32_t hv_x86_icr_startup(hv_paddr_t page);

/* ICR high for physical destination `apic_id` (0..255; 0 if above). */
uint32_t hv_x86_icr_dest(uint32_t apic_id);

/* x86_64 images only. */

/* This CPU's local APIC ID (its xAPIC ID register, bits 31:24), through
 * the APIC page `lapic` (identity-mapped, as hv_x86_timer's). */
uint32_t hv_x86_lapic_id(volatile uint32_t *lapic);

/* Send the IPI `icr_low` to `apic_id` from this CPU and wait until the
 * APIC has sent it (delivery status idle).  Interrupts may be on or off. */
void hv_x86_lapic_send(volatile uint32_t *lapic, uint32_t apic_id,
		       uint32_t icr_low);

HV_END_DECLS

#endif /* HV_X86_LAPIC_H */
