/* Arm semihosting (the "Semihosting for AArch32 and AArch64" spec). */
#include <hv/arm_boot.h>

#define SYS_OPEN	     0x01
#define SYS_WRITE	     0x05
#define SYS_EXIT	     0x18
#define ADP_STOPPED_APP_EXIT 0x20026
#define MODE_WRITE_BINARY    5 /* fopen's "wb" */

/* One call: operation in x0, its parameter block at x1; result in x0. */
static int64_t semihost_call(uint64_t op, const void *block)
{
	register uint64_t x0 __asm__("x0") = op;
	register const void *x1 __asm__("x1") = block;

	__asm__ __volatile__("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return (int64_t)x0;
}

int64_t hv_arm_semihost_open(const char *name, size_t len)
{
	const uint64_t block[3] = {(uintptr_t)name, MODE_WRITE_BINARY, len};

	return semihost_call(SYS_OPEN, block);
}

size_t hv_arm_semihost_write(int64_t handle, const void *buf, size_t len)
{
	const uint64_t block[3] = {(uint64_t)handle, (uintptr_t)buf, len};

	/* SYS_WRITE answers the bytes it did not write. */
	return len - (size_t)semihost_call(SYS_WRITE, block);
}

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
