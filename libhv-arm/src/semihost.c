/* Arm semihosting (the "Semihosting for AArch32 and AArch64" spec). */
#include <hv/arm_boot.h>

#define SYS_EXIT	     0x18
#define ADP_STOPPED_APP_EXIT 0x20026

void hv_arm_semihost_exit(uint32_t code)
{
	/* SYS_EXIT's AArch64 form: x1 points at {reason, exit code}. */
	const uint64_t block[2] = {ADP_STOPPED_APP_EXIT, code};
	register uint64_t x0 __asm__("x0") = SYS_EXIT;
	register const uint64_t *x1 __asm__("x1") = block;

	for (;;)
		__asm__ __volatile__("hlt #0xf000" ::"r"(x0), "r"(x1)
				     : "memory");
}
