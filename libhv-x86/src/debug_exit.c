/* Leaving QEMU through isa-debug-exit, writing to an isa-debugcon, and
 * what Debian's libfdt.a needs. */
#include <hv/x86_boot.h>

#include "x86_asm.h"

void hv_x86_debug_exit(uint8_t value)
{
	hv_outb(HV_X86_DEBUG_EXIT_PORT, value);
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

bool hv_x86_debugcon_present(uint16_t port)
{
	return hv_inb(port) == 0xe9;
}

void hv_x86_debugcon_write(uint16_t port, const void *buf, size_t len)
{
	const void *p = buf;
	size_t n = len;

	__asm__ __volatile__("rep outsb"
			     : "+S"(p), "+c"(n)
			     : "d"(port)
			     : "memory");
}

/*
 * Debian's x86_64 libfdt.a is built with -fstack-protector-strong and
 * reads its guard from %fs:40 (the image points FS_BASE at a block that
 * holds one: <hv/x86_cpu.h>); a failed check ends up here.  hvkit's own
 * code is built without the protector.
 */
HV_NORETURN void __stack_chk_fail(void);

void __stack_chk_fail(void)
{
	/* The stack is corrupt: print nothing, trust nothing, stop. */
	hv_x86_debug_exit(2);
}
