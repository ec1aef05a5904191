/*
 * arch.h - the two guest architectures an hvkit bundle can describe, and
 * the facts about each that the tool's layout decisions rest on.
 */
#ifndef HVKIT_ARCH_H
#define HVKIT_ARCH_H

#include <stdbool.h>
#include <stdint.h>

enum hvkit_arch {
	HVKIT_ARCH_NONE = -1, /* not chosen yet: guess from the inputs */
	HVKIT_ARCH_AARCH64,
	HVKIT_ARCH_X86_64,
};

/* "aarch64" or "x86_64": the bundle's /arch and the build-tree directory. */
const char *hvkit_arch_name(enum hvkit_arch arch);

/* Parses "aarch64"/"x86_64" (also "arm64"); false for anything else. */
bool hvkit_arch_parse(const char *s, enum hvkit_arch *arch);

/* Guest-physical address of guest RAM: GUEST_RAM0_BASE on aarch64, 0 on x86. */
uint64_t hvkit_arch_ram_base(enum hvkit_arch arch);

/*
 * The most guest RAM one bundle domain can have, in bytes: on aarch64 the
 * size of Xen's first guest RAM bank (the bundle describes one contiguous
 * bank), on x86_64 all of the 64-bit guest-physical space.
 */
uint64_t hvkit_arch_ram_max(enum hvkit_arch arch);

#endif /* HVKIT_ARCH_H */
