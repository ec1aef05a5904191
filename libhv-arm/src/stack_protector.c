/*
 * What Debian's arm64 libfdt.a, built with -fstack-protector-strong, needs
 * from an image: the guard it checks (AArch64 uses this global, not TLS)
 * and the function it calls when a check fails.  hvkit's own code is built
 * without the protector.
 */
#include <hv/arm_boot.h>

extern uintptr_t __stack_chk_guard;
HV_NORETURN void __stack_chk_fail(void);

/* Non-zero and not a plausible string: catches overflows by string copies. */
uintptr_t __stack_chk_guard = 0x7f3a95c3d60e1b00ull;

void __stack_chk_fail(void)
{
	/* The stack is corrupt: print nothing, trust nothing, stop. */
	hv_arm_semihost_exit(2);
}
