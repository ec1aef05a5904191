/*
 * fake.h - a stand-in hypervisor image for testing `hvkit run` on real
 * QEMU: it finds the bundle where docs/bundle.md says, and plays the
 * console script in the first domain's cmdline.
 */
#ifndef HVKIT_FAKE_H
#define HVKIT_FAKE_H

#include <stddef.h>
#include <stdint.h>

/* Provided per architecture. */
void fake_putc(char c);
void fake_exit(unsigned value) __attribute__((noreturn));

/*
 * Plays the bundle at @bundle (NULL: not found).  The script is the
 * first domain's cmdline, commands separated by '|':
 *   "TEXT"     print TEXT and a newline (any command not below)
 *   "!exit N"  exit the way the real image does, with value N
 *   "!hang"    spin forever (for timeouts)
 * Without a bundle it panics the way the real image would.
 */
void fake_play(const void *bundle) __attribute__((noreturn));

/* Minimal flattened-device-tree reading (big-endian, byte loads only:
 * the MMU is off and the fake must not make unaligned accesses). */
uint32_t fake_be32(const void *p);
const void *fake_fdt_prop(const void *fdt, const char *node_path,
			  const char *prop, uint32_t *len);

#endif /* HVKIT_FAKE_H */
