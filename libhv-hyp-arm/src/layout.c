/*
 * Where things are in an AArch64 guest: Xen's guest memory map, from
 * xen/include/public/arch-arm.h (GUEST_PL011_*, GUEST_GNTTAB_*,
 * GUEST_GICV3_GICD_BASE, GUEST_GICV3_GICR0_BASE).  Written
 * out because an x86 host's <xen/xen.h> does not include the Arm map, and
 * this file builds on every host.
 */
#include <hv/hyp_arm.h>

const struct hv_hyp_arm_layout hv_hyp_arm_xen_layout = {
    .uart = 0x22000000,
    .uart_size = 0x1000,
    .gnttab = 0x38000000,
    .gnttab_size = 0x01000000,
    .gicd = 0x03001000,
    .gicr = 0x03020000,
};
