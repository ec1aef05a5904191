/* What vlapic.c and vlapic_x2apic.c share: register bits (SDM vol. 3,
 * 11.5-11.6 and 11.12). */
#ifndef HV_X86_VLAPIC_PRIV_H
#define HV_X86_VLAPIC_PRIV_H

#include <hv/x86_vlapic.h>

#define LVT_VECTOR   0xffu
#define LVT_TIMER    0
#define LVT_ERROR    5
#define TIMER_MODE   (3u << 17)
#define SVR_WRITABLE 0x3ffu /* vector, enable, focus check */
#define DFR_WRITABLE 0xf0000000u
#define LDR_WRITABLE 0xff000000u
#define TPR_WRITABLE 0xffu
#define DIVIDE_WRITABLE 0xbu
#define ESR_SEND_ILL (1u << 5)
#define ICR_WRITABLE                                                           \
	0x000ccfffu /* vector, mode, dest mode, level, trigger,                \
		       shorthand */
#define ICR_MODE(lo)	  (((lo) >> 8) & 7)
#define ICR_LOGICAL	  (1u << 11)
#define ICR_LEVEL	  (1u << 14)
#define ICR_SHORTHAND(lo) (((lo) >> 18) & 3)
#define ICR_SHORT_SELF	  (1u << 18)
#define ICR_MODE_FIXED	  0
#define ICR_MODE_LOWEST	  1
#define ICR_MODE_INIT	  5
#define ICR_MODE_STARTUP  6
#define SHORT_SELF	  1
#define SHORT_ALL	  2
#define SHORT_OTHERS	  3
#define DFR_FLAT	  0xf0000000u

/* Which bits of each LVT entry a guest may write. */
extern const uint32_t vlapic_lvt_writable[HV_X86_VLAPIC_NR_LVT];

#endif
