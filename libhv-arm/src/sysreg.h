/* System-register and barrier helpers for AArch64 code in libhv-arm. */
#ifndef HV_ARM_SYSREG_H
#define HV_ARM_SYSREG_H

#include <stdint.h>

#define hv_read_sysreg(reg)                                                    \
	__extension__({                                                        \
		uint64_t v_;                                                   \
		__asm__ __volatile__("mrs %0, " #reg : "=r"(v_));              \
		v_;                                                            \
	})

#define hv_write_sysreg(reg, val)                                              \
	__asm__ __volatile__("msr " #reg ", %0" ::"r"((uint64_t)(val)))

static inline void hv_isb(void)
{
	__asm__ __volatile__("isb" ::: "memory");
}

static inline void hv_dsb_sy(void)
{
	__asm__ __volatile__("dsb sy" ::: "memory");
}

static inline void hv_dsb_ish(void)
{
	__asm__ __volatile__("dsb ish" ::: "memory");
}

#endif
