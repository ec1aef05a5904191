/*
 * x86.c - the stand-in image on x86_64: entered by QEMU's PVH loader in
 * 32-bit protected mode with %ebx = hvm_start_info; the bundle is the
 * first module.  COM1 for the console, isa-debug-exit (port 0xf4) to end.
 */
#include <stdint.h>

#include <xen/arch-x86/hvm/start_info.h>

#include "fake.h"

#define COM1	   0x3f8
#define COM1_LSR   (COM1 + 5)
#define LSR_THRE   0x20 /* transmit holding register empty */
#define DEBUG_EXIT 0xf4

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void fake_putc(char c)
{
	while (!(inb(COM1_LSR) & LSR_THRE))
		;
	outb(COM1, (uint8_t)c);
}

void fake_exit(unsigned value)
{
	outb(DEBUG_EXIT, (uint8_t)value);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void fake_main(const struct hvm_start_info *si);

void fake_main(const struct hvm_start_info *si)
{
	const struct hvm_modlist_entry *mods;

	if (si->magic != XEN_HVM_START_MAGIC_VALUE || !si->nr_modules)
		fake_play(0);
	mods = (const struct hvm_modlist_entry *)(uintptr_t)si->modlist_paddr;
	fake_play((const void *)(uintptr_t)mods[0].paddr);
}
