/* Where things are in an AArch64 guest: Xen's guest memory map. */
#define __XEN_TOOLS__ /* GUEST_*: the guest memory map is for toolstacks */

#include "hyp.h"

#include <xen/xen.h>

const struct hyp_guest_layout hyp_xen_layout = {
    .uart = GUEST_PL011_BASE,
    .uart_size = GUEST_PL011_SIZE,
    .gnttab = GUEST_GNTTAB_BASE,
    .gnttab_size = GUEST_GNTTAB_SIZE,
};
